"""Putting programs on dates: assignment (with race-aware placement) and moving sessions.

Each write ends with athlete_schedule_changed, so the athlete's flags are current on the page
that follows it. The outermost ones are durable transactions (nesting one raises), as request
entry points; session_move, assignment_create and athlete_time_zone_change are also steps of
other writes (a flag's move to its suggested day, the demo data, the admin's save, the
athlete's settings page) and so run in their caller's transaction when there is one.
"""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from athletes.models import Assignment, Athlete, RunEvent, ScheduledSession, SetLog
from athletes.rules import placement
from athletes.rules.progress import week_start
from athletes.services.reminders import session_moved_notice
from athletes.tasks import athlete_schedule_changed
from programs.models import Program

# Runs this many days past a week still matter to it: a Sunday session before a Monday race,
# and an A race whose 10-day taper reaches back into the week.
LOOK_AHEAD_DAYS = placement.TAPER_DAYS + 1
# How far back to look for the race or key session a week's heavy session recovers from.
LOOK_BACK_DAYS = 14
# The dates sessions and runs may have: a calendar or a feed around year 1 or year 9999 would
# step past the last date Python can hold.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def local_start(athlete: Athlete, date: dt.date, time_of_day: dt.time | None) -> dt.datetime:
    return dt.datetime.combine(date, time_of_day or athlete.default_session_time, tzinfo=athlete.tz)


def _program_weeks(program: Program) -> dict[int, list]:
    sessions = program.sessions.select_related("slot").order_by("week", "slot__position")
    weeks = defaultdict(list)
    for session in sessions:
        weeks[session.week].append(session)
    return dict(sorted(weeks.items()))


def _place_for_athlete(athlete: Athlete, weeks: dict[int, list], start_date: dt.date):
    """Yield (program session, Placement) for every session, week by week."""
    last_week = start_date + dt.timedelta(weeks=max(weeks, default=1))
    runs = [
        e.as_spec()
        for e in RunEvent.objects.filter(
            athlete=athlete,
            starts_at__gte=local_start(
                athlete, start_date - dt.timedelta(days=LOOK_BACK_DAYS), dt.time()
            ),
            starts_at__lt=local_start(
                athlete, last_week + dt.timedelta(days=LOOK_AHEAD_DAYS), dt.time()
            ),
        )
    ]
    booked = list(
        ScheduledSession.objects.filter(
            athlete=athlete,
            status=ScheduledSession.Status.PLANNED,
            date__gte=start_date - dt.timedelta(days=7),
            date__lt=last_week + dt.timedelta(days=7),
        ).values_list("starts_at", flat=True)
    )
    for number, program_sessions in weeks.items():
        monday = start_date + dt.timedelta(weeks=number - 1)
        week_begins = local_start(athlete, monday, dt.time())
        week_runs = [
            r for r in runs if r.starts_at < week_begins + dt.timedelta(days=7 + LOOK_AHEAD_DAYS)
        ]
        previous_keys = [
            r.starts_at for r in runs if r.counts_for_freshness and r.starts_at < week_begins
        ]
        usual_days = placement.usual_weekdays(len(program_sessions))
        specs = [
            placement.SessionSpec(
                key=session,
                name=session.name,
                intensity=session.intensity,
                duration_minutes=session.estimated_minutes,
                usual_weekday=usual_days[i],
            )
            for i, session in enumerate(program_sessions)
        ]
        placed = placement.place_week(
            week_start=monday,
            run_events=[r for r in week_runs if r.starts_at >= week_begins - dt.timedelta(days=1)],
            sessions=specs,
            freshness_window_hours=athlete.freshness_window_hours,
            tz=athlete.tz,
            session_time=athlete.default_session_time,
            previous_key_at=max(previous_keys, default=None),
            other_strength_at=booked,
        )
        for spot in placed:
            booked.append(local_start(athlete, spot.date, spot.time))
            yield spot.key, spot


