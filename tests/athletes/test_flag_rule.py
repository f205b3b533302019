"""The pure flag rule: boundaries of the freshness window, the taper, the clock, a better day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from athletes.models import Flag
from athletes.rules.flagging import (
    DEFAULT_SESSION_TIME,
    AthleteCalendar,
    EventTimes,
    SessionTimes,
)
from athletes.rules.freshness import CONFLICT, FRESHNESS, TAPER, WARNING

LONDON = ZoneInfo("Europe/London")
RACE_DAY = dt.date(2026, 11, 22)  # a Sunday
RACE_START = dt.datetime(2026, 11, 22, 9, 0, tzinfo=LONDON)


def session(id=1, *, ends_before_race_hours=None, date=None, time=dt.time(18, 0), minutes=60,
            intensity="heavy"):  # fmt: skip
    if ends_before_race_hours is not None:
        start = RACE_START.replace(tzinfo=None) - dt.timedelta(
            hours=ends_before_race_hours, minutes=minutes
        )
        date, time = start.date(), start.time()
    return SessionTimes(id, date, time, minutes, intensity)


def race(id=100, *, starts_at=RACE_START, priority="A", kind="race", is_key=False, name="5K"):
    return EventTimes(id, kind, starts_at, name, priority, is_key)


def calendar(sessions, events, *, window=36, tz=LONDON):
    return AthleteCalendar(tz=tz, window_hours=window, sessions=sessions, events=events)


def freshness(findings):
    return [(f.kind, f.severity, f.hours_before) for f in findings if f.kind == FRESHNESS]


def test_flag_kinds_and_severities_are_the_models_choices():
    assert {FRESHNESS, TAPER} == set(Flag.Kind.values)
    assert {CONFLICT, WARNING} == set(Flag.Severity.values)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (0, [(FRESHNESS, CONFLICT, 0.0)]),
        (15, [(FRESHNESS, CONFLICT, 15.0)]),
        (23.9, [(FRESHNESS, CONFLICT, 23.9)]),
        (24, [(FRESHNESS, WARNING, 24.0)]),
        (35.5, [(FRESHNESS, WARNING, 35.5)]),
        (36, []),
        (50, []),
    ],
)
def test_heavy_session_ending_hours_before_a_race(hours, expected):
    s = session(ends_before_race_hours=hours)

    assert freshness(calendar([s], [race()]).findings(s)) == expected


def test_exactly_24_hours_is_a_warning_not_a_conflict():
    s = session(ends_before_race_hours=24)

    (finding,) = calendar([s], [race(priority="B")]).findings(s)

    assert (finding.kind, finding.severity, finding.hours_before) == (FRESHNESS, WARNING, 24.0)


def test_exactly_the_window_is_not_flagged_for_freshness():
    s = session(ends_before_race_hours=40)

    assert calendar([s], [race(priority="B")], window=40).findings(s) == []


def test_a_window_of_24_hours_leaves_no_warning_band():
    just_clear = session(1, ends_before_race_hours=24)
    inside = session(2, ends_before_race_hours=23.5)
    cal = calendar([just_clear, inside], [race(priority="B")], window=24)

    assert cal.findings(just_clear) == []
    assert freshness(cal.findings(inside)) == [(FRESHNESS, CONFLICT, 23.5)]


def test_a_session_overlapping_the_race_start_is_a_conflict_at_zero_hours():
    s = session(date=RACE_DAY, time=dt.time(8, 30), minutes=60)

    assert freshness(calendar([s], [race()]).findings(s)) == [(FRESHNESS, CONFLICT, 0.0)]


def test_a_session_after_the_race_is_not_flagged():
    s = session(date=RACE_DAY, time=dt.time(12, 0))

    assert calendar([s], [race()]).findings(s) == []


@pytest.mark.parametrize("intensity", ["moderate", "light"])
def test_non_heavy_sessions_are_never_flagged(intensity):
    s = session(ends_before_race_hours=2, intensity=intensity)

    assert calendar([s], [race()]).findings(s) == []


@pytest.mark.parametrize("is_key", [False, True])
def test_easy_runs_never_count_even_marked_key(is_key):
    s = session(ends_before_race_hours=5)
    easy = race(kind="easy", priority="", is_key=is_key)

    assert calendar([s], [easy]).findings(s) == []


def test_a_key_interval_session_counts_and_a_plain_one_does_not():
    s = session(ends_before_race_hours=12)
    key = race(101, kind="interval", priority="", is_key=True, name="")
    plain = race(102, kind="tempo", priority="", starts_at=RACE_START + dt.timedelta(hours=2))

    (finding,) = calendar([s], [key, plain]).findings(s)

    assert (finding.event_id, finding.severity, finding.event_name) == (101, CONFLICT, "Interval")


def test_a_session_across_a_dst_change_counts_wall_clock_hours_as_placement_does():
    # Clocks go back at 02:00 on Sunday 25 October 2026: 25 real hours pass between
    # Saturday 19:00 and Sunday 19:00, but the athlete's clock shows 24.
    session_ends = dt.datetime(2026, 10, 24, 19, 0)
    s = SessionTimes(1, session_ends.date(), dt.time(18, 0), 60, "heavy")
    evening_race = race(starts_at=dt.datetime(2026, 10, 25, 18, 30, tzinfo=LONDON), priority="B")

    (finding,) = calendar([s], [evening_race]).findings(s)

    assert (finding.severity, finding.hours_before) == (CONFLICT, 23.5)
    assert finding.session_ends_at == dt.datetime(2026, 10, 24, 18, 0, tzinfo=dt.UTC)


def test_hours_are_counted_in_the_athletes_own_zone():
    new_york = ZoneInfo("America/New_York")
    s = SessionTimes(1, dt.date(2026, 11, 21), dt.time(18, 0), 60, "heavy")
    # 09:00 in New York is 14:00 in London: 14 h after the session ends on New York's clock.
    ny_race = race(starts_at=dt.datetime(2026, 11, 22, 14, 0, tzinfo=dt.UTC))

    (finding,) = calendar([s], [ny_race], tz=new_york).findings(s)

    assert finding.hours_before == 14.0
    assert finding.session_ends_at == dt.datetime(2026, 11, 21, 19, 0, tzinfo=new_york)


def test_a_session_without_a_time_of_day_is_taken_at_the_default_time():
    s = SessionTimes(1, dt.date(2026, 11, 21), None, 60, "heavy")

    (finding,) = calendar([s], [race(priority="B")]).findings(s)

    assert dt.time(17, 30) == DEFAULT_SESSION_TIME
    assert finding.hours_before == 14.5  # 17:30 + 1 h to 09:00
    morning = AthleteCalendar(
        tz=LONDON, window_hours=36, sessions=[s], events=[race()], default_time=dt.time(7, 0)
    )
    assert freshness(morning.findings(s)) == [(FRESHNESS, WARNING, 25.0)]


def test_heavy_in_the_final_10_days_before_an_a_race_is_a_taper_warning():
    s = session(date=dt.date(2026, 11, 16), time=dt.time(18, 0))

    (finding,) = calendar([s], [race()]).findings(s)

    assert (finding.kind, finding.severity, finding.hours_before) == (TAPER, WARNING, 134.0)


@pytest.mark.parametrize(
    ("date", "time", "priority", "tapers"),
    [
        (dt.date(2026, 11, 12), dt.time(8, 0), "A", False),  # ends exactly 10 days before
        (dt.date(2026, 11, 12), dt.time(8, 1), "A", True),
        (dt.date(2026, 11, 16), dt.time(18, 0), "B", False),  # only A races have a taper
    ],
)
def test_taper_boundaries(date, time, priority, tapers):
    s = session(date=date, time=time)

    findings = calendar([s], [race(priority=priority)]).findings(s)

    assert [f.kind for f in findings] == ([TAPER] if tapers else [])


def test_a_session_inside_the_window_of_an_a_race_gets_one_freshness_flag_not_a_taper_too():
    s = session(ends_before_race_hours=15)

    assert [f.kind for f in calendar([s], [race()]).findings(s)] == [FRESHNESS]


EARLIEST = dt.datetime(2026, 11, 1, tzinfo=LONDON)


def better(cal, s, earliest=EARLIEST):
    suggestion = cal.better_start(s, earliest=earliest)
    return suggestion.starts_at, suggestion.reason


def test_better_day_is_the_nearest_day_outside_every_window_and_says_why():
    # Sat 18:00 before a Sunday B race: Fri 18:00 ends 38 h before, outside 36 h.
    s = session(date=dt.date(2026, 11, 21))
    cal = calendar([s], [race(priority="B")])

    assert better(cal, s) == (
        dt.datetime(2026, 11, 20, 18, 0, tzinfo=LONDON),
        "38 h before 5K (outside the 36 h window)",
    )


def test_better_day_keeps_48_hours_from_other_strength_sessions():
    s = session(1, date=dt.date(2026, 11, 21))
    thursday = session(2, date=dt.date(2026, 11, 19), intensity="light")
    cal = calendar([s, thursday], [race(priority="B")])

    # Friday is 24 h after Thursday's session; Sunday is race day; Monday is clear.
    assert better(cal, s) == (
        dt.datetime(2026, 11, 23, 18, 0, tzinfo=LONDON),
        "The day after 5K, no race or key session in the next days",
    )


def test_better_day_avoids_the_taper_race_day_the_day_after_an_a_race_and_the_past():
    s = session(date=dt.date(2026, 11, 21))
    cal = calendar([s], [race()])

    # Friday back to Thursday 12th are in the taper, Sunday is the A race's day and Monday the
    # day after it; later days are past the race: Wednesday 11th, before the taper, it is.
    assert better(cal, s) == (
        dt.datetime(2026, 11, 11, 18, 0, tzinfo=LONDON),
        "Before the 10-day taper for 5K",
    )
    late = dt.datetime(2026, 11, 12, tzinfo=LONDON)
    assert better(cal, s, earliest=late) == (None, "No clear day before 5K: lighten it or skip it")


def test_better_day_never_moves_heavy_work_past_the_a_race_it_is_flagged_against():
    # The demo's case: Day A on Wednesday 30 December, in the taper before Saturday's A race.
    # Days after the race are clear of every rule, but lifting heavy after the goal race is no
    # answer to a taper flag: there is no day, and the flag says what to do instead.
    s = program_session(date=dt.date(2026, 12, 30), week=4)
    cal = calendar([s], [race(starts_at=dt.datetime(2027, 1, 2, 10, tzinfo=LONDON))])

    assert better(cal, s, earliest=dt.datetime(2026, 12, 24, tzinfo=LONDON)) == (
        None,
        "No clear day before 5K in this block: lighten it or skip it",
    )


def test_better_day_may_follow_a_b_race_but_stays_in_the_block():
    # Saturday, 14 h before Sunday's B race. Friday and Wednesday are within 48 h of
    # Thursday's session; Monday after the B race is nearer than Tuesday 8th, but only when the
    # block lasts past Sunday.
    s = session(1, date=dt.date(2026, 12, 12))
    thursday = session(2, date=dt.date(2026, 12, 10), intensity="light")
    b_race = race(priority="B", starts_at=dt.datetime(2026, 12, 13, 9, tzinfo=LONDON))
    ends_sunday = s._replace(last_day=dt.date(2026, 12, 13))
    ends_later = s._replace(last_day=dt.date(2026, 12, 20))

    in_block = calendar([ends_sunday, thursday], [b_race]).better_start(
        ends_sunday, earliest=EARLIEST
    )
    after_the_race = calendar([ends_later, thursday], [b_race]).better_start(
        ends_later, earliest=EARLIEST
    )

    assert in_block.starts_at == dt.datetime(2026, 12, 8, 18, 0, tzinfo=LONDON)
    assert after_the_race.starts_at == dt.datetime(2026, 12, 14, 18, 0, tzinfo=LONDON)


def test_no_better_day_when_every_day_of_the_search_is_taken():
    s = session(1, date=dt.date(2026, 11, 21))
    daily = [session(10 + d, date=dt.date(2026, 11, 6) + dt.timedelta(days=d)) for d in range(31)]
    cal = calendar([s, *daily], [race(priority="B")])

    assert better(cal, s) == (None, "No clear day within 14 days: move it by hand or lighten it")


# A program starting on Monday 7 December 2026: week 1 is 7–13 December.
PROGRAM_STARTS = dt.date(2026, 12, 7)


def program_session(id=1, *, date, week=1, intensity="heavy"):
    return SessionTimes(
        id,
        date,
        dt.time(18, 0),
        60,
        intensity,
        program_week=PROGRAM_STARTS + dt.timedelta(weeks=week - 1),
        first_day=PROGRAM_STARTS,
        last_day=PROGRAM_STARTS + dt.timedelta(weeks=6, days=-1),
    )


def test_better_day_never_lands_before_the_program_starts():
    # Week 1's Monday session, 14 h before Tuesday's B race: Sunday 6 December would be clear,
    # but the program has not started; Tuesday is race day.
    s = program_session(date=PROGRAM_STARTS)
    cal = calendar([s], [race(priority="B", starts_at=dt.datetime(2026, 12, 8, 9, tzinfo=LONDON))])

    assert better(cal, s) == (
        dt.datetime(2026, 12, 9, 18, 0, tzinfo=LONDON),
        "In its program week, the day after 5K, no race or key session in the next days",
    )


def test_better_day_stays_in_the_program_week_when_a_day_there_is_clear():
    # Sunday 13 December, 14 h before Monday's B race; Day B is on Friday. Saturday and
    # Thursday are within 48 h of Day B; Tuesday 15th (next week) is nearer than Wednesday 9th,
    # but Wednesday keeps the session in its week.
    s = program_session(1, date=dt.date(2026, 12, 13))
    day_b = program_session(2, date=dt.date(2026, 12, 11), intensity="moderate")
    monday_race = race(priority="B", starts_at=dt.datetime(2026, 12, 14, 9, tzinfo=LONDON))
    cal = calendar([s, day_b], [monday_race])

    starts_at, reason = better(cal, s)

    assert starts_at == dt.datetime(2026, 12, 9, 18, 0, tzinfo=LONDON)
    assert reason.startswith("In its program week")


def test_better_day_leaves_the_program_week_only_when_no_day_there_is_clear_and_says_so():
    # Thursday 31 December before Saturday's A race: the whole week is in the taper, Saturday
    # is race day and Sunday the day after; days after the race are out. Tuesday 22nd, in
    # week 3, comes before the taper.
    s = program_session(date=dt.date(2026, 12, 31), week=4)
    a_race = race(starts_at=dt.datetime(2027, 1, 2, 10, tzinfo=LONDON))
    cal = calendar([s], [a_race])

    assert better(cal, s) == (
        dt.datetime(2026, 12, 22, 18, 0, tzinfo=LONDON),
        "No clear day left in its program week, before the 10-day taper for 5K",
    )


def test_better_day_keeps_off_hard_run_days_even_when_they_are_not_key():
    # Sat 18:00 before a Sunday B race; Friday has a long run (not key), so Friday is no day
    # for heavy strength: Thursday (62 h before) beats Monday (the day after) on the tie.
    s = session(date=dt.date(2026, 11, 21))
    long_run = race(101, kind="long", priority="", name="Long run",
                    starts_at=dt.datetime(2026, 11, 20, 9, tzinfo=LONDON))  # fmt: skip
    cal = calendar([s], [race(priority="B"), long_run])

    assert better(cal, s) == (
        dt.datetime(2026, 11, 19, 18, 0, tzinfo=LONDON),
        "62 h before 5K (outside the 36 h window)",
    )


@pytest.mark.parametrize("date", [dt.date(2026, 11, 21), dt.date(2026, 11, 16)])
def test_a_better_day_raises_no_flag_itself(date):
    s = session(date=date)
    key_tempo = race(101, kind="tempo", priority="", is_key=True, name="Tempo",
                     starts_at=dt.datetime(2026, 11, 18, 7, tzinfo=LONDON))  # fmt: skip
    cal = calendar([s], [race(), key_tempo])

    starts_at = cal.better_start(s, earliest=EARLIEST).starts_at
    moved = SessionTimes(s.id, starts_at.date(), starts_at.time(), s.duration_minutes, "heavy")
    assert calendar([moved], [race(), key_tempo]).findings(moved) == []
