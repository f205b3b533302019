"""Progress and transfer tests: the athlete's own page, the coach's page per athlete, recording
a test from a phone, and CSV export of the log and the tests."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from athletes.forms.progress import TransferTestForm
from athletes.presenters import progress as presenters
from athletes.selectors import progress as selectors
from athletes.selectors.flags import flags_open_for_athlete
from athletes.selectors.roster import athlete_for_request, athlete_for_user, athlete_get_for_coach
from athletes.selectors.runs_done import run_compliance_for_athlete
from athletes.selectors.scheduling import assignments_current_for_athlete, month_weeks
from athletes.services.transfer_tests import transfer_test_create, transfer_test_delete
from athletes.views import shown
from programs.forms import add_service_error
from web.access import (
    athlete_required,
    coach_or_athlete_required,
    coach_required,
    form_error_status,
)
from web.kept_pages import kept_page
from web.spreadsheet import spreadsheet_safe


@require_GET
@athlete_required
def progress_show(request):
    athlete = athlete_for_user(request.user)
    page = presenters.progress_page(athlete, for_coach=False)
    return render(request, "athletes/progress.html", page)


@require_GET
@coach_required
@kept_page(shows=shown.athlete_log)
def athlete_detail(request, athlete_id):
    athlete = athlete_get_for_coach(request.user, athlete_id)
    page = presenters.progress_page(athlete, for_coach=True)
    today = page["today"]
    page.update(
        compliance=selectors.compliance_for_athlete(athlete, today),
        run_compliance=run_compliance_for_athlete(athlete, today),
        runs_done_url=reverse("athletes:athlete-runs-done-upload", args=[athlete.pk]),
        training_log=presenters.training_log(athlete),
        flags=flags_open_for_athlete(athlete),
        assignments=assignments_current_for_athlete(athlete, today),
        month=today.replace(day=1),
        weeks=month_weeks(athlete, today),
        calendar_url=reverse("athletes:athlete-calendar", args=[athlete.pk]),
    )
    return render(request, "athletes/athlete_detail.html", page)


@require_http_methods(["GET", "POST"])
def transfer_test_create_view(request, athlete_id=None):
    athlete = athlete_for_request(request.user, athlete_id)
    for_coach = athlete_id is not None
    form = TransferTestForm(request.POST or None, today=athlete.today(), initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            test = transfer_test_create(
                athlete=athlete,
                recorded_by=request.user,
                kind=data["kind"],
                date=data["date"],
                value=data["value"],
                detail=data["detail"],
                splits=data["split_seconds"],
                notes=data["notes"],
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{test.get_kind_display()} saved.")
            return redirect(presenters.charts_url(athlete, test.kind, for_coach=for_coach))
    return render(
        request,
        "athletes/transfer_test_form.html",
        {
            "athlete": athlete,
            "form": form,
            "kind_choices": presenters.kind_choices(),
            "cancel_url": presenters.charts_url(athlete, for_coach=for_coach),
        },
        status=form_error_status(form) if form.is_bound else 200,
    )


@require_POST
@coach_or_athlete_required
def transfer_test_delete_view(request, test_id):
    """Remove a test recorded by mistake: the athlete's own, or one of the coach's athletes'."""
    test = selectors.transfer_test_get_for_user(request.user, test_id)
    transfer_test_delete(test=test)
    messages.success(request, f"{test.get_kind_display()} of {test.date:%-d %b} removed.")
    for_coach = request.user.is_coach
    return redirect(presenters.charts_url(test.athlete, test.kind, for_coach=for_coach))


class _Echo:
    """A file-like object csv.writer can write one row into at a time, for streaming."""

    def write(self, value):
        return value


@require_GET
def progress_export(request, what, athlete_id=None):
    if what not in selectors.CSV_EXPORTS:
        raise Http404
    athlete = athlete_for_request(request.user, athlete_id)
    writer = csv.writer(_Echo())
    rows = selectors.CSV_EXPORTS[what](athlete)
    response = StreamingHttpResponse(
        (writer.writerow([spreadsheet_safe(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    name = f"{athlete.user.username}-{what}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
