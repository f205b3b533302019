"""Runs done: watch files uploaded (several at once), a planned run marked done or an
unplanned run entered by hand (its note posted as a comment), and one run's page (its splits
and fade; its RPE and the planned run it was; its thread). The athlete's own, or (with an
`athlete_id`) one of the coach's athletes'."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from athletes.forms.runs_done import ActivityUploadForm, RunDoneEditForm, RunDoneForm
from athletes.models import RunEvent
from athletes.presenters import runs_done as presenters
from athletes.presenters.scheduling import calendar_url
from athletes.selectors import runs_done as selectors
from athletes.selectors.roster import athlete_for_request
from athletes.services import runs_done as services
from athletes.services.activity_files import activity_read
from athletes.views.threads import render_with_thread
from programs.forms import add_service_error
from web.access import coach_or_athlete_required, form_error_status, parse_id


def _run_url(run) -> str:
    return reverse("athletes:run-done-detail", args=[run.pk])


def _tell_outcome(request, outcome, refused) -> None:
    created = len(outcome.created)
    if created:
        messages.success(
            request,
            f"{created} run{'s' if created != 1 else ''} saved: {outcome.matched} matched to "
            f"the plan, {created - outcome.matched} unplanned.",
        )
    if outcome.already_there:
        messages.info(request, f"{len(outcome.already_there)} already uploaded: nothing new.")
    for name, why in refused:
        messages.warning(request, f"{name}: {why} Nothing was saved from it.")


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def runs_done_upload(request, athlete_id=None):
    """Each file read on its own: the runs among them are saved in one go, each refused file
    named with its reason, and a file uploaded before adds nothing."""
    athlete = athlete_for_request(request.user, athlete_id)
    form = ActivityUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files, refused = form.readable()
        activities = []
        for name, data in files:
            try:
                activities.append(activity_read(data))
            except ValidationError as error:
                refused.append((name, " ".join(error.messages)))
        try:
            outcome = services.runs_done_import(athlete=athlete, activities=activities)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if outcome.created or outcome.already_there:
                _tell_outcome(request, outcome, refused)
                return redirect(request.path)
            form.add_error("files", [f"{name}: {why}" for name, why in refused])
    context = {
        "athlete": athlete,
        "form": form,
        "runs": [presenters.run_summary(r) for r in selectors.runs_done_latest(athlete)],
        "record_url": presenters.record_url(athlete, for_coach=athlete_id is not None),
        "calendar_url": calendar_url(athlete, athlete.today(), for_coach=athlete_id is not None),
    }
    status = form_error_status(form) if form.errors else 200
    return render(request, "athletes/runs_done_upload.html", context, status=status)


def _planned_from_query(request, athlete) -> RunEvent | None:
    if "planned" not in request.GET:
        return None
    pk = parse_id(request.GET["planned"])
    if pk is None:
        raise ValidationError("bad planned run")
    return get_object_or_404(RunEvent.objects.select_related("done"), athlete=athlete, pk=pk)


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_done_create(request, athlete_id=None):
    """A run entered by hand: `?planned=<id>` marks that planned run done."""
    athlete = athlete_for_request(request.user, athlete_id)
    try:
        planned = _planned_from_query(request, athlete)
    except ValidationError:
        return HttpResponseBadRequest("That is not a planned run.")
    if planned is not None and hasattr(planned, "done"):
        return redirect(_run_url(planned.done))
    initial = {"date": athlete.today()}
    if planned is not None:
        local = planned.starts_at.astimezone(athlete.tz)
        initial = {
            "date": local.date(),
            "start_time": local.time(),
            "duration": f"{planned.duration_minutes}:00",
            "distance_km": planned.distance_m / 1000 if planned.distance_m else None,
        }
    form = RunDoneForm(
        request.POST or None,
        today=athlete.today(),
        planned=planned,
        for_coach=athlete_id is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.run_done_record(
                athlete=athlete,
                entered_by=request.user,
                run_event=planned,
                kind=planned.kind if planned else data["kind"],
                started_at=form.starts_at(athlete.tz),
                moving_seconds=data["duration"],
                distance_m=form.distance_m(),
                rpe=data["rpe"],
                note=data["note"],
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{run.get_kind_display()} recorded as done.")
            return redirect(calendar_url(athlete, data["date"], for_coach=athlete_id is not None))
    title = f"Mark {planned} done" if planned else "Record a run"
    return render(
        request,
        "athletes/run_event_form.html",
        {"athlete": athlete, "form": form, "title": title, "planned": planned},
        status=form_error_status(form) if form.errors else 200,
    )


def _edit_form(run, data=None) -> RunDoneEditForm:
    initial = {"planned": str(run.run_event_id or ""), "kind": run.kind, "rpe": run.rpe}
    return RunDoneEditForm(
        data,
        candidates=selectors.planned_runs_to_match(run),
        tz=run.athlete.tz,
        initial=initial,
    )


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def run_done_detail(request, run_id):
    run = selectors.run_done_get_for_user(request.user, run_id)
    if request.method == "GET":
        return run_done_page(request, run)
    form = _edit_form(run, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.run_done_update(
                run=run, rpe=data["rpe"], kind=data["kind"], run_event=form.run_event()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Run saved.")
            return redirect(_run_url(run))
    return run_done_page(request, run, form=form, status=form_error_status(form))


def run_done_page(request, run, *, form=None, comment_form=None, status=200):
    """The run with what was said about it (the planned run's thread, or its own when
    unplanned), which the viewer has then read (once it is shown to read, not again with a
    refused post's errors)."""
    athlete = run.athlete
    for_coach = request.user.is_coach
    context = {
        "athlete": athlete,
        "summary": presenters.run_summary(run),
        "form": form or _edit_form(run),
        "calendar_url": calendar_url(athlete, athlete.date_at(run.started_at), for_coach=for_coach),
        "upload_url": presenters.upload_url(athlete, for_coach=for_coach),
    }
    return render_with_thread(
        request,
        "athletes/run_done.html",
        context,
        run.thread_subject,
        comment_form=comment_form,
        status=status,
    )


@require_POST
@coach_or_athlete_required
def run_done_delete(request, run_id):
    run = selectors.run_done_get_for_user(request.user, run_id)
    services.run_done_delete(run=run)
    messages.success(request, "Run removed.")
    return redirect(presenters.upload_url(run.athlete, for_coach=request.user.is_coach))
