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

from athletes.rules.flagging import AthleteCalendar, EventTimes, SessionTimes
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


def test_heavy_session_keeps_out_of_an_a_races_taper_when_a_day_allows():
    # Tuesday morning's key intervals rule out Monday (13 h before); from Wednesday on the week
    # is in the 10-day taper before Saturday 5 December's A race. Tuesday evening, after the
    # intervals, raises no flag: no flag beats an easy day.
    intervals = RunSpec(at(1, 7), "interval", is_key=True, duration_minutes=60)
    a_race = RunSpec(at(12, 9), "race", name="Riverside 5K", priority="A")

    heavy, moderate = place([intervals, a_race], [day_a(), day_b()])

    assert heavy.date.weekday() == 1
    assert heavy.reason.startswith("Mon: rest day, 13 h before Tue intervals → moved to Tue")
    assert heavy.broken == ("easy days",) and "left for the flags" not in heavy.reason
    assert moderate.date.weekday() == 3


def test_a_taper_no_day_avoids_is_named_in_the_reason_and_left_for_the_flags():
    a_race = RunSpec(at(9, 9), "race", name="Riverside 5K", priority="A")  # Wed 2 December

    heavy, moderate = place([a_race], [day_a(), day_b()])

    assert heavy.date.weekday() == 0
    assert heavy.reason == (
        "Mon: rest day, in the taper before Wed Riverside 5K"
        " — no day keeps the 10-day taper; left for the flags"
    )
    assert heavy.broken == ("taper",)
    assert "taper" not in moderate.reason  # moderate work has no taper


def test_heavy_session_stays_off_the_day_after_an_a_race():
    a_race = RunSpec(at(-1, 9), "race", name="Riverside 5K", priority="A")  # the Sunday before

    heavy, _ = place([a_race], [day_a(), day_b()])

    assert heavy.date.weekday() == 1
    assert heavy.reason.startswith("Mon: the day after Sun Riverside 5K → moved to Tue")


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
# From the Sunday before the week to 11 days after it, so races whose taper or next day
# reaches into the week are there.
runs_strategy = st.lists(
    st.builds(
        lambda day, hour, kind, key, minutes, priority: (day, hour, kind, key, minutes, priority),
        st.integers(-1, 17),
        st.integers(6, 8),
        st.sampled_from(KINDS),
        st.booleans(),
        st.integers(20, 120),
        st.sampled_from("ABC"),
    ),
    max_size=10,
)


def _runs(raw, monday, tz):
    """Runs as the database can hold them: an easy run is never key, only races have a
    priority."""
    return [
        RunSpec(
            at(day, hour, tz=tz, monday=monday),
            kind,
            name=f"{kind} {i}",
            is_key=key and kind != "easy",
            duration_minutes=minutes,
            priority=priority if kind == "race" else "",
        )
        for i, (day, hour, kind, key, minutes, priority) in enumerate(raw)
    ]


def _walls(runs, tz):
    return [(r.starts_at.astimezone(tz).replace(tzinfo=None), r) for r in runs]


def _session_start(monday, day):
    return dt.datetime.combine(monday + dt.timedelta(days=day), SESSION_TIME)


def _flags(session, start, wall, window):
    """The flags a heavy session starting at `start` raises, from the issue's words: inside
    the freshness window before a race or key run, under 24 h a conflict; else in the final
    10 days before an A race, a taper warning."""
    if not session.is_heavy:
        return []
    end = start + dt.timedelta(minutes=session.duration_minutes)
    flags = []
    for run_start, run in wall:
        if run_start <= start or not (run.kind == "race" or run.is_key):
            continue
        gap = max(run_start - end, dt.timedelta(0))
        if gap < dt.timedelta(hours=24):
            flags.append(("freshness", "conflict"))
        elif gap < dt.timedelta(hours=window):
            flags.append(("freshness", "warning"))
        elif run.kind == "race" and run.priority == "A" and gap < dt.timedelta(days=10):
            flags.append(("taper", "warning"))
    return flags


def _on_a_race_day(session, start, wall):
    """Heavy work on the day of a race, or on the day after an A race."""
    return session.is_heavy and any(
        run.kind == "race"
        and (
            run_start.date() == start.date()
            or (run.priority == "A" and run_start.date() == start.date() - dt.timedelta(days=1))
        )
        for run_start, run in wall
    )


def _badness(runs, sessions, days, monday, tz, window):
    """(heavy sessions on race days, conflicts, warnings) of the placement `days`."""
    wall = _walls(runs, tz)
    starts = [_session_start(monday, d) for d in days]
    flags = [
        flag
        for session, start in zip(sessions, starts, strict=True)
        for flag in _flags(session, start, wall, window)
    ]
    conflicts = sum(severity == "conflict" for _, severity in flags)
    race_days = sum(
        _on_a_race_day(session, start, wall)
        for session, start in zip(sessions, starts, strict=True)
    )
    return race_days, conflicts, len(flags) - conflicts


def _check(runs, sessions, days, monday, tz, window):
    """Rules 1–4 for `days` (one weekday per session), from the issue's own words."""
    starts = [_session_start(monday, d) for d in days]
    wall = _walls(runs, tz)
    clear = _badness(runs, sessions, days, monday, tz, window) == (0, 0, 0)
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
    return clear and spacing and easy_days


