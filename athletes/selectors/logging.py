"""Reads behind logging: the session to do today, its prescriptions and sets, what was lifted
last time, and the athlete's history."""

import datetime as dt

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, FirstValue, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from athletes.models import OneRepMax, ScheduledSession, SetLog
from athletes.selectors.scoping import owned_by
from programs.models import Exercise, ProgramPrescription


def session_get_for_user(user, session_id):
    """A session of the signed-in athlete, or of one of the coach's athletes; else 404."""
    return get_object_or_404(
        owned_by(user, ScheduledSession.objects.select_related("athlete__user")), pk=session_id
    )


def _completed_on(day, tz):
    """Completed on `day` in the athlete's zone (whatever day it was planned for)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return Q(completed_at__gte=start, completed_at__lt=end)


def sessions_for_today(athlete, now=None):
    """(the session to do now, the one before it if it is still open).

    The session to do now is today's — planned for today, or completed today whatever day it
    was planned for (an open one first) — else the next planned one. Each is annotated with
    `is_today`.
    """
    today = athlete.today(now)
    mine = ScheduledSession.objects.filter(athlete=athlete).select_related("athlete__user")
    is_today = Q(date=today) | _completed_on(today, athlete.tz)
    candidates = list(
        mine.filter(is_today | Q(date__gt=today, status=ScheduledSession.Status.PLANNED))
        .annotate(is_today=is_today, open_first=Q(status=ScheduledSession.Status.PLANNED))
        # Not completed is not completed today: a NULL, which must not sort first.
        .order_by(F("is_today").desc(nulls_last=True), "-open_first", "date", "starts_at")[:1]
    )
    current = candidates[0] if candidates else None
    previous = mine.filter(date__lt=today).order_by("-date", "-starts_at").first()
    if previous is not None and previous.status != ScheduledSession.Status.PLANNED:
        previous = None
    return current, previous


def prescriptions_for_session(session):
    """The session's own prescriptions (its program snapshot), in order, with exercises."""
    return ProgramPrescription.objects.filter(session_id=session.program_session_id).select_related(
        "exercise"
    )


def set_logs_for_session(session):
    return SetLog.objects.filter(scheduled_session=session).order_by("set_number", "side")


def set_logs_last_time(athlete, session, exercise_ids):
    """For each exercise, its sets from the athlete's other session that logged it most recently
    before this one was begun (before now while it has no sets): by when the sets were done,
    whatever days the sessions were planned for. One query, however many exercises or
    sessions were logged."""
    begun_at = SetLog.objects.filter(scheduled_session=session).order_by("logged_at")
    before = Coalesce(
        Subquery(begun_at.values("logged_at")[:1]),
        Value(timezone.now(), output_field=DateTimeField()),
    )
    return (
        SetLog.objects.filter(
            scheduled_session__athlete=athlete, exercise_id__in=exercise_ids, logged_at__lte=before
        )
        .exclude(scheduled_session=session)
        # Each exercise's latest session in one pass; a correlated subquery per set took
        # seconds once an athlete had a season of logs.
        .annotate(
            last_session=Window(
                FirstValue("scheduled_session_id"),
                partition_by=F("exercise_id"),
                order_by=[
                    F("logged_at").desc(),
                    F("scheduled_session__starts_at").desc(),
                    F("scheduled_session_id").desc(),
                ],
            )
        )
        .filter(scheduled_session_id=F("last_session"))
        .order_by("set_number", "side")
    )


def one_rep_maxes_for(athlete, exercise_ids):
    """The athlete's tested maxes of `exercise_ids`."""
    return OneRepMax.objects.filter(athlete=athlete, exercise_id__in=exercise_ids)


def set_estimate_candidates(athlete, exercise_ids, since, most_reps):
    """The sets of `exercise_ids` logged since `since` that an estimated max can come from (a
    load, 1 to `most_reps` reps), as rows of exercise_id, load_unit, reps and `heaviest`: an
    estimate only grows with the load, so each exercise's best is among these few rows,
    however many sets were logged."""
    return (
        SetLog.objects.filter(
            scheduled_session__athlete=athlete,
            exercise_id__in=exercise_ids,
            logged_at__gte=since,
            load_entered__gt=0,
            reps__gte=1,
            reps__lte=most_reps,
        )
        .values("exercise_id", "load_unit", "reps")
        .annotate(heaviest=Max("load_entered"))
        .order_by()
    )


