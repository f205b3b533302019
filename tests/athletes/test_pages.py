"""The coach's athlete list and the athlete's upcoming sessions."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from athletes.models import ScheduledSession
from athletes.views import pages
from programs.models import Intensity
from tests.athletes.factories import (
    AthleteFactory,
    RaceFactory,
    RunEventFactory,
    ScheduledSessionFactory,
)
from tests.coach.factories import CoachUserFactory
from tests.queries import page_queries

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # a Tuesday


def plan_sessions(athlete, *sessions):
    """Put (date, name, intensity, minutes[, status]) sessions on the athlete's calendar."""
    return [
        ScheduledSessionFactory(
            athlete=athlete,
            date=date,
            time_of_day=dt.time(17, 30),
            name=name,
            intensity=intensity,
            duration_minutes=minutes,
            status=status[0] if status else ScheduledSession.Status.PLANNED,
            skip_reason="ill" if status else "",
        )
        for date, name, intensity, minutes, *status in sessions
    ]


# -- the coach's athlete list -----------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_coach_sees_their_athletes_with_next_session_and_next_race(client):
    coach = CoachUserFactory()
    runner = AthleteFactory(coach=coach, user__first_name="Rosa", user__last_name="Runner")
    AthleteFactory(coach=coach, user__first_name="Idle", user__last_name="Ian")
    someone_elses = AthleteFactory(user__first_name="Other", user__last_name="Person")
    plan_sessions(runner, (dt.date(2026, 3, 12), "Day A: strength", Intensity.HEAVY, 30))
    RaceFactory(athlete=runner, name="Spring 5K", starts_at=NOW + dt.timedelta(days=20))
    RaceFactory(athlete=runner, name="Last year's 5K", starts_at=NOW - dt.timedelta(days=300))
    client.force_login(coach)

    html = client.get(reverse("athletes:athlete-list")).content.decode()

    assert "Rosa Runner" in html and "Idle Ian" in html
    assert str(someone_elses) not in html
    assert "Day A: strength" in html and "Heavy" in html and "Thu 12 Mar, 17:30" in html
    assert "Spring 5K" in html and "Last year" not in html
    assert "None planned" in html  # Idle Ian
    detail = reverse("athletes:athlete-detail", args=[runner.pk])
    assert f'<a class="tap-target" href="{detail}">Rosa Runner</a>' in html  # opens their page


@pytest.mark.django_db
def test_coach_without_athletes_is_pointed_to_invitations(client):
    coach = CoachUserFactory()
    client.force_login(coach)

    response = client.get(reverse("athletes:athlete-list"))

    assert "Invite your first athlete" in response.content.decode()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_athlete_list_query_count_is_the_same_for_2_and_20_athletes(client):
    coach = CoachUserFactory()
    client.force_login(coach)

    def add_athletes(count):
        for _ in range(count):
            athlete = AthleteFactory(coach=coach)
            plan_sessions(athlete, (dt.date(2026, 3, 12), "Day A", Intensity.HEAVY, 30))
            RaceFactory(athlete=athlete)

    add_athletes(2)
    with_two = page_queries(client, reverse("athletes:athlete-list"))
    add_athletes(18)
    with_twenty = page_queries(client, reverse("athletes:athlete-list"))

    assert with_two == with_twenty


@pytest.mark.django_db
def test_a_club_coach_finds_an_athlete_by_name_and_pages_through_the_rest(client, monkeypatch):
    coach = CoachUserFactory()
    for first, last in [("Ann", "Abbot"), ("Ben", "Baker"), ("Cleo", "Carter"), ("Dan", "Dune")]:
        AthleteFactory(coach=coach, user__first_name=first, user__last_name=last)
    AthleteFactory(user__first_name="Cleo", user__last_name="Elsewhere")  # another coach's
    monkeypatch.setattr(pages, "ROWS_PER_PAGE", 3)
    client.force_login(coach)
    url = reverse("athletes:athlete-list")

    found = client.get(url, {"q": " cleo "}).content.decode()
    first_page = client.get(url).content.decode()
    second_page = client.get(url, {"page": "2"}).content.decode()
    past_the_end = client.get(url, {"page": "99"})
    nobody = client.get(url, {"q": "zed"}).content.decode()

    assert "Cleo Carter" in found and "Ann Abbot" not in found and "Elsewhere" not in found
    assert "1 athlete matching “cleo”." in found
    assert "1–3 of 4 athletes." in first_page and "Dan Dune" not in first_page
    assert 'href="?page=2" rel="next"' in first_page
    assert "Dan Dune" in second_page and "Ann Abbot" not in second_page
    assert past_the_end.status_code == 200 and "Dan Dune" in past_the_end.content.decode()
    assert "No athletes match “zed”." in nobody


