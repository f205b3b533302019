"""Pure progress rules: compliance, weekly volume and load, where a program stands, and how a
transfer test moved over a strength block.

No ORM and no request: every function takes plain values (or any objects with the named
attributes) and returns plain values, so each rule is tested with a handful of literals.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from athletes.rules.strength import estimated_1rm, number_in_words

COMPLETED, SKIPPED, PLANNED = "completed", "skipped", "planned"
LOW_COMPLIANCE_PERCENT = 70
RACING_SOON_DAYS = 14
# A retest in the fortnight after a block still measures that block (the article: strength
# phases precede race-specific sharpening, and athletes retest when the block ends).
RETEST_GRACE_DAYS = 14


# -- compliance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compliance:
    completed: int
    due: int

    @property
    def percent(self) -> int | None:
        """Completed sessions as a whole percentage of the sessions due; None when none were due."""
        if not self.due:
            return None
        return round(100 * self.completed / self.due)

    @property
    def is_low(self) -> bool:
        return self.percent is not None and self.percent < LOW_COMPLIANCE_PERCENT


def compliance_window(today: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The `days` full days before `today` (first and last day, inclusive).

    Today is left out: a session planned for this evening is not missed yet.
    """
    return today - dt.timedelta(days=days), today - dt.timedelta(days=1)


def compliance(sessions: Iterable, *, today: dt.date, days: int) -> Compliance:
    """Completed / due over the window, for sessions with `.date` and `.status`.

    Every session dated inside the window is due: completed counts for, skipped and
    still-planned (missed) count against. A rescheduled session is one row carrying its new
    date, so it counts once, on the day it was moved to (moved out of the window: not due).
    """
    first, last = compliance_window(today, days)
    due = [s for s in sessions if first <= s.date <= last]
    return Compliance(completed=sum(s.status == COMPLETED for s in due), due=len(due))


# -- programs and races ----------------------------------------------------------------------


def program_week(start_date: dt.date, weeks: int, today: dt.date) -> int | None:
    """Which week (1-based) of a `weeks`-week program starting on `start_date` `today` falls in;
    None before it starts or after it ends."""
    days_in = (today - start_date).days
    if days_in < 0 or days_in >= weeks * 7:
        return None
    return days_in // 7 + 1


def block_end(start_date: dt.date, weeks: int) -> dt.date:
    """The last day of a block of `weeks` weeks starting on `start_date`."""
    return start_date + dt.timedelta(days=weeks * 7 - 1)


def days_until(today: dt.date, day: dt.date) -> int:
    return (day - today).days


# -- volume and load -------------------------------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekVolume:
    week: dt.date  # Monday
    sets: int
    tonnage: Decimal  # in the loads' unit


def weeks_between(first: dt.date, last: dt.date) -> list[dt.date]:
    weeks, monday = [], week_start(first)
    while monday <= last:
        weeks.append(monday)
        monday += dt.timedelta(weeks=1)
    return weeks


def weekly_volume(sets: Iterable) -> list[WeekVolume]:
    """Sets and tonnage per week, for logged sets with `.date`, `.session_id`, `.exercise_id`,
    `.set_number`, `.reps` and `.load` (all in one unit, the tonnage's).

    The left and right of a per-side set are one set (as the log shows them) whose tonnage is
    both sides'. Tonnage is reps × load over loaded sets; holds and unloaded sets add sets,
    not tonnage. Weeks without sets between the first and the last appear as zeros.
    """
    set_keys: dict[dt.date, set] = {}
    tonnage: dict[dt.date, Decimal] = {}
    for s in sets:
        monday = week_start(s.date)
        set_keys.setdefault(monday, set()).add((s.session_id, s.exercise_id, s.set_number))
        if s.reps and s.load:
            tonnage[monday] = tonnage.get(monday, Decimal(0)) + Decimal(s.reps) * Decimal(s.load)
    if not set_keys:
        return []
    return [
        WeekVolume(
            week=monday,
            sets=len(set_keys.get(monday, ())),
            tonnage=tonnage.get(monday, Decimal(0)),
        )
        for monday in weeks_between(min(set_keys), max(set_keys))
    ]


@dataclass(frozen=True)
class WeekLoad:
    week: dt.date  # Monday
    load: int  # session RPE × minutes, summed (arbitrary units)
    sessions: int


def session_load(session_rpe: int | None, minutes: int | None) -> int | None:
    """Foster's session-RPE load: the athlete's RPE for the whole session (1–10) × its minutes."""
    if session_rpe is None or not minutes:
        return None
    return session_rpe * minutes


def weekly_srpe_load(sessions: Iterable) -> list[WeekLoad]:
    """sRPE load per week, for completed sessions with `.date`, `.session_rpe` and `.minutes`.

    A session without an RPE or minutes adds nothing to the load (it still counts as a session).
    Weeks between the first and the last appear, as zeros when empty.
    """
    by_week: dict[dt.date, list] = {}
    for s in sessions:
        by_week.setdefault(week_start(s.date), []).append(s)
    if not by_week:
        return []
    return [
        WeekLoad(
            week=monday,
            load=sum(session_load(s.session_rpe, s.minutes) or 0 for s in by_week.get(monday, [])),
            sessions=len(by_week.get(monday, [])),
        )
        for monday in weeks_between(min(by_week), max(by_week))
    ]


