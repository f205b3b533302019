"""Calendars, moving sessions, assigning programs and the iCalendar feed.

Pages that both roles use take an optional `athlete_id`: without it they are the signed-in
athlete's own; with it, one of the coach's athletes (anyone else's id is a 404).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from athletes.forms.scheduling import AssignForm, SessionMoveForm
from athletes.presenters import scheduling as presenters
from athletes.rules.progress import week_start
from athletes.selectors import logging as logging_selectors
from athletes.selectors import roster
from athletes.selectors import scheduling as selectors
from athletes.services import ical
from athletes.services.scheduling import (
    assignment_create,
    assignment_end,
    session_move,
)
from athletes.views import shown
from programs.forms import add_service_error
from programs.linter import lint
from programs.selectors import program_shape, program_with_grid
from web.access import (
    athlete_required,
    coach_or_athlete_required,
    coach_required,
    form_error_status,
    looks_like_id,
    next_url_or,
    parse_id,
    parse_ids,
    wants_json,
)
from web.kept_pages import kept_page

# -- calendars -----------------------------------------------------------------------------


@require_GET
@athlete_required
@kept_page(shows=shown.own_log)
def calendar_week(request):
    athlete = roster.athlete_for_request(request.user)
    page = presenters.week_page(athlete, request.GET.get("day"))
    return render(request, "athletes/calendar_week.html", page)


@require_GET
@athlete_required
def calendar_month(request):
    athlete = roster.athlete_for_request(request.user)
    page = presenters.month_page(athlete, request.GET.get("month"), for_coach=False)
    page["feed_url"] = request.build_absolute_uri(
        reverse("athletes:calendar-feed", args=[athlete.feed_token])
    )
    page["webcal_url"] = "webcal://" + page["feed_url"].split("://", 1)[1]
    return render(request, "athletes/calendar_month.html", page)


@require_GET
@coach_required
def athlete_calendar(request, athlete_id):
    athlete = roster.athlete_for_request(request.user, athlete_id)
    page = presenters.month_page(athlete, request.GET.get("month"), for_coach=True)
    return render(request, "athletes/calendar_month.html", page)


# -- moving sessions -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def session_move_view(request, session_id):
    session = logging_selectors.session_get_for_user(request.user, session_id)
    athlete = session.athlete
    by_coach = request.user.is_coach
    monday = week_start(session.date)
    form = SessionMoveForm(
        request.POST or None,
        initial={"date": session.date, "time_of_day": session.time_of_day},
        within=None if by_coach else (monday, monday + dt.timedelta(days=6)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session_move(
                session=session,
                date=form.cleaned_data["date"],
                time_of_day=form.cleaned_data["time_of_day"],
                by_coach=by_coach,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{session.name} moved to {session.date:%a %-d %b}.")
            if wants_json(request):  # a drag in the calendar: the page reloads itself
                return JsonResponse({"date": session.date.isoformat()})
            calendar = presenters.calendar_url(athlete, session.date, for_coach=by_coach)
            return redirect(next_url_or(request, calendar))
    if request.method == "POST" and wants_json(request):
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return JsonResponse({"error": " ".join(errors)}, status=form_error_status(form))
    calendar = presenters.calendar_url(athlete, session.date, for_coach=by_coach)
    return render(
        request,
        "athletes/calendar_move.html",
        {
            "session": session,
            "form": form,
            "by_coach": by_coach,
            "week": (monday, monday + dt.timedelta(days=6)),
            "back_url": next_url_or(request, calendar),
        },
        status=form_error_status(form) if form.errors else 200,
    )


# -- assignment ----------------------------------------------------------------------------


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


def _require_own(queryset, values) -> None:
    """404 when a posted id is not among `queryset` (another coach's program or athlete, or a
    number no row has). What is not an id at all the form refuses next to its field."""
    ids = {parse_id(value) for value in values if looks_like_id(value)}
    if None in ids or (ids and queryset.filter(pk__in=ids).count() != len(ids)):
        raise Http404


@require_http_methods(["GET", "POST"])
@coach_required
def assignment_create_view(request):
    athletes = selectors.athletes_for_assignment(request.user, timezone.localdate())
    programs = selectors.assignable_programs_for_coach(request.user)
    if request.method == "POST":
        _require_own(programs, request.POST.getlist("program"))
        _require_own(athletes, request.POST.getlist("athletes"))
    form = AssignForm(
        request.POST or None,
        programs=programs,
        athletes=athletes,
        initial={
            "start_date": _next_monday(timezone.localdate()),
            "athletes": parse_ids(request.GET.getlist("athlete")),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignments = assignment_create(
                program=data["program"],
                athletes=list(data["athletes"]),
                start_date=data["start_date"],
                replace_planned=data["replace_planned"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            query = "&".join(f"id={a.pk}" for a in assignments)
            return redirect(f"{reverse('athletes:assignment-placements')}?{query}")
    status = form_error_status(form) if form.errors else 200
    return render(request, "athletes/assign.html", {"form": form}, status=status)


@require_GET
@coach_required
def assignment_placements(request):
    ids = parse_ids(request.GET.getlist("id"))
    assignments = list(selectors.assignments_for_coach(request.user, ids))
    # The program linter's warnings, once per program (one program per assignment form).
    programs = {a.program_id: a.program for a in assignments}
    warnings = {
        program: lint(program_shape(program_with_grid(request.user, program_id)))
        for program_id, program in programs.items()
    }
    return render(
        request,
        "athletes/assign_placements.html",
        {"assignments": assignments, "warnings": warnings},
    )


@require_POST
@coach_required
def assignment_end_view(request, assignment_id):
    """End a program from the athlete's today: what is still only planned leaves the calendar."""
    assignment = selectors.assignment_get_for_coach(request.user, assignment_id)
    removed = assignment_end(assignment=assignment, from_date=assignment.athlete.today())
    messages.success(
        request,
        f"{assignment.program} ended for {assignment.athlete}: {removed} planned "
        f"session{'s' if removed != 1 else ''} removed; logged sessions stay.",
    )
    return redirect("athletes:athlete-detail", athlete_id=assignment.athlete_id)


# -- iCalendar feed ------------------------------------------------------------------------


@login_not_required
@require_safe  # calendar apps may check the feed with HEAD before they GET it
def calendar_feed(request, token):
    """The athlete's calendar for phone apps: public, but only with the secret token."""
    athlete = roster.athlete_for_feed_token(token)
    sessions, runs = selectors.feed_items(athlete)
    response = HttpResponse(
        ical.feed_ics(athlete, sessions, runs), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="coach.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@athlete_required
def calendar_feed_revoke(request):
    athlete = roster.athlete_for_request(request.user)
    ical.feed_token_revoke(athlete=athlete)
    messages.success(request, "Your calendar link was replaced: subscribe again with the new one.")
    return redirect("athletes:calendar-month")
