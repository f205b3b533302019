"""The athlete's Today, session logging, finishing and history; the coach's read-only session.

Set logging answers JSON to the page's script (which queues sets while offline) and falls back
to a plain form post and redirect without script.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from athletes.forms.logging import SessionCompleteForm, SessionSkipForm, SetLogForm
from athletes.models import ScheduledSession
from athletes.presenters.conversation import thread_context
from athletes.presenters.logging import (
    SetRow,
    exercise_cards,
    exercise_history,
    exercise_summaries,
    session_progress,
)
from athletes.selectors import logging as selectors
from athletes.selectors.conversation import session_ids_unread
from athletes.selectors.roster import athlete_for_user
from athletes.services import logging as logging_services
from athletes.views import shown
from athletes.views.threads import render_with_thread
from programs.forms import add_service_error
from web.access import athlete_required, coach_or_athlete_required, form_error_status, wants_json
from web.kept_pages import kept_page
from web.pagination import list_address, page_navigation


def _session_context(session, *, can_log, forms=None, bound_set_form=None):
    forms = forms or {}
    cards = exercise_cards(session, bound_set_form)
    return {
        "session": session,
        "athlete": session.athlete,
        "unit": session.athlete.unit,
        "own_session": can_log,
        "can_log": can_log and session.status == ScheduledSession.Status.PLANNED,
        "can_reopen": can_log and logging_services.session_reopen_allowed(session),
        "cards": cards,
        "progress": session_progress(cards),
        "complete_form": forms.get("complete")
        or SessionCompleteForm(
            initial={
                "session_rpe": session.session_rpe,
                "actual_minutes": session.actual_minutes,
            },
            auto_id="complete-%s",
        ),
        "skip_form": forms.get("skip") or SessionSkipForm(auto_id="skip-%s"),
    }


def _invalid(request, session, form, **context):
    """A form that did not validate: its errors as JSON to the script, else the page again."""
    status = form_error_status(form)
    if wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=status)
    page = _session_context(session, can_log=True, **context)
    page.update(thread_context(request.user, session))
    return render(request, "athletes/session.html", page, status=status)


def session_url(session_id):
    return reverse("athletes:session-detail", args=[session_id])


@require_GET
@athlete_required
@kept_page(shows=shown.own_log)
def today(request):
    athlete = athlete_for_user(request.user)
    session, previous = selectors.sessions_for_today(athlete)
    context = {
        "athlete": athlete,
        "previous": previous,
        "session": session,
        "new_replies": session_ids_unread(request.user, [session, previous]),
    }
    if session is not None:
        context.update(_session_context(session, can_log=True))
    return render(request, "athletes/today.html", context)


@require_GET
@coach_or_athlete_required
@kept_page(shows=shown.viewer_log)
def session_detail(request, session_id):
    """The athlete logs their own session here; their coach reads it."""
    return session_page(request, selectors.session_get_for_user(request.user, session_id))


def session_page(request, session, *, comment_form=None, status=200):
    """The session with its thread (athletes/views/threads.py)."""
    context = _session_context(session, can_log=request.user.is_athlete)
    return render_with_thread(
        request, "athletes/session.html", context, session, comment_form=comment_form, status=status
    )


@require_POST
@athlete_required
def set_record(request, session_id):
    # The session is read once, locked, by the service (the athlete's commonest request); the
    # page with the errors reads it again.
    athlete = athlete_for_user(request.user)
    form = SetLogForm(request.POST, unit=athlete.unit)
    if form.is_valid():
        try:
            set_log, created = logging_services.set_log_record(
                athlete=athlete, session_id=session_id, **form.service_arguments()
            )
        except ScheduledSession.DoesNotExist as missing:
            raise Http404 from missing
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not wants_json(request):
                return redirect(f"{session_url(session_id)}#p{form.cleaned_data['prescription']}")
            # The row alone: no request, so no context processor runs for it.
            row_html = render_to_string(
                "athletes/session.html#set-row",
                {"row": SetRow.of(set_log, athlete.unit), "can_log": True, "unit": athlete.unit},
            )
            return JsonResponse(
                {"id": str(set_log.pk), "created": created, "row_html": row_html},
                status=201 if created else 200,
            )
    session = selectors.session_get_for_user(request.user, session_id)
    return _invalid(request, session, form, bound_set_form=form)


def _finish(request, session_id, form_class, form_key, service, done_message):
    """Complete or skip. A page posts the form; a phone that finished offline sends it later
    from its queue, asking for JSON."""
    session = selectors.session_get_for_user(request.user, session_id)
    form = form_class(request.POST, auto_id=f"{form_key}-%s")
    if form.is_valid():
        try:
            finished = service(athlete=session.athlete, session_id=session.pk, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done_message)
            if wants_json(request):
                return JsonResponse({"status": finished.status})
            return redirect(session_url(session.pk))
    return _invalid(request, session, form, forms={form_key: form})


@require_POST
@athlete_required
def session_complete(request, session_id):
    return _finish(
        request,
        session_id,
        SessionCompleteForm,
        "complete",
        logging_services.session_complete,
        "Session complete. Your coach can see it.",
    )


@require_POST
@athlete_required
def session_skip(request, session_id):
    return _finish(
        request,
        session_id,
        SessionSkipForm,
        "skip",
        logging_services.session_skip,
        "Session skipped. Your coach can see why.",
    )


@require_POST
@athlete_required
def session_reopen(request, session_id):
    session = selectors.session_get_for_user(request.user, session_id)
    try:
        logging_services.session_reopen(athlete=session.athlete, session_id=session.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Session reopened: correct a set, then complete it again.")
    return redirect(session_url(session.pk))


@require_GET
@athlete_required
def history(request):
    """Past sessions with their completion, newest first a page at a time, and (on the first
    page) each exercise's best estimated 1RM."""
    athlete = athlete_for_user(request.user)
    page = Paginator(
        selectors.sessions_past_for_athlete(athlete), selectors.HISTORY_SESSIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "athlete": athlete,
        "page": page,
        "exercises": exercise_summaries(athlete) if page.number == 1 else None,
    }
    return render(request, "athletes/history.html", context | page_navigation(page, list_address))


@require_GET
@athlete_required
def history_exercise(request, exercise_id):
    """One exercise's sets, session by session, each with its estimated 1RM."""
    athlete = athlete_for_user(request.user)
    exercise = selectors.exercise_get_for_history(athlete, exercise_id)
    sessions, best_1rm = exercise_history(athlete, exercise)
    return render(
        request,
        "athletes/history_exercise.html",
        {"athlete": athlete, "exercise": exercise, "sessions": sessions, "best_1rm": best_1rm},
    )


@never_cache
@require_GET
def csrf_refresh(request):
    """A fresh CSRF token for a page that has been open (or offline) long enough to lose it."""
    return JsonResponse({"token": get_token(request)})


@login_not_required
@require_GET
def service_worker(request):
    """The service worker, served from the site root so its scope can cover Today and sessions."""
    path = finders.find("js/sw.js")
    with open(path, encoding="utf-8") as source:
        script = (
            source.read()
            .replace("__STATIC_URL__", settings.STATIC_URL)
            .replace("__LOGIN_URL__", reverse("login"))
            .replace("__LOGOUT_URL__", reverse("logout"))
            .replace("__OFFLINE_URL__", reverse("athletes:offline"))
        )
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline(request):
    """What the service worker shows for a page it did not keep, while the phone is offline."""
    return render(request, "offline.html")
