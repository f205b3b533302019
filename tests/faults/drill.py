"""What the fault drills share: their workers' settings and pointing Celery at their Redis."""

import threading
from contextlib import contextmanager

import kombu.pools

from coach.celery import app as celery_app

# What the drills' workers run with: a short visibility timeout, so a killed worker's task is
# handed out again in seconds rather than the minute and more it takes in production.
DRILL_WORKER_ENV = {"BROKER_VISIBILITY_TIMEOUT": "5", "OUTBOX_RELAY_SECONDS": "1"}


@contextmanager
def celery_app_on(url):
    """Send this process's tasks to the broker at `url` (and read their results from it)."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.result_backend
    _celery_reconnect(url, url)
    try:
        yield
    finally:
        _celery_reconnect(*saved)


def _celery_reconnect(broker_url, backend_url):
    # Celery keeps its broker connections, its producers and its result backend once made:
    # drop them, so they are made again for the new URLs. kombu keeps the pools in registries
    # keyed by URL, so closing one pool would leave it there for the next test on that URL
    # ("Acquire on closed pool"): reset empties the registries too. (Not app.close(): that also
    # takes the app off the list shared_task registers tasks with.)
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local = threading.local()
    celery_app.conf.update(broker_url=broker_url, result_backend=backend_url)
