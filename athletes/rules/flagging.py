"""The flag rule: which heavy strength sessions sit too close to a race or key run session, and a
better day for them.

Pure: plain values in, plain values out, no ORM — so every boundary is tested with literals and
the set-based scan (athletes/services/flagging.py) can run it over thousands of sessions.

- **Flags.** What a heavy session is flagged for is `RunCalendar.flags`
  (athletes/rules/freshness.py), the very rule placement places by: **freshness** (its end less
  than the athlete's freshness window before a race or key session: under 24 h a conflict,
  from 24 h up to the window a warning) and **taper** (ending in the final 10 days before an A
  race, unless already flagged for freshness against it: a warning). One flag per problem.
- **Clock.** Hours are counted on the athlete's wall clock, as placement does: 18:00 the
  evening before a 09:00 race is 15 h, whichever night the clocks change, so a session placed
  outside the window is never flagged for it.
- **Default time of day.** A session without a time of day is taken at the athlete's default
  session time (`Athlete.default_session_time`, 17:30 unless the athlete changed it):
  `DEFAULT_SESSION_TIME` when the caller has none.
- **A better day.** Another date, keeping the session's time of day, that keeps every rule
  placement keeps: it raises no flag, it is no race day (the day of a race or the day after an A
  race) and no hard-run day (race, long, tempo or interval), and it starts at least 48 h from
  the athlete's other strength sessions. It never lies before `earliest` (now), outside the
  session's block (its assignment's weeks), on or past the previous or next session of its slot
  (last week's and next week's Day A: the block's progression keeps its order) or after the
  first A race the session is flagged against: heavy work moved past the goal race it was meant
  to build towards, or out of the block, helps nobody (after a B or C race it may go: lifting
  after a tune-up race is common). Days of the session's program week come first, then the
  others; the nearest wins, and the day before wins a tie with the day after (moving heavy work
  away from the race). Searched up to 14 days each way. The suggestion says why in a few
  words, and when there is no such day it says so and what to do instead ("No clear day before
  City 10K in this block: lighten it or skip it").
"""

import datetime as dt
import functools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from athletes.rules.freshness import (
    DAY,
    SPACING,
    TAPER_DAYS,
    RunCalendar,
    counts_for_freshness,
    is_a_race,
    wall_seconds,
)
from programs.rules import HEAVY

SUGGESTION_SEARCH_DAYS = 14
DEFAULT_SESSION_TIME = dt.time(17, 30)
MAX_REASON_LENGTH = 200  # Flag.suggestion_reason
# A suggestion names the next race or key session when it is this close, as placement does.
NOTED_WITHIN_HOURS = 96
# ... and the race it follows when that was this recent.
RECOVERING_WITHIN_DAYS = 3


# SessionTimes and EventTimes are named tuples rather than frozen dataclasses: a scan makes one
# for every session and run event it reads, and a tuple is made in a quarter of the time.


class SessionTimes(NamedTuple):
    """A strength session as the rule sees it: a date and an optional time of day (wall clock),
    and where it sits in its program: the Monday of its program week, and the first and last
    days a better day may take (in its block, between the sessions of its slot before and
    after it)."""

    id: int
    date: dt.date
    time_of_day: dt.time | None
    duration_minutes: int
    intensity: str  # heavy | moderate | light
    program_week: dt.date | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    @property
    def is_heavy(self) -> bool:
        return self.intensity == HEAVY

    def in_program_week(self, date: dt.date) -> bool:
        return self.program_week is not None and 0 <= (date - self.program_week).days < 7


class EventTimes(NamedTuple):
    """A run event: an aware start, its kind, and whether it is an A race or a key session."""

    id: int
    kind: str  # race | easy | long | tempo | interval
    starts_at: dt.datetime
    name: str = ""
    priority: str = ""  # A | B | C for races
    is_key: bool = False

    @property
    def counts_for_freshness(self) -> bool:
        return counts_for_freshness(self.kind, self.is_key)

    @property
    def is_a_race(self) -> bool:
        return is_a_race(self.kind, self.priority)

    @property
    def label(self) -> str:
        return self.name or self.kind.capitalize()


