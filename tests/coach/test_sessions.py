"""Sessions are read by SQL of our own (coach/sessions.py) with Django's rules: a session past
its expiry, a key nobody was given and a malformed key all leave the browser signed out."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

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
    Session.objects.filter(session_key=key).update(
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
