"""Settings pages: /settings/ for the signed-in coach or athlete (their own), and the coach's
settings for one of their athletes."""

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from athletes.forms.settings import AthleteCoachingForm, AthleteSettingsForm, NameForm
from athletes.selectors.roster import athlete_for_user, athlete_get_for_coach
from athletes.services.settings import (
    athlete_coaching_change,
    athlete_settings_change,
    user_name_change,
)
from programs.forms import add_service_error
from web.access import coach_or_athlete_required, coach_required, form_error_status

SAVED = "Settings saved."


def _own_settings_form(request, athlete):
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name}
    if athlete is None:
        return NameForm(request.POST or None, initial=initial)
    return AthleteSettingsForm(
        request.POST or None,
        initial={
            **initial,
            "time_zone": athlete.time_zone,
            "unit": athlete.unit,
            "default_session_time": athlete.default_session_time,
        },
    )


def _own_settings_save(request, athlete, data):
    if athlete is None:
        user_name_change(user=request.user, **data)
    else:
        athlete_settings_change(athlete=athlete, **data)


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def settings_edit(request):
    """The signed-in user's own settings: for an athlete their name, zone, units and default
    session time; for a coach their name. Both reach their email, password and (coaches)
    two-factor pages from here."""
    user = request.user
    athlete = athlete_for_user(user) if user.is_athlete else None
    form = _own_settings_form(request, athlete)
    if request.method == "POST" and form.is_valid():
        try:
            _own_settings_save(request, athlete, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("athletes:settings-edit")
    return render(
        request,
        "athletes/settings.html",
        {
            "form": form,
            "athlete": athlete,
            "email_address": EmailAddress.objects.filter(user=user).order_by("-primary").first(),
            "offers_second_factor": athlete is None,
            "second_factor_on": athlete is None and is_mfa_enabled(user),
        },
        status=form_error_status(form) if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@coach_required
def athlete_settings_edit(request, athlete_id):
    """What the coach sets for one of their athletes. Saving a new window shows the athlete's
    page with their flags already re-checked."""
    athlete = athlete_get_for_coach(request.user, athlete_id)
    form = AthleteCoachingForm(
        request.POST or None,
        initial={
            "freshness_window_hours": athlete.freshness_window_hours,
            "default_session_time": athlete.default_session_time,
            "coach_note": athlete.coach_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            athlete_coaching_change(athlete=athlete, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Settings for {athlete} saved.")
            return redirect("athletes:athlete-detail", athlete_id=athlete.pk)
    return render(
        request,
        "athletes/athlete_settings.html",
        {"form": form, "athlete": athlete},
        status=form_error_status(form) if form.errors else 200,
    )
