"""Putting programs on dates: assignment and placement (issue #4 grows this)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import Assignment, Athlete, ScheduledSession
from athletes.services.flagging import athlete_schedule_changed
from programs.models import Program

PLAIN_WEEKDAYS = (0, 3, 5, 1, 4, 6, 2)  # Mon, Thu, Sat, … until placement knows the running week


def local_start(athlete: Athlete, date: dt.date, time_of_day: dt.time | None) -> dt.datetime:
    return dt.datetime.combine(date, time_of_day or athlete.default_session_time, tzinfo=athlete.tz)


@transaction.atomic
def assignment_create(*, program: Program, athletes: list[Athlete], start_date: dt.date):
    """Assign `program` to each athlete from `start_date` (a Monday) and schedule every session."""
    if start_date.weekday() != 0:
        raise ValidationError({"start_date": "Programs start on a Monday."})
    sessions = list(program.sessions.select_related("slot").order_by("week", "slot__position"))
    assignments = []
    for athlete in athletes:
        assignment = Assignment(athlete=athlete, program=program, start_date=start_date)
        assignment.full_clean()
        assignment.save()
        rows = []
        for session in sessions:
            date = start_date + dt.timedelta(
                weeks=session.week - 1, days=PLAIN_WEEKDAYS[session.slot.position % 7]
            )
            rows.append(
                ScheduledSession(
                    athlete=athlete,
                    assignment=assignment,
                    program_session=session,
                    name=session.name,
                    intensity=session.intensity,
                    date=date,
                    time_of_day=athlete.default_session_time,
                    starts_at=local_start(athlete, date, athlete.default_session_time),
                    duration_minutes=session.estimated_minutes,
                )
            )
        ScheduledSession.objects.bulk_create(rows)
        athlete_schedule_changed(athlete.pk)
        assignments.append(assignment)
    return assignments