@dataclass(frozen=True, slots=True)
class Finding:
    """One flag the rule raises: (session, event, kind) with its severity and times."""

    session_id: int
    event_id: int
    kind: str
    severity: str
    hours_before: float  # wall-clock hours from the session's end to the event's start, >= 0
    session_ends_at: dt.datetime  # aware, in the athlete's zone
    event_starts_at: dt.datetime  # aware
    event_name: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A better start for a flagged session, and why, in a few words for the coach; or no
    start (None) and what to do instead."""

    starts_at: dt.datetime | None  # aware, in the athlete's zone
    reason: str


@functools.lru_cache(maxsize=256)
def search_order(days_into_week: int | None, search_days: int) -> tuple[int, ...]:
    """The better-day search's offsets (days from the session) in the order tried: days of the
    session's program week first (`days_into_week`: the session's day in it, 0 for its Monday;
    None outside a program), then the nearest; the day before wins a tie. The same for every
    session on the same day of its week, so it is sorted once."""

    def in_program_week(offset):
        return days_into_week is not None and 0 <= days_into_week + offset < 7

    offsets = (offset for offset in range(-search_days, search_days + 1) if offset)
    return tuple(
        sorted(offsets, key=lambda offset: (not in_program_week(offset), abs(offset), offset > 0))
    )


class AthleteCalendar:
    """One athlete's strength sessions and run events on their wall clock, indexed by time so
    the rule and the better-day search look only at the events and sessions near a session.

    `sessions` are every strength session that still takes a slot (planned or done): the ones
    to check and the ones a better day keeps 48 h away from. `events` may hold any run events:
    races and key sessions are flagged against, and every race, long, tempo or interval run
    keeps a better day off its day.
    """

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        window_hours: int,
        sessions: Iterable[SessionTimes],
        events: Iterable[EventTimes],
        default_time: dt.time = DEFAULT_SESSION_TIME,
    ):
        self.tz = tz
        self.window_hours = window_hours
        self.default_time = default_time
        self.runs = RunCalendar(events, tz=tz, window_hours=window_hours)
        spaced = sorted((self._start(s), s.id) for s in sessions)
        self._session_walls = [wall for wall, _ in spaced]
        self._session_ids = [session_id for _, session_id in spaced]

    def _start(self, session: SessionTimes) -> int:
        return wall_seconds(session.date, session.time_of_day or self.default_time)

    def aware(self, wall: int) -> dt.datetime:
        """The aware datetime of a wall-clock moment in the athlete's zone."""
        days, seconds = divmod(wall, DAY)
        naive = dt.datetime.fromordinal(days) + dt.timedelta(seconds=seconds)
        return naive.replace(tzinfo=self.tz)

    def starting_within(
        self, sessions, earliest: dt.datetime, latest: dt.datetime | None = None
    ) -> list:
        """The sessions starting from `earliest` up to (not including) `latest`, if given."""
        first = self.runs.wall(earliest)
        last = self.runs.wall(latest) if latest else math.inf
        return [session for session in sessions if first <= self._start(session) < last]

    def findings(self, session: SessionTimes) -> list[Finding]:
        """The flags `session` raises where it is now."""
        if not session.is_heavy:
            return []
        start = self._start(session)
        problems = list(self.runs.flags(start, session.duration_minutes))
        if not problems:  # most sessions: no need for their end as a datetime
            return []
        ends_at = self.aware(start + session.duration_minutes * 60)
        return [
            Finding(
                session_id=session.id,
                event_id=problem.run.id,
                kind=problem.kind,
                severity=problem.severity,
                hours_before=round(problem.hours_before, 1),
                session_ends_at=ends_at,
                event_starts_at=problem.run.starts_at,
                event_name=problem.run.label,
            )
            for problem in problems
        ]

    def _spaced_from_others(self, session_id: int, start: int) -> bool:
        first = bisect_right(self._session_walls, start - SPACING)
        last = bisect_left(self._session_walls, start + SPACING, lo=first)
        return all(other == session_id for other in self._session_ids[first:last])

    def _keeps_every_rule(self, session: SessionTimes, start: int) -> bool:
        # Cheapest first: most candidate days fail on the first or second test.
        return (
            self.runs.clear_day(start // DAY)
            and self._spaced_from_others(session.id, start)
            and next(self.runs.flags(start, session.duration_minutes), None) is None
        )

    def better_start(
        self,
        session: SessionTimes,
        *,
        earliest: dt.datetime,
        search_days: int = SUGGESTION_SEARCH_DAYS,
    ) -> Suggestion:
        """The best other start (same time of day) for `session` that keeps every rule placement
        keeps, in its block and before the first A race it is flagged against, with its reason;
        a Suggestion without a start when the search finds none."""
        start = self._start(session)
        first = self.runs.wall(earliest)
        last = math.inf
        if session.first_day is not None:
            first = max(first, wall_seconds(session.first_day, dt.time()))
        if session.last_day is not None:
            last = wall_seconds(session.last_day + dt.timedelta(days=1), dt.time())
        race = self._first_a_race_flagged(session, start)
        if race is not None:
            last = min(last, self.runs.wall(race.starts_at))
        days_into_week = (
            None if session.program_week is None else (session.date - session.program_week).days
        )
        candidates = (start + offset * DAY for offset in search_order(days_into_week, search_days))
        candidate = next(
            (c for c in candidates if first <= c < last and self._keeps_every_rule(session, c)),
            None,
        )
        if candidate is None:
            return Suggestion(None, self._why_no_day(session, race, search_days))
        return Suggestion(self.aware(candidate), self._why(session, candidate))

    def _first_a_race_flagged(self, session: SessionTimes, start: int) -> EventTimes | None:
        flagged_for = (problem.run for problem in self.runs.flags(start, session.duration_minutes))
        return next((run for run in flagged_for if run.is_a_race), None)  # in time order

    @staticmethod
    def _why_no_day(session: SessionTimes, race: EventTimes | None, search_days: int) -> str:
        in_block = " in this block" if session.last_day is not None else ""
        if race is None:
            where, advice = f"within {search_days} days{in_block}", "move it by hand or lighten it"
        else:
            where, advice = f"before {race.label}{in_block}", "lighten it or skip it"
        return f"No clear day {where}: {advice}"[:MAX_REASON_LENGTH]

    def _why(self, session: SessionTimes, candidate: int) -> str:
        """Why `candidate` suits `session`, in the coach's words: "In its program week, 38 h
        before City 10K (outside the 36 h window)"."""
        date = dt.date.fromordinal(candidate // DAY)
        parts = []
        if session.in_program_week(date):
            parts.append("in its program week")
        elif session.program_week is not None:
            parts.append("no clear day left in its program week")
        previous = self.runs.previous_counted(candidate)
        if previous and previous[1].kind == "race":
            days = date.toordinal() - previous[0] // DAY
            if days <= RECOVERING_WITHIN_DAYS:
                after = "the day" if days == 1 else f"{days} days"
                parts.append(f"{after} after {previous[1].label}")
        end = candidate + session.duration_minutes * 60
        following_at, following = self.runs.next_counted(candidate) or (math.inf, None)
        hours = (following_at - end) / 3600
        if hours < NOTED_WITHIN_HOURS:
            window = f"outside the {self.window_hours} h window"
            parts.append(f"{hours:.0f} h before {following.label} ({window})")
        elif following and following.is_a_race and hours < TAPER_DAYS * 24 + NOTED_WITHIN_HOURS:
            parts.append(f"before the {TAPER_DAYS}-day taper for {following.label}")
        else:
            parts.append("no race or key session in the next days")
        reason = ", ".join(parts)
        return (reason[:1].upper() + reason[1:])[:MAX_REASON_LENGTH]
