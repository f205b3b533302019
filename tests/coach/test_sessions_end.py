import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.test import Client, override_settings
from django.urls import reverse

from coach.celery import app
from coach.models import BrowserSession
from coach.tasks import browser_sessions_clear
from tests.athletes.factories import AthleteFactory
from tests.coach.factories import TEST_PASSWORD, CoachUserFactory

TODAY = reverse("athletes:session-today")


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_logging_out_on_one_device_signs_the_user_out_on_every_device():
    user = CoachUserFactory()
    laptop, phone = logged_in_client(user), logged_in_client(user)
    assert phone.get("/").wsgi_request.user.is_authenticated

    laptop.post(reverse("logout"))

    assert not phone.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_changing_the_password_keeps_this_session_and_ends_the_others():
    user = CoachUserFactory()
    laptop, phone = logged_in_client(user), logged_in_client(user)

    laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "a-much-longer-new-passphrase",
            "password2": "a-much-longer-new-passphrase",
        },
    )

    assert laptop.get("/").wsgi_request.user.is_authenticated
    assert not phone.get("/").wsgi_request.user.is_authenticated


def session_kept_by_django(user, backend):
    """The key of a session signed in as `user` through `backend` in Django's own table, where
    sessions were kept before coach's migration 0006."""
    session = DjangoSessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def phone_with_session(key):
    phone = Client()
    phone.cookies[settings.SESSION_COOKIE_NAME] = key
    return phone


@pytest.mark.django_db
def test_a_session_signed_in_before_the_account_backend_stays_signed_in_after_the_migrations():
    backends = import_module("coach.migrations.0005_sessions_signed_in_through_account_backend")
    moved = import_module("coach.migrations.0006_browser_sessions_with_their_user")
    athlete = AthleteFactory()
    key = session_kept_by_django(athlete.user, backends.ALLAUTH_BACKEND)
    assert phone_with_session(key).get(TODAY).status_code == 302  # signed out

    backends.to_account_backend(apps, None)
    moved.to_browser_sessions(apps, None)

    today = phone_with_session(key).get(TODAY)
    assert today.status_code == 200 and today.wsgi_request.user == athlete.user
    assert BrowserSession.objects.get().user == athlete.user


@pytest.mark.django_db
def test_sessions_moved_back_to_djangos_table_stay_signed_in():
    moved = import_module("coach.migrations.0006_browser_sessions_with_their_user")
    athlete = AthleteFactory()
    phone = Client()
    phone.force_login(athlete.user)

    moved.to_django_sessions(apps, None)

    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db"):
        today = phone.get(TODAY)
    assert today.status_code == 200 and today.wsgi_request.user == athlete.user


@pytest.mark.django_db
def test_the_beat_task_deletes_expired_sessions_and_keeps_the_open_ones():
    signed_in = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)
    with time_machine.travel(signed_in, tick=False):
        gone = logged_in_client(AthleteFactory().user)
    with time_machine.travel(signed_in + dt.timedelta(days=7), tick=False):
        staying = logged_in_client(AthleteFactory().user)
    gone_key, staying_key = (
        client.cookies[settings.SESSION_COOKIE_NAME].value for client in (gone, staying)
    )
    assert set(BrowserSession.objects.values_list("session_key", flat=True)) == {
        gone_key,
        staying_key,
    }

    with time_machine.travel(signed_in + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        browser_sessions_clear()
        assert staying.get(TODAY).status_code == 200  # still signed in

    assert set(BrowserSession.objects.values_list("session_key", flat=True)) == {staying_key}


def test_beat_runs_the_session_clearing_task():
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["browser-sessions-clear"]

    assert entry["task"] == browser_sessions_clear.name
    assert entry["task"] in app.tasks  # a worker knows it
