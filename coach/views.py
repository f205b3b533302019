"""Site-wide views: the home redirect by role, invitations and joining through one, and the
health check."""

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Coach! Your coach will plan your sessions here.")
            return redirect("home")
    status = form_error_status(form) if form.is_bound else 200
    return render(
        request, "coach/join.html", {"form": form, "invitation": invitation}, status=status
    )


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
