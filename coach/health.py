"""What /healthz reports: does this web process reach its database, its cache and the Celery
broker, and how long ago did the periodic flag scan last finish.

Each probe is bounded (a Redis that does not answer costs PROBE_TIMEOUT_SECONDS to connect and
as much to read, never a hang) and says only ok or error: no host names, no error text. A
failed probe is logged with the error's class name.

The status: "down" when the database does not answer (nothing can be served), "degraded" when
only Redis does not, "ok" otherwise. Degraded is still HTTP 200: every web process shares the one
Redis, so a load balancer that pulled the nodes for it would turn a partial outage into a whole
one, while the database still lets them serve pages. The flag scan's age is for monitoring (see
the README for a healthy value), not part of the status.
"""

import logging
import re
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from redis.backoff import NoBackoff
from redis.retry import Retry

from athletes.selectors.flags import flag_scan_last_finished_at

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 1


@dataclass(frozen=True)
class HealthReport:
    database: bool
    cache: bool
    broker: bool
    last_flag_scan_age_seconds: int | None

    @property
    def status(self) -> str:
        if not self.database:
            return "down"
        return "ok" if self.cache and self.broker else "degraded"

    def as_dict(self) -> dict:
        def word(ok):
            return "ok" if ok else "error"

        return {
            "status": self.status,
            "database": word(self.database),
            "cache": word(self.cache),
            "broker": word(self.broker),
            "last_flag_scan_age_seconds": self.last_flag_scan_age_seconds,
        }


def health_report() -> HealthReport:
    database = _database_answers()
    scan_finished_at = flag_scan_last_finished_at() if database else None
    return HealthReport(
        database=database,
        cache=_cache_answers(),
        broker=_broker_answers(),
        last_flag_scan_age_seconds=(
            None
            if scan_finished_at is None
            else max(0, int((timezone.now() - scan_finished_at).total_seconds()))
        ),
    )


def _failed(what, error) -> bool:
    logger.warning("Health check: the %s does not answer (%s).", what, type(error).__name__)
    return False


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return _failed("database", error)
    return True


def _cache_answers() -> bool:
    """The default cache's Redis (its first server, the one written to). An in-process cache
    (no REDIS_URL) is always there."""
    cache = settings.CACHES["default"]
    if not issubclass(import_string(cache["BACKEND"]), RedisCache):  # ours forgives outages
        return True
    servers = cache["LOCATION"]
    if isinstance(servers, str):  # split as Django's RedisCache splits it
        servers = re.split("[;,]", servers)
    return _redis_answers("cache", servers[0])


def _broker_answers() -> bool:
    """The Celery broker, when it is Redis. The in-memory broker (no REDIS_URL: tasks run
    eagerly, in the request) is always there."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return True
    return _redis_answers("broker", url)


def _redis_answers(what, url) -> bool:
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),  # one try: redis-py would retry 3 times, with backoff
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return _failed(what, error)
    finally:
        client.close()
    return True
