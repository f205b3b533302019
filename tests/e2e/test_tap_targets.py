"""Thumb-sized targets at 390 px: every link, button and disclosure that stands on its own (not
a link inside a sentence) on the coach's and the athlete's main pages is at least 44 px tall,
and what the keyboard focuses is in sight, with the demo's data plus a run done and a comment of
the athlete's own."""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from athletes.management.commands.load_demo import DEMO_PASSWORDS
from athletes.models import Athlete
from athletes.services.conversation import comment_post
from athletes.services.runs_done import run_done_record
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

MIN_TARGET_PX = 44
# What a thumb can't hit: standalone targets shorter than MIN_TARGET_PX. Exempt, as WCAG 2.5.8
# exempts them: a link in running text (inline, in a parent with more words than the link), and
# what is hidden (zero size, hidden, or inside a clipped, visually hidden element).
SMALL_TARGETS = """(minimum) => {
  const hiddenByClip = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.clip !== 'auto' && style.position === 'absolute') return true;
    }
    return false;
  };
  const small = [];
  const targets = 'main a[href], main button, main summary, nav a[href]';
  for (const el of document.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden' || hiddenByClip(el)) continue;
    const parentText = (el.parentElement.textContent || '').trim().length;
    const inSentence = style.display === 'inline' && parentText > el.textContent.trim().length + 20;
    if (inSentence || box.height >= minimum - 0.5) continue;
    const name = el.textContent.trim().slice(0, 40);
    small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.height)} px`);
  }
  return small;
}"""


def focused_but_unseen(page, most=400):
    """Tab through the page once; the elements that took the focus where the eye cannot see
    them or their label (nothing of theirs at the middle of the box: clipped, covered, off the
    page)."""
    unseen, seen = [], set()
    for _ in range(most):
        page.keyboard.press("Tab")
        html, in_sight = page.evaluate(
            # Scrolled to at once: the page scrolls smoothly to what takes the focus.
            # A control drawn by its label (Bootstrap's .btn-check) is seen through the label.
            """() => { const e = document.activeElement;
                e.scrollIntoView({block: "center", behavior: "instant"});
                const inSight = (el) => {
                  const r = el.getBoundingClientRect();
                  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                  return hit !== null && el.contains(hit);
                };
                return [e.outerHTML.slice(0, 120), [e, ...(e.labels || [])].some(inSight)]; }"""
        )
        if html in seen or html.startswith("<body"):
            break
        seen.add(html)
        if not in_sight:
            unseen.append(html)
    return unseen


def assert_no_small_targets(page, live_server, paths):
    """No target under MIN_TARGET_PX on each page, and the keyboard lands only on what is seen
    (the roster's column links, folded away on a phone, once took the focus unseen)."""
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(SMALL_TARGETS, MIN_TARGET_PX) == [], path
        assert focused_but_unseen(page) == [], path


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    athlete = Athlete.objects.get(user__username="athlete")
    session = athlete.scheduled_sessions.order_by("starts_at").first()
    run = run_done_record(
        athlete=athlete,
        entered_by=athlete.user,
        started_at=timezone.now() - dt.timedelta(hours=2),
        moving_seconds=1800,
        distance_m=5200,
        rpe=4,
    )
    comment_post(
        author=athlete.user, subject=session, comment_id=uuid.uuid4(), body="Squats felt heavy."
    )
    return athlete, session, run


def test_the_coachs_pages_have_no_target_under_44_px(phone_page, live_server, demo):
    athlete, session, _ = demo
    program = athlete.assignments.get().program
    log_in(phone_page, live_server, "coach", DEMO_PASSWORDS["coach"])

    assert_no_small_targets(
        phone_page,
        live_server,
        [
            "/dashboard/",
            "/dashboard/?q=nobody-matches",
            "/athletes/",
            f"/athletes/{athlete.pk}/",
            f"/athletes/{athlete.pk}/calendar/",
            f"/sessions/{session.pk}/",
            "/programs/",
            f"/programs/{program.pk}/",
            "/programs/templates/",
            "/flags/",
            "/notices/",
        ],
    )


def test_the_athletes_pages_have_no_target_under_44_px(phone_page, live_server, demo):
    _, session, run = demo
    log_in(phone_page, live_server, "athlete", DEMO_PASSWORDS["athlete"])

    assert_no_small_targets(
        phone_page,
        live_server,
        [
            "/today/",
            "/calendar/week/",
            "/calendar/month/",
            f"/sessions/{session.pk}/",
            f"/runs/done/{run.pk}/",
            "/progress/",
            "/history/",
            "/notices/",
        ],
    )
