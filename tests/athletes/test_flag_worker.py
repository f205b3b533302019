"""Flagging run by a real Celery worker over Redis (not eager): the recheck after a change,
the scan's chunks, two scans at once, and a worker killed in the middle of a scan."""

import datetime as dt
import os
import signal
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from athletes.models import Athlete, Flag
from athletes.services import flag_answers, flagging
from athletes.services.scheduling import session_move
from athletes.tasks import flags_scan, flags_scan_chunk
from coach.celery import app as celery_app
from tests.athletes.factories import athlete_with_a_conflict
from tests.worker import (
    athlete_row_held,
    running_celery_worker,
    unique_queue,
    wait_until,
    wait_until_idle,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30


def flag_keys():
    return sorted(
        Flag.objects.filter(resolved_at__isnull=True).values_list(
            "scheduled_session_id", "run_event_id", "kind"
        )
    )


def test_a_session_moved_to_the_eve_of_a_race_is_flagged_by_the_worker_and_fixed_in_one_click(
    celery_worker_process,
):
    athlete, session, race = athlete_with_a_conflict(days_before_race=3)
    started = time.monotonic()

    session_move(session=session, date=race.starts_at.date() - dt.timedelta(days=1),
                 time_of_day=dt.time(18), by_coach=True)  # fmt: skip
    wait_until(Flag.objects.exists)

    assert time.monotonic() - started < 10
    flag = Flag.objects.get()
    assert (flag.scheduled_session_id, flag.run_event_id) == (session.pk, race.pk)
    assert (flag.severity, flag.hours_before) == ("conflict", 14)
    assert flag.suggested_starts_at == race.starts_at.replace(hour=18) - dt.timedelta(days=2)

    flag_answers.flag_move_to_suggestion(flag=flag)

    flag.refresh_from_db()
    assert not flag.is_open


def test_the_periodic_scan_fans_out_chunks_that_the_worker_runs(celery_worker_process):
    expected = sorted(
        (session.pk, race.pk, "freshness")
        for _, session, race in (athlete_with_a_conflict() for _ in range(3))
    )

    assert flags_scan.delay().get(timeout=TIMEOUT) == 1
    wait_until(lambda: flag_keys() == expected)


def _scan_in_this_process():
    try:
        flagging.flags_scan_all(chunk_size=2)
    finally:
        connection.close()


def test_two_scans_at_once_leave_one_flag_per_conflict(celery_worker_process):
    expected = sorted(
        (session.pk, race.pk, "freshness")
        for _, session, race in (athlete_with_a_conflict() for _ in range(8))
    )

    results = [flags_scan_chunk.delay(first, last) for first, last in flagging.flags_scan_chunks(2)]
    threads = [threading.Thread(target=_scan_in_this_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    for result in results:
        result.get(timeout=TIMEOUT)

    assert flag_keys() == expected
    assert Flag.objects.count() == len(expected)


@pytest.fixture
def killable_worker(tmp_path):
    """A second worker on its own queue, to be killed (the shared one must live on)."""
    queue = unique_queue("coach-test-kill")
    with running_celery_worker(queue, tmp_path / "worker.log") as worker:
        yield worker, queue


def test_a_worker_killed_mid_scan_and_the_scan_rerun_leaves_exactly_the_right_flags(
    celery_worker_process, killable_worker
):
    worker, queue = killable_worker
    conflicts = [athlete_with_a_conflict() for _ in range(30)]
    expected = sorted((session.pk, race.pk, "freshness") for _, session, race in conflicts)
    # A flag whose conflict went away before the scan: the scan must resolve it.
    _, moved, moved_race = conflicts[0]
    stale = Flag.objects.create(
        athlete=moved.athlete, scheduled_session=moved, run_event=moved_race, kind="freshness",
        severity="conflict", hours_before=14, session_ends_at=moved.starts_at,
        event_starts_at=moved_race.starts_at, event_name="Old",
    )  # fmt: skip
    moved.date -= dt.timedelta(days=3)
    moved.starts_at -= dt.timedelta(days=3)
    moved.save()
    expected.remove((moved.pk, moved_race.pk, "freshness"))

    # The worker stops at the 16th athlete, whose row this test holds.
    chunks = flagging.flags_scan_chunks(chunk_size=1)
    with athlete_row_held(conflicts[15][0].pk):
        for first, last in chunks:
            flags_scan_chunk.apply_async((first, last), queue=queue)
        # The stale flag, and one for each of the 14 athletes before the held one.
        wait_until(lambda: Flag.objects.count() == 15)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    assert Flag.objects.count() == 15, "killed in the middle of the scan"

    for result in [flags_scan_chunk.delay(first, last) for first, last in chunks]:
        result.get(timeout=TIMEOUT)

    assert flag_keys() == expected
    assert Flag.objects.count() == len(expected) + 1
    stale.refresh_from_db()
    assert stale.resolved_at is not None


def test_with_the_demo_data_a_heavy_session_moved_to_a_key_run_eve_is_flagged_and_fixed(
    celery_worker_process,
):
    call_command("load_demo", stdout=StringIO())
    # load_demo's own rechecks first: the clock below times the move's recheck alone.
    wait_until_idle(celery_app.conf.task_default_queue)
    athlete = Athlete.objects.get(user__username="athlete")
    # Key intervals (Tuesday 18:00) at least two days ahead, and the heavy session after them
    # (Wednesday's Day A), moved to the evening before the intervals, under 24 h before them.
    intervals = athlete.run_events.filter(
        is_key=True, starts_at__gt=timezone.now() + dt.timedelta(days=2)
    ).first()
    session = athlete.scheduled_sessions.filter(
        intensity="heavy", status="planned", starts_at__gt=intervals.starts_at
    ).first()
    intervals_eve = intervals.starts_at.astimezone(athlete.tz).date() - dt.timedelta(days=1)
    started = time.monotonic()

    session_move(
        session=session, date=intervals_eve, time_of_day=session.time_of_day, by_coach=True
    )
    open_conflict = Flag.objects.filter(
        scheduled_session=session, run_event=intervals, resolved_at__isnull=True
    )
    wait_until(open_conflict.exists)

    assert time.monotonic() - started < 10
    flag = open_conflict.get()
    assert flag.severity == "conflict" and flag.suggested_starts_at is not None
    flag_answers.flag_move_to_suggestion(flag=flag)
    flag.refresh_from_db()
    assert not flag.is_open
    session.refresh_from_db()
    assert session.starts_at == flag.suggested_starts_at
    wait_until_idle(celery_app.conf.task_default_queue)  # the worker's recheck after the move
    assert not session.flags.filter(resolved_at__isnull=True).exists()
