import datetime as dt
import uuid

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.coach.factories import TEST_PASSWORD, CoachUserFactory

pytestmark = pytest.mark.usefixtures("fast_hasher")  # tests/coach/conftest.py


def user_of_its_own():
    """Failed attempts are counted per username in the shared cache, which parallel test
    processes share: a name no other test uses keeps the counts apart."""
    return CoachUserFactory(username=f"lockout-{uuid.uuid4().hex[:12]}")


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login_with_a_clear_message(client):
    user = user_of_its_own()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"login": user.username, "password": "nope"})
        assert response.status_code == 200
    locking = client.post(reverse("login"), {"login": user.username, "password": "nope"})
    assert locking.status_code == 429

    response = client.post(reverse("login"), {"login": user.username, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_few_wrong_passwords_then_the_right_one_logs_in(client):
    user = user_of_its_own()
    for _ in range(3):
        client.post(reverse("login"), {"login": user.username, "password": "nope"})

    response = client.post(reverse("login"), {"login": user.username, "password": TEST_PASSWORD})

    assert response.status_code == 302


def failed_logins(client, usernames, times, **extra):
    for username in usernames:
        for _ in range(times):
            response = client.post(
                reverse("login"), {"login": username, "password": "nope"}, **extra
            )
            assert response.status_code == 200, "stopped before the limit"


@pytest.mark.django_db
def test_wrong_passwords_for_many_usernames_from_one_address_stop_that_address(client):
    """Password spraying: a few tries per account, under the per-username limit, across many
    accounts. The address's ceiling stops it, and its next try — even the right password of an
    account it never tried — gets the same 429 page."""
    per_username = settings.AXES_FAILURE_LIMIT - 1
    usernames = [f"spray-{n}" for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT // per_username)]
    failed_logins(client, usernames, per_username)
    tried = len(usernames) * per_username
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - tried - 1):
        failed_logins(client, [f"spray-more-{n}"], 1)
    reaching = client.post(reverse("login"), {"login": "spray-last", "password": "nope"})
    assert reaching.status_code == 429

    user = user_of_its_own()
    response = client.post(reverse("login"), {"login": user.username, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "paused for up to an hour" in response.text
    assert not response.wsgi_request.user.is_authenticated


def spray(client, failures, **extra):
    """`failures` wrong passwords from one client, each for another username: the last answer."""
    for n in range(failures):
        response = client.post(
            reverse("login"), {"login": f"sprayed-{n}", "password": "nope"}, **extra
        )
    return response


@pytest.mark.django_db
def test_an_address_stopped_for_spraying_does_not_stop_others(client):
    assert spray(client, settings.LOGIN_ADDRESS_FAILURE_LIMIT).status_code == 429
    user = user_of_its_own()

    response = client.post(
        reverse("login"),
        {"login": user.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_failures_older_than_an_hour_no_longer_count_against_the_address(client):
    start = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        assert spray(client, settings.LOGIN_ADDRESS_FAILURE_LIMIT).status_code == 429
    user = user_of_its_own()

    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        response = client.post(
            reverse("login"), {"login": user.username, "password": TEST_PASSWORD}
        )

    assert response.status_code == 302


@pytest.mark.django_db
def test_a_locked_username_is_told_how_long_to_wait(client):
    user = user_of_its_own()
    failed_logins(client, [user.username], settings.AXES_FAILURE_LIMIT - 1)

    response = client.post(reverse("login"), {"login": user.username, "password": "nope"})

    assert response.status_code == 429
    assert "locked for 15 minutes" in response.text


@pytest.mark.django_db
def test_behind_our_proxy_the_address_limits_count_the_clients_address(client, settings):
    """Behind a TLS proxy every request comes from the proxy: the address it forwards is the
    client's (counted from the right; what the client wrote further left is not trusted)."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The sprayer claims to be 203.0.113.5; the proxy saw 192.0.2.44.
    sprayed = spray(
        client,
        settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        HTTP_X_FORWARDED_FOR="203.0.113.5, 192.0.2.44",
        **proxy,
    )
    assert sprayed.status_code == 429
    user = user_of_its_own()

    def sign_in(forwarded_for):
        return Client().post(
            reverse("login"),
            {"login": user.username, "password": TEST_PASSWORD},
            HTTP_X_FORWARDED_FOR=forwarded_for,
            **proxy,
        )

    assert sign_in("203.0.113.5, 198.51.100.7").status_code == 302
    assert sign_in("192.0.2.44").status_code == 429


@pytest.mark.django_db
def test_a_login_longer_than_any_account_has_is_refused_next_to_the_field(client):
    response = client.post(reverse("login"), {"login": "x" * 300, "password": "nope"})

    assert response.status_code == 200
    assert "at most 254 characters" in str(response.context["form"].errors["login"])
