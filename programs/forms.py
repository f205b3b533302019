"""Input validation for the builder: every bad value gets a message next to its field."""

from decimal import Decimal

from django import forms
from django.db.models import Q

from .models import (
    PRESCRIPTION_DETAIL_FIELD_NAMES,
    Exercise,
    Prescription,
    PrescriptionFields,
    Program,
    ProgramPrescription,
    ProgramWeek,
    SessionTemplate,
)

NUMERIC = {"inputmode": "numeric"}
DECIMAL = {"inputmode": "decimal"}
MAX_SLOTS = 4


def _number(label, min_value, max_value, **kwargs):
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        widget=forms.NumberInput(attrs=NUMERIC),
        **kwargs,
    )


class ExerciseSearchForm(forms.Form):
    q = forms.CharField(
        label="Search exercises",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or equipment"}),
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *Exercise.Category.choices]
    )
    pattern = forms.ChoiceField(
        label="Pattern", required=False, choices=[("", "Any pattern"), *Exercise.Pattern.choices]
    )
    unilateral = forms.BooleanField(label="Unilateral only", required=False)


class ExerciseProposeForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = ["name", "category", "pattern", "is_unilateral", "measure", "equipment", "cues"]
        widgets = {"cues": forms.Textarea(attrs={"rows": 2})}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Exercise.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("An exercise with this name already exists.")
        return name


class TemplateForm(forms.ModelForm):
    target_minutes = _number("Target minutes", 5, 180, initial=30)

    class Meta:
        model = SessionTemplate
        fields = ["name", "description", "target_minutes", "intensity_override"]
        labels = {"intensity_override": "Intensity override"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["intensity_override"].choices = [
            ("", "Derive from the prescriptions"),
            *self.fields["intensity_override"].choices[1:],
        ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = SessionTemplate.objects.filter(owner=self.owner, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("You already have a template with this name.")
        return name


class PrescriptionForm(forms.ModelForm):
    """One prescription's numbers, for a template or for one week's session of a program."""

    sets = _number("Sets", 1, 20, error_messages={"min_value": "Sets must be at least 1."})
    reps_min = _number("Reps (min)", 1, 100, required=False)
    reps_max = _number("Reps (max)", 1, 100, required=False)
    hold_seconds = _number("Hold (s)", 1, 600, required=False)
    rest_seconds = _number("Rest (s)", 0, 900)
    load_percent_1rm = forms.DecimalField(
        label="% 1RM",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal(100),
        decimal_places=1,
        error_messages={"max_value": "%%1RM can be at most %(limit_value)s."},
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "0.5"}),
    )
    load_rpe = forms.DecimalField(
        label="RPE",
        required=False,
        min_value=Decimal(1),
        max_value=Decimal(10),
        decimal_places=1,
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "0.5"}),
    )

    class Meta:
        fields = PRESCRIPTION_DETAIL_FIELD_NAMES
        labels = {
            "load_kind": "Load guidance",
            "load_text": "Load in words",
            "per_side": "Per side",
        }

    def clean(self):
        data = super().clean()
        reps_min, reps_max = data.get("reps_min"), data.get("reps_max")
        hold = data.get("hold_seconds")
        is_hold = self.instance.exercise.measure == Exercise.Measure.TIME
        if reps_min and reps_max and reps_min > reps_max:
            self.add_error("reps_max", f"Max reps must be at least the min reps ({reps_min}).")
        if reps_max and not reps_min and "reps_min" not in self.errors:
            self.add_error("reps_min", "Give the low end of the rep range too.")
        if is_hold and not hold and "hold_seconds" not in self.errors:
            self.add_error("hold_seconds", "A hold needs a time in seconds.")
        elif not reps_min and not hold and not self.errors.keys() & {"reps_min", "hold_seconds"}:
            self.add_error("reps_min", "Give reps, or a hold time in seconds.")
        kind = data.get("load_kind")
        needs = {
            PrescriptionFields.LoadKind.PERCENT_1RM: ("load_percent_1rm", "Give the % of 1RM."),
            PrescriptionFields.LoadKind.RPE: ("load_rpe", "Give the RPE."),
            PrescriptionFields.LoadKind.WORDS: ("load_text", "Describe the load in words."),
        }
        if kind in needs:
            field, message = needs[kind]
            if data.get(field) in (None, "") and field not in self.errors:
                self.add_error(field, message)
        return data


