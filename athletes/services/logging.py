"""Writes of the athlete's log: sets (idempotent on the id made on the device) and the
session's completion, skip and same-day reopen."""

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from athletes.models import Athlete, ScheduledSession, SetLog
from athletes.rules import strength
from athletes.services.conversation import comment_post, completion_note_comment_id
from athletes.tasks import athlete_flags_recheck
from programs.models import Exercise, ProgramPrescription
from programs.rules import prescription_in_words
from web.cache import writes_counted_as
from web.database import (
    columns_of,
    for_update_of,
    model_from_row,
    models_from_row,
    row_inserted,
    rows_of_each,
)

DONE_FIELDS = ("reps", "load_kg", "load_entered", "load_unit", "hold_seconds", "rpe")


def _session_locked(athlete: Athlete, session_id: int, sessions=ScheduledSession.objects):
    """The athlete's own session (of `sessions`), locked until commit, so concurrent writes to
    one session (a double tap, a retry racing its original) run one after the other."""
    session = (
        sessions.select_for_update(of=("self",)).filter(pk=session_id, athlete=athlete).first()
    )
    if session is None:
        raise ScheduledSession.DoesNotExist
    return session


def _session_locked_with_prescription_and_set(
    athlete: Athlete, session_id: int, prescription_id: int, set_id: uuid.UUID, place: dict
) -> tuple[ScheduledSession, ProgramPrescription | None, SetLog | None]:
    """The athlete's own session, locked as _session_locked does; its prescription
    `prescription_id` with its exercise (None when it is not the session's); and the set with
    id `set_id`, else the newest logged at `place` (set_number and side, of the prescription's
    exercise) in the session. SQL written here, sent in one round trip: this is the athlete's
    commonest request, and the ORM's building of these statements cost more than the
    database's running of them.
    The set is read by a statement of its own, after the lock is held (rows_of_each): a
    statement that waited for the lock reads with the snapshot it began with, which misses the
    set just logged by the request it waited for (a retry racing its original)."""
    prescription_table = ProgramPrescription._meta.db_table
    locked = (
        "SELECT "  # nosec B608: names from our own models; values are parameters
        f"{columns_of(ScheduledSession, 's')}, {columns_of(ProgramPrescription, 'p')},"
        f" {columns_of(Exercise, 'e')}"
        f' FROM "{ScheduledSession._meta.db_table}" s'
        f' LEFT JOIN "{prescription_table}" p'
        " ON p.session_id = s.program_session_id AND p.id = %s"
        f' LEFT JOIN "{Exercise._meta.db_table}" e ON e.id = p.exercise_id'
        f" WHERE s.id = %s AND s.athlete_id = %s {for_update_of('s')}"
    )
    set_id_value = SetLog._meta.pk.get_db_prep_value(set_id, connection)
    logged = (
        "SELECT "  # nosec B608: names from our own models; values are parameters
        f'{columns_of(SetLog, "l")} FROM "{SetLog._meta.db_table}" l'
        " WHERE l.id = %s OR (l.scheduled_session_id = %s AND l.exercise_id ="
        f' (SELECT exercise_id FROM "{prescription_table}" WHERE id = %s)'
        " AND l.set_number = %s AND l.side = %s)"
        " ORDER BY CASE WHEN l.id = %s THEN 0 ELSE 1 END, l.logged_at DESC LIMIT 1"
    )
    session_rows, set_rows = rows_of_each(
        [
            (locked, [prescription_id, session_id, athlete.pk]),
            (
                logged,
                [set_id_value, session_id, prescription_id, place["set_number"], place["side"]]
                + [set_id_value],
            ),
        ]
    )
    if not session_rows:
        raise ScheduledSession.DoesNotExist
    session, prescription, exercise = models_from_row(
        session_rows[0], ScheduledSession, ProgramPrescription, Exercise
    )
    if prescription is not None:
        prescription.exercise = exercise
    existing = model_from_row(SetLog, set_rows[0]) if set_rows else None
    return session, prescription, existing


