"""Writes to an athlete's running week: races and run sessions, one at a time or by pattern."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import Athlete, RunEvent
from athletes.services.flagging import athlete_schedule_changed

MAX_PATTERN_WEEKS = 52
EVENT_FIELDS = ("kind", "name", "starts_at", "duration_minutes", "distance_m", "priority", "is_key")


def _clean_and_save(event: RunEvent) -> RunEvent:
    if event.kind != RunEvent.Kind.RACE:
        event.priority = ""
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def run_event_create(*, athlete: Athlete, **fields) -> RunEvent:
    """Add a race or run session (fields of RunEvent; `starts_at` aware)."""
    event = _clean_and_save(RunEvent(athlete=athlete, **fields))
    athlete_schedule_changed(athlete.pk)
    return event


@transaction.atomic
def run_event_update(*, event: RunEvent, **fields) -> RunEvent:
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise ValueError(f"{name} is not an editable run event field")
        setattr(event, name, value)
    _clean_and_save(event)
    athlete_schedule_changed(event.athlete_id)
    return event


@transaction.atomic
def run_event_delete(*, event: RunEvent) -> None:
    athlete_id = event.athlete_id
    event.delete()
    athlete_schedule_changed(athlete_id)


@transaction.atomic
def run_events_create_weekly(
    *,
    athlete: Athlete,
    weekday: int,
    time_of_day: dt.time,
    first_date: dt.date,
    weeks: int,
    **fields,
) -> list[RunEvent]:
    """A weekly pattern: one event on `weekday` at `time_of_day` (athlete's zone) for `weeks`
    weeks from the first such weekday on or after `first_date` — e.g. intervals every Tuesday."""
    if not 1 <= weeks <= MAX_PATTERN_WEEKS:
        raise ValidationError({"weeks": f"Between 1 and {MAX_PATTERN_WEEKS} weeks."})
    first = first_date + dt.timedelta(days=(weekday - first_date.weekday()) % 7)
    events = []
    for week in range(weeks):
        date = first + dt.timedelta(weeks=week)
        event = RunEvent(
            athlete=athlete,
            starts_at=dt.datetime.combine(date, time_of_day, tzinfo=athlete.tz),
            **fields,
        )
        if event.kind != RunEvent.Kind.RACE:
            event.priority = ""
        event.full_clean()
        events.append(event)
    RunEvent.objects.bulk_create(events)
    athlete_schedule_changed(athlete.pk)
    return events
