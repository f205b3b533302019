"""The drills' own plumbing: after a drill, this process's tasks reach the suite's broker again."""

import os

import pytest

from coach.celery import app as celery_app
from coach.celery import ping
from tests.faults.drill import celery_app_on
from tests.worker import unique_queue


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the suite's Redis (REDIS_URL)")
def test_after_a_drill_tasks_go_to_the_suites_broker_again():
    queue = unique_queue("coach-drill")
    ping.apply_async(queue=queue)  # the suite's broker connections are made before the drill
    with celery_app_on("redis://127.0.0.1:1/0"):  # nothing listens there; nothing is sent
        pass
    ping.apply_async(queue=queue)
    with celery_app.connection_for_write() as broker:
        assert broker.default_channel.client.llen(queue) == 2
        broker.default_channel.queue_purge(queue)
