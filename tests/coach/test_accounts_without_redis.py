"""With Redis away (the cache allauth keeps its rate limits and used codes in), signing up,
asking for a reset link and logging in with a second factor still answer at once."""

import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from coach.models import User
from outbox.models import OutboxMessage
from tests.coach.factories import (
    TEST_PASSWORD,
    TEST_TOTP_SECRET,
    CoachUserFactory,
    second_factor_turn_on,
    totp_code,
)
from tests.coach.test_health import closed_port, silent_server

PASSWORD = "a-long-enough-passphrase"


@contextmanager
def cache_at(port):
    """The site's cache, as configured, pointed at a Redis on `port`."""
    cache = {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}
    if cache["BACKEND"] != "coach.cache.ForgivingRedisCache":
        pytest.skip("the forgiving Redis cache is configured with REDIS_URL")
    with override_settings(CACHES={"default": cache}):
        yield


def sign_up(client, name):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": name.title(),
            "last_name": "Coach",
            "email": f"{name}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


pytestmark = pytest.mark.usefixtures("fast_hasher")  # tests/coach/conftest.py


@pytest.mark.django_db
def test_with_redis_down_a_coach_signs_up_and_asks_for_a_reset_link(client):
    with cache_at(closed_port()):
        signed_up = sign_up(client, "nia")
        client.logout()
        asked = client.post(reverse("account_reset_password"), {"email": "nia@example.com"})

    assert signed_up.status_code == 302 and User.objects.get(username="nia").is_coach
    assert asked.url == reverse("account_reset_password_done")
    # The verification and the reset link, waiting for a worker.
    assert OutboxMessage.objects.filter(task="coach.tasks.account_email_send").count() == 2


@pytest.mark.django_db
def test_with_redis_down_login_with_a_second_factor_works(client):
    coach = CoachUserFactory()
    second_factor_turn_on(coach)

    with cache_at(closed_port()):
        client.post(reverse("login"), {"login": coach.username, "password": TEST_PASSWORD})
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})

    assert response.url == reverse("home")


@pytest.mark.django_db
def test_a_redis_that_hangs_costs_a_sign_up_about_a_second_not_one_per_call(client):
    with silent_server() as port, cache_at(port):
        started = time.monotonic()
        response = sign_up(client, "ola")
        took = time.monotonic() - started

    assert response.status_code == 302
    assert took < 3, f"the sign-up took {took:.1f} s"
