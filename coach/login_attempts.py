"""Failed sign-ins, counted in the database (so signing in works while Redis is down), and the
two limits on them: a username from one address is locked after LOGIN_FAILURE_LIMIT failures
for LOGIN_COOLOFF_MINUTES (axes' own count); an address is stopped after
LOGIN_ADDRESS_FAILURE_LIMIT failures within LOGIN_ADDRESS_WINDOW across any usernames (password
spraying, which the per-username count never sees). Either answers the same 429 page."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import render


class LoginAttemptHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_is_stopped(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches the address's limit is answered with the lockout page
        # already, as axes answers the one that reaches a username's.
        if request is not None and not request.axes_locked_out and address_is_stopped(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def address_is_stopped(request) -> bool:
    """Has the request's address failed LOGIN_ADDRESS_FAILURE_LIMIT times within the window?"""
    since = request.axes_attempt_time - settings.LOGIN_ADDRESS_WINDOW
    failures = AccessFailureLog.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=since
    )
    return failures.count() >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def attempted_username(request, credentials=None) -> str:
    """The account a sign-in was for, however it was named — username or email address, in any
    case — so that wrong passwords and wrong two-factor codes for one account share one count.
    A name no account has is counted as typed (lower-cased)."""
    typed = ((credentials or {}).get("username") or "").strip()
    if not typed:
        return ""
    account = (
        get_user_model()
        .objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
        .order_by("pk")
        .values_list("username", flat=True)
        .first()
    )
    return account or typed.lower()


def lockout_response(request, original_response=None, credentials=None):
    """The 429 page for a stopped sign-in, saying how long to wait for the limit that stopped
    it. allauth's own limits (sign-ups, reset emails) answer the same page, coach.views."""
    by_address = address_is_stopped(request)
    if by_address:
        wait = _in_words(settings.LOGIN_ADDRESS_WINDOW)
    else:
        wait = _in_words(settings.AXES_COOLOFF_TIME)
    return render(
        request,
        "429.html",
        {"sign_in": True, "wait": wait, "by_address": by_address},
        status=429,
    )


def _in_words(duration) -> str:
    minutes = int(duration.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return "an hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def client_ip(request) -> str | None:
    """The address a sign-in came from: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies of
    ours, the address the outermost one saw — X-Forwarded-For counted from the right, since
    whatever stands further left the client may have written itself. Without this, every
    sign-in behind a proxy would come from the proxy, and the address limit stop everyone."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote
