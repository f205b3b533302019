"""The coach finds the flagged athlete from the dashboard and opens their page; an athlete on
a phone records a bounding test and sees it on the chart. Both pass the accessibility checks."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from athletes.models import Flag, ScheduledSession, TransferTest
from athletes.rules.progress import week_start
from athletes.services.scheduling import assignment_create
from tests.athletes.factories import AthleteFactory, program_with_lifts, sessions_logged
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def roster(coach_user):
    """Three athletes three weeks into a block; Bea's next session is flagged."""
    athletes = [
        AthleteFactory(coach=coach_user, user__first_name=name, user__last_name="Runner")
        for name in ("Ann", "Bea", "Cal")
    ]
    start = week_start(timezone.localdate()) - dt.timedelta(weeks=3)
    assignment_create(
        program=program_with_lifts(coach_user, weeks=8), athletes=athletes, start_date=start
    )
    sessions_logged(ScheduledSession.objects.filter(date__lt=timezone.localdate()))
    session = ScheduledSession.objects.filter(
        athlete=athletes[1], date__gte=timezone.localdate()
    ).first()
    Flag.objects.create(
        athlete=athletes[1],
        scheduled_session=session,
        severity=Flag.Severity.CONFLICT,
        hours_before=18,
        session_ends_at=session.starts_at,
        event_starts_at=session.starts_at + dt.timedelta(hours=18),
        event_name="Track intervals",
    )
    return athletes


def test_coach_filters_to_flagged_athletes_and_opens_one(
    laptop_page, live_server, coach_user, roster
):
    page = laptop_page
    log_in(page, live_server, coach_user.username)  # coaches land on the dashboard

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(1 + 3)
    assert_accessible(page)

    page.get_by_role("link", name="Flagged 1").click()
    expect(page.get_by_role("row")).to_have_count(1 + 1)
    expect(page.get_by_role("cell", name="1 conflict")).to_be_visible()
    page.get_by_role("link", name="Bea Runner").click()

    expect(page.get_by_role("heading", name="Bea Runner")).to_be_visible()
    flags = page.get_by_role("region", name="Open flags")
    expect(flags).to_contain_text("18 h before Track intervals")
    expect(page.get_by_role("region", name="Training log")).to_contain_text("Back squat: 4 × 5")
    expect(page.get_by_role("heading", name="Bounding distance")).to_be_visible()
    assert_accessible(page)


def test_coach_on_a_phone_sees_the_flag_without_scrolling_sideways_and_sorts_by_name(
    phone_page, live_server, coach_user, roster
):
    page = phone_page
    log_in(page, live_server, coach_user.username)

    conflict = page.get_by_text("1 conflict")
    expect(conflict).to_be_in_viewport()
    box = conflict.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_label("Sort by").select_option(label="Name")
    page.get_by_role("button", name="Sort").click()
    expect(page.get_by_role("rowheader")).to_have_text(["Ann Runner", "Bea Runner", "Cal Runner"])


def test_athlete_records_a_bounding_test_on_a_phone_and_sees_it_on_the_chart(
    phone_page, live_server, athlete
):
    page = phone_page
    TransferTest.objects.create(
        athlete=athlete,
        kind="bounding",
        date=timezone.localdate() - dt.timedelta(days=28),
        value="11.60",
    )
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/progress/")  # the nav's "Progress", folded on a phone
    assert_accessible(page)

    page.get_by_role("link", name="Record a test").click()
    page.get_by_text("Bounding distance").click()
    page.get_by_role("textbox", name="Result").fill("12.4")
    page.get_by_label("Detail").fill("5 bounds")
    assert_accessible(page)
    page.get_by_role("button", name="Save test").click()

    chart = page.locator("#chart-bounding")
    expect(chart).to_be_in_viewport()
    expect(chart.locator("svg .chart-point")).to_have_count(2)
    chart.get_by_text("Data table").click()
    expect(chart.get_by_role("cell", name="12.4 m")).to_be_visible()
    expect(chart.get_by_role("cell", name="5 bounds")).to_be_visible()
    box = chart.locator("svg").bounding_box()
    assert box["width"] <= 390  # fits the phone, no sideways scrolling
    assert TransferTest.objects.filter(athlete=athlete, kind="bounding").count() == 2


def test_save_is_disabled_while_a_5k_is_sent_and_its_table_fits_the_phone(
    phone_page, live_server, athlete
):
    page = phone_page
    TransferTest.objects.create(
        athlete=athlete,
        kind="race_5k",
        date=timezone.localdate() - dt.timedelta(days=28),
        value="1248",
    )
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/progress/tests/new/")
    page.get_by_text("5K result").click()
    page.get_by_role("textbox", name="Result").fill("20:13")
    page.get_by_label("Splits (5K)").fill("4:00 4:05 4:02 4:03 4:03")
    form = page.locator(".transfer-test-form")
    # Hold the first tap's save back, as a slow phone connection would: a second tap on the
    # button sends nothing.
    form.evaluate("f => f.addEventListener('submit', e => e.preventDefault(), {once: true})")
    save = page.get_by_role("button", name="Save test")
    save.click()
    expect(save).to_be_disabled()
    with page.expect_navigation():
        form.evaluate("f => f.submit()")  # the held save arrives

    chart = page.locator("#chart-race_5k")
    expect(chart).to_be_in_viewport()
    expect(chart.locator("svg .chart-point")).to_have_count(2)
    expect(chart.locator("svg")).to_contain_text("20:30")  # the axis reads in m:ss
    chart.get_by_text("Data table").click()
    expect(chart.get_by_role("cell", name="20:13")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert TransferTest.objects.filter(athlete=athlete, kind="race_5k").count() == 2
