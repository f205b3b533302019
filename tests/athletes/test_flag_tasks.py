"""The flag tasks are safe to run late, twice, or again after a database hiccup."""

from unittest import mock

import pytest
from django.db import OperationalError

from athletes import tasks
from athletes.services.flagging import FlagCheckResult

FLAG_TASKS = [
    tasks.flags_refresh_for_athlete,
    tasks.flags_scan_chunk,
    tasks.flags_scan,
    tasks.flags_digest_send,
]


@pytest.mark.parametrize("task", FLAG_TASKS, ids=lambda task: task.name)
def test_flag_tasks_are_acknowledged_late_and_retried_with_backoff_on_database_errors(task):
    assert task.acks_late is True
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff and task.max_retries


def test_a_recheck_that_loses_its_database_connection_is_retried():
    flaky = mock.Mock(side_effect=[OperationalError("server closed the connection"),
                                   FlagCheckResult(athletes=1, raised=1)])  # fmt: skip

    with mock.patch("athletes.services.flagging.flags_refresh_for_athlete", flaky):
        result = tasks.flags_refresh_for_athlete.apply(args=(7,))

    assert result.get() == {"athletes": 1, "raised": 1, "updated": 0, "resolved": 0}
    assert flaky.call_count == 2


def test_the_beat_schedule_runs_the_scan_and_the_digest(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {tasks.flags_scan.name, tasks.flags_digest_send.name} <= scheduled
