"""The outbox between a committed change and Celery, against a Redis of the test's own that it
stops, and one that never answers: what is queued there is what a worker would run."""

import datetime as dt
import json
import socket
import threading
import time
from io import StringIO

import pytest
import redis
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from athletes.services.run_events import run_event_create
from athletes.services.scheduling import session_move
from coach.celery import app as celery_app
from outbox.models import OutboxMessage
from outbox.services import outbox_relay
from tests.athletes.factories import AthleteFactory, ScheduledSessionFactory
from tests.faults.drill import celery_app_on

pytestmark = pytest.mark.django_db(transaction=True)

RECHECK = "athletes.tasks.flags_refresh_for_athlete"


def queued(server) -> list[tuple[str, str]]:
    """(task, arguments) of each message waiting on the default queue, oldest first."""
    client = redis.Redis.from_url(server.url)
    messages = client.lrange(celery_app.conf.task_default_queue, 0, -1)
    client.close()
    headers = [json.loads(message)["headers"] for message in reversed(messages)]
    return [(header["task"], header["argsrepr"]) for header in headers]


def add_run(athlete, hours_ahead=48):
    return run_event_create(
        athlete=athlete,
        kind="easy",
        name="Easy run",
        starts_at=timezone.now() + dt.timedelta(hours=hours_ahead),
        duration_minutes=40,
    )


def test_a_change_is_queued_for_its_recheck_as_it_commits(drill_redis):
    athlete = AthleteFactory()

    add_run(athlete)

    assert queued(drill_redis) == [(RECHECK, f"[{athlete.pk}]")]
    assert not OutboxMessage.objects.exists()


def test_a_change_rolled_back_asks_for_nothing(drill_redis):
    session = ScheduledSessionFactory(date=timezone.localdate() + dt.timedelta(days=3))

    # A session move is also a step of a bigger write (a flag's move to its suggested day).
    with pytest.raises(RuntimeError, match="failed after"), transaction.atomic():
        session_move(session=session, date=session.date, time_of_day=None, by_coach=True)
        raise RuntimeError("the write failed after the session was moved")

    assert queued(drill_redis) == []
    assert not OutboxMessage.objects.exists()


def warmed_up(athlete):
    """One change sent while the broker is there: a running server has imported what sending
    takes (a second and more on a busy machine, once per process), and the queue is emptied."""
    add_run(athlete, hours_ahead=1)
    celery_app.connection_for_write().default_channel.queue_purge(
        celery_app.conf.task_default_queue
    )


def test_with_the_broker_down_a_change_commits_at_once_and_its_recheck_waits(drill_redis):
    athlete = AthleteFactory()
    warmed_up(athlete)
    drill_redis.stop()

    started = time.monotonic()
    event = add_run(athlete)
    took = time.monotonic() - started

    print(f"a change with the broker down: {took:.2f} s")
    assert took < 1, f"the change took {took:.1f} s"
    assert athlete.run_events.filter(pk=event.pk).exists()
    waiting = OutboxMessage.objects.get()
    assert (waiting.task, waiting.args, waiting.attempts) == (RECHECK, [athlete.pk], 1)

    drill_redis.start()
    out = StringIO()
    call_command("outbox_relay", stdout=out)

    assert out.getvalue() == "Relayed 1 message as 1 task; 0 pending.\n"
    assert queued(drill_redis) == [(RECHECK, f"[{athlete.pk}]")]


def test_ten_changes_to_one_athlete_while_the_broker_is_down_are_one_recheck(drill_redis):
    athlete, other = AthleteFactory(), AthleteFactory()
    drill_redis.stop()
    for hours in range(10):
        add_run(athlete, hours_ahead=24 + hours)
    add_run(other)
    assert OutboxMessage.objects.count() == 11
    drill_redis.start()

    call_command("outbox_relay", stdout=StringIO())

    assert sorted(queued(drill_redis)) == sorted(
        [(RECHECK, f"[{athlete.pk}]"), (RECHECK, f"[{other.pk}]")]
    )
    assert not OutboxMessage.objects.exists()


def _relay_until_empty(start):
    try:
        start.wait()
        while outbox_relay(limit=7).taken:
            pass
    finally:
        connection.close()


def test_relays_running_at_once_send_each_message_once(drill_redis):
    # Messages no relay took yet (as after a crash between commit and relay).
    OutboxMessage.objects.bulk_create(
        OutboxMessage(task=RECHECK, args=[n], dedupe_key=f"flags-recheck:{n}") for n in range(120)
    )
    start = threading.Barrier(3)
    relays = [threading.Thread(target=_relay_until_empty, args=(start,)) for _ in range(3)]
    for relay in relays:
        relay.start()
    for relay in relays:
        relay.join(60)

    assert sorted(queued(drill_redis)) == sorted((RECHECK, f"[{n}]") for n in range(120))
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def silent_broker():
    """A broker address that accepts connections and never answers (a hung or half-gone
    Redis): this process's Celery app sends there."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    with celery_app_on(f"redis://127.0.0.1:{listener.getsockname()[1]}/0"):
        yield
    listener.close()
    for peer in accepted:
        peer.close()


def test_a_broker_that_never_answers_costs_a_change_about_a_second(drill_redis, request):
    athlete = AthleteFactory()
    warmed_up(athlete)
    request.getfixturevalue("silent_broker")

    started = time.monotonic()
    add_run(athlete)
    took = time.monotonic() - started

    print(f"a change with a broker that never answers: {took:.2f} s")
    assert took < 2, f"the change took {took:.1f} s"
    assert OutboxMessage.objects.get().attempts == 1
