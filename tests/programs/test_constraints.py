"""The library's rules hold in the database itself: a row that breaks one is refused even when
it skips forms and services (a shell, a script, a bug)."""

import pytest
from django.db import IntegrityError, transaction

from programs.models import Exercise
from tests.coach.factories import CoachUserFactory
from tests.programs.factories import (
    ExerciseFactory,
    PrescriptionFactory,
    ProgramFactory,
    ProgramSessionFactory,
    ProgramSlotFactory,
    SessionTemplateFactory,
)

pytestmark = pytest.mark.django_db

# (fields that break the rule, the constraint that refuses them); the table name is prefixed.
BAD_PRESCRIPTIONS = [
    ({"reps_min": 8, "reps_max": 6}, "reps_min_le_max"),
    ({"sets": 0}, "sets_1_to_20"),
    ({"sets": 21}, "sets_1_to_20"),
    ({"reps_min": None, "reps_max": None, "hold_seconds": None}, "reps_or_hold"),
    ({"reps_min": None, "reps_max": 8}, "reps_min_le_max"),
    ({"reps_min": 0, "reps_max": None}, "reps_min_range"),
    ({"reps_min": 6, "reps_max": 101}, "reps_max_range"),
    ({"reps_min": None, "reps_max": None, "hold_seconds": 0}, "hold_range"),
    ({"reps_min": None, "reps_max": None, "hold_seconds": 601}, "hold_range"),
    ({"rest_seconds": 901}, "rest_at_most_15_min"),
    ({"block": "cooldown"}, "block_valid"),
    ({"load_kind": "kg"}, "load_kind_valid"),
    ({"load_kind": "percent_1rm", "load_percent_1rm": "100.5"}, "percent_1rm_range"),
    ({"load_kind": "percent_1rm", "load_percent_1rm": "0"}, "percent_1rm_range"),
    ({"load_kind": "percent_1rm", "load_percent_1rm": None}, "percent_needs_value"),
    ({"load_kind": "rpe", "load_rpe": "10.5"}, "rpe_range"),
    ({"load_kind": "rpe", "load_rpe": "0.5"}, "rpe_range"),
    ({"load_kind": "rpe", "load_rpe": None}, "rpe_needs_value"),
    ({"load_kind": "words", "load_text": ""}, "words_needs_text"),
]

GOOD_PRESCRIPTIONS = [
    {"reps_min": 8, "reps_max": 8},
    {"reps_min": 8, "reps_max": None},
    {"reps_min": None, "reps_max": None, "hold_seconds": 30},
    {"sets": 1},
    {"sets": 20},
    {"load_kind": "percent_1rm", "load_percent_1rm": "100"},
    {"load_kind": "rpe", "load_rpe": "10"},
    {"load_kind": "words", "load_text": "moderate-heavy"},
]


def refused(constraint):
    """Expect the database to refuse a write, naming `constraint`."""
    return pytest.raises(IntegrityError, match=constraint)


def make_program_prescription(**fields):
    from programs.models import ProgramPrescription

    values = {"sets": 3, "reps_min": 6, "reps_max": 8, **fields}
    return ProgramPrescription.objects.create(
        session=ProgramSessionFactory(), exercise=ExerciseFactory(), **values
    )


PRESCRIPTION_MODELS = [
    pytest.param(PrescriptionFactory, "prescription_", id="template"),
    pytest.param(make_program_prescription, "programprescription_", id="program"),
]


@pytest.mark.parametrize(("make", "prefix"), PRESCRIPTION_MODELS)
@pytest.mark.parametrize(("fields", "constraint"), BAD_PRESCRIPTIONS)
def test_a_prescription_breaking_a_rule_is_refused(make, prefix, fields, constraint):
    with refused(prefix + constraint), transaction.atomic():
        make(**fields)


@pytest.mark.parametrize(("make", "prefix"), PRESCRIPTION_MODELS)
@pytest.mark.parametrize("fields", GOOD_PRESCRIPTIONS)
def test_a_prescription_at_the_edge_of_a_rule_is_accepted(make, prefix, fields):
    assert make(**fields).pk


def test_exercise_names_are_unique_ignoring_case():
    ExerciseFactory(name="Back squat")
    with refused("exercise_name_unique_ci"), transaction.atomic():
        ExerciseFactory(name="BACK SQUAT")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"category": "cardio"}, "exercise_category_valid"),
        ({"measure": "weight"}, "exercise_measure_valid"),
        ({"status": "draft"}, "exercise_status_valid"),
    ],
)
def test_an_exercise_outside_the_choices_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        ExerciseFactory(**fields)


def test_library_template_names_are_unique_ignoring_case():
    SessionTemplateFactory(owner=None, name="Day A")
    with refused("template_name_unique_in_library"), transaction.atomic():
        SessionTemplateFactory(owner=None, name="day a")


def test_a_coachs_template_names_are_unique_for_that_coach_only():
    coach = CoachUserFactory()
    SessionTemplateFactory(owner=coach, name="Day A")
    SessionTemplateFactory(owner=None, name="Day A")
    SessionTemplateFactory(name="Day A")  # another coach's
    with refused("template_name_unique_per_owner"), transaction.atomic():
        SessionTemplateFactory(owner=coach, name="DAY A")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"target_minutes": 4}, "template_target_minutes_range"),
        ({"target_minutes": 181}, "template_target_minutes_range"),
        ({"intensity_override": "extreme"}, "template_intensity_override_valid"),
    ],
)
def test_a_template_breaking_a_rule_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        SessionTemplateFactory(**fields)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"weeks": 3}, "program_weeks_4_to_12"),
        ({"weeks": 13}, "program_weeks_4_to_12"),
        ({"load_step_percent_1rm": "10.5"}, "program_load_step_percent_range"),
        ({"load_step_percent_1rm": "-1"}, "program_load_step_percent_range"),
        ({"load_step_rpe": "2.5"}, "program_load_step_rpe_range"),
    ],
)
def test_a_program_breaking_a_rule_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        ProgramFactory(**fields)


def test_a_coachs_program_names_are_unique_ignoring_case():
    program = ProgramFactory(name="5K strength block")
    with refused("program_name_unique_per_coach"), transaction.atomic():
        ProgramFactory(coach=program.coach, name="5k Strength Block")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"number": 0}, "program_week_number_range"),
        ({"kind": "peak"}, "program_week_kind_valid"),
        ({"volume_percent": 10}, "program_week_volume_range"),
        ({"volume_percent": 151}, "program_week_volume_range"),
        ({"sets_delta": 6}, "program_week_sets_delta_range"),
        ({"reps_delta": -11}, "program_week_reps_delta_range"),
    ],
)
def test_a_program_week_breaking_a_rule_is_refused(fields, constraint):
    from programs.models import ProgramWeek

    with refused(constraint), transaction.atomic():
        ProgramWeek.objects.create(program=ProgramFactory(), **{"number": 1, **fields})


def test_a_program_has_one_session_per_slot_and_week():
    session = ProgramSessionFactory(week=2)
    with refused("program_session_unique_per_week"), transaction.atomic():
        ProgramSessionFactory(program=session.program, slot=session.slot, week=2)


def test_a_program_session_needs_a_known_intensity():
    with refused("program_session_intensity_valid"), transaction.atomic():
        ProgramSessionFactory(intensity="brutal")


def test_exercise_factory_rows_are_valid_exercises():
    exercise = ExerciseFactory()
    exercise.full_clean()
    assert exercise.status == Exercise.Status.PUBLISHED
    ProgramSlotFactory()  # a slot with its own template and program is a valid row too
