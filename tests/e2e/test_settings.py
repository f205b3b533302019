"""Settings in the browser: an athlete on a 390 px phone switches to lb and New York and reads
loads and times right on Today and the calendar; a coach widens an athlete's freshness window
to 48 h and the session 40 h before a key run is flagged on the page that follows. Both
settings pages pass the accessibility checks."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from athletes.models import Athlete, RunEvent, ScheduledSession, SetLog
from athletes.rules.strength import Load, load_for_entry, number_in_words
from athletes.services.flagging import flags_refresh_for_athlete
from tests.athletes.factories import (
    AthleteFactory,
    RunEventFactory,
    ScheduledSessionFactory,
)
from tests.athletes.logging_sessions import session_for
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import log_in
from tests.e2e.test_logging import card

pytestmark = pytest.mark.django_db(transaction=True)

NEW_YORK = ZoneInfo("America/New_York")


def squats_logged_at_60_kg(session):
    squat = session.program_session.prescriptions.get(exercise__name="Back squat")
    SetLog.objects.bulk_create(
        SetLog(
            scheduled_session=session,
            prescription=squat,
            exercise=squat.exercise,
            set_number=number,
            reps=5,
            load_kg=Decimal(60),
            load_entered=Decimal(60),
            load_unit="kg",
            prescribed=f"{squat.sets} × 5",
        )
        for number in range(1, squat.sets + 1)
    )
    ScheduledSession.objects.filter(pk=session.pk).update(
        status=ScheduledSession.Status.COMPLETED, session_rpe=7, actual_minutes=30
    )


def open_settings_from_the_menu(page):
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()


def test_an_athlete_switches_to_lb_and_new_york_and_reads_loads_and_times_right(
    phone_page, live_server
):
    page = phone_page
    athlete = AthleteFactory(time_zone="Europe/London", unit="kg")
    # Today where the athlete is going: the session is on that day at 17:30 in either zone.
    today_there = timezone.now().astimezone(NEW_YORK).date()
    today = session_for(athlete, date=today_there)
    last_week = session_for(athlete, date=today_there - dt.timedelta(days=7))
    squats_logged_at_60_kg(last_week)
    run_at = dt.datetime.combine(today_there, dt.time(13), tzinfo=athlete.tz)
    RunEventFactory(athlete=athlete, name="Lunch run", starts_at=run_at)

    log_in(page, live_server, athlete.user.username)
    open_settings_from_the_menu(page)
    assert_accessible(page)
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_label("lb", exact=True).check()
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_role("status").filter(has_text="Settings saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    assert Athlete.objects.values_list("time_zone", "unit").get(pk=athlete.pk) == (
        "America/New_York",
        "lb",
    )

    page.goto(f"{live_server.url}/today/")
    expect(
        page.get_by_text(f"{today_there:%A} {today_there.day} {today_there:%b}, 17:30")
    ).to_be_visible()
    squat = card(page, "Back squat")
    expect(squat.get_by_text("Last time:")).to_contain_text("60 kg")  # as it was typed
    in_pounds = number_in_words(load_for_entry(Load(Decimal(60), "kg"), "lb"))
    expect(squat.get_by_label("Load (lb)")).to_have_value(in_pounds)
    squat.get_by_label("Load (lb)").fill("135")
    squat.get_by_role("button", name="Log set").click()
    expect(squat.get_by_text("135 lb").first).to_be_visible()

    page.goto(f"{live_server.url}/calendar/week/")
    lift = page.locator(f"#session-{today.pk}")
    expect(lift).to_contain_text("Strength · 17:30")
    expect(page.locator(".cal-run").filter(has_text="Lunch run")).to_contain_text(
        run_at.astimezone(NEW_YORK).strftime("%H:%M")  # the run keeps its instant
    )


def test_a_coach_sets_a_48_hour_window_and_a_session_40_hours_before_a_key_run_is_flagged(
    laptop_page, live_server
):
    page = laptop_page
    athlete = AthleteFactory(
        user__first_name="Rosa", user__last_name="Runner", freshness_window_hours=36
    )
    run_day = athlete.today() + dt.timedelta(days=5)
    run_at = dt.datetime.combine(run_day, dt.time(9), tzinfo=athlete.tz)
    RunEventFactory(
        athlete=athlete,
        kind=RunEvent.Kind.INTERVAL,
        is_key=True,
        name="Track 6 × 800",
        starts_at=run_at,
    )
    # A 60-minute heavy session ending 40 h (real hours, whatever the clocks do) before it.
    starts = (run_at.astimezone(dt.UTC) - dt.timedelta(hours=41)).astimezone(athlete.tz)
    ScheduledSessionFactory(
        athlete=athlete, date=starts.date(), time_of_day=starts.time(), duration_minutes=60
    )
    flags_refresh_for_athlete(athlete.pk)
    assert not athlete.flags.exists()  # clear of a 36 h window

    log_in(page, live_server, athlete.coach.username)
    page.goto(f"{live_server.url}/athletes/{athlete.pk}/")
    page.get_by_role("main").get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", name="Settings for Rosa Runner")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Freshness window (hours)").fill("48")
    page.get_by_label("Private note").fill("Builds slowly after a calf strain")
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_role("heading", name="Rosa Runner", exact=True)).to_be_visible()
    flags = page.get_by_role("list", name="Open flags")
    expect(flags.locator(".flag")).to_have_count(1)
    expect(flags).to_contain_text("Warning")
    expect(flags).to_contain_text("40 h before Track 6 × 800")
    expect(page.get_by_text("Builds slowly after a calf strain")).to_be_visible()
