"""Your data, in the browser at 390 px: an athlete downloads a zip that parses; an athlete
deletes their account and their coach's pages carry on without them; an athlete with an
account follows a new coach's invitation ("I already have an account")."""

import datetime as dt
import json
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from athletes.models import Athlete, ScheduledSession
from athletes.rules.progress import week_start
from athletes.services.scheduling import assignment_create
from coach.models import Invitation, User
from tests.athletes.factories import AthleteFactory, program_with_lifts, sessions_logged
from tests.coach.factories import CoachUserFactory
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def squad(coach_user):
    """Ann and Bea, two weeks into a block with every past session logged."""
    athletes = [
        AthleteFactory(coach=coach_user, user__first_name=name, user__last_name="Runner")
        for name in ("Ann", "Bea")
    ]
    start = week_start(timezone.localdate()) - dt.timedelta(weeks=2)
    assignment_create(
        program=program_with_lifts(coach_user, weeks=8), athletes=athletes, start_date=start
    )
    sessions_logged(ScheduledSession.objects.filter(date__lt=timezone.localdate()))
    return athletes


def open_your_data(page, live_server):
    """The page the menu links to (opened by its address: Today's service worker is still
    busy keeping the page for offline use, and a tap on the link can be lost meanwhile)."""
    page.get_by_role("button", name="Menu").click()
    link = page.get_by_role("link", name="Your data")
    expect(link).to_be_visible()
    page.goto(live_server.url + link.get_attribute("href"))
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()


def test_an_athlete_downloads_their_data_and_every_file_parses(
    phone_page, live_server, squad, tmp_path, policy_violations
):
    page, ann = phone_page, squad[0]
    violations = policy_violations(page)
    log_in(page, live_server, ann.user.username)
    open_your_data(page, live_server)
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    path = tmp_path / "data.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        data = {name: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
        assert all(archive.read(name) for name in names if name.endswith(".csv"))
    assert data["profile.json"][0]["user__username"] == ann.user.username
    logged = ScheduledSession.objects.filter(athlete=ann, status="completed").count()
    assert logged and sum(s["status"] == "completed" for s in data["sessions.json"]) == logged
    assert data["sets.json"] and {s["scheduled_session_id"] for s in data["sets.json"]} <= {
        s["id"] for s in data["sessions.json"]
    }
    assert violations == []


def test_an_athlete_deletes_their_account_and_their_coach_carries_on_without_them(
    phone_page, laptop_page, live_server, coach_user, squad
):
    page, (ann, bea) = phone_page, squad
    bea_sessions = ScheduledSession.objects.filter(athlete=bea).count()
    log_in(page, live_server, ann.user.username)
    open_your_data(page, live_server)
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    page.get_by_label("Your password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert not User.objects.filter(pk=ann.user_id).exists()
    assert not ScheduledSession.objects.filter(athlete_id=ann.pk).exists()

    coach_page = laptop_page
    log_in(coach_page, live_server, coach_user.username)
    expect(coach_page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(coach_page.get_by_role("row")).to_have_count(1 + 1)
    expect(coach_page.get_by_role("row").nth(1)).to_contain_text("Bea Runner")
    assert ScheduledSession.objects.filter(athlete=bea).count() == bea_sessions
    coach_page.goto(f"{live_server.url}/athletes/{bea.pk}/")
    expect(coach_page.get_by_role("heading", name="Bea Runner")).to_be_visible()


def test_an_athlete_with_an_account_joins_a_new_coach_from_the_invitation(
    phone_page, live_server, squad
):
    page, ann = phone_page, squad[0]
    new_coach = CoachUserFactory(first_name="Nia", last_name="Newcoach")
    invitation = Invitation.objects.create(coach=new_coach)
    page.goto(f"{live_server.url}/join/{invitation.token}/")
    expect(page.get_by_role("heading", name="I already have an account")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Log in to join").click()
    page.get_by_label("Username").fill(ann.user.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Join Nia Newcoach with my account").click()
    expect(page.get_by_text("You now train with Nia Newcoach.")).to_be_visible()
    ann.refresh_from_db()
    invitation.refresh_from_db()
    assert ann.coach == new_coach and ann.coached_since is not None
    assert invitation.used_by_id == ann.user_id
    assert Athlete.objects.filter(coach=new_coach).count() == 1


def test_a_coach_hands_one_athlete_over_and_removes_another(
    laptop_page, browser, live_server, coach_user, squad
):
    page, (ann, bea) = laptop_page, squad
    nia = CoachUserFactory(first_name="Nia", last_name="Newcoach", email="nia@example.com")
    log_in(page, live_server, coach_user.username)
    page.goto(f"{live_server.url}/athletes/{ann.pk}/")
    page.get_by_role("link", name="Hand over or remove").click()
    expect(page.get_by_role("heading", name="Hand over or remove Ann Runner")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The coach who takes them over").fill("nobody@example.com")
    page.get_by_role("button", name="Offer Ann Runner").click()
    expect(page.get_by_text("No coach has that username or email address.")).to_be_visible()
    page.get_by_label("The coach who takes them over").fill("nia@example.com")
    page.get_by_role("button", name="Offer Ann Runner").click()
    expect(page.get_by_text("Ann Runner is offered to")).to_be_visible()

    page.goto(f"{live_server.url}/athletes/{bea.pk}/leave/")
    page.get_by_role("button", name="Remove Bea Runner").click()
    expect(page.get_by_text("Tick the box to confirm the removal.")).to_be_visible()
    page.get_by_label("Yes, remove them from my roster").check()
    page.get_by_role("button", name="Remove Bea Runner").click()
    expect(page.get_by_text("Bea Runner is no longer on your roster.")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(1 + 1)  # Ann, until Nia accepts

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    nia_page = context.new_page()
    log_in(nia_page, live_server, nia.username)
    nia_page.goto(f"{live_server.url}/account/your-data/")
    nia_page.get_by_role("button", name="Accept Ann Runner").click()
    expect(nia_page.get_by_text("Ann Runner is on your roster from today.")).to_be_visible()
    context.close()
    ann.refresh_from_db()
    bea.refresh_from_db()
    assert ann.coach == nia and bea.coach is None

    page.goto(f"{live_server.url}/athletes/former/")
    expect(page.get_by_role("link", name="Ann Runner")).to_be_visible()
    page.get_by_role("link", name="Bea Runner").click()
    expect(page.get_by_text("Former athlete: the sessions of your programs")).to_be_visible()
    assert_accessible(page)
