"""Staff must have a second factor before the admin opens for them."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class StaffSecondFactorMiddleware:
    """A staff account without two-factor authentication that asks for an admin page is sent
    to set up an authenticator app first (allauth's page), and told why. Since the admin signs
    in through our login page (coach.views.admin_login), staff then give their code each time
    they log in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                "Staff accounts need two-factor authentication before the admin opens: "
                "set up an authenticator app below.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
