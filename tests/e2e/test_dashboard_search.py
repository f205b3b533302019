"""A coach of a club finds an athlete by typing part of a name, and pages through the rest, on
a laptop and on a phone; the page passes the accessibility checks."""

import pytest
from playwright.sync_api import expect

from coach.dashboard import ROWS_PER_PAGE
from tests.athletes.factories import AthleteFactory
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

CLUB = ROWS_PER_PAGE + 5


@pytest.fixture
def club(coach_user):
    return [
        AthleteFactory(
            coach=coach_user,
            user__first_name=f"Runner{n:02d}",
            user__last_name="Harrier",
            user__password=None,
        )
        for n in range(CLUB)
    ]


@pytest.mark.parametrize("viewport", ["laptop_page", "phone_page"])
def test_coach_types_a_name_and_the_roster_narrows_then_pages_through_the_club(
    request, live_server, coach_user, club, viewport
):
    page = request.getfixturevalue(viewport)
    log_in(page, live_server, coach_user.username)
    table = page.get_by_role("table")
    # An athlete's row: on a phone the column headers' row is folded away.
    athlete_rows = table.get_by_role("row").filter(has=page.get_by_role("rowheader"))
    expect(athlete_rows).to_have_count(ROWS_PER_PAGE)
    expect(table).to_contain_text(f"1–{ROWS_PER_PAGE} of {CLUB} athletes")
    assert_accessible(page)

    page.get_by_label("Find an athlete").press_sequentially("runner07", delay=30)
    expect(athlete_rows).to_have_count(1)
    expect(table.get_by_role("link", name="Runner07 Harrier")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/dashboard/?q=runner07")
    expect(page.get_by_label("Find an athlete")).to_be_focused()  # typing goes on

    page.get_by_label("Find an athlete").fill("")
    page.get_by_label("Find an athlete").press("Enter")
    expect(athlete_rows).to_have_count(ROWS_PER_PAGE)
    page.get_by_role("navigation", name="Roster pages").get_by_role("link", name="Next").click()
    expect(table).to_contain_text(f"{ROWS_PER_PAGE + 1}–{CLUB} of {CLUB} athletes")
    expect(athlete_rows).to_have_count(CLUB - ROWS_PER_PAGE)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
