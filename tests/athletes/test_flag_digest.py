"""The flag digest: each coach hears about each new flag once, by email."""

import datetime as dt
from smtplib import SMTPException
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from athletes.models import Flag
from athletes.services import flag_answers, flagging
from athletes.services.scheduling import session_move
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory
from tests.coach.factories import CoachUserFactory

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


@pytest.fixture
def coach():
    return CoachUserFactory(password=None, email="coach@example.com", first_name="Casey")


def test_a_coach_gets_each_new_flag_once_across_two_scans(coach):
    conflict_for(coach)

    flagging.flags_scan_all()
    first = flagging.flags_digest_send()
    flagging.flags_scan_all()
    second = flagging.flags_digest_send()

    assert (first, second) == (1, 0)
    (email,) = mail.outbox
    assert email.to == ["coach@example.com"]
    assert email.subject == "Coach: 1 new flag"
    assert "Conflict: Sam" in email.body
    assert "14 h before Sam's 10K (Sun 15 Nov, 09:00)" in email.body
    assert "Better: Fri 13 Nov, 18:00." in email.body
    assert Flag.objects.get().notified_at == NOW


def test_each_coach_gets_only_their_own_athletes_flags(coach):
    other_coach = CoachUserFactory(password=None, email="other@example.com")
    conflict_for(coach, "Sam")
    conflict_for(coach, "Robin")
    conflict_for(other_coach, "Alex")
    flagging.flags_scan_all()

    assert flagging.flags_digest_send() == 2

    bodies = {email.to[0]: email for email in mail.outbox}
    assert bodies["coach@example.com"].subject == "Coach: 2 new flags"
    assert "Alex" not in bodies["coach@example.com"].body
    assert "Sam" not in bodies["other@example.com"].body


def test_a_flag_raised_again_is_announced_again(coach):
    athlete, session = conflict_for(coach)
    flagging.flags_refresh_for_athlete(athlete.pk)
    flagging.flags_digest_send()

    session_move(session=session, date=dt.date(2026, 11, 12), time_of_day=None, by_coach=True)
    flagging.flags_refresh_for_athlete(athlete.pk)
    session_move(session=session, date=SUNDAY - dt.timedelta(days=1), time_of_day=None,
                 by_coach=True)  # fmt: skip
    flagging.flags_refresh_for_athlete(athlete.pk)

    assert flagging.flags_digest_send() == 1
    assert len(mail.outbox) == 2


def test_acknowledged_and_resolved_flags_are_not_announced(coach):
    kept, _ = conflict_for(coach, "Sam")
    moved, moved_session = conflict_for(coach, "Robin")
    flagging.flags_scan_all()
    flag_answers.flag_acknowledge(flag=Flag.objects.get(athlete=kept))
    session_move(session=moved_session, date=dt.date(2026, 11, 12), time_of_day=None,
                 by_coach=True)  # fmt: skip
    flagging.flags_refresh_for_athlete(moved.pk)

    assert flagging.flags_digest_send() == 0
    assert mail.outbox == []


def test_a_failed_send_announces_nothing_and_the_next_digest_retries(coach):
    conflict_for(coach)
    flagging.flags_scan_all()
    broken = mock.Mock(**{"send_messages.side_effect": SMTPException("mail server down")})

    with (
        mock.patch("athletes.services.flagging.get_connection", return_value=broken),
        pytest.raises(SMTPException),
    ):
        flagging.flags_digest_send()

    assert Flag.objects.get().notified_at is None
    assert flagging.flags_digest_send() == 1
