import os

import pytest
from django.conf import settings
from django.db import connection

from coach.celery import app as celery_app
from tests.athletes.factories import AthleteFactory
from tests.coach.factories import AdminUserFactory, CoachUserFactory
from tests.worker import running_celery_worker, unique_queue, wait_until_idle


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
# other's tasks. The start-up itself lives in tests/worker.py.


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

    queue = unique_queue()
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    with running_celery_worker(queue, log_path) as worker:
        yield worker, queue


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
    wait_until_idle(queue)