def session_done_on(tz, path=""):
    """The day a session was done, as a query expression: the day it was completed, in the
    athlete's zone `tz`; until then (or when skipped) the day it was planned for. `path` reaches
    the session from another model ("scheduled_session__")."""
    return Coalesce(TruncDate(f"{path}completed_at", tzinfo=tz), f"{path}date")


def _is_history():
    """Done, skipped or begun (a set logged): history from that moment, whatever day the
    session was planned for."""
    begun = SetLog.objects.filter(scheduled_session=OuterRef("pk"))
    return ~Q(status=ScheduledSession.Status.PLANNED) | Exists(begun)


def _newest_first(sessions, tz):
    """Newest first by when they were done (by when planned while not completed), each with
    `done_on`."""
    return sessions.annotate(done_on=session_done_on(tz)).order_by(
        Coalesce("completed_at", "starts_at").desc(), "-pk"
    )


def sessions_history_for_athlete(athlete):
    """The athlete's sessions done, skipped or begun, newest first, each with `done_on`."""
    sessions = ScheduledSession.objects.filter(_is_history(), athlete=athlete)
    return _newest_first(sessions, athlete.tz)


# History lists this many sessions a page: about a block, two a week.
HISTORY_SESSIONS_PER_PAGE = 20


def sessions_past_for_athlete(athlete, now=None):
    """The athlete's history (sessions done, skipped or begun, whatever day they were planned
    for) and the sessions planned up to today left open, newest first, each with `done_on`
    and how many sets it logged: slice it for a page."""
    today = athlete.today(now)
    sessions = ScheduledSession.objects.filter(Q(date__lte=today) | _is_history(), athlete=athlete)
    # Counted by a subquery, which the database runs for the sessions of the slice only; a
    # join counted every set of every session before the newest were picked.
    sets_logged = (
        SetLog.objects.filter(scheduled_session=OuterRef("pk"))
        .order_by()
        .values("scheduled_session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return _newest_first(
        sessions.annotate(sets_logged=Coalesce(Subquery(sets_logged), 0)), athlete.tz
    )


def set_logs_for_athlete(athlete):
    """Every set the athlete logged, with its exercise and session, newest session first."""
    return (
        SetLog.objects.filter(scheduled_session__athlete=athlete)
        .select_related("exercise", "scheduled_session")
        .order_by("-scheduled_session__starts_at", "set_number", "side")
    )


def set_tallies_for_athlete(athlete):
    """The athlete's sets counted by exercise, unit the load was entered in and number of reps:
    rows of exercise_id, load_unit, reps, `sets` and `heaviest` (the heaviest load entered, or
    None). One pass of the database over their sets, however many were logged; an estimated
    1RM only grows with the load, so each exercise's best is among these few rows."""
    return (
        SetLog.objects.filter(scheduled_session__athlete=athlete)
        .values("exercise_id", "load_unit", "reps")
        .annotate(sets=Count("pk"), heaviest=Max("load_entered"))
        .order_by()
    )


def exercises_with_last_logged(athlete, exercise_ids):
    """The exercises of `exercise_ids`, each with `last`: the day planned for the athlete's
    newest session (by when it was planned to start) that logged it, found by the sessions'
    start index, not by reading their sets."""
    newest = SetLog.objects.filter(
        scheduled_session__athlete=athlete, exercise=OuterRef("pk")
    ).order_by("-scheduled_session__starts_at")
    return Exercise.objects.filter(pk__in=exercise_ids).annotate(
        last=Subquery(newest.values("scheduled_session__date")[:1])
    )


def exercise_get_for_history(athlete, exercise_id):
    """An exercise whose history the athlete may open: a published one, or one they have
    logged. Anyone else's proposed (private) exercise is a 404, so its name stays theirs."""
    logged = SetLog.objects.filter(scheduled_session__athlete=athlete, exercise=OuterRef("pk"))
    return get_object_or_404(
        Exercise.objects.filter(Q(status=Exercise.Status.PUBLISHED) | Exists(logged)),
        pk=exercise_id,
    )
