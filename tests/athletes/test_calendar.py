"""The athlete's week and month calendars and the coach's per-athlete month."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.models import Flag
from tests.athletes.factories import (
    AthleteFactory,
    RaceFactory,
    RunEventFactory,
    ScheduledSessionFactory,
)
from tests.coach.factories import CoachUserFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)


def fill_month(athlete, sessions_per_week):
    """`sessions_per_week` sessions and runs a week through November, each session flagged."""
    race = RaceFactory(athlete=athlete, starts_at=dt.datetime(2026, 11, 28, 9, tzinfo=athlete.tz))
    for week in range(4):
        for day in range(sessions_per_week):
            date = MONDAY + dt.timedelta(weeks=week, days=day)
            session = ScheduledSessionFactory(athlete=athlete, date=date)
            RunEventFactory(
                athlete=athlete,
                starts_at=dt.datetime.combine(date, dt.time(7), tzinfo=athlete.tz),
            )
            Flag.objects.create(
                athlete=athlete,
                scheduled_session=session,
                run_event=race,
                severity=Flag.Severity.WARNING,
                hours_before=Decimal("30.0"),
                session_ends_at=session.starts_at,
                event_starts_at=race.starts_at,
                event_name=str(race),
            )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    ["week", "month", "coach_month"],
)
def test_calendar_query_count_is_constant_in_the_number_of_events(client, page):
    counts = []
    for sessions_per_week in (1, 5):
        athlete = AthleteFactory()
        fill_month(athlete, sessions_per_week)
        if page == "coach_month":
            client.force_login(athlete.coach)
            url = reverse("athletes:athlete-calendar", args=[athlete.pk]) + "?month=2026-11"
        else:
            client.force_login(athlete.user)
            url = {
                "week": reverse("athletes:calendar-week") + "?day=2026-11-04",
                "month": reverse("athletes:calendar-month") + "?month=2026-11",
            }[page]
        counts.append(queries_for(client, url))
    assert counts[0] == counts[1]


def test_week_shows_runs_and_lifts_together_with_heavy_marked_and_flags_visible(client, athlete):
    fill_month(athlete, 2)
    client.force_login(athlete.user)

    response = client.get(reverse("athletes:calendar-week"), {"day": "2026-11-04"})

    page = response.content.decode()
    assert page.count('class="cal-session cal-session--heavy cal-session--flagged"') == 2
    assert page.count("cal-run cal-run--easy") == 2
    assert "Heavy</span>" in page
    assert "30 h before Parkrun 5K" in page
    assert "Monday 2 Nov" in page and "Sunday 8 Nov" in page


def test_month_lists_the_whole_month_and_the_subscribe_link(client, athlete):
    fill_month(athlete, 1)
    client.force_login(athlete.user)

    response = client.get(reverse("athletes:calendar-month"), {"month": "2026-11"})

    page = response.content.decode()
    assert "November 2026" in page
    assert page.count("cal-session ") == 4
    assert f"webcal://testserver/calendar/feed/{athlete.feed_token}.ics" in page


def test_a_bad_month_or_day_falls_back_to_today(client, athlete):
    client.force_login(athlete.user)
    assert client.get(reverse("athletes:calendar-month"), {"month": "2026-13"}).status_code == 200
    assert client.get(reverse("athletes:calendar-week"), {"day": "yesterday"}).status_code == 200


def test_a_month_or_day_no_calendar_can_page_around_falls_back_to_today(client, athlete):
    client.force_login(athlete.user)
    coach_month = reverse("athletes:athlete-calendar", args=[athlete.pk])
    for month in ("9999-12", "0001-01"):
        assert client.get(reverse("athletes:calendar-month"), {"month": month}).status_code == 200
    for day in ("9999-12-31", "0001-01-01"):
        assert client.get(reverse("athletes:calendar-week"), {"day": day}).status_code == 200
    client.force_login(athlete.coach)
    assert client.get(coach_month, {"month": "9999-12"}).status_code == 200


def test_a_taper_flag_says_it_is_the_taper_not_only_the_hours(client, athlete):
    fill_month(athlete, 1)
    Flag.objects.update(kind=Flag.Kind.TAPER, hours_before=Decimal("231.0"))
    client.force_login(athlete.user)

    response = client.get(reverse("athletes:calendar-week"), {"day": "2026-11-04"})

    assert "231 h before Parkrun 5K, in the taper before an A race" in response.content.decode()


def test_a_flag_kept_anyway_says_so_in_the_calendar(client, athlete):
    fill_month(athlete, 1)
    Flag.objects.update(acknowledged_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    client.force_login(athlete.user)

    response = client.get(reverse("athletes:calendar-week"), {"day": "2026-11-04"})

    assert "Kept anyway" in response.content.decode()


def test_a_flag_in_the_coachs_calendar_names_the_better_day_and_links_to_the_move(client, athlete):
    fill_month(athlete, 1)
    flag = Flag.objects.first()
    Flag.objects.update(suggested_starts_at=dt.datetime(2026, 11, 3, 18, tzinfo=dt.UTC))
    client.force_login(athlete.coach)

    response = client.get(
        reverse("athletes:athlete-calendar", args=[athlete.pk]), {"month": "2026-11"}
    )

    page = response.content.decode()
    assert "Better: Tue 3 Nov, 18:00" in page
    assert f"{reverse('athletes:flag-list')}#flag-{flag.pk}" in page


def test_a_flag_without_a_better_day_says_what_to_do_in_the_coachs_calendar(client, athlete):
    fill_month(athlete, 1)
    advice = "No clear day before Parkrun 5K in this block: lighten it or skip it"
    Flag.objects.update(suggested_starts_at=None, suggestion_reason=advice)

    client.force_login(athlete.coach)
    coach_page = client.get(
        reverse("athletes:athlete-calendar", args=[athlete.pk]), {"month": "2026-11"}
    ).content.decode()
    client.force_login(athlete.user)
    athlete_page = client.get(reverse("athletes:calendar-week"), {"day": "2026-11-04"})

    assert advice in coach_page and "Better:" not in coach_page
    assert advice not in athlete_page.content.decode()


def test_coach_month_shows_placement_reasons_and_no_feed_link(client, coach_user):
    athlete = AthleteFactory(coach=coach_user)
    ScheduledSessionFactory(
        athlete=athlete, date=dt.date(2026, 11, 4), placement_reason="Wed: easy day"
    )
    client.force_login(coach_user)

    response = client.get(
        reverse("athletes:athlete-calendar", args=[athlete.pk]), {"month": "2026-11"}
    )

    page = response.content.decode()
    assert "Wed: easy day" in page
    assert "webcal://" not in page
    assert f"?athlete={athlete.pk}" in page  # assign a program from here


def test_coach_athlete_list_links_each_athletes_calendar(client, coach_user):
    athlete = AthleteFactory(coach=coach_user)
    client.force_login(coach_user)
    page = client.get(reverse("athletes:athlete-list")).content.decode()
    assert reverse("athletes:athlete-calendar", args=[athlete.pk]) in page


def test_another_coachs_athlete_calendar_is_404(client, athlete):
    client.force_login(CoachUserFactory())
    url = reverse("athletes:athlete-calendar", args=[athlete.pk])
    assert client.get(url).status_code == 404
