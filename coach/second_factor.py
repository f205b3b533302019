"""Staff must have a second factor before the admin opens for them, and must have given it in
this session."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def second_factor_given(request) -> bool:
    """Did this session's sign-in (or a later re-authentication) include a code from the
    authenticator app or a recovery code? Having an app is not enough: a session signed in
    before the app was turned on never gave one."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


class StaffSecondFactorMiddleware:
    """A staff account that asks for an admin page is sent to set up an authenticator app
    first when it has none (allauth's page), or asked for a code when this session has not
    given one yet, and told why. Since the admin signs in through our login page
    (coach.views.admin_login), staff give their code each time they log in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
        ):
            if not is_mfa_enabled(user):
                messages.warning(
                    request,
                    "Staff accounts need two-factor authentication before the admin opens: "
                    "set up an authenticator app below.",
                )
                return redirect("mfa_activate_totp")
            if not second_factor_given(request):
                messages.info(
                    request,
                    "Enter a code from your authenticator app to open the admin.",
                )
                query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)
