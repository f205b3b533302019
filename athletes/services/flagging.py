"""Flags: heavy sessions too close to races and key runs — raised, updated and resolved in sets,
and the coaches' digest of new ones. (The coach's answers to a flag: flag_answers.py.)

The rule lives in athletes/rules/flagging.py; here it meets the database. One check covers a
range of athletes (a scan chunk, or one athlete for a recheck) in a constant handful of queries:
lock the athletes, read their sessions, run events and open flags, upsert what changed, resolve
what went away.

Concurrency: every writer of an athlete's flags (a check, an acknowledgement, a move, the digest)
first locks that athlete's row (SELECT … FOR NO KEY UPDATE, in id order, so never a deadlock),
so two of them never interleave on one athlete and a late reader sees what the earlier one
committed. (NO KEY: adding a session or run event for the athlete meanwhile is not held up.)
Flags are written by an upsert on their unique (session, event, kind), so a check that runs
twice, late, or alongside another leaves the same flags.
"""

import datetime as dt
from bisect import bisect_left
from collections import defaultdict, namedtuple
from dataclasses import dataclass, fields
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete, Flag, FlagScan, RunEvent, ScheduledSession
from athletes.rules import flagging as rule
from athletes.rules.freshness import HARD_KINDS
from notices.models import Kind
from notices.services import notice_send
from web.database import rows_in_binary, server_bound_cursor

# Sessions and events read around the horizon: the better-day search looks up to
# SUGGESTION_SEARCH_DAYS past a session, keeps 48 h from other sessions, needs the events
# up to 10 days (the taper) after a candidate day and the race the day before one (no heavy
# work the day after an A race).
SESSIONS_BEFORE_NOW = dt.timedelta(days=3)
SESSIONS_AFTER_HORIZON = dt.timedelta(days=rule.SUGGESTION_SEARCH_DAYS + 3)
EVENTS_BEFORE_NOW = dt.timedelta(days=2)
EVENTS_AFTER_HORIZON = dt.timedelta(days=rule.SUGGESTION_SEARCH_DAYS + rule.TAPER_DAYS + 2)
ONE_DAY = dt.timedelta(days=1)

# What a check writes on a flag: the rule's figures, then its lifecycle.
FLAG_FIGURES = (
    "severity",
    "hours_before",
    "session_ends_at",
    "event_starts_at",
    "event_name",
    "suggested_starts_at",
    "suggestion_reason",
)
FLAG_LIFECYCLE = ("raised_at", "resolved_at", "acknowledged_at", "notified_at")
FLAG_UNIQUE = ("scheduled_session", "run_event", "kind")
FLAG_UPSERTED = ("athlete", *FLAG_FIGURES, *FLAG_LIFECYCLE)
# What a check reads of an open flag.
OpenFlag = namedtuple(
    "OpenFlag",
    (
        "pk",
        "scheduled_session_id",
        "run_event_id",
        "kind",
        *FLAG_FIGURES,
        *FLAG_LIFECYCLE,
        "scheduled_session__starts_at",
    ),
)


@dataclass
class FlagCheckResult:
    """What a check changed: flags raised (new or again), updated in place, resolved."""

    athletes: int = 0
    raised: int = 0
    updated: int = 0
    resolved: int = 0

    def __add__(self, other: "FlagCheckResult") -> "FlagCheckResult":
        return FlagCheckResult(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(self))
        )


def flags_refresh_for_athlete(athlete_id: int, *, now: dt.datetime | None = None):
    """Raise, update and resolve one athlete's flags, on all their upcoming sessions — past the
    scan's horizon too, so a change for a race months away is flagged at once. A missing
    athlete is nothing to do."""
    return flags_scan_chunk(athlete_id, athlete_id, now=now, horizon_days=None)