# -- estimated maxes ------------------------------------------------------------------------

MAIN_LIFTS_SHOWN = 4


def e1rm_by_lift(sets: Iterable) -> dict[str, list["Point"]]:
    """Each main lift's best estimated 1RM (Epley, athletes.rules.strength) per training day,
    for loaded sets with `.date`, `.exercise_name`, `.reps` and `.load` (in one unit, the
    estimates').

    The main lifts are the MAIN_LIFTS_SHOWN exercises with the most loaded sets (the ones the
    program leans on); ties go to the name, so the choice is stable.
    """
    best: dict[str, dict[dt.date, Decimal]] = {}
    set_counts: dict[str, int] = {}
    for s in sets:
        estimate = estimated_1rm(s.load, s.reps)
        if estimate is None:
            continue
        set_counts[s.exercise_name] = set_counts.get(s.exercise_name, 0) + 1
        days = best.setdefault(s.exercise_name, {})
        days[s.date] = max(days.get(s.date, estimate), estimate)
    main = sorted(set_counts, key=lambda name: (-set_counts[name], name))[:MAIN_LIFTS_SHOWN]
    return {
        name: [Point(day, value) for day, value in sorted(best[name].items())]
        for name in sorted(main)
    }


# -- transfer tests --------------------------------------------------------------------------


@dataclass(frozen=True)
class TestKind:
    """How one kind of transfer test is entered, shown and judged."""

    __test__ = False  # not a pytest class

    unit: str  # "s", "m" or "RPE"
    is_time: bool
    lower_is_better: bool
    detail_hint: str


# In the order the charts are shown: sprint and bounding first, side by side on a laptop, as
# they are the article's first answer to "did the strength block transfer?".
TEST_KINDS = {
    "sprint": TestKind("s", is_time=True, lower_is_better=True, detail_hint="60 m"),
    "bounding": TestKind("m", is_time=False, lower_is_better=False, detail_hint="5 bounds"),
    "hill": TestKind("s", is_time=True, lower_is_better=True, detail_hint="40 m hill"),
    "tempo_rpe": TestKind("RPE", is_time=False, lower_is_better=True, detail_hint="4:00/km"),
    "race_5k": TestKind("s", is_time=True, lower_is_better=True, detail_hint="parkrun"),
}


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: Decimal


@dataclass(frozen=True)
class Block:
    """A strength block's days, first to last, named after its program (shaded on charts)."""

    start: dt.date
    end: dt.date
    label: str


@dataclass(frozen=True)
class BlockChange:
    start: Point
    end: Point
    lower_is_better: bool

    @property
    def delta(self) -> Decimal:
        return self.end.value - self.start.value

    @property
    def percent(self) -> Decimal:
        return (100 * self.delta / self.start.value).quantize(Decimal("0.1"))

    @property
    def improved(self) -> bool:
        return self.delta < 0 if self.lower_is_better else self.delta > 0


def block_change(
    points: Iterable[Point], *, start: dt.date, end: dt.date, lower_is_better: bool
) -> BlockChange | None:
    """How a test moved over the block `start`..`end` (inclusive), or None without two tests.

    The baseline is the last test on or before the block's first day, else the first test in
    the block. The result is the last test up to RETEST_GRACE_DAYS after the block's last day.
    """
    ordered = sorted(points, key=lambda p: p.date)
    before = [p for p in ordered if p.date <= start]
    baseline = before[-1] if before else next((p for p in ordered if p.date <= end), None)
    if baseline is None:
        return None
    after = [
        p for p in ordered if baseline.date < p.date <= end + dt.timedelta(days=RETEST_GRACE_DAYS)
    ]
    if not after:
        return None
    return BlockChange(start=baseline, end=after[-1], lower_is_better=lower_is_better)


_DURATION = re.compile(r"^(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)$|^(\d+(?:\.\d+)?)$")


def parse_duration(text: str) -> Decimal | None:
    """Seconds from "8.15", "3:52", "19:45" or "1:02:03"; None when it is not a time."""
    match = _DURATION.match(text.strip().replace(",", "."))
    if not match:
        return None
    hours, minutes, seconds, plain = match.groups()
    try:
        if plain is not None:
            return Decimal(plain)
        if Decimal(seconds) >= 60:
            return None
        return Decimal(int(hours or 0) * 3600 + int(minutes) * 60) + Decimal(seconds)
    except InvalidOperation:
        return None


def format_duration(seconds: Decimal) -> str:
    """ "19:45" for 1185 s, "8.15 s" under a minute."""
    if seconds < 60:
        return f"{seconds.normalize():f} s"
    whole = int(seconds)
    fraction = seconds - whole
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    tail = f"{secs:02d}" + (f"{fraction.normalize():f}"[1:] if fraction else "")
    return f"{hours}:{minutes:02d}:{tail}" if hours else f"{minutes}:{tail}"


def transfer_result_in_words(kind: str, value: Decimal) -> str:
    """A result as the athlete reads it: "19:45", "8.15 s", "11.8 m", "RPE 6"."""
    spec = TEST_KINDS[kind]
    if spec.is_time:
        return format_duration(value)
    if spec.unit == "RPE":
        return f"RPE {number_in_words(value)}"
    return f"{number_in_words(value)} {spec.unit}"
