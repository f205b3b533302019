"""Reads behind calendars, assignment and the iCalendar feed: the athlete's days, runs,
sessions and programs, scoped by owner (others' ids -> 404)."""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from athletes.models import Assignment, Flag, RunDone, RunEvent, ScheduledSession
from athletes.rules.progress import week_start
from athletes.selectors.roster import athletes_for_coach
from athletes.selectors.scoping import owned_by
from programs.models import Program

FEED_HISTORY_WEEKS = 8
UPCOMING_SESSIONS_SHOWN = 10
UPCOMING_EVENTS_SHOWN = 5


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    runs: list
    sessions: list
    in_range: bool  # False for the neighbouring month's days that fill a month's first/last week
    runs_done: list = field(default_factory=list)  # unplanned: a planned run's is `run.done`

    @property
    def is_empty(self):
        return not (self.runs or self.sessions or self.runs_done)


def _open_flags():
    """Each session's open flags as `session.open_flags`, for the calendar's flag badges."""
    return Prefetch(
        "flags", queryset=Flag.objects.filter(resolved_at__isnull=True), to_attr="open_flags"
    )


def calendar_days(athlete, first, last, in_range=None):
    """Every day from `first` to `last` with its runs (each planned one with the run that did
    it, `run.done`, if any), unplanned runs done, and sessions (four queries in all)."""
    tz = athlete.tz
    between = {
        "starts_at__gte": dt.datetime.combine(first, dt.time(), tzinfo=tz),
        "starts_at__lt": dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    }
    runs = RunEvent.objects.filter(athlete=athlete, **between).select_related("done")
    unplanned = RunDone.objects.filter(
        athlete=athlete,
        run_event__isnull=True,
        started_at__gte=between["starts_at__gte"],
        started_at__lt=between["starts_at__lt"],
    )
    sessions = (
        ScheduledSession.objects.filter(athlete=athlete, date__gte=first, date__lte=last)
        .order_by("date", "starts_at")
        .prefetch_related(_open_flags())
    )
    runs_by_day, sessions_by_day, done_by_day = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
    )
    for run in runs:
        runs_by_day[athlete.date_at(run.starts_at)].append(run)
    for run in unplanned:
        done_by_day[athlete.date_at(run.started_at)].append(run)
    for session in sessions:
        sessions_by_day[session.date].append(session)
    in_range = in_range or (first, last)
    return [
        CalendarDay(
            date=day,
            runs=runs_by_day[day],
            sessions=sessions_by_day[day],
            in_range=in_range[0] <= day <= in_range[1],
            runs_done=done_by_day[day],
        )
        for day in (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    ]


def month_weeks(athlete, month: dt.date) -> list[list[CalendarDay]]:
    """The month of `month` as calendar weeks, Monday first, with the neighbouring months'
    days that fill its first and last week (for the month-grid partial of
    athletes/calendar_month.html)."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = calendar_days(
        athlete, week_start(first), week_start(last) + dt.timedelta(days=6), in_range=(first, last)
    )
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def sessions_upcoming(athlete, limit=UPCOMING_SESSIONS_SHOWN, now=None):
    """The athlete's next planned sessions, from today in the athlete's own time zone (a
    session earlier today stays listed until it is logged or skipped)."""
    return ScheduledSession.objects.filter(
        athlete=athlete, status=ScheduledSession.Status.PLANNED, date__gte=athlete.today(now)
    ).order_by("date", "starts_at")[:limit]


def run_events_key_upcoming(athlete, limit=UPCOMING_EVENTS_SHOWN, now=None):
    """The athlete's next races and key run sessions."""
    now = now or timezone.now()
    return RunEvent.objects.filter(
        Q(kind=RunEvent.Kind.RACE) | Q(is_key=True), athlete=athlete, starts_at__gte=now
    ).order_by("starts_at")[:limit]


def run_event_get_for_user(user, event_id):
    """A run of the signed-in athlete, or of one of the coach's athletes (with the run done as
    it, if any); else 404."""
    return get_object_or_404(
        owned_by(user, RunEvent.objects.select_related("athlete__user", "done")), pk=event_id
    )


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
        owned_by(coach, Assignment.objects.select_related("athlete__user", "program")),
        pk=assignment_id,
    )


def assignable_programs_for_coach(coach):
    return Program.objects.filter(coach=coach, archived_at__isnull=True).order_by("name")


def assignments_for_coach(coach, assignment_ids):
    """The coach's assignments among `assignment_ids`, each with its sessions in date order."""
    return (
        owned_by(coach, Assignment.objects.filter(pk__in=assignment_ids))
        .select_related("athlete__user", "program")
        .prefetch_related(
            Prefetch("sessions", queryset=ScheduledSession.objects.order_by("date", "starts_at"))
        )
        .order_by("athlete__user__last_name", "athlete__user__first_name", "pk")
    )


def feed_items(athlete, now=None):
    """What the iCalendar feed holds: recent and coming sessions (not skipped) and runs."""
    since = (now or timezone.now()) - dt.timedelta(weeks=FEED_HISTORY_WEEKS)
    sessions = ScheduledSession.objects.filter(athlete=athlete, starts_at__gte=since).exclude(
        status=ScheduledSession.Status.SKIPPED
    )
    runs = RunEvent.objects.filter(athlete=athlete, starts_at__gte=since)
    return sessions, runs
