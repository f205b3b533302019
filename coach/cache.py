"""The cache, which never turns a Redis outage into an error page."""

import functools
import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)

# After Redis failed to answer, how long the cache goes on without asking it again.
PAUSE_SECONDS = 5
# Each key counted one up, a key Redis does not hold started at ARGV[1] first.
_COUNT_UP_SCRIPT = """
for _, key in ipairs(KEYS) do
  redis.call("SET", key, ARGV[1], "NX")
  redis.call("INCR", key)
end
"""


class _OneClientPerPool(RedisCacheClient):
    """Django makes a new redis.Redis for every call, which redis-py builds its reply callbacks
    for (0.06 ms, half what a GET takes here); a client is safe to share between threads (its
    pool hands each call a connection), so one per pool serves them all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


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
        self._class = _OneClientPerPool
        self._paused_until = 0.0
        self._count_up_scripts = {}

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

    def count_up_many(self, keys, start: int) -> None:
        """Each counter of `keys` one up, in one command; a counter Redis does not hold is
        started at `start` first. Django's incr asks whether the key exists, then counts it
        up: two round trips a key, on every write; a pipeline of SET NX and INCR cost the
        packing and reading of four replies for two keys, a script one."""

        def count_up():
            client = self._cache.get_client(write=True)
            script = self._count_up_scripts.get(client)
            if script is None:
                script = self._count_up_scripts[client] = client.register_script(_COUNT_UP_SCRIPT)
            script(keys=[self.make_and_validate_key(key) for key in keys], args=[start])

        self._forgiving(count_up, None)
