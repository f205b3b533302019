"""Reminders in the athlete's zone: the day's session from 07:00 until it starts, once; a
session the coach moves; the note the day after a missed one; preferences and quiet hours."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from athletes.services.reminders import reminders_send
from athletes.services.scheduling import session_move
from notices.models import Notice, NoticeSettings
from tests.athletes.factories import AthleteFactory, ScheduledSessionFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 10)
LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def at(zone, hour, minute=0, day=DAY):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def athlete_in(zone_name, coach):
    return AthleteFactory(coach=coach, time_zone=zone_name, user__password=None)


def reminders(athlete):
    return list(
        Notice.objects.filter(recipient=athlete.user, kind="reminder").values_list(
            "title", flat=True
        )
    )


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        return reminders_send()


def test_reminders_go_out_at_0700_in_each_athletes_own_zone_once(coach_user):
    london = athlete_in("Europe/London", coach_user)
    auckland = athlete_in("Pacific/Auckland", coach_user)
    ScheduledSessionFactory(athlete=london, name="Day A", date=DAY, time_of_day=dt.time(17, 30),
                            duration_minutes=31)  # fmt: skip
    ScheduledSessionFactory(athlete=auckland, name="Day B", date=DAY, time_of_day=dt.time(18),
                            duration_minutes=30)  # fmt: skip

    run_at(at(AUCKLAND, 6, 45))
    assert reminders(auckland) == []
    run_at(at(AUCKLAND, 7, 0))
    assert reminders(auckland) == ["Day B today at 18:00 — about 30 min"]
    assert reminders(london) == [], "still the evening before in London"

    run_at(at(LONDON, 6, 59))
    assert reminders(london) == []
    run_at(at(LONDON, 7, 0))
    run_at(at(LONDON, 7, 15))
    run_at(at(LONDON, 7, 15))  # a job run twice
    assert reminders(london) == ["Day A today at 17:30 — about 31 min"]
    assert reminders(auckland) == ["Day B today at 18:00 — about 30 min"]


def test_a_session_added_at_noon_for_the_evening_is_still_reminded_but_not_once_started(
    coach_user,
):
    athlete = athlete_in("Europe/London", coach_user)
    run_at(at(LONDON, 7, 0))
    ScheduledSessionFactory(athlete=athlete, name="Day A", date=DAY, time_of_day=dt.time(18))
    started = ScheduledSessionFactory(athlete=athlete, name="Day B", date=DAY,
                                      time_of_day=dt.time(11, 30))  # fmt: skip

    result = run_at(at(LONDON, 12, 0))

    assert result.reminders == 1
    assert reminders(athlete) == ["Day A today at 18:00 — about 60 min"]
    assert not Notice.objects.filter(key__startswith=f"reminder:{started.pk}:").exists()


def test_reminders_turned_off_send_nothing_and_quiet_hours_wait(coach_user):
    off = athlete_in("Europe/London", coach_user)
    quiet = athlete_in("Europe/London", coach_user)
    NoticeSettings.objects.create(user=off.user, kinds_off=["reminder", "missed"])
    NoticeSettings.objects.create(user=quiet.user, quiet_from=dt.time(22), quiet_until=dt.time(9))
    for athlete in (off, quiet):
        ScheduledSessionFactory(athlete=athlete, name="Day A", date=DAY, time_of_day=dt.time(18))
        ScheduledSessionFactory(athlete=athlete, name="Day B", date=DAY - dt.timedelta(days=1))

    run_at(at(LONDON, 7, 0))
    assert not Notice.objects.exists()
    run_at(at(LONDON, 9, 0))

    assert not Notice.objects.filter(recipient=off.user).exists()
    assert reminders(quiet) == ["Day A today at 18:00 — about 60 min"]
    assert Notice.objects.filter(recipient=quiet.user, kind="missed").count() == 1


def test_a_missed_session_gets_one_gentle_note_the_day_after(coach_user):
    athlete = athlete_in("America/New_York", coach_user)
    new_york = ZoneInfo("America/New_York")
    ScheduledSessionFactory(athlete=athlete, name="Day B", date=DAY, time_of_day=dt.time(18))

    run_at(at(new_york, 23, 0))
    assert not Notice.objects.filter(kind="missed").exists()
    run_at(at(new_york, 8, 0, day=DAY + dt.timedelta(days=1)))
    run_at(at(new_york, 8, 15, day=DAY + dt.timedelta(days=1)))
    run_at(at(new_york, 8, 0, day=DAY + dt.timedelta(days=2)))

    (note,) = Notice.objects.filter(kind="missed")
    assert note.title == "Yesterday's Day B is still open"


def test_the_athlete_is_told_when_the_coach_moves_a_session_not_when_they_move_it(athlete):
    session = ScheduledSessionFactory(athlete=athlete, name="Day A", date=DAY,
                                      time_of_day=dt.time(18))  # fmt: skip
    with time_machine.travel(at(LONDON, 9), tick=False):
        session_move(session=session, date=DAY + dt.timedelta(days=1), time_of_day=None,
                     by_coach=False)  # fmt: skip
        assert not Notice.objects.exists()
        session_move(session=session, date=DAY + dt.timedelta(days=2), time_of_day=dt.time(7),
                     by_coach=True)  # fmt: skip

    (moved,) = Notice.objects.filter(recipient=athlete.user, kind="moved")
    assert moved.title == "Your coach moved Day A to Thu 12 Nov at 07:00"


def test_send_reminders_is_the_same_job_by_hand(coach_user):
    athlete = athlete_in("Europe/London", coach_user)
    ScheduledSessionFactory(athlete=athlete, name="Day A", date=DAY, time_of_day=dt.time(18))
    out = StringIO()
    with time_machine.travel(at(LONDON, 8), tick=False):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "Sent 1 reminder and 0 missed-session notes.",
        "Sent 0 reminders and 0 missed-session notes.",
    ]
