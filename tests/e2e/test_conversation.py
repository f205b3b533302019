"""The conversation in Chromium: the athlete comments on Day A at 390 px, the coach sees the
unread count and replies, the athlete sees the reply and the badge clears; a comment on
Tuesday's intervals; a comment posted offline arrives once."""

import time
import uuid

import pytest
from playwright.sync_api import expect

from athletes.models import Comment
from athletes.services.conversation import comment_post
from tests.athletes.factories import AthleteFactory, RunEventFactory
from tests.athletes.logging_sessions import session_for
from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import log_in
from tests.e2e.test_logging import eventually

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def athlete():
    return AthleteFactory(user__first_name="Rosa", user__last_name="Runner")


@pytest.fixture
def day_a(athlete):
    return session_for(athlete)


def shown(page, text):
    """A comment as the thread shows it (its edit box holds the same text)."""
    return page.locator(".comment-body").filter(has_text=text)


def post(page, text):
    page.get_by_role("textbox", name="Your comment").fill(text)
    page.get_by_role("button", name="Post comment").click()


def test_athlete_and_coach_talk_about_day_a_and_the_badges_follow(
    phone_page, laptop_page, live_server, athlete, day_a
):
    phone, laptop = phone_page, laptop_page
    log_in(phone, live_server, athlete.user.username)
    phone.goto(f"{live_server.url}/sessions/{day_a.pk}/")
    post(phone, "Squats felt heavy today")
    expect(shown(phone, "Squats felt heavy today")).to_be_visible()
    assert serious_violations(phone) == []

    log_in(laptop, live_server, athlete.coach.username)
    laptop.goto(f"{live_server.url}/dashboard/")
    comments_link = laptop.get_by_role("link", name="Comments 1 unread")
    expect(comments_link).to_be_visible()
    comments_link.click()
    laptop.get_by_role("link", name=f"{day_a.name}, ").click()
    expect(shown(laptop, "Squats felt heavy today")).to_be_visible()
    post(laptop, "Good: keep the load, rest 3 min")
    expect(laptop.get_by_role("link", name="Comments", exact=True)).to_be_visible()

    phone.goto(f"{live_server.url}/today/")
    phone.get_by_role("link", name="New reply from your coach").click()
    expect(shown(phone, "Good: keep the load, rest 3 min")).to_be_visible()
    phone.goto(f"{live_server.url}/today/")
    expect(phone.get_by_role("link", name="New reply from your coach")).to_have_count(0)


def test_a_coach_on_a_phone_sees_the_unread_count_on_the_folded_menu(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    comment_post(author=athlete.user, subject=day_a, comment_id=uuid.uuid4(), body="Knee ok?")
    log_in(page, live_server, athlete.coach.username)
    page.goto(f"{live_server.url}/dashboard/")

    menu = page.get_by_role("button", name="Menu: 1 unread in Comments")
    expect(menu).to_have_text("1")
    expect(page.get_by_role("link", name="Comments 1 unread")).to_be_hidden()
    assert serious_violations(page) == []
    menu.click()
    page.get_by_role("link", name="Comments 1 unread").click()
    page.get_by_role("link", name=f"{day_a.name}, ").click()
    expect(shown(page, "Knee ok?")).to_be_visible()
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("button", name="Menu", exact=True)).to_have_text("")


def test_a_comment_on_tuesdays_intervals(phone_page, live_server, athlete):
    intervals = RunEventFactory(athlete=athlete, kind="interval", name="Tuesday intervals")
    log_in(phone_page, live_server, athlete.user.username)
    phone_page.goto(f"{live_server.url}/runs/{intervals.pk}/")

    post(phone_page, "6 × 800 m, the last two hard")

    expect(shown(phone_page, "6 × 800 m, the last two hard")).to_be_visible()
    assert Comment.objects.get().thread.run_event == intervals


def test_a_comment_posted_offline_arrives_once(phone_page, live_server, athlete, day_a):
    page = phone_page
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/sessions/{day_a.pk}/")
    page.context.set_offline(True)

    post(page, "Gym wifi is down")

    expect(page.get_by_text("Offline: 1 comment saved on this phone")).to_be_visible()
    time.sleep(1)
    assert not Comment.objects.exists()
    page.context.set_offline(False)
    eventually(Comment.objects.exists)
    expect(shown(page, "Gym wifi is down")).to_be_visible()
    time.sleep(2)
    assert Comment.objects.count() == 1
