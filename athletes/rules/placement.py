"""Where a week's strength sessions go: pure placement against the athlete's running week.

No ORM and no request: the caller passes plain values and gets plain values back.

For each week (Monday to Sunday) the sessions are put on distinct days so that, in this order
of importance:

1. **Race days** — no heavy session on the day of a race or the day after an A race, when any
   placement avoids it.
2. **No flags** — no heavy session raises a flag: it does not end inside the athlete's
   freshness window before a race or key session (a key long, tempo or interval run; an easy
   run is never key), nor in the 10-day taper before an A race. Fewest conflicts first, then
   fewest warnings, when no placement avoids them all.
3. **Spacing** — strength sessions start at least 48 h apart (also from strength sessions
   already on the calendar), when any placement allows it.
4. **Easy days** — sessions sit on easy-run or rest days (no race, long, tempo or interval run
   that day), when the week has enough of them.
5. **Recovery** — a heavy session goes as early after the previous race or key session as the
   rules above allow, so the most time is left before the next one.

Rules 1, 2 and the hard days of rule 4 are asked of athletes/rules/freshness.py, the module the
flag rule raises its flags by: a session placed as clear is never flagged, and when no day
keeps it clear its reason names the window or the taper and says it is left for the flags.

Then, as tie-breaks: an easy-run day beats a rest day (strength after a short easy run, as the
article advises), the program's order of sessions is kept, and a session stays as close as
possible to its usual weekday. The search tries every placement (a week holds at most seven
sessions), so when a placement keeping rules 1–4 exists, it is found. When none exists, every
session is still placed, once, on the least-bad day, and its reason says which rule no day keeps.

Hours are counted on the athlete's wall clock: 18:00 the evening before a 09:00 race is 15 h,
whichever night the clocks change. A session planned at the usual time on a day with a run
that would overlap it is moved to just after the run.
"""

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from athletes.rules.freshness import (
    CONFLICT,
    FRESHNESS,
    MIN_HOURS_BETWEEN_STRENGTH,
    TAPER,
    TAPER_DAYS,
    Problem,
    RunCalendar,
    counts_for_freshness,
    is_hard_run,
    wall_clock,
    wall_seconds,
)

HEAVY = "heavy"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RUN_LABELS = {
    "race": "race",
    "easy": "easy run",
    "long": "long run",
    "tempo": "tempo",
    "interval": "intervals",
}
MAX_REASON_LENGTH = 200
# A heavy session's reason names the next race or key session when it is this close.
NOTED_WITHIN_HOURS = 96
# Past seven sessions a week, trying every placement stops being cheap and nothing is valid.
MAX_SEARCHED_SESSIONS = 7


@dataclass(frozen=True)
class RunSpec:
    """A run event as placement sees it: an aware start, a kind, whether it is key, and a
    race's priority (A | B | C)."""

    starts_at: dt.datetime
    kind: str  # race | easy | long | tempo | interval
    name: str = ""
    is_key: bool = False
    duration_minutes: int = 45
    priority: str = ""

    @property
    def counts_for_freshness(self) -> bool:
        return counts_for_freshness(self.kind, self.is_key)

    @property
    def is_hard(self) -> bool:
        return is_hard_run(self.kind)

    @property
    def label(self) -> str:
        if self.kind == "race" and self.name:
            return self.name
        return RUN_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class SessionSpec:
    """A strength session to place. `key` is the caller's handle, returned untouched."""

    key: object
    name: str
    intensity: str  # heavy | moderate | light
    duration_minutes: int = 30
    usual_weekday: int = 0  # the day it lands on when nothing is in the way (0 = Monday)

    @property
    def is_heavy(self) -> bool:
        return self.intensity == HEAVY


@dataclass(frozen=True)
class Placement:
    key: object
    date: dt.date
    time: dt.time
    reason: str
    # Names of the rules this placement still breaks ("race days", "freshness", "taper",
    # "48 h spacing", "easy days"): empty unless no placement of the week could keep them.
    broken: tuple[str, ...] = ()


