"""Who may see which rows: the one place that decides, for every read that takes a user."""

from django.db.models import QuerySet

from athletes.models import Athlete, SetLog

# How each model reaches the athlete it belongs to; any other model has an `athlete` field.
ATHLETE_PATHS = {Athlete: "", SetLog: "scheduled_session__athlete__"}


def owned_by(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `user` may see: a coach their athletes', an athlete their
    own, anyone else (an admin, a user without a role) none — so an id outside them is a 404.
    """
    path = ATHLETE_PATHS.get(queryset.model, "athlete__")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_coach:
        return queryset.filter(**{f"{path}coach": user})
    if user.is_athlete:
        return queryset.filter(**{f"{path}user": user})
    return queryset.none()
