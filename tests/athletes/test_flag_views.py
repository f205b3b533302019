"""The coach's flags page: what it lists, and moving or keeping a session in one click."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from athletes.models import Flag, ScheduledSession
from athletes.selectors import flags as selectors
from athletes.services import flagging
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory
from tests.coach.factories import CoachUserFactory
from tests.queries import page_queries

LONDON = ZoneInfo("Europe/London")
FLAGS = reverse("athletes:flag-list")

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach():
    return CoachUserFactory(password=None)


def flagged_athlete(coach, race_name="City 10K"):
    """An athlete whose heavy session is at 18:00 the evening before a 09:00 race, flagged."""
    athlete = AthleteFactory(coach=coach, user__password=None, time_zone="Europe/London")
    race_day = timezone.localdate() + dt.timedelta(days=6)
    RaceFactory(
        athlete=athlete,
        name=race_name,
        priority="B",
        starts_at=dt.datetime.combine(race_day, dt.time(9), tzinfo=LONDON),
    )
    ScheduledSessionFactory(
        athlete=athlete,
        name="Heavy lower",
        date=race_day - dt.timedelta(days=1),
        time_of_day=dt.time(18),
        # Its block runs from last week on: a better day stays inside it.
        assignment__start_date=timezone.localdate() - dt.timedelta(days=7),
    )
    flagging.flags_refresh_for_athlete(athlete.pk)
    return athlete, Flag.objects.get(athlete=athlete)


def test_the_coach_sees_open_flags_of_their_own_athletes_only(client, coach):
    flagged_athlete(coach, "City 10K")
    flagged_athlete(CoachUserFactory(password=None), "Someone else's race")
    client.force_login(coach)

    page = client.get(FLAGS).content.decode()

    assert "Conflict" in page and "City 10K" in page and "14 h" in page
    assert "Move to" in page and "Keep anyway" in page
    assert "Someone else's race" not in page


def test_the_better_day_says_why_next_to_its_move_button(client, coach):
    _, flag = flagged_athlete(coach, "City 10K")
    client.force_login(coach)

    page = client.get(FLAGS).content.decode()

    why = f'id="flag-{flag.pk}-why"'
    assert flag.suggestion_reason.endswith("38 h before City 10K (outside the 36 h window)")
    assert why in page and flag.suggestion_reason in page
    assert f'aria-describedby="flag-{flag.pk}-why">Move to' in page


def test_the_flags_page_takes_the_same_queries_for_one_flag_or_five(client, coach):
    client.force_login(coach)
    counts = []
    for extra in (1, 4):
        for _ in range(extra):
            flagged_athlete(coach)
        counts.append(page_queries(client, FLAGS))

    assert counts[0] == counts[1]


def test_keep_anyway_with_htmx_swaps_the_card_in_place(client, coach):
    _, flag = flagged_athlete(coach)
    client.force_login(coach)

    response = client.post(
        reverse("athletes:flag-acknowledge", args=[flag.pk]),
        {"next": FLAGS},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    card = response.content.decode()
    assert f'id="flag-{flag.pk}"' in card and "Kept anyway" in card
    assert "<html" not in card
    flag.refresh_from_db()
    assert flag.acknowledged_at is not None and flag.is_open


# The flags are re-checked once the move commits, before the answer is rendered: committed here.
@pytest.mark.django_db(transaction=True)
def test_move_without_htmx_moves_the_session_resolves_the_flag_and_comes_back(client, coach):
    _, flag = flagged_athlete(coach)
    suggested = flag.suggested_starts_at.astimezone(LONDON)
    client.force_login(coach)

    response = client.post(reverse("athletes:flag-move", args=[flag.pk]), {"next": FLAGS})

    assert response.status_code == 302 and response.url == FLAGS
    session = ScheduledSession.objects.get()
    assert (session.date, session.time_of_day) == (suggested.date(), suggested.time())
    flag.refresh_from_db()
    assert not flag.is_open
    page = client.get(FLAGS).content.decode()
    assert f"Moved Heavy lower to {suggested:%A %-d %B}" in page
    assert "No open flags" in page


# The flags are re-checked once the move commits, before the answer is rendered: committed here.
@pytest.mark.django_db(transaction=True)
def test_move_with_htmx_shows_the_resolved_card(client, coach):
    _, flag = flagged_athlete(coach)
    client.force_login(coach)

    response = client.post(reverse("athletes:flag-move", args=[flag.pk]), HTTP_HX_REQUEST="true")

    assert "Resolved" in response.content.decode()


def test_a_move_that_cannot_be_made_says_why_on_the_card_and_changes_nothing(client, coach):
    _, flag = flagged_athlete(coach)
    Flag.objects.update(suggested_starts_at=timezone.now() - dt.timedelta(hours=1))
    before = ScheduledSession.objects.values().get()
    client.force_login(coach)

    response = client.post(reverse("athletes:flag-move", args=[flag.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "The suggested day has passed" in response.content.decode()
    assert ScheduledSession.objects.values().get() == before


def test_an_offsite_next_address_is_ignored(client, coach):
    _, flag = flagged_athlete(coach)
    client.force_login(coach)

    response = client.post(
        reverse("athletes:flag-acknowledge", args=[flag.pk]), {"next": "https://evil.example/"}
    )

    assert response.url == FLAGS


def test_the_flag_list_partial_shows_an_athlete_their_flags_without_coach_buttons(coach):
    athlete, _ = flagged_athlete(coach)

    html = render_to_string(
        "athletes/flags.html#flag-list",
        {"flags": selectors.flags_open_for_athlete(athlete), "user": athlete.user},
    )

    assert "City 10K" in html and "Better day" in html
    assert "Keep anyway" not in html and "Move to" not in html


def test_a_conflict_23_and_a_half_hours_before_the_race_never_reads_24_h(client, coach):
    """Rounding to whole hours showed a conflict (under 24 h) as '24 h' on the calendar and the
    dashboard while the flags page said 23.5 h."""
    athlete = AthleteFactory(coach=coach, user__password=None, time_zone="Europe/London")
    race_day = timezone.localdate() + dt.timedelta(days=6)
    RaceFactory(
        athlete=athlete,
        priority="B",
        starts_at=dt.datetime.combine(race_day, dt.time(9), tzinfo=LONDON),
    )
    session = ScheduledSessionFactory(
        athlete=athlete,
        date=race_day - dt.timedelta(days=1),
        time_of_day=dt.time(9),
        duration_minutes=30,
    )
    flagging.flags_refresh_for_athlete(athlete.pk)
    assert Flag.objects.get().hours_before == 23.5
    client.force_login(coach)

    calendar = reverse("athletes:athlete-calendar", args=[athlete.pk])
    for url in (FLAGS, f"{calendar}?month={session.date:%Y-%m}", reverse("dashboard")):
        page = client.get(url).content.decode()
        assert "23.5 h" in page, url
        assert "24 h" not in page, url


def test_a_flag_raised_before_flags_said_why_still_says_what_to_do(client, coach):
    _, flag = flagged_athlete(coach)
    Flag.objects.filter(pk=flag.pk).update(suggested_starts_at=None, suggestion_reason="")
    client.force_login(coach)

    page = client.get(FLAGS).content.decode()

    assert "No clear day within two weeks: move it by hand." in page
    assert "Move to" not in page