def _prescribed_values(prescription: ProgramPrescription) -> dict:
    return {
        "prescribed": prescription_in_words(prescription.as_spec()),
        "prescribed_reps_min": prescription.reps_min,
        "prescribed_reps_max": prescription.reps_max,
        "prescribed_hold_seconds": prescription.hold_seconds,
    }


@transaction.atomic(durable=True)
def set_log_record(
    *,
    athlete: Athlete,
    session_id: int,
    set_id: uuid.UUID,
    prescription_id: int,
    set_number: int,
    side: str = "",
    reps: int | None = None,
    load: strength.Load | None = None,
    hold_seconds: int | None = None,
    rpe: Decimal | None = None,
) -> tuple[SetLog, bool]:
    """Record one set as done; return (set, created).

    Idempotent twice over: a repeat of `set_id` (a double tap, a retried or replayed request)
    is the same set, and so is a second id for a set already logged at the same place
    (session, exercise, set number, side) — e.g. from a second tab. The existing row keeps its
    id and takes the newest values, so an edit never makes a new set.
    The load is kept as entered (the number and its unit, which the set reads back as) next to
    its kilograms (for sums).
    Raises ScheduledSession.DoesNotExist for a session that is not the athlete's own, and
    ValidationError for a closed session, a prescription from another session or bad values.
    """
    done = {
        "reps": reps,
        "load_kg": load and load.kg,
        "load_entered": load and load.amount,
        "load_unit": load.unit if load else "",
        "hold_seconds": hold_seconds,
        "rpe": rpe,
    }
    problems = strength.set_problems(
        reps=reps, load_kg=done["load_kg"], hold_seconds=hold_seconds, rpe=rpe
    )
    if not 1 <= set_number <= strength.MAX_SET_NUMBER:
        problems["set_number"] = f"Sets are numbered 1 to {strength.MAX_SET_NUMBER}."
    if problems:
        raise ValidationError(problems)
    session, prescription, existing = _session_locked_with_prescription_and_set(
        athlete, session_id, prescription_id, set_id, {"set_number": set_number, "side": side}
    )
    if session.status != ScheduledSession.Status.PLANNED:
        # A retry of a set the server already has (its answer was lost on the way to a phone
        # that was then closed elsewhere) changes nothing, so it is the same set, not an error.
        replayed = existing is not None and (existing.pk, existing.scheduled_session_id) == (
            set_id,
            session.pk,
        )
        if replayed and all(getattr(existing, name) == value for name, value in done.items()):
            return existing, False
        raise ValidationError("This session is closed. Reopen it to change a set.")
    if prescription is None:
        raise ValidationError("That exercise is not part of this session.")
    spec = prescription.as_spec()
    if side not in strength.sides_for(spec):
        raise ValidationError(
            {"side": "Choose left or right." if side == "" else "This exercise has no sides."}
        )
    if existing is not None and existing.scheduled_session_id != session.pk:
        raise ValidationError("This set belongs to another session.")
    if existing is None:
        set_log = SetLog(
            id=set_id,
            scheduled_session=session,
            prescription=prescription,
            exercise_id=prescription.exercise_id,
            set_number=set_number,
            side=side,
            **done,
            **_prescribed_values(prescription),
        )
    else:
        set_log = existing
        for name, value in done.items():
            setattr(set_log, name, value)
    # The numbers were checked above and the place is held by the lock: skipping the model's
    # constraint and foreign-key checks saves a dozen queries on the athlete's commonest request.
    set_log.full_clean(
        exclude=["scheduled_session", "exercise", "prescription"],
        validate_unique=False,
        validate_constraints=False,
    )
    # A set changes the pages about its athlete, not every athlete's (web/kept_pages.py).
    with writes_counted_as({SetLog: _log_generations(athlete)}):
        if existing is None:
            row_inserted(set_log)
        else:
            set_log.save(update_fields=[*DONE_FIELDS, "updated_at"])
    return set_log, existing is None


