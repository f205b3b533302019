"""The athlete's phone in the gym, in Chromium at 390 × 844 with touch: Coach installs as an
app, a %1RM squat says what to put on the bar, cues open with no signal, the progress line
counts a whole Day A in far less scrolling, a skip made offline arrives once, and Today is
light and quick on a reload and served from the service worker's cache the next time."""

import datetime as dt
import gzip
import re

import pytest
from playwright.sync_api import expect

from athletes.models import ScheduledSession
from programs.library_data import DAY_A, DAY_B
from tests.athletes.factories import AthleteFactory
from tests.athletes.logging_sessions import PERCENT_SQUAT, session_for
from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, PHONE, log_in
from tests.e2e.test_logging import (
    card,
    open_today,
    taps_for,
    wait_for_service_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The heights and weights the issue asks for (figures in the README).
MOST_PAGE_HEIGHT_PX = 1600
MOST_FIRST_LOAD_BYTES = 300 * 1024
MOST_MS_TO_THE_FIRST_CARD = 1500


@pytest.fixture
def athlete():
    return AthleteFactory()


def page_height(page):
    return page.evaluate("() => document.documentElement.scrollHeight")


@pytest.fixture
def installing_phone(browser, live_server, tmp_path):
    """A phone with a profile of its own: Chromium installs no app from an incognito window,
    which every other test's context is."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def test_chromium_finds_coach_installable_and_the_manifests_icons_load(
    installing_phone, live_server, athlete
):
    page = installing_phone
    session = session_for(athlete)
    open_today(page, live_server, athlete)
    wait_for_service_worker(page, session)
    devtools = page.context.new_cdp_session(page)

    manifest = devtools.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/static/manifest.webmanifest")
    assert devtools.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    for icon in re.findall(r'"src": "([^"]+)"', manifest["data"]):
        answer = page.request.get(f"{live_server.url}/static/{icon}")
        assert (answer.status, answer.headers["content-type"]) == (200, "image/png"), icon


def test_a_percent_squat_shows_the_load_and_plates_after_a_logged_set(
    phone_page, live_server, athlete
):
    page = phone_page
    today = athlete.today()
    last_week = session_for(athlete, PERCENT_SQUAT, date=today - dt.timedelta(days=7))
    # Only that one session of its block: on the block's weekday its week 2 would fall today.
    ScheduledSession.objects.filter(assignment=last_week.assignment).exclude(
        pk=last_week.pk
    ).delete()
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/sessions/{last_week.pk}/")
    squat = card(page, "Back squat")
    expect(squat).to_contain_text("No max yet")
    squat.get_by_label("Load (kg)").fill("62.5")
    squat.get_by_label("Reps").fill("5")
    squat.get_by_role("button", name="Log set").click()
    expect(page.get_by_text("All sets saved.")).to_be_visible()

    session_for(athlete, PERCENT_SQUAT, date=today, name="Squat day")
    page.goto(f"{live_server.url}/today/")
    squat = card(page, "Back squat")
    expect(squat.get_by_text("≈ 55 kg — 75 % of est. 73 kg")).to_be_visible()
    expect(squat.get_by_text("15 + 2.5 kg each side of a 20 kg bar")).to_be_visible()
    assert serious_violations(page) == []


def test_an_athlete_with_no_history_enters_a_tested_max_and_sees_the_load(
    phone_page, live_server, athlete
):
    page = phone_page
    session_for(athlete, PERCENT_SQUAT)
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/today/")
    card(page, "Back squat").get_by_role("link", name="Enter a tested max").click()
    expect(page.get_by_role("combobox", name="Lift")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Load lifted once (kg)").fill("600")
    page.get_by_role("button", name="Save max").click()
    expect(page.get_by_text("Loads go up to 500 kg.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Load lifted once (kg)").fill("100")
    page.get_by_role("button", name="Save max").click()

    expect(page.get_by_text("Tested max saved: Back squat 100 kg.")).to_be_visible()
    expect(card(page, "Back squat").get_by_text("≈ 75 kg — 75 % of tested 100 kg")).to_be_visible()


def test_the_pallof_press_cues_open_with_no_signal(phone_page, live_server, athlete):
    page = phone_page
    session = session_for(athlete, DAY_B["prescriptions"], name="Day B")
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/today/")
    wait_for_service_worker(page, session)
    page.context.set_offline(True)
    page.reload()

    cues = page.get_by_text("Side-on to the anchor, press the handle straight out")
    expect(cues).to_be_hidden()
    page.get_by_role("article", name="Pallof press").get_by_text("Pallof press").first.tap()
    expect(cues).to_be_visible()
    page.context.set_offline(False)


def test_the_progress_line_counts_a_whole_day_a_which_stays_short(phone_page, live_server, athlete):
    page = phone_page
    session_for(athlete)
    open_today(page, live_server, athlete)
    progress = page.locator("[data-progress-words]")
    expect(progress).to_have_text("0 of 22 sets · 0 of 7 exercises")
    heights = [page_height(page)]

    sets = 0
    for exercises, prescription in enumerate(DAY_A["prescriptions"]):
        # The card to do next is the one open, near the top: no scrolling to find it.
        exercise = page.get_by_role("article", name=prescription["exercise"])
        log_set = exercise.get_by_role("button", name="Log set")
        expect(log_set).to_be_visible()
        taps = taps_for(prescription)
        for tap in range(1, taps + 1):
            log_set.click()
            sets += 1
            done = exercises + (tap == taps)
            expect(progress).to_have_text(f"{sets} of 22 sets · {done} of 7 exercises")
        expect(exercise.locator("[data-card-tally]")).to_have_text("Done")
        expect(exercise.get_by_role("button", name="Log extra set")).to_be_hidden()
        heights.append(page_height(page))
    expect(page.get_by_text("All sets saved.")).to_be_visible()
    print(f"\nDay A at 390 × 844: {heights[0]} px at the start, {max(heights)} px at most")
    assert max(heights) < MOST_PAGE_HEIGHT_PX, heights

    # Every exercise is still a tap away, finished or not.
    squat = page.get_by_role("article", name="Back squat")
    squat.locator(".exercise-sets__summary").tap()
    expect(squat.get_by_role("button", name="Log extra set")).to_be_visible()
    assert serious_violations(page) == []


def test_a_skip_made_offline_reaches_the_server_once(phone_page, live_server, athlete):
    page = phone_page
    session = session_for(athlete)
    open_today(page, live_server, athlete)
    wait_for_service_worker(page, session)
    answered = []
    page.on(
        "response",
        lambda response: (
            answered.append(response.status) if response.url.endswith("/skip/") else None
        ),
    )
    page.context.set_offline(True)
    page.get_by_text("Skip this session").tap()
    page.get_by_label("Why are you skipping it?").fill("Calf niggle")
    page.get_by_role("button", name="Skip session").click()

    expect(page.get_by_text("Skipped on this phone.")).to_be_visible()
    expect(page.get_by_role("button", name="Complete session")).to_be_disabled()
    session.refresh_from_db()
    assert session.status == "planned"
    page.reload()
    expect(page.get_by_text("Skipped on this phone.")).to_be_visible()

    page.context.set_offline(False)
    expect(page.get_by_text("Session skipped. Your coach can see why.")).to_be_visible()
    session.refresh_from_db()
    assert (session.status, session.skip_reason) == ("skipped", "Calf niggle")
    assert answered == [200]
    assert page.evaluate("() => localStorage.getItem('coach.pendingSets.v1')") == "[]"


FIRST_CARD_SHOWN = """() => {
  // The time from the start of the navigation to the first frame with an exercise card in it.
  const seen = () => {
    if (document.querySelector(".exercise-card")) {
      requestAnimationFrame(() => { window.firstCardMs = performance.now(); });
      return true;
    }
    return false;
  };
  if (!seen()) {
    const watch = new MutationObserver(() => seen() && watch.disconnect());
    watch.observe(document, { childList: true, subtree: true });
  }
}"""


def compressed_size(response):
    """What the response costs a phone: its body as it came when the server compressed it,
    else gzipped as whitenoise sends our static files (precompressed at collectstatic)."""
    body = response.body()
    if response.headers.get("content-encoding"):
        return int(response.headers.get("content-length") or len(gzip.compress(body)))
    return len(gzip.compress(body, compresslevel=9))


def test_today_is_light_quick_on_a_reload_and_then_served_from_the_workers_cache(
    phone_page, live_server, athlete
):
    page = phone_page
    session = session_for(athlete)
    log_in(page, live_server, athlete.user.username)

    # Every file Today needs, each counted whether it came over the network or from a cache,
    # so the sum is what a first visit transfers.
    responses = []

    def keep(response):
        responses.append(response)

    page.on("response", keep)
    page.goto(f"{live_server.url}/today/")
    page.wait_for_load_state("networkidle")
    first = [r for r in responses if re.search(r"/today/$|\.css$|\.js$", r.url)]
    page.remove_listener("response", keep)
    raw = sum(len(r.body()) for r in first)
    weight = sum(compressed_size(r) for r in first)
    kilobytes = f"{raw / 1024:.0f} KB, compressed {weight / 1024:.0f} KB"
    print(f"\nToday's first load: {len(first)} files, {kilobytes}")
    assert weight < MOST_FIRST_LOAD_BYTES

    wait_for_service_worker(page, session)
    page.add_init_script(script=f"({FIRST_CARD_SHOWN})()")
    repeat = []
    page.on("response", lambda response: repeat.append(response))
    page.reload()
    expect(card(page, "Hip swings")).to_be_visible()
    page.wait_for_function("() => window.firstCardMs !== undefined")
    first_card_ms = page.evaluate("() => window.firstCardMs")
    print(f"First exercise card {first_card_ms:.0f} ms after the reload")
    assert first_card_ms < MOST_MS_TO_THE_FIRST_CARD

    assets = [r for r in repeat if re.search(r"\.css$|\.js$", r.url)]
    assert assets and all(r.from_service_worker for r in assets), [
        r.url for r in assets if not r.from_service_worker
    ]
    assert ScheduledSession.objects.filter(pk=session.pk, status="planned").exists()
