"""Leaving: deleting an account, a coach removing an athlete or handing one over, and an
athlete with an account joining a new coach through their invitation."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete, Handover, RunEvent, ScheduledSession, SetLog
from athletes.selectors.scoping import owned_by
from athletes.services.roster import handover_offer
from coach import services
from coach.dashboard import roster_page
from coach.models import Invitation, User
from programs.models import Program, SessionTemplate
from tests.athletes.factories import AthleteFactory, RunEventFactory, ScheduledSessionFactory
from tests.coach.factories import TEST_PASSWORD, CoachUserFactory
from tests.coach.sign_in import sign_in
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, ProgramFactory

pytestmark = pytest.mark.django_db

MOVE = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)  # a Wednesday, midday


def history(athlete, *dates):
    """A completed session with a logged set on each date, and one planned a week after the
    last; returns (done sessions, planned session)."""
    exercise = ExerciseFactory()
    done = []
    for date in dates:
        session = ScheduledSessionFactory(athlete=athlete, date=date, status="completed")
        SetLog.objects.create(scheduled_session=session, exercise=exercise, set_number=1, reps=5)
        done.append(session)
    planned = ScheduledSessionFactory(athlete=athlete, date=dates[-1] + dt.timedelta(days=7))
    return done, planned


def post(user, name, data=None, **kwargs):
    return sign_in(Client(), user).post(reverse(name, kwargs=kwargs), data or {})


# -- deleting an account ---------------------------------------------------------------------


def test_deleting_an_athlete_removes_them_and_their_history_and_nobody_elses():
    athlete = AthleteFactory()
    coach = athlete.coach
    history(athlete, dt.date(2026, 5, 4))
    RunEventFactory(athlete=athlete)
    teammate = AthleteFactory(coach=coach)
    _, teammates_planned = history(teammate, dt.date(2026, 5, 4))
    programs_before = Program.objects.filter(coach=coach).count()
    client = sign_in(Client(), athlete.user)
    other_device = sign_in(Client(), athlete.user)

    response = client.post(reverse("account-delete"), {"password": TEST_PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not User.objects.filter(pk=athlete.user_id).exists()
    assert not Athlete.objects.filter(pk=athlete.pk).exists()
    assert not EmailAddress.objects.filter(user_id=athlete.user_id).exists()
    assert not ScheduledSession.objects.filter(athlete_id=athlete.pk).exists()
    assert not RunEvent.objects.filter(athlete_id=athlete.pk).exists()
    assert SESSION_KEY not in client.session
    assert other_device.get(reverse("your-data")).status_code == 302  # to the login page
    # The coach's programs stay, and the teammate's training is whole.
    assert Program.objects.filter(coach=coach).count() == programs_before
    assert ScheduledSession.objects.filter(athlete=teammate).count() == 2
    assert SetLog.objects.filter(scheduled_session__athlete=teammate).count() == 1
    teammates_planned.refresh_from_db()
    dashboard = sign_in(Client(), coach).get(reverse("dashboard"))
    assert dashboard.status_code == 200


def test_a_wrong_password_deletes_nothing_and_says_so_next_to_the_field():
    athlete = AthleteFactory()
    history(athlete, dt.date(2026, 5, 4))
    response = post(athlete.user, "account-delete", {"password": "not-it"})
    assert response.status_code == 422
    assert "That is not your password." in response.content.decode()
    assert Athlete.objects.filter(pk=athlete.pk).exists()
    assert SetLog.objects.filter(scheduled_session__athlete=athlete).count() == 1


def test_a_coach_with_athletes_is_refused_until_they_hand_them_over_or_remove_them():
    athlete = AthleteFactory()
    response = post(athlete.coach, "account-delete", {"password": TEST_PASSWORD})
    assert response.status_code == 409
    assert "You coach 1 athlete: hand each one over" in response.content.decode()
    assert User.objects.filter(pk=athlete.coach_id).exists()


def test_a_coach_without_athletes_is_deleted_with_their_programs_and_templates():
    coach = CoachUserFactory()
    PrescriptionFactory(template__owner=coach)
    ProgramFactory(coach=coach)
    Invitation.objects.create(coach=coach)
    assert post(coach, "account-delete", {"password": TEST_PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=coach.pk).exists()
    assert not Program.objects.filter(coach_id=coach.pk).exists()
    assert not SessionTemplate.objects.filter(owner_id=coach.pk).exists()


def test_a_coach_whose_program_holds_a_former_athletes_history_is_closed_not_deleted():
    athlete = AthleteFactory()
    coach = athlete.coach
    (done,), _ = history(athlete, dt.date(2026, 5, 4))
    post(coach, "athletes:athlete-remove", {"confirm": "on"}, athlete_id=athlete.pk)
    client = sign_in(Client(), coach)
    assert client.post(reverse("account-delete"), {"password": TEST_PASSWORD}).status_code == 302
    coach.refresh_from_db()
    assert not coach.is_active and coach.email == "" and not coach.has_usable_password()
    assert coach.username == f"former-coach-{coach.pk}"
    done.refresh_from_db()  # the athlete's history reads whole
    assert done.program_session.program.coach_id == coach.pk


# -- a coach removes an athlete from the roster ------------------------------------------------


def test_a_removed_athlete_keeps_their_account_and_history_and_leaves_the_coachs_pages():
    athlete = AthleteFactory()
    coach = athlete.coach
    with time_machine.travel(MOVE, tick=False):
        (done,), planned = history(athlete, dt.date(2026, 6, 8))
        response = post(coach, "athletes:athlete-remove", {"confirm": "on"}, athlete_id=athlete.pk)
    assert response.status_code == 302
    athlete.refresh_from_db()
    assert athlete.coach is None
    assert ScheduledSession.objects.filter(pk=done.pk).exists()
    assert not ScheduledSession.objects.filter(pk=planned.pk).exists()  # their programs stop
    assert (
        sign_in(Client(), coach)
        .get(reverse("athletes:athlete-detail", args=[athlete.pk]))
        .status_code
        == 404
    )
    assert sign_in(Client(), athlete.user).get(reverse("athletes:history-list")).status_code == 200
    # Posted again (a retry): the athlete is no longer theirs to remove.
    again = post(coach, "athletes:athlete-remove", {"confirm": "on"}, athlete_id=athlete.pk)
    assert again.status_code == 404


def test_removing_asks_for_the_confirmation():
    athlete = AthleteFactory()
    response = post(athlete.coach, "athletes:athlete-remove", {}, athlete_id=athlete.pk)
    assert response.status_code == 422
    assert "Tick the box to confirm the removal." in response.content.decode()
    athlete.refresh_from_db()
    assert athlete.coach_id is not None


# -- hand-over -------------------------------------------------------------------------------


def test_a_handed_over_athlete_moves_once_the_receiving_coach_accepts_and_each_sees_their_part():
    athlete = AthleteFactory()
    old_coach, new_coach = athlete.coach, CoachUserFactory(email="nia@example.com")
    with time_machine.travel(MOVE, tick=False):
        (before,), planned = history(athlete, dt.date(2026, 6, 8))
        offered = post(
            old_coach, "athletes:athlete-handover", {"to_coach": "NIA@example.com"},
            athlete_id=athlete.pk,
        )  # fmt: skip
        assert offered.status_code == 302
        athlete.refresh_from_db()
        assert athlete.coach == old_coach  # theirs until accepted
        page = sign_in(Client(), new_coach).get(reverse("your-data")).content.decode()
        assert f"Accept {athlete}" in page
        accepted = post(new_coach, "athletes:handover-accept", athlete_id=athlete.pk)
        retried = post(new_coach, "athletes:handover-accept", athlete_id=athlete.pk)
    assert accepted.status_code == retried.status_code == 302
    athlete.refresh_from_db()
    assert athlete.coach == new_coach and athlete.coached_since == MOVE
    assert not Handover.objects.exists()
    assert not ScheduledSession.objects.filter(pk=planned.pk).exists()
    # The new coach sees the training from the move on; the old one no longer sees the athlete.
    assert not owned_by(new_coach, ScheduledSession.objects.filter(pk=before.pk)).exists()
    assert owned_by(new_coach, Athlete.objects.filter(pk=athlete.pk)).exists()
    assert not owned_by(old_coach, Athlete.objects.filter(pk=athlete.pk)).exists()
    after = ScheduledSessionFactory(athlete=athlete, date=dt.date(2026, 6, 20))
    assert owned_by(new_coach, ScheduledSession.objects.filter(pk=after.pk)).exists()


def test_a_hand_over_to_nobody_known_is_refused_next_to_the_field():
    athlete = AthleteFactory()
    for name, message in (
        ("nobody-at-all", "No coach has that username or email address."),
        (athlete.user.username, "No coach has that username or email address."),  # an athlete
        (athlete.coach.username, "That is you"),
    ):
        response = post(
            athlete.coach, "athletes:athlete-handover", {"to_coach": name}, athlete_id=athlete.pk
        )
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not Handover.objects.exists()


def test_offering_twice_keeps_one_offer_and_another_coach_cannot_accept_it():
    athlete = AthleteFactory()
    receiving = CoachUserFactory()
    for _ in range(2):
        post(
            athlete.coach, "athletes:athlete-handover", {"to_coach": receiving.username},
            athlete_id=athlete.pk,
        )  # fmt: skip
    assert Handover.objects.count() == 1
    stranger = CoachUserFactory()
    assert post(stranger, "athletes:handover-accept", athlete_id=athlete.pk).status_code == 404
    athlete.refresh_from_db()
    assert athlete.coach_id != stranger.pk


def test_an_offer_lapses_when_the_athlete_moves_on_otherwise():
    athlete = AthleteFactory()
    receiving = CoachUserFactory()
    handover_offer(athlete=athlete, to_coach=receiving)
    post(athlete.coach, "athletes:athlete-remove", {"confirm": "on"}, athlete_id=athlete.pk)
    assert not Handover.objects.exists()
    assert post(receiving, "athletes:handover-accept", athlete_id=athlete.pk).status_code == 404


# -- "I already have an account" -------------------------------------------------------------


def test_an_athlete_with_an_account_follows_a_new_coachs_invitation_and_moves_once():
    athlete = AthleteFactory()
    new_coach = CoachUserFactory()
    invitation = Invitation.objects.create(coach=new_coach)
    with time_machine.travel(MOVE, tick=False):
        history(athlete, dt.date(2026, 6, 8))
        page = Client().get(reverse("invitation-accept", args=[invitation.token]))
        assert "Log in to join" in page.content.decode()
        client = sign_in(Client(), athlete.user)
        assert (
            "Join"
            in client.get(reverse("invitation-accept", args=[invitation.token])).content.decode()
        )
        url = reverse("invitation-accept-signed-in", args=[invitation.token])
        first, retried = client.post(url), client.post(url)
    assert first.status_code == retried.status_code == 302
    athlete.refresh_from_db()
    invitation.refresh_from_db()
    assert athlete.coach == new_coach and athlete.coached_since == MOVE
    assert invitation.used_by == athlete.user and invitation.used_at == MOVE


def test_an_invitation_used_by_someone_else_or_expired_is_gone_and_a_coach_cannot_join():
    used = Invitation.objects.create(coach=CoachUserFactory())
    services.invitation_accept_signed_in(token=used.token, user=AthleteFactory().user)
    expired = Invitation.objects.create(
        coach=CoachUserFactory(), expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    athlete = AthleteFactory()
    for invitation in (used, expired):
        url = reverse("invitation-accept-signed-in", args=[invitation.token])
        assert sign_in(Client(), athlete.user).post(url).status_code == 410
    athlete.refresh_from_db()
    assert athlete.coach_id not in (used.coach_id, expired.coach_id)
    open_one = Invitation.objects.create(coach=CoachUserFactory())
    url = reverse("invitation-accept-signed-in", args=[open_one.token])
    assert sign_in(Client(), CoachUserFactory()).post(url).status_code == 403
    with pytest.raises(ValidationError):
        services.invitation_accept_signed_in(token=open_one.token, user=CoachUserFactory())
    open_one.refresh_from_db()
    assert open_one.used_at is None


# -- the old coach keeps the history they coached, read-only ---------------------------------


def test_the_old_coach_keeps_reading_what_they_coached_and_nothing_after_the_move():
    athlete = AthleteFactory()
    old_coach, new_coach = athlete.coach, CoachUserFactory()
    with time_machine.travel(MOVE, tick=False):
        (coached,), _ = history(athlete, dt.date(2026, 6, 8))
        handover_offer(athlete=athlete, to_coach=new_coach)
        post(new_coach, "athletes:handover-accept", athlete_id=athlete.pk)
        athlete.refresh_from_db()
        later = ScheduledSessionFactory(
            athlete=athlete, date=dt.date(2026, 6, 20), name="New coach's Day A"
        )
        client = sign_in(Client(), old_coach)
        listed = client.get(reverse("athletes:former-athlete-list")).content.decode()
        page = client.get(reverse("athletes:former-athlete-detail", args=[athlete.pk]))
    assert str(athlete) in listed
    assert page.status_code == 200
    body = page.content.decode()
    assert coached.name in body and "5 reps" in body
    assert later.program_session.program.coach_id == new_coach.pk
    assert later.name not in body
    assert page.context["sessions"].count() == 1
    # The new coach has no such page of them: the athlete is theirs now.
    assert (
        sign_in(Client(), new_coach)
        .get(reverse("athletes:former-athlete-detail", args=[athlete.pk]))
        .status_code
        == 404
    )


def test_the_former_athlete_page_costs_the_same_queries_for_one_session_as_for_ten():
    counts = []
    for sessions in (1, 10):
        athlete = AthleteFactory()
        coach = athlete.coach
        history(athlete, *[dt.date(2026, 5, 1) + dt.timedelta(days=d) for d in range(sessions)])
        post(coach, "athletes:athlete-remove", {"confirm": "on"}, athlete_id=athlete.pk)
        client = sign_in(Client(), coach)
        url = reverse("athletes:former-athlete-detail", args=[athlete.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_new_coachs_dashboard_counts_nothing_from_before_the_move():
    athlete = AthleteFactory()
    new_coach = CoachUserFactory()
    with time_machine.travel(MOVE, tick=False):
        history(athlete, dt.date(2026, 6, 1), dt.date(2026, 6, 8))
        handover_offer(athlete=athlete, to_coach=new_coach)
        post(new_coach, "athletes:handover-accept", athlete_id=athlete.pk)
        (row,) = roster_page(new_coach)[0].object_list
    assert row.last_session_on is None
    assert row.compliance_28.due == 0
