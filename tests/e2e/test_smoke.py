"""Smoke test in Chromium on the demo data: the coach sees the athletes, the athlete (on a
phone) sees the next session."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from athletes.management.commands.load_demo import DEMO_ATHLETES, DEMO_COACH, DEMO_PASSWORDS
from athletes.models import Athlete
from athletes.selectors.scheduling import sessions_upcoming
from coach import services
from tests.coach.factories import CoachUserFactory
from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import log_in


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def full_name(fields):
    return f"{fields['first_name']} {fields['last_name']}"


def see_every_demo_athlete(page):
    for athlete in DEMO_ATHLETES:
        expect(page.get_by_role("rowheader", name=full_name(athlete))).to_be_visible()


def test_demo_coach_logs_in_on_a_laptop_and_sees_the_athletes(demo, laptop_page, live_server):
    coach = DEMO_COACH["username"]
    log_in(laptop_page, live_server, coach, DEMO_PASSWORDS[coach])

    see_every_demo_athlete(laptop_page)  # on the landing page
    laptop_page.get_by_role("link", name="Athletes", exact=True).click()
    expect(laptop_page.get_by_role("heading", name="Your athletes")).to_be_visible()
    see_every_demo_athlete(laptop_page)


def test_demo_athlete_logs_in_on_a_phone_and_sees_the_next_session(demo, phone_page, live_server):
    username = DEMO_ATHLETES[0]["username"]  # the demo athlete with the program assigned
    next_session = sessions_upcoming(Athlete.objects.get(user__username=username)).first()
    assert next_session is not None, "load_demo should give the demo athlete a program"

    log_in(phone_page, live_server, username, DEMO_PASSWORDS[username])
    # Athletes land on Today; the list of next sessions is one tap away in the menu.
    phone_page.get_by_role("button", name="Menu").click()
    phone_page.get_by_role("link", name="Upcoming").click()

    expect(phone_page.get_by_role("heading", name="Your next sessions")).to_be_visible()
    first = phone_page.get_by_role("listitem").filter(has_text=next_session.name).first
    expect(first).to_be_visible()
    expect(first).to_contain_text(next_session.get_intensity_display())
    expect(first).to_contain_text(f"{next_session.duration_minutes} min")
    page_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, "the page must not scroll sideways on a 390 px phone"
    assert serious_violations(phone_page) == []


def test_login_and_join_pages_pass_axe_on_a_phone(transactional_db, phone_page, live_server):
    invitation = services.invitation_create(coach=CoachUserFactory())

    phone_page.goto(f"{live_server.url}{reverse('login')}")
    assert serious_violations(phone_page) == []
    phone_page.goto(f"{live_server.url}{reverse('invitation-accept', args=[invitation.token])}")
    expect(phone_page.get_by_role("heading", name="Join Coach")).to_be_visible()
    assert serious_violations(phone_page) == []
