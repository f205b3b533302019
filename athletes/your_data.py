""" "Download my data": what goes in the zip, as one declarative list per role.

Each `Export` is one kind of row, written twice into the zip, as `<name>.json` (a list of
objects) and `<name>.csv` (a header and one line per row), with the same columns. A feature that
adds data a user owns adds one line to ATHLETE_DATA or COACH_DATA.

The zip is written a row at a time into a spooled temporary file (in memory up to
SPOOL_IN_MEMORY_BYTES, on disk beyond), so a long history never sits in memory whole; each
export is two queries (one per file), however many rows.
"""

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from athletes.models import (
    Assignment,
    Athlete,
    Comment,
    Flag,
    OneRepMax,
    RunDone,
    RunEvent,
    ScheduledSession,
    SetLog,
    TransferTest,
)
from programs.models import Prescription, Program, ProgramPrescription, SessionTemplate
from web.spreadsheet import spreadsheet_safe

SPOOL_IN_MEMORY_BYTES = 5 * 1024 * 1024
ROWS_PER_FETCH = 2000

PRESCRIPTION_FIELDS = (
    "exercise__name",
    "position",
    "block",
    "sets",
    "reps_min",
    "reps_max",
    "hold_seconds",
    "per_side",
    "load_kind",
    "load_percent_1rm",
    "load_rpe",
    "load_text",
    "rest_seconds",
    "cue",
)


@dataclass(frozen=True)
class Export:
    name: str
    rows: Callable[[object], QuerySet]  # the user's rows
    columns: tuple[str, ...]  # paths for QuerySet.values(), the files' column names


ATHLETE_DATA = (
    Export(
        "profile",
        lambda user: Athlete.objects.filter(user=user),
        (
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__email",
            "time_zone",
            "unit",
            "freshness_window_hours",
            "default_session_time",
            "coach__username",
            "coached_since",
            "created_at",
        ),
    ),
    Export(
        "programs_assigned",
        lambda user: Assignment.objects.filter(athlete__user=user),
        ("id", "program__name", "program__weeks", "start_date", "ended_at", "created_at"),
    ),
    Export(
        "sessions",
        lambda user: ScheduledSession.objects.filter(athlete__user=user),
        (
            "id",
            "assignment_id",
            "name",
            "intensity",
            "date",
            "time_of_day",
            "starts_at",
            "duration_minutes",
            "status",
            "session_rpe",
            "actual_minutes",
            "skip_reason",
            "completed_at",
        ),
    ),
    Export(
        "sets",
        lambda user: SetLog.objects.filter(scheduled_session__athlete__user=user),
        (
            "id",
            "scheduled_session_id",
            "exercise__name",
            "set_number",
            "side",
            "reps",
            "load_kg",
            "load_entered",
            "load_unit",
            "hold_seconds",
            "rpe",
            "prescribed",
            "logged_at",
        ),
    ),
    Export(
        "run_events",
        lambda user: RunEvent.objects.filter(athlete__user=user),
        (
            "id",
            "kind",
            "name",
            "starts_at",
            "duration_minutes",
            "distance_m",
            "priority",
            "is_key",
        ),
    ),
    Export(
        "runs_done",
        lambda user: RunDone.objects.filter(athlete__user=user),
        (
            "id",
            "run_event_id",
            "kind",
            "sport",
            "started_at",
            "elapsed_seconds",
            "moving_seconds",
            "distance_m",
            "average_heart_rate",
            "rpe",
            "source",
            "splits",
        ),
    ),
    Export(
        # Both sides of the conversation about their training: it is about them.
        "comments",
        lambda user: Comment.objects.filter(thread__athlete__user=user),
        (
            "id",
            "thread__scheduled_session_id",
            "thread__run_event_id",
            "thread__run_done_id",
            "author__username",
            "body",
            "created_at",
            "edited_at",
        ),
    ),
    Export(
        "tested_maxes",
        lambda user: OneRepMax.objects.filter(athlete__user=user),
        ("id", "exercise__name", "load_kg", "load_entered", "load_unit", "tested_on"),
    ),
    Export(
        "transfer_tests",
        lambda user: TransferTest.objects.filter(athlete__user=user),
        ("id", "kind", "date", "value", "detail", "splits", "notes", "created_at"),
    ),
    Export(
        "flags",
        lambda user: Flag.objects.filter(athlete__user=user),
        (
            "id",
            "scheduled_session_id",
            "kind",
            "severity",
            "hours_before",
            "event_name",
            "event_starts_at",
            "raised_at",
            "resolved_at",
            "acknowledged_at",
        ),
    ),
)

