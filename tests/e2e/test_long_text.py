"""Long unbroken text at 390 px: a 150-character name (Django's longest first name) and a
50-character word in a comment wrap instead of widening the coach's pages on a phone."""

import uuid

import pytest

from athletes.services.conversation import comment_post
from tests.athletes.factories import AthleteFactory
from tests.athletes.logging_sessions import session_for
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

LONG_NAME = "Maximiliana" * 13 + "Z" * 7
LONG_WORD = "Supercalifragilisticexpialidocious" + "x" * 16


def test_a_very_long_name_and_word_keep_the_athlete_and_notices_pages_390_px_wide(
    phone_page, live_server
):
    athlete = AthleteFactory(user__first_name=LONG_NAME[:150], user__last_name=LONG_NAME[:150])
    day_a = session_for(athlete)
    comment_post(
        author=athlete.user, subject=day_a, comment_id=uuid.uuid4(), body=f"Felt {LONG_WORD}"
    )
    page = phone_page
    log_in(page, live_server, athlete.coach.username)

    page.goto(f"{live_server.url}/notices/")
    assert LONG_WORD in page.content()
    for path in (
        f"/athletes/{athlete.pk}/",
        "/notices/",
        "/conversations/",
        f"/sessions/{day_a.pk}/",
        "/assignments/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
