"""Values kept in the cache until the data they were read from changes.

A value is kept with the generations of the data it was read from: named counters that each
write to that data counts up. A reader reads the generations before the data, and a write counts
up both when it writes and once its transaction commits; so a value read while a write was under
way is kept under a generation the commit then moves past, and never served afterwards. While
Redis is away nothing is kept and every value is read afresh; KEPT_SECONDS bounds how long a
generation counted up during an outage (and so lost) can leave a value stale.
"""

import contextlib
import time
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.db import transaction

KEPT_SECONDS = 60


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def _generation_started(key: str) -> int:
    """A generation counted from a number no earlier one held (the clock's nanoseconds), so a
    value kept before the counter was lost cannot match it."""
    started = time.time_ns()
    if cache.add(key, started, timeout=None):
        return started
    return cache.get(key, started)


def kept_until_changed(key: str, generations: Sequence[str], read: Callable):
    """read()'s value, kept under `key` until one of `generations` is counted up."""
    generation_keys = [_generation_key(name) for name in generations]
    found = cache.get_many([key, *generation_keys])
    current = [found.get(k) or _generation_started(k) for k in generation_keys]
    kept = found.get(key)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = read()
    cache.set(key, (current, value), KEPT_SECONDS)
    return value


def generations_count_up(*generations: str) -> None:
    """What was kept under `generations` is read afresh: from now (for the writing transaction's
    own later reads) and again once the transaction commits."""
    keys = [_generation_key(name) for name in generations]

    def count_up():
        for key in keys:
            # A counter the cache does not hold is started afresh by its next reader.
            with contextlib.suppress(ValueError):
                cache.incr(key)

    count_up()
    transaction.on_commit(count_up)
