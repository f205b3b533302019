"""Tested one-rep maxes: the athlete's own, or (with an `athlete_id`) one of the coach's
athletes'. A %1RM prescription's load is worked out from them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from athletes.forms.maxes import OneRepMaxForm
from athletes.selectors.roster import athlete_for_request
from athletes.services.maxes import one_rep_max_set
from programs.forms import add_service_error
from web.access import coach_or_athlete_required, form_error_status, next_url_or


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def one_rep_max_enter(request, athlete_id=None):
    athlete = athlete_for_request(request.user, athlete_id)
    back = next_url_or(
        request,
        reverse("athletes:athlete-detail", args=[athlete.pk])
        if athlete_id is not None
        else reverse("athletes:session-today"),
    )
    form = OneRepMaxForm(
        request.POST or None,
        unit=athlete.unit,
        today=athlete.today(),
        initial={"exercise": request.GET.get("exercise")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kept = one_rep_max_set(
                athlete=athlete,
                exercise=data["exercise"],
                load=data["load"],
                tested_on=data["tested_on"],
                entered_by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Tested max saved: {kept.exercise} {kept.load}.")
            return redirect(back)
    return render(
        request,
        "athletes/one_rep_max_form.html",
        {"athlete": athlete, "form": form, "back": back},
        status=form_error_status(form) if form.is_bound else 200,
    )
