"""Reads for scheduling and calendars, scoped by owner (others' ids -> 404).

Kept apart from the shared athletes/selectors.py so parallel work touches separate files.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from athletes.models import Assignment, Athlete, Flag, RunEvent, ScheduledSession
from athletes.selectors import athlete_for_user, athlete_get_for_coach, athletes_for_coach
from programs.models import Program

FEED_HISTORY_WEEKS = 8


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    runs: list
    sessions: list
    in_range: bool  # False for the neighbouring month's days that fill a month's first/last week

    @property
    def is_empty(self):
        return not (self.runs or self.sessions)


def athlete_for_request(user, athlete_id=None):
    """The athlete a page is about: the signed-in athlete, or (with an id) one of the coach's."""
    if athlete_id is None:
        if not user.is_athlete:  # a coach on an athlete's own URL: the wrong role
            raise PermissionDenied
        return athlete_for_user(user)
    if not user.is_coach:  # an athlete on a coach's URL: the wrong role, as in views.access
        raise PermissionDenied
    return athlete_get_for_coach(user, athlete_id)


def _open_flags():
    """Each session's open flags as `session.open_flags`, for the calendar's flag badges."""
    return Prefetch(
        "flags", queryset=Flag.objects.filter(resolved_at__isnull=True), to_attr="open_flags"
    )


def calendar_days(athlete, first, last, in_range=None):
    """Every day from `first` to `last` with its runs and sessions (three queries in all)."""
    tz = athlete.tz
    runs = RunEvent.objects.filter(
        athlete=athlete,
        starts_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=tz),
        starts_at__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )
    sessions = (
        ScheduledSession.objects.filter(athlete=athlete, date__gte=first, date__lte=last)
        .order_by("date", "starts_at")
        .prefetch_related(_open_flags())
    )
    runs_by_day, sessions_by_day = defaultdict(list), defaultdict(list)
    for run in runs:
        runs_by_day[run.starts_at.astimezone(tz).date()].append(run)
    for session in sessions:
        sessions_by_day[session.date].append(session)
    in_range = in_range or (first, last)
    return [
        CalendarDay(
            date=day,
            runs=runs_by_day[day],
            sessions=sessions_by_day[day],
            in_range=in_range[0] <= day <= in_range[1],
        )
        for day in (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    ]


def _sessions_for_user(user):
    sessions = ScheduledSession.objects.select_related("athlete__user")
    if user.is_coach:
        return sessions.filter(athlete__coach=user)
    return sessions.filter(athlete__user=user)


def session_get_for_user(user, session_id):
    """A session of the signed-in athlete, or of one of the coach's athletes; else 404."""
    return get_object_or_404(_sessions_for_user(user), pk=session_id)


def run_event_get_for_user(user, event_id):
    events = RunEvent.objects.select_related("athlete__user")
    if user.is_coach:
        events = events.filter(athlete__coach=user)
    else:
        events = events.filter(athlete__user=user)
    return get_object_or_404(events, pk=event_id)


def athletes_for_assignment(coach, today: dt.date):
    """The coach's athletes, each with `planned_until`: the last day from `today` on that they
    have a strength session planned (None when nothing is), so the coach sees who is mid-block."""
    planned = Q(
        scheduled_sessions__status=ScheduledSession.Status.PLANNED,
        scheduled_sessions__date__gte=today,
    )
    return athletes_for_coach(coach).annotate(
        planned_until=Max("scheduled_sessions__date", filter=planned)
    )


def assignments_current_for_athlete(athlete, today: dt.date):
    """The athlete's assignments not ended yet (one replaced from a later Monday runs until
    then), each with `planned_left` (sessions planned from `today` on) and `planned_until` (the
    last of them)."""
    planned = Q(sessions__status=ScheduledSession.Status.PLANNED, sessions__date__gte=today)
    running = Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now())
    return (
        Assignment.objects.filter(running, athlete=athlete)
        .select_related("program")
        .annotate(
            planned_left=Count("sessions", filter=planned),
            planned_until=Max("sessions__date", filter=planned),
        )
        .order_by("start_date")
    )


def assignment_get_for_coach(coach, assignment_id):
    """An assignment of one of the coach's athletes; any other id is a 404."""
    return get_object_or_404(
        Assignment.objects.select_related("athlete__user", "program"),
        pk=assignment_id,
        athlete__coach=coach,
    )


def assignable_programs_for_coach(coach):
    return Program.objects.filter(coach=coach, archived_at__isnull=True).order_by("name")


def assignments_for_coach(coach, assignment_ids):
    """The coach's assignments among `assignment_ids`, each with its sessions in date order."""
    return (
        Assignment.objects.filter(athlete__coach=coach, pk__in=assignment_ids)
        .select_related("athlete__user", "program")
        .prefetch_related(
            Prefetch("sessions", queryset=ScheduledSession.objects.order_by("date", "starts_at"))
        )
        .order_by("athlete__user__last_name", "athlete__user__first_name", "pk")
    )


def athlete_for_feed_token(token):
    return get_object_or_404(Athlete.objects.select_related("user"), feed_token=token)


def feed_items(athlete, now=None):
    """What the iCalendar feed holds: recent and coming sessions (not skipped) and runs."""
    since = (now or timezone.now()) - dt.timedelta(weeks=FEED_HISTORY_WEEKS)
    sessions = ScheduledSession.objects.filter(athlete=athlete, starts_at__gte=since).exclude(
        status=ScheduledSession.Status.SKIPPED
    )
    runs = RunEvent.objects.filter(athlete=athlete, starts_at__gte=since)
    return sessions, runs
