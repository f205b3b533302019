"""The cache, which never turns a Redis outage into an error page."""

import functools
import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

# After Redis failed to answer, how long the cache goes on without asking it again.
PAUSE_SECONDS = 5


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache, answering like an empty cache while Redis does not answer: a
    read finds nothing, an add succeeds, a write or a delete does nothing.

    What lives in the cache is allauth's: its rate limits on sign-ups, reset emails and
    password changes, and its marks of the two-factor codes already used; and values kept
    until their data changes (web/cache.py), which are read afresh while Redis is away. While
    Redis is away those limits count nothing and a code could be used twice within its window;
    wrong passwords and codes are still counted, in the database (axes). Pages keep working,
    which is the point: signing in, signing up and resetting a password never need Redis.

    After a failure Redis is left alone for PAUSE_SECONDS (per thread, as Django keeps a cache
    per thread), so a Redis that hangs costs one timeout (OPTIONS in settings), not one a call.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._paused_until = 0.0

    def _forgiving(self, call, fallback):
        if time.monotonic() < self._paused_until:
            return fallback
        try:
            return call()
        except redis.RedisError as error:
            self._paused_until = time.monotonic() + PAUSE_SECONDS
            log.warning(
                "Cache: Redis does not answer (%s); going on without it for %d s.",
                type(error).__name__,
                PAUSE_SECONDS,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(functools.partial(super().add, key, value, timeout, version), True)

    def get(self, key, default=None, version=None):
        return self._forgiving(functools.partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(functools.partial(super().set, key, value, timeout, version), None)

    def delete(self, key, version=None):
        return self._forgiving(functools.partial(super().delete, key, version), False)

    def get_many(self, keys, version=None):
        return self._forgiving(functools.partial(super().get_many, keys, version), {})

    def incr(self, key, delta=1, version=None):
        """None while Redis is away (Django's raises ValueError for a key it does not hold)."""
        return self._forgiving(functools.partial(super().incr, key, delta, version), None)
