"""Placement of a week's strength sessions around the running week (athletes.rules.placement).

The property tests check every rule with their own brute force, written from the issue's
words rather than from the module's code.
"""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from athletes.rules.flagging import EventTimes
from athletes.rules.placement import (
    RunSpec,
    SessionSpec,
    hours_between,
    place_week,
    usual_weekdays,
)

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 11, 23)
SESSION_TIME = dt.time(17, 30)


def at(day_offset, hour, minute=0, tz=LONDON, monday=MONDAY):
    return dt.datetime.combine(
        monday + dt.timedelta(days=day_offset), dt.time(hour, minute), tzinfo=tz
    )


def day_a(intensity="heavy", usual=0):
    return SessionSpec(key="A", name="Day A", intensity=intensity, usual_weekday=usual)


def day_b(intensity="moderate", usual=3):
    return SessionSpec(key="B", name="Day B", intensity=intensity, usual_weekday=usual)


def place(runs, sessions, window=36, tz=LONDON, monday=MONDAY, **kwargs):
    return place_week(
        week_start=monday,
        run_events=runs,
        sessions=sessions,
        freshness_window_hours=window,
        tz=tz,
        session_time=SESSION_TIME,
        **kwargs,
    )


# -- examples a coach would recognise -------------------------------------------------------


def test_heavy_session_leaves_the_day_before_intervals_for_the_day_after():
    intervals = RunSpec(at(1, 18), "interval", is_key=True, duration_minutes=60)
    easy = RunSpec(at(2, 7), "easy", duration_minutes=30)
    heavy, moderate = place([intervals, easy], [day_a(), day_b()])
    assert heavy.date.weekday() == 2  # Wednesday, the easy day straight after Tuesday's intervals
    assert heavy.reason.startswith("Mon: rest day, 24 h before Tue intervals → moved to Wed")
    assert "easy day" in heavy.reason
    assert moderate.date.weekday() >= 4  # 48 h after Wednesday
    assert heavy.broken == () and moderate.broken == ()


def test_intervals_tuesday_and_saturday_race_keep_heavy_36_hours_away_from_both():
    runs = [
        RunSpec(at(1, 18), "interval", is_key=True, duration_minutes=60),
        RunSpec(at(5, 9), "race", name="Riverside 5K", duration_minutes=30),
    ]
    heavy, _ = place(runs, [day_a(), day_b()])
    heavy_end = dt.datetime.combine(heavy.date, heavy.time, tzinfo=LONDON) + dt.timedelta(
        minutes=30
    )
    for run in runs:
        if run.starts_at > heavy_end:
            assert hours_between(heavy_end, run.starts_at, LONDON) >= 36


def test_sessions_keep_their_usual_days_when_nothing_is_in_the_way():
    placements = place([], [day_a(), day_b()])
    assert [p.date.weekday() for p in placements] == [0, 3]
    assert placements[0].reason == "Mon: rest day, no race or key session in the next days"


def test_easy_run_day_is_preferred_to_a_rest_day():
    easy_thursday = RunSpec(at(3, 7), "easy", duration_minutes=30)
    easy_friday = RunSpec(at(4, 7), "easy", duration_minutes=30)
    placements = place([easy_thursday, easy_friday], [day_b(usual=2)])
    assert placements[0].date.weekday() == 3
    assert "rest day; an easy-run day is free" in placements[0].reason


def test_session_overlapping_an_easy_run_starts_after_it():
    easy = RunSpec(at(0, 17), "easy", duration_minutes=45)
    (placement,) = place([easy], [day_b(usual=0)])
    assert placement.date.weekday() == 0
    assert placement.time == dt.time(17, 45)


def test_sunday_session_sees_a_monday_race_of_the_next_week():
    races = [RunSpec(at(7, 9), "race", name="Monday 10K")]
    sessions = [SessionSpec(key="A", name="Day A", intensity="heavy", usual_weekday=6)]
    (placement,) = place(races, sessions)
    assert placement.date.weekday() != 6
    assert "Sun:" in placement.reason and "Mon Monday 10K" in placement.reason


def test_week_with_no_free_day_still_places_every_session_and_says_so():
    runs = [RunSpec(at(d, 18), "interval", is_key=True) for d in range(8)]
    placements = place(runs, [day_a(), day_b(), SessionSpec("C", "Day C", "light")])
    assert len({p.date for p in placements}) == 3
    assert all(MONDAY <= p.date <= MONDAY + dt.timedelta(days=6) for p in placements)
    assert "freshness" in placements[0].broken
    assert "left for the flags" in placements[0].reason


