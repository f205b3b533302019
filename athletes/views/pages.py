"""The coach's athlete list and the athlete's upcoming sessions."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from athletes import selectors
from athletes.views.access import athlete_required, coach_required


@require_GET
@coach_required
def athlete_list(request):
    athletes = selectors.athletes_for_coach_with_next(request.user)
    return render(request, "athletes/athlete_list.html", {"athletes": athletes})


@require_GET
@athlete_required
def upcoming(request):
    athlete = selectors.athlete_for_user(request.user)
    return render(
        request,
        "athletes/upcoming.html",
        {
            "athlete": athlete,
            "sessions": selectors.sessions_upcoming(athlete),
            "events": selectors.run_events_key_upcoming(athlete),
        },
    )
