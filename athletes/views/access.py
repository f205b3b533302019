"""Role gates for views. Ownership is the selectors' job (others' ids -> 404); these only keep
each role to its own pages (a wrong role -> 403)."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def _role_required(role_check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not role_check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


coach_required = _role_required(lambda user: user.is_authenticated and user.is_coach)
athlete_required = _role_required(lambda user: user.is_authenticated and user.is_athlete)

# Pages both roles use on their own rows (moving a session, editing a run): admins get 403.
coach_or_athlete_required = _role_required(
    lambda user: user.is_authenticated and (user.is_coach or user.is_athlete)
)
