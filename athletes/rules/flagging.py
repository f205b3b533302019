"""The flag rule: which heavy strength sessions sit too close to a race or key run session.

Pure: plain values in, plain values out, no ORM — so every boundary is tested with literals and
the set-based scan (athletes/services/flagging.py) can run it over thousands of sessions.

- **Freshness.** A heavy session is flagged against a race or key run session when the session's
  end is less than the athlete's freshness window (24 h at least, 36 h by default) before the
  run's start: under 24 h is a **conflict**, from 24 h up to the window a **warning**; exactly
  the window is fine. What counts is `counts_for_freshness` (athletes/rules/placement.py), the
  one definition placement, flagging and RunEvent share: races, and key long, tempo or interval
  sessions. An easy run never counts: it can't be key (forms refuse it, a DB check forbids it).
- **Taper.** A heavy session ending in the final 10 days (240 h) before an A race is a taper
  **warning** — unless it is already flagged for freshness against that race (one flag per
  problem).
- **Clock.** Hours are counted on the athlete's wall clock, as placement does
  (athletes/rules/placement.py): 18:00 the evening before a 09:00 race is 15 h, whichever night
  the clocks change, so a session placed outside the window is never flagged for it.
- **Default time of day.** A session without a time of day is taken at the athlete's default
  session time (`Athlete.default_session_time`, 17:30 unless the athlete changed it):
  `DEFAULT_SESSION_TIME` when the caller has none.
- **A better day.** The nearest date, keeping the session's time of day, where the session would
  raise no flag at all and starts at least 48 h from the athlete's other strength sessions; the
  day before wins a tie with the day after (moving heavy work away from the race). Searched up
  to 14 days each way, never before `earliest` (now).
"""

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from athletes.rules.placement import MIN_HOURS_BETWEEN_STRENGTH, counts_for_freshness, wall_clock
from programs.rules import HEAVY

CONFLICT_HOURS = 24
TAPER_DAYS = 10
SUGGESTION_SEARCH_DAYS = 14
DEFAULT_SESSION_TIME = dt.time(17, 30)

FRESHNESS, TAPER = "freshness", "taper"  # Flag.Kind values
CONFLICT, WARNING = "conflict", "warning"  # Flag.Severity values

DAY = 24 * 3600  # seconds
SPACING = MIN_HOURS_BETWEEN_STRENGTH * 3600


@dataclass(frozen=True, slots=True)
class SessionTimes:
    """A strength session as the rule sees it: a date and an optional time of day (wall clock)."""

    id: int
    date: dt.date
    time_of_day: dt.time | None
    duration_minutes: int
    intensity: str  # heavy | moderate | light

    @property
    def is_heavy(self) -> bool:
        return self.intensity == HEAVY


@dataclass(frozen=True, slots=True)
class EventTimes:
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
        return self.kind == "race" and self.priority == "A"


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


def freshness_severity(hours_before: float, window_hours: int) -> str | None:
    """Under 24 h a conflict, from 24 h up to (not including) the window a warning."""
    if hours_before < CONFLICT_HOURS:
        return CONFLICT
    if hours_before < window_hours:
        return WARNING
    return None


def _wall_seconds(date: dt.date, time: dt.time) -> int:
    """A wall-clock moment as whole seconds since day one: integers compare and subtract
    faster than datetimes, and a day on the wall clock is always 86,400 of them."""
    return date.toordinal() * DAY + time.hour * 3600 + time.minute * 60 + time.second


class AthleteCalendar:
    """One athlete's strength sessions and run events on their wall clock, indexed by time so
    the rule and the better-day search look only at the events and sessions near a session.

    `sessions` are every strength session that still takes a slot (planned or done): the ones
    to check and the ones a better day keeps 48 h away from. `events` may hold any run events;
    only races and key sessions are kept.
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
        counted = []
        for event in events:
            if event.counts_for_freshness:
                counted.append((self._wall(event.starts_at), event))
        counted.sort(key=lambda pair: pair[0])
        self._event_walls = [wall for wall, _ in counted]
        self._events = [event for _, event in counted]
        spaced = sorted((self._start(s), s.id) for s in sessions)
        self._session_walls = [wall for wall, _ in spaced]
        self._session_ids = [session_id for _, session_id in spaced]

    def _start(self, session: SessionTimes) -> int:
        return _wall_seconds(session.date, session.time_of_day or self.default_time)

    def aware(self, wall_seconds: int) -> dt.datetime:
        """The aware datetime of a wall-clock moment in the athlete's zone."""
        days, seconds = divmod(wall_seconds, DAY)
        wall = dt.datetime.fromordinal(days) + dt.timedelta(seconds=seconds)
        return wall.replace(tzinfo=self.tz)

    def _wall(self, instant: dt.datetime) -> int:
        wall = wall_clock(instant, self.tz)
        return _wall_seconds(wall.date(), wall.time())

    def starting_within(
        self, sessions, earliest: dt.datetime, latest: dt.datetime | None = None
    ) -> list:
        """The sessions starting from `earliest` up to (not including) `latest`, if given."""
        first = self._wall(earliest)
        last = self._wall(latest) if latest else math.inf
        return [session for session in sessions if first <= self._start(session) < last]

    def findings(self, session: SessionTimes) -> list[Finding]:
        """The flags `session` raises where it is now."""
        start = self._start(session)
        end = start + session.duration_minutes * 60
        return [
            Finding(
                session_id=session.id,
                event_id=event.id,
                kind=kind,
                severity=severity,
                hours_before=round(hours, 1),
                session_ends_at=self.aware(end),
                event_starts_at=event.starts_at,
                event_name=event.name or event.kind.capitalize(),
            )
            for event, hours, kind, severity in self._flagged_events(session, start)
        ]

    def _flagged_events(self, session: SessionTimes, start: int):
        """(event, hours before it, kind, severity) for each event `session` is flagged
        against when it starts at `start` (wall seconds)."""
        if not session.is_heavy:
            return
        end = start + session.duration_minutes * 60
        # Events starting after the session starts and before its end + 10 days.
        first = bisect_right(self._event_walls, start)
        last = bisect_left(self._event_walls, end + TAPER_DAYS * DAY, lo=first)
        for index in range(first, last):
            event = self._events[index]
            hours = max((self._event_walls[index] - end) / 3600, 0.0)
            severity = freshness_severity(hours, self.window_hours)
            if severity:
                yield event, hours, FRESHNESS, severity
            elif event.is_a_race:
                yield event, hours, TAPER, WARNING

    def _spaced_from_others(self, session_id: int, start: int) -> bool:
        first = bisect_right(self._session_walls, start - SPACING)
        last = bisect_left(self._session_walls, start + SPACING, lo=first)
        return all(other == session_id for other in self._session_ids[first:last])

    def better_start(
        self,
        session: SessionTimes,
        *,
        earliest: dt.datetime,
        search_days: int = SUGGESTION_SEARCH_DAYS,
    ) -> dt.datetime | None:
        """The nearest start (same time of day, another date) where `session` raises no flag
        and keeps 48 h from the other strength sessions; None when the search finds none."""
        start = self._start(session)
        earliest_seconds = self._wall(earliest)
        for days in range(1, search_days + 1):
            for offset in (-days, days):
                candidate = start + offset * DAY
                if (
                    candidate >= earliest_seconds
                    and self._spaced_from_others(session.id, candidate)
                    and next(self._flagged_events(session, candidate), None) is None
                ):
                    return self.aware(candidate)
        return None
