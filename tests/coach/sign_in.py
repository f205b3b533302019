"""Signing in, as the account tests check it."""

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
