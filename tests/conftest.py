import datetime as dt
import os
import uuid

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from coach.celery import app as celery_app
from tests.athletes.factories import AthleteFactory
from tests.cache_keys import cache_keys_of_their_own
from tests.coach.factories import AdminUserFactory, CoachUserFactory
from tests.coach.sign_in import sign_in
from tests.mail import running_smtp_server, smtp_settings
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


@pytest.fixture
def admin_client(client, admin_user):
    """Signed in as staff who gave their second factor, so the admin opens."""
    return sign_in(client, admin_user)


@pytest.fixture(autouse=True)
def _cache_keys_of_its_own():
    """One test's sign-ups and reset emails never count against the next one's limits."""
    with cache_keys_of_their_own():
        yield


def pytest_configure(config):
    # Every run and each of its xdist processes share one Redis: a prefix per run and process
    # keeps their cache keys apart (login-attempt counts for the same factory usernames, say, which
    # would otherwise lock out the next run of `make test-dates` within the cool-off).
    run = getattr(config, "workerinput", {}).get("testrunuid") or uuid.uuid4().hex
    xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"{run[:12]}-{xdist_worker}"
    suite_moment()  # a malformed COACH_TEST_NOW stops the run before any test


# --- The suite on another day (COACH_TEST_NOW) -------------------------------------------------
# COACH_TEST_NOW=2027-03-28T00:30:00+00:00 starts every test (its fixtures included) at that
# moment, with the clock running (tick=True: session expiry, login cool-offs and timeouts see time
# pass as they would). Each test starts at the moment itself rather than the session drifting past
# it, so a moment half an hour before a DST change is still before it for the last test. The test
# database is created before any test starts, at the real now: migrations store no dates the
# tests read. Browser, real-worker and gunicorn-served tests stay at the real now: Chromium, the
# live server's clients, the Celery worker and gunicorn are other processes that time-machine
# cannot move. A
# test about one moment pins it (time_machine.travel or the time_machine marker) and keeps it.


def suite_moment():
    """The moment COACH_TEST_NOW names (aware), or None when it is unset."""
    value = os.environ.get("COACH_TEST_NOW")
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise pytest.UsageError(
            f"COACH_TEST_NOW={value!r}: give an ISO 8601 moment with its offset, "
            "e.g. 2027-03-28T00:30:00+00:00"
        )
    return moment


def pytest_report_header(config):
    moment = suite_moment()
    if moment:
        return f"COACH_TEST_NOW: each test starts at {moment:%a %Y-%m-%d %H:%M:%S %z}"
    return None


@pytest.fixture(autouse=True)
def _suite_clock(request):
    moment = suite_moment()
    other_processes = any(request.node.get_closest_marker(m) for m in ("e2e", "worker", "server"))
    # time-machine's own marker starts its travel before this fixture: it would be overridden.
    pinned = request.node.get_closest_marker("time_machine")
    if moment is None or other_processes or pinned:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


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
    # The worker's mail goes to a real SMTP server the suite runs (worker_mailbox).
    with (
        running_smtp_server() as (mailbox, port),
        running_celery_worker(queue, log_path, env=smtp_settings(port)) as worker,
    ):
        yield worker, queue, mailbox


@pytest.fixture
def celery_worker_process(_celery_worker_session, request):
    """A running Celery worker (subprocess.Popen) that executes every task this test sends."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        pytest.fail("celery_worker_process needs @pytest.mark.django_db(transaction=True)")
    worker, queue, _ = _celery_worker_session
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield worker
    celery_app.conf.task_default_queue = default_queue
    wait_until_idle(queue)


@pytest.fixture
def worker_mailbox(_celery_worker_session):
    """What the suite's Celery worker has emailed (tests.mail.ReceivedMail): every test's
    messages together, so read only those to addresses of your own."""
    return _celery_worker_session[2]
