"""Site-wide views: the home redirect by role, the account page, invitations and joining
through one, the pages around allauth's (the 429 page, the admin's sign-in), and the health
check."""

from allauth.account.models import EmailAddress
from allauth.account.utils import has_verified_email
from allauth.mfa.utils import is_mfa_enabled
from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from coach import health, selectors, services
from coach.forms import InvitationForm, JoinForm
from programs.forms import add_service_error
from web.access import coach_required, form_error_status


@require_GET
def home(request):
    """Everyone starts on their own page: coaches on their roster dashboard, athletes on Today
    (the session to log now), staff in the admin."""
    user = request.user
    if user.is_coach:
        return redirect("dashboard")
    if user.is_athlete:
        return redirect("athletes:session-today")
    if user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied("This account has no role yet.")


@require_GET
def account_overview(request):
    """One page for what belongs to the account: its email address, password and (for coaches
    and staff) two-factor authentication."""
    user = request.user
    return render(
        request,
        "coach/account.html",
        {
            "email_address": EmailAddress.objects.filter(user=user).order_by("-primary").first(),
            "offers_second_factor": user.is_coach or user.is_staff,
            "second_factor_on": is_mfa_enabled(user),
        },
    )


@require_GET
def password_change_done(request):
    return render(request, "registration/password_change_done.html")


@login_not_required
def too_many_requests(request):
    """allauth's rate limits (sign-ups, reset emails, code requests) answer this 429 page, the
    one a locked sign-in gets too (coach/login_attempts.py)."""
    return render(request, "429.html", status=429)


@login_not_required
@require_GET
def admin_login(request):
    """The admin signs in through our login page, which asks staff for their second factor
    (Django's own admin login would not). Someone signed in who is not staff is refused here,
    rather than sent back and forth between the admin and the login page."""
    if request.user.is_staff:
        return redirect("admin:index")
    if request.user.is_authenticated:
        raise PermissionDenied("The admin is for staff.")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def _invitation_list_page(request, form, status=200):
    invitations = [
        (
            invitation,
            request.build_absolute_uri(reverse("invitation-accept", args=[invitation.token])),
        )
        for invitation in selectors.invitations_for_coach(request.user)
    ]
    return render(
        request,
        "coach/invitation_list.html",
        {
            "form": form,
            "invitations": invitations,
            "invitation_valid_days": settings.INVITATION_VALID_FOR.days,
            "email_verified": has_verified_email(request.user),
            "email": request.user.email,
        },
        status=status,
    )


@require_GET
@coach_required
def invitation_list(request):
    return _invitation_list_page(request, InvitationForm())


@require_POST
@coach_required
def invitation_create(request):
    form = InvitationForm(request.POST)
    if not has_verified_email(request.user):
        # The service refuses too; the page says why, and how to send the link again.
        return _invitation_list_page(request, InvitationForm(), status=403)
    if form.is_valid():
        try:
            services.invitation_create(coach=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "Invitation created. Copy its link and send it to your athlete."
            )
            return redirect("invitation-list")
    return _invitation_list_page(request, form, status=form_error_status(form))


def _invitation_gone(request):
    return render(request, "coach/invitation_closed.html", status=410)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = selectors.invitation_get_by_token(token)
    if not invitation.is_open():
        return _invitation_gone(request)
    form = JoinForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, **form.account_details())
        except services.InvitationUnavailable:
            return _invitation_gone(request)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            login(request, user, backend="coach.auth_backends.AccountBackend")
            EmailAddress.objects.get_primary(user).send_confirmation(request, signup=True)
            messages.success(
                request,
                "Welcome to Coach! Your coach will plan your sessions here. We emailed you a "
                "link to confirm your address.",
            )
            return redirect("home")
    status = form_error_status(form) if form.is_bound else 200
    return render(
        request, "coach/join.html", {"form": form, "invitation": invitation}, status=status
    )


@require_POST
def invitation_accept_signed_in(request, token):
    """ "I already have an account": a signed-in athlete follows another coach's invitation and
    moves to that coach (a retried post moves them once)."""
    selectors.invitation_get_by_token(token)  # an unknown token: 404
    try:
        athlete = services.invitation_accept_signed_in(token=token, user=request.user)
    except services.InvitationUnavailable:
        return _invitation_gone(request)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    coach = athlete.coach
    messages.success(
        request,
        f"You now train with {coach.get_full_name() or coach.username}. Your history stays "
        "yours; your new coach sees your training from today.",
    )
    return redirect("home")


@login_not_required
@require_safe
@never_cache
@csp_exempt()
def healthz(request):
    """For load balancers and container health checks, without sign-in: 200 while this process
    can serve (status "ok", or "degraded" when only Redis is not answering), 503 when its
    database is down. Names no host and no user (coach/health.py)."""
    report = health.health_report()
    return JsonResponse(report.as_dict(), status=503 if report.status == "down" else 200)
