"""Anyone who forgot their password resets it by email: a link that works once and expires,
which never tells a stranger whether an address has an account."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.coach.factories import TEST_PASSWORD, CoachUserFactory
from tests.coach.sign_in import EVERY_ROLE, logs_in
from tests.mail import account_emails_send, emailed_link

NEW_PASSWORD = "a-brand-new-passphrase"


def reset_link(client, mailoutbox, email):
    client.post(reverse("account_reset_password"), {"email": email})
    return emailed_link(mailoutbox, about="Password Reset Email", leading_to="/reset/key/")


def set_new_password(client, link, password=NEW_PASSWORD):
    form = client.get(link, follow=True)
    return client.post(form.redirect_chain[-1][0], {"password1": password, "password2": password})


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", **EVERY_ROLE)
def test_every_role_resets_a_forgotten_password_by_email(client, mailoutbox, make_user):
    user = make_user()

    done = set_new_password(client, reset_link(client, mailoutbox, user.email))

    assert done.url == reverse("account_reset_password_from_key_done")
    assert logs_in(user.username, NEW_PASSWORD)
    assert not logs_in(user.username)


@pytest.mark.django_db
def test_a_reset_link_is_dead_once_used(client, mailoutbox):
    coach = CoachUserFactory()
    link = reset_link(client, mailoutbox, coach.email)
    set_new_password(client, link)

    again = client.get(link, follow=True)

    assert "already been used" in again.text
    assert 'name="password1"' not in again.text


@pytest.mark.django_db
def test_a_reset_link_expires(client, mailoutbox):
    coach = CoachUserFactory()
    asked = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(asked, tick=False):
        link = reset_link(client, mailoutbox, coach.email)

    late = asked + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(late, tick=False):
        response = client.get(link, follow=True)

    assert "already been used" in response.text  # allauth's words for any dead link
    coach.refresh_from_db()
    assert coach.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_as_a_known_one(client, mailoutbox):
    CoachUserFactory(email="casey@example.com")

    known = client.post(reverse("account_reset_password"), {"email": "casey@example.com"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    account_emails_send()

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    to_nobody = next(m for m in mailoutbox if m.to == ["nobody@example.com"])
    assert "/password/reset/key/" not in to_nobody.body  # no account, so no link


@pytest.mark.django_db
def test_resetting_the_password_logs_out_every_other_device(client, mailoutbox):
    coach = CoachUserFactory()
    phone = Client()
    phone.force_login(coach)

    set_new_password(client, reset_link(client, mailoutbox, coach.email))

    assert not phone.get(reverse("home")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_new_password_too_weak_is_refused_next_to_the_field(client, mailoutbox):
    coach = CoachUserFactory()
    link = reset_link(client, mailoutbox, coach.email)

    response = set_new_password(client, link, password="123")

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    coach.refresh_from_db()
    assert coach.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_the_owner_is_told_by_email_when_their_password_changes(client, mailoutbox):
    coach = CoachUserFactory(email="casey@example.com")

    set_new_password(client, reset_link(client, mailoutbox, coach.email))
    account_emails_send()

    (notice,) = [m for m in mailoutbox if "Your password has been reset." in m.body]
    assert notice.to == ["casey@example.com"] and "/password/reset/key/" not in notice.body
