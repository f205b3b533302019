"""A worker killed in the middle of a flag scan: the chunk it held goes back on the queue when
the broker's visibility timeout ends, and a new worker completes the flags."""

import os
import signal
import time

import pytest
from django.conf import settings
from django.db import connection

from athletes.models import Flag
from athletes.tasks import RETRIED_ON_DATABASE_ERRORS, flags_scan
from tests.athletes.factories import athlete_with_a_conflict
from tests.faults.drill import DRILL_WORKER_ENV
from tests.worker import athlete_row_held, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

FLAGS_COMPLETE_WITHIN = 120  # seconds after the kill


def test_a_killed_workers_task_is_handed_out_again_well_within_two_minutes():
    """The production settings: a task taken by a worker that died goes back on the queue when
    the visibility timeout ends, is found by the next restore check and run (a scan chunk takes
    about a second), inside two minutes. Nothing a worker holds — a running task, a retry
    waiting for its countdown — outlasts the visibility timeout, or it would be run twice."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    visibility = options["visibility_timeout"]
    restore_check = options["unacked_restore_interval"] * options["unacked_restore_throttle"]

    assert visibility + restore_check <= 90
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    assert RETRIED_ON_DATABASE_ERRORS["retry_backoff_max"] < visibility


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_scan_leaves_no_flag_missing_once_another_worker_runs(
    start_worker, drill_redis
):
    conflicts = [athlete_with_a_conflict() for _ in range(12)]
    expected = sorted((session.pk, race.pk) for _, session, race in conflicts)
    # The scan goes two athletes a chunk; the first worker stops in the third chunk, on the
    # athlete whose row this test holds, so it is surely killed with that chunk in hand.
    with athlete_row_held(conflicts[4][0].pk):
        first = start_worker("first", env={"FLAG_SCAN_CHUNK_SIZE": "2"})
        flags_scan.delay()
        wait_until(lambda: Flag.objects.count() == 4 and _waiting_on_a_lock(), timeout=60)
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait()
        killed = time.monotonic()
    start_worker("second", env={"FLAG_SCAN_CHUNK_SIZE": "2"})

    wait_until(
        lambda: (
            sorted(Flag.objects.values_list("scheduled_session_id", "run_event_id")) == expected
        ),
        timeout=FLAGS_COMPLETE_WITHIN,
        message="flags were still missing two minutes after the kill",
    )
    print(
        f"worker killed mid-scan: {len(expected)} of {len(expected)} flags present "
        f"{time.monotonic() - killed:.1f} s after the kill (drill visibility timeout "
        f"{DRILL_WORKER_ENV['BROKER_VISIBILITY_TIMEOUT']} s)"
    )
