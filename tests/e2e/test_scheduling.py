"""The coach, on a laptop, assigns the demo program to two athletes at once, reads where the
sessions went and why, and drags a session to another day; the athlete's week on a phone
shows it and passes the accessibility checks."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from athletes.models import Assignment, Athlete, RunEvent, ScheduledSession
from athletes.rules.progress import week_start
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORDS = {"coach": "coach-5k-demo", "athlete": "athlete-5k-demo"}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def next_monday():
    return week_start(timezone.localdate()) + dt.timedelta(weeks=1)


def drop_target(session):
    """A neighbouring day in the same calendar grid (Monday to Sunday rows)."""
    step = -1 if session.date.weekday() == 6 else 1
    return session.date + dt.timedelta(days=step)


def test_coach_assigns_demo_program_to_two_athletes_and_drags_a_session(
    demo, laptop_page, live_server
):
    page = laptop_page
    start = next_monday()
    log_in(page, live_server, "coach", DEMO_PASSWORDS["coach"])

    page.goto(f"{live_server.url}/athletes/")
    page.get_by_role("link", name="Assign program").click()
    page.get_by_label("Program").select_option(label="5K strength block")
    page.get_by_label("Alex Reid").check()
    page.get_by_label("Sam Patel").check()
    page.get_by_label("Start (a Monday)").fill(start.isoformat())
    page.get_by_role("button", name="Assign and place sessions").click()
    # Alex is in the middle of the demo block: the new one replaces it only when asked to.
    refusal = page.get_by_text(re.compile("^Already planned from"))
    expect(refusal).to_contain_text("Alex Reid (until")
    page.get_by_label("Replace sessions already planned from the start date").check()
    page.get_by_role("button", name="Assign and place sessions").click()

    expect(page.get_by_role("heading", name="Where the sessions went")).to_be_visible()
    expect(page.get_by_role("heading", name="Alex Reid: 5K strength block")).to_be_visible()
    expect(page.get_by_role("heading", name="Sam Patel: 5K strength block")).to_be_visible()
    # Tuesday's key intervals push the heavy Day A off Monday, and the page says why.
    expect(page.get_by_text("before Tue intervals → moved to").first).to_be_visible()
    assert Assignment.objects.filter(start_date=start).count() == 2

    session = (
        ScheduledSession.objects.filter(
            assignment__start_date=start, athlete__user__username="athlete"
        )
        .order_by("starts_at")
        .first()
    )
    page.get_by_role("link", name="Alex Reid's calendar").click()
    # Until the page has loaded, calendar.js may not have made the sessions draggable yet.
    page.wait_for_url(re.compile(r"/athletes/\d+/calendar/"))
    target = drop_target(session)
    page.locator(f"#session-{session.pk}").drag_to(
        page.locator(f'[data-drop-date="{target.isoformat()}"]')
    )

    expect(page.get_by_role("status").filter(has_text="moved to")).to_be_visible()
    session.refresh_from_db()
    assert session.date == target
    assert session.placement_reason == "Moved by the coach"
    assert session.starts_at.astimezone(session.athlete.tz).date() == target


def test_athlete_week_and_month_on_a_phone_show_runs_and_lifts_and_pass_axe(
    demo, phone_page, live_server
):
    page = phone_page
    # An easy run today, not done yet, on the tinted today cell: its "Mark done" link must be
    # readable there, whatever day of the demo's week the suite runs on.
    athlete = Athlete.objects.get(user__username="athlete")
    today = timezone.localdate(timezone=athlete.tz)
    RunEvent.objects.create(
        athlete=athlete,
        kind=RunEvent.Kind.EASY,
        starts_at=dt.datetime.combine(today, dt.time(6, 0), tzinfo=athlete.tz),
    )
    log_in(page, live_server, "athlete", DEMO_PASSWORDS["athlete"])

    page.goto(f"{live_server.url}/calendar/week/")  # the nav's "Calendar", folded on a phone

    expect(page.get_by_role("heading", name="Week of")).to_be_visible()
    expect(page.locator(".cal-run").first).to_be_visible()
    expect(page.locator(".cal-session").first).to_be_visible()
    expect(page.locator(".cal-day--today .cal-run-mark").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Month").click()
    expect(page.get_by_role("link", name="Subscribe")).to_be_visible()
    assert_accessible(page)


def test_athlete_moves_a_session_within_the_week_with_the_date_picker(
    demo, phone_page, live_server
):
    page = phone_page
    session = (
        ScheduledSession.objects.filter(athlete__user__username="athlete")
        .order_by("starts_at")
        .first()
    )
    monday = week_start(session.date)
    target = next(
        monday + dt.timedelta(days=d)
        for d in range(7)
        if monday + dt.timedelta(days=d) != session.date
    )
    log_in(page, live_server, "athlete", DEMO_PASSWORDS["athlete"])
    page.goto(f"{live_server.url}/calendar/week/?day={session.date.isoformat()}")

    day = session.date
    page.get_by_role("link", name=f"Move {session.name} on {day:%a} {day.day} {day:%b}").click()
    page.get_by_label("New date").fill(target.isoformat())
    page.get_by_role("button", name="Move session").click()

    expect(page.get_by_role("status").filter(has_text="moved to")).to_be_visible()
    session.refresh_from_db()
    assert session.date == target
