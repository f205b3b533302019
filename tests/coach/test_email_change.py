"""Changing one's email address: the new one replaces the old only once its emailed link is
followed; until then sign-in and reset links stay with the old one."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.coach.factories import CoachUserFactory
from tests.coach.sign_in import EVERY_ROLE, logs_in, reauthenticate
from tests.mail import emailed_link


def change_email(client, new_email):
    return client.post(reverse("account_email"), {"action_add": "", "email": new_email})


def confirmation_link(mailoutbox, to):
    return emailed_link(mailoutbox, about="Confirm", leading_to="/confirm-email/", to=to)


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", **EVERY_ROLE)
def test_the_new_address_replaces_the_old_once_its_link_is_followed(client, mailoutbox, make_user):
    user = make_user()
    old = user.email
    client.force_login(user)
    reauthenticate(client)

    changing = change_email(client, "new.address@example.com")
    page = client.get(reverse("account_email"))

    assert changing.url == reverse("account_email")
    assert "Changing to <strong>new.address@example.com</strong>" in page.text
    user.refresh_from_db()
    assert user.email == old and logs_in(old)

    client.post(confirmation_link(mailoutbox, to="new.address@example.com"))

    user.refresh_from_db()
    assert user.email == "new.address@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("new.address@example.com", True)
    ]
    assert logs_in("new.address@example.com") and not logs_in(old)


@pytest.mark.django_db
def test_an_address_of_another_account_cannot_be_taken(client, mailoutbox):
    CoachUserFactory(email="taken@example.com")
    coach = CoachUserFactory()
    client.force_login(coach)
    reauthenticate(client)

    change_email(client, "taken@example.com")
    link = confirmation_link(mailoutbox, to="taken@example.com")
    page = client.get(link)
    client.post(link)

    assert "already confirmed by a different account" in page.text
    coach.refresh_from_db()
    assert coach.email != "taken@example.com"
    assert not EmailAddress.objects.filter(user=coach, email="taken@example.com", verified=True)


@pytest.mark.django_db
def test_a_pending_change_can_be_cancelled(client, mailoutbox):
    coach = CoachUserFactory()
    client.force_login(coach)
    reauthenticate(client)
    change_email(client, "new.address@example.com")

    client.post(reverse("account_email"), {"action_remove": "", "email": "new.address@example.com"})

    assert not EmailAddress.objects.filter(email="new.address@example.com").exists()
    assert EmailAddress.objects.get(user=coach).verified


@pytest.mark.django_db
def test_a_malformed_address_is_refused_next_to_the_field(client):
    client.force_login(CoachUserFactory())
    reauthenticate(client)

    response = change_email(client, "not an address")

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", **EVERY_ROLE)
def test_changing_the_address_asks_for_the_password_again_first(client, mailoutbox, make_user):
    user = make_user()
    client.force_login(user)

    asked = change_email(client, "new.address@example.com")

    assert asked.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new.address@example.com").exists()
    assert not mailoutbox
    wrong = client.post(reverse("account_reauthenticate"), {"password": "not-my-password"})
    assert wrong.status_code == 200 and "password" in wrong.context["form"].errors
    reauthenticate(client)
    assert change_email(client, "new.address@example.com").url == reverse("account_email")
    assert EmailAddress.objects.filter(user=user, email="new.address@example.com").exists()
