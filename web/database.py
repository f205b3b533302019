"""What bulk work needs of PostgreSQL beyond the ORM.

After a bulk load, the database's statistics brought up to date, so its planner sees the rows
just written: autovacuum analyses a table only a while after it grew; until then PostgreSQL plans
from the statistics of an empty table, and History seq-scanned 307,000 sets (61 ms instead of
0.28 ms).

For one large statement, a cursor whose parameters the server binds, in binary; for a large
read, its rows sent in binary.

For the athlete's commonest request, rows read by SQL written here and made into model instances
as the ORM makes them, several statements sent in one round trip, and its row inserted by an
INSERT written once: Django builds and compiles a query's SQL in Python on every call, which
for a short read by primary key costs about a millisecond, several times what PostgreSQL spends
running it.

For statements that read a whole club's rows, planning without JIT compilation: once the planner's
estimate passes jit_above_cost (a per-athlete subquery over 2,000 athletes does), PostgreSQL spends
50-100 ms compiling a statement that runs in 30.
"""

import contextlib
import functools
from collections.abc import Sequence

import psycopg
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import signals


def columns_of(model, table: str, using: str = "default") -> str:
    """Every concrete column of `model` in table (or alias) `table`, in field order: the select
    list whose row model_from_row reads."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{table}.{quote(field.column)}" for field in model._meta.concrete_fields)


def model_from_row(model, row: Sequence, using: str = "default"):
    """The instance of `model` whose columns (as columns_of lists them) are `row`, its values
    converted as the ORM converts them on this database (SQLite keeps decimals, times and
    UUIDs as text); None for a row of NULLs (nothing matched an outer join)."""
    if all(value is None for value in row):
        return None
    connection = connections[using]
    values = []
    for field, value in zip(model._meta.concrete_fields, row, strict=True):
        column = field.cached_col
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        values.append(value)
    return model.from_db(using, [field.attname for field in model._meta.concrete_fields], values)


def models_from_row(row: Sequence, *models, using: str = "default") -> list:
    """The instances of `models` whose columns (columns_of each, in this order) make up `row`,
    as model_from_row makes each (None for a model an outer join found nothing of)."""
    instances, start = [], 0
    for model in models:
        end = start + len(model._meta.concrete_fields)
        instances.append(model_from_row(model, row[start:end], using))
        start = end
    if start != len(row):
        raise ValueError(f"a row of {len(row)} columns, not the {start} of {models}")
    return instances


@functools.cache
def _insert_sql(model, using: str) -> str:
    quote = connections[using].ops.quote_name
    fields = model._meta.local_concrete_fields
    return "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608: names from our own model
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )


def row_inserted(instance, using: str = "default") -> None:
    """`instance` inserted as save(force_insert=True) inserts it (its auto_now and
    auto_now_add times set, its values prepared by its fields), by an INSERT written once per
    model: the ORM builds and compiles its INSERT in Python on every save, which for the
    athlete's commonest write cost more than the database's running of it. For a model whose
    primary key is set before the insert (no id to read back); one with pre_save or post_save
    receivers is saved by the ORM, which sends them."""
    model = type(instance)
    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        instance.save(force_insert=True, using=using)
        return
    connection = connections[using]
    values = [
        field.get_db_prep_save(field.pre_save(instance, add=True), connection)
        for field in model._meta.local_concrete_fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, using), values)
    instance._state.adding = False
    instance._state.db = using


def rows_of_each(statements: Sequence[tuple[str, Sequence]], using: str = "default") -> list:
    """The rows of each of `statements` ((SQL, parameters) pairs), run one after the other.
    PostgreSQL gets them in one round trip: its simple query protocol, which Django's cursors
    use as they bind parameters on the client, takes several statements in one message, and
    each still runs with a snapshot of its own start (READ COMMITTED), as if sent alone. So a
    statement after a row lock reads what the transaction it waited for committed. Elsewhere
    (SQLite, or a server binding parameters itself) they are sent one by one."""
    connection = connections[using]
    one_message = connection.vendor == "postgresql" and not connection.settings_dict.get(
        "OPTIONS", {}
    ).get("server_side_binding")
    with connection.cursor() as cursor:
        if not one_message:
            rows = []
            for sql, params in statements:
                cursor.execute(sql, params)
                rows.append(cursor.fetchall())
            return rows
        cursor.execute(
            "; ".join(sql for sql, _ in statements),
            [value for _, params in statements for value in params],
        )
        rows = [cursor.fetchall()]
        while cursor.nextset():
            rows.append(cursor.fetchall())
        return rows


def for_update_of(table: str, using: str = "default") -> str:
    """The clause locking the rows read from `table` until commit, where the database has row
    locks (SQLite locks the whole file for a write instead: nothing to add)."""
    connection = connections[using]
    if not connection.features.has_select_for_update:
        return ""
    return connection.ops.for_update_sql(of=(table,))


def statistics_refresh(*models, using: str = "default") -> None:
    """ANALYZE the tables of `models` (every table when none is named) on PostgreSQL. Other
    databases (the SQLite file of `make run`) plan without such statistics: nothing to do."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        # Table names from our own models, quoted: no outside input reaches this statement.
        cursor.execute(f"ANALYZE {tables}")


@contextlib.contextmanager
def server_bound_cursor(using: str = "default", *, binary_rows: bool = False):
    """A cursor on the connection `using` (inside its transaction, seen by its execute wrappers
    and query counts) whose parameters PostgreSQL binds: a `%b` placeholder sends its value in
    binary. Django's cursors bind on the client, quoting every value into the SQL text in
    Python, which for arrays of thousands of values costs more than the database's work.
    `binary_rows`: the rows come back in binary too (see rows_in_binary)."""
    connection = connections[using]
    connection.ensure_connection()
    cursor = psycopg.Cursor(connection.connection)
    if binary_rows:
        cursor.format = psycopg.pq.Format.BINARY
    wrapped = (
        connection.make_debug_cursor(cursor)
        if connection.queries_logged
        else connection.make_cursor(cursor)
    )
    with wrapped:
        yield wrapped


def rows_in_binary(queryset) -> list[tuple]:
    """The rows of a values_list() queryset, sent by the server in binary. Django reads rows as
    text and parses every timestamptz in Python (about 3 µs a value: most of the time a read
    of thousands of events takes); in binary psycopg's C loaders read it, an aware datetime in
    the connection's zone (UTC), as Django gives it. No field converters run, so only for
    columns PostgreSQL returns as Django would: integers, text, booleans, decimals, dates,
    times, timestamps. Other databases (SQLite) read through the ORM."""
    if connections[queryset.db].vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a filter that matches nothing (pk__in=[])
        return []
    with server_bound_cursor(queryset.db, binary_rows=True) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextlib.contextmanager
def jit_off(using: str = "default"):
    """A transaction on the connection `using` whose statements PostgreSQL runs without JIT
    compilation. SET LOCAL: the setting ends with the outermost transaction (this block's own
    in a request), never leaking into the next request on a kept connection. Other databases
    have no JIT: only the transaction."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield
