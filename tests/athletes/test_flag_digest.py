"""The flag digest: each coach hears about each new flag once, as a notice and by email."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from athletes.models import Flag
from athletes.services import flag_answers, flagging
from athletes.services.scheduling import session_move
from notices.models import Notice
from notices.services import notices_email_send
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory
from tests.coach.factories import CoachUserFactory
from tests.mail import free_port, sending_through

NOW = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")
SUNDAY = dt.date(2026, 11, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def conflict_for(coach, name="Sam"):
    """A heavy session at 18:00 on the Saturday before a Sunday 09:00 race."""
    athlete = AthleteFactory(coach=coach, user__password=None, user__first_name=name)
    RaceFactory(
        athlete=athlete,
        name=f"{name}'s 10K",
        priority="B",
        starts_at=dt.datetime.combine(SUNDAY, dt.time(9), tzinfo=LONDON),
    )
    session = ScheduledSessionFactory(
        athlete=athlete, date=SUNDAY - dt.timedelta(days=1), time_of_day=dt.time(18)
    )
    return athlete, session


def emails_to(*coaches):
    """What the notices' worker sends each coach now (their 10-minute batch)."""
    return sum(notices_email_send(coach.pk) for coach in coaches)


@pytest.fixture
def coach():
    return CoachUserFactory(password=None, email="coach@example.com", first_name="Casey")


def test_a_coach_gets_each_new_flag_once_across_two_scans(coach):
    conflict_for(coach)

    flagging.flags_scan_all()
    first = flagging.flags_digest_send()
    emails_to(coach)
    flagging.flags_scan_all()
    second = flagging.flags_digest_send()
    emails_to(coach)

    assert (first, second) == (1, 0)
    (email,) = mail.outbox
    assert email.to == ["coach@example.com"]
    assert email.subject.startswith("Coach: Conflict: Sam")
    assert "14 h before Sam's 10K (Sun 15 Nov, 09:00)" in email.body
    assert "Better: Fri 13 Nov, 18:00." in email.body
    assert Flag.objects.get().notified_at == NOW
    assert Notice.objects.get(recipient=coach).kind == "flag"


def test_each_coach_gets_only_their_own_athletes_flags(coach):
    other_coach = CoachUserFactory(password=None, email="other@example.com")
    # Names no generated coach name contains (a coach called Samantha once held "Sam").
    conflict_for(coach, "Xanthe")
    conflict_for(coach, "Quorra")
    conflict_for(other_coach, "Ysolde")
    flagging.flags_scan_all()

    assert flagging.flags_digest_send() == 3
    assert emails_to(coach, other_coach) == 2

    bodies = {email.to[0]: email for email in mail.outbox}
    assert bodies["coach@example.com"].subject == "Coach: 2 new notices"
    assert "Xanthe" in bodies["coach@example.com"].body
    assert "Ysolde" not in bodies["coach@example.com"].body
    assert "Ysolde" in bodies["other@example.com"].body
    assert "Xanthe" not in bodies["other@example.com"].body


def test_a_flag_raised_again_is_announced_again(coach):
    athlete, session = conflict_for(coach)
    flagging.flags_refresh_for_athlete(athlete.pk)
    flagging.flags_digest_send()
    emails_to(coach)

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        session_move(session=session, date=dt.date(2026, 11, 12), time_of_day=None, by_coach=True)
        flagging.flags_refresh_for_athlete(athlete.pk)
        session_move(session=session, date=SUNDAY - dt.timedelta(days=1), time_of_day=None,
                     by_coach=True)  # fmt: skip
        flagging.flags_refresh_for_athlete(athlete.pk)

        assert flagging.flags_digest_send() == 1
        emails_to(coach)
    assert len([email for email in mail.outbox if email.to == [coach.email]]) == 2


def test_acknowledged_and_resolved_flags_are_not_announced(coach):
    kept, _ = conflict_for(coach, "Sam")
    moved, moved_session = conflict_for(coach, "Robin")
    flagging.flags_scan_all()
    flag_answers.flag_acknowledge(flag=Flag.objects.get(athlete=kept))
    session_move(session=moved_session, date=dt.date(2026, 11, 12), time_of_day=None,
                 by_coach=True)  # fmt: skip
    flagging.flags_refresh_for_athlete(moved.pk)

    assert flagging.flags_digest_send() == 0
    emails_to(coach)
    assert mail.outbox == []


def test_a_failed_send_keeps_the_flags_notices_for_the_next_try(coach):
    conflict_for(coach)
    flagging.flags_scan_all()
    assert flagging.flags_digest_send() == 1

    with sending_through(free_port()), pytest.raises(OSError):  # no mail server listens there
        emails_to(coach)

    assert Notice.objects.get(recipient=coach).emailed_at is None
    assert emails_to(coach) == 1
    assert len(mail.outbox) == 1
