"""statistics_refresh: after a bulk load the planner knows how many rows a table holds."""

import pytest
from django.core.management import call_command
from django.db import connection

from athletes.models import Athlete, ScheduledSession
from tests.athletes.factories import AthleteFactory
from web.database import statistics_refresh

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
