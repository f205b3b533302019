"""Sessions are read by SQL of our own (coach/sessions.py) with Django's rules: a session past
its expiry, a key nobody was given and a malformed key all leave the browser signed out. Each
keeps the user it is signed in as beside it, read with it in one statement, and never taken for
another user's."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coach.models import BrowserSession
from tests.athletes.factories import AthleteFactory

pytestmark = pytest.mark.django_db
TODAY = reverse("athletes:session-today")


def signed_in(client, user):
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_signed_in_athlete_reaches_their_page(client, athlete):
    signed_in(client, athlete.user)
    assert client.get(TODAY).status_code == 200


def test_a_session_past_its_expiry_signs_the_browser_out(client, athlete):
    key = signed_in(client, athlete.user)
    BrowserSession.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(TODAY)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "key",
    ["no-such-session-key-at-all", "short", "x" * 300, "ABCDEFGH'; --", "é" * 20, "abcdefgh\0ijkl"],
)
def test_a_key_nobody_was_given_reads_as_signed_out(client, athlete, key):
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(TODAY)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_nul_sent_in_a_quoted_cookie_reads_as_signed_out(client, athlete):
    """Django unquotes "\\000" in a quoted cookie into a NUL, which PostgreSQL refuses."""
    cookie = f'{settings.SESSION_COOKIE_NAME}="abcdefgh\\000ijklmnop"'
    response = client.get(TODAY, HTTP_COOKIE=cookie)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_session_keeps_the_user_it_is_signed_in_as_and_reads_them_with_it(client, athlete):
    key = signed_in(client, athlete.user)
    assert BrowserSession.objects.get(session_key=key).user == athlete.user
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("athletes:csrf-refresh"))
    assert response.status_code == 200 and response.wsgi_request.user == athlete.user
    assert response.wsgi_request.user.athlete == athlete
    assert len(queries) == 1  # the session, its user and their athlete profile


def test_a_session_beside_another_users_id_is_still_its_own_users(client, athlete):
    """Only what the session says counts: a column naming someone else is never believed."""
    key = signed_in(client, athlete.user)
    BrowserSession.objects.filter(session_key=key).update(user=AthleteFactory().user)
    assert client.get(TODAY).wsgi_request.user == athlete.user


def test_a_user_deleted_takes_their_sessions_with_them(client, coach_user):
    key = signed_in(client, coach_user)
    coach_user.delete()
    assert not BrowserSession.objects.filter(session_key=key).exists()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
