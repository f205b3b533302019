"""Scheduling and calendars: run events, assignment, moving sessions, calendars, iCalendar.

Pages that both roles use take an optional `athlete_id`: without it they are the signed-in
athlete's own; with it, one of the coach's athletes (anyone else's id is a 404).
"""

import calendar
import datetime as dt
from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from athletes import scheduling_selectors as selectors
from athletes.forms.scheduling import (
    AssignForm,
    IcsImportForm,
    IcsImportPrioritiesForm,
    RunEventCreateForm,
    RunEventForm,
    SessionMoveForm,
    WeeklyPatternForm,
)
from athletes.services import ical, run_events
from athletes.services.scheduling import (
    FIRST_DAY,
    LAST_DAY,
    assignment_create,
    assignment_end,
    session_move,
    week_monday,
)
from athletes.views.access import athlete_required, coach_or_athlete_required, coach_required
from programs.forms import add_service_error
from programs.linter import lint
from programs.selectors import program_shape, program_with_grid

IMPORT_SESSION_KEY = "ics_import"
# The largest primary key the database holds: a bigger "id" in a query string names nothing.
MAX_ID = 2**63 - 1


# -- helpers -------------------------------------------------------------------------------


def _today(athlete) -> dt.date:
    return timezone.now().astimezone(athlete.tz).date()


def _parse_date(value, default: dt.date) -> dt.date:
    """The date named 'YYYY-MM-DD' when a calendar can show it, else `default`."""
    try:
        date = dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return date if FIRST_DAY <= date <= LAST_DAY else default


def _parse_month(value, default: dt.date) -> dt.date:
    """The first day of the month named 'YYYY-MM', or of `default`'s month."""
    try:
        first = dt.datetime.strptime(value, "%Y-%m").date() if value else default
    except ValueError:
        first = default
    if not FIRST_DAY <= first <= LAST_DAY:
        first = default
    return first.replace(day=1)


def _ids(values) -> list[int]:
    """The ids among query-string values: digits only, and small enough to be a primary key."""
    return [int(v) for v in values if v.isdigit() and int(v) <= MAX_ID]


def _calendar_url(user, athlete, date: dt.date) -> str:
    """Where the calendar showing `date` lives for this user."""
    if user.is_coach:
        return f"{reverse('athletes:athlete-calendar', args=[athlete.pk])}?month={date:%Y-%m}"
    return f"{reverse('athletes:calendar-week')}?day={date:%Y-%m-%d}"


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def _athlete_urls(athlete, for_coach: bool) -> dict:
    """The athlete's run-event pages, in the coach's or the athlete's own URLs."""
    if for_coach:
        args = [athlete.pk]
        return {
            "run_new": reverse("athletes:athlete-run-event-create", args=args),
            "run_weekly": reverse("athletes:athlete-run-event-weekly", args=args),
            "run_import": reverse("athletes:athlete-run-event-import", args=args),
            "assign": f"{reverse('athletes:assignment-create')}?athlete={athlete.pk}",
        }
    return {
        "run_new": reverse("athletes:run-event-create"),
        "run_weekly": reverse("athletes:run-event-weekly"),
        "run_import": reverse("athletes:run-event-import"),
    }


# -- calendars -----------------------------------------------------------------------------


@require_GET
@athlete_required
def calendar_week(request):
    athlete = selectors.athlete_for_request(request.user)
    today = _today(athlete)
    monday = week_monday(_parse_date(request.GET.get("day"), today))
    days = selectors.calendar_days(athlete, monday, monday + dt.timedelta(days=6))
    week_url = reverse("athletes:calendar-week")
    return render(
        request,
        "athletes/calendar_week.html",
        {
            "athlete": athlete,
            "days": days,
            "today": today,
            "monday": monday,
            "can_move": True,
            "previous_url": f"{week_url}?day={monday - dt.timedelta(weeks=1):%Y-%m-%d}",
            "next_url": f"{week_url}?day={monday + dt.timedelta(weeks=1):%Y-%m-%d}",
            "month_url": f"{reverse('athletes:calendar-month')}?month={monday:%Y-%m}",
            "urls": _athlete_urls(athlete, for_coach=False),
        },
    )


def _month_page(request, athlete, *, for_coach: bool, base_url: str):
    today = _today(athlete)
    first = _parse_month(request.GET.get("month"), today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid_first = week_monday(first)
    grid_last = week_monday(last) + dt.timedelta(days=6)
    days = selectors.calendar_days(athlete, grid_first, grid_last, in_range=(first, last))
    previous_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = last + dt.timedelta(days=1)
    context = {
        "athlete": athlete,
        "for_coach": for_coach,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "month": first,
        "today": today,
        "can_move": True,
        "previous_url": f"{base_url}?month={previous_month:%Y-%m}",
        "next_url": f"{base_url}?month={next_month:%Y-%m}",
        "urls": _athlete_urls(athlete, for_coach=for_coach),
    }
    if not for_coach:
        feed_path = reverse("athletes:calendar-feed", args=[athlete.feed_token])
        context["feed_url"] = request.build_absolute_uri(feed_path)
        context["webcal_url"] = "webcal://" + context["feed_url"].split("://", 1)[1]
        context["week_url"] = f"{reverse('athletes:calendar-week')}?day={first:%Y-%m-%d}"
    return render(request, "athletes/calendar_month.html", context)


@require_GET
@athlete_required
def calendar_month(request):
    athlete = selectors.athlete_for_request(request.user)
    return _month_page(
        request, athlete, for_coach=False, base_url=reverse("athletes:calendar-month")
    )


@require_GET
@coach_required
def athlete_calendar(request, athlete_id):
    athlete = selectors.athlete_for_request(request.user, athlete_id)
    return _month_page(
        request,
        athlete,
        for_coach=True,
        base_url=reverse("athletes:athlete-calendar", args=[athlete.pk]),
    )


# -- moving sessions -----------------------------------------------------------------------


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def session_move_view(request, session_id):
    session = selectors.session_get_for_user(request.user, session_id)
    athlete = session.athlete
    by_coach = request.user.is_coach
    monday = week_monday(session.date)
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
            if _wants_json(request):  # a drag in the calendar: the page reloads itself
                return JsonResponse({"date": session.date.isoformat()})
            return redirect(_next_or(request, _calendar_url(request.user, athlete, session.date)))
    if request.method == "POST" and _wants_json(request):
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    return render(
        request,
        "athletes/calendar_move.html",
        {
            "session": session,
            "form": form,
            "by_coach": by_coach,
            "week": (monday, monday + dt.timedelta(days=6)),
            "back_url": _next_or(request, _calendar_url(request.user, athlete, session.date)),
        },
        status=400 if form.errors else 200,
    )


# -- run events ----------------------------------------------------------------------------


def _calendar_after_change(request, athlete, date):
    """Back to the calendar after a run changed (its flags already re-checked by the service)."""
    return redirect(_calendar_url(request.user, athlete, date))


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_create(request, athlete_id=None):
    athlete = selectors.athlete_for_request(request.user, athlete_id)
    form = RunEventCreateForm(request.POST or None, initial={"date": _today(athlete)})
    if request.method == "POST" and form.is_valid():
        try:
            event = run_events.run_event_create(
                athlete=athlete,
                starts_at=form.starts_at(athlete.tz),
                idempotency_key=form.cleaned_data["idempotency_key"],
                **form.event_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{event} added.")
            return _calendar_after_change(request, athlete, form.cleaned_data["date"])
    return render(
        request,
        "athletes/run_event_form.html",
        {"athlete": athlete, "form": form, "title": "Add a race or run"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_weekly(request, athlete_id=None):
    athlete = selectors.athlete_for_request(request.user, athlete_id)
    form = WeeklyPatternForm(request.POST or None, initial={"first_date": _today(athlete)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = run_events.run_events_create_weekly(
                athlete=athlete,
                weekday=data["weekday"],
                time_of_day=data["start_time"],
                first_date=data["first_date"],
                weeks=data["weeks"],
                idempotency_key=data["idempotency_key"],
                **form.event_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{len(created)} runs added, one a week.")
            return _calendar_after_change(request, athlete, data["first_date"])
    return render(
        request,
        "athletes/run_event_form.html",
        {"athlete": athlete, "form": form, "title": "Add a weekly run"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_edit(request, event_id):
    event = selectors.run_event_get_for_user(request.user, event_id)
    athlete = event.athlete
    form = RunEventForm.for_event(event, athlete.tz, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run_events.run_event_update(
                event=event, starts_at=form.starts_at(athlete.tz), **form.event_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{event} saved.")
            return _calendar_after_change(request, athlete, form.cleaned_data["date"])
    return render(
        request,
        "athletes/run_event_form.html",
        {"athlete": athlete, "form": form, "title": f"Edit {event}", "event": event},
        status=400 if form.errors else 200,
    )


@require_POST
@coach_or_athlete_required
def run_event_delete(request, event_id):
    event = selectors.run_event_get_for_user(request.user, event_id)
    date = event.starts_at.astimezone(event.athlete.tz).date()
    run_events.run_event_delete(event=event)
    messages.success(request, f"{event} deleted.")
    return _calendar_after_change(request, event.athlete, date)


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_import(request, athlete_id=None):
    """Upload → preview (kept in the session) → confirm. Nothing is saved before confirm."""
    athlete = selectors.athlete_for_request(request.user, athlete_id)
    context = {"athlete": athlete}
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.pop(IMPORT_SESSION_KEY, None)
        if not pending or pending.get("athlete") != athlete.pk:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect(request.path)
        runs = [ical.ImportedRun(**run) for run in pending["runs"]]
        priorities = IcsImportPrioritiesForm(request.POST, runs=runs, tz=athlete.tz)
        if not priorities.is_valid():
            messages.error(request, "Nothing was imported: give each race a priority, A, B or C.")
            context["form"] = IcsImportForm()
            return render(request, "athletes/ics_import.html", context, status=400)
        runs = priorities.runs_chosen()
        try:
            created, updated = ical.ics_import_apply(athlete=athlete, runs=runs)
        except ValidationError as error:
            messages.error(request, f"Nothing was imported: {' '.join(error.messages)}")
            return redirect(request.path)
        messages.success(request, f"Imported: {created} new, {updated} updated.")
        first = min((run.start for run in runs), default=timezone.now())
        return redirect(_calendar_url(request.user, athlete, first.astimezone(athlete.tz).date()))
    form = IcsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            runs, skipped = ical.ics_parse(form.cleaned_data["ics_file"], athlete.tz)
        except ValidationError as error:
            form.add_error("ics_file", error)
        else:
            preview = ical.ics_import_preview(athlete=athlete, runs=runs, skipped=skipped)
            to_apply = preview.new + preview.changed
            request.session[IMPORT_SESSION_KEY] = {
                "athlete": athlete.pk,
                "runs": [asdict(run) for run in to_apply],
            }
            priorities = IcsImportPrioritiesForm(runs=to_apply, tz=athlete.tz)
            context.update(preview=preview, to_apply=to_apply, priorities=priorities)
    context["form"] = form
    return render(request, "athletes/ics_import.html", context, status=400 if form.errors else 200)


# -- assignment ----------------------------------------------------------------------------


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


def _require_own(queryset, raw_ids) -> None:
    """404 when a posted id is not among `queryset` (another coach's program or athlete)."""
    ids = {int(i) for i in raw_ids if i.isdigit()}
    if any(i > MAX_ID for i in ids):
        raise Http404
    if ids and queryset.filter(pk__in=ids).count() != len(ids):
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
            "athletes": [a for a in request.GET.getlist("athlete") if a.isdigit()],
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
    return render(
        request, "athletes/assign.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
@coach_required
def assignment_placements(request):
    ids = _ids(request.GET.getlist("id"))
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
    removed = assignment_end(assignment=assignment, from_date=_today(assignment.athlete))
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
    athlete = selectors.athlete_for_feed_token(token)
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
    athlete = selectors.athlete_for_request(request.user)
    ical.feed_token_revoke(athlete=athlete)
    messages.success(request, "Your calendar link was replaced: subscribe again with the new one.")
    return redirect("athletes:calendar-month")
