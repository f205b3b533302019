"""An athlete logs on a 390 × 844 phone in Chromium: a whole Day A, a double tap, a dropped
connection, a reload offline, and accessibility checks on Today, the session and history."""

import contextlib
import re
import time
from decimal import Decimal

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from athletes.models import ScheduledSession, SetLog
from programs.library_data import DAY_A, EXERCISES
from tests.athletes.factories import AthleteFactory
from tests.athletes.logging_sessions import session_for
from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def athlete():
    return AthleteFactory()


@pytest.fixture
def day_a(athlete):
    return session_for(athlete)


def eventually(check, timeout=15.0):
    """Wait for the server side to catch up with the page (sets are sent in the background)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the server")
        time.sleep(0.2)


def card(page, exercise):
    """An exercise's card, opened with a tap when it is folded to its one row (only the card
    to do next is open)."""
    found = page.get_by_role("article", name=exercise)
    sets = found.locator("[data-card-sets]")
    if sets.get_attribute("open") is None:
        sets.locator("summary").click()
    return found


def open_today(page, live_server, athlete):
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/today/")
    expect(page.get_by_role("heading", name="Day A")).to_be_visible()


def wait_for_service_worker(page, session):
    """Until the service worker has kept this session's page, and the scripts and styles it
    needs, for offline use. Each look gives up after 2 s, so a worker that never becomes ready
    fails the test instead of hanging it."""
    kept = """async (path) => {
      const look = navigator.serviceWorker.ready.then(async () => {
        const cache = await caches.open('coach-offline-v1');
        const assets = [...document.querySelectorAll('link[rel=stylesheet], script[src]')];
        const urls = [path, ...assets.map((asset) => asset.href || asset.src)];
        const found = await Promise.all(urls.map((url) => cache.match(url)));
        return found.every(Boolean);
      });
      const giveUp = new Promise((resolve) => setTimeout(() => resolve(false), 2000));
      return Promise.race([look, giveUp]);
    }"""
    eventually(lambda: page.evaluate(kept, f"/sessions/{session.pk}/"), timeout=30)


UNILATERAL = {exercise["name"] for exercise in EXERCISES if exercise["is_unilateral"]}


def taps_for(prescription):
    """One tap a set, or two (left, right) for per-side work and unilateral exercises."""
    each_side = prescription.get("per_side") or prescription["exercise"] in UNILATERAL
    return prescription["sets"] * (2 if each_side else 1)


def test_athlete_logs_all_of_day_a_and_completes_it(phone_page, live_server, athlete, day_a):
    page = phone_page
    open_today(page, live_server, athlete)
    expect(card(page, "Side plank")).to_contain_text("3 × 30 s each side")

    for prescription in DAY_A["prescriptions"]:
        exercise = card(page, prescription["exercise"])
        for _ in range(taps_for(prescription)):
            exercise.get_by_role("button", name="Log set").click()
        sets = prescription["sets"]
        done = "Set done" if sets == 1 else f"All {sets} sets done"
        # Folded to its row once done; opened again, it says so.
        expect(exercise.locator("[data-card-tally]")).to_have_text("Done")
        expect(card(page, prescription["exercise"]).get_by_text(done, exact=True)).to_be_visible()
    expect(card(page, "Side plank").get_by_text("Set 3 · Right")).to_be_visible()

    total = sum(taps_for(prescription) for prescription in DAY_A["prescriptions"])
    eventually(lambda: SetLog.objects.filter(scheduled_session=day_a).count() == total)
    expect(page.get_by_text("waiting to send")).to_have_count(0)
    page.get_by_label("Session RPE (1–10)").fill("7")
    page.get_by_label("Minutes").fill("28")
    page.get_by_role("button", name="Complete session").click()

    expect(page.get_by_text("Session complete. Your coach can see it.")).to_be_visible()
    day_a.refresh_from_db()
    assert (day_a.status, day_a.session_rpe, day_a.actual_minutes) == ("completed", 7, 28)
    holds = SetLog.objects.filter(scheduled_session=day_a, exercise__name="Side plank")
    assert sorted(holds.values_list("set_number", "side", "hold_seconds")) == [
        (n, side, 30) for n in (1, 2, 3) for side in ("left", "right")
    ]
    squats = SetLog.objects.filter(scheduled_session=day_a, exercise__name="Back squat")
    assert set(squats.values_list("reps", flat=True)) == {6}


DOUBLE_TAP_MS = 800  # logging.js: a second tap on Log set within this is the same tap
# Which answer of Day A's 22 sets is lost in each run: the last (issue #11's case), the first
# (every other set waits behind it), one in the middle, one near the end.
LOST_ANSWERS = (21, 0, 10, 18)


def test_day_a_logged_fast_ends_saved_every_time_though_an_answer_is_lost(
    phone_page, live_server, athlete, day_a
):
    """Day A tapped through as fast as the double-tap guard allows, four times over, each time
    on a connection that loses the server's answer to one set: the server has the set, the
    phone never hears back (the last set's in the first run, as in issue #11). The phone's
    clock is the test's and runs ahead, so its waits cost little real time. Every run must
    end as the server sees it: "All sets saved." and nothing waiting to send."""
    page = phone_page
    page.clock.install()

    def lose_answer(number):
        posts = iter(range(number + 1))

        def route_set(route):
            if next(posts) == number:
                route.fetch()  # the server stores the set and answers; the phone gets nothing
            else:
                route.continue_()

        # Only up to the lost answer: every request routed costs a round trip to this test.
        page.route(re.compile(r"/sessions/\d+/sets/$"), route_set, times=number + 1)

    open_today(page, live_server, athlete)
    total = sum(taps_for(prescription) for prescription in DAY_A["prescriptions"])
    saved = page.get_by_role("status").filter(has_text="All sets saved.")
    sets = SetLog.objects.filter(scheduled_session=day_a)
    stuck = []
    for number, lose in enumerate(LOST_ANSWERS, start=1):
        sets.delete()
        page.evaluate("() => localStorage.clear()")
        page.reload()
        lose_answer(lose)
        for prescription in DAY_A["prescriptions"]:
            exercise = card(page, prescription["exercise"])
            for _ in range(taps_for(prescription)):
                exercise.get_by_role("button", name="Log set").click()
                page.clock.run_for(DOUBLE_TAP_MS)
        # Up to 20 s, the phone's clock running ahead. Waiting in the browser, not in a sleep:
        # the route above only answers meanwhile.
        deadline = time.monotonic() + 20
        while not (sets.count() == total and saved.is_visible()) and time.monotonic() < deadline:
            page.clock.run_for(2000)
            page.wait_for_timeout(50)
        waiting = page.get_by_text("waiting to send").count()
        if sets.count() != total or not saved.is_visible() or waiting:
            status = page.locator("[data-sync-status]").text_content()
            stuck.append(
                f"run {number}: {sets.count()} sets on the server, {status!r}, {waiting} waiting"
            )
    assert not stuck, f"{len(stuck)} of {len(LOST_ANSWERS)} runs stuck: {stuck}"


def test_on_a_connection_slower_than_the_first_wait_for_an_answer_a_set_still_gets_through(
    phone_page, live_server, athlete, day_a
):
    """Every answer reaches the phone 12 s after its request, 2 s more than the phone first
    waits: it must wait longer the next time instead of giving up on every attempt."""
    page = phone_page
    page.clock.install()
    held = []
    page.route(re.compile(r"/sessions/\d+/sets/$"), lambda route: held.append(route))
    open_today(page, live_server, athlete)
    card(page, "Back squat").get_by_role("button", name="Log set").click()

    saved = page.get_by_role("status").filter(has_text="All sets saved.")
    deadline = time.monotonic() + 20
    while not saved.is_visible() and time.monotonic() < deadline:
        if held:
            route = held.pop(0)
            answer = route.fetch()
            page.clock.run_for(12_000)
            with contextlib.suppress(PlaywrightError):  # unless the phone gave up on it
                route.fulfill(response=answer)
        else:
            page.clock.run_for(1000)
            page.wait_for_timeout(50)
    expect(saved).to_be_visible()
    expect(page.get_by_text("waiting to send")).to_have_count(0)
    assert SetLog.objects.filter(scheduled_session=day_a).count() == 1


def test_a_double_tap_on_log_set_logs_one_set(phone_page, live_server, athlete, day_a):
    page = phone_page
    open_today(page, live_server, athlete)
    squat = card(page, "Back squat")
    squat.get_by_label("Load (kg)").fill("60")
    squat.get_by_role("button", name="Log set").dblclick()

    eventually(lambda: SetLog.objects.filter(scheduled_session=day_a).exists())
    time.sleep(1.5)  # the second tap, had it counted, would have been sent by now
    assert SetLog.objects.filter(scheduled_session=day_a).count() == 1
    expect(squat.get_by_text("Set 2 of 4")).to_be_visible()
    expect(squat.locator(".set-row")).to_have_count(1)


def test_after_correcting_a_set_the_next_set_starts_from_its_own_numbers(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    open_today(page, live_server, athlete)
    squat = card(page, "Back squat")
    squat.get_by_label("Load (kg)").fill("60")
    squat.get_by_role("button", name="Log set").click()
    # Once the server has the set, its row is replaced: a click in between would be lost.
    expect(squat.locator(".set-row--pending")).to_have_count(0)
    squat.get_by_role("button", name="Edit set 1").click()
    expect(squat.get_by_text("Editing set 1")).to_be_visible()
    squat.get_by_label("Load (kg)").fill("55")
    squat.get_by_label("RPE").fill("9")
    squat.get_by_role("button", name="Save set").click()

    expect(squat.get_by_text("Set 2 of 4")).to_be_visible()
    expect(squat.get_by_label("Load (kg)")).to_have_value("60")
    expect(squat.get_by_label("RPE")).to_have_value("")
    squat_sets = SetLog.objects.filter(scheduled_session=day_a, exercise__name="Back squat")
    eventually(lambda: list(squat_sets.values_list("load_kg", "rpe")) == [(55, Decimal(9))])


def test_correcting_one_side_of_a_set_keeps_it_on_that_side(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    open_today(page, live_server, athlete)
    plank = card(page, "Side plank")
    plank.get_by_role("button", name="Log set").click()
    expect(plank.locator(".set-row--pending")).to_have_count(0)
    plank.get_by_role("button", name="Edit set 1 left").click()
    expect(plank.get_by_role("radio", name="Left")).to_be_checked()
    expect(plank.get_by_role("radio", name="Right")).to_be_disabled()
    plank.get_by_label("Hold (s)").fill("25")
    plank.get_by_role("button", name="Save set").click()

    expect(plank.get_by_text("Set 1 of 3 · Right")).to_be_visible()
    expect(plank.get_by_role("radio", name="Right")).to_be_enabled()
    expect(plank.get_by_role("radio", name="Right")).to_be_checked()
    holds = SetLog.objects.filter(scheduled_session=day_a, exercise__name="Side plank")
    eventually(lambda: list(holds.values_list("side", "hold_seconds")) == [("left", 25)])


def two_squat_sets_logged_offline(page, live_server, athlete, session):
    """Today opened and kept for offline use, then two squat sets logged with no connection."""
    open_today(page, live_server, athlete)
    wait_for_service_worker(page, session)
    squat = card(page, "Back squat")
    squat.get_by_label("Load (kg)").fill("60")
    page.context.set_offline(True)
    squat.get_by_role("button", name="Log set").click()
    squat.get_by_role("button", name="Log set").click()
    return squat


def test_sets_logged_offline_reach_the_server_once_when_back_online(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    squat = two_squat_sets_logged_offline(page, live_server, athlete, day_a)
    expect(squat.get_by_text("waiting to send")).to_have_count(2)
    expect(page.get_by_text("Offline: 2 sets saved on this phone")).to_be_visible()
    pending_ids = squat.locator(".set-row").evaluate_all("rows => rows.map(r => r.dataset.setId)")
    time.sleep(1)
    assert not SetLog.objects.exists()

    page.context.set_offline(False)
    eventually(lambda: SetLog.objects.count() == 2)
    expect(squat.get_by_text("waiting to send")).to_have_count(0)
    expect(page.get_by_text("All sets saved.")).to_be_visible()
    time.sleep(1)
    assert sorted(str(pk) for pk in SetLog.objects.values_list("pk", flat=True)) == sorted(
        pending_ids
    )
    assert sorted(SetLog.objects.values_list("set_number", flat=True)) == [1, 2]


def test_a_session_finished_offline_reaches_the_coach_after_its_sets(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    two_squat_sets_logged_offline(page, live_server, athlete, day_a)
    page.get_by_label("Session RPE (1–10)").fill("7")
    page.get_by_role("button", name="Complete session").click()
    expect(page.get_by_text("Completed on this phone.")).to_be_visible()
    expect(page.get_by_role("button", name="Complete session")).to_be_disabled()
    day_a.refresh_from_db()
    assert day_a.status == "planned" and not SetLog.objects.exists()
    # The phone keeps the finished session through a reload, offline. (Checked after the
    # server's side: in Chromium a page reloaded from the service worker sometimes sends a
    # request despite the emulated offline, which a phone without signal cannot.)
    page.reload()
    expect(page.get_by_text("Completed on this phone.")).to_be_visible()

    page.context.set_offline(False)
    expect(page.get_by_text("Session complete. Your coach can see it.")).to_be_visible()
    day_a.refresh_from_db()
    assert (day_a.status, day_a.session_rpe) == ("completed", 7)
    assert SetLog.objects.filter(scheduled_session=day_a).count() == 2


def finish_offline(page, live_server, athlete, session, session_rpe):
    """Today opened and kept for offline use, then completed with no connection."""
    open_today(page, live_server, athlete)
    wait_for_service_worker(page, session)
    page.context.set_offline(True)
    page.get_by_label("Session RPE (1–10)").fill(session_rpe)
    page.get_by_role("button", name="Complete session").click()


def test_a_session_finished_offline_then_signed_out_asks_to_sign_in_and_is_sent_after(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    finish_offline(page, live_server, athlete, day_a, session_rpe="6")
    expect(page.get_by_text("Completed on this phone.")).to_be_visible()
    signed_in = page.context.cookies()
    page.context.clear_cookies()  # the sign-in ran out while the phone was offline
    page.context.set_offline(False)

    expect(page.get_by_text("Sign in again to send")).to_be_visible()
    day_a.refresh_from_db()
    assert day_a.status == "planned"
    page.context.add_cookies(signed_in)
    page.reload()
    expect(page.get_by_text("Session complete. Your coach can see it.")).to_be_visible()
    day_a.refresh_from_db()
    assert (day_a.status, day_a.session_rpe) == ("completed", 6)


def test_completing_on_a_connection_that_drops_the_request_keeps_it_on_the_phone(
    phone_page, live_server, athlete, day_a
):
    """In a basement the phone may say it is online while nothing gets through: the
    completion waits on the phone like a set does, instead of ending on a browser error."""
    page = phone_page
    open_today(page, live_server, athlete)
    page.route("**/complete/", lambda route: route.abort("internetdisconnected"))
    page.get_by_label("Session RPE (1–10)").fill("8")
    page.get_by_role("button", name="Complete session").click()
    expect(page.get_by_text("Completed on this phone.")).to_be_visible()
    day_a.refresh_from_db()
    assert day_a.status == "planned"

    page.unroute("**/complete/")
    expect(page.get_by_text("Session complete. Your coach can see it.")).to_be_visible(
        timeout=15_000
    )
    day_a.refresh_from_db()
    assert (day_a.status, day_a.session_rpe) == ("completed", 8)


def test_a_session_finished_offline_but_skipped_meanwhile_says_why_and_leaves_nothing_waiting(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    finish_offline(page, live_server, athlete, day_a, session_rpe="7")
    ScheduledSession.objects.filter(pk=day_a.pk).update(status="skipped", skip_reason="Ill")
    page.context.set_offline(False)

    expect(page.get_by_text("This session was skipped. Reopen it first.")).to_be_visible()
    expect(page.get_by_role("button", name="Complete session")).to_be_enabled()
    assert page.evaluate("() => localStorage.getItem('coach.pendingSets.v1')") == "[]"


def test_a_set_the_server_refuses_says_so_instead_of_all_sets_saved(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    open_today(page, live_server, athlete)
    ScheduledSession.objects.filter(pk=day_a.pk).update(status="completed", session_rpe=7)
    squat = card(page, "Back squat")
    squat.get_by_label("Load (kg)").fill("60")
    squat.get_by_role("button", name="Log set").click()

    expect(squat.get_by_text("This session is closed. Reopen it to change a set.")).to_be_visible()
    expect(page.get_by_text("A set was not saved: its exercise says why.")).to_be_visible()
    expect(page.get_by_text("All sets saved.")).to_have_count(0)
    assert not SetLog.objects.exists()


def test_a_set_waiting_offline_can_be_corrected_before_it_is_sent(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    open_today(page, live_server, athlete)
    squat = card(page, "Back squat")
    squat.get_by_label("Load (kg)").fill("60")

    page.context.set_offline(True)
    squat.get_by_role("button", name="Log set").click()
    squat.get_by_role("button", name="Edit set 1").click()
    squat.get_by_label("Load (kg)").fill("57.5")
    squat.get_by_role("button", name="Save set").click()
    expect(squat.get_by_text("waiting to send")).to_have_count(1)
    expect(squat.get_by_text("Set 2 of 4")).to_be_visible()

    page.context.set_offline(False)
    eventually(lambda: SetLog.objects.filter(scheduled_session=day_a).exists())
    expect(squat.get_by_text("waiting to send")).to_have_count(0)
    time.sleep(1)
    assert list(SetLog.objects.values_list("set_number", "load_kg")) == [(1, Decimal("57.5"))]


def test_a_reload_offline_still_shows_the_session_and_its_waiting_sets(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    log_in(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/sessions/{day_a.pk}/")
    wait_for_service_worker(page, day_a)

    page.context.set_offline(True)
    card(page, "Back squat").get_by_label("Load (kg)").fill("60")
    card(page, "Back squat").get_by_role("button", name="Log set").click()
    page.reload()

    expect(page.get_by_role("heading", name="Day A")).to_be_visible()
    squat = card(page, "Back squat")
    expect(squat.get_by_text("waiting to send")).to_have_count(1)
    expect(squat.get_by_text("Set 2 of 4")).to_be_visible()
    # The kept page was saved before the set: the next set still starts from its numbers.
    expect(squat.get_by_label("Load (kg)")).to_have_value("60")
    page.context.set_offline(False)
    eventually(lambda: SetLog.objects.filter(scheduled_session=day_a).count() == 1)


def test_today_session_and_history_pass_axe(phone_page, live_server, athlete, day_a):
    page = phone_page
    open_today(page, live_server, athlete)
    card(page, "Back squat").get_by_label("Load (kg)").fill("60")
    card(page, "Back squat").get_by_role("button", name="Log set").click()
    expect(page.get_by_role("timer")).to_be_visible()
    eventually(lambda: SetLog.objects.exists())
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/sessions/{day_a.pk}/")
    squat = card(page, "Back squat")
    squat.get_by_label("Reps").fill("101")
    squat.get_by_role("button", name="Log set").click()
    expect(squat.get_by_text("More than 100 reps? Check the number.")).to_be_visible()
    assert serious_violations(page) == []

    ScheduledSession.objects.filter(pk=day_a.pk).update(status="completed", session_rpe=7)
    page.goto(f"{live_server.url}/history/")
    expect(page.get_by_text("Best est. 1RM")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Back squat").click()
    expect(page.get_by_text("Best estimated 1RM")).to_be_visible()
    assert serious_violations(page) == []


def test_the_rest_timer_counts_down_pauses_and_can_be_skipped(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    open_today(page, live_server, athlete)
    card(page, "Back squat").get_by_role("button", name="Log set").click()
    timer = page.get_by_role("timer")
    # The squat's prescribed rest, already counting down on a slow machine.
    expect(timer).to_have_text(re.compile(r"^Rest 1:(30|2\d)$"))
    expect(timer).not_to_have_text("Rest 1:30", timeout=3000)

    page.get_by_role("button", name="Pause").click()
    paused = timer.text_content()
    assert paused.endswith("(paused)")
    time.sleep(1.5)
    expect(timer).to_have_text(paused)
    page.get_by_role("button", name="Resume").click()
    expect(timer).not_to_have_text(paused, timeout=3000)

    page.reload()  # the timer runs from a timestamp, so a reload (or a locked screen) keeps it
    expect(page.get_by_role("timer")).to_contain_text("Rest 1:")
    page.get_by_role("button", name="Skip rest").click()
    expect(page.get_by_role("timer")).to_be_hidden()

    card(page, "Back squat").get_by_role("button", name="Log set").click()
    page.evaluate(  # as if the phone had been locked through the whole rest
        """() => {
          const state = JSON.parse(localStorage.getItem("coach.rest.v1"));
          localStorage.setItem("coach.rest.v1", JSON.stringify({...state, endsAt: Date.now()}));
        }"""
    )
    expect(timer).to_have_text("Rest over: next set")
    page.get_by_role("button", name="Close", exact=True).click()  # nothing left to skip
    expect(timer).to_be_hidden()


PHONE_HEIGHT = PHONE["height"]
# Everything to tap that is on screen but not what a tap at its centre reaches (the rest timer
# is over it), and the page's last thing to tap.
COVERED_BY_THE_REST_TIMER = """() => {
  const bar = document.querySelector("[data-rest-timer]");
  // A radio drawn as a button (.btn-check) is tapped through its label.
  const targets = "a[href], button, summary, label, input:not(.btn-check), select, textarea";
  const tappable = [...document.querySelectorAll(targets)]
    .filter((element) => !bar.contains(element) && element.checkVisibility());
  // On screen: its centre is (one cut off by the top edge is not there to tap).
  const inView = tappable.filter((element) => {
    const box = element.getBoundingClientRect();
    const centre = box.y + box.height / 2;
    return centre > 0 && centre < window.innerHeight;
  });
  const covered = inView.filter((element) => {
    const box = element.getBoundingClientRect();
    const atCentre = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return !(atCentre && element.contains(atCentre));
  });
  const name = (element) => (element.textContent || element.name || element.id).trim();
  return { last: name(tappable[tappable.length - 1]), covered: covered.map(name) };
}"""


@pytest.mark.parametrize("path", ["/today/", "/sessions/{pk}/"])
def test_the_rest_timer_covers_nothing_to_tap_once_scrolled_to_the_end(
    phone_page, live_server, athlete, day_a, path
):
    page = phone_page
    open_today(page, live_server, athlete)
    page.goto(live_server.url + path.format(pk=day_a.pk))
    card(page, "Back squat").get_by_role("button", name="Log set").click()
    expect(page.get_by_role("timer")).to_contain_text("Rest 1:")
    # Over the cards, at the bottom of the screen, next to the thumb.
    bar = page.get_by_role("region", name="Rest timer").bounding_box()
    assert PHONE_HEIGHT - 20 < bar["y"] + bar["height"] <= PHONE_HEIGHT

    # Until the double-tap guard lets go, the tapped button is disabled, and a disabled
    # button is no target at its centre (the short page can leave it in view).
    expect(card(page, "Back squat").get_by_role("button", name="Log set")).to_be_enabled()
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    found = page.evaluate(COVERED_BY_THE_REST_TIMER)
    assert found["covered"] == [], found
    assert found["last"] == ("Your history" if path == "/today/" else "Post comment")
    expect(page.get_by_role("timer")).to_be_visible()


def test_a_lost_csrf_cookie_is_refreshed_and_the_set_still_arrives(
    phone_page, live_server, athlete, day_a
):
    page = phone_page
    open_today(page, live_server, athlete)
    page.context.clear_cookies(name="csrftoken")
    card(page, "Back squat").get_by_role("button", name="Log set").click()
    eventually(lambda: SetLog.objects.filter(scheduled_session=day_a).count() == 1)
    expect(page.get_by_text("waiting to send")).to_have_count(0)


def test_the_demo_athlete_logs_a_whole_day_a_in_under_a_minute(phone_page, live_server):
    from django.core.management import call_command

    from athletes.management.commands.load_demo import DEMO_PASSWORDS

    call_command("load_demo", verbosity=0)
    session = (
        ScheduledSession.objects.filter(athlete__user__username="athlete", name__startswith="Day A")
        .order_by("starts_at")
        .first()
    )
    page = phone_page
    log_in(page, live_server, "athlete", DEMO_PASSWORDS["athlete"])
    page.goto(f"{live_server.url}/sessions/{session.pk}/")

    started = time.monotonic()
    taps = 0
    for exercise in page.locator("article.exercise-card").all():
        sets = int(exercise.get_attribute("data-sets"))
        sides = len(exercise.get_attribute("data-sides").split(","))
        for _ in range(sets * sides):
            exercise.get_by_role("button", name="Log set").click()
            taps += 1
    page.get_by_label("Session RPE (1–10)").fill("7")
    page.get_by_role("button", name="Complete session").click()
    expect(page.get_by_text("Session complete. Your coach can see it.")).to_be_visible()
    elapsed = time.monotonic() - started

    assert elapsed < 60, f"{taps} taps took {elapsed:.0f} s"
    assert SetLog.objects.filter(scheduled_session=session).count() == taps == 22