def test_strength_already_on_the_calendar_is_kept_48_hours_away():
    sunday_session = at(-1, 17, 30)
    (placement,) = place([], [day_a()], other_strength_at=[sunday_session])
    assert placement.date.weekday() == 1
    assert "within 48 h of another strength session" in placement.reason


def test_reasons_fit_the_database_column():
    runs = [
        RunSpec(at(d, 18), "race", name="A very long race name " * 5, is_key=True) for d in range(7)
    ]
    assert all(len(p.reason) <= 200 for p in place(runs, [day_a(), day_b()]))


def test_usual_weekdays_spread_sessions_over_the_week():
    assert usual_weekdays(1) == [0]
    assert usual_weekdays(2) == [0, 3]
    assert usual_weekdays(3) == [0, 2, 4]


def test_a_week_must_start_on_monday():
    with pytest.raises(ValueError):
        place([], [day_a()], monday=MONDAY + dt.timedelta(days=1))


# -- time zones and daylight saving ---------------------------------------------------------

ZONES = [
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Santiago",
    "Asia/Kolkata",
    "UTC",
]
# Nights the clocks change in some of the zones above (spring and autumn, both hemispheres).
DST_NIGHTS = [
    dt.date(2026, 3, 8),
    dt.date(2026, 3, 29),
    dt.date(2026, 4, 5),
    dt.date(2026, 9, 6),
    dt.date(2026, 9, 27),
    dt.date(2026, 10, 4),
    dt.date(2026, 10, 25),
    dt.date(2026, 11, 1),
]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("race_day", DST_NIGHTS)
def test_session_at_18_the_day_before_a_9_oclock_race_is_15_hours_before_it(zone, race_day):
    tz = ZoneInfo(zone)
    session = dt.datetime.combine(race_day - dt.timedelta(days=1), dt.time(18), tzinfo=tz)
    race = dt.datetime.combine(race_day, dt.time(9), tzinfo=tz)
    # Stored as UTC instants, as the database keeps them, and read back.
    session_utc = session.astimezone(dt.UTC)
    race_utc = race.astimezone(dt.UTC)
    assert hours_between(session_utc, race_utc, tz) == 15
    assert session_utc.astimezone(tz).time() == dt.time(18)


@pytest.mark.parametrize("zone", ZONES)
def test_placement_keeps_local_times_across_a_dst_week(zone):
    tz = ZoneInfo(zone)
    monday = dt.date(2026, 3, 23)  # Europe changes on Sunday the 29th
    race = RunSpec(dt.datetime(2026, 3, 30, 9, tzinfo=tz), "race", name="Monday race")
    placements = place([race], [day_a(usual=6), day_b(usual=2)], tz=tz, monday=monday)
    assert all(p.time == SESSION_TIME for p in placements)
    heavy = placements[0]
    assert heavy.date != dt.date(2026, 3, 29)  # Sunday 17:30 is 15 h before the race


# -- properties -----------------------------------------------------------------------------

HARD = ("race", "long", "tempo", "interval")
KINDS = ("race", "easy", "long", "tempo", "interval")
WEEKS = [
    dt.date(2026, 3, 2),
    dt.date(2026, 3, 23),
    dt.date(2026, 3, 30),
    dt.date(2026, 9, 21),
    dt.date(2026, 10, 19),
    dt.date(2026, 10, 26),
    dt.date(2026, 11, 23),
]

# Runs in the morning (06:00–10:59, at most 2 h), so none overlaps the 17:30 session time and
# a session on any day starts at exactly 17:30: the brute force needs no time rule of its own.
runs_strategy = st.lists(
    st.builds(
        lambda day, hour, kind, key, minutes: (day, hour, kind, key, minutes),
        st.integers(0, 9),
        st.integers(6, 8),
        st.sampled_from(KINDS),
        st.booleans(),
        st.integers(20, 120),
    ),
    max_size=9,
)


def _runs(raw, monday, tz):
    """Runs as the database can hold them: an easy run is never key."""
    return [
        RunSpec(
            at(day, hour, tz=tz, monday=monday),
            kind,
            is_key=key and kind != "easy",
            duration_minutes=minutes,
        )
        for day, hour, kind, key, minutes in raw
    ]


