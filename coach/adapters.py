"""How django-allauth fits Coach: who may sign up and as what, how its mail leaves, and which
second factors may be turned off."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from coach import services
from coach.models import User


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The words Django's own login form used, so nobody learns a new sentence.
        "username_password_mismatch": (  # nosec B105: a message, not a password
            "Please enter a correct username and password. Note that both may be case-sensitive."
        ),
        "email_password_mismatch": (  # nosec B105: a message, not a password
            "Please enter a correct email address and password."
        ),
        # Says that the address is taken, never by whom.
        "email_taken": (
            "An account already uses this email address. If it is yours, log in or reset "
            "your password."
        ),
    }

    def save_user(self, request, user, form, commit=True):
        """Signing up makes a coach: athletes join through their coach's invitation."""
        user.role = User.Role.COACH
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        """Rendered now, while the request is at hand (its links need the host), and sent by a
        worker through the outbox: a mail server that is slow or down never turns a sign-up or
        a reset into an error page, and the message waits instead of being lost."""
        request = self.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        services.account_email_enqueue(message)

    def get_password_change_redirect_url(self, request):
        return reverse("password_change_done")


class SecondFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "Staff accounts keep two-factor authentication on: the admin opens only with it."
        ),
    }

    def can_delete_authenticator(self, authenticator):
        return not authenticator.user.is_staff
