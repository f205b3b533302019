"""Settings: the athlete's own (name, zone, units, default session time), a coach's own name,
and what a coach sets for one athlete (freshness window, default time, a private note).
Bad input is refused next to its field with nothing saved; a new window re-checks the
athlete's flags before the next page is drawn."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.forms.settings import AthleteCoachingForm, AthleteSettingsForm
from athletes.models import Athlete, Flag, RunEvent
from athletes.services.settings import (
    athlete_coaching_change,
    athlete_settings_change,
    user_name_change,
)
from tests.athletes.factories import AthleteFactory, RunEventFactory, ScheduledSessionFactory
from tests.coach.factories import CoachUserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

NOW = "2026-11-10 12:00:00+00:00"  # a Tuesday; London and New York five hours apart
LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
THURSDAY, SATURDAY = dt.date(2026, 11, 12), dt.date(2026, 11, 14)
NOTE = "Left Achilles niggle: no box jumps until December"

ATHLETE_FORM = {
    "first_name": "Rosa",
    "last_name": "Runner",
    "time_zone": "Europe/London",
    "unit": "kg",
    "default_session_time": "17:30",
}
COACHING_FORM = {"freshness_window_hours": "36", "default_session_time": "17:30", "coach_note": ""}


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def athlete():
    return AthleteFactory(user__first_name="Rosa", user__last_name="Runner")


def signed_in(client, user):
    client.force_login(user)
    return client


def saved(athlete):
    """What is stored for the athlete: their row and their user's name."""
    fresh = Athlete.objects.select_related("user").get(pk=athlete.pk)
    return {
        "name": (fresh.user.first_name, fresh.user.last_name),
        "time_zone": fresh.time_zone,
        "unit": fresh.unit,
        "default_session_time": fresh.default_session_time,
        "freshness_window_hours": fresh.freshness_window_hours,
        "coach_note": fresh.coach_note,
        "session_starts": sorted(fresh.scheduled_sessions.values_list("starts_at", flat=True)),
    }


def key_run_and_session(athlete, hours_between):
    """A key interval run on Saturday at 09:00 and a heavy 60-minute session ending
    `hours_between` hours before it."""
    run_at = dt.datetime.combine(SATURDAY, dt.time(9), tzinfo=athlete.tz)
    RunEventFactory(athlete=athlete, kind=RunEvent.Kind.INTERVAL, is_key=True, starts_at=run_at)
    starts = run_at - dt.timedelta(hours=hours_between + 1)
    return ScheduledSessionFactory(athlete=athlete, date=starts.date(), time_of_day=starts.time())


# -- the athlete's own settings ----------------------------------------------------------------


def test_the_athlete_changes_name_units_and_default_session_time(client, athlete):
    signed_in(client, athlete.user)
    form = {**ATHLETE_FORM, "first_name": "Rosalind", "unit": "lb", "default_session_time": "07:15"}

    response = client.post(reverse("athletes:settings-edit"), form)

    assert response.url == reverse("athletes:settings-edit")
    after = saved(athlete)
    assert after["name"] == ("Rosalind", "Runner")
    assert (after["unit"], after["default_session_time"]) == ("lb", dt.time(7, 15))
    page = client.get(response.url)
    assert "Settings saved." in page.text
    assert page.context["form"]["unit"].value() == "lb"


def test_a_new_zone_keeps_each_session_at_its_wall_clock_time(client, athlete):
    thursday = ScheduledSessionFactory(athlete=athlete, date=THURSDAY, time_of_day=dt.time(17, 30))
    race = RunEventFactory(
        athlete=athlete,
        kind=RunEvent.Kind.RACE,
        priority="A",
        starts_at=dt.datetime.combine(SATURDAY, dt.time(9), tzinfo=LONDON),
    )
    signed_in(client, athlete.user)

    client.post(
        reverse("athletes:settings-edit"), {**ATHLETE_FORM, "time_zone": "America/New_York"}
    )

    thursday.refresh_from_db()
    assert thursday.starts_at == dt.datetime.combine(THURSDAY, dt.time(17, 30), tzinfo=NEW_YORK)
    race.refresh_from_db()
    assert race.starts_at == dt.datetime(2026, 11, 14, 9, tzinfo=dt.UTC)  # a race keeps its instant
    week = client.get(reverse("athletes:calendar-week") + f"?day={THURSDAY}").text
    assert "Strength · 17:30" in week
    assert "04:00" in week  # the London race at 09:00 reads at New York's 04:00


def test_a_zone_that_does_not_exist_is_refused_next_to_the_field_and_nothing_is_saved(
    client, athlete
):
    ScheduledSessionFactory(athlete=athlete, date=THURSDAY)
    before = saved(athlete)
    signed_in(client, athlete.user)

    response = client.post(
        reverse("athletes:settings-edit"),
        {**ATHLETE_FORM, "first_name": "Changed", "time_zone": "Mars/Olympus", "unit": "lb"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["time_zone"] == [
        "Pick a time zone from the list, e.g. Europe/London."
    ]
    assert saved(athlete) == before


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("unit", "stone", "Choose kg or lb."),
        ("default_session_time", "25:61", "Enter a time of day, e.g. 17:30."),
        ("default_session_time", "", "This field is required."),
        ("first_name", "R" * 151, "Ensure this value has at most 150 characters (it has 151)."),
    ],
)
def test_bad_settings_are_refused_next_to_their_field_and_nothing_is_saved(
    client, athlete, field, value, message
):
    before = saved(athlete)
    signed_in(client, athlete.user)

    response = client.post(
        reverse("athletes:settings-edit"),
        {**ATHLETE_FORM, "time_zone": "America/New_York", field: value},
    )

    assert response.status_code == 422
    assert response.context["form"].errors[field] == [message]
    assert saved(athlete) == before


def test_the_service_saves_nothing_when_the_new_zone_is_refused(athlete):
    ScheduledSessionFactory(athlete=athlete, date=THURSDAY)
    before = saved(athlete)

    with pytest.raises(ValidationError) as refused:
        athlete_settings_change(
            athlete=Athlete.objects.select_related("user").get(pk=athlete.pk),
            first_name="Changed",
            last_name="Name",
            time_zone="Nowhere/Atlantis",
            unit="lb",
            default_session_time=dt.time(6),
        )

    assert "time_zone" in refused.value.message_dict
    assert saved(athlete) == before


def test_the_same_settings_posted_twice_are_stored_once(client, athlete):
    ScheduledSessionFactory(athlete=athlete, date=THURSDAY, time_of_day=dt.time(17, 30))
    signed_in(client, athlete.user)
    form = {**ATHLETE_FORM, "time_zone": "America/New_York", "unit": "lb"}

    first = client.post(reverse("athletes:settings-edit"), form)
    once = saved(athlete)
    again = client.post(reverse("athletes:settings-edit"), form)

    assert first.status_code == again.status_code == 302
    assert saved(athlete) == once


def test_the_settings_page_lists_every_zone_and_links_reminders_and_your_data(client, athlete):
    signed_in(client, athlete.user)

    page = client.get(reverse("athletes:settings-edit"))

    zones = dict(page.context["form"].fields["time_zone"].choices)
    assert {"Europe/London", "America/New_York", "Pacific/Auckland"} <= set(zones)
    assert "Reminders and notices" in page.text
    assert f'href="{reverse("notices:preferences")}"' in page.text
    assert f'href="{reverse("your-data")}"' in page.text
    assert reverse("account_email") in page.text  # the address changes through allauth's flow
    assert reverse("mfa_index") not in page.text  # two-factor is offered to coaches and staff