def flags_scan_chunks(chunk_size: int | None = None, athletes=None) -> list[tuple[int, int]]:
    """The scan's chunks: (first, last) athlete ids, `chunk_size` athletes each (of all
    athletes, or of the `athletes` queryset)."""
    size = chunk_size or settings.FLAG_SCAN_CHUNK_SIZE
    athletes = Athlete.objects.all() if athletes is None else athletes
    ids = list(athletes.order_by("pk").values_list("pk", flat=True))
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def flags_scan_all(*, chunk_size: int | None = None, now: dt.datetime | None = None):
    """The whole scan in this process, chunk after chunk (what the workers share out)."""
    total = FlagCheckResult()
    for first, last in flags_scan_chunks(chunk_size):
        total += flags_scan_chunk(first, last, now=now)
    return total


SCAN_HORIZON = object()  # FLAG_SCAN_HORIZON_DAYS, read when the check runs


@transaction.atomic
def flags_scan_chunk(
    first_athlete_id: int,
    last_athlete_id: int,
    *,
    now: dt.datetime | None = None,
    horizon_days: int | None = SCAN_HORIZON,
    scan_id: int | None = None,
) -> FlagCheckResult:
    """Check every athlete with an id from `first_athlete_id` to `last_athlete_id`: their
    planned heavy sessions starting within `horizon_days` (FLAG_SCAN_HORIZON_DAYS; None for
    no end). Flags on sessions past the horizon are left to the rechecks. Queries: one per
    table read (athletes, sessions, events, open flags) and one per write (upsert, resolve),
    whatever the number of athletes. A chunk of the periodic scan `scan_id` is marked done
    in the same transaction as its flags (two queries more)."""
    now = now or timezone.now()
    if horizon_days is SCAN_HORIZON:
        horizon_days = settings.FLAG_SCAN_HORIZON_DAYS
    horizon_end = None if horizon_days is None else now + dt.timedelta(days=horizon_days)
    result = _flags_check((first_athlete_id, last_athlete_id), now, horizon_end)
    if scan_id is not None:
        _flag_scan_chunk_done(scan_id, first_athlete_id, now)
    return result


def _flags_check(athlete_range, now, horizon_end) -> FlagCheckResult:
    athletes = list(
        Athlete.objects.select_for_update(no_key=True)
        .filter(pk__range=athlete_range)
        .order_by("pk")
        .values_list("pk", "time_zone", "freshness_window_hours", "default_session_time")
    )
    if not athletes:
        return FlagCheckResult()
    sessions_by_athlete, flaggable = _sessions_by_athlete(athlete_range, now, horizon_end)
    events_by_athlete = _events_by_athlete(athlete_range, now, horizon_end)
    wanted = {}
    for athlete_id, time_zone, window_hours, default_time in athletes:
        if not (flaggable[athlete_id] and events_by_athlete[athlete_id]):
            continue  # nothing heavy planned, or no race or key run ahead: no flag
        calendar = rule.AthleteCalendar(
            tz=ZoneInfo(time_zone),
            window_hours=window_hours,
            sessions=sessions_by_athlete[athlete_id],
            events=events_by_athlete[athlete_id],
            default_time=default_time,
        )
        for session in calendar.starting_within(flaggable[athlete_id], now, horizon_end):
            findings = calendar.findings(session)
            if not findings:
                continue
            suggestion = calendar.better_start(session, earliest=now)
            for finding in findings:
                key = (finding.session_id, finding.event_id, finding.kind)
                wanted[key] = (athlete_id, finding, suggestion)
    result = _flags_write(athlete_range, wanted, now, horizon_end)
    result.athletes = len(athletes)
    return result


@transaction.atomic
def flag_scan_start(chunks_sent: int, *, now: dt.datetime | None = None) -> FlagScan:
    """Record a periodic scan that is about to send `chunks_sent` chunks (a scan of no athletes
    is finished at once). Scans started before the last finished one are forgotten: a chunk of
    theirs that runs late finds nothing to mark."""
    now = now or timezone.now()
    last_finished = FlagScan.objects.filter(finished_at__isnull=False).order_by("-finished_at")
    if started := last_finished.values_list("started_at", flat=True).first():
        FlagScan.objects.filter(started_at__lt=started).delete()
    scan = FlagScan(
        started_at=now, chunks_sent=chunks_sent, finished_at=None if chunks_sent else now
    )
    scan.full_clean()
    scan.save()
    return scan


