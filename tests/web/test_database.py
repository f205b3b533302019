"""statistics_refresh: after a bulk load the planner knows how many rows a table holds.
server_bound_cursor: one large statement bound by the server, inside the request's transaction.
rows_in_binary: a large read sent in binary gives the rows the ORM gives.
jit_off: a roster-wide read planned without JIT, the setting gone with its transaction.
columns_of/model_from_row: a row read by SQL written by hand is the instance the ORM reads.
row_inserted: a row inserted by SQL written by hand is the row the ORM would insert.
rows_of_each: several statements in one round trip, each with its own rows (and each seeing
what committed before it began: tests/athletes/test_logging.py, sets posted concurrently)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from athletes.models import Athlete, RunEvent, ScheduledSession, SetLog
from tests.athletes.factories import AthleteFactory, RaceFactory
from tests.athletes.logging_sessions import prescription_of, session_for
from web.database import (
    columns_of,
    jit_off,
    model_from_row,
    models_from_row,
    row_inserted,
    rows_in_binary,
    rows_of_each,
    server_bound_cursor,
    statistics_refresh,
)

pytestmark = pytest.mark.django_db


def rows_the_planner_expects(model):
    # reltuples is written in place by ANALYZE, so this transaction sees it at once.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        return cursor.fetchone()[0]


def test_the_planner_counts_the_rows_of_a_bulk_load_once_refreshed():
    for _ in range(13):  # a count no other test leaves behind in the statistics
        AthleteFactory()
    assert rows_the_planner_expects(Athlete) != 13

    statistics_refresh(Athlete)

    assert rows_the_planner_expects(Athlete) == Athlete.objects.count() == 13


def test_load_demo_leaves_its_tables_analysed():
    call_command("load_demo")

    assert rows_the_planner_expects(ScheduledSession) == ScheduledSession.objects.count() > 0


def test_a_server_bound_cursor_sends_arrays_in_binary_and_reads_them_back_exactly():
    when = dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.UTC)
    with server_bound_cursor() as cursor:
        cursor.execute(
            "SELECT * FROM unnest(%b::numeric[], %b::timestamptz[], %b::text[])",
            [[Decimal("37.5"), None], [when, when], ["Park 5K", ""]],
        )
        rows = cursor.fetchall()

    assert rows == [(Decimal("37.5"), when, "Park 5K"), (None, when, "")]


def test_a_server_bound_cursor_writes_in_the_open_transaction_and_is_counted():
    athlete = AthleteFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        with server_bound_cursor() as cursor:
            cursor.execute(
                "UPDATE athletes_athlete SET freshness_window_hours = %b WHERE id = %b",
                [48, athlete.pk],
            )
        transaction.set_rollback(True)

    assert any("UPDATE athletes_athlete" in query["sql"] for query in queries.captured_queries)
    athlete.refresh_from_db()
    assert athlete.freshness_window_hours != 48  # rolled back with the transaction


def test_rows_read_in_binary_are_the_rows_the_orm_reads():
    # 00:30 UTC the night the clocks go forward in Europe, in a zone other than the server's.
    race = RaceFactory(
        starts_at=dt.datetime(2027, 3, 28, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        name="Früh 10K",
    )
    rows = RunEvent.objects.filter(pk=race.pk).values_list(
        "pk", "starts_at", "name", "is_key", "athlete__freshness_window_hours"
    )

    assert rows_in_binary(rows) == list(rows)
    assert rows_in_binary(rows)[0][1].utcoffset() == dt.timedelta(0)


def test_rows_in_binary_of_a_filter_that_matches_nothing_are_none():
    assert rows_in_binary(RunEvent.objects.filter(pk__in=[]).values_list("pk")) == []


def jit_setting():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # the block's own transaction, as in a request
def test_jit_is_off_inside_the_block_and_back_as_it_was_after_it():
    before = jit_setting()
    with jit_off():
        assert jit_setting() == "off"
    assert jit_setting() == before


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_a_row_read_by_hand_is_the_instance_the_orm_reads():
    """Times, dates, decimals and ids come back as the ORM gives them, and a join that found
    nothing is None."""
    race = RaceFactory()
    table = RunEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns_of(RunEvent, 'r')}, {columns_of(RunEvent, 'missing')}"
            f' FROM "{table}" r LEFT JOIN "{table}" missing ON missing.id = -r.id'
            " WHERE r.id = %s",
            [race.pk],
        )
        row = cursor.fetchone()
    by_hand, missing = models_from_row(row, RunEvent, RunEvent)
    assert field_values(by_hand) == field_values(RunEvent.objects.get(pk=race.pk))
    assert by_hand._state.adding is False  # saved again, it updates its row
    assert missing is None
    with pytest.raises(ValueError):
        models_from_row(row, RunEvent)  # columns left over: the select list is not the models'
    assert field_values(model_from_row(RunEvent, row[: len(row) // 2])) == field_values(by_hand)


def test_statements_sent_together_give_the_rows_of_each_in_one_round_trip():
    first, second = AthleteFactory(), AthleteFactory()
    table = Athlete._meta.db_table
    by_id = f'SELECT id FROM "{table}" WHERE id = %s'  # nosec B608: our own model's table
    with CaptureQueriesContext(connection) as queries:
        rows = rows_of_each([(by_id, [first.pk]), (by_id, [-1]), (by_id, [second.pk])])

    assert rows == [[(first.pk,)], [], [(second.pk,)]]
    assert len(queries) == 1


def test_a_row_inserted_by_hand_is_the_row_the_orm_reads_back(athlete):
    session = session_for(athlete)
    prescription = prescription_of(session, "Back squat")
    moment = dt.datetime(2027, 3, 28, 7, 30, tzinfo=dt.UTC)
    fields = {
        "scheduled_session": session,
        "prescription": prescription,
        "exercise_id": prescription.exercise_id,
        "set_number": 2,
        "side": "",
        "reps": 5,
        "load_kg": Decimal("62.5"),
        "load_entered": Decimal("62.5"),
        "load_unit": "kg",
        "rpe": Decimal("7.5"),
    }
    set_log = SetLog(**fields)
    with time_machine.travel(moment, tick=False):
        row_inserted(set_log)

    read = SetLog.objects.get(pk=set_log.pk)
    assert (
        (read.logged_at, read.updated_at)
        == (moment, moment)
        == (
            set_log.logged_at,
            set_log.updated_at,
        )
    )
    assert (read.load_kg, read.rpe, read.set_number, read.prescription) == (
        Decimal("62.5"),
        Decimal("7.5"),
        2,
        prescription,
    )
    assert not set_log._state.adding  # a later save() updates the row


def test_a_model_with_save_receivers_is_inserted_by_the_orm_and_they_hear_of_it(athlete):
    session = session_for(athlete)
    prescription = prescription_of(session, "Back squat")
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=SetLog)
    try:
        set_log = SetLog(
            scheduled_session=session,
            prescription=prescription,
            exercise_id=prescription.exercise_id,
            set_number=1,
            reps=5,
        )
        row_inserted(set_log)
    finally:
        post_save.disconnect(receiver, sender=SetLog)

    assert heard == [(set_log.pk, True)]
    assert SetLog.objects.filter(pk=set_log.pk).exists()
