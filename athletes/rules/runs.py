"""Pure rules of runs done: what a watch's samples say (moving time, per-km splits, heart
rate), the finish fade and the pace per heartbeat that measure transfer, one weekly load for
runs and lifts (Foster's session RPE × minutes) with its acute:chronic ratio, and which planned
run a run from a file was.

No ORM and no request: plain values in, plain values out.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from athletes.rules.progress import session_load, week_start, weeks_between

KM = 1000
# Slower than this between two samples is standing still (a walk is about 1.4 m/s): the
# watch's auto-pause does the same.
MOVING_SPEED_M_S = 0.5
# A run from a file is the planned run of that day whose start is nearest, within this.
MATCH_WINDOW = dt.timedelta(hours=4)
# The last-7-days load against the weekly average of the last 28 (Gabbett's acute:chronic).
ACUTE_DAYS, CHRONIC_DAYS = 7, 28
USUAL_RATIO = (Decimal("0.8"), Decimal("1.3"))
SPIKE_RATIO = Decimal("1.5")


@dataclass(frozen=True)
class Sample:
    """One record of a watch file: seconds from the start, metres so far, beats a minute."""

    seconds: float
    distance_m: float | None = None
    heart_rate: int | None = None


@dataclass(frozen=True)
class Split:
    distance_m: int  # 1000, or less for the last part of a run
    seconds: float

    @property
    def pace(self) -> float:
        """Seconds per km."""
        return self.seconds * KM / self.distance_m


def moving_seconds(samples: Sequence[Sample]) -> float:
    """The time spent moving at MOVING_SPEED_M_S or faster; all of it without distances."""
    with_distance = [s for s in samples if s.distance_m is not None]
    if len(with_distance) < 2:
        return samples[-1].seconds - samples[0].seconds if samples else 0.0
    moving = 0.0
    for before, after in zip(with_distance, with_distance[1:], strict=False):
        took = after.seconds - before.seconds
        if took > 0 and (after.distance_m - before.distance_m) / took >= MOVING_SPEED_M_S:
            moving += took
    return moving


def km_splits(samples: Sequence[Sample]) -> list[Split]:
    """The time of each full km (from when the distance crossed each 1000 m, interpolated
    between samples), then the rest of the run as a shorter last split."""
    points = [(s.seconds, s.distance_m) for s in samples if s.distance_m is not None]
    splits, mark, last_time = [], KM, points[0][0] if points else 0.0
    for (t0, d0), (t1, d1) in zip(points, points[1:], strict=False):
        while d0 < mark <= d1:
            crossed = t0 + (t1 - t0) * (mark - d0) / (d1 - d0)
            splits.append(Split(KM, round(crossed - last_time, 1)))
            last_time, mark = crossed, mark + KM
    if points:
        rest = round(points[-1][1] - (mark - KM))
        if rest > 0 and points[-1][0] > last_time:
            splits.append(Split(rest, round(points[-1][0] - last_time, 1)))
    return splits


def average_heart_rate(samples: Iterable[Sample]) -> int | None:
    rates = [s.heart_rate for s in samples if s.heart_rate]
    return round(sum(rates) / len(rates)) if rates else None


def pace(seconds: float, distance_m: float) -> Decimal:
    """Seconds per km, to a tenth."""
    return _tenth(Decimal(str(seconds)) * KM / Decimal(str(distance_m)))


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Fade:
    last_km_pace: Decimal  # s/km
    average_pace: Decimal  # s/km over the full kilometres
    seconds_per_km: Decimal  # last km slower than average by this (negative: a fast finish)
    percent: Decimal


def finish_fade(splits: Sequence[Split]) -> Fade | None:
    """The last full km's pace against the average pace of every full km; None under 2 km.

    A short last part (a 5K race's finish past a watch's 5.00 km, say) is left out: its pace
    is the kick, not the fade."""
    full = [s for s in splits if s.distance_m == KM]
    if len(full) < 2:
        return None
    average = Decimal(str(sum(s.seconds for s in full))) / len(full)
    last = Decimal(str(full[-1].seconds))
    fade = last - average
    return Fade(
        last_km_pace=_tenth(last),
        average_pace=_tenth(average),
        seconds_per_km=_tenth(fade),
        percent=_tenth(100 * fade / average),
    )


def metres_per_heartbeat(seconds: float, distance_m: float, heart_rate: int | None):
    """Pace per heartbeat, as metres run per beat (more is more economical); None without
    heart rate."""
    if not heart_rate or not seconds:
        return None
    beats = Decimal(str(seconds)) / 60 * heart_rate
    return (Decimal(str(distance_m)) / beats).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# -- matching a run to the plan --------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRun:
    id: int
    starts_at: dt.datetime
    date: dt.date  # in the athlete's zone


def planned_run_matched(
    started_at: dt.datetime, date: dt.date, planned: Iterable[PlannedRun]
) -> int | None:
    """The id of the planned run on `date` whose start is nearest `started_at`, within
    MATCH_WINDOW; None when there is none (an unplanned run). Pass only runs not done yet."""
    near = [
        (abs(p.starts_at - started_at), p.starts_at, p.id)
        for p in planned
        if p.date == date and abs(p.starts_at - started_at) <= MATCH_WINDOW
    ]
    return min(near)[2] if near else None


# -- one load for runs and lifts -------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    """A run or a strength session done: its day, the athlete's RPE for it and its minutes."""

    date: dt.date
    session_rpe: int | None
    minutes: int | None