def _flag_scan_chunk_done(scan_id: int, first_athlete_id: int, now: dt.datetime) -> None:
    """Mark one chunk of the scan done; the last one finishes the scan. The scan's row lock
    makes its chunks take turns here (each at the very end of its transaction), so two chunks
    finishing together still count as two."""
    scan = FlagScan.objects.select_for_update().filter(pk=scan_id).first()
    if scan is None or first_athlete_id in scan.chunks_done:
        return
    scan.chunks_done.append(first_athlete_id)
    if len(scan.chunks_done) == scan.chunks_sent:
        scan.finished_at = now
    scan.save(update_fields=["chunks_done", "finished_at"])


def _athlete_between(athlete_range) -> dict:
    first, last = athlete_range
    return {"athlete_id__gte": first, "athlete_id__lte": last}


# What a check reads of a session: field → its lookup.
SESSION_READ = {
    "pk": "pk",
    "athlete_id": "athlete_id",
    "date": "date",
    "time_of_day": "time_of_day",
    "duration_minutes": "duration_minutes",
    "intensity": "intensity",
    "status": "status",
    "block_starts": "assignment__start_date",
    "block_weeks": "assignment__program__weeks",
    "week": "program_session__week",
    "assignment_id": "assignment_id",
    "slot_id": "program_session__slot_id",
}
SessionRow = namedtuple("SessionRow", SESSION_READ)


def _sessions_by_athlete(athlete_range, now, horizon_end):
    """Every session that takes a slot (planned or done) near the horizon, and the planned
    heavy ones, which are the ones to check. Each comes with its program week's Monday and
    the days a better day may take (better_day_span), read in the same query."""
    rows = ScheduledSession.objects.filter(
        **_athlete_between(athlete_range),
        status__in=[ScheduledSession.Status.PLANNED, ScheduledSession.Status.COMPLETED],
        date__gte=(now - SESSIONS_BEFORE_NOW).date(),
    )
    if horizon_end:
        rows = rows.filter(date__lte=(horizon_end + SESSIONS_AFTER_HORIZON).date())
    rows = [
        SessionRow._make(row) for row in rows_in_binary(rows.values_list(*SESSION_READ.values()))
    ]
    slot_dates = defaultdict(list)  # (assignment, slot): its sessions' dates
    for row in rows:
        slot_dates[row.assignment_id, row.slot_id].append(row.date)
    for dates in slot_dates.values():
        dates.sort()
    taking_a_slot, flaggable = defaultdict(list), defaultdict(list)
    for row in rows:
        block_ends = row.block_starts + dt.timedelta(weeks=row.block_weeks, days=-1)
        first_day, last_day = better_day_span(
            row.date, row.block_starts, block_ends, slot_dates[row.assignment_id, row.slot_id]
        )
        session = rule.SessionTimes(
            row.pk,
            row.date,
            row.time_of_day,
            row.duration_minutes,
            row.intensity,
            row.block_starts + dt.timedelta(weeks=row.week - 1),
            first_day,
            last_day,
        )
        taking_a_slot[row.athlete_id].append(session)
        if row.status == ScheduledSession.Status.PLANNED and session.is_heavy:
            flaggable[row.athlete_id].append(session)
    return taking_a_slot, flaggable


