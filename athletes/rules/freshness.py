"""What heavy strength keeps clear of: the one set of rules placement, flagging and the better-day
search all ask, so they cannot disagree.

Placement (athletes/rules/placement.py) chooses days by these rules, the flag rule
(athletes/rules/flagging.py) raises its flags by them, and the better day it suggests keeps them.
A session placed or suggested as clear is never flagged; a flag placement could not avoid is
named in its placement reason.

- **Which runs count.** Races, and key long, tempo or interval sessions (`counts_for_freshness`).
  An easy run is never key (forms refuse it, a DB check forbids it).
- **Flags** (`RunCalendar.flags`). A heavy session whose end is less than the athlete's
  freshness window (24 h at least, 36 h by default) before the start of a run that counts is
  flagged for **freshness**: under 24 h a conflict, from 24 h up to the window a warning;
  exactly the window is fine. A heavy session ending in the final 10 days (240 h) before an A
  race is a **taper** warning — unless it is already flagged for freshness against that race.
- **Race days** (`RunCalendar.race_day`). Heavy work never goes on the day of a race (even
  after it) or on the day after an A race: no flag says so, but no coach would take it.
- **Hard days** (`is_hard_run`). A day with a race, long, tempo or interval run (key or not)
  is not an easy day for strength.
- **Spacing.** Strength sessions start at least 48 h apart.
- **Clock.** Hours are counted on the athlete's wall clock: 18:00 the evening before a 09:00 race
  is 15 h, whichever night the clocks change. Moments are whole seconds since day one on that
  clock (`wall_seconds`): integers compare and subtract faster than datetimes, and a day is
  always 86,400 of them.
"""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

CONFLICT_HOURS = 24
TAPER_DAYS = 10
MIN_HOURS_BETWEEN_STRENGTH = 48
HARD_KINDS = ("race", "long", "tempo", "interval")
KEY_RUN_KINDS = ("long", "tempo", "interval")  # an easy run can't be a key session

FRESHNESS, TAPER = "freshness", "taper"  # Flag.Kind values
CONFLICT, WARNING = "conflict", "warning"  # Flag.Severity values

DAY = 24 * 3600  # seconds
SPACING = MIN_HOURS_BETWEEN_STRENGTH * 3600


def counts_for_freshness(kind: str, is_key: bool) -> bool:
    """Whether heavy strength must keep away from this run: a race, or a key long, tempo or
    interval session. The one definition: placement, flagging and RunEvent all ask this."""
    return kind == "race" or (is_key and kind in KEY_RUN_KINDS)


def is_a_race(kind: str, priority: str) -> bool:
    return kind == "race" and priority == "A"


def is_hard_run(kind: str) -> bool:
    return kind in HARD_KINDS


def freshness_severity(hours_before: float, window_hours: int) -> str | None:
    """Under 24 h a conflict, from 24 h up to (not including) the window a warning."""
    if hours_before < CONFLICT_HOURS:
        return CONFLICT
    if hours_before < window_hours:
        return WARNING
    return None


def wall_clock(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The instant as the athlete's wall clock shows it (naive)."""
    return instant.astimezone(tz).replace(tzinfo=None)


def wall_seconds(date: dt.date, time: dt.time) -> int:
    """A wall-clock moment as whole seconds since day one."""
    return date.toordinal() * DAY + time.hour * 3600 + time.minute * 60 + time.second


@dataclass(frozen=True, slots=True)
class Problem:
    """One flag a heavy session would raise: against `run`, of `kind` and `severity`."""

    run: object  # the caller's run, as given to RunCalendar
    kind: str
    severity: str
    hours_before: float  # wall-clock hours from the session's end to the run's start, >= 0


@dataclass(frozen=True, slots=True)
class RaceDay:
    """Why a date is no day for heavy work: it is `race`'s day, or the day after an A race."""

    race: object
    after: bool

    def describe(self, label: str) -> str:
        return f"the day after {label}" if self.after else f"{label} day"


class RunCalendar:
    """An athlete's runs on their wall clock, indexed so a question about one moment looks only
    at the runs near it.

    `runs` are anything with `starts_at` (aware), `kind`, `is_key` and `priority`: placement's
    RunSpec and flagging's EventTimes. Runs that neither count nor make a hard day are ignored.
    """

    def __init__(self, runs: Iterable, *, tz: ZoneInfo, window_hours: int):
        self.tz = tz
        self.window_hours = window_hours
        counted, self._races, self._no_heavy_days = [], {}, set()
        for run in runs:
            wall = self.wall(run.starts_at)
            if counts_for_freshness(run.kind, run.is_key):
                counted.append((wall, run))
            day = wall // DAY
            if run.kind == "race":
                self._races.setdefault(day, []).append(run)
            if is_hard_run(run.kind):  # races too
                self._no_heavy_days.add(day)
            if is_a_race(run.kind, run.priority):
                self._no_heavy_days.add(day + 1)
        counted.sort(key=lambda pair: pair[0])
        self._walls = [wall for wall, _ in counted]
        self._counted = [run for _, run in counted]

    def wall(self, instant: dt.datetime) -> int:
        local = instant.astimezone(self.tz)  # wall_seconds of wall_clock, in fewer steps
        return local.toordinal() * DAY + local.hour * 3600 + local.minute * 60 + local.second

    def flags(self, start: int, minutes: int) -> Iterator[Problem]:
        """The flags a heavy session starting at `start` (wall seconds) and lasting `minutes`
        raises, in the order of the runs: only runs starting after it starts count."""
        end = start + minutes * 60
        first = bisect_right(self._walls, start)
        last = bisect_left(self._walls, end + TAPER_DAYS * DAY, lo=first)
        for index in range(first, last):
            run = self._counted[index]
            hours = max((self._walls[index] - end) / 3600, 0.0)
            severity = freshness_severity(hours, self.window_hours)
            if severity:
                yield Problem(run, FRESHNESS, severity, hours)
            elif is_a_race(run.kind, run.priority):
                yield Problem(run, TAPER, WARNING, hours)

    def race_day(self, date: dt.date) -> RaceDay | None:
        """Why heavy work can't go on `date`, or None when it can."""
        day = date.toordinal()
        if self._races.get(day):
            return RaceDay(self._races[day][0], after=False)
        for race in self._races.get(day - 1, ()):
            if is_a_race(race.kind, race.priority):
                return RaceDay(race, after=True)
        return None

    def clear_day(self, day: int) -> bool:
        """Whether heavy work may go on `day` (an ordinal) by the race-day and hard-day rules: no
        race or hard run that day, no A race the day before. One set lookup, for searches that
        try many days."""
        return day not in self._no_heavy_days

    def next_counted(self, start: int):
        """(wall seconds, run) of the first run that counts starting after `start`, or None."""
        index = bisect_right(self._walls, start)
        return (self._walls[index], self._counted[index]) if index < len(self._walls) else None

    def previous_counted(self, start: int):
        """(wall seconds, run) of the last run that counts starting before `start`, or None."""
        index = bisect_left(self._walls, start)
        return (self._walls[index - 1], self._counted[index - 1]) if index else None