def _check(runs, sessions, days, monday, tz, window):
    """Rules 1–3 for `days` (one weekday per session), from the issue's own words."""
    starts = [dt.datetime.combine(monday + dt.timedelta(days=d), SESSION_TIME) for d in days]
    wall = [(r.starts_at.astimezone(tz).replace(tzinfo=None), r) for r in runs]
    freshness = all(
        not session.is_heavy
        or all(
            run_start <= start
            or not (run.kind == "race" or run.is_key)
            or (run_start - (start + dt.timedelta(minutes=session.duration_minutes)))
            >= dt.timedelta(hours=window)
            for run_start, run in wall
        )
        for session, start in zip(sessions, starts, strict=True)
    )
    spacing = all(
        abs(a - b) >= dt.timedelta(hours=48) for a, b in itertools.combinations(starts, 2)
    )
    easy_days = all(
        not any(
            run_start.date() == start.date() and (run.kind in HARD or run.is_key)
            for run_start, run in wall
        )
        for start in starts
    )
    return freshness and spacing and easy_days


def _hours_since_previous_key(runs, day, monday, tz):
    start = dt.datetime.combine(monday + dt.timedelta(days=day), SESSION_TIME)
    keys = [
        r.starts_at.astimezone(tz).replace(tzinfo=None)
        for r in runs
        if (r.kind == "race" or r.is_key)
        and r.starts_at.astimezone(tz).replace(tzinfo=None) < start
    ]
    since = max(keys, default=dt.datetime.combine(monday, dt.time()))
    return (start - since).total_seconds() / 3600


@settings(max_examples=150, deadline=None)
@given(
    raw_runs=runs_strategy,
    others=st.lists(st.sampled_from(["moderate", "light"]), max_size=2),
    heavy_first=st.booleans(),
    monday=st.sampled_from(WEEKS),
    zone=st.sampled_from(ZONES),
    window=st.integers(24, 48),
)
def test_placement_keeps_every_rule_whenever_some_placement_can(
    raw_runs, others, heavy_first, monday, zone, window
):
    tz = ZoneInfo(zone)
    runs = _runs(raw_runs, monday, tz)
    sessions = [SessionSpec(key=f"s{i}", name=f"S{i}", intensity=x) for i, x in enumerate(others)]
    heavy = SessionSpec(key="heavy", name="Heavy", intensity="heavy")
    sessions = [heavy, *sessions] if heavy_first else [*sessions, heavy]
    usual = usual_weekdays(len(sessions))
    sessions = [
        SessionSpec(s.key, s.name, s.intensity, usual_weekday=u)
        for s, u in zip(sessions, usual, strict=True)
    ]

    placements = place(runs, sessions, window=window, tz=tz, monday=monday)

    assert [p.key for p in placements] == [s.key for s in sessions]
    days = [(p.date - monday).days for p in placements]
    assert all(0 <= d <= 6 for d in days)
    assert len(set(days)) == len(days)
    valid = [
        candidate
        for candidate in itertools.permutations(range(7), len(sessions))
        if _check(runs, sessions, candidate, monday, tz, window)
    ]
    if valid:
        assert _check(runs, sessions, days, monday, tz, window), placements
        assert all(p.broken == () for p in placements)
        heavy_index = next(i for i, s in enumerate(sessions) if s.is_heavy)
        soonest = min(_hours_since_previous_key(runs, c[heavy_index], monday, tz) for c in valid)
        assert _hours_since_previous_key(runs, days[heavy_index], monday, tz) == soonest
    else:
        assert any(p.broken for p in placements)
        assert any("left for the flags" in p.reason for p in placements)


@pytest.mark.parametrize("kind", ["race", "easy", "long", "tempo", "interval"])
@pytest.mark.parametrize("is_key", [False, True])
def test_placement_and_flagging_agree_on_what_heavy_work_keeps_away_from(kind, is_key):
    priority = "B" if kind == "race" else ""
    placed_against = RunSpec(at(3, 9), kind, is_key=is_key).counts_for_freshness
    flagged_against = EventTimes(1, kind, at(3, 9), priority=priority, is_key=is_key)
    assert placed_against == flagged_against.counts_for_freshness
    assert placed_against == (kind == "race" or (is_key and kind != "easy"))
