"""Fault drills: a Redis of the drill's own that it stops and starts, and real workers on it.

`drill_redis` starts redis-server on a free port and points this process at it (the cache,
the login-attempt handler and the Celery app), so the test's requests go through Django's
test client to a Redis the test controls; `start_worker` starts real Celery workers on it.
"""

import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from coach.celery import app as celery_app
from tests.faults.drill import DRILL_WORKER_ENV, celery_app_on
from tests.faults.redis_server import ThrowawayRedis
from tests.worker import running_celery_worker


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)
            # Its workers are other processes: they run at the real now, like every worker test.
            if "start_worker" in item.fixturenames:
                item.add_marker(pytest.mark.worker)


@pytest.fixture
def drill_redis(tmp_path):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip(
            "fault drills run the Redis settings on PostgreSQL: set REDIS_URL and DATABASE_URL"
        )
    server = ThrowawayRedis(tmp_path)
    server.start()
    cache = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    try:
        # axes builds its handler (and the cache it holds) once: naming it again rebuilds it.
        with (
            override_settings(CACHES=cache, AXES_HANDLER=settings.AXES_HANDLER),
            celery_app_on(server.url),
        ):
            yield server
    finally:
        server.stop()


@dataclass
class DrillWorker:
    process: object
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def start_worker(drill_redis, tmp_path):
    """start_worker(name, **options): a real worker on the drill's Redis, listening on the
    default queue (beat, if asked, sends there too); stopped after the test."""
    with ExitStack() as workers:

        def start(name="worker", env=None, **options):
            log_path = tmp_path / f"{name}.log"
            process = workers.enter_context(
                running_celery_worker(
                    celery_app.conf.task_default_queue,
                    log_path,
                    env={"REDIS_URL": drill_redis.url, **DRILL_WORKER_ENV, **(env or {})},
                    **options,
                )
            )
            return DrillWorker(process, log_path)

        yield start
        if not drill_redis.answers():  # a drill that failed while Redis was stopped
            drill_redis.start()
