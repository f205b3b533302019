"""Threads on sessions and runs: post (from the page, or the phone's queue asking for JSON),
edit within 10 minutes, delete one's own; the run's page; the coach's unread threads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from athletes.forms.conversation import CommentEditForm, CommentForm
from athletes.models import RunDone, ScheduledSession
from athletes.selectors import conversation as selectors
from athletes.selectors.logging import session_get_for_user
from athletes.selectors.runs_done import run_done_get_for_user
from athletes.selectors.scheduling import run_event_get_for_user
from athletes.services import conversation as services
from athletes.views.logging import session_page
from athletes.views.runs_done import run_done_page
from athletes.views.threads import render_with_thread
from programs.forms import add_service_error
from web.access import coach_or_athlete_required, coach_required, form_error_status, wants_json


def _subject_page(request, subject, *, comment_form=None, status=200):
    if isinstance(subject, ScheduledSession):
        return session_page(request, subject, comment_form=comment_form, status=status)
    if isinstance(subject, RunDone):
        return run_done_page(request, subject, comment_form=comment_form, status=status)
    return _run_page(request, subject, comment_form=comment_form, status=status)


def _run_page(request, event, *, comment_form=None, status=200):
    context = {"event": event, "athlete": event.athlete}
    return render_with_thread(
        request,
        "athletes/run_event_detail.html",
        context,
        event,
        comment_form=comment_form,
        status=status,
    )


def _post(request, subject):
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment, created = services.comment_post(
                author=request.user,
                subject=subject,
                comment_id=form.cleaned_data["comment_id"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "id_taken":
                return HttpResponseBadRequest("This comment id is taken.")
            add_service_error(form, error)
        else:
            if wants_json(request):
                return JsonResponse(
                    {"id": str(comment.pk), "created": created}, status=201 if created else 200
                )
            return redirect(f"{services.subject_url(subject)}#comments")
    status = form_error_status(form)
    if wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=status)
    return _subject_page(request, subject, comment_form=form, status=status)


@require_POST
@coach_or_athlete_required
def session_comment_post(request, session_id):
    return _post(request, session_get_for_user(request.user, session_id))


@require_POST
@coach_or_athlete_required
def run_event_comment_post(request, event_id):
    return _post(request, run_event_get_for_user(request.user, event_id))


@require_POST
@coach_or_athlete_required
def run_done_comment_post(request, run_id):
    """On an unplanned run done (a run done as planned is talked about in its plan's thread)."""
    run = run_done_get_for_user(request.user, run_id)
    return _post(request, run.thread_subject)


@require_GET
@coach_or_athlete_required
def run_event_detail(request, event_id):
    """A run or race with its thread."""
    return _run_page(request, run_event_get_for_user(request.user, event_id))


def _own_comment(request, comment_id):
    comment = selectors.comment_get_for_user(request.user, comment_id)
    if comment is None:
        raise Http404
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    return comment, comment.thread.subject


@require_POST
@coach_or_athlete_required
def comment_edit(request, comment_id):
    comment, subject = _own_comment(request, comment_id)
    form = CommentEditForm(request.POST)
    if form.is_valid():
        try:
            services.comment_edit(
                author=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect(f"{services.subject_url(subject)}#c{comment.pk}")
    messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return _subject_page(request, subject, status=form_error_status(form))


@require_POST
@coach_or_athlete_required
def comment_delete(request, comment_id):
    comment, subject = _own_comment(request, comment_id)
    services.comment_delete(author=request.user, comment=comment)
    return redirect(f"{services.subject_url(subject)}#comments")


@require_GET
@coach_required
def conversation_list(request):
    """The coach's threads with something unread: which athletes wrote, about what."""
    return render(
        request,
        "athletes/conversations.html",
        {"threads": selectors.threads_unread_for_coach(request.user)},
    )
