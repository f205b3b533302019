"""A program copies its templates when built: editing a template never changes it silently."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from programs import services
from programs.models import ProgramSession
from tests.programs.article import day_a, day_b

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(coach_user):
    return day_a(coach_user), day_b(coach_user)


@pytest.fixture
def program(coach_user, templates):
    a, b = templates
    return services.program_create(
        coach=coach_user, name="Spring 5K", weeks=6, slots=[("Day A", a), ("Day B", b)]
    )


def _exercises(program, week, name):
    session = ProgramSession.objects.get(program=program, week=week, name=name)
    return [p.exercise.name for p in session.prescriptions.select_related("exercise")]


def _remove_unilateral_work(template):
    for prescription in template.prescriptions.filter(exercise__is_unilateral=True):
        services.prescription_delete(prescription=prescription)


def test_editing_a_template_leaves_the_program_as_built(program, templates):
    _, b = templates
    before = {w: _exercises(program, w, "Day B") for w in range(1, 7)}
    _remove_unilateral_work(b)
    calf_raise = b.prescriptions.get(exercise__name="Calf raises")
    services.prescription_update(prescription=calf_raise, sets=6)
    assert {w: _exercises(program, w, "Day B") for w in range(1, 7)} == before
    calf = ProgramSession.objects.get(program=program, week=1, name="Day B").prescriptions.get(
        exercise__name="Calf raises"
    )
    assert calf.sets == 4


def test_progression_changes_re_resolve_from_the_snapshot_not_the_edited_template(
    program, templates
):
    _, b = templates
    _remove_unilateral_work(b)
    services.program_week_set_kind(program=program, number=2, kind="deload")
    assert "Bulgarian split squat" in _exercises(program, 2, "Day B")


def test_program_page_says_the_template_changed_and_offers_re_apply(
    client, coach_user, program, templates
):
    client.force_login(coach_user)
    url = reverse("programs:program-detail", args=[program.pk])
    assert "changed since" not in client.get(url).content.decode()
    _remove_unilateral_work(templates[1])
    body = client.get(url).content.decode()
    template_name = "Day B — Endurance & stability"
    message = f"Template “{template_name}” changed since “Day B” was built from it — re-apply?"
    assert escape(message) in body
    assert "Re-apply Day B" in body


def test_re_apply_takes_the_new_version_for_sessions_not_edited_by_hand(
    client, coach_user, program, templates
):
    _, b = templates
    edited = ProgramSession.objects.get(program=program, week=5, name="Day B")
    services.program_session_update(session=edited, prescriptions=list(edited.prescriptions.all()))
    _remove_unilateral_work(b)
    slot = program.slots.get(label="Day B")
    client.force_login(coach_user)
    client.post(reverse("programs:program-slot-reapply", args=[program.pk, slot.pk]))
    assert "Bulgarian split squat" not in _exercises(program, 1, "Day B")
    assert "Bulgarian split squat" in _exercises(program, 5, "Day B")  # edited by hand: kept
    slot.refresh_from_db()
    b.refresh_from_db()
    assert slot.template_version == b.version
    assert (
        "changed since"
        not in client.get(reverse("programs:program-detail", args=[program.pk])).content.decode()
    )


def test_re_apply_is_all_or_nothing(program, templates, monkeypatch):
    _, b = templates
    _remove_unilateral_work(b)
    slot = program.slots.get(label="Day B")

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_build_slot_sessions", fail)
    with pytest.raises(RuntimeError):
        services.program_slot_reapply(slot=slot)
    slot.refresh_from_db()
    assert slot.template_version == 1
    assert "Bulgarian split squat" in _exercises(program, 1, "Day B")
    assert slot.base_prescriptions.filter(exercise__name="Bulgarian split squat").exists()
