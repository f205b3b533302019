"""Sign-in, the home redirect by role, and joining through a coach's invitation link."""

import datetime as dt
import threading
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete
from coach import services
from coach.models import Invitation, User
from tests.athletes.factories import AthleteFactory
from tests.coach.factories import (
    TEST_PASSWORD,
    AthleteUserFactory,
    CoachUserFactory,
    UserFactory,
)
from tests.coach.sign_in import sign_in
from tests.mail import account_emails_send
from tests.queries import page_queries

NEW_PASSWORD = "a-much-longer-new-passphrase"


def join_form(**overrides):
    return {
        "username": "newrunner",
        "first_name": "Nia",
        "last_name": "Runner",
        "email": "nia@example.com",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
        "time_zone": "America/Chicago",
        "unit": "lb",
        **overrides,
    }


def join_url(invitation):
    return reverse("invitation-accept", args=[invitation.token])


# -- login, logout, password change ----------------------------------------------------------


@pytest.mark.django_db
def test_login_page_asks_for_username_and_password(client):
    html = client.get(reverse("login")).content.decode()

    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert ">Log in</button>" in html


@pytest.mark.django_db
def test_coach_logs_in_and_lands_on_their_roster_dashboard(client):
    athlete = AthleteFactory(user__first_name="Rosa", user__last_name="Runner")

    response = client.post(
        reverse("login"),
        {"login": athlete.coach.username, "password": TEST_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "Rosa Runner" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client):
    coach = CoachUserFactory()

    response = client.post(reverse("login"), {"login": coach.username, "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_logging_out_needs_a_post_and_signs_the_user_out(client):
    client.force_login(CoachUserFactory())

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.url == reverse("login")
    assert client.get(reverse("home")).url.startswith(reverse("login"))


@pytest.mark.django_db
def test_password_change_with_the_old_password_sets_the_new_one(client):
    coach = CoachUserFactory()
    client.force_login(coach)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.url == reverse("password_change_done")
    coach.refresh_from_db()
    assert coach.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_with_a_wrong_old_password_is_refused_next_to_the_field(client):
    coach = CoachUserFactory()
    client.force_login(coach)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    coach.refresh_from_db()
    assert coach.check_password(TEST_PASSWORD)


# -- home by role ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitor_at_home_is_sent_to_login(client):
    response = client.get(reverse("home"))

    assert response.url == f"{reverse('login')}?next=/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_user, destination",
    [
        (lambda: CoachUserFactory(), "dashboard"),
        (lambda: AthleteFactory().user, "athletes:session-today"),
        (lambda: UserFactory(is_staff=True, is_superuser=True), "admin:index"),
    ],
    ids=["coach", "athlete", "staff"],
)
def test_home_sends_each_role_to_its_own_page(client, make_user, destination):
    client.force_login(make_user())

    assert client.get(reverse("home")).url == reverse(destination)


@pytest.mark.django_db
def test_account_without_a_role_is_forbidden_at_home(client):
    client.force_login(UserFactory())

    assert client.get(reverse("home")).status_code == 403


# -- invitations -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_coach_creates_an_invitation_and_sees_its_link_to_copy(client):
    coach = CoachUserFactory()
    client.force_login(coach)

    response = client.post(reverse("invitation-create"), {"note": "Sam from the club"}, follow=True)

    invitation = Invitation.objects.get(coach=coach)
    html = response.content.decode()
    assert "Sam from the club" in html and "Copy link" in html
    assert f"http://testserver{join_url(invitation)}" in html
    assert invitation.is_open()


@pytest.mark.django_db
def test_coach_sees_only_their_own_invitations(client):
    coach = CoachUserFactory()
    services.invitation_create(coach=CoachUserFactory(), note="Someone else's runner")
    client.force_login(coach)

    html = client.get(reverse("invitation-list")).content.decode()

    assert "Someone else" not in html and "No invitations yet" in html


@pytest.mark.django_db
def test_invitation_list_query_count_is_the_same_for_2_and_20_invitations(client):
    coach = CoachUserFactory()
    client.force_login(coach)

    def add_invitations(count):
        for n in range(count):
            invitation = services.invitation_create(coach=coach, note=f"Runner {n}")
            if n % 2:  # half of them used, so the page names who used them
                invitation.used_at, invitation.used_by = timezone.now(), AthleteUserFactory()
                invitation.save()

    add_invitations(2)
    with_two = page_queries(client, reverse("invitation-list"))
    add_invitations(18)

    assert page_queries(client, reverse("invitation-list")) == with_two


@pytest.mark.django_db
def test_a_coach_whose_address_is_unconfirmed_cannot_invite():
    with pytest.raises(ValidationError, match="Confirm your email address"):
        services.invitation_create(coach=CoachUserFactory(email_verified=False))
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_only_coaches_can_invite():
    athlete_user = AthleteFactory().user

    with pytest.raises(ValidationError):
        services.invitation_create(coach=athlete_user)


@pytest.mark.django_db
def test_athlete_joins_through_the_link_and_lands_on_today(client):
    invitation = services.invitation_create(coach=CoachUserFactory())

    response = client.post(join_url(invitation), join_form(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("athletes:session-today")
    user = User.objects.get(username="newrunner")
    assert response.wsgi_request.user == user
    assert user.is_athlete and user.check_password("a-long-enough-passphrase")
    assert (user.first_name, user.email) == ("Nia", "nia@example.com")
    athlete = Athlete.objects.get(user=user)
    assert (athlete.coach, athlete.time_zone, athlete.unit) == (
        invitation.coach,
        "America/Chicago",
        "lb",
    )
    invitation.refresh_from_db()
    assert invitation.used_by == user and not invitation.is_open()


@pytest.mark.django_db
def test_join_page_names_the_inviting_coach(client):
    coach = CoachUserFactory(first_name="Casey", last_name="Morgan")
    invitation = services.invitation_create(coach=coach)

    response = client.get(join_url(invitation))

    assert response.status_code == 200
    assert "Casey Morgan invited you" in response.content.decode()


@pytest.mark.django_db
def test_join_form_starts_with_the_email_the_coach_invited(client):
    invitation = services.invitation_create(coach=CoachUserFactory(), email="sam@example.com")

    response = client.get(join_url(invitation))

    assert response.context["form"]["email"].value() == "sam@example.com"


@pytest.mark.django_db
def test_a_used_link_answers_410_and_never_makes_a_second_account(client):
    invitation = services.invitation_create(coach=CoachUserFactory())
    client.post(join_url(invitation), join_form())
    client.logout()

    page = client.get(join_url(invitation))
    second = client.post(join_url(invitation), join_form(username="secondrunner"))

    assert page.status_code == 410 and second.status_code == 410
    assert "already been used or has expired" in page.content.decode()
    assert not User.objects.filter(username="secondrunner").exists()


@pytest.mark.django_db
def test_an_expired_link_answers_410(client):
    invitation = services.invitation_create(coach=CoachUserFactory())
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    assert client.get(join_url(invitation)).status_code == 410
    assert client.post(join_url(invitation), join_form()).status_code == 410
    assert not User.objects.filter(username="newrunner").exists()


@pytest.mark.django_db
def test_an_unknown_token_is_404(client):
    assert client.get(reverse("invitation-accept", args=["not-a-real-token"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"password2": "something-else-entirely"}, "password2", "The two passwords differ."),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Pick a time zone from the list"),
        ({"username": ""}, "username", "This field is required."),
        ({"email": ""}, "email", "This field is required."),
    ],
)
def test_bad_join_details_are_shown_next_to_the_field_and_nothing_is_saved(
    client, overrides, field, message
):
    invitation = services.invitation_create(coach=CoachUserFactory())

    response = client.post(join_url(invitation), join_form(**overrides))

    assert response.status_code == 422
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Athlete.objects.exists()
    invitation.refresh_from_db()
    assert invitation.is_open()


@pytest.mark.django_db
def test_joining_records_the_address_unconfirmed_and_emails_its_link(client, mailoutbox):
    invitation = services.invitation_create(coach=CoachUserFactory())

    client.post(join_url(invitation), join_form())
    account_emails_send()

    address = EmailAddress.objects.get(user__username="newrunner")
    assert (address.email, address.primary, address.verified) == ("nia@example.com", True, False)
    (message,) = mailoutbox
    assert message.to == ["nia@example.com"] and "/accounts/confirm-email/" in message.body


@pytest.mark.django_db
def test_an_address_another_account_has_is_refused_at_join(client):
    UserFactory(email="nia@example.com")
    invitation = services.invitation_create(coach=CoachUserFactory())

    response = client.post(join_url(invitation), join_form(email="NIA@example.com"))

    assert response.status_code == 422
    assert "An account already uses this email address" in str(
        response.context["form"].errors["email"]
    )
    invitation.refresh_from_db()
    assert invitation.is_open()


@pytest.mark.django_db
def test_a_taken_username_is_refused_whatever_its_case(client):
    UserFactory(username="NewRunner")
    invitation = services.invitation_create(coach=CoachUserFactory())

    response = client.post(join_url(invitation), join_form(username="newrunner"))

    assert "That username is taken" in str(response.context["form"].errors["username"])


@pytest.mark.django_db(transaction=True)
def test_two_signups_racing_on_one_link_create_one_account():
    invitation = services.invitation_create(coach=CoachUserFactory())
    start_together = threading.Barrier(2)
    outcomes = []
    real_is_open = Invitation.is_open

    def slow_is_open(self, now=None):
        # Hold the first sign-up inside its transaction, so the second one truly overlaps it.
        threading.Event().wait(0.3)
        return real_is_open(self, now)

    def sign_up(username):
        try:
            start_together.wait()
            services.invitation_accept(
                token=invitation.token,
                username=username,
                password="a-long-enough-passphrase",
                time_zone="Europe/London",
                unit="kg",
            )
            outcomes.append("joined")
        except services.InvitationUnavailable:
            outcomes.append("link used")
        finally:
            connection.close()

    with mock.patch.object(Invitation, "is_open", slow_is_open):
        threads = [threading.Thread(target=sign_up, args=(name,)) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(outcomes) == ["joined", "link used"]
    assert Athlete.objects.count() == 1
    assert User.objects.filter(role=User.Role.ATHLETE).count() == 1


# -- admin -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_manages_users_with_their_role_and_sees_invitations(client, admin_user):
    coach = CoachUserFactory(username="casey")
    services.invitation_create(coach=coach, note="Sam from the club")
    sign_in(client, admin_user)

    users = client.get(reverse("admin:coach_user_changelist"), {"role__exact": "coach"})
    change = client.get(reverse("admin:coach_user_change", args=[coach.pk]))
    add = client.get(reverse("admin:coach_user_add"))
    invitations = client.get(reverse("admin:coach_invitation_changelist"))

    assert "casey" in users.content.decode()
    assert 'name="role"' in change.content.decode() and 'name="role"' in add.content.decode()
    assert "Sam from the club" in invitations.content.decode()
