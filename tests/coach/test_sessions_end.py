from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.athletes.factories import AthleteFactory
from tests.coach.factories import TEST_PASSWORD, CoachUserFactory


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


@pytest.mark.django_db
def test_a_session_signed_in_before_the_account_backend_stays_signed_in_after_its_migration():
    moved = import_module("coach.migrations.0005_sessions_signed_in_through_account_backend")
    athlete = AthleteFactory()
    phone = Client()
    phone.force_login(athlete.user, backend=moved.ACCOUNT_BACKEND)
    session = phone.session
    session[BACKEND_SESSION_KEY] = moved.ALLAUTH_BACKEND  # as allauth's backend signed it in
    session.save()
    assert phone.get(reverse("athletes:session-today")).status_code == 302  # signed out

    moved.to_account_backend(apps, None)

    today = phone.get(reverse("athletes:session-today"))
    assert today.status_code == 200 and today.wsgi_request.user == athlete.user