class ProgramCreateForm(forms.Form):
    name = forms.CharField(label="Program name", max_length=80)
    weeks = _number(
        "Weeks",
        4,
        12,
        initial=6,
        help_text="4 to 12 weeks; 6 to 8 transfer best.",
        error_messages={
            "min_value": "A program has at least 4 weeks.",
            "max_value": "A program has at most 12 weeks.",
        },
    )

    def __init__(self, *args, coach, preview=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.coach = coach
        self.preview = preview
        if preview:
            # The live linter ignores the name, which may be half typed or taken.
            del self.fields["name"]
        templates = SessionTemplate.objects.filter(
            Q(owner=coach) | Q(owner__isnull=True), is_archived=False
        ).order_by("owner", "name")
        for number in range(1, MAX_SLOTS + 1):
            self.fields[f"slot_{number}"] = forms.ModelChoiceField(
                label=f"Session {number} of the week",
                queryset=templates,
                required=number == 1,
                empty_label="—",
            )
            self.fields[f"slot_{number}"].label_from_instance = _template_label

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Program.objects.filter(coach=self.coach, name__iexact=name).exists():
            raise forms.ValidationError("You already have a program with this name.")
        return name

    def clean(self):
        data = super().clean()
        if self.preview:  # the live linter still lints the other sessions; saving says why not
            return data
        chosen = {f"slot_{n}": data.get(f"slot_{n}") for n in range(1, MAX_SLOTS + 1)}
        empty = set(
            SessionTemplate.objects.filter(
                pk__in=[t.pk for t in chosen.values() if t], prescriptions__isnull=True
            ).values_list("pk", flat=True)
        )
        for field, template in chosen.items():
            if template and template.pk in empty:
                message = f"“{template.name}” has no exercises yet: add some to it first."
                self.add_error(field, message)
        return data

    def slot_templates(self):
        fields = (f"slot_{n}" for n in range(1, MAX_SLOTS + 1))
        return [self.cleaned_data[f] for f in fields if self.cleaned_data.get(f)]


def _template_label(template):
    return f"{template.name} (library)" if template.is_library else template.name


class ProgramSettingsForm(forms.ModelForm):
    load_step_percent_1rm = forms.DecimalField(
        label="Load step (% 1RM a build week)",
        min_value=Decimal(0),
        max_value=Decimal(10),
        decimal_places=1,
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "0.5"}),
    )
    load_step_rpe = forms.DecimalField(
        label="Load step (RPE a build week)",
        min_value=Decimal(0),
        max_value=Decimal(2),
        decimal_places=1,
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "0.5"}),
    )

    class Meta:
        model = Program
        fields = ["name", "description", "load_step_percent_1rm", "load_step_rpe"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Program.objects.filter(coach=self.instance.coach, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("You already have a program with this name.")
        return name


class WeekPlanForm(forms.ModelForm):
    sets_delta = _number("Sets ±", -5, 5)
    reps_delta = _number("Reps ±", -10, 10)
    volume_percent = _number("Volume %", 20, 150)

    class Meta:
        model = ProgramWeek
        fields = ["kind", "sets_delta", "reps_delta", "volume_percent"]
        labels = {"kind": "Kind"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered bare in the week table (not through crispy), so style the inputs here.
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "kind" else "form-control"


class ExistingRowsFormSet(forms.BaseModelFormSet):
    """Edits exactly the rows it was given, each once: a tampered management form can neither
    add rows nor leave some out."""

    def clean(self):
        super().clean()
        expected = sorted(row.pk for row in self.get_queryset())
        edited = [form.instance.pk for form in self.forms]
        if None in edited or sorted(edited) != expected:
            raise forms.ValidationError("The form was out of date: reload the page and try again.")


WeekPlanFormSet = forms.modelformset_factory(
    ProgramWeek, form=WeekPlanForm, formset=ExistingRowsFormSet, extra=0, edit_only=True
)


class WeekKindForm(forms.Form):
    week = _number("Week", None, None)
    kind = forms.ChoiceField(label="Week type", choices=ProgramWeek.Kind.choices)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_week(self):
        week = self.cleaned_data["week"]
        if not 1 <= week <= self.program.weeks:
            raise forms.ValidationError(
                f"Week {week} is outside this {self.program.weeks}-week program."
            )
        return week


class TemplatePrescriptionForm(PrescriptionForm):
    class Meta(PrescriptionForm.Meta):
        model = Prescription


class SessionPrescriptionForm(PrescriptionForm):
    class Meta(PrescriptionForm.Meta):
        model = ProgramPrescription


SessionPrescriptionFormSet = forms.modelformset_factory(
    ProgramPrescription,
    form=SessionPrescriptionForm,
    formset=ExistingRowsFormSet,
    extra=0,
    edit_only=True,
)


def add_service_error(form, error):
    """Put a service's ValidationError next to the fields it names (else above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)
