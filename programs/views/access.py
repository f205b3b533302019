"""The builder is the coach's: other roles get a 403. Ownership (others' ids -> 404) is the
selectors' job."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def coach_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_coach:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
