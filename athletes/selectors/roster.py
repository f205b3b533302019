"""Who a page is about: the coach's athletes, the signed-in athlete, and the roster list."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from athletes.models import Athlete, Handover, RunEvent, ScheduledSession, SetLog
from athletes.selectors.scoping import owned_by

# A roster listing's page (the dashboard's, the athletes page's) and its search box.
ROWS_PER_PAGE = 50
SEARCH_MAX_LENGTH = 100


def search_text(raw: str) -> str:
    """What a roster searches for: the box's text, trimmed and cut to SEARCH_MAX_LENGTH, without
    NUL characters, which PostgreSQL refuses in any text (an address, not input to correct: an
    odd one is cleaned, not refused)."""
    return raw.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]


def name_search(query: str) -> Q:
    """Athletes whose first name, last name, username or email holds every word of `query`."""
    condition = Q()
    for word in query.split():
        condition &= (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__username__icontains=word)
            | Q(user__email__icontains=word)
        )
    return condition


def athletes_for_coach(coach):
    """The coach's own athletes, with their user rows."""
    return owned_by(coach, Athlete.objects.select_related("user"))


def athlete_get_for_coach(coach, athlete_id):
    """One of the coach's athletes; anyone else's athlete id is a 404."""
    return get_object_or_404(athletes_for_coach(coach), pk=athlete_id)


def athlete_for_user(user):
    """The signed-in athlete's own profile; 404 for a user without one. The user read at sign-in
    brings it along (coach.auth_backends.AccountBackend); any other user reads it here."""
    try:
        return user.athlete
    except Athlete.DoesNotExist:
        raise Http404("No athlete profile for this user.") from None


def athlete_for_request(user, athlete_id=None):
    """The athlete a page is about: the signed-in athlete, or (with an id) one of the coach's."""
    if athlete_id is None:
        if not user.is_athlete:  # a coach on an athlete's own URL: the wrong role
            raise PermissionDenied
        return athlete_for_user(user)
    if not user.is_coach:  # an athlete on a coach's URL: the wrong role, as in web.access
        raise PermissionDenied
    return athlete_get_for_coach(user, athlete_id)


def athletes_for_coach_with_next(coach, now=None):
    """The coach's roster in one query: each athlete's next planned session and next race
    as annotations (next_session_name/_starts_at/_intensity, next_race_name/_starts_at)."""
    now = now or timezone.now()
    next_session = ScheduledSession.objects.filter(
        athlete=OuterRef("pk"), status=ScheduledSession.Status.PLANNED, starts_at__gte=now
    ).order_by("starts_at")
    next_race = RunEvent.objects.filter(
        athlete=OuterRef("pk"), kind=RunEvent.Kind.RACE, starts_at__gte=now
    ).order_by("starts_at")
    return athletes_for_coach(coach).annotate(
        next_session_name=Subquery(next_session.values("name")[:1]),
        next_session_starts_at=Subquery(next_session.values("starts_at")[:1]),
        next_session_intensity=Subquery(next_session.values("intensity")[:1]),
        next_race_name=Subquery(next_race.values("name")[:1]),
        next_race_starts_at=Subquery(next_race.values("starts_at")[:1]),
    )


def athlete_for_feed_token(token):
    """The athlete behind a calendar feed link; an unknown token is a 404."""
    return get_object_or_404(Athlete.objects.select_related("user"), feed_token=token)


def coach_by_name_or_email(name_or_email: str):
    """The coach a coach names by username or email address (any case), or None."""
    text = name_or_email.strip()
    user_model = get_user_model()
    return (
        user_model.objects.filter(role=user_model.Role.COACH, is_active=True)
        .filter(Q(username__iexact=text) | Q(email__iexact=text))
        .first()
    )


def handovers_for_coach(coach):
    """The athletes other coaches offered to `coach`, oldest offer first."""
    return Handover.objects.filter(to_coach=coach).select_related("athlete__user", "from_coach")


def handover_offered(coach, athlete):
    """The offer `coach` made of `athlete` to another coach, or None."""
    return (
        Handover.objects.filter(athlete=athlete, from_coach=coach)
        .select_related("to_coach")
        .first()
    )


def former_athletes_for_coach(coach):
    """Athletes who trained on `coach`'s programs and are no longer on their roster (moved to
    another coach or removed): the coach keeps, read-only, the history they coached."""
    return (
        Athlete.objects.filter(scheduled_sessions__assignment__program__coach=coach)
        .exclude(coach=coach)
        .select_related("user")
        .distinct()
    )


def former_athlete_history(coach, athlete_id):
    """(athlete, sessions): a former athlete of `coach` and the sessions of `coach`'s programs
    they were given, newest first, each with its sets (`sets`); another coach's athlete or one
    who never trained with `coach` is a 404."""
    athlete = get_object_or_404(former_athletes_for_coach(coach), pk=athlete_id)
    sessions = (
        ScheduledSession.objects.filter(athlete=athlete, assignment__program__coach=coach)
        .order_by("-starts_at")
        .prefetch_related(
            Prefetch(
                "set_logs",
                queryset=SetLog.objects.select_related("exercise").order_by("logged_at"),
                to_attr="sets",
            )
        )
    )
    return athlete, sessions
