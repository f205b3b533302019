"""The coach's athlete list and the athlete's upcoming sessions."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from athletes.selectors.roster import athlete_for_user, athletes_for_coach_with_next
from athletes.selectors.scheduling import run_events_key_upcoming, sessions_upcoming
from web.access import athlete_required, coach_required


@require_GET
@coach_required
def athlete_list(request):
    athletes = athletes_for_coach_with_next(request.user)
    return render(request, "athletes/athlete_list.html", {"athletes": athletes})


@require_GET
@athlete_required
def upcoming(request):
    athlete = athlete_for_user(request.user)
    return render(
        request,
        "athletes/upcoming.html",
        {
            "athlete": athlete,
            "sessions": sessions_upcoming(athlete),
            "events": run_events_key_upcoming(athlete),
        },
    )