def athlete_log_generation(athlete_id: int) -> str:
    """Counted up by each set the athlete logs: what the pages about them show (their own, and
    their coach's page of them)."""
    return f"log:athlete:{athlete_id}"


def roster_log_generation(coach_id: int) -> str:
    """Counted up by each set any of the coach's athletes logs: what the coach's pages about
    all of them show (a session page of any of them)."""
    return f"log:roster:{coach_id}"


def _log_generations(athlete: Athlete) -> list[str]:
    generations = [athlete_log_generation(athlete.pk)]
    if athlete.coach_id:
        generations.append(roster_log_generation(athlete.coach_id))
    return generations


def _close(session: ScheduledSession, **changes) -> ScheduledSession:
    for name, value in changes.items():
        setattr(session, name, value)
    session.full_clean(exclude=["athlete", "assignment", "program_session"])
    session.save(update_fields=[*changes, "updated_at"])
    # A session closed or reopened resolves or raises its flags: the worker's recheck sees to
    # it. Not checked here as well (athlete_schedule_changed): this is the athlete's commonest
    # request, and no page of theirs shows flags.
    athlete_flags_recheck(session.athlete_id)
    return session


@transaction.atomic(durable=True)
def session_complete(
    *,
    athlete: Athlete,
    session_id: int,
    session_rpe: int,
    actual_minutes: int | None = None,
    notes: str = "",
) -> ScheduledSession:
    """Mark the athlete's session done with how hard it felt and how long it took; a note for
    the coach is posted on the session's thread."""
    session = _session_locked(athlete, session_id)
    if session.status == ScheduledSession.Status.SKIPPED:
        raise ValidationError("This session was skipped. Reopen it first.")
    note = notes.strip()
    if note:
        session.athlete = athlete
        comment_post(
            author=athlete.user,
            subject=session,
            comment_id=completion_note_comment_id(session.pk, note),
            body=note,
        )
    return _close(
        session,
        status=ScheduledSession.Status.COMPLETED,
        session_rpe=session_rpe,
        actual_minutes=actual_minutes,
        skip_reason="",
        completed_at=session.completed_at or timezone.now(),
    )


@transaction.atomic(durable=True)
def session_skip(*, athlete: Athlete, session_id: int, skip_reason: str) -> ScheduledSession:
    """Mark the athlete's session skipped; the coach sees the reason."""
    session = _session_locked(athlete, session_id)
    if session.status == ScheduledSession.Status.COMPLETED:
        raise ValidationError("This session is already complete. Reopen it first.")
    reason = skip_reason.strip()
    if not reason:
        raise ValidationError({"skip_reason": "Say why, so your coach knows."})
    return _close(
        session, status=ScheduledSession.Status.SKIPPED, skip_reason=reason, completed_at=None
    )


def session_reopen_allowed(session: ScheduledSession, now: dt.datetime | None = None) -> bool:
    """A closed session can be reopened on the day it was closed, in the athlete's zone.

    The day it was closed is the day of `completed_at` for a completed session and of the last
    change for a skipped one.
    """
    if session.status == ScheduledSession.Status.PLANNED:
        return False
    closed_at = session.completed_at or session.updated_at
    return session.athlete.today(now) == session.athlete.date_at(closed_at)


@transaction.atomic(durable=True)
def session_reopen(*, athlete: Athlete, session_id: int) -> ScheduledSession:
    """Open a closed session again the same day, to correct a set. Its sets keep their ids;
    the session RPE, duration and note stay as a starting point for completing it again."""
    session = _session_locked(athlete, session_id)
    session.athlete = athlete
    if session.status == ScheduledSession.Status.PLANNED:
        return session  # already open: a double tap on "Reopen" is one reopen
    if not session_reopen_allowed(session):
        raise ValidationError("A session can only be reopened on the day it was closed.")
    return _close(
        session, status=ScheduledSession.Status.PLANNED, skip_reason="", completed_at=None
    )
