import pytest
from django.test import Client
from django.urls import reverse

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