# -- the athlete's upcoming sessions --------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_athlete_sees_next_sessions_with_intensity_and_duration_and_races(client):
    athlete = AthleteFactory()
    plan_sessions(
        athlete,
        (dt.date(2026, 3, 9), "Yesterday's session", Intensity.LIGHT, 20),
        (dt.date(2026, 3, 12), "Day A: strength and power", Intensity.HEAVY, 30),
        (dt.date(2026, 3, 14), "Day B: endurance", Intensity.MODERATE, 35),
        (dt.date(2026, 3, 16), "Mobility", Intensity.LIGHT, 20),
        (dt.date(2026, 3, 18), "Skipped one", Intensity.LIGHT, 20, "skipped"),
    )
    RaceFactory(athlete=athlete, name="Spring 5K", starts_at=NOW + dt.timedelta(days=20))
    RunEventFactory(athlete=athlete, kind="interval", name="6 × 800 m", is_key=True)
    RunEventFactory(athlete=athlete, kind="easy", name="Recovery jog")
    client.force_login(athlete.user)

    html = client.get(reverse("athletes:upcoming")).content.decode()

    assert html.index("Day A: strength and power") < html.index("Day B: endurance")
    assert "Thursday 12 Mar, 17:30" in html and "30 min" in html and "35 min" in html
    assert "Heavy" in html and "Moderate" in html and "Light" in html
    assert "Yesterday's session" not in html and "Skipped one" not in html
    assert "Spring 5K" in html and "6 × 800 m" in html and "Recovery jog" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "time_zone, still_listed",
    [("America/Los_Angeles", True), ("Pacific/Auckland", False)],
)
def test_todays_session_is_listed_until_midnight_in_the_athletes_time_zone(
    client, time_zone, still_listed
):
    athlete = AthleteFactory(time_zone=time_zone)
    plan_sessions(athlete, (dt.date(2026, 3, 10), "Tuesday session", Intensity.LIGHT, 20))
    client.force_login(athlete.user)
    # 23:30 UTC: still Tuesday 10 March in Los Angeles, already Wednesday in Auckland.
    with time_machine.travel(dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC), tick=False):
        html = client.get(reverse("athletes:upcoming")).content.decode()

    assert ("Tuesday session" in html) is still_listed


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_race_time_is_shown_in_the_athletes_time_zone(client):
    athlete = AthleteFactory(time_zone="America/New_York")
    race_start = dt.datetime(2026, 3, 28, 9, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    RaceFactory(athlete=athlete, name="Harbour 5K", starts_at=race_start)
    client.force_login(athlete.user)

    html = client.get(reverse("athletes:upcoming")).content.decode()

    assert "Saturday 28 Mar, 09:00" in html


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_athlete_never_sees_another_athletes_sessions(client):
    athlete, other = AthleteFactory(), AthleteFactory()
    plan_sessions(other, (dt.date(2026, 3, 12), "Not yours", Intensity.HEAVY, 30))
    client.force_login(athlete.user)

    html = client.get(reverse("athletes:upcoming")).content.decode()

    assert "Not yours" not in html and "No sessions planned yet" in html


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_upcoming_query_count_does_not_grow_with_sessions_and_events(client):
    athlete = AthleteFactory()
    client.force_login(athlete.user)
    plan_sessions(athlete, (dt.date(2026, 3, 12), "Day A", Intensity.HEAVY, 30))
    RaceFactory(athlete=athlete)
    with_one = page_queries(client, reverse("athletes:upcoming"))

    plan_sessions(
        athlete, *[(dt.date(2026, 3, 13 + n), f"S{n}", Intensity.LIGHT, 20) for n in range(12)]
    )
    for days in range(5):
        RaceFactory(athlete=athlete, starts_at=NOW + dt.timedelta(days=30 + days))
    with_many = page_queries(client, reverse("athletes:upcoming"))

    assert with_one == with_many


@pytest.mark.django_db
def test_each_role_sees_its_own_navigation(client, admin_user):
    coach = CoachUserFactory()
    athlete = AthleteFactory(coach=coach)
    expectations = {
        coach: (["Athletes", "Invite athlete"], ["Upcoming", ">Admin<"]),
        athlete.user: (["Upcoming"], ["Invite athlete", ">Admin<"]),
        admin_user: ([">Admin<"], ["Invite athlete", "Upcoming"]),
    }
    for user, (shown, hidden) in expectations.items():
        client.force_login(user)
        html = client.get(reverse("account-overview")).content.decode()
        assert all(label in html for label in shown + ["Log out", ">Account<"]), user
        assert not any(label in html for label in hidden), user
