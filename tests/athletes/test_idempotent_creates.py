"""Creating from a form is safe to repeat: the form carries a key made when it was shown, so a
resubmitted or retried post — even three at once — stores one row and answers like the first."""

import datetime as dt
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from athletes.models import RunEvent, TransferTest
from tests.athletes.factories import AthleteFactory

KEY_INPUT = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f-]{36})"')


def form_key(client, url) -> str:
    page = client.get(url).content.decode()
    return KEY_INPUT.search(page).group(1)


def post_at_once(clients, url, data):
    """Each client posts `data` to `url` at the same moment; their answers."""
    start = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def post(index, client):
        try:
            start.wait()
            answers[index] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=item) for item in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def signed_in_clients(user, count=3):
    clients = [Client() for _ in range(count)]
    for client in clients:
        client.force_login(user)
    return clients


@pytest.mark.django_db
def test_each_time_a_create_form_is_shown_it_carries_a_new_key(client):
    athlete = AthleteFactory()
    client.force_login(athlete.user)
    for name in ("run-event-create", "run-event-weekly", "transfer-test-create"):
        url = reverse(f"athletes:{name}")
        assert form_key(client, url) != form_key(client, url)


@pytest.mark.django_db(transaction=True)
def test_three_posts_of_one_run_at_once_add_it_once():
    athlete = AthleteFactory()
    clients = signed_in_clients(athlete.user)
    url = reverse("athletes:run-event-create")
    day = timezone.localdate() + dt.timedelta(days=4)
    run = {"kind": "tempo", "name": "Tempo", "date": day.isoformat(), "start_time": "18:30",
           "duration_minutes": 40, "idempotency_key": form_key(clients[0], url)}  # fmt: skip

    answers = post_at_once(clients, url, run)

    assert [answer.status_code for answer in answers] == [302, 302, 302]
    assert len({answer.url for answer in answers}) == 1
    assert RunEvent.objects.filter(athlete=athlete).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_coach_adding_a_run_for_an_athlete_twice_at_once_adds_it_once():
    athlete = AthleteFactory()
    clients = signed_in_clients(athlete.coach, count=2)
    url = reverse("athletes:athlete-run-event-create", args=[athlete.pk])
    day = timezone.localdate() + dt.timedelta(days=9)
    race = {"kind": "race", "name": "Riverside 5K", "date": day.isoformat(), "priority": "A",
            "start_time": "09:00", "duration_minutes": 25, "distance_km": "5",
            "idempotency_key": form_key(clients[0], url)}  # fmt: skip

    answers = post_at_once(clients, url, race)

    assert [answer.status_code for answer in answers] == [302, 302]
    assert RunEvent.objects.filter(athlete=athlete, name="Riverside 5K").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_weekly_pattern_posted_three_times_at_once_adds_its_weeks_once():
    athlete = AthleteFactory()
    clients = signed_in_clients(athlete.user)
    url = reverse("athletes:run-event-weekly")
    pattern = {"kind": "interval", "name": "Track", "weekday": 1, "start_time": "18:00",
               "first_date": timezone.localdate().isoformat(), "weeks": 6,
               "duration_minutes": 50, "idempotency_key": form_key(clients[0], url)}  # fmt: skip

    answers = post_at_once(clients, url, pattern)

    assert [answer.status_code for answer in answers] == [302, 302, 302]
    assert RunEvent.objects.filter(athlete=athlete, name="Track").count() == 6


@pytest.mark.django_db(transaction=True)
def test_three_posts_of_one_transfer_test_at_once_record_it_once():
    athlete = AthleteFactory()
    clients = signed_in_clients(athlete.user)
    url = reverse("athletes:transfer-test-create")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    test = {"kind": "sprint", "result": "8.15", "detail": "60 m", "date": yesterday.isoformat(),
            "idempotency_key": form_key(clients[0], url)}  # fmt: skip

    answers = post_at_once(clients, url, test)

    assert [answer.status_code for answer in answers] == [302, 302, 302]
    assert TransferTest.objects.filter(athlete=athlete).count() == 1


@pytest.mark.django_db
def test_a_post_with_a_new_key_is_a_new_run(client):
    athlete = AthleteFactory()
    client.force_login(athlete.user)
    url = reverse("athletes:run-event-create")
    day = timezone.localdate() + dt.timedelta(days=2)
    run = {"kind": "easy", "date": day.isoformat(), "start_time": "07:00", "duration_minutes": 30}
    for _ in range(2):
        client.post(url, {**run, "idempotency_key": form_key(client, url)})

    assert RunEvent.objects.filter(athlete=athlete).count() == 2


@pytest.mark.django_db
def test_a_key_that_is_not_one_is_refused_without_saving(client):
    athlete = AthleteFactory()
    client.force_login(athlete.user)
    day = timezone.localdate() + dt.timedelta(days=2)

    response = client.post(
        reverse("athletes:run-event-create"),
        {"kind": "easy", "date": day.isoformat(), "start_time": "07:00",
         "duration_minutes": 30, "idempotency_key": "not-a-uuid\x00"},
    )  # fmt: skip

    assert response.status_code == 400
    assert not RunEvent.objects.exists()
