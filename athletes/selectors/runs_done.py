"""Reads of runs done: one run scoped to the user, the athlete's latest, the planned runs a run
could be matched to, and what the load and transfer charts and run compliance are drawn from.

Each takes an athlete the caller already scoped (but the `_for_user` one) and runs a fixed
number of queries, however many runs there are."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import get_object_or_404

from athletes.models import Athlete, RunDone, RunEvent
from athletes.rules import progress as progress_rules
from athletes.rules.runs import Done
from athletes.selectors.scoping import owned_by

RUNS_DONE_SHOWN = 20


def run_done_get_for_user(user, run_id) -> RunDone:
    """A run done of the signed-in athlete's, or of one of the coach's athletes; else 404."""
    return get_object_or_404(
        owned_by(user, RunDone.objects.select_related("athlete__user", "run_event")), pk=run_id
    )


def runs_done_latest(athlete: Athlete, limit: int = RUNS_DONE_SHOWN):
    """The athlete's latest runs done, newest first, each with the planned run it was."""
    return (
        RunDone.objects.filter(athlete=athlete)
        .select_related("run_event")
        .order_by("-started_at")[:limit]
    )


def planned_runs_to_match(run: RunDone) -> list[RunEvent]:
    """The planned runs of the run's day (in the athlete's zone) that are not done, or are done
    by this run: what it may be matched to."""
    athlete = run.athlete
    day = athlete.date_at(run.started_at)
    first = dt.datetime.combine(day, dt.time(), tzinfo=athlete.tz)
    return list(
        RunEvent.objects.filter(
            Q(done__isnull=True) | Q(done=run),
            athlete=athlete,
            starts_at__gte=first,
            starts_at__lt=first + dt.timedelta(days=1),
        ).order_by("starts_at")
    )


def run_loads_for_athlete(athlete: Athlete) -> list[Done]:
    """Every run done, on its day in the athlete's zone, with its RPE and moving minutes."""
    rows = RunDone.objects.filter(athlete=athlete).values_list(
        "started_at", "rpe", "moving_seconds"
    )
    return [Done(athlete.date_at(at), rpe, round(seconds / 60)) for at, rpe, seconds in rows]


def runs_done_for_transfer(athlete: Athlete) -> list[RunDone]:
    """Races and tempo runs done (what finish fade and pace per heartbeat are measured on),
    oldest first."""
    return list(
        RunDone.objects.filter(
            athlete=athlete, kind__in=[RunEvent.Kind.RACE, RunEvent.Kind.TEMPO]
        ).order_by("started_at")
    )


def run_compliance_for_athlete(athlete: Athlete, today: dt.date):
    """Planned runs done over 14 and 28 days (today left out, as for strength), from one query."""
    first, _ = progress_rules.compliance_window(today, 28)
    tz = athlete.tz
    planned = RunEvent.objects.filter(
        athlete=athlete,
        starts_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=tz),
        starts_at__lt=dt.datetime.combine(today, dt.time(), tzinfo=tz),
    ).values_list("starts_at", "done__id")
    days = [
        _Planned(athlete.date_at(at), progress_rules.COMPLETED if done else progress_rules.PLANNED)
        for at, done in planned
    ]
    return {n: progress_rules.compliance(days, today=today, days=n) for n in (14, 28)}


@dataclass(frozen=True)
class _Planned:
    date: dt.date
    status: str


def races_for_athlete(athlete: Athlete) -> list[tuple[dt.date, str]]:
    """Each planned race's day (in the athlete's zone) and name, for the load chart's marks."""
    rows = RunEvent.objects.filter(athlete=athlete, kind=RunEvent.Kind.RACE).values_list(
        "starts_at", "name"
    )
    return [(athlete.date_at(at), name or "Race") for at, name in rows]
