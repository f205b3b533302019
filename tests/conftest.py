import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from coach.celery import app as celery_app
from coach.celery import ping
from tests.athletes.factories import AthleteFactory
from tests.coach.factories import AdminUserFactory, CoachUserFactory


@pytest.fixture
def coach_user(db):
    return CoachUserFactory()


@pytest.fixture
def athlete(db, coach_user):
    return AthleteFactory(coach=coach_user)


@pytest.fixture
def admin_user(db):
    return AdminUserFactory()


def pytest_configure(config):
    # xdist processes share one Redis: a prefix per process keeps their cache keys (login-attempt
    # counts for the same factory usernames, say) apart.
    xdist_worker = os.environ.get("PYTEST_XDIST_WORKER")
    if xdist_worker:
        settings.CACHES["default"]["KEY_PREFIX"] = xdist_worker


# --- Real Celery worker (infrastructure) -------------------------------------------------------
# Tests that need a task run by a real worker over Redis (not eager) take `celery_worker_process`
# and are marked `@pytest.mark.worker` and `@pytest.mark.django_db(transaction=True)`: the worker is
# another process, so it only sees rows that are committed. One worker per pytest process (and per
# xdist worker) listens on its own queue, so parallel runs sharing a Redis db never take each
# other's tasks.

WORKER_START_TIMEOUT = 60
WORKER_IDLE_TIMEOUT = 60


def _test_database_url():
    database = connection.settings_dict
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(database['NAME'], safe='')}"


def pytest_collection_modifyitems(items):
    for item in items:
        if "celery_worker_process" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)


@pytest.fixture(scope="session")
def _celery_worker_session(django_db_setup, tmp_path_factory):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("a real Celery worker needs REDIS_URL (e.g. redis://127.0.0.1:6379/1)")
    if connection.vendor != "postgresql":
        pytest.skip("a real Celery worker needs a shared database: set DATABASE_URL to PostgreSQL")

    queue = f"coach-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coach.settings",
        "DATABASE_URL": _test_database_url(),
        "CONN_MAX_AGE": "0",
    }
    celery = Path(sys.executable).parent / "celery"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [celery, "-A", "coach", "worker", "--pool=solo", "--concurrency=1",
             "--loglevel=warning", "--queues", queue, "--hostname", _worker_name(queue),
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for_pong(worker, queue, log_path)
        yield worker, queue
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _worker_name(queue):
    return f"{queue}@coach-tests"


def _wait_until_idle(queue):
    """Wait until the worker has run every task the test left behind (a recheck enqueued by the
    test's last change, a retry with a countdown): flushing the database under a running task
    deadlocks. A solo worker answers inspect only between tasks, so no reply means busy."""
    inspect = celery_app.control.inspect(destination=[_worker_name(queue)], timeout=2, limit=1)
    deadline = time.monotonic() + WORKER_IDLE_TIMEOUT
    while time.monotonic() < deadline:
        ping.apply_async(queue=queue).get(timeout=WORKER_IDLE_TIMEOUT)
        with celery_app.connection_for_write() as broker:
            queued = broker.default_channel.client.llen(queue)
        pending = [inspect.active(), inspect.reserved(), inspect.scheduled()]
        if not queued and all(replies and not any(replies.values()) for replies in pending):
            return
        time.sleep(0.1)
    pytest.fail(f"the Celery worker was still busy {WORKER_IDLE_TIMEOUT} s after the test")


def _wait_for_pong(worker, queue, log_path):
    answer = ping.apply_async(queue=queue)
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while not answer.ready():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"Celery worker did not answer a ping:\n{log_path.read_text()}")
        time.sleep(0.1)
    assert answer.get() == "pong"


@pytest.fixture
def celery_worker_process(_celery_worker_session, request):
    """A running Celery worker (subprocess.Popen) that executes every task this test sends."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        pytest.fail("celery_worker_process needs @pytest.mark.django_db(transaction=True)")
    worker, queue = _celery_worker_session
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield worker
    celery_app.conf.task_default_queue = default_queue
    _wait_until_idle(queue)
