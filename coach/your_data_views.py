""" "Your data": download it all as a zip, delete the account; for a coach, the athletes other
coaches hand over to them."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from athletes.models import Athlete
from athletes.selectors.roster import handovers_for_coach
from athletes.your_data import your_data_zip
from coach import services
from coach.forms import AccountDeleteForm
from programs.forms import add_service_error
from web.access import coach_or_athlete_required, form_error_status

STILL_COACHING = 409


def _your_data_page(request, form, status=200):
    user = request.user
    coached = Athlete.objects.filter(coach=user).count() if user.is_coach else 0
    return render(
        request,
        "coach/your_data.html",
        {
            "form": form,
            "coached": coached,
            "handovers": list(handovers_for_coach(user)) if user.is_coach else [],
        },
        status=status,
    )


@require_GET
@coach_or_athlete_required
def your_data(request):
    return _your_data_page(request, AccountDeleteForm())


@require_GET
@coach_or_athlete_required
def your_data_download(request):
    name = f"coach-{request.user.username}-{timezone.now():%Y-%m-%d}.zip"
    return FileResponse(
        your_data_zip(request.user),
        as_attachment=True,
        filename=name,
        content_type="application/zip",
    )


@require_POST
@coach_or_athlete_required
def account_delete(request):
    form = AccountDeleteForm(request.POST)
    if form.is_valid():
        try:
            services.account_delete(user=request.user, password=form.cleaned_data["password"])
        except services.StillCoaching as error:
            form.add_error(None, error)
            return _your_data_page(request, form, status=STILL_COACHING)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for training with us.")
            return redirect("login")
    return _your_data_page(request, form, status=form_error_status(form))