def better_day_span(date, block_starts, block_ends, slot_dates) -> tuple[dt.date, dt.date]:
    """The first and last days a better day for a session on `date` may take: inside its block,
    after the session of its slot before it (last week's Day A) and before the one after it,
    so the block's progression keeps its order. `slot_dates`: its slot's sessions, sorted."""
    index = bisect_left(slot_dates, date)
    first, last = block_starts, block_ends
    if index > 0:
        first = max(first, slot_dates[index - 1] + ONE_DAY)
    if index + 1 < len(slot_dates):
        last = min(last, slot_dates[index + 1] - ONE_DAY)
    return first, last


def _events_by_athlete(athlete_range, now, horizon_end):
    """The runs the rule asks about: races and key sessions to flag against, and every race,
    long, tempo or interval run, which a better day keeps off."""
    rows = RunEvent.objects.filter(
        kind__in=HARD_KINDS,
        **_athlete_between(athlete_range),
        starts_at__gte=now - EVENTS_BEFORE_NOW,
    )
    if horizon_end:
        rows = rows.filter(starts_at__lt=horizon_end + EVENTS_AFTER_HORIZON)
    rows = rows_in_binary(
        rows.values_list("pk", "athlete_id", "kind", "starts_at", "name", "priority", "is_key")
    )
    events = defaultdict(list)
    for pk, athlete_id, kind, starts_at, name, priority, is_key in rows:
        events[athlete_id].append(rule.EventTimes(pk, kind, starts_at, name, priority, is_key))
    return events


def _flags_write(athlete_range, wanted, now, horizon_end) -> FlagCheckResult:
    """Upsert the wanted flags that are new or changed; resolve open flags no longer wanted
    (but those on sessions starting past the horizon, which this check did not look at).

    An acknowledgement ("keep anyway") holds while the session's end and the event's start
    hold; when either moves, the flag asks again and is announced again.
    """
    open_rows = rows_in_binary(
        Flag.objects.filter(
            **_athlete_between(athlete_range), resolved_at__isnull=True
        ).values_list(*OpenFlag._fields)
    )
    open_flags = {
        (flag.scheduled_session_id, flag.run_event_id, flag.kind): flag
        for flag in map(OpenFlag._make, open_rows)
    }
    result, rows = FlagCheckResult(), []
    for key, (athlete_id, finding, suggestion) in wanted.items():
        figures = {
            "severity": finding.severity,
            "hours_before": Decimal(f"{finding.hours_before:.1f}"),
            "session_ends_at": finding.session_ends_at,
            "event_starts_at": finding.event_starts_at,
            "event_name": finding.event_name,
            "suggested_starts_at": suggestion.starts_at,
            "suggestion_reason": suggestion.reason,
        }
        lifecycle = dict.fromkeys(FLAG_LIFECYCLE, None) | {"raised_at": now}
        current = open_flags.get(key)
        if current is None:
            result.raised += 1
        elif all(getattr(current, name) == value for name, value in figures.items()):
            continue
        else:
            times_held = (
                current.session_ends_at == finding.session_ends_at
                and current.event_starts_at == finding.event_starts_at
            )
            asks_again = current.acknowledged_at is not None and not times_held
            lifecycle["raised_at"] = current.raised_at
            lifecycle["acknowledged_at"] = None if asks_again else current.acknowledged_at
            lifecycle["notified_at"] = None if asks_again else current.notified_at
            result.updated += 1
        rows.append(
            {
                "athlete_id": athlete_id,
                "scheduled_session_id": finding.session_id,
                "run_event_id": finding.event_id,
                "kind": finding.kind,
                **figures,
                **lifecycle,
            }
        )
    if rows:
        _flags_upsert(rows)
    gone = [
        flag.pk
        for key, flag in open_flags.items()
        if key not in wanted
        and (horizon_end is None or flag.scheduled_session__starts_at < horizon_end)
    ]
    if gone:
        result.resolved = Flag.objects.filter(pk__in=gone).update(resolved_at=now)
    return result


