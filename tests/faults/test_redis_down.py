"""Redis stopped: signing in, adding runs and completing a session still answer at once, store
each change once, and the flag rechecks they ask for run once Redis is back."""

import datetime as dt
import re
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from athletes.models import Flag, RunEvent, ScheduledSession
from athletes.services import flagging
from coach.celery import app as celery_app
from outbox.models import OutboxMessage
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory
from tests.coach.factories import TEST_PASSWORD
from tests.worker import wait_until, wait_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER_WITHIN = 2.0  # seconds, for every request while Redis is down
RECHECK_DONE = re.compile(r"flags_refresh_for_athlete\[[^\]]+\] succeeded")


class TimedClient(Client):
    """A test client that answers a view's exception with its 500 page (as a server would)
    and keeps how long each request took."""

    def __init__(self):
        super().__init__(raise_request_exception=False)
        self.took = []

    def request(self, **request):
        started = time.monotonic()
        try:
            return super().request(**request)
        finally:
            self.took.append(time.monotonic() - started)


def answered_in_time(client, response, expected_status):
    assert response.status_code == expected_status, (
        f"answered {response.status_code} after {client.took[-1]:.1f} s"
    )
    assert client.took[-1] < ANSWER_WITHIN, f"took {client.took[-1]:.1f} s"


def run_form(day, **changes):
    return {
        "kind": "easy",
        "name": "Easy run",
        "date": day.isoformat(),
        "start_time": "07:00",
        "duration_minutes": 40,
        "idempotency_key": str(uuid.uuid4()),
        **changes,
    }


def test_with_redis_down_a_coach_signs_in_an_athlete_adds_a_run_and_completes_a_session(
    drill_redis, start_worker, settings
):
    # The drill times what Redis costs a request, not argon2's deliberate second (and more on
    # a busy two-core machine) per password: a fast hasher for its users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    worker = start_worker(loglevel="info", beat=True)
    athlete = AthleteFactory()
    coach = athlete.coach
    other = AthleteFactory(coach=coach)
    day = timezone.localdate() + dt.timedelta(days=3)
    session = ScheduledSessionFactory(athlete=athlete, date=day, time_of_day=dt.time(18))
    RaceFactory(athlete=athlete, starts_at=dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(9), tzinfo=athlete.tz))  # fmt: skip
    flagging.flags_refresh_for_athlete(athlete.pk)
    flag = session.flags.get()
    athlete_client, coach_client = TimedClient(), TimedClient()
    athlete_client.force_login(athlete.user)
    coach_client.get(reverse("login"))  # a running server has its code loaded already
    athlete_client.get(reverse("athletes:session-today"))
    coach_client.took.clear()
    athlete_client.took.clear()

    drill_redis.stop()

    wrong = coach_client.post(
        reverse("login"), {"login": coach.username, "password": "not-the-password"}
    )
    answered_in_time(coach_client, wrong, 200)
    assert "Please enter a correct username and password" in wrong.text
    signed_in = coach_client.post(
        reverse("login"), {"login": coach.username, "password": TEST_PASSWORD}
    )
    answered_in_time(coach_client, signed_in, 302)
    coach_run = run_form(day + dt.timedelta(days=2), kind="long", name="Long run")
    added = coach_client.post(
        reverse("athletes:athlete-run-event-create", args=[other.pk]), coach_run
    )
    answered_in_time(coach_client, added, 302)

    today = athlete_client.get(reverse("athletes:session-today"))
    answered_in_time(athlete_client, today, 200)  # the session is read without Redis
    athlete_run = run_form(day + dt.timedelta(days=2))
    for _ in range(2):  # the phone retries: the same key is the same run
        added = athlete_client.post(reverse("athletes:run-event-create"), athlete_run)
        answered_in_time(athlete_client, added, 302)
    completed = athlete_client.post(
        reverse("athletes:session-complete", args=[session.pk]), {"session_rpe": 7}
    )
    answered_in_time(athlete_client, completed, 302)

    assert RunEvent.objects.filter(athlete=other, name="Long run").count() == 1
    assert RunEvent.objects.filter(athlete=athlete, name="Easy run").count() == 1
    session.refresh_from_db()
    assert session.status == ScheduledSession.Status.COMPLETED
    flag.refresh_from_db()
    assert flag.is_open, "no worker has rechecked the athlete yet"
    rechecks_before = len(RECHECK_DONE.findall(worker.log()))

    drill_redis.start()
    back = time.monotonic()

    # The completed session's flag is resolved by the worker's recheck, and by nothing else.
    wait_until(
        lambda: not OutboxMessage.objects.exists() and not Flag.objects.get(pk=flag.pk).is_open,
        timeout=60,
        message="the rechecks did not run after Redis came back",
    )
    rechecked_after = time.monotonic() - back
    wait_until_idle(celery_app.conf.task_default_queue)
    rechecks = len(RECHECK_DONE.findall(worker.log())) - rechecks_before
    answers = sorted(round(took, 2) for took in athlete_client.took + coach_client.took)
    print(
        f"Redis down: answers in {answers} s; "
        f"Redis back: rechecks done after {rechecked_after:.1f} s, {rechecks} run"
    )
    assert rechecks == 2, "one recheck for each athlete, however many changes each had"