def hours_between(earlier: dt.datetime, later: dt.datetime, tz: ZoneInfo) -> float:
    """Hours from `earlier` to `later` on the athlete's wall clock (DST changes don't count)."""
    return (wall_clock(later, tz) - wall_clock(earlier, tz)).total_seconds() / 3600


def usual_weekdays(count: int) -> list[int]:
    """Spread `count` weekly sessions over the week: 2 → Mon, Thu; 3 → Mon, Wed, Fri."""
    return [int(i * 7 / count) % 7 for i in range(count)]


@dataclass(frozen=True)
class _Run:
    start: dt.datetime  # wall clock
    end: dt.datetime
    spec: RunSpec


@dataclass(frozen=True)
class _Day:
    date: dt.date
    runs: tuple[_Run, ...]

    @property
    def name(self) -> str:
        return DAY_NAMES[self.date.weekday()]

    @property
    def hard_runs(self) -> tuple[_Run, ...]:
        return tuple(r for r in self.runs if r.spec.is_hard)

    @property
    def is_hard(self) -> bool:
        return bool(self.hard_runs)

    @property
    def is_rest(self) -> bool:
        return not self.runs

    def describe(self) -> str:
        if self.is_hard:
            return " and ".join(r.spec.label for r in self.hard_runs) + " day"
        return "rest day" if self.is_rest else "easy day"


class _Week:
    """The week's facts on the wall clock, shared by the search and the reasons."""

    def __init__(self, *, week_start, run_events, freshness_window_hours, tz, session_time):
        self.tz = tz
        self.window = freshness_window_hours
        self.runs = RunCalendar(run_events, tz=tz, window_hours=freshness_window_hours)
        runs = []
        for spec in run_events:
            start = wall_clock(spec.starts_at, tz)
            runs.append(_Run(start, start + dt.timedelta(minutes=spec.duration_minutes), spec))
        runs.sort(key=lambda r: r.start)
        self.key_runs = [r for r in runs if r.spec.counts_for_freshness]
        self.week_start = dt.datetime.combine(week_start, dt.time())
        self.days = [
            _Day(
                date=week_start + dt.timedelta(days=i),
                runs=tuple(r for r in runs if r.start.date() == week_start + dt.timedelta(days=i)),
            )
            for i in range(7)
        ]
        self.starts = [self._session_start(day, session_time) for day in self.days]
        self._problems = {}

    @staticmethod
    def _session_start(day: _Day, session_time: dt.time) -> dt.datetime:
        """The usual time, or just after a run that would overlap it (strength after the run)."""
        start = dt.datetime.combine(day.date, session_time)
        for run in day.runs:
            if run.start <= start < run.end:
                start = run.end
        if start.date() != day.date:  # a run past midnight: keep the usual time
            start = dt.datetime.combine(day.date, session_time)
        return start

    def next_key_run(self, start: dt.datetime) -> _Run | None:
        return next((r for r in self.key_runs if r.start > start), None)

    def problems(self, session: SessionSpec, day: int) -> tuple[Problem, ...]:
        """The flags `session` would raise on `day`, by the flag rule itself."""
        if not session.is_heavy:
            return ()
        key = (day, session.duration_minutes)
        if key not in self._problems:
            start = self.starts[day]
            wall = wall_seconds(start.date(), start.time())
            self._problems[key] = tuple(self.runs.flags(wall, session.duration_minutes))
        return self._problems[key]

    def flag_counts(self, session: SessionSpec, day: int) -> tuple[int, int]:
        """(conflicts, warnings) `session` would raise on `day`: fewer conflicts is better."""
        problems = self.problems(session, day)
        conflicts = sum(p.severity == CONFLICT for p in problems)
        return conflicts, len(problems) - conflicts

    def race_day(self, session: SessionSpec, day: int):
        """Why heavy `session` can't go on `day` (a race's day or the day after an A race)."""
        return self.runs.race_day(self.days[day].date) if session.is_heavy else None

    def label(self, run: RunSpec) -> str:
        """The run's weekday and label: "Sat Riverside 5K"."""
        return f"{DAY_NAMES[wall_clock(run.starts_at, self.tz).weekday()]} {run.label}"

    def describe_problem(self, problem: Problem) -> str:
        if problem.kind == TAPER:
            return f"in the taper before {self.label(problem.run)}"
        return f"{problem.hours_before:.0f} h before {self.label(problem.run)}"

    def hours_since_previous_key(self, day: int, previous_key_at: dt.datetime | None) -> float:
        start = self.starts[day]
        previous = [r.start for r in self.key_runs if r.start < start]
        if previous_key_at is not None:
            previous.append(wall_clock(previous_key_at, self.tz))
        since = max(previous) if previous else self.week_start
        return (start - since).total_seconds() / 3600