def _flags_upsert(rows: list[dict]) -> None:
    """One INSERT … ON CONFLICT (session, event, kind) DO UPDATE for all rows (keyed by
    attname). On PostgreSQL the columns go as arrays through unnest, bound by the server in
    binary: bulk_create would spend more time preparing 14 values a row in Python than the
    database spends writing them, and so would quoting the arrays into the SQL text."""
    if connection.vendor != "postgresql":
        Flag.objects.bulk_create(
            [Flag(**row) for row in rows],
            update_conflicts=True,
            unique_fields=FLAG_UNIQUE,
            update_fields=FLAG_UPSERTED,
        )
        return
    fields = [Flag._meta.get_field(name) for name in (*FLAG_UNIQUE, *FLAG_UPSERTED)]
    columns = ", ".join(field.column for field in fields)
    arrays = ", ".join(f"%b::{field.db_type(connection)}[]" for field in fields)
    unique = ", ".join(Flag._meta.get_field(name).column for name in FLAG_UNIQUE)
    updates = ", ".join(
        f"{column} = EXCLUDED.{column}"
        for column in (Flag._meta.get_field(name).column for name in FLAG_UPSERTED)
    )
    # Only table and column names from the model are formatted in; every value is a parameter.
    with server_bound_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Flag._meta.db_table} ({columns}) SELECT * FROM unnest({arrays}) "  # nosec B608
            f"ON CONFLICT ({unique}) DO UPDATE SET {updates}",
            [[row[field.attname] for row in rows] for field in fields],
        )


def athletes_lock(athlete_ids) -> None:
    """Take the athletes' row locks, in id order, as every writer of flags does."""
    list(
        Athlete.objects.select_for_update(no_key=True)
        .filter(pk__in=athlete_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def flags_digest_send(*, now: dt.datetime | None = None) -> int:
    """Tell each coach of every flag raised since it was last announced: one notice per flag
    (kind "flag"), emailed with the coach's other notices, at most one email per 10 minutes.
    A flag is announced once, unless it is raised again (its notice's key holds when it was
    raised). Returns the flags announced."""
    now = now or timezone.now()
    with transaction.atomic():
        unannounced = Flag.objects.filter(
            resolved_at__isnull=True, acknowledged_at__isnull=True, notified_at__isnull=True
        )
        athlete_ids = sorted(set(unannounced.values_list("athlete_id", flat=True)))
        if not athlete_ids:
            return 0
        athletes_lock(athlete_ids)
        flags = list(
            unannounced.filter(athlete_id__in=athlete_ids)
            .select_related("athlete__user", "athlete__coach", "scheduled_session")
            .order_by("athlete__coach_id", "event_starts_at", "pk")
        )
        for flag in flags:
            if flag.athlete.coach is None:  # removed from the roster: no coach to tell
                continue
            notice_send(
                recipient=flag.athlete.coach,
                kind=Kind.FLAG,
                key=f"flag:{flag.pk}:{flag.raised_at.isoformat()}",
                title=_flag_title(flag),
                body=_flag_advice(flag),
                url=reverse("athletes:flag-list"),
            )
        Flag.objects.filter(pk__in=[flag.pk for flag in flags]).update(notified_at=now)
    return len(flags)


def _flag_title(flag: Flag) -> str:
    tz = flag.athlete.tz
    taper = ", in the taper" if flag.kind == Flag.Kind.TAPER else ""
    return (
        f"{flag.get_severity_display()}: {flag.athlete} — {flag.scheduled_session.name} "
        f"({flag.session_ends_at.astimezone(tz):%a %-d %b, %H:%M} end) is "
        f"{flag.hours_before.normalize():f} h before {flag.event_name} "
        f"({flag.event_starts_at.astimezone(tz):%a %-d %b, %H:%M}){taper}"
    )


def _flag_advice(flag: Flag) -> str:
    if flag.suggested_starts_at is None:
        return f"{flag.advice_without_a_day}."
    suggested = flag.suggested_starts_at.astimezone(flag.athlete.tz)
    return f"Better: {suggested:%a %-d %b, %H:%M}. Move it in one click or keep it anyway."
