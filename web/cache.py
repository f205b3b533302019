"""Values kept in the cache until the data they were read from changes.

A value is kept with the generations of the data it was read from: named counters that each
write to that data counts up. A reader reads the generations before the data, and a write counts
up once its transaction commits; so a value read while a write was under way is kept under a
generation the commit then moves past, and never served afterwards. A transaction reads its own
writes afresh too: one that a durable block is (a service's, committed when the block ends)
reads nothing kept once it has written; any other also counts up when it writes (a test's
transaction, which never commits, among them). While
Redis is away nothing is kept and every value is read afresh; KEPT_SECONDS bounds how long a
generation counted up during an outage (and so lost) can leave a value stale.

Every table has a generation of its own, counted up by every statement that writes to it, however
it was sent (a model's save, QuerySet.update, bulk_create, a cascade, raw SQL, the admin): an
execute wrapper on each database connection reads the statement (tables_counted_up). A service
that knows whose pages its write changes can say so (writes_counted_as): its writes to a table
then count up the generations of those pages instead of the table's, so a set an athlete logs
leaves every other athlete's pages kept.
"""

import contextlib
import functools
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

KEPT_SECONDS = 60
# The table an INSERT, UPDATE or DELETE writes to, wherever in the statement it stands (after a
# WITH, say); not the UPDATE of a row lock (FOR UPDATE OF, FOR NO KEY UPDATE).
_WRITTEN_TABLE = re.compile(
    r'(?<!FOR )(?<!KEY )\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
_scopes = threading.local()


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def _generation_started(key: str) -> int:
    """A generation counted from a number no earlier one held (the clock's nanoseconds), so a
    value kept before the counter was lost cannot match it."""
    started = time.time_ns()
    if cache.add(key, started, timeout=None):
        return started
    return cache.get(key, started)


def kept(key: str, generations: Sequence[str]) -> tuple[list | None, object]:
    """(the current values of `generations`, the value kept under `key` for exactly those, or
    None), in one read of the cache. Read before the data; keep() what was read under them.
    Inside a transaction whose writes count up only at its commit, (None, None): nothing kept
    is its to read, nor to keep."""
    if _written_until_commit():
        return None, None
    generation_keys = [_generation_key(name) for name in generations]
    found = cache.get_many([key, *generation_keys])
    current = [found.get(k) or _generation_started(k) for k in generation_keys]
    held = found.get(key)
    return current, held[1] if held is not None and held[0] == current else None


def keep(key: str, current: list | None, value) -> None:
    if current is not None:
        cache.set(key, (current, value), KEPT_SECONDS)


def kept_until_changed(key: str, generations: Sequence[str], read: Callable):
    """read()'s value, kept under `key` until one of `generations` is counted up."""
    current, value = kept(key, generations)
    if value is None:
        value = read()
        keep(key, current, value)
    return value


class _CountUp:
    """Counts up its generations: as a transaction's on-commit callback, one per set of
    generations however many statements wrote to them. `at_commit_only`: not counted up when
    written as well (see generations_count_up)."""

    def __init__(self, generations: tuple[str, ...], *, at_commit_only: bool = False):
        self.generations = generations
        self.at_commit_only = at_commit_only

    def __call__(self):
        keys = [_generation_key(name) for name in self.generations]
        count_up_many = getattr(cache, "count_up_many", None)  # Redis's: one round trip
        if count_up_many is not None:
            count_up_many(keys, start=time.time_ns())
            return
        for key in keys:
            # A counter the cache does not hold is started afresh by its next reader.
            with contextlib.suppress(ValueError):
                cache.incr(key)


def generations_count_up(*generations: str, using: str | None = None) -> None:
    """What was kept under `generations` is read afresh once the writing transaction (on the
    connection `using`) commits, and by the transaction itself from now: a durable block's
    by its reading nothing kept until then (kept()), any other's by a count-up now as well.
    (A durable block commits when it ends, so its one count-up saves a round trip to Redis
    on every service's write; a test's transaction, which never commits, counts up now.)"""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:  # the write is committed already
        _CountUp(generations)()
        return
    at_commit_only = connection.atomic_blocks[0].durable
    if not at_commit_only:
        _CountUp(generations)()
    pending = (callback for _, callback, _ in connection.run_on_commit)
    if not any(getattr(c, "generations", None) == generations for c in pending):
        transaction.on_commit(_CountUp(generations, at_commit_only=at_commit_only), using=using)


def _written_until_commit(using: str | None = None) -> bool:
    """Has the open transaction written what counts up only at its commit?"""
    connection = transaction.get_connection(using)
    return connection.in_atomic_block and any(
        getattr(callback, "at_commit_only", False) for _, callback, _ in connection.run_on_commit
    )


def table_generation(table: str) -> str:
    return f"table:{table}"


def viewer_generation(user_id: int) -> str:
    """What a write counts up when it changes only the pages of the user `user_id` (and of the
    other viewers it names): see writes_counted_as."""
    return f"viewer:{user_id}"


@functools.cache
def tables_pages_read() -> tuple[str, ...]:
    """Every table of every installed app but those no page shows (KEPT_PAGES_UNSHOWN: apps
    and models, such as sessions, sign-in attempts, the outbox), whose writes are not
    counted."""
    unshown = set(settings.KEPT_PAGES_UNSHOWN)
    return tuple(
        sorted(
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if not {model._meta.app_label, model._meta.label} & unshown
        )
    )


@contextlib.contextmanager
def writes_counted_as(scopes: dict[type, Iterable[str]]):
    """In this block, a write to the table of a model in `scopes` counts up the generations
    given for it (those of the pages that show it: one viewer's, the pages about one athlete)
    instead of the table's.
    For a service whose writes to that table are about one athlete, nothing else: every other
    write to the table, anywhere, still counts up the table."""
    outer = getattr(_scopes, "by_table", {})
    _scopes.by_table = outer | {
        model._meta.db_table: tuple(generations) for model, generations in scopes.items()
    }
    try:
        yield
    finally:
        _scopes.by_table = outer


def tables_counted_up(execute, sql, params, many, context):
    """An execute wrapper (installed on every connection, web/apps.py): the statement run, then
    the generation of each table it wrote to counted up (or the generations a
    writes_counted_as block gave for it)."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql.lstrip()[:6].upper() != "SELECT":
        read_by_pages = tables_pages_read()
        scoped = getattr(_scopes, "by_table", {})
        for table in set(_WRITTEN_TABLE.findall(sql)):
            if table in read_by_pages:
                generations = scoped.get(table) or (table_generation(table),)
                generations_count_up(*generations, using=context["connection"].alias)
    return result
