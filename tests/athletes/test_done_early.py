"""A session done before the day it was planned for is history from the moment it is done:
every page that reads "what has been done" reads it from what was done (completed, sets logged,
skipped), not from the date the session was planned for."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.athletes.logging_sessions import session_for

pytestmark = pytest.mark.django_db

NOW = "2026-11-22 18:00:00+00:00"  # a Sunday evening in London
TODAY = dt.date(2026, 11, 22)
TOMORROW = dt.date(2026, 11, 23)  # Monday: the next training week
JSON = {"HTTP_ACCEPT": "application/json"}


def log_squats(client, session, sets=4, load="60"):
    squat = session.program_session.prescriptions.get(exercise__name="Back squat")
    for number in range(1, sets + 1):
        response = client.post(
            reverse("athletes:set-record", args=[session.pk]),
            {"id": str(uuid.uuid4()), "prescription": squat.pk, "set_number": number,
             "side": "", "reps": 5, "load": load, "rpe": ""},
            **JSON,
        )  # fmt: skip
        assert response.status_code == 201


def complete(client, session):
    response = client.post(
        reverse("athletes:session-complete", args=[session.pk]),
        {"session_rpe": 7, "actual_minutes": 30, "notes": ""},
    )
    assert response.status_code == 302


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def athlete_client(athlete):
    client = Client()
    client.force_login(athlete.user)
    return client


@pytest.fixture
def coach_client(athlete):
    client = Client()
    client.force_login(athlete.coach)
    return client


@pytest.fixture
def done_early(travel, athlete, athlete_client):
    """Monday's Day A, logged and completed on the Sunday before."""
    session = session_for(athlete, date=TOMORROW)
    log_squats(athlete_client, session)
    complete(athlete_client, session)
    return session


def test_the_athletes_history_lists_it_on_the_day_it_was_done(done_early, athlete_client):
    page = athlete_client.get(reverse("athletes:history-list")).content.decode()
    detail_url = reverse("athletes:session-detail", args=[done_early.pk])
    assert f'href="{detail_url}"' in page
    assert "4 sets logged" in page
    assert "Sunday 22 Nov" in page and "planned Monday 23 Nov" in page


def test_the_coachs_training_log_lists_it(done_early, coach_client, athlete):
    page = coach_client.get(reverse("athletes:athlete-detail", args=[athlete.pk])).content.decode()
    assert "Nothing logged yet" not in page
    assert "Sun 22 Nov · Day A" in page and "Back squat: 4 × 5 @ 60 kg" in page


def test_today_still_shows_it_done_with_the_same_day_reopen(done_early, athlete_client):
    page = athlete_client.get(reverse("athletes:session-today")).content.decode()
    assert '<p class="text-uppercase small fw-semibold text-body-secondary mb-1">Today' in page
    assert f'data-session-id="{done_early.pk}"' in page
    assert "Reopen to correct a set" in page


def test_progress_dates_its_sets_on_the_day_they_were_done(done_early, athlete_client):
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    row = '<th scope="row" class="text-nowrap">{}</th>{}'
    # 60 × (1 + 5/30) = 70, on Sunday; the week of Monday 16 Nov has its 4 sets and its load.
    assert row.format("2026-11-22", "<td>Back squat</td><td>70</td>") in page
    assert row.format("2026-11-16", "<td>4</td><td>1200</td>") in page
    assert row.format("2026-11-16", "<td>1</td><td>210</td>") in page
    assert "2026-11-23" not in page


def test_the_dashboard_shows_it_as_the_last_session_done_today(done_early, coach_client):
    response = coach_client.get(reverse("dashboard"))
    (row,) = response.context["rows"]
    assert row.days_since_last_session == 0
    assert "Sun 22 Nov · session RPE 7" in " ".join(response.content.decode().split())


def test_last_time_is_the_session_done_most_recently_whatever_its_planned_date(
    athlete, athlete_client
):
    """Monday's and Wednesday's sessions done the other way round: on Tuesday, Monday's session
    shows Wednesday's squats (done on Monday) as last time, not the week before's."""
    monday, wednesday = dt.date(2026, 11, 16), dt.date(2026, 11, 18)
    with time_machine.travel("2026-11-09 18:00:00+00:00", tick=False):
        week_before = session_for(athlete, date=monday - dt.timedelta(days=7))
        log_squats(athlete_client, week_before, load="50")
        complete(athlete_client, week_before)
    with time_machine.travel("2026-11-16 18:00:00+00:00", tick=False):
        planned_first = session_for(athlete, date=monday)
        planned_second = session_for(athlete, date=wednesday, name="Day A again")
        log_squats(athlete_client, planned_second, load="62.5")
        complete(athlete_client, planned_second)
    with time_machine.travel("2026-11-17 18:00:00+00:00", tick=False):
        page = athlete_client.get(reverse("athletes:session-detail", args=[planned_first.pk]))
    assert "Last time: 4 × 5 @ 62.5 kg" in page.content.decode()
