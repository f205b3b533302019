"""Writes of runs done: a planned run marked done (or an unplanned one) by hand, a batch of runs
read from watch files matched to the plan, a run re-matched, edited or removed."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import Athlete, RunDone, RunEvent
from athletes.rules import runs as rules
from athletes.services.activity_files import Activity
from athletes.services.conversation import comment_post, run_note_comment_id, thread_move
from athletes.services.idempotency import create_once

ALREADY_DONE = "That planned run is already done: unmatch the other run first."


def _runs_locked(athlete: Athlete) -> None:
    """One write of the athlete's runs done at a time (until commit): two tabs marking the same
    planned run done, or an upload beside them, each see what the other saved before checking
    "already done", instead of both passing it and the second breaking the one-run-per-plan
    constraint."""
    Athlete.objects.select_for_update().filter(pk=athlete.pk).first()


def _clean(run: RunDone) -> RunDone:
    if run.run_event_id is not None:
        run.kind = run.run_event.kind
    # The key's uniqueness is the database's to check: a concurrent twin is create_once's case.
    run.full_clean(exclude=["idempotency_key"], validate_unique=False)
    if (
        run.run_event_id is not None
        and RunDone.objects.filter(run_event_id=run.run_event_id).exclude(pk=run.pk).exists()
    ):
        raise ValidationError({"run_event": ALREADY_DONE})
    return run


def _own_event(athlete: Athlete, run_event: RunEvent | None) -> None:
    if run_event is not None and run_event.athlete_id != athlete.pk:
        raise ValueError("a run is matched only to its athlete's own planned run")


@transaction.atomic(durable=True)
def run_done_record(
    *,
    athlete: Athlete,
    entered_by,
    started_at: dt.datetime,
    moving_seconds: int,
    distance_m: int | None,
    rpe: int | None,
    note: str = "",
    kind: str = RunEvent.Kind.EASY,
    run_event: RunEvent | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> RunDone:
    """A run done, entered by hand by the athlete or their coach (`entered_by`): the planned
    `run_event` marked done, or an unplanned run of `kind`. A `note` is `entered_by`'s comment
    in the run's thread (the planned run's, or the run's own), told to the other side as any
    comment is. A repeat of `idempotency_key` is the same run: the first one, unchanged, its
    note posted once. The planned run done already (by another tab, say) is a ValidationError."""
    _own_event(athlete, run_event)
    _runs_locked(athlete)

    def create():
        run = _clean(
            RunDone(
                athlete=athlete,
                run_event=run_event,
                kind=kind,
                started_at=started_at,
                elapsed_seconds=moving_seconds,
                moving_seconds=moving_seconds,
                distance_m=distance_m,
                rpe=rpe,
                source=RunDone.Source.MANUAL,
                idempotency_key=idempotency_key,
            )
        )
        run.save()
        _note_posted(run, entered_by, note)
        return run

    return create_once(
        idempotency_key, athlete.runs_done.filter(idempotency_key=idempotency_key).first, create
    )


def _note_posted(run: RunDone, author, note: str) -> None:
    body = note.strip()
    if not body:
        return
    try:
        comment_post(
            author=author,
            subject=run.thread_subject,
            comment_id=run_note_comment_id(run.pk, body),
            body=body,
        )
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from error


@dataclass(frozen=True)
class ImportOutcome:
    created: list[RunDone]
    already_there: list[Activity]  # uploaded before (same start and sport): nothing new

    @property
    def matched(self) -> int:
        return sum(run.run_event_id is not None for run in self.created)


def _planned_not_done(athlete: Athlete, activities: list[Activity]) -> dict[int, RunEvent]:
    """The athlete's planned runs not done yet, from the first upload's day to the last's."""
    days = [athlete.date_at(a.started_at) for a in activities]
    tz = athlete.tz
    first = dt.datetime.combine(min(days), dt.time(), tzinfo=tz)
    last = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    events = RunEvent.objects.filter(
        athlete=athlete, starts_at__gte=first, starts_at__lt=last, done__isnull=True
    )
    return {event.pk: event for event in events}


@transaction.atomic(durable=True)
def runs_done_import(*, athlete: Athlete, activities: list[Activity]) -> ImportOutcome:
    """Record each run read from a file, matched to the planned run of its day whose start is
    nearest (rules.planned_run_matched), else unplanned. One uploaded before — the same device
    start time and sport, whatever the file — adds nothing, in this batch or an earlier one."""
    if not activities:
        return ImportOutcome([], [])
    # Two uploads of one file cannot both pass the check.
    _runs_locked(athlete)
    seen = set(
        athlete.runs_done.exclude(source=RunDone.Source.MANUAL)
        .filter(started_at__in=[a.started_at for a in activities])
        .values_list("started_at", "sport")
    )
    planned = _planned_not_done(athlete, activities)
    created, already_there = [], []
    for activity in sorted(activities, key=lambda a: a.started_at):
        if activity.key in seen:
            already_there.append(activity)
            continue
        seen.add(activity.key)
        candidates = [
            rules.PlannedRun(e.pk, e.starts_at, athlete.date_at(e.starts_at))
            for e in planned.values()
        ]
        matched = rules.planned_run_matched(
            activity.started_at, athlete.date_at(activity.started_at), candidates
        )
        event = planned.pop(matched) if matched else None
        run = RunDone(
            athlete=athlete,
            run_event=event,
            kind=event.kind if event else RunEvent.Kind.EASY,
            started_at=activity.started_at,
            elapsed_seconds=activity.elapsed_seconds,
            moving_seconds=activity.moving_seconds,
            distance_m=activity.distance_m,
            average_heart_rate=activity.average_heart_rate,
            source=activity.source,
            sport=activity.sport,
            splits=activity.splits,
        )
        run.full_clean(exclude=["idempotency_key"], validate_unique=False)
        created.append(run)
    RunDone.objects.bulk_create(created)
    return ImportOutcome(created, already_there)


@transaction.atomic(durable=True)
def run_done_update(
    *, run: RunDone, rpe: int | None, kind: str, run_event: RunEvent | None
) -> RunDone:
    """The athlete's RPE for a run, and the planned run it was (None: unplanned, of `kind`).
    An unplanned run matched to a planned one brings its comments into the planned run's
    thread; a run unmatched leaves them there, with the plan they were about."""
    _own_event(run.athlete, run_event)
    _runs_locked(run.athlete)
    was_unplanned = run.run_event_id is None
    run.rpe, run.kind, run.run_event = rpe, kind, run_event
    _clean(run).save()
    if was_unplanned and run_event is not None:
        thread_move(source=run, target=run_event)
    return run


@transaction.atomic(durable=True)
def run_done_delete(*, run: RunDone) -> None:
    run.delete()
