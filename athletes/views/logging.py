"""The athlete's Today, session logging, finishing and history; the coach's read-only session.

Set logging answers JSON to the page's script (which queues sets while offline) and falls back
to a plain form post and redirect without script.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from athletes import selectors
from athletes.forms.logging import SessionCompleteForm, SessionSkipForm, SetLogForm
from athletes.models import ScheduledSession, SetLog
from athletes.rules import strength
from athletes.services import logging as logging_services
from athletes.views.access import athlete_required
from programs.forms import add_service_error


@dataclass
class SetRow:
    """A logged set as the athlete reads it: its load as entered."""

    set_log: SetLog
    words: str
    load: str  # in the athlete's unit, never on plates, for the edit form

    @classmethod
    def of(cls, set_log: SetLog, unit: str):
        return cls(
            set_log=set_log,
            words=strength.set_in_words(set_log.as_done()),
            load=strength.number_in_words(strength.load_for_entry(set_log.load, unit)),
        )


@dataclass
class ExerciseCard:
    prescription: object
    words: str
    last_time: str
    sides: tuple
    next_position: strength.SetPosition
    rows: list = field(default_factory=list)
    form: SetLogForm | None = None

    @property
    def all_done(self):
        return self.next_position.set_number > self.prescription.sets


def _prefill(prescription, logged_now, last_time, position, unit):
    """Start from this session's latest set, else last time's same set, else the prescription."""
    source = logged_now[-1] if logged_now else None
    if source is None:
        matching = [s for s in last_time if s.set_number == position.set_number]
        source = (matching or last_time[-1:] or [None])[0]
    if source is None:
        return {
            "reps": prescription.reps_max or prescription.reps_min,
            "hold_seconds": prescription.hold_seconds,
        }
    return {
        "reps": source.reps,
        "load": strength.number_in_words(strength.load_for_entry(source.load, unit)),
        "hold_seconds": source.hold_seconds,
    }


def _exercise_cards(session, athlete, bound_form=None):
    """Every prescription of the session with its sets, last time and next set: three queries
    however many exercises the session has."""
    unit = athlete.unit
    prescriptions = list(selectors.prescriptions_for_session(session))
    logged = list(selectors.set_logs_for_session(session))
    last_time = list(
        selectors.set_logs_last_time(athlete, session, [p.exercise_id for p in prescriptions])
    )
    cards = []
    for prescription in prescriptions:
        spec = prescription.as_spec()
        # By exercise, as the database's one-set-per-place rule is: a set whose prescription
        # the coach has since replaced still belongs on this card.
        logged_here = [s for s in logged if s.exercise_id == prescription.exercise_id]
        last_here = [s for s in last_time if s.exercise_id == prescription.exercise_id]
        position = strength.next_set_position(
            spec, [strength.SetPosition(s.set_number, s.side) for s in logged_here]
        )
        card = ExerciseCard(
            prescription=prescription,
            words=strength.prescription_in_words(spec),
            last_time=strength.sets_in_words([s.as_done() for s in last_here]),
            sides=strength.sides_for(spec),
            next_position=position,
            rows=[SetRow.of(s, unit) for s in logged_here],
        )
        if bound_form is not None and bound_form.data.get("prescription") == str(prescription.pk):
            card.form = bound_form
        else:
            initial = {
                "id": uuid.uuid4(),
                "prescription": prescription.pk,
                "set_number": position.set_number,
                "side": position.side,
                **_prefill(prescription, logged_here, last_here, position, unit),
            }
            card.form = SetLogForm(initial=initial, unit=unit, auto_id=f"p{prescription.pk}-%s")
        cards.append(card)
    return cards


def _session_context(session, *, can_log, forms=None, bound_set_form=None):
    athlete = session.athlete
    forms = forms or {}
    return {
        "session": session,
        "athlete": athlete,
        "unit": athlete.unit,
        "own_session": can_log,
        "can_log": can_log and session.status == ScheduledSession.Status.PLANNED,
        "can_reopen": can_log and logging_services.session_reopen_allowed(session),
        "cards": _exercise_cards(session, athlete, bound_set_form),
        "complete_form": forms.get("complete")
        or SessionCompleteForm(
            initial={
                "session_rpe": session.session_rpe,
                "actual_minutes": session.actual_minutes,
                "notes": session.notes,
            },
            auto_id="complete-%s",
        ),
        "skip_form": forms.get("skip") or SessionSkipForm(auto_id="skip-%s"),
    }


def _athlete_session(request, session_id):
    athlete = selectors.athlete_for_user(request.user)
    return athlete, selectors.session_get_for_athlete(athlete, session_id)


@require_GET
@athlete_required
def today(request):
    athlete = selectors.athlete_for_user(request.user)
    session, previous = selectors.sessions_for_today(athlete)
    context = {"athlete": athlete, "previous": previous, "session": session}
    if session is not None:
        context.update(_session_context(session, can_log=True))
    return render(request, "athletes/today.html", context)


@require_GET
def session_detail(request, session_id):
    """The athlete logs their own session here; their coach reads it."""
    if request.user.is_athlete:
        _, session = _athlete_session(request, session_id)
        can_log = True
    elif request.user.is_coach:
        session = selectors.session_get_for_coach(request.user, session_id)
        can_log = False
    else:
        raise PermissionDenied
    return render(request, "athletes/session.html", _session_context(session, can_log=can_log))


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@athlete_required
def set_record(request, session_id):
    athlete, session = _athlete_session(request, session_id)
    form = SetLogForm(request.POST, unit=athlete.unit)
    if form.is_valid():
        try:
            set_log, created = logging_services.set_log_record(
                athlete=athlete, session_id=session.pk, **form.service_arguments()
            )
        except ScheduledSession.DoesNotExist as missing:
            raise Http404 from missing
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not _wants_json(request):
                return redirect(f"{session_url(session)}#p{form.cleaned_data['prescription']}")
            row_html = render_to_string(
                "athletes/session.html#set-row",
                {"row": SetRow.of(set_log, athlete.unit), "can_log": True, "unit": athlete.unit},
                request=request,
            )
            return JsonResponse(
                {"id": str(set_log.pk), "created": created, "row_html": row_html},
                status=201 if created else 200,
            )
    if _wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    context = _session_context(session, can_log=True, bound_set_form=form)
    return render(request, "athletes/session.html", context, status=400)


def session_url(session):
    return reverse("athletes:session-detail", args=[session.pk])


def _finish(request, session_id, form_class, form_key, service, done_message):
    """Complete or skip. A page posts the form; a phone that finished offline sends it later
    from its queue, asking for JSON."""
    athlete, session = _athlete_session(request, session_id)
    form = form_class(request.POST, auto_id=f"{form_key}-%s")
    if form.is_valid():
        try:
            finished = service(athlete=athlete, session_id=session.pk, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done_message)
            if _wants_json(request):
                return JsonResponse({"status": finished.status})
            return redirect(session_url(session))
    if _wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    context = _session_context(session, can_log=True, forms={form_key: form})
    return render(request, "athletes/session.html", context, status=400)


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
    athlete, session = _athlete_session(request, session_id)
    try:
        logging_services.session_reopen(athlete=athlete, session_id=session.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Session reopened: correct a set, then complete it again.")
    return redirect(session_url(session))


@require_GET
@athlete_required
def history(request):
    """Past sessions with their completion, and each exercise's best estimated 1RM."""
    athlete = selectors.athlete_for_user(request.user)
    exercises = {}
    for set_log in selectors.set_logs_for_athlete(athlete):
        summary = exercises.setdefault(
            set_log.exercise_id,
            {"exercise": set_log.exercise, "sets": [], "last": set_log.scheduled_session.date},
        )
        summary["sets"].append(set_log.as_done())
    summaries = []
    for summary in sorted(exercises.values(), key=lambda s: s["exercise"].name):
        best = strength.best_estimated_1rm(summary["sets"], athlete.unit)
        summaries.append(
            {
                "exercise": summary["exercise"],
                "set_count": len(summary["sets"]),
                "last": summary["last"],
                "best_1rm": strength.estimate_in_words(best, athlete.unit),
            }
        )
    return render(
        request,
        "athletes/history.html",
        {
            "athlete": athlete,
            "sessions": selectors.sessions_past_for_athlete(athlete),
            "exercises": summaries,
        },
    )


@require_GET
@athlete_required
def history_exercise(request, exercise_id):
    """One exercise's sets, session by session, each with its estimated 1RM."""
    athlete = selectors.athlete_for_user(request.user)
    exercise = selectors.exercise_get_for_history(athlete, exercise_id)
    set_logs = list(selectors.set_logs_for_athlete(athlete).filter(exercise=exercise))
    sessions = {}
    for set_log in set_logs:
        rows = sessions.setdefault(set_log.scheduled_session, [])
        e1rm = strength.set_estimated_1rm(set_log.as_done(), athlete.unit)
        rows.append(
            (SetRow.of(set_log, athlete.unit), strength.estimate_in_words(e1rm, athlete.unit))
        )
    best = strength.best_estimated_1rm((s.as_done() for s in set_logs), athlete.unit)
    return render(
        request,
        "athletes/history_exercise.html",
        {
            "athlete": athlete,
            "exercise": exercise,
            "sessions": sessions.items(),
            "best_1rm": strength.estimate_in_words(best, athlete.unit),
        },
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
        )
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
