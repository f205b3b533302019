"""What every view of ours does with a request before and after its app's own work: keep each
role to its pages, read ids out of posted values, send the user back only to our own pages, tell
a script from a browser, and answer a form that did not validate.

A package of its own at the bottom of the import layers (coach -> athletes -> programs ->
outbox -> web) rather than in `programs`: the role gates and redirects are about requests and
users, not programs, and `athletes` and `coach` use them as much as the builder does. It
imports no app of ours.

Ownership is not decided here: the selectors scope their querysets (another user's ids -> 404);
these gates only keep a role off another role's pages (a wrong role -> 403).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme

# The largest primary key the database holds: a bigger number names nothing.
MAX_ID = 2**63 - 1

# A form the user can correct: the page again, with a message next to each field (htmx swaps
# a 422 in place, static/js/builder.js).
FORM_INVALID = 422
# A form whose hidden fields (values our page filled in, never typed) are wrong: a tampered or
# broken request, not a mistake the user can see to correct.
BAD_REQUEST = 400


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


def looks_like_id(value) -> bool:
    """Plain ASCII digits: what our pages post as an id. ("²" and "٣" are digits to
    str.isdigit, and int() takes "٣" or " 3", but no page of ours sends them.)"""
    return isinstance(value, str) and value.isascii() and value.isdecimal()


def parse_id(value) -> int | None:
    """The primary key `value` names, or None when it names none (not plain digits, or larger
    than any key)."""
    if not looks_like_id(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The ids among `values` (a query string's or a post's list), anything else left out."""
    return [number for number in map(parse_id, values) if number is not None]


def next_url_or(request, fallback: str) -> str:
    """The `next` the page sent (posted, else in the query string) when it is one of our own
    pages, over HTTPS when the request came over HTTPS; else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def wants_json(request) -> bool:
    """A script asking (the calendar's drag, the phone's logging queue), not a page posting."""
    return "application/json" in request.headers.get("Accept", "")


def form_error_status(form) -> int:
    """The status for a page that shows `form` again with its errors: 422, or 400 when a
    hidden field is wrong."""
    if any(form[name].is_hidden for name in form.errors if name in form.fields):
        return BAD_REQUEST
    return FORM_INVALID