def test_the_settings_page_costs_the_same_queries_with_2_or_30_sessions(client, athlete):
    signed_in(client, athlete.user)
    url = reverse("athletes:settings-edit")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    ScheduledSessionFactory.create_batch(2, athlete=athlete)
    with_two = queries()
    ScheduledSessionFactory.create_batch(28, athlete=athlete)
    assert queries() == with_two


def test_moving_zone_costs_the_same_queries_with_2_or_30_sessions(client, athlete):
    signed_in(client, athlete.user)
    url = reverse("athletes:settings-edit")
    zones = iter(["America/New_York", "Asia/Tokyo"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {**ATHLETE_FORM, "time_zone": next(zones)})
        assert response.status_code == 302
        return len(captured)

    ScheduledSessionFactory.create_batch(2, athlete=athlete, date=THURSDAY)
    with_two = queries()
    ScheduledSessionFactory.create_batch(28, athlete=athlete, date=THURSDAY)
    assert queries() == with_two


# -- a coach's own settings ------------------------------------------------------------------------


def test_a_coach_changes_their_name_and_finds_their_sign_in_pages(client):
    coach = CoachUserFactory(first_name="Alex", last_name="Coach")
    signed_in(client, coach)

    page = client.get(reverse("athletes:settings-edit"))
    response = client.post(
        reverse("athletes:settings-edit"), {"first_name": "Alexa", "last_name": "Trainer"}
    )

    for name in ("account_email", "account_change_password", "mfa_index"):
        assert reverse(name) in page.text
    assert "time_zone" not in page.context["form"].fields
    assert response.status_code == 302
    coach.refresh_from_db()
    assert (coach.first_name, coach.last_name) == ("Alexa", "Trainer")


def test_a_coachs_overlong_name_is_refused_and_nothing_is_saved(client):
    coach = CoachUserFactory(first_name="Alex", last_name="Coach")
    signed_in(client, coach)

    response = client.post(
        reverse("athletes:settings-edit"), {"first_name": "A" * 151, "last_name": "Trainer"}
    )

    assert response.status_code == 422
    assert "at most 150 characters" in response.context["form"].errors["first_name"][0]
    coach.refresh_from_db()
    assert (coach.first_name, coach.last_name) == ("Alex", "Coach")


def test_the_name_service_refuses_an_overlong_name():
    coach = CoachUserFactory(first_name="Alex")

    with pytest.raises(ValidationError):
        user_name_change(user=coach, first_name="A" * 151, last_name="")

    coach.refresh_from_db()
    assert coach.first_name == "Alex"


# -- what a coach sets for one athlete --------------------------------------------------------


def coaching_url(athlete):
    return reverse("athletes:athlete-settings-edit", args=[athlete.pk])


def test_a_48_hour_window_flags_a_session_40_hours_before_a_key_run_at_once(
    client, athlete, django_capture_on_commit_callbacks
):
    session = key_run_and_session(athlete, hours_between=40)
    signed_in(client, athlete.coach)

    with django_capture_on_commit_callbacks(execute=True):  # what follows the save's commit
        response = client.post(
            coaching_url(athlete), {**COACHING_FORM, "freshness_window_hours": "48"}
        )
    page = client.get(response.url)

    assert response.url == reverse("athletes:athlete-detail", args=[athlete.pk])
    (flag,) = Flag.objects.filter(athlete=athlete, resolved_at__isnull=True)
    assert (flag.scheduled_session_id, flag.severity) == (session.pk, Flag.Severity.WARNING)
    assert flag in page.context["flags"]
    assert 'Freshness window</dt>\n  <dd class="col-auto">48 h' in page.text


def test_a_narrower_window_resolves_the_flag_at_once(
    client, athlete, django_capture_on_commit_callbacks
):
    key_run_and_session(athlete, hours_between=40)
    signed_in(client, athlete.coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(coaching_url(athlete), {**COACHING_FORM, "freshness_window_hours": "48"})
    assert Flag.objects.filter(athlete=athlete, resolved_at__isnull=True).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(coaching_url(athlete), {**COACHING_FORM, "freshness_window_hours": "36"})

    assert not Flag.objects.filter(athlete=athlete, resolved_at__isnull=True).exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("freshness_window_hours", "23", "At least 24 hours."),
        ("freshness_window_hours", "97", "At most 96 hours."),
        ("freshness_window_hours", "36.5", "Enter a whole number of hours, e.g. 36."),
        ("freshness_window_hours", "", "This field is required."),
        ("default_session_time", "yesterday", "Enter a time of day, e.g. 17:30."),
        ("coach_note", "x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
    ],
)
def test_bad_coaching_settings_are_refused_next_to_their_field_and_nothing_is_saved(
    client, athlete, field, value, message
):
    before = saved(athlete)
    signed_in(client, athlete.coach)

    response = client.post(
        coaching_url(athlete),
        {"freshness_window_hours": "48", "default_session_time": "06:00", "coach_note": NOTE}
        | {field: value},
    )

    assert response.status_code == 422
    assert response.context["form"].errors[field] == [message]
    assert f"{message}" in response.text.replace("&#x27;", "'")
    assert saved(athlete) == before


def test_the_service_refuses_a_window_the_database_would_refuse(athlete):
    before = saved(athlete)

    with pytest.raises(ValidationError):
        athlete_coaching_change(
            athlete=athlete,
            freshness_window_hours=12,
            default_session_time=dt.time(6),
            coach_note=NOTE,
        )

    assert saved(athlete) == before


def test_the_coachs_note_is_never_shown_to_the_athlete(client, athlete):
    ScheduledSessionFactory(athlete=athlete, date=dt.date(2026, 11, 10))
    signed_in(client, athlete.coach)
    client.post(coaching_url(athlete), {**COACHING_FORM, "coach_note": NOTE})
    assert NOTE in client.get(reverse("athletes:athlete-detail", args=[athlete.pk])).text

    signed_in(client, athlete.user)
    for name in (
        "athletes:settings-edit",
        "athletes:session-today",
        "athletes:upcoming",
        "athletes:calendar-week",
        "athletes:calendar-month",
        "athletes:progress-show",
        "athletes:history-list",
        "account-overview",
    ):
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        assert "Achilles" not in page.text, name
    feed = client.get(reverse("athletes:calendar-feed", args=[athlete.feed_token]))
    assert "Achilles" not in feed.text


def test_another_coachs_athlete_is_a_404_and_an_athlete_is_refused(client, athlete):
    before = saved(athlete)

    signed_in(client, CoachUserFactory())
    assert client.get(coaching_url(athlete)).status_code == 404
    assert (
        client.post(coaching_url(athlete), {**COACHING_FORM, "coach_note": NOTE}).status_code == 404
    )
    signed_in(client, athlete.user)
    assert (
        client.post(coaching_url(athlete), {**COACHING_FORM, "coach_note": NOTE}).status_code == 403
    )

    assert saved(athlete) == before


def test_the_coachs_settings_page_costs_the_same_queries_with_2_or_30_sessions(client, athlete):
    signed_in(client, athlete.coach)

    ScheduledSessionFactory.create_batch(2, athlete=athlete)
    with_two = page_queries(client, coaching_url(athlete))
    ScheduledSessionFactory.create_batch(28, athlete=athlete)
    assert page_queries(client, coaching_url(athlete)) == with_two


# -- the forms alone -----------------------------------------------------------------------------


def test_the_athlete_form_reads_a_time_and_a_zone():
    form = AthleteSettingsForm({**ATHLETE_FORM, "time_zone": "Pacific/Auckland"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["default_session_time"] == dt.time(17, 30)
    assert form.cleaned_data["time_zone"] == "Pacific/Auckland"


@pytest.mark.parametrize("hours", [24, 96])
def test_the_coaching_form_takes_the_window_s_ends(hours):
    form = AthleteCoachingForm({**COACHING_FORM, "freshness_window_hours": str(hours)})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["freshness_window_hours"] == hours