def place_week(
    *,
    week_start: dt.date,
    run_events: Sequence[RunSpec],
    sessions: Sequence[SessionSpec],
    freshness_window_hours: int,
    tz: ZoneInfo,
    session_time: dt.time,
    previous_key_at: dt.datetime | None = None,
    other_strength_at: Sequence[dt.datetime] = (),
) -> list[Placement]:
    """Place one week's `sessions` (in program order); return one Placement per session.

    `run_events` are the athlete's runs in and around the week (include the first days of the
    next week, so a Sunday session sees a Monday race). `previous_key_at` is the start of the
    last race or key session before these events; `other_strength_at` are the starts of
    strength sessions already on the calendar, which new ones keep 48 h away from.
    """
    if week_start.weekday() != 0:
        raise ValueError("Weeks start on a Monday.")
    if not sessions:
        return []
    week = _Week(
        week_start=week_start,
        run_events=run_events,
        freshness_window_hours=freshness_window_hours,
        tz=tz,
        session_time=session_time,
    )
    others = [wall_clock(t, tz) for t in other_strength_at]
    days = _best_days(week, list(sessions), others, previous_key_at)
    return [
        _placement(week, sessions, index, days, others, previous_key_at)
        for index in range(len(sessions))
    ]


def _breaks(week, sessions, days, others) -> tuple[int, ...]:
    """How many times the placement `days` breaks rules 1–4: race days, flags (conflicts, then
    warnings), spacing, easy days."""
    pairs = list(zip(sessions, days, strict=True))
    race_days = sum(week.race_day(s, d) is not None for s, d in pairs)
    conflicts = warnings = 0
    for s, d in pairs:
        session_conflicts, session_warnings = week.flag_counts(s, d)
        conflicts += session_conflicts
        warnings += session_warnings
    starts = [week.starts[d] for d in days]
    spacing = sum(_too_close(a, b) for a, b in itertools.combinations(starts, 2)) + sum(
        _too_close(a, b) for a in starts for b in others
    )
    hard_days = sum(week.days[d].is_hard for d in days)
    return race_days, conflicts, warnings, spacing, hard_days


def _too_close(a: dt.datetime, b: dt.datetime) -> bool:
    return abs((a - b).total_seconds()) < MIN_HOURS_BETWEEN_STRENGTH * 3600


def _score(week, sessions, days, others, previous_key_at):
    recovery = sum(
        week.hours_since_previous_key(d, previous_key_at)
        for s, d in zip(sessions, days, strict=True)
        if s.is_heavy
    )
    rest_days = sum(week.days[d].is_rest for d in days)
    out_of_order = sum(a > b for a, b in itertools.combinations(days, 2))
    off_usual_day = sum(abs(d - s.usual_weekday) for s, d in zip(sessions, days, strict=True))
    return (
        _breaks(week, sessions, days, others),
        round(recovery, 3),
        rest_days,
        out_of_order,
        off_usual_day,
        tuple(days),
    )


def _best_days(week, sessions, others, previous_key_at) -> list[int]:
    if len(sessions) > MAX_SEARCHED_SESSIONS:
        return [i % 7 for i in range(len(sessions))]
    candidates = itertools.permutations(range(7), len(sessions))
    best = min(candidates, key=lambda days: _score(week, sessions, days, others, previous_key_at))
    return list(best)