def _planned_from(athletes: list[Athlete], start_date: dt.date) -> dict[Assignment, dt.date]:
    """The assignments that still have sessions planned for these athletes from `start_date`
    on, each with the last such day. A session with sets logged is under way, not planned: it
    stays whatever comes next."""
    rows = (
        ScheduledSession.objects.filter(
            athlete__in=athletes,
            status=ScheduledSession.Status.PLANNED,
            date__gte=start_date,
            set_logs__isnull=True,
        )
        .values("assignment")
        .annotate(until=Max("date"))
    )
    until = {row["assignment"]: row["until"] for row in rows}
    assignments = Assignment.objects.filter(pk__in=until).select_related("athlete__user")
    return {assignment: until[assignment.pk] for assignment in assignments}


def _overlap_message(planned: dict[Assignment, dt.date], start_date: dt.date) -> str:
    last_day = {}
    for assignment, until in planned.items():
        athlete = assignment.athlete
        last_day[athlete] = max(until, last_day.get(athlete, until))
    who = ", ".join(f"{athlete} (until {day:%a %-d %b %Y})" for athlete, day in last_day.items())
    return (
        f"Already planned from {start_date:%a %-d %b}: {who}. Tick this to replace those "
        "sessions, or start the new program after them."
    )


def _already_assigned(athlete: Athlete, start_date: dt.date) -> ValidationError:
    return ValidationError(
        {"athletes": f"{athlete} already has this program from {start_date:%a %-d %b %Y}."}
    )


@transaction.atomic
def assignment_create(
    *,
    program: Program,
    athletes: list[Athlete],
    start_date: dt.date,
    replace_planned: bool = False,
):
    """Assign `program` to each athlete from `start_date` (a Monday) and place every session.

    Each week's sessions are placed around the athlete's runs by athletes.rules.placement;
    each scheduled session keeps the placement's reason for the coach to read. Two programs
    never run on top of each other by accident: an athlete with sessions already planned from
    `start_date` on is refused, unless `replace_planned` ends those assignments from then.
    """
    if start_date.weekday() != 0:
        raise ValidationError({"start_date": "Programs start on a Monday."})
    if not athletes:
        raise ValidationError({"athletes": "Choose at least one athlete."})
    planned = _planned_from(athletes, start_date)
    if planned and not replace_planned:
        raise ValidationError({"replace_planned": _overlap_message(planned, start_date)})
    # Before anything is replaced: the same program from the same Monday is a second submit,
    # not a replacement of itself.
    twin = (
        Assignment.objects.filter(
            athlete__in=athletes, program=program, start_date=start_date, ended_at__isnull=True
        )
        .select_related("athlete__user")
        .first()
    )
    if twin is not None:
        raise _already_assigned(twin.athlete, start_date)
    for assignment in planned:
        _assignment_end(assignment, start_date)  # their athletes are re-checked below
    weeks = _program_weeks(program)
    assignments = []
    for athlete in athletes:
        if athlete.coach_id != program.coach_id:
            raise ValidationError(
                {"athletes": f"{athlete} is not coached by this program's coach."}
            )
        assignment = Assignment(athlete=athlete, program=program, start_date=start_date)
        try:
            assignment.full_clean()
        except ValidationError as error:
            if "__all__" in error.message_dict:
                raise _already_assigned(athlete, start_date) from error
            raise
        assignment.save()
        ScheduledSession.objects.bulk_create(
            ScheduledSession(
                athlete=athlete,
                assignment=assignment,
                program_session=session,
                name=session.name,
                intensity=session.intensity,
                date=spot.date,
                time_of_day=spot.time,
                starts_at=local_start(athlete, spot.date, spot.time),
                duration_minutes=session.estimated_minutes,
                placement_reason=spot.reason,
            )
            for session, spot in _place_for_athlete(athlete, weeks, start_date)
        )
        athlete_schedule_changed(athlete.pk)
        assignments.append(assignment)
    return assignments


@transaction.atomic(durable=True)
def assignment_end(*, assignment: Assignment, from_date: dt.date) -> int:
    """End `assignment` from `from_date`: its planned sessions from that day on leave the
    calendar, their flags with them. Sessions done, skipped or begun (a set logged) stay, so no
    logged training is lost. Returns how many sessions were removed.

    `ended_at` is when the program stops running: the start of `from_date` in the athlete's
    zone, or now if that has passed, so a program replaced from a later Monday still shows as
    current until then. Ending again from an earlier day brings it forward."""
    removed = _assignment_end(assignment, from_date)
    athlete_schedule_changed(assignment.athlete_id)
    return removed


