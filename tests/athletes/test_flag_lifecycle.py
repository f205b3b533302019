"""Flags in the database: raised, updated, resolved, acknowledged and raised again — by the same
check whether it runs for one athlete (a recheck) or a chunk of athletes (the scan)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from athletes import tasks
from athletes.models import Flag, ScheduledSession
from athletes.services import flag_answers, flagging
from athletes.services.logging import session_skip
from athletes.services.run_events import run_event_delete, run_event_update
from athletes.services.scheduling import session_move
from coach.celery import app as celery_app
from outbox.models import OutboxMessage
from tests.athletes.factories import (
    AthleteFactory,
    RaceFactory,
    RunEventFactory,
    ScheduledSessionFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)  # Tuesday
SATURDAY, SUNDAY = dt.date(2026, 11, 14), dt.date(2026, 11, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def london(date, hour):
    return dt.datetime.combine(date, dt.time(hour), tzinfo=LONDON)


def athlete_without_password(**fields):
    """Users that never sign in here skip the (slow, on purpose) password hashing."""
    return AthleteFactory(user__password=None, coach__password=None, **fields)


@pytest.fixture
def athlete():
    return athlete_without_password(time_zone="Europe/London")


@pytest.fixture
def race(athlete):
    return RaceFactory(athlete=athlete, name="City 10K", priority="B", starts_at=london(SUNDAY, 9))


def heavy_session(athlete, date=SATURDAY, hour=18, **fields):
    return ScheduledSessionFactory(athlete=athlete, date=date, time_of_day=dt.time(hour), **fields)


def refresh(athlete):
    return flagging.flags_refresh_for_athlete(athlete.pk)


def test_heavy_session_the_evening_before_a_race_is_a_conflict_with_a_better_day(athlete, race):
    session = heavy_session(athlete)

    result = refresh(athlete)

    flag = Flag.objects.get()
    assert result.raised == 1
    assert (flag.scheduled_session, flag.run_event, flag.kind) == (session, race, "freshness")
    assert (flag.severity, flag.hours_before, flag.event_name) == ("conflict", 14, "City 10K")
    assert flag.session_ends_at == london(SATURDAY, 19)
    assert flag.event_starts_at == race.starts_at
    assert flag.suggested_starts_at == london(dt.date(2026, 11, 13), 18)  # Friday, 38 h before
    assert flag.raised_at == NOW and flag.is_open
    assert flag.acknowledged_at is None and flag.notified_at is None


def test_moving_the_session_out_of_the_window_resolves_the_flag(athlete, race):
    session = heavy_session(athlete)
    refresh(athlete)

    session_move(session=session, date=dt.date(2026, 11, 12), time_of_day=None, by_coach=True)
    result = refresh(athlete)

    assert result.resolved == 1
    assert Flag.objects.get().resolved_at == NOW


def test_moving_the_session_within_the_window_updates_the_same_flag(athlete, race):
    session = heavy_session(athlete)
    refresh(athlete)

    session_move(session=session, date=SATURDAY, time_of_day=dt.time(7), by_coach=True)
    result = refresh(athlete)

    flag = Flag.objects.get()
    assert (result.raised, result.updated) == (0, 1)
    assert (flag.severity, flag.hours_before, flag.is_open) == ("warning", 25, True)


def test_deleting_the_race_resolves_the_flag(athlete, race):
    heavy_session(athlete)
    refresh(athlete)

    run_event_delete(event=race)
    refresh(athlete)

    flag = Flag.objects.get()
    assert flag.resolved_at == NOW
    assert flag.run_event is None and flag.event_name == "City 10K"


def test_a_key_run_made_not_key_resolves_the_flag(athlete):
    intervals = RunEventFactory(
        athlete=athlete, kind="interval", is_key=True, starts_at=london(SUNDAY, 9)
    )
    heavy_session(athlete)
    refresh(athlete)
    assert Flag.objects.get().is_open

    run_event_update(event=intervals, is_key=False)
    refresh(athlete)

    assert not Flag.objects.get().is_open


def test_skipping_the_session_resolves_the_flag(athlete, race):
    session = heavy_session(athlete)
    refresh(athlete)

    session_skip(athlete=athlete, session_id=session.pk, skip_reason="Racing")
    refresh(athlete)

    assert not Flag.objects.get().is_open


def test_a_wider_window_raises_a_warning_and_a_narrower_one_resolves_it(athlete, race):
    heavy_session(athlete, date=dt.date(2026, 11, 13))  # Friday: ends 38 h before the race
    assert refresh(athlete).raised == 0

    athlete.freshness_window_hours = 48
    athlete.save()
    refresh(athlete)
    flag = Flag.objects.get()
    assert (flag.severity, flag.hours_before) == ("warning", 38)

    athlete.freshness_window_hours = 36
    athlete.save()
    refresh(athlete)
    assert not Flag.objects.get().is_open


def test_non_heavy_sessions_and_easy_runs_raise_nothing(athlete):
    RunEventFactory(athlete=athlete, kind="easy", starts_at=london(SUNDAY, 9))
    heavy_session(athlete)
    RaceFactory(athlete=athlete, starts_at=london(dt.date(2026, 11, 22), 9), priority="B")
    ScheduledSessionFactory(
        athlete=athlete, date=dt.date(2026, 11, 21), time_of_day=dt.time(18), intensity="light"
    )

    refresh(athlete)

    assert not Flag.objects.exists()


def test_the_scan_leaves_sessions_past_its_horizon_to_the_recheck(athlete, settings):
    settings.FLAG_SCAN_HORIZON_DAYS = 7
    RaceFactory(athlete=athlete, starts_at=london(dt.date(2026, 11, 22), 9), priority="B")
    heavy_session(athlete, date=dt.date(2026, 11, 21))  # 11 days away

    assert flagging.flags_scan_all().raised == 0
    assert refresh(athlete).raised == 1
    assert flagging.flags_scan_all().resolved == 0
    assert Flag.objects.get().is_open


def test_a_session_that_already_started_is_not_flagged(athlete):
    RaceFactory(athlete=athlete, starts_at=london(dt.date(2026, 11, 11), 9), priority="B")
    heavy_session(athlete, date=dt.date(2026, 11, 10), hour=11)  # this morning

    refresh(athlete)
    flagging.flags_scan_all()

    assert not Flag.objects.exists()


def test_an_acknowledged_flag_stays_acknowledged_across_checks(athlete, race):
    heavy_session(athlete)
    refresh(athlete)

    flag = flag_answers.flag_acknowledge(flag=Flag.objects.get())
    refresh(athlete)
    flagging.flags_scan_all()

    flag.refresh_from_db()
    assert flag.acknowledged_at == NOW and flag.is_open


def test_moving_an_acknowledged_session_again_asks_again(athlete, race):
    session = heavy_session(athlete)
    refresh(athlete)
    flag_answers.flag_acknowledge(flag=Flag.objects.get())
    Flag.objects.update(notified_at=NOW)

    session_move(session=session, date=SATURDAY, time_of_day=dt.time(20), by_coach=True)
    refresh(athlete)

    flag = Flag.objects.get()
    assert flag.is_open and flag.hours_before == 12
    assert flag.acknowledged_at is None and flag.notified_at is None


def test_a_resolved_flag_is_raised_again_when_the_session_moves_back(athlete, race):
    session = heavy_session(athlete)
    refresh(athlete)
    Flag.objects.update(notified_at=NOW)
    session_move(session=session, date=dt.date(2026, 11, 12), time_of_day=None, by_coach=True)
    refresh(athlete)

    later = NOW + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        session_move(session=session, date=SATURDAY, time_of_day=None, by_coach=True)
        result = refresh(athlete)

    flag = Flag.objects.get()
    assert result.raised == 1
    assert flag.is_open and flag.raised_at == later and flag.notified_at is None


def test_a_check_run_twice_changes_nothing_the_second_time(athlete, race):
    heavy_session(athlete)
    heavy_session(athlete, hour=7)
    first = flagging.flags_scan_all()

    before = list(Flag.objects.values())
    second = flagging.flags_scan_all()

    assert (first.raised, second.raised, second.updated, second.resolved) == (2, 0, 0, 0)
    assert list(Flag.objects.values()) == before


def test_a_heavy_session_in_an_a_races_taper_is_a_taper_warning(athlete):
    RaceFactory(athlete=athlete, priority="A", starts_at=london(dt.date(2026, 11, 22), 9))
    heavy_session(athlete, date=dt.date(2026, 11, 16))

    refresh(athlete)

    flag = Flag.objects.get()
    assert (flag.kind, flag.severity) == ("taper", "warning")
    assert flag.suggested_starts_at == london(dt.date(2026, 11, 11), 18)  # 10 days + 14 h before


def test_a_week_one_session_is_never_suggested_before_its_program_starts(athlete):
    # The program starts on Monday 16 November; its Monday session ends 14 h before Tuesday's
    # race. Sunday 15th would be clear, but the program has not started then.
    tuesday_race = london(dt.date(2026, 11, 17), 9)
    RaceFactory(athlete=athlete, name="City 10K", priority="B", starts_at=tuesday_race)
    heavy_session(athlete, date=dt.date(2026, 11, 16), assignment__start_date=dt.date(2026, 11, 16))

    refresh(athlete)

    flag = Flag.objects.get()
    assert flag.suggested_starts_at == london(dt.date(2026, 11, 18), 18)
    assert flag.suggestion_reason == (
        "In its program week, the day after City 10K, no race or key session in the next days"
    )


def riverside_taper_in_week_one(athlete):
    """Thursday 18:00 of week 1, in the taper before Saturday's A race. The rest of the week is
    in the taper too, Saturday is race day, the program has not started before Monday, and no
    day after the goal race will do: no better day."""
    RaceFactory(athlete=athlete, name="Riverside 5K", starts_at=london(dt.date(2026, 11, 21), 10))
    return heavy_session(
        athlete, date=dt.date(2026, 11, 19), assignment__start_date=dt.date(2026, 11, 16)
    )


def test_a_taper_flag_with_no_day_before_its_a_race_says_lighten_or_skip(athlete):
    riverside_taper_in_week_one(athlete)

    refresh(athlete)

    flag = Flag.objects.get()
    assert flag.kind == "taper"
    assert flag.suggested_starts_at is None
    assert flag.suggestion_reason == (
        "No clear day before Riverside 5K in this block: lighten it or skip it"
    )


def test_a_better_day_stays_inside_the_block(athlete):
    # A 6-week block from Monday 16 November ends on Sunday 27 December. Its last Saturday
    # ends 14 h before Sunday's B race; Friday is within 48 h of Thursday's session. Monday 28th
    # after the race would be clear, but it is past the block: Tuesday 22nd it is.
    RaceFactory(athlete=athlete, name="Park 10K", priority="B",
                starts_at=london(dt.date(2026, 12, 27), 9))  # fmt: skip
    saturday = heavy_session(
        athlete, date=dt.date(2026, 12, 26), assignment__start_date=dt.date(2026, 11, 16)
    )
    heavy_session(athlete, date=dt.date(2026, 12, 24), assignment=saturday.assignment,
                  intensity="light")  # fmt: skip

    refresh(athlete)

    flag = Flag.objects.get()
    assert saturday.assignment.program.weeks == 6
    assert flag.suggested_starts_at == london(dt.date(2026, 12, 22), 18)


@pytest.mark.parametrize(
    ("date", "span"),
    [
        (dt.date(2026, 11, 18), (dt.date(2026, 11, 16), dt.date(2026, 11, 24))),  # week 1
        (dt.date(2026, 11, 25), (dt.date(2026, 11, 19), dt.date(2026, 12, 1))),  # week 2
        (dt.date(2026, 12, 2), (dt.date(2026, 11, 26), dt.date(2026, 12, 6))),  # the last
    ],
)
def test_a_better_day_lies_in_the_block_between_the_sessions_of_its_slot(date, span):
    # A three-week block from Monday 16 November; its Day A on the Wednesdays.
    day_a = [dt.date(2026, 11, 18), dt.date(2026, 11, 25), dt.date(2026, 12, 2)]

    assert flagging.better_day_span(date, dt.date(2026, 11, 16), dt.date(2026, 12, 6), day_a) == (
        span
    )


def test_a_better_day_never_takes_a_session_back_past_the_one_before_it_in_its_slot(athlete):
    # Day A of week 2 moved to Saturday 5 December, the eve of a B race, after week 3's Day A
    # (Friday 4th). Its program week (23–29 November) would come first, but that is before
    # week 3's Day A: the block keeps its order, and the better day is after the race.
    RaceFactory(athlete=athlete, name="Park 10K", priority="B",
                starts_at=london(dt.date(2026, 12, 6), 9))  # fmt: skip
    moved = heavy_session(
        athlete,
        date=dt.date(2026, 12, 5),
        assignment__start_date=dt.date(2026, 11, 16),
        program_session__week=2,
    )
    heavy_session(athlete, date=dt.date(2026, 12, 4), assignment=moved.assignment,
                  program_session__slot=moved.program_session.slot, program_session__week=3,
                  intensity="light")  # fmt: skip

    refresh(athlete)

    (flag,) = Flag.objects.filter(scheduled_session=moved)
    assert flag.suggested_starts_at.date() > dt.date(2026, 12, 5)


def test_moving_to_the_suggestion_resolves_the_flag(
    athlete, race, django_capture_on_commit_callbacks
):
    session = heavy_session(athlete)
    refresh(athlete)

    with django_capture_on_commit_callbacks(execute=True):  # what follows the move's commit
        moved = flag_answers.flag_move_to_suggestion(flag=Flag.objects.get())

    session.refresh_from_db()
    assert moved == session
    assert (session.date, session.time_of_day) == (dt.date(2026, 11, 13), dt.time(18))
    assert session.starts_at == london(dt.date(2026, 11, 13), 18)
    assert not Flag.objects.get().is_open


def test_moving_to_the_suggestion_checks_the_athlete_once_now_and_once_by_the_worker(
    athlete, race, monkeypatch, django_capture_on_commit_callbacks
):
    heavy_session(athlete)
    refresh(athlete)
    checks, check = [], flagging.flags_refresh_for_athlete
    monkeypatch.setattr(
        flagging, "flags_refresh_for_athlete", lambda pk: checks.append(pk) or check(pk)
    )
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # the worker, in this process

    with django_capture_on_commit_callbacks() as after_commit:
        flag_answers.flag_move_to_suggestion(flag=Flag.objects.get())
        assert checks == [], "nothing is checked before the move commits"
    assert OutboxMessage.objects.get(task=tasks.flags_refresh_for_athlete.name).args == [athlete.pk]
    for callback in after_commit:
        callback()

    assert checks == [athlete.pk, athlete.pk]
    assert not OutboxMessage.objects.exists()


def test_moving_without_a_suggestion_is_refused_and_changes_nothing(athlete):
    session = riverside_taper_in_week_one(athlete)
    refresh(athlete)

    with pytest.raises(ValidationError, match="No clear day before Riverside 5K in this block"):
        flag_answers.flag_move_to_suggestion(flag=Flag.objects.get())

    assert ScheduledSession.objects.get().date == session.date


def test_acknowledging_a_resolved_flag_is_refused(athlete, race):
    heavy_session(athlete)
    refresh(athlete)
    Flag.objects.update(resolved_at=NOW)

    with pytest.raises(ValidationError, match="already resolved"):
        flag_answers.flag_acknowledge(flag=Flag.objects.get())


def test_rechecking_an_athlete_that_does_not_exist_does_nothing():
    assert flagging.flags_refresh_for_athlete(987654).athletes == 0


def test_a_chunk_check_takes_the_same_queries_for_2_or_20_athletes():
    def athletes_with_a_conflict(count):
        athletes = [athlete_without_password() for _ in range(count)]
        for each in athletes:
            RaceFactory(athlete=each, starts_at=london(SUNDAY, 9), priority="B")
            heavy_session(each)
            heavy_session(each, date=dt.date(2026, 11, 12), intensity="light")
        return athletes[0].pk, athletes[-1].pk

    counts = []
    for count in (2, 20):
        first, last = athletes_with_a_conflict(count)
        with CaptureQueriesContext(connection) as queries:
            result = flagging.flags_scan_chunk(first, last)
        assert result.raised == count
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 8


def test_a_recheck_takes_at_most_10_queries(athlete, race):
    heavy_session(athlete)
    refresh(athlete)
    heavy_session(athlete, date=dt.date(2026, 11, 16))

    with CaptureQueriesContext(connection) as queries:
        refresh(athlete)

    assert len(queries) <= 10
