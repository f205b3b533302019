"""Reads behind the progress pages and the coach's athlete page: blocks, logged work, transfer
tests, compliance, and the rows of the CSV exports.

Each function but the `_for_user` one takes an athlete the caller already scoped (the coach's
own athlete or the signed-in athlete) and runs a fixed number of queries, however long the
history.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from athletes.models import Assignment, Athlete, ScheduledSession, SetLog, TransferTest
from athletes.rules import progress as rules
from athletes.rules.strength import Load
from athletes.selectors.logging import session_done_on, sessions_history_for_athlete
from athletes.selectors.scoping import owned_by
from programs.models import Exercise

# -- strength blocks -------------------------------------------------------------------------


def blocks_for_athlete(athlete: Athlete) -> list[rules.Block]:
    """Every assigned program as a dated block, oldest first: one ended early stops the day
    before it ended, and one ended before it started is left out."""
    assignments = (
        Assignment.objects.filter(athlete=athlete).select_related("program").order_by("start_date")
    )
    blocks = []
    for a in assignments:
        end = rules.block_end(a.start_date, a.program.weeks)
        if a.ended_at is not None:
            # Its last day: the day before a midnight end (replaced from a Monday), else that day.
            end = min(end, athlete.date_at(a.ended_at - dt.timedelta(microseconds=1)))
        if end >= a.start_date:
            blocks.append(rules.Block(start=a.start_date, end=end, label=a.program.name))
    return blocks


def block_for_change(blocks: Sequence[rules.Block], today: dt.date) -> rules.Block | None:
    """The block a test's change is measured over: the latest one that has started."""
    started = [b for b in blocks if b.start <= today]
    return started[-1] if started else None


# -- logged work -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoggedSet:
    date: dt.date
    session_id: int
    exercise_id: int
    exercise_name: str
    set_number: int
    reps: int | None
    load: Decimal | None  # in the athlete's unit: as entered when entered in it


@dataclass(frozen=True)
class DoneSession:
    date: dt.date
    session_rpe: int | None
    minutes: int | None


def logged_sets_for_athlete(athlete: Athlete) -> list[LoggedSet]:
    """Every working set of completed sessions (warm-up and mobility drills left out), on the
    day its session was done, its load in the athlete's unit (exactly as entered when it was
    entered in it, so 4 × 5 @ 135 lb is 2700 lb)."""
    rows = (
        SetLog.objects.filter(
            scheduled_session__athlete=athlete,
            scheduled_session__status=ScheduledSession.Status.COMPLETED,
        )
        .exclude(exercise__category=Exercise.Category.MOBILITY)
        .annotate(done_on=session_done_on(athlete.tz, "scheduled_session__"))
        .values_list(
            "done_on",
            "scheduled_session_id",
            "exercise_id",
            "exercise__name",
            "set_number",
            "reps",
            "load_entered",
            "load_unit",
        )
    )
    return [
        LoggedSet(*row, load=None if amount is None else Load(amount, unit).in_unit(athlete.unit))
        for *row, amount, unit in rows
    ]


def sessions_done_for_athlete(athlete: Athlete) -> list[DoneSession]:
    """Every completed session on the day it was done, with its RPE and minutes (those
    planned when none were given)."""
    rows = (
        ScheduledSession.objects.filter(athlete=athlete, status=ScheduledSession.Status.COMPLETED)
        .annotate(done_on=session_done_on(athlete.tz))
        .values_list("done_on", "session_rpe", "actual_minutes", "duration_minutes")
    )
    return [DoneSession(day, rpe, actual or planned) for day, rpe, actual, planned in rows]


def sessions_with_sets_for_athlete(athlete: Athlete):
    """The athlete's history, newest first, each session with its sets (by exercise name)."""
    return sessions_history_for_athlete(athlete).prefetch_related(
        Prefetch(
            "set_logs",
            queryset=SetLog.objects.select_related("exercise").order_by(
                "exercise__name", "set_number", "side"
            ),
        )
    )


def compliance_for_athlete(athlete: Athlete, today: dt.date) -> dict[int, rules.Compliance]:
    """Compliance over 14 and 28 days, from one query."""
    first, _ = rules.compliance_window(today, 28)
    sessions = list(
        ScheduledSession.objects.filter(athlete=athlete, date__gte=first, date__lt=today).only(
            "date", "status"
        )
    )
    return {days: rules.compliance(sessions, today=today, days=days) for days in (14, 28)}


# -- transfer tests --------------------------------------------------------------------------


def transfer_tests_for_athlete(athlete: Athlete):
    """The athlete's tests, oldest first."""
    return TransferTest.objects.filter(athlete=athlete).order_by("date", "id")


def transfer_test_get_for_user(user, test_id) -> TransferTest:
    """A test of the signed-in athlete's, or of one of the coach's athletes; else 404."""
    return get_object_or_404(
        owned_by(user, TransferTest.objects.select_related("athlete")), pk=test_id
    )


# -- CSV export ------------------------------------------------------------------------------

LOG_CSV_COLUMNS = (
    "date", "session", "status", "session_rpe", "minutes", "skip_reason", "exercise",
    "set", "side", "reps", "load_kg", "load_entered", "load_unit", "hold_seconds", "rpe",
    "prescribed",
)  # fmt: skip
TESTS_CSV_COLUMNS = ("date", "test", "value", "unit", "detail", "splits_seconds", "notes")


def log_csv_rows(athlete: Athlete):
    """Every logged set (and every session done or skipped without sets) of the athlete, oldest
    first."""
    yield LOG_CSV_COLUMNS
    for session in sessions_with_sets_for_athlete(athlete).reverse():
        head = (
            session.date.isoformat(), session.name, session.status, session.session_rpe,
            session.actual_minutes, session.skip_reason,
        )  # fmt: skip
        sets = list(session.set_logs.all())
        if not sets:
            yield (*head, "", "", "", "", "", "", "", "")
        for s in sets:
            yield (
                *head, s.exercise.name, s.set_number, s.side, s.reps, s.load_kg,
                s.load_entered, s.load_unit, s.hold_seconds, s.rpe, s.prescribed,
            )  # fmt: skip


def tests_csv_rows(athlete: Athlete):
    yield TESTS_CSV_COLUMNS
    for t in transfer_tests_for_athlete(athlete):
        yield (
            t.date.isoformat(), t.kind, t.value, rules.TEST_KINDS[t.kind].unit, t.detail,
            " ".join(str(s) for s in t.splits), t.notes,
        )  # fmt: skip


# What each export is called in its URL (progress/export/<what>.csv), and its rows.
CSV_EXPORTS = {"log": log_csv_rows, "tests": tests_csv_rows}