COACH_DATA = (
    Export(
        "profile",
        lambda user: get_user_model().objects.filter(pk=user.pk),
        ("username", "first_name", "last_name", "email", "date_joined"),
    ),
    Export(
        "templates",
        lambda user: SessionTemplate.objects.filter(owner=user),
        ("id", "name", "description", "target_minutes", "intensity_override", "is_archived"),
    ),
    Export(
        "template_prescriptions",
        lambda user: Prescription.objects.filter(template__owner=user),
        ("template_id", *PRESCRIPTION_FIELDS),
    ),
    Export(
        "programs",
        lambda user: Program.objects.filter(coach=user),
        ("id", "name", "description", "weeks", "archived_at", "created_at"),
    ),
    Export(
        "program_prescriptions",
        lambda user: ProgramPrescription.objects.filter(session__program__coach=user),
        ("session__program_id", "session__week", "session__name", *PRESCRIPTION_FIELDS),
    ),
    Export(
        "roster",
        lambda user: Athlete.objects.filter(coach=user),
        (
            "user__username",
            "user__first_name",
            "user__last_name",
            "time_zone",
            "freshness_window_hours",
            "coach_note",
            "coached_since",
        ),
    ),
)


def exports_for(user) -> tuple[Export, ...]:
    """What a user's zip holds: an athlete's training, a coach's library and roster."""
    if user.is_athlete:
        return ATHLETE_DATA
    if user.is_coach:
        return COACH_DATA
    return ()


def your_data_zip(user) -> tempfile.SpooledTemporaryFile:
    """The user's data as a zip, rewound for reading."""
    # Handed open to the response, which closes it once sent.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for export in exports_for(user):
            _write_json(archive, export, user)
            _write_csv(archive, export, user)
    spool.seek(0)
    return spool


def _rows(export: Export, user):
    return export.rows(user).order_by("pk").values(*export.columns).iterator(ROWS_PER_FETCH)


def _write_json(archive: zipfile.ZipFile, export: Export, user) -> None:
    with archive.open(f"{export.name}.json", "w") as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8")
        out.write("[")
        for index, row in enumerate(_rows(export, user)):
            out.write(",\n" if index else "\n")
            out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
        out.write("\n]\n")
        out.flush()
        out.detach()


def _write_csv(archive: zipfile.ZipFile, export: Export, user) -> None:
    with archive.open(f"{export.name}.csv", "w") as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(out)
        writer.writerow(export.columns)
        for row in _rows(export, user):
            writer.writerow([_csv_cell(row[column]) for column in export.columns])
        out.flush()
        out.detach()


def csv_cell(json_value) -> str:
    """A value of the JSON file as its CSV cell: text as it is, nothing as an empty cell,
    anything else (numbers, true/false, lists) as JSON writes it."""
    if json_value is None:
        return ""
    if isinstance(json_value, str):
        return spreadsheet_safe(json_value)
    return spreadsheet_safe(json.dumps(json_value, ensure_ascii=False))


def _csv_cell(value) -> str:
    # Through the JSON encoder first, so dates, times and decimals read as in the JSON file.
    return csv_cell(json.loads(json.dumps(value, cls=DjangoJSONEncoder)))
