"""Placement and flagging in the database apply the same rules: a session placed as clear is
never flagged, and a flag placement could not avoid is named in the session's reason."""

import datetime as dt

import pytest
import time_machine

from athletes.models import Flag, RunEvent
from athletes.services import flagging
from athletes.services.run_events import run_events_create_weekly
from athletes.services.scheduling import assignment_create
from programs.services import program_create
from tests.athletes.factories import RaceFactory
from tests.programs.article import day_a, day_b

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 23)  # a Monday
RACE_DAY = dt.date(2026, 12, 26)  # Saturday of week 5
NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_articles_block_before_an_a_race_is_flagged_only_where_its_reasons_say_so(
    coach_user, athlete
):
    # The demo's running week: key intervals on Tuesday evenings, an A race on Saturday of
    # week 5. Week 5's heavy Day A can't escape the race's 10-day taper.
    run_events_create_weekly(
        athlete=athlete,
        weekday=1,
        time_of_day=dt.time(18, 0),
        first_date=START,
        weeks=6,
        kind=RunEvent.Kind.INTERVAL,
        name="Intervals",
        duration_minutes=60,
        is_key=True,
    )
    RaceFactory(
        athlete=athlete,
        name="Riverside 5K",
        starts_at=dt.datetime.combine(RACE_DAY, dt.time(9), tzinfo=athlete.tz),
    )
    program = program_create(
        coach=coach_user,
        name="5K block",
        weeks=6,
        slots=[("Day A", day_a(coach_user)), ("Day B", day_b(coach_user))],
    )

    (assignment,) = assignment_create(program=program, athletes=[athlete], start_date=START)
    flagging.flags_refresh_for_athlete(athlete.pk)

    flagged = set(Flag.objects.values_list("scheduled_session_id", "kind"))
    assert flagged, "week 5's Day A sits in the taper"
    for session in assignment.sessions.all():
        kinds = {kind for session_id, kind in flagged if session_id == session.pk}
        reason = session.placement_reason
        assert bool(kinds) == ("left for the flags" in reason), reason
        assert ("taper" in kinds) == ("the 10-day taper" in reason), reason
        if kinds:
            assert "no race or key session in the next days" not in reason
