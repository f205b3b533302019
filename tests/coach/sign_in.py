"""Signing in, as the account tests check it."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests.athletes.factories import AthleteFactory
from tests.coach.factories import TEST_PASSWORD, AdminUserFactory, CoachUserFactory

# pytest.mark.parametrize("make_user", **EVERY_ROLE): a test for each kind of account.
EVERY_ROLE = {
    "argvalues": [CoachUserFactory, lambda: AthleteFactory().user, AdminUserFactory],
    "ids": ["coach", "athlete", "admin with two-factor on"],
}


def logs_in(login, password=TEST_PASSWORD) -> bool:
    """Does the login form take this username or address with this password (at least as far
    as the second factor, for an account that has one)?"""
    response = Client().post(reverse("login"), {"login": login, "password": password})
    return response.status_code == 302


def sign_in(client, user):
    """`client` signed in as `user` is after the whole login: for an account with an
    authenticator app, its code given too, as staff must have done before the admin opens.
    Recorded in the session as allauth's code step records it (without the cost of a real
    password check per test)."""
    client.force_login(user)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        request = HttpRequest()
        request.session, request.user = client.session, user
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
        request.session.save()
    return client


def reauthenticate(client, password=TEST_PASSWORD):
    """`client`'s user gives their password again, as allauth asks before an email address is
    added or removed (ACCOUNT_REAUTHENTICATION_REQUIRED); it holds for a few minutes."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, "the password was not taken"
    return client
