"""Writes to an athlete's running week: races and run sessions, one at a time or by pattern."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import Athlete, RunDone, RunEvent
from athletes.services.conversation import thread_move
from athletes.services.idempotency import create_once
from athletes.tasks import athlete_schedule_changed

MAX_PATTERN_WEEKS = 52
EVENT_FIELDS = ("kind", "name", "starts_at", "duration_minutes", "distance_m", "priority", "is_key")


def _clean(event: RunEvent) -> RunEvent:
    if event.kind != RunEvent.Kind.RACE:
        event.priority = ""
    # The key's uniqueness is the database's to check: a concurrent twin is create_once's case.
    event.full_clean(exclude=["idempotency_key"])
    return event


@transaction.atomic(durable=True)
def run_event_create(
    *, athlete: Athlete, idempotency_key: uuid.UUID | None = None, **fields
) -> RunEvent:
    """Add a race or run session (fields of RunEvent; `starts_at` aware). A repeat of
    `idempotency_key` is the same event: the first one, unchanged."""

    def create():
        event = _clean(RunEvent(athlete=athlete, idempotency_key=idempotency_key, **fields))
        event.save()
        athlete_schedule_changed(athlete.pk)
        return event

    return create_once(
        idempotency_key, athlete.run_events.filter(idempotency_key=idempotency_key).first, create
    )


@transaction.atomic(durable=True)
def run_event_update(*, event: RunEvent, **fields) -> RunEvent:
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise ValueError(f"{name} is not an editable run event field")
        setattr(event, name, value)
    _clean(event).save()
    athlete_schedule_changed(event.athlete_id)
    return event


@transaction.atomic(durable=True)
def run_event_delete(*, event: RunEvent) -> None:
    """The planned run goes; a run done as it stays, unplanned, and keeps what was said about
    it (its note among it)."""
    athlete_id = event.athlete_id
    done = RunDone.objects.filter(run_event=event).first()
    if done is not None:
        thread_move(source=event, target=done)
    event.delete()
    athlete_schedule_changed(athlete_id)


@transaction.atomic(durable=True)
def run_events_create_weekly(
    *,
    athlete: Athlete,
    weekday: int,
    time_of_day: dt.time,
    first_date: dt.date,
    weeks: int,
    idempotency_key: uuid.UUID | None = None,
    **fields,
) -> list[RunEvent]:
    """A weekly pattern: one event on `weekday` at `time_of_day` (athlete's zone) for `weeks`
    weeks from the first such weekday on or after `first_date` — e.g. intervals every Tuesday.
    A repeat of `idempotency_key` is the same pattern: the events the first one added."""
    if not 1 <= weeks <= MAX_PATTERN_WEEKS:
        raise ValidationError({"weeks": f"Between 1 and {MAX_PATTERN_WEEKS} weeks."})
    first = first_date + dt.timedelta(days=(weekday - first_date.weekday()) % 7)
    # One key per week, made from the pattern's own: each event is as unique as the pattern.
    keys = [
        uuid.uuid5(idempotency_key, str(week)) if idempotency_key else None for week in range(weeks)
    ]

    def create():
        events = [
            _clean(
                RunEvent(
                    athlete=athlete,
                    starts_at=dt.datetime.combine(
                        first + dt.timedelta(weeks=week), time_of_day, tzinfo=athlete.tz
                    ),
                    idempotency_key=key,
                    **fields,
                )
            )
            for week, key in enumerate(keys)
        ]
        RunEvent.objects.bulk_create(events)
        athlete_schedule_changed(athlete.pk)
        return events

    return create_once(
        idempotency_key,
        lambda: list(athlete.run_events.filter(idempotency_key__in=keys).order_by("starts_at")),
        create,
    )
