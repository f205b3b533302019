"""Athletes' rules hold in the database itself: the freshness window, races with a priority,
one logged set per set and side, RPE on a 1–10 scale, and deletes that would lose training."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from athletes.models import Flag, SetLog, TransferTest
from tests.athletes.factories import (
    AssignmentFactory,
    AthleteFactory,
    RaceFactory,
    RunEventFactory,
    ScheduledSessionFactory,
)
from tests.programs.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def refused(constraint):
    return pytest.raises(IntegrityError, match=constraint)


def make_set_log(session=None, **fields):
    session = session or ScheduledSessionFactory()
    values = {"exercise": fields.pop("exercise", None) or ExerciseFactory(), "set_number": 1}
    values.update({"reps": 5, **fields})
    return SetLog.objects.create(id=uuid.uuid4(), scheduled_session=session, **values)


def make_flag(session=None, event=None, **fields):
    session = session or ScheduledSessionFactory()
    event = event or RaceFactory(athlete=session.athlete)
    values = {
        "severity": "warning",
        "hours_before": 30,
        "session_ends_at": session.starts_at,
        "event_starts_at": event.starts_at,
        **fields,
    }
    return Flag.objects.create(
        athlete=session.athlete, scheduled_session=session, run_event=event, **values
    )


def make_transfer_test(**fields):
    values = {"kind": "sprint", "date": dt.date(2026, 11, 2), "value": "8.2", **fields}
    return TransferTest.objects.create(athlete=AthleteFactory(), **values)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"freshness_window_hours": 23}, "athlete_freshness_window_24_to_96"),
        ({"freshness_window_hours": 97}, "athlete_freshness_window_24_to_96"),
        ({"unit": "st"}, "athlete_unit_valid"),
    ],
)
def test_an_athlete_profile_breaking_a_rule_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        AthleteFactory(**fields)


@pytest.mark.parametrize("hours", [24, 36, 96])
def test_a_freshness_window_from_24_to_96_hours_is_accepted(hours):
    assert AthleteFactory(freshness_window_hours=hours).pk


@pytest.mark.parametrize(
    ("make", "fields", "constraint"),
    [
        (RaceFactory, {"priority": ""}, "run_event_race_has_priority"),
        (RaceFactory, {"priority": "D"}, "run_event_race_has_priority"),
        (RunEventFactory, {"priority": "A"}, "run_event_only_races_have_priority"),
        (RunEventFactory, {"kind": "swim", "name": "Swim"}, "run_event_kind_valid"),
        (RunEventFactory, {"duration_minutes": 0}, "run_event_duration_range"),
        (RunEventFactory, {"kind": "easy", "is_key": True}, "run_event_easy_run_is_never_key"),
        (RaceFactory, {"distance_m": 0}, "run_event_distance_range"),
    ],
)
def test_a_run_event_breaking_a_rule_is_refused(make, fields, constraint):
    with refused(constraint), transaction.atomic():
        make(**fields)


def test_an_imported_event_is_stored_once_per_athlete():
    event = RunEventFactory(external_uid="race-42@club")
    RunEventFactory(external_uid="race-42@club")  # another athlete's calendar
    RunEventFactory(athlete=event.athlete, external_uid="")
    RunEventFactory(athlete=event.athlete, external_uid="")  # hand-made events have no uid
    with refused("run_event_external_uid_unique"), transaction.atomic():
        RunEventFactory(athlete=event.athlete, external_uid="race-42@club")


def test_a_program_is_assigned_once_per_start_date():
    assignment = AssignmentFactory()
    with refused("assignment_unique_per_start"), transaction.atomic():
        AssignmentFactory(athlete=assignment.athlete, program=assignment.program)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"status": "done"}, "scheduled_session_status_valid"),
        ({"intensity": "brutal"}, "scheduled_session_intensity_valid"),
        ({"session_rpe": 11}, "scheduled_session_rpe_1_to_10"),
        ({"session_rpe": 0}, "scheduled_session_rpe_1_to_10"),
        ({"actual_minutes": 601}, "scheduled_session_actual_minutes_range"),
        ({"status": "skipped", "skip_reason": ""}, "scheduled_session_skip_needs_reason"),
    ],
)
def test_a_scheduled_session_breaking_a_rule_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        ScheduledSessionFactory(**fields)


def test_a_program_session_is_scheduled_once_per_assignment():
    session = ScheduledSessionFactory()
    with refused("scheduled_session_once_per_assignment"), transaction.atomic():
        ScheduledSessionFactory(
            athlete=session.athlete,
            assignment=session.assignment,
            program_session=session.program_session,
        )


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"rpe": "11"}, "set_log_rpe_1_to_10"),
        ({"rpe": "0.5"}, "set_log_rpe_1_to_10"),
        ({"set_number": 0}, "set_log_set_number_range"),
        ({"set_number": 31}, "set_log_set_number_range"),
        ({"side": "up"}, "set_log_side_valid"),
        ({"reps": 101}, "set_log_reps_at_most_100"),
        (
            {"load_kg": "-2.5", "load_entered": "-2.5", "load_unit": "kg"},
            "set_log_load_0_to_500_kg",
        ),
        (
            {"load_kg": "500.5", "load_entered": "500.5", "load_unit": "kg"},
            "set_log_load_0_to_500_kg",
        ),
        ({"load_kg": "60"}, "set_log_load_kept_as_entered"),
        (
            {"load_kg": "60", "load_entered": "60", "load_unit": "st"},
            "set_log_load_kept_as_entered",
        ),
        ({"load_unit": "kg"}, "set_log_load_kept_as_entered"),
        (
            {"load_kg": "60", "load_entered": "60.5", "load_unit": "kg"},
            "set_log_load_entered_in_kg_is_the_load",
        ),
        ({"reps": None, "hold_seconds": 601}, "set_log_hold_at_most_10_min"),
        ({"reps": None, "hold_seconds": None}, "set_log_reps_or_hold"),
    ],
)
def test_a_set_log_breaking_a_rule_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        make_set_log(**fields)


def test_a_set_is_logged_once_per_side():
    first = make_set_log(side="left")
    make_set_log(first.scheduled_session, exercise=first.exercise, side="right")
    with refused("set_log_one_per_set_and_side"), transaction.atomic():
        make_set_log(first.scheduled_session, exercise=first.exercise, side="left")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": "fatigue"}, "flag_kind_valid"),
        ({"severity": "info"}, "flag_severity_valid"),
    ],
)
def test_a_flag_breaking_a_rule_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        make_flag(**fields)


def test_a_session_is_flagged_once_per_event_and_kind():
    flag = make_flag()
    make_flag(flag.scheduled_session, flag.run_event, kind="taper")
    with refused("flag_one_per_session_event_kind"), transaction.atomic():
        make_flag(flag.scheduled_session, flag.run_event)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"value": "0"}, "transfer_test_value_positive"),
        ({"kind": "tempo_rpe", "value": "11"}, "transfer_test_rpe_1_to_10"),
        ({"kind": "vo2max"}, "transfer_test_kind_valid"),
    ],
)
def test_a_transfer_test_breaking_a_rule_is_refused(fields, constraint):
    with refused(constraint), transaction.atomic():
        make_transfer_test(**fields)


def test_a_session_with_logged_sets_cannot_be_deleted():
    set_log = make_set_log()
    with pytest.raises(ProtectedError):
        set_log.scheduled_session.delete()


def test_an_exercise_with_logged_sets_cannot_be_deleted():
    set_log = make_set_log()
    with pytest.raises(ProtectedError):
        set_log.exercise.delete()


def test_an_athlete_with_scheduled_sessions_cannot_be_deleted():
    session = ScheduledSessionFactory()
    with pytest.raises(ProtectedError):
        session.athlete.delete()
    with pytest.raises(ProtectedError):
        session.athlete.user.delete()


def test_an_assigned_program_cannot_be_deleted():
    session = ScheduledSessionFactory()
    with pytest.raises(ProtectedError):
        session.assignment.program.delete()
