"""The two services the demo and the library rely on: copying a library template to a coach,
and building a program's weeks × sessions from templates."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import (
    PRESCRIPTION_FIELD_NAMES,
    Program,
    ProgramPrescription,
    SessionTemplate,
)
from programs.services import program_create, template_copy
from tests.coach.factories import CoachUserFactory
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, SessionTemplateFactory

pytestmark = pytest.mark.django_db


def library_day(name="Day A", *, rows=3):
    template = SessionTemplateFactory(owner=None, name=name, description="Strength & power")
    PrescriptionFactory(
        template=template, position=0, block="warmup", sets=1, reps_min=10, reps_max=None
    )
    PrescriptionFactory(
        template=template,
        position=1,
        sets=4,
        reps_min=4,
        reps_max=6,
        load_kind="words",
        load_text="moderate-heavy",
        cue="Or goblet squat.",
    )
    for position in range(2, rows):
        PrescriptionFactory(
            template=template, position=position, block="core", reps_min=None, reps_max=None,
            hold_seconds=30, per_side=True,
        )  # fmt: skip
    return template


def rows_of(template):
    return list(template.prescriptions.order_by("position").values_list(*PRESCRIPTION_FIELD_NAMES))


def test_copying_a_library_template_gives_the_coach_the_same_prescriptions():
    library = library_day()
    coach = CoachUserFactory()
    copy = template_copy(template=library, owner=coach)
    assert (copy.owner, copy.copied_from, copy.name) == (coach, library, "Day A")
    assert (copy.description, copy.target_minutes) == (library.description, library.target_minutes)
    assert rows_of(copy) == rows_of(library)
    assert library.prescriptions.count() == 3  # the library keeps its own


def test_a_second_copy_gets_a_numbered_name_instead_of_failing():
    library = library_day()
    coach = CoachUserFactory()
    template_copy(template=library, owner=coach)
    second = template_copy(template=library, owner=coach)
    assert second.name == "Day A (2)"
    other_coach_copy = template_copy(template=library, owner=CoachUserFactory())
    assert other_coach_copy.name == "Day A"


def test_copying_costs_the_same_queries_for_a_longer_template():
    coach = CoachUserFactory()
    short, long = library_day("Short", rows=3), library_day("Long", rows=12)
    with CaptureQueriesContext(connection) as few:
        template_copy(template=short, owner=coach)
    with CaptureQueriesContext(connection) as many:
        template_copy(template=long, owner=coach)
    assert len(many) == len(few)


def test_a_program_is_weeks_times_slots_sessions_each_with_its_own_prescriptions():
    coach = CoachUserFactory()
    day_a = template_copy(template=library_day("Day A"), owner=coach)
    day_b = template_copy(template=library_day("Day B", rows=4), owner=coach)
    program = program_create(
        coach=coach, name="5K strength block", weeks=6, slots=[("Day A", day_a), ("Day B", day_b)]
    )
    assert list(program.program_weeks.values_list("kind", flat=True)) == [
        "build", "build", "build", "deload", "build", "taper",
    ]  # fmt: skip
    assert [(s.label, s.template_version) for s in program.slots.all()] == [
        ("Day A", 1),
        ("Day B", 1),
    ]
    sessions = list(program.sessions.order_by("week", "slot__position"))
    assert [(s.week, s.name) for s in sessions][:3] == [(1, "Day A"), (1, "Day B"), (2, "Day A")]
    assert len(sessions) == 12
    week_1_a = sessions[0]
    assert list(week_1_a.prescriptions.values_list("exercise_id", flat=True)) == list(
        day_a.prescriptions.order_by("position").values_list("exercise_id", flat=True)
    )
    assert week_1_a.intensity == "heavy"  # the moderate-heavy squat
    deload_a = next(s for s in sessions if s.week == 4 and s.name == "Day A")
    assert deload_a.intensity == "moderate"


def test_editing_a_template_later_leaves_the_program_alone():
    coach = CoachUserFactory()
    day_a = template_copy(template=library_day(), owner=coach)
    program = program_create(coach=coach, name="Block", weeks=6, slots=[("Day A", day_a)])
    before = list(ProgramPrescription.objects.filter(session__program=program).values())
    day_a.prescriptions.update(sets=9)
    PrescriptionFactory(template=day_a, exercise=ExerciseFactory())
    assert list(ProgramPrescription.objects.filter(session__program=program).values()) == before


@pytest.mark.parametrize(("weeks", "slots_wanted"), [(3, True), (13, True), (6, False)])
def test_a_program_that_cannot_be_built_is_refused_and_nothing_is_saved(weeks, slots_wanted):
    coach = CoachUserFactory()
    template = template_copy(template=library_day(), owner=coach)
    slots = [("Day A", template)] if slots_wanted else []
    with pytest.raises(ValidationError):
        program_create(coach=coach, name="Block", weeks=weeks, slots=slots)
    assert not Program.objects.exists()
    assert SessionTemplate.objects.filter(owner=coach).count() == 1
