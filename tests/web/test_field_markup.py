"""web's field markup is the markup crispy and Django's widget templates give, so the pages that
use it (Today, the session page, the builder) read, label and announce errors as they did."""

import re

import pytest
from django import forms
from django.template import engines

from athletes.forms.conversation import CommentForm
from athletes.forms.logging import SessionCompleteForm, SessionSkipForm, SetLogForm
from programs.forms import ProgramSettingsForm, WeekKindForm, WeekPlanForm


def rendered(template, field):
    html = engines["django"].from_string(template).render({"field": field})
    # Crispy's templates indent and pad the label; the browser reads the same either way.
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def crispy(field):
    return rendered("{% load crispy_forms_tags %}{{ field|as_crispy_field }}", field)


def ours(field):
    return rendered("{% load field_markup %}{{ field|as_bootstrap_field }}", field)


def invalid(form):
    assert not form.is_valid()
    return form


SET_FIELDS = ["reps", "load", "hold_seconds", "rpe"]


class Styled(forms.Form):
    code = forms.CharField(help_text="Six <b>digits</b>", widget=forms.TextInput({"class": "mono"}))
    secret = forms.CharField(widget=forms.PasswordInput, initial="never shown")


@pytest.mark.parametrize(
    "form, names",
    [
        (SetLogForm(initial={"reps": 5, "load": "60"}, unit="lb", auto_id="p3-%s"), SET_FIELDS),
        (
            invalid(
                SetLogForm(
                    {"reps": "-1", "load": "99999", "rpe": "11", "hold_seconds": "0"},
                    unit="kg",
                    auto_id="p3-%s",
                )
            ),
            SET_FIELDS,
        ),
        (SessionCompleteForm(initial={"notes": "Felt <b>good</b>"}), ["session_rpe", "notes"]),
        (invalid(SessionCompleteForm({"actual_minutes": "0"})), ["session_rpe", "actual_minutes"]),
        (invalid(SessionSkipForm({"skip_reason": "x" * 201})), ["skip_reason"]),
        (invalid(CommentForm({"body": ""})), ["body"]),
        (Styled(), ["code", "secret"]),
        (WeekKindForm(initial={"kind": "deload"}, program=None), ["week", "kind"]),
        (invalid(WeekKindForm({"kind": "nonsense"}, program=None)), ["week", "kind"]),
        (invalid(ProgramSettingsForm({"name": " "})), list(ProgramSettingsForm.base_fields)),
    ],
)
def test_a_field_reads_as_crispy_wrote_it_with_its_label_limits_and_errors(form, names):
    for name in names:
        assert ours(form[name]) == crispy(form[name])


def test_the_builder_settings_form_reads_as_crispy_wrote_it_with_its_form_errors():
    form = invalid(ProgramSettingsForm({"name": " ", "load_step_rpe": "3"}))
    form.add_error(None, "Another program is called that.")
    ours = rendered(
        "{% load field_markup %}"
        '{% if field.non_field_errors %}<div class="alert alert-block alert-danger">'
        '<ul class="m-0">{{ field.non_field_errors|unordered_list }}</ul></div>{% endif %}'
        "{% for one in field %}{{ one|as_bootstrap_field }}{% endfor %}",
        form,
    )
    assert ours == rendered("{% load crispy_forms_tags %}{{ field|crispy }}", form)


def test_an_entered_value_is_escaped_back_into_the_field():
    form = invalid(SessionSkipForm({"skip_reason": '"><script>' * 30}))
    assert "<script>" not in ours(form["skip_reason"])
    assert ours(form["skip_reason"]) == crispy(form["skip_reason"])


@pytest.mark.parametrize(
    "form",
    [
        SetLogForm(initial={"id": "0b5e", "prescription": 3, "set_number": 2}, auto_id="p3-%s"),
        WeekPlanForm(initial={"kind": "deload", "sets_delta": -1}, prefix="form-0"),
        invalid(WeekPlanForm({"form-0-kind": "nonsense"}, prefix="form-0")),
    ],
)
def test_a_bare_widget_reads_as_django_wrote_it(form):
    for field in form:
        plain = rendered("{% load field_markup %}{{ field|as_plain_widget }}", field)
        assert plain == rendered("{{ field }}", field)


def test_a_widget_it_does_not_write_is_refused_rather_than_written_wrong():
    class Choices(forms.Form):
        days = forms.MultipleChoiceField(choices=[("mon", "Mon")])
        agreed = forms.BooleanField()

    form = Choices()
    with pytest.raises(TypeError):
        ours(form["agreed"])
    with pytest.raises(TypeError):
        rendered("{% load field_markup %}{{ field|as_plain_widget }}", form["days"])
