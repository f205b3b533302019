"""Run events: races and runs added one at a time, as a weekly pattern, or imported from an
.ics file; edited and deleted. The athlete's own, or (with an `athlete_id`) one of the coach's
athletes'."""

from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from athletes.forms.scheduling import (
    IcsImportForm,
    IcsImportPrioritiesForm,
    RunEventCreateForm,
    RunEventForm,
    WeeklyPatternForm,
)
from athletes.presenters.scheduling import calendar_url
from athletes.selectors.roster import athlete_for_request
from athletes.selectors.scheduling import run_event_get_for_user
from athletes.services import ical, run_events
from programs.forms import add_service_error
from web.access import BAD_REQUEST, coach_or_athlete_required, form_error_status

IMPORT_SESSION_KEY = "ics_import"


def _calendar_after_change(request, athlete, date):
    """Back to the calendar after a run changed (its flags already re-checked by the service)."""
    return redirect(calendar_url(athlete, date, for_coach=request.user.is_coach))


def _form_page(request, athlete, form, title, **extra):
    return render(
        request,
        "athletes/run_event_form.html",
        {"athlete": athlete, "form": form, "title": title, **extra},
        status=form_error_status(form) if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_create(request, athlete_id=None):
    athlete = athlete_for_request(request.user, athlete_id)
    form = RunEventCreateForm(request.POST or None, initial={"date": athlete.today()})
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
    return _form_page(request, athlete, form, "Add a race or run")


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_weekly(request, athlete_id=None):
    athlete = athlete_for_request(request.user, athlete_id)
    form = WeeklyPatternForm(request.POST or None, initial={"first_date": athlete.today()})
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
    return _form_page(request, athlete, form, "Add a weekly run")


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_edit(request, event_id):
    event = run_event_get_for_user(request.user, event_id)
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
    return _form_page(request, athlete, form, f"Edit {event}", event=event)


@require_POST
@coach_or_athlete_required
def run_event_delete(request, event_id):
    event = run_event_get_for_user(request.user, event_id)
    date = event.athlete.date_at(event.starts_at)
    run_events.run_event_delete(event=event)
    messages.success(request, f"{event} deleted.")
    return _calendar_after_change(request, event.athlete, date)


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_event_import(request, athlete_id=None):
    """Upload → preview (kept in the session) → confirm. Nothing is saved before confirm."""
    athlete = athlete_for_request(request.user, athlete_id)
    context = {"athlete": athlete}
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.pop(IMPORT_SESSION_KEY, None)
        if not pending or pending.get("athlete") != athlete.pk:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect(request.path)
        runs = [ical.ImportedRun(**run) for run in pending["runs"]]
        priorities = IcsImportPrioritiesForm(request.POST, runs=runs, tz=athlete.tz)
        if not priorities.is_valid():
            # The preview offers A, B and C only: anything else was not sent from it.
            messages.error(request, "Nothing was imported: give each race a priority, A, B or C.")
            context["form"] = IcsImportForm()
            return render(request, "athletes/ics_import.html", context, status=BAD_REQUEST)
        runs = priorities.runs_chosen()
        try:
            created, updated = ical.ics_import_apply(athlete=athlete, runs=runs)
        except ValidationError as error:
            messages.error(request, f"Nothing was imported: {' '.join(error.messages)}")
            return redirect(request.path)
        messages.success(request, f"Imported: {created} new, {updated} updated.")
        first = min((run.start for run in runs), default=timezone.now())
        return redirect(
            calendar_url(athlete, athlete.date_at(first), for_coach=request.user.is_coach)
        )
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
    status = form_error_status(form) if form.errors else 200
    return render(request, "athletes/ics_import.html", context, status=status)