def _placement(week, sessions, index, days, others, previous_key_at) -> Placement:
    session = sessions[index]
    day = days[index]
    broken = _broken_rules(week, sessions, days, others, index)
    chosen = week.days[day]
    why_here = chosen.describe() + _freshness_note(week, session, day)
    if day == session.usual_weekday:
        reason = f"{chosen.name}: {why_here}"
    else:
        usual = week.days[session.usual_weekday].name
        why_not = _why_not_usual_day(week, sessions, index, days, others, previous_key_at)
        reason = f"{usual}: {why_not} → moved to {chosen.name} ({why_here})"
    # The rules no day keeps come last and are never cut off: the coach must read them.
    unkept = _unkept_words(week, broken)
    reason = reason[: MAX_REASON_LENGTH - len(unkept)] + unkept
    start = week.starts[day]
    return Placement(
        key=session.key,
        date=chosen.date,
        time=start.time(),
        reason=reason,
        broken=broken,
    )


def _broken_rules(week, sessions, days, others, index) -> tuple[str, ...]:
    session, day = sessions[index], days[index]
    broken = []
    if week.race_day(session, day) is not None:
        broken.append("race days")
    kinds = {problem.kind for problem in week.problems(session, day)}
    broken += [kind for kind in (FRESHNESS, TAPER) if kind in kinds]
    start = week.starts[day]
    neighbours = [week.starts[d] for i, d in enumerate(days) if i != index] + list(others)
    if any(_too_close(start, t) for t in neighbours):
        broken.append("48 h spacing")
    if week.days[day].is_hard:
        broken.append("easy days")
    return tuple(broken)


def _unkept_words(week, broken) -> str:
    """What the reason ends with when a rule is broken: " — no day keeps the 36 h freshness
    window; left for the flags"."""
    if not broken:
        return ""
    words = {
        "race days": "heavy work off race days",
        FRESHNESS: f"the {week.window} h freshness window",
        TAPER: f"the {TAPER_DAYS}-day taper",
    }
    unkept = " — no day keeps " + " and ".join(words.get(rule, rule) for rule in broken)
    if FRESHNESS in broken or TAPER in broken:
        unkept += "; left for the flags"
    return unkept


def _freshness_note(week, session, day) -> str:
    if not session.is_heavy:
        return ""
    problems = week.problems(session, day)
    if problems:
        return "".join(f", {week.describe_problem(p)}" for p in problems)
    start = week.starts[day]
    run = week.next_key_run(start)
    if run is None or run.start - start > dt.timedelta(hours=NOTED_WITHIN_HOURS):
        return ", no race or key session in the next days"
    end = start + dt.timedelta(minutes=session.duration_minutes)
    hours = (run.start - end).total_seconds() / 3600
    return f", {hours:.0f} h before {week.label(run.spec)}"


def _why_not_usual_day(week, sessions, index, days, others, previous_key_at) -> str:
    """Why the session is not on its usual day: the first rule the usual day keeps worse than
    the chosen day does (so an unavoidable taper is not given as the reason to move)."""
    session, usual, chosen = sessions[index], sessions[index].usual_weekday, days[index]
    if usual in days:
        return f"taken by {sessions[days.index(usual)].name}"
    race_day = week.race_day(session, usual)
    if race_day is not None and week.race_day(session, chosen) is None:
        return race_day.describe(week.label(race_day.race))
    if week.flag_counts(session, usual) > week.flag_counts(session, chosen):
        problem = week.problems(session, usual)[0]
        return f"{week.days[usual].describe()}, {week.describe_problem(problem)}"
    if week.days[usual].is_hard:
        return week.days[usual].describe()
    start = week.starts[usual]
    for i, d in enumerate(days):
        if i != index and _too_close(start, week.starts[d]):
            return f"within 48 h of {sessions[i].name}"
    if any(_too_close(start, t) for t in others):
        return "within 48 h of another strength session"
    if session.is_heavy and week.hours_since_previous_key(
        chosen, previous_key_at
    ) < week.hours_since_previous_key(usual, previous_key_at):
        return f"{week.days[usual].describe()}; {week.days[chosen].name} recovers sooner"
    if week.days[usual].is_rest and not week.days[chosen].is_rest:
        return "rest day; an easy-run day is free"
    return f"{week.days[usual].describe()}; a better day was free"
