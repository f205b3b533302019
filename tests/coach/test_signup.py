"""A coach signs up from the login page, confirms their address by the emailed link, and only
then invites athletes. Athletes never sign up here."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from coach.models import Invitation, User
from tests.coach.factories import CoachUserFactory
from tests.mail import emailed_link

PASSWORD = "a-long-enough-passphrase"


def signup_form(**overrides):
    return {
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": "nia@example.com",
        "username": "nia",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def verification_link(mailoutbox, to="nia@example.com"):
    return emailed_link(mailoutbox, about="Confirm", leading_to="/confirm-email/", to=to)


@pytest.mark.django_db
def test_the_login_page_offers_coaches_a_sign_up_and_tells_athletes_to_ask(client):
    html = client.get(reverse("login")).text

    assert f'href="{reverse("account_signup")}"' in html
    assert "Create your coach account" in html
    assert "Ask your coach for an invitation link" in html
    assert f'href="{reverse("account_reset_password")}"' in html


@pytest.mark.django_db
def test_a_new_coach_lands_on_an_empty_dashboard_that_says_what_to_do_first(client, mailoutbox):
    response = client.post(reverse("account_signup"), signup_form(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    user = User.objects.get(username="nia")
    assert user.is_coach and (user.first_name, user.email) == ("Nia", "nia@example.com")
    html = response.text
    assert "No athletes yet" in html
    for step, url in [
        ("Copy a library template", reverse("programs:template-list")),
        ("Build a program", reverse("programs:program-create")),
        ("Invite an athlete", reverse("invitation-list")),
    ]:
        assert f'<a href="{url}">{step}</a>' in html
    assert "once you have confirmed your email address" in html
    assert verification_link(mailoutbox).startswith("/accounts/confirm-email/")


@pytest.mark.django_db
def test_until_the_address_is_confirmed_the_coach_may_not_invite(client, mailoutbox):
    client.post(reverse("account_signup"), signup_form())

    page = client.get(reverse("invitation-list"))
    refused = client.post(reverse("invitation-create"), {"note": "Sam"})

    assert "Confirm your email address before you invite athletes" in page.text
    assert "nia@example.com" in page.text
    assert 'name="note"' not in page.text  # no form to fill in for nothing
    assert refused.status_code == 403
    assert "Confirm your email address before you invite athletes" in refused.text
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_following_the_link_confirms_the_address_and_the_coach_may_invite(client, mailoutbox):
    client.post(reverse("account_signup"), signup_form())
    link = verification_link(mailoutbox)

    page = client.get(link)  # a mail scanner's visit changes nothing: a button confirms
    assert 'type="submit"' in page.text
    assert not EmailAddress.objects.get(email="nia@example.com").verified
    confirmed = client.post(link)
    invited = client.post(reverse("invitation-create"), {"note": "Sam"})

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="nia@example.com").verified
    assert invited.url == reverse("invitation-list")
    assert Invitation.objects.get().coach.username == "nia"


@pytest.mark.django_db
def test_a_verification_link_works_once(client, mailoutbox):
    client.post(reverse("account_signup"), signup_form())
    link = verification_link(mailoutbox)
    client.post(link)

    again = client.get(link)

    assert "expired or is invalid" in again.text
    assert client.post(link).status_code == 404


@pytest.mark.django_db
def test_a_verification_link_expires_after_three_days(client, mailoutbox):
    signed_up = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(signed_up, tick=False):
        client.post(reverse("account_signup"), signup_form())
        link = verification_link(mailoutbox)

    with time_machine.travel(signed_up + dt.timedelta(days=3, minutes=1), tick=False):
        late = client.get(link)

    assert "expired or is invalid" in late.text
    assert not EmailAddress.objects.get(email="nia@example.com").verified


@pytest.mark.django_db
def test_a_sign_up_with_an_address_in_use_is_refused_without_saying_whose(client, mailoutbox):
    CoachUserFactory(username="rowan-hale", first_name="Rowan", email="casey@example.com")

    response = client.post(reverse("account_signup"), signup_form(email="Casey@Example.COM"))

    assert response.status_code == 200
    assert "An account already uses this email address" in response.text
    assert "rowan-hale" not in response.text and "Rowan" not in response.text
    assert not User.objects.filter(username="nia").exists()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_without_a_username_the_coach_gets_one_and_logs_in_with_the_address(client):
    client.post(reverse("account_signup"), signup_form(username=""))
    client.logout()

    response = client.post(reverse("login"), {"login": "NIA@example.com", "password": PASSWORD})

    assert response.url == reverse("home")
    assert User.objects.get(email="nia@example.com").username  # made from the name or address


@pytest.mark.django_db
def test_signing_up_always_makes_a_coach_whatever_the_form_says(client):
    client.post(reverse("account_signup"), signup_form(role="athlete", is_staff="on"))

    user = User.objects.get(username="nia")
    assert user.is_coach and not user.is_staff and not hasattr(user, "athlete")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"password2": "something-else-entirely"}, "password2", "same password"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"first_name": ""}, "first_name", "required"),
        ({"username": "nia smith!"}, "username", "valid username"),
    ],
)
def test_bad_sign_up_details_are_shown_next_to_the_field_and_nothing_is_saved(
    client, overrides, field, message
):
    response = client.post(reverse("account_signup"), signup_form(**overrides))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signed_in_the_sign_up_page_sends_you_home(client):
    client.force_login(CoachUserFactory())

    assert client.get(reverse("account_signup")).url == reverse("home")


@pytest.mark.django_db
def test_sign_ups_from_one_address_are_limited_with_the_one_429_page(client):
    for n in range(10):
        response = client.post(
            reverse("account_signup"),
            signup_form(email=f"coach{n}@example.com", username=f"coach-{n}"),
        )
        assert response.status_code == 302, f"sign-up {n + 1} was stopped"
        client.logout()

    stopped = client.post(
        reverse("account_signup"), signup_form(email="one@example.com", username="one-more")
    )

    assert stopped.status_code == 429
    assert "Too many attempts" in stopped.text
    assert "<title>Too many attempts · Coach</title>" in stopped.text  # the one 429 page
    assert not User.objects.filter(username="one-more").exists()


@pytest.mark.django_db
def test_an_admin_made_coach_confirms_their_address_before_inviting(client, mailoutbox):
    """Accounts made in the admin have an address allauth has no record of yet: the email page
    records it and sends the link."""
    coach = CoachUserFactory(email="sam@example.com", email_verified=False)
    EmailAddress.objects.filter(user=coach).delete()
    client.force_login(coach)

    assert "Send the link again" in client.get(reverse("invitation-list")).text
    client.post(reverse("account_email"), {"action_send": "", "email": "sam@example.com"})
    client.post(verification_link(mailoutbox, to="sam@example.com"))

    assert client.post(reverse("invitation-create"), {"note": "Ola"}).status_code == 302
    assert timezone.now() < Invitation.objects.get().expires_at
