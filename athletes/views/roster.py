"""A coach lets an athlete go: hands them over to another coach, who accepts, or removes them
from the roster."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from athletes.forms.roster import HandoverForm, RosterRemoveForm
from athletes.selectors.roster import (
    athlete_get_for_coach,
    athletes_for_coach,
    coach_by_name_or_email,
    former_athlete_history,
    former_athletes_for_coach,
    handover_offered,
    handovers_for_coach,
)
from athletes.services.roster import athlete_remove_from_roster, handover_accept, handover_offer
from programs.forms import add_service_error
from web.access import coach_required, form_error_status


def _leave_page(request, athlete, form=None, remove_form=None, status=200):
    return render(
        request,
        "athletes/athlete_leave.html",
        {
            "athlete": athlete,
            "form": form or HandoverForm(),
            "remove_form": remove_form or RosterRemoveForm(),
            "offer": handover_offered(request.user, athlete),
        },
        status=status,
    )


@require_GET
@coach_required
def athlete_leave(request, athlete_id):
    athlete = athlete_get_for_coach(request.user, athlete_id)
    return _leave_page(request, athlete)


@require_POST
@coach_required
def athlete_handover(request, athlete_id):
    athlete = athlete_get_for_coach(request.user, athlete_id)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            offer = handover_offer(
                athlete=athlete, to_coach=coach_by_name_or_email(form.cleaned_data["to_coach"])
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{athlete} is offered to {offer.to_coach.username}. They stay yours until "
                "that coach accepts.",
            )
            return redirect("athletes:athlete-leave", athlete_id=athlete.pk)
    return _leave_page(request, athlete, form=form, status=form_error_status(form))


@require_POST
@coach_required
def athlete_remove(request, athlete_id):
    athlete = athlete_get_for_coach(request.user, athlete_id)
    form = RosterRemoveForm(request.POST)
    if not form.is_valid():
        return _leave_page(request, athlete, remove_form=form, status=form_error_status(form))
    athlete_remove_from_roster(athlete=athlete)
    messages.success(
        request,
        f"{athlete} is no longer on your roster. Their account and history stay theirs.",
    )
    return redirect("athletes:athlete-list")


@require_POST
@coach_required
def handover_accept_view(request, athlete_id):
    offer = handovers_for_coach(request.user).filter(athlete_id=athlete_id).first()
    if offer is None:
        # Accepted already (a retried post): the athlete is on the roster, nothing to do.
        if athletes_for_coach(request.user).filter(pk=athlete_id).exists():
            return redirect("athletes:athlete-detail", athlete_id=athlete_id)
        raise Http404
    try:
        handover_accept(handover=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("your-data")
    messages.success(request, f"{offer.athlete} is on your roster from today.")
    return redirect("athletes:athlete-detail", athlete_id=athlete_id)


@require_GET
@coach_required
def former_athlete_list(request):
    return render(
        request,
        "athletes/former_athletes.html",
        {"athletes": former_athletes_for_coach(request.user)},
    )


@require_GET
@coach_required
def former_athlete_detail(request, athlete_id):
    athlete, sessions = former_athlete_history(request.user, athlete_id)
    return render(
        request,
        "athletes/former_athlete.html",
        {"athlete": athlete, "sessions": sessions},
    )
