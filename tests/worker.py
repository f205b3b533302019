"""The one way tests start a real Celery worker subprocess over Redis (not eager).

The worker is another process, so it reaches the test database through its URL and only sees
committed rows. Each worker listens on its own queue, so parallel runs sharing a Redis db never
take each other's tasks. tests/conftest.py builds the shared `celery_worker_process` fixture on
this; a test that must kill a worker starts its own with `running_celery_worker`.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection, transaction

from coach.celery import app as celery_app
from coach.celery import ping

WORKER_START_TIMEOUT = 60
WORKER_STOP_TIMEOUT = 15
WORKER_IDLE_TIMEOUT = 60


def worker_database_url():
    """The URL of the database this test process uses (the test database), for the worker."""
    database = connection.settings_dict
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(database['NAME'], safe='')}"


def unique_queue(prefix="coach-test"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def worker_name(queue):
    return f"{queue}@coach-tests"


@contextmanager
def running_celery_worker(queue, log_path, *, env=None, loglevel="warning", beat=False):
    """Start a solo worker on `queue`, wait until it answers a ping, yield its Popen; stop it
    afterwards (unless the test already killed it) and drop whatever is left on its queue.

    `env` adds to the worker's environment (a fault drill's own REDIS_URL, say); `loglevel`
    "info" logs every task it runs; `beat` runs Celery beat inside it (CELERY_BEAT_SCHEDULE)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coach.settings",
        "DATABASE_URL": worker_database_url(),
        "CONN_MAX_AGE": "0",
        **(env or {}),
    }
    celery = Path(sys.executable).parent / "celery"
    beat_args = ["--beat", "--schedule", str(Path(log_path).with_suffix(".beat"))] if beat else []
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [celery, "-A", "coach", "worker", "--pool=solo", "--concurrency=1",
             f"--loglevel={loglevel}", "--queues", queue, "--hostname", worker_name(queue),
             "--without-gossip", "--without-mingle", "--without-heartbeat", *beat_args],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for_pong(worker, queue, log_path)
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=WORKER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                worker.kill()
        worker.wait()
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_purge(queue)


def wait_until(condition, timeout=30, every=0.05, message="timed out"):
    """Poll `condition` until it is true, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(every)


@contextmanager
def athlete_row_held(athlete_id, timeout=60):
    """Hold the athlete's row lock from another connection while the block runs: a worker's
    flag check reaching that athlete waits there, so it is surely stopped mid-scan however fast
    or slow the machine is."""
    from athletes.models import Athlete

    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Athlete.objects.select_for_update().get(pk=athlete_id)
                locked.set()
                release.wait(timeout)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout), "the athlete's row could not be locked"
        yield
    finally:
        release.set()
        holder.join(timeout)


def _pinged(queue, timeout, worker=None):
    """Whether the worker on `queue` answered a ping within `timeout` s. It polls the result's key
    instead of waiting on the result backend's pub/sub, which a Redis restart can leave deaf to a
    reply that did arrive."""
    answer = ping.apply_async(queue=queue)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (worker is None or worker.poll() is None):
        try:
            if answer.ready():
                return answer.result == "pong"
        except redis.exceptions.ConnectionError:
            pass  # Redis is coming back: ask again
        time.sleep(0.1)
    return False


def _wait_for_pong(worker, queue, log_path):
    if not _pinged(queue, WORKER_START_TIMEOUT, worker):
        worker.kill()
        worker.wait()
        pytest.fail(f"Celery worker did not answer a ping:\n{Path(log_path).read_text()}")


def wait_until_idle(queue):
    """Wait until the worker has run every task the test left behind (a recheck enqueued by the
    test's last change, a retry with a countdown): flushing the database under a running task
    deadlocks. A solo worker answers inspect only between tasks, so no reply means busy."""
    inspect = celery_app.control.inspect(destination=[worker_name(queue)], timeout=2, limit=1)
    deadline = time.monotonic() + WORKER_IDLE_TIMEOUT
    while time.monotonic() < deadline:
        if not _pinged(queue, deadline - time.monotonic()):
            break
        with celery_app.connection_for_write() as broker:
            queued = broker.default_channel.client.llen(queue)
        pending = [inspect.active(), inspect.reserved(), inspect.scheduled()]
        if not queued and all(replies and not any(replies.values()) for replies in pending):
            return
        time.sleep(0.1)
    pytest.fail(f"the Celery worker was still busy {WORKER_IDLE_TIMEOUT} s after the test")
