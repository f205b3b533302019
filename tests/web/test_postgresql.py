"""The health check of a kept connection (web.postgresql): one the server has ended is replaced
before a request uses it, and a healthy one is kept without a statement sent."""

import select
import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A second connection to the test database, as a server process keeps one between
    requests."""
    kept = connections.create_connection("default")
    kept.ensure_connection()
    yield kept
    kept.close()


def backend_of(kept):
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def last_statement_of(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the activity as it is now
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def checked_as_a_request_begins(kept):
    kept.health_check_done = False
    kept.close_if_health_check_failed()


def test_a_healthy_kept_connection_is_kept_without_a_statement(kept):
    pid = backend_of(kept)
    checked_as_a_request_begins(kept)
    assert backend_of(kept) == pid
    checked_as_a_request_begins(kept)
    assert last_statement_of(pid) == "SELECT pg_backend_pid()"


def test_a_connection_the_server_ended_is_replaced_before_a_request_uses_it(kept):
    pid = backend_of(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    ended = select.poll()
    ended.register(kept.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 10
    while not ended.poll(100) and time.monotonic() < deadline:
        pass  # the server's goodbye is on its way

    checked_as_a_request_begins(kept)

    assert backend_of(kept) != pid  # a new connection, and the statement ran
