"""The coach's athlete list and the athlete's upcoming sessions."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from athletes.selectors.roster import (
    ROWS_PER_PAGE,
    athlete_for_user,
    athletes_for_coach_with_next,
    name_search,
    search_text,
)
from athletes.selectors.scheduling import run_events_key_upcoming, sessions_upcoming
from web.access import athlete_required, coach_required
from web.pagination import list_address, page_navigation


@require_GET
@coach_required
def athlete_list(request):
    """The roster by name, a page at a time, searched by name, username or email."""
    query = search_text(request.GET.get("q", ""))
    athletes = athletes_for_coach_with_next(request.user).filter(name_search(query))
    page = Paginator(athletes, ROWS_PER_PAGE).get_page(request.GET.get("page"))

    def url(**changes):
        return list_address(**({"q": query} | changes))

    context = {"page": page, "athletes": page.object_list, "q": query}
    return render(request, "athletes/athlete_list.html", context | page_navigation(page, url))


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