def _hours_since_previous_key(runs, day, monday, tz):
    start = _session_start(monday, day)
    keys = [
        r.starts_at.astimezone(tz).replace(tzinfo=None)
        for r in runs
        if (r.kind == "race" or r.is_key)
        and r.starts_at.astimezone(tz).replace(tzinfo=None) < start
    ]
    since = max(keys, default=dt.datetime.combine(monday, dt.time()))
    return (start - since).total_seconds() / 3600


def _week_sessions(others, heavy_first):
    sessions = [SessionSpec(key=f"s{i}", name=f"S{i}", intensity=x) for i, x in enumerate(others)]
    heavy = SessionSpec(key="heavy", name="Heavy", intensity="heavy")
    sessions = [heavy, *sessions] if heavy_first else [*sessions, heavy]
    usual = usual_weekdays(len(sessions))
    return [
        SessionSpec(s.key, s.name, s.intensity, usual_weekday=u)
        for s, u in zip(sessions, usual, strict=True)
    ]


week_strategy = {
    "raw_runs": runs_strategy,
    "others": st.lists(st.sampled_from(["moderate", "light"]), max_size=2),
    "heavy_first": st.booleans(),
    "monday": st.sampled_from(WEEKS),
    "zone": st.sampled_from(ZONES),
    "window": st.integers(24, 48),
}


@settings(max_examples=150, deadline=None)
@given(**week_strategy)
def test_placement_keeps_every_rule_whenever_some_placement_can(
    raw_runs, others, heavy_first, monday, zone, window
):
    tz = ZoneInfo(zone)
    runs = _runs(raw_runs, monday, tz)
    sessions = _week_sessions(others, heavy_first)

    placements = place(runs, sessions, window=window, tz=tz, monday=monday)

    assert [p.key for p in placements] == [s.key for s in sessions]
    days = [(p.date - monday).days for p in placements]
    assert all(0 <= d <= 6 for d in days)
    assert len(set(days)) == len(days)
    every_placement = list(itertools.permutations(range(7), len(sessions)))
    valid = [c for c in every_placement if _check(runs, sessions, c, monday, tz, window)]
    if valid:
        assert _check(runs, sessions, days, monday, tz, window), placements
        assert all(p.broken == () for p in placements)
        heavy_index = next(i for i, s in enumerate(sessions) if s.is_heavy)
        soonest = min(_hours_since_previous_key(runs, c[heavy_index], monday, tz) for c in valid)
        assert _hours_since_previous_key(runs, days[heavy_index], monday, tz) == soonest
    else:
        assert any(p.broken for p in placements)
        assert any(" — no day keeps " in p.reason for p in placements)
    # Never a flag (or heavy work on a race day) that another placement of the week avoids.
    least_bad = min(_badness(runs, sessions, c, monday, tz, window) for c in every_placement)
    assert _badness(runs, sessions, days, monday, tz, window) == least_bad


@settings(max_examples=150, deadline=None)
@given(**week_strategy)
def test_a_placement_the_flag_rule_would_flag_says_so_and_one_that_does_not_is_never_flagged(
    raw_runs, others, heavy_first, monday, zone, window
):
    tz = ZoneInfo(zone)
    runs = _runs(raw_runs, monday, tz)
    sessions = _week_sessions(others, heavy_first)

    placements = place(runs, sessions, window=window, tz=tz, monday=monday)

    # The flag rule itself, as the flagging job runs it on the placed sessions.
    placed = [
        SessionTimes(i, p.date, p.time, s.duration_minutes, s.intensity)
        for i, (p, s) in enumerate(zip(placements, sessions, strict=True))
    ]
    events = [
        EventTimes(100 + i, r.kind, r.starts_at, r.name, r.priority, r.is_key)
        for i, r in enumerate(runs)
    ]
    calendar = AthleteCalendar(tz=tz, window_hours=window, sessions=placed, events=events)
    for placement, session in zip(placements, placed, strict=True):
        kinds = {finding.kind for finding in calendar.findings(session)}
        if "left for the flags" not in placement.reason:
            assert kinds == set(), placement.reason
            continue
        assert kinds, placement.reason
        assert ("freshness" in kinds) == (f"the {window} h freshness window" in placement.reason)
        assert ("taper" in kinds) == ("the 10-day taper" in placement.reason)
        assert "no race or key session in the next days" not in placement.reason


@pytest.mark.parametrize("kind", ["race", "easy", "long", "tempo", "interval"])
@pytest.mark.parametrize("is_key", [False, True])
def test_placement_and_flagging_agree_on_what_heavy_work_keeps_away_from(kind, is_key):
    priority = "B" if kind == "race" else ""
    placed_against = RunSpec(at(3, 9), kind, is_key=is_key).counts_for_freshness
    flagged_against = EventTimes(1, kind, at(3, 9), priority=priority, is_key=is_key)
    assert placed_against == flagged_against.counts_for_freshness
    assert placed_against == (kind == "race" or (is_key and kind != "easy"))
