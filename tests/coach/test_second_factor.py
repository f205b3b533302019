"""Two-factor authentication: a coach or an admin turns on an authenticator app (with recovery
codes); logging in then asks for a code; staff cannot open the admin without one."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.coach.factories import (
    TEST_PASSWORD,
    TEST_TOTP_SECRET,
    AdminUserFactory,
    CoachUserFactory,
    second_factor_turn_on,
    totp_code,
)

WRONG_CODE = "000000"


pytestmark = pytest.mark.usefixtures("fast_hasher")  # tests/coach/conftest.py


def password_step(client, user):
    """The first step of logging in: the password. Returns the answer."""
    return client.post(reverse("login"), {"login": user.username, "password": TEST_PASSWORD})


def reauthenticate(client):
    """Turning a factor on or off asks for the password again, even right after logging in."""
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302, "the password was not taken again"


def code_step(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def code_step_again(client, code, next_url=None):
    """The code asked for again by a session that is already signed in."""
    query = f"?next={next_url}" if next_url else ""
    return client.post(f"{reverse('mfa_reauthenticate')}{query}", {"code": code})


def signed_in(client):
    return client.get(reverse("account-overview")).status_code == 200


def turn_on_authenticator_app(client, user):
    """As a coach does it: log in, open the set-up page, type the app's code for its secret."""
    password_step(client, user)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    assert secret in page.text  # for apps that cannot read the QR code
    assert 'src="data:image/svg+xml;base64,' in page.text  # the QR code, allowed by the CSP
    return client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}), secret


@pytest.mark.django_db
def test_a_coach_turns_on_an_authenticator_app_and_gets_recovery_codes(client):
    coach = CoachUserFactory()

    turned_on, secret = turn_on_authenticator_app(client, coach)
    codes_page = client.get(turned_on.url)

    assert turned_on.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=coach, type="totp").exists()
    codes = Authenticator.objects.get(user=coach, type="recovery_codes").wrap().get_unused_codes()
    assert len(codes) == 10 and all(code in codes_page.text for code in codes)
    overview = client.get(reverse("account-overview")).text
    assert "Two-factor authentication" in overview and ">On<" in overview


@pytest.mark.django_db
def test_a_wrong_code_does_not_turn_it_on(client):
    coach = CoachUserFactory()
    password_step(client, coach)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": WRONG_CODE})

    assert response.status_code == 200
    assert "Incorrect code" in response.text
    assert not Authenticator.objects.filter(user=coach).exists()


@pytest.mark.django_db
def test_with_it_on_login_asks_for_the_code_and_takes_only_the_right_one(client):
    coach = CoachUserFactory()
    second_factor_turn_on(coach)

    asked = password_step(client, coach)
    assert asked.url == reverse("mfa_authenticate")
    assert not signed_in(client)
    wrong = code_step(client, WRONG_CODE)
    assert wrong.status_code == 200 and "Incorrect code" in wrong.text
    assert not signed_in(client)
    right = code_step(client, totp_code(TEST_TOTP_SECRET))

    assert right.url == reverse("home")
    assert signed_in(client)


@pytest.mark.django_db
def test_a_code_works_once(client):
    coach = CoachUserFactory()
    second_factor_turn_on(coach)
    code = totp_code(TEST_TOTP_SECRET)
    password_step(client, coach)
    code_step(client, code)
    client.post(reverse("logout"))

    password_step(client, coach)
    replayed = code_step(client, code)

    assert "Incorrect code" in replayed.text
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once_instead_of_the_app(client):
    coach = CoachUserFactory()
    turn_on_authenticator_app(client, coach)
    client.post(reverse("logout"))
    recovery = (
        Authenticator.objects.get(user=coach, type="recovery_codes").wrap().get_unused_codes()[0]
    )

    password_step(client, coach)
    assert code_step(client, recovery).url == reverse("home")
    client.post(reverse("logout"))
    password_step(client, coach)

    assert "Incorrect code" in code_step(client, recovery).text


