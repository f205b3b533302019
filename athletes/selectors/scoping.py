"""Who may see which rows: the one place that decides, for every read that takes a user."""

from django.db.models import F, Q, QuerySet

from athletes.models import (
    Assignment,
    Athlete,
    Flag,
    RunEvent,
    ScheduledSession,
    SetLog,
    TransferTest,
)

# How each model reaches the athlete it belongs to; any other model has an `athlete` field.
ATHLETE_PATHS = {Athlete: "", SetLog: "scheduled_session__athlete__"}

# The moment each row of training is at: a coach who took an athlete over from another coach
# sees the rows from the move on (Athlete.coached_since), the earlier ones were not theirs.
MOMENTS = {
    Assignment: "created_at",
    ScheduledSession: "starts_at",
    SetLog: "scheduled_session__starts_at",
    Flag: "scheduled_session__starts_at",
    RunEvent: "starts_at",
    TransferTest: "created_at",
}


def owned_by(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `user` may see: a coach their athletes' (from the moment
    they took each one over), an athlete their own, anyone else (an admin, a user without a
    role) none — so an id outside them is a 404.
    """
    path = ATHLETE_PATHS.get(queryset.model, "athlete__")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_coach:
        mine = queryset.filter(**{f"{path}coach": user})
        moment = MOMENTS.get(queryset.model)
        if moment is None:
            return mine
        since = f"{path}coached_since"
        return mine.filter(Q(**{f"{since}__isnull": True}) | Q(**{f"{moment}__gte": F(since)}))
    if user.is_athlete:
        return queryset.filter(**{f"{path}user": user})
    return queryset.none()