@dataclass(frozen=True)
class WeekLoads:
    week: dt.date  # Monday
    runs: int
    lifts: int

    @property
    def total(self) -> int:
        return self.runs + self.lifts


def weekly_loads(runs: Iterable[Done], lifts: Iterable[Done]) -> list[WeekLoads]:
    """Session RPE × minutes per week, runs and lifts apart; the weeks between the first and the
    last appear, as zeros when empty. Something done without an RPE adds nothing."""
    sums: dict[dt.date, list[int]] = {}
    for index, items in enumerate((runs, lifts)):
        for done in items:
            week = sums.setdefault(week_start(done.date), [0, 0])
            week[index] += session_load(done.session_rpe, done.minutes) or 0
    if not sums:
        return []
    return [
        WeekLoads(monday, *sums.get(monday, (0, 0)))
        for monday in weeks_between(min(sums), max(sums))
    ]


@dataclass(frozen=True)
class AcuteChronic:
    acute: int  # the last ACUTE_DAYS, today included
    chronic: Decimal  # the weekly average of the last CHRONIC_DAYS, today included
    days_of_history: int  # from the first load recorded to today, both included

    @property
    def ratio(self) -> Decimal | None:
        """None without load, or with less than CHRONIC_DAYS of history: a first week against
        a "weekly average" of one week in four reads as a spike it is not."""
        if not self.chronic or self.days_of_history < CHRONIC_DAYS:
            return None
        return (self.acute / self.chronic).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def acute_chronic(done: Iterable[Done], today: dt.date) -> AcuteChronic:
    acute_from = today - dt.timedelta(days=ACUTE_DAYS - 1)
    chronic_from = today - dt.timedelta(days=CHRONIC_DAYS - 1)
    acute = chronic = 0
    first = None  # the first day with load
    for d in done:
        load = session_load(d.session_rpe, d.minutes) or 0
        if load and d.date <= today and (first is None or d.date < first):
            first = d.date
        if chronic_from <= d.date <= today:
            chronic += load
            if d.date >= acute_from:
                acute += load
    weeks = Decimal(CHRONIC_DAYS // ACUTE_DAYS)
    return AcuteChronic(
        acute=acute,
        chronic=_tenth(Decimal(chronic) / weeks),
        days_of_history=0 if first is None else (today - first).days + 1,
    )


def acute_chronic_in_words(value: AcuteChronic) -> str:
    head = (
        f"Last 7 days: {value.acute} (RPE × min); weekly average of the last 28 days: "
        f"{value.chronic.normalize():f}."
    )
    ratio = value.ratio
    if not value.chronic:
        return f"{head} No load in the last 28 days, so no acute:chronic ratio yet."
    if ratio is None:
        days = value.days_of_history
        return (
            f"{head} {days} day{'s' if days != 1 else ''} of history so far: the acute:chronic "
            f"ratio needs {CHRONIC_DAYS}, so none yet."
        )
    low, high = USUAL_RATIO
    if ratio < low:
        verdict = "below what this athlete is used to (under 0.8)"
    elif ratio <= high:
        verdict = "within the usual range (0.8–1.3)"
    elif ratio <= SPIKE_RATIO:
        verdict = "above the usual range (over 1.3): build more gradually"
    else:
        verdict = "a spike (over 1.5): the injury risk is highest here"
    return f"{head} Acute:chronic ratio {ratio}: {verdict}."