@pytest.mark.django_db
def test_wrong_codes_count_with_wrong_passwords_and_lock_with_the_one_429_page(client):
    coach = CoachUserFactory()
    second_factor_turn_on(coach)
    client.post(reverse("login"), {"login": coach.username, "password": "nope"})
    password_step(client, coach)
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        assert code_step(client, WRONG_CODE).status_code == 200

    locking = code_step(client, WRONG_CODE)
    locked = code_step(client, totp_code(TEST_TOTP_SECRET))

    assert locking.status_code == locked.status_code == 429
    assert "Too many failed logins" in locked.text and "locked for 15 minutes" in locked.text
    assert "<title>Too many attempts · Coach</title>" in locked.text  # the one 429 page
    assert not signed_in(client)
    assert password_step(Client(), coach).status_code == 429  # the password step too


@pytest.mark.django_db
def test_staff_without_a_second_factor_are_sent_to_set_one_up_before_the_admin(client):
    staff = AdminUserFactory(second_factor=False)
    client.force_login(staff)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert "Staff accounts need two-factor authentication before the admin opens" in response.text
    assert client.get(reverse("admin:programs_exercise_changelist")).status_code == 302


@pytest.mark.django_db
def test_staff_with_a_second_factor_open_the_admin_once_this_session_gave_a_code(client):
    # Signed in without the code: a session from before the app was turned on, say.
    client.force_login(AdminUserFactory())

    asked = client.get(reverse("admin:index"), follow=True)
    assert asked.redirect_chain[0][0] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    assert "Enter a code from your authenticator app to open the admin." in asked.text
    assert client.get(reverse("admin:programs_exercise_changelist")).status_code == 302
    assert code_step_again(client, WRONG_CODE).status_code == 200  # refused, asked again
    assert client.get(reverse("admin:index")).status_code == 302

    given = code_step_again(client, totp_code(TEST_TOTP_SECRET), next_url="/admin/")

    assert given.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_staff_sign_in_to_the_admin_through_the_login_page_that_asks_for_the_code(client):
    staff = AdminUserFactory()

    to_login = client.get(reverse("admin:index"), follow=True)
    assert to_login.redirect_chain[-1][0] == f"{reverse('login')}?next=/admin/"
    asked = client.post(
        f"{reverse('login')}?next=/admin/", {"login": staff.username, "password": TEST_PASSWORD}
    )
    assert asked.url.startswith(reverse("mfa_authenticate"))
    signed_in_with_code = code_step(client, totp_code(TEST_TOTP_SECRET))

    assert signed_in_with_code.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_cannot_turn_their_second_factor_off(client):
    staff = AdminUserFactory()
    password_step(client, staff)
    code_step(client, totp_code(TEST_TOTP_SECRET))
    reauthenticate(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert "Staff accounts keep two-factor authentication on" in response.text
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


@pytest.mark.django_db
def test_a_coach_may_turn_it_off_again(client):
    coach = CoachUserFactory()
    turn_on_authenticator_app(client, coach)

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=coach).exists()
    client.post(reverse("logout"))
    assert password_step(client, coach).url == reverse("home")


@pytest.mark.django_db
def test_an_unconfirmed_address_must_be_confirmed_before_turning_it_on(client):
    coach = CoachUserFactory(email_verified=False)
    password_step(client, coach)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert "Confirm your email address first" in response.text
    assert not Authenticator.objects.filter(user=coach).exists()


@pytest.mark.django_db
def test_the_account_page_offers_two_factor_to_coaches_and_staff_only(client):
    from tests.athletes.factories import AthleteFactory

    for user, offered in [(CoachUserFactory(), True), (AthleteFactory().user, False)]:
        client.force_login(user)
        page = client.get(reverse("account-overview")).text
        assert (reverse("mfa_index") in page) is offered