@transaction.atomic
def assignments_end_for_athlete(athlete: Athlete, now: dt.datetime) -> int:
    """End every program still running or still to come for `athlete`, from their today on:
    what a change of coach does. Nestable, as a step of that change; returns how many planned
    sessions left the calendar."""
    running = athlete.assignments.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
    removed = sum(_assignment_end(assignment, athlete.today(now)) for assignment in running)
    athlete_schedule_changed(athlete.pk)
    return removed


def _assignment_end(assignment: Assignment, from_date: dt.date) -> int:
    candidates = list(
        assignment.sessions.select_for_update()
        .filter(status=ScheduledSession.Status.PLANNED, date__gte=from_date)
        .values_list("pk", flat=True)
    )
    # Read after the lock: logging locks the session too, so a set is either in by now (and
    # its session stays) or waits and finds the session gone.
    begun = set(
        SetLog.objects.filter(scheduled_session__in=candidates).values_list(
            "scheduled_session", flat=True
        )
    )
    removable = [pk for pk in candidates if pk not in begun]
    ScheduledSession.objects.filter(pk__in=removable).delete()
    ends_at = max(timezone.now(), local_start(assignment.athlete, from_date, dt.time()))
    if assignment.ended_at is None or ends_at < assignment.ended_at:
        assignment.ended_at = ends_at
        assignment.save(update_fields=["ended_at"])
    return len(removable)


@transaction.atomic
def session_move(
    *, session: ScheduledSession, date: dt.date, time_of_day: dt.time | None, by_coach: bool
) -> ScheduledSession:
    """Move a planned session to another date and time.

    The coach may move any planned session anywhere; the athlete only within the session's
    week (Monday to Sunday), so the program's weekly rhythm survives.
    """
    if session.status != ScheduledSession.Status.PLANNED:
        raise ValidationError({"date": "Only planned sessions can be moved."})
    if not by_coach and week_start(date) != week_start(session.date):
        monday = week_start(session.date)
        raise ValidationError(
            {
                "date": f"Move it within its week: {monday:%a %-d %b} to "
                f"{monday + dt.timedelta(days=6):%a %-d %b}. Ask your coach for a bigger move."
            }
        )
    time_of_day = time_of_day or session.time_of_day or session.athlete.default_session_time
    session.date = date
    session.time_of_day = time_of_day
    session.starts_at = local_start(session.athlete, date, time_of_day)
    session.placement_reason = f"Moved by {'the coach' if by_coach else 'the athlete'}"
    session.full_clean()
    session.save(
        update_fields=["date", "time_of_day", "starts_at", "placement_reason", "updated_at"]
    )
    if by_coach:
        session_moved_notice(session)
    athlete_schedule_changed(session.athlete_id)
    return session


@transaction.atomic
def athlete_time_zone_change(*, athlete: Athlete, time_zone: str) -> Athlete:
    """Move the athlete to `time_zone`, e.g. after they move from London to New York.

    A session is at a wall-clock time where the athlete lives: every session keeps its date and
    time of day (Thursday 17:30 stays Thursday 17:30), and its instant (`starts_at`) moves with
    the zone. Done sessions too, so the calendar, Today and the feed read one time for each.

    Run events keep their instant: a race starts when its organiser says, wherever the athlete
    now lives, and an imported calendar's events are instants (re-importing the same file must
    find them unchanged). They read at the new zone's local time: a 09:00 London race shows at
    04:00 in New York. A weekly run the athlete will now do at home is moved by them.

    The athlete's flags are re-checked once this is committed.
    """
    athlete.time_zone = time_zone
    athlete.full_clean()
    # The update holds the athlete's row until commit: a second change waits for this one.
    athlete.save(update_fields=["time_zone"])
    sessions = list(athlete.scheduled_sessions.select_for_update().order_by("pk"))
    for session in sessions:
        session.starts_at = local_start(athlete, session.date, session.time_of_day)
    # updated_at stays: it is when a skipped session was closed (the day it may be reopened).
    ScheduledSession.objects.bulk_update(sessions, ["starts_at"], batch_size=500)
    athlete_schedule_changed(athlete.pk)
    return athlete
