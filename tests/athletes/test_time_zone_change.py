"""An athlete who moves from London to New York: their sessions stay at their wall-clock time
(17:30 stays 17:30) on every page and in the feed, their runs keep their instant, and the flags
are checked on the new times — across the weeks when the two zones' summer time differs."""

import datetime as dt
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from athletes.models import ScheduledSession
from athletes.services.flagging import flags_refresh_for_athlete
from athletes.services.scheduling import athlete_time_zone_change
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory

pytestmark = pytest.mark.django_db

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
# New York is on summer time from 14 March 2027, London only from 28 March: four hours apart
# in between, five before and after.
NOW = "2027-03-15 12:00:00+00:00"  # a Monday
THURSDAY, SATURDAY = dt.date(2027, 3, 18), dt.date(2027, 3, 20)
APRIL_MONDAY = dt.date(2027, 4, 5)


@pytest.fixture
def moved():
    """A London athlete with a heavy session on Thursday at 17:30 (39 h before Saturday's 09:00
    race in London: clear of a 36 h window) and another after both zones are on summer time;
    then they move to New York."""
    with time_machine.travel(NOW, tick=False):
        athlete = AthleteFactory(time_zone="Europe/London", freshness_window_hours=36)
        thursday = ScheduledSessionFactory(
            athlete=athlete, date=THURSDAY, time_of_day=dt.time(17, 30), duration_minutes=30
        )
        april = ScheduledSessionFactory(
            athlete=athlete, date=APRIL_MONDAY, time_of_day=dt.time(17, 30), duration_minutes=30
        )
        race = RaceFactory(
            athlete=athlete,
            name="Spring 10K",
            priority="B",
            starts_at=dt.datetime.combine(SATURDAY, dt.time(9), tzinfo=LONDON),
        )
        flags_refresh_for_athlete(athlete.pk)
        assert not athlete.flags.exists()
        athlete_time_zone_change(athlete=athlete, time_zone="America/New_York")
        flags_refresh_for_athlete(athlete.pk)  # the worker's recheck, once committed
        yield athlete, thursday, april, race


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def feed_starts(athlete):
    response = Client().get(reverse("athletes:calendar-feed", args=[athlete.feed_token]))
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


def test_sessions_keep_their_wall_clock_time_in_the_feed_whatever_the_summer_time(moved):
    athlete, thursday, april, race = moved
    starts = feed_starts(athlete)
    for session in (thursday, april):
        local = starts[f"session-{session.pk}@coach"].astimezone(NEW_YORK)
        assert (local.date(), local.time()) == (session.date, dt.time(17, 30))
    # 17:30 in New York is 21:30 UTC both in March and in April (summer time there from 14 March).
    assert {
        starts[f"session-{s.pk}@coach"].astimezone(dt.UTC).time() for s in (thursday, april)
    } == {dt.time(21, 30)}
    assert starts[f"run-{race.pk}@coach"] == race.starts_at  # the race keeps its instant


def test_the_calendar_and_today_agree_with_the_feed(moved):
    athlete, thursday, _, race = moved
    client = client_for(athlete.user)
    week = client.get(reverse("athletes:calendar-week"), {"day": "2027-03-15"}).content.decode()
    assert "Strength · 17:30" in week
    assert race.starts_at.astimezone(NEW_YORK).strftime("%H:%M") == "05:00"
    assert '<span class="small">05:00</span>' in week
    with time_machine.travel("2027-03-18 13:00:00+00:00", tick=False):
        today = client.get(reverse("athletes:session-today")).content.decode()
    assert "Thursday 18 Mar, 17:30" in today
    coach_list = client_for(athlete.coach).get(reverse("athletes:athlete-list")).content.decode()
    assert "Thu 18 Mar, 17:30" in coach_list


def test_flags_are_checked_on_the_new_times(moved):
    athlete, thursday, _, race = moved
    # Thursday 17:30–18:00 in New York ends at 22:00 UTC, 35 h before the 09:00 UTC race.
    flag = athlete.flags.get()
    assert (flag.scheduled_session_id, flag.run_event_id) == (thursday.pk, race.pk)
    assert (flag.severity, flag.hours_before) == ("warning", 35)
    with time_machine.travel(NOW, tick=False):
        page = client_for(athlete.coach).get(reverse("athletes:flag-list")).content.decode()
    assert "ends Thu 18 Mar, 18:00" in page and "(Sat 20 Mar, 05:00)" in page


def test_moving_back_brings_every_session_back_to_its_london_instant(moved):
    athlete, thursday, april, _ = moved
    with time_machine.travel(NOW, tick=False):
        athlete_time_zone_change(athlete=athlete, time_zone="Europe/London")
    assert dict(ScheduledSession.objects.values_list("pk", "starts_at")) == {
        thursday.pk: dt.datetime(2027, 3, 18, 17, 30, tzinfo=dt.UTC),
        april.pk: dt.datetime(2027, 4, 5, 16, 30, tzinfo=dt.UTC),
    }


def test_a_changed_time_zone_in_the_admin_moves_the_sessions_with_it(admin_client):
    athlete = AthleteFactory(time_zone="Europe/London")
    session = ScheduledSessionFactory(athlete=athlete, date=THURSDAY, time_of_day=dt.time(17, 30))
    data = {
        "user": athlete.user_id,
        "coach": athlete.coach_id,
        "time_zone": "America/New_York",
        "unit": athlete.unit,
        "freshness_window_hours": athlete.freshness_window_hours,
        "default_session_time": "17:30",
    }
    response = admin_client.post(reverse("admin:athletes_athlete_change", args=[athlete.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2027, 3, 18, 17, 30, tzinfo=NEW_YORK)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_after_a_change_in_the_admin_the_worker_flags_a_session_now_too_close(
    admin_client, celery_worker_process
):
    """Tokyo to Kolkata (neither has summer time): a heavy session ending at 18:00 two days
    before a 09:00 race in Tokyo (39 h) ends 3.5 h later once it is at 17:30 in Kolkata."""
    tokyo = ZoneInfo("Asia/Tokyo")
    athlete = AthleteFactory(time_zone="Asia/Tokyo", freshness_window_hours=36)
    race_day = dt.datetime.now(tokyo).date() + dt.timedelta(days=5)
    race = RaceFactory(
        athlete=athlete,
        priority="B",
        starts_at=dt.datetime.combine(race_day, dt.time(9), tzinfo=tokyo),
    )
    session = ScheduledSessionFactory(
        athlete=athlete,
        date=race_day - dt.timedelta(days=2),
        time_of_day=dt.time(17, 30),
        duration_minutes=30,
    )
    data = {
        "user": athlete.user_id,
        "coach": athlete.coach_id,
        "time_zone": "Asia/Kolkata",
        "unit": athlete.unit,
        "freshness_window_hours": 36,
        "default_session_time": "17:30",
    }
    response = admin_client.post(reverse("admin:athletes_athlete_change", args=[athlete.pk]), data)
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while not athlete.flags.exists():
        assert time.monotonic() < deadline, "the worker raised no flag"
        time.sleep(0.05)
    flag = athlete.flags.get()
    assert (flag.scheduled_session_id, flag.run_event_id) == (session.pk, race.pk)
    assert (flag.severity, flag.hours_before) == ("warning", Decimal("35.5"))
