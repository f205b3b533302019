"""Hostile input on the account forms, posted where a real visitor stands when they send them:
logged out on the login, sign-up and reset pages, half-way through a login at the code step, just
reauthenticated on the two-factor pages. Like tests/coach/test_hostile_input.py (whose bodies
these are): never a server error, and a refusal (4xx) changes no row."""

from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cache_keys import cache_keys_of_their_own
from tests.coach.factories import TEST_PASSWORD, second_factor_turn_on, totp_code
from tests.coach.test_access_matrix import SIGNUP_FORM, World, _rows_of_our_apps, rolled_back
from tests.coach.test_hostile_input import EXAMPLES_PER_URL, _hostile_body
from tests.mail import emailed_link

NEW_PASSWORD = "a-much-longer-new-passphrase"


def _logged_out(url_name, body):
    def stand(client, world):
        return reverse(url_name), body(world) if callable(body) else body

    return stand


def _logged_in(client, coach, *, with_code=False):
    client.post(reverse("login"), {"login": coach.username, "password": TEST_PASSWORD})
    if with_code:
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})


def _reauthenticated(client, coach, *, with_code=False):
    _logged_in(client, coach, with_code=with_code)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})


def at_the_code_step(client, world):
    second_factor_turn_on(world.coach_a)
    client.post(reverse("login"), {"login": world.coach_a.username, "password": TEST_PASSWORD})
    return reverse("mfa_authenticate"), {"code": totp_code()}


def turning_on_an_authenticator_app(client, world):
    _reauthenticated(client, world.coach_a)
    page = client.get(reverse("mfa_activate_totp"))
    return reverse("mfa_activate_totp"), {"code": totp_code(page.context["form"].secret)}


def with_two_factor_on(url):
    def stand(client, world):
        second_factor_turn_on(world.coach_a)
        _reauthenticated(client, world.coach_a, with_code=True)
        return reverse(url), {"action": "confirm"}

    return stand


def reauthenticating_with_a_code(client, world):
    second_factor_turn_on(world.coach_a)
    _logged_in(client, world.coach_a, with_code=True)
    return reverse("mfa_reauthenticate"), {"code": totp_code(steps_ahead=1)}


def reauthenticating_with_the_password(client, world):
    _logged_in(client, world.coach_a)
    return reverse("account_reauthenticate"), {"password": TEST_PASSWORD}


def setting_a_new_password_from_the_link(client, world):
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": world.coach_a.email})
    link = emailed_link(mail.outbox, about="Password Reset Email", leading_to="/reset/key/")
    form = client.get(link, follow=True)
    return form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


STANDS = {
    "login": _logged_out(
        "login", lambda w: {"login": w.coach_a.username, "password": TEST_PASSWORD}
    ),
    "sign-up": _logged_out("account_signup", SIGNUP_FORM),
    "reset request": _logged_out("account_reset_password", lambda w: {"email": w.coach_a.email}),
    "new password from the link": setting_a_new_password_from_the_link,
    "code step of a login": at_the_code_step,
    "turning on an authenticator app": turning_on_an_authenticator_app,
    "turning it off": with_two_factor_on("mfa_deactivate_totp"),
    "new recovery codes": with_two_factor_on("mfa_generate_recovery_codes"),
    "reauthenticating with the password": reauthenticating_with_the_password,
    "reauthenticating with a code": reauthenticating_with_a_code,
}


pytestmark = pytest.mark.usefixtures("fast_hasher")  # tests/coach/conftest.py


@pytest.mark.django_db
@pytest.mark.parametrize("stand", sorted(STANDS))
def test_hostile_account_posts_never_break_the_server_nor_half_save(stand, mailoutbox):
    world = World()

    @settings(
        max_examples=EXAMPLES_PER_URL,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def attack(data):
        # Each example its own rows and its own count against allauth's rate limits.
        with rolled_back(), cache_keys_of_their_own():
            client = Client(raise_request_exception=False)
            url, valid = STANDS[stand](client, world)
            body = data.draw(_hostile_body(valid, world))
            before = _rows_of_our_apps()
            response = client.post(url, body)
            assert response.status_code < 500, f"{stand} answered {response.status_code} to {body}"
            if 400 <= response.status_code < 500:
                assert _rows_of_our_apps() == before, f"{stand} refused {body} but changed rows"

    attack()


@pytest.mark.django_db
@pytest.mark.parametrize("stand", sorted(STANDS))
def test_each_stand_is_where_its_valid_form_succeeds(stand, mailoutbox):
    """So that the attack above reaches the form, not a redirect to a login or a reauth."""
    client = Client()
    url, valid = STANDS[stand](client, World())

    response = client.post(url, valid)

    assert response.status_code == 302, f"{stand}: {response.status_code}"
    assert urlparse(response.url).path not in {
        reverse("login"),
        reverse("account_reauthenticate"),
        reverse("mfa_reauthenticate"),
    }
