"""The admin's view of athletes and their training: every page answers, history is read-only,
deletes that would lose training are refused, and admin edits re-check flags."""

import datetime as dt
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes import admin as athletes_admin
from athletes.models import (
    Assignment,
    Athlete,
    RunEvent,
    ScheduledSession,
    SetLog,
)
from tests.athletes.factories import AthleteFactory, RunEventFactory, ScheduledSessionFactory
from tests.programs.factories import ExerciseFactory

MODELS = ["athlete", "runevent", "assignment", "scheduledsession", "setlog", "flag", "transfertest"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo's four accounts would otherwise cost a second of Argon2 each, in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def logged_set(session):
    return SetLog.objects.create(
        id=uuid.uuid4(),
        scheduled_session=session,
        exercise=ExerciseFactory(),
        set_number=1,
        reps=5,
        load_kg=60,
        load_entered=60,
        load_unit="kg",
    )


@pytest.mark.parametrize("model", MODELS)
def test_every_athletes_list_answers_with_the_demo_loaded(admin_client, demo, model):
    response = admin_client.get(reverse(f"admin:athletes_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "row"),
    [
        ("athlete", lambda: Athlete.objects.first()),
        ("runevent", lambda: RunEvent.objects.filter(kind="race").first()),
        ("assignment", lambda: Assignment.objects.first()),
        ("scheduledsession", lambda: ScheduledSession.objects.first()),
    ],
)
def test_the_demo_rows_open_in_the_admin(admin_client, demo, model, row):
    response = admin_client.get(reverse(f"admin:athletes_{model}_change", args=[row().pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    ["?kind__exact=race", "?priority__exact=A", "?is_key__exact=1", "?q=athlete2"],
)
def test_run_events_filter_and_search(admin_client, demo, query):
    response = admin_client.get(reverse("admin:athletes_runevent_changelist") + query)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


def test_assignments_and_sessions_are_only_made_by_scheduling(admin_client):
    for model in ["assignment", "scheduledsession", "setlog"]:
        assert admin_client.get(reverse(f"admin:athletes_{model}_add")).status_code == 403


def test_a_logged_set_is_shown_but_not_changed(admin_client):
    set_log = logged_set(ScheduledSessionFactory())
    url = reverse("admin:athletes_setlog_change", args=[set_log.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"reps": 50, "set_number": 1})
    assert response.status_code == 403
    set_log.refresh_from_db()
    assert set_log.reps == 5


def test_a_session_with_logged_sets_cannot_be_deleted_in_the_admin(admin_client):
    session = ScheduledSessionFactory()
    logged_set(session)
    url = reverse("admin:athletes_scheduledsession_delete", args=[session.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Cannot delete" in response.text
    admin_client.post(url, {"post": "yes"})
    assert ScheduledSession.objects.filter(pk=session.pk).exists()


def test_an_athlete_with_sessions_cannot_be_deleted_in_the_admin(admin_client):
    session = ScheduledSessionFactory()
    url = reverse("admin:athletes_athlete_delete", args=[session.athlete.pk])
    response = admin_client.get(url)
    assert "Cannot delete" in response.text


def test_an_exercise_with_logged_sets_cannot_be_deleted_in_the_admin(admin_client):
    set_log = logged_set(ScheduledSessionFactory())
    response = admin_client.get(
        reverse("admin:programs_exercise_delete", args=[set_log.exercise_id])
    )
    assert response.status_code == 200
    assert "Cannot delete" in response.text


def test_changing_a_run_event_in_the_admin_rechecks_the_athletes_flags(admin_client, monkeypatch):
    rechecked = []
    monkeypatch.setattr(athletes_admin, "athlete_schedule_changed", rechecked.append)
    event = RunEventFactory(kind="interval", name="Track", is_key=True)
    starts = event.starts_at.astimezone(event.athlete.tz) + dt.timedelta(days=1)
    data = {
        "athlete": event.athlete_id,
        "kind": "interval",
        "name": "Track",
        "starts_at_0": starts.date().isoformat(),
        "starts_at_1": starts.time().isoformat(timespec="seconds"),
        "duration_minutes": 60,
        "priority": "",
        "is_key": "on",
    }
    response = admin_client.post(reverse("admin:athletes_runevent_change", args=[event.pk]), data)
    assert response.status_code == 302
    assert rechecked == [event.athlete_id]
    admin_client.post(reverse("admin:athletes_runevent_delete", args=[event.pk]), {"post": "yes"})
    assert rechecked == [event.athlete_id, event.athlete_id]


def test_a_race_without_a_priority_is_a_message_in_the_admin(admin_client):
    athlete = AthleteFactory()
    data = {
        "athlete": athlete.pk,
        "kind": "race",
        "name": "Parkrun",
        "starts_at_0": "2026-12-05",
        "starts_at_1": "09:00:00",
        "duration_minutes": 25,
        "priority": "",
    }
    response = admin_client.post(reverse("admin:athletes_runevent_add"), data)
    assert response.status_code == 200
    assert "Please correct the error" in response.text
    assert not RunEvent.objects.exists()


def test_the_run_event_list_costs_the_same_queries_for_more_rows(admin_client):
    url = reverse("admin:athletes_runevent_changelist")
    RunEventFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    RunEventFactory.create_batch(15)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


def test_changing_the_freshness_window_in_the_admin_rechecks_flags(admin_client, monkeypatch):
    rechecked = []
    monkeypatch.setattr(athletes_admin, "athlete_schedule_changed", rechecked.append)
    athlete = AthleteFactory()
    data = {
        "user": athlete.user_id,
        "coach": athlete.coach_id,
        "time_zone": "Europe/London",
        "unit": "kg",
        "freshness_window_hours": 48,
        "default_session_time": "17:30",
    }
    url = reverse("admin:athletes_athlete_change", args=[athlete.pk])
    assert admin_client.post(url, data).status_code == 302
    assert rechecked == [athlete.pk]
    athlete.refresh_from_db()
    assert athlete.freshness_window_hours == 48
    response = admin_client.post(url, {**data, "freshness_window_hours": 12})
    assert response.status_code == 200  # a message on the form, not a database error
    assert "Please correct the error" in response.text


def test_changing_the_default_session_time_in_the_admin_rechecks_flags(admin_client, monkeypatch):
    """A session without a time of day is checked at the athlete's default session time, so
    moving that time can raise or resolve flags."""
    rechecked = []
    monkeypatch.setattr(athletes_admin, "athlete_schedule_changed", rechecked.append)
    athlete = AthleteFactory(time_zone="Europe/London", freshness_window_hours=36)
    data = {
        "user": athlete.user_id,
        "coach": athlete.coach_id,
        "time_zone": "Europe/London",
        "unit": athlete.unit,
        "freshness_window_hours": 36,
        "default_session_time": "06:30",
    }
    url = reverse("admin:athletes_athlete_change", args=[athlete.pk])
    assert admin_client.post(url, data).status_code == 302
    assert rechecked == [athlete.pk]
