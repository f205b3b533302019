"""Flagging at scale: athletes × 16 strength sessions (8 weeks of Monday heavy / Thursday
moderate) with 16 run events each (a B race, an A race, a weekly key session on a weekday that
varies by athlete, easy runs); the full scan (its chunks shared by `--processes` processes, as
that many workers would share them) and a single-athlete recheck after a change.

Prints one JSON line: athletes, sessions, events, flags (open after the scan), full_scan_s,
full_scan_queries (queries of the busiest chunk: the same whatever the number of athletes),
recheck_ms (median of 5 rechecks, each after moving a session), recheck_queries; plus chunks,
chunk_size, processes, full_scan_cpu_s, horizon_days, setup_s; and the floor: bare_sql_scan_s
(the freshness flags as one SQL statement, rolled back), bare_sql_flags and scan_over_bare_sql
(full_scan_s over it). Targets on a 2-core machine:
full_scan_s <= 5, full_scan_queries the same at 1,000 and 10,000 athletes, recheck_ms <= 50,
recheck_queries <= 10. Progress goes to stderr. Default 10,000 athletes:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \\
        .venv/bin/python benchmarks/bench_flagging.py 1000 [--chunk-size N] [--processes N]

The horizon is stretched to cover every generated session, so all of them are checked. The
generated rows are committed (the pool's processes must see them) and deleted at the end.
"""

import argparse
import datetime as dt
import multiprocessing
import statistics
import sys
import time
import uuid

from harness import measured, report, run

WEEKS = 8
ATHLETES_PER_COACH = 25
TIME_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney")
SESSION_TIME = dt.time(18, 0)
RECHECKS = 5
BATCH = 5000


def progress(message):
    print(message, file=sys.stderr, flush=True)


def username_pattern(prefix):
    """A LIKE pattern for the usernames generate() made."""
    return prefix.replace("_", r"\_") + "%"


def bench_athletes(prefix):
    from athletes.models import Athlete

    return Athlete.objects.filter(user__username__startswith=prefix)


def generate(count: int, prefix: str) -> dt.date:
    """Coaches, athletes, one 8-week program assigned to all; returns its first Monday."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from athletes.models import Assignment, Athlete, Flag, RunEvent, ScheduledSession
    from web.database import statistics_refresh

    progress(f"Generating {count} athletes…")
    user_model = get_user_model()
    coaches = user_model.objects.bulk_create(
        user_model(username=f"{prefix}coach{i}", role="coach", password=UNUSABLE_PASSWORD_PREFIX)
        for i in range(max(1, count // ATHLETES_PER_COACH))
    )
    users = user_model.objects.bulk_create(
        (
            user_model(
                username=f"{prefix}athlete{i}", role="athlete", password=UNUSABLE_PASSWORD_PREFIX
            )
            for i in range(count)
        ),
        batch_size=BATCH,
    )
    athletes = Athlete.objects.bulk_create(
        (
            Athlete(
                user=user,
                coach=coaches[i % len(coaches)],
                time_zone=TIME_ZONES[i % len(TIME_ZONES)],
                freshness_window_hours=48 if i % 5 == 0 else 36,
                default_session_time=SESSION_TIME,
            )
            for i, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    program_sessions = program(coaches[0])
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(athlete=a, program=program_sessions[0].program, start_date=monday)
            for a in athletes
        ),
        batch_size=BATCH,
    )
    ScheduledSession.objects.bulk_create(
        (
            scheduled_session(athlete, assignment, program_session, monday)
            for athlete, assignment in zip(athletes, assignments, strict=True)
            for program_session in program_sessions
        ),
        batch_size=BATCH,
    )
    RunEvent.objects.bulk_create(
        (event for i, athlete in enumerate(athletes) for event in run_events(athlete, i, monday)),
        batch_size=BATCH,
    )
    statistics_refresh(Athlete, ScheduledSession, RunEvent, Flag)
    return monday


def program(coach):
    """An 8-week program of a heavy Day A and a moderate Day B: its sessions."""
    from programs.models import Program, ProgramSession, ProgramSlot, SessionTemplate

    bench_program = Program.objects.create(coach=coach, name="Bench program", weeks=WEEKS)
    slots = [
        ProgramSlot.objects.create(
            program=bench_program,
            position=position,
            label=label,
            template=SessionTemplate.objects.create(name=f"Bench {label}", owner=coach),
            template_version=1,
        )
        for position, label in enumerate(("Day A", "Day B"))
    ]
    return ProgramSession.objects.bulk_create(
        ProgramSession(
            program=bench_program,
            slot=slot,
            week=week,
            name=f"{slot.label} week {week}",
            intensity="heavy" if slot.position == 0 else "moderate",
            estimated_minutes=60,
        )
        for week in range(1, WEEKS + 1)
        for slot in slots
    )


def scheduled_session(athlete, assignment, program_session, monday):
    from athletes.models import ScheduledSession

    date = monday + dt.timedelta(
        weeks=program_session.week - 1, days=3 * program_session.slot.position
    )
    return ScheduledSession(
        athlete=athlete,
        assignment=assignment,
        program_session=program_session,
        name=program_session.name,
        intensity=program_session.intensity,
        date=date,
        time_of_day=SESSION_TIME,
        starts_at=dt.datetime.combine(date, SESSION_TIME, tzinfo=athlete.tz),
        duration_minutes=60,
    )


def run_events(athlete, index, monday):
    from athletes.models import RunEvent

    tz = athlete.tz

    def at(week, weekday, hour):
        day = monday + dt.timedelta(weeks=week, days=weekday)
        return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)

    key_weekday = index % 7  # some athletes' key session falls the morning after Monday's
    events = [
        RunEvent(athlete=athlete, kind="race", priority="B", name="Bench 10K",
                 starts_at=at(2, 6, 9)),
        RunEvent(athlete=athlete, kind="race", priority="A", name="Bench Half",
                 starts_at=at(5, 6, 9)),
    ]  # fmt: skip
    for week in range(WEEKS):
        key_run = RunEvent(athlete=athlete, kind="interval", is_key=True)
        key_run.starts_at = at(week, key_weekday, 7)
        events.append(key_run)
    for week in range(WEEKS - 2):
        events.append(RunEvent(athlete=athlete, kind="easy", starts_at=at(week, 5, 8)))
    return events


def scan_chunk(chunk) -> tuple[int, float]:
    """One chunk of the scan (in a pool process): its number of queries and CPU seconds."""
    from athletes.services import flagging

    with measured() as scan:
        flagging.flags_scan_chunk(*chunk)
    return scan.queries, scan.cpu_ms / 1000


def full_scan(prefix, chunk_size, processes) -> dict:
    from django.conf import settings
    from django.db import connections

    from athletes.models import Flag, RunEvent, ScheduledSession
    from athletes.services import flagging

    progress(f"Full scan in {processes} process(es)…")
    chunks = flagging.flags_scan_chunks(chunk_size, athletes=bench_athletes(prefix))
    started = time.perf_counter()
    if processes > 1:
        connections.close_all()  # each forked process opens its own connection
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            per_chunk = pool.map(scan_chunk, chunks, chunksize=1)
    else:
        per_chunk = [scan_chunk(chunk) for chunk in chunks]
    elapsed = time.perf_counter() - started
    athletes = bench_athletes(prefix)
    return {
        "athletes": athletes.count(),
        "sessions": ScheduledSession.objects.filter(athlete__in=athletes).count(),
        "events": RunEvent.objects.filter(athlete__in=athletes).count(),
        "flags": Flag.objects.filter(athlete__in=athletes, resolved_at__isnull=True).count(),
        "full_scan_s": round(elapsed, 2),
        "full_scan_queries": max(queries for queries, _ in per_chunk),
        # CPU seconds the scan's Python spent, all processes together: on a busy machine
        # the wall-clock figure also counts the time spent waiting for a core.
        "full_scan_cpu_s": round(sum(cpu for _, cpu in per_chunk), 2),
        "chunks": len(chunks),
        "chunk_size": chunk_size or settings.FLAG_SCAN_CHUNK_SIZE,
        "processes": processes,
    }


def rechecks(prefix, monday) -> dict:
    """Each round moves an athlete's Monday heavy session to the evening before their A race
    (or back), then rechecks that athlete alone."""
    from athletes.models import ScheduledSession
    from athletes.services import flagging

    progress("Rechecks…")
    athlete = bench_athletes(prefix).order_by("pk").first()
    session = athlete.scheduled_sessions.filter(intensity="heavy").order_by("date").first()
    race_eve = monday + dt.timedelta(weeks=5, days=5)
    timings, counts = [], []
    for round_number in range(RECHECKS):
        date = race_eve if round_number % 2 == 0 else session.date
        ScheduledSession.objects.filter(pk=session.pk).update(
            date=date, starts_at=dt.datetime.combine(date, SESSION_TIME, tzinfo=athlete.tz)
        )
        with measured() as recheck:
            result = flagging.flags_refresh_for_athlete(athlete.pk)
        if not (result.raised or result.resolved):
            raise RuntimeError("a recheck after a change raised and resolved nothing")
        timings.append(recheck.ms)
        counts.append(recheck.queries)
    return {"recheck_ms": round(statistics.median(timings), 1), "recheck_queries": max(counts)}


def bare_sql_scan(prefix) -> dict:
    """The floor of the full scan: the freshness half of its job as one INSERT … SELECT … ON
    CONFLICT DO UPDATE that PostgreSQL runs alone (every planned heavy session against each
    race or key run starting within the athlete's window after it), in a transaction rolled
    back afterwards. Its rule is simpler than the scan's (no taper, no better day, every event
    in the window rather than the rule's findings), so it writes about as many flags with none
    of the scan's Python: the ratio of the two is what that Python and its round trips cost."""
    from django.db import connection, transaction

    from athletes.models import Athlete, Flag, RunEvent, ScheduledSession
    from coach.models import User

    progress("Bare-SQL scan…")
    ends = "s.starts_at + s.duration_minutes * interval '1 minute'"
    # Only table names from our models are formatted in; the pattern is a parameter.
    statement = f"""
        INSERT INTO {Flag._meta.db_table} (athlete_id, scheduled_session_id, run_event_id, kind,
            severity, hours_before, session_ends_at, event_starts_at, event_name,
            suggested_starts_at, suggestion_reason, raised_at, resolved_at, acknowledged_at,
            notified_at)
        SELECT s.athlete_id, s.id, e.id, 'freshness',
            CASE WHEN e.starts_at - ({ends}) < interval '24 hours' THEN 'conflict'
                 ELSE 'warning' END,
            round((extract(epoch FROM e.starts_at - ({ends})) / 3600)::numeric, 1),
            {ends}, e.starts_at, e.name, NULL, '', now(), NULL, NULL, NULL
        FROM {ScheduledSession._meta.db_table} s
        JOIN {Athlete._meta.db_table} a ON a.id = s.athlete_id
        JOIN {User._meta.db_table} u ON u.id = a.user_id AND u.username LIKE %s
        JOIN {RunEvent._meta.db_table} e ON e.athlete_id = s.athlete_id
            AND (e.kind = 'race' OR e.is_key)
            AND e.starts_at > {ends}
            AND e.starts_at <= {ends} + a.freshness_window_hours * interval '1 hour'
        WHERE s.status = 'planned' AND s.intensity = 'heavy'
        ON CONFLICT (scheduled_session_id, run_event_id, kind) DO UPDATE SET
            severity = EXCLUDED.severity, hours_before = EXCLUDED.hours_before,
            session_ends_at = EXCLUDED.session_ends_at,
            event_starts_at = EXCLUDED.event_starts_at, event_name = EXCLUDED.event_name
    """  # nosec B608
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(statement, [username_pattern(prefix)])
        elapsed = time.perf_counter() - started
        rows = cursor.rowcount
        transaction.set_rollback(True)
    return {"bare_sql_scan_s": round(elapsed, 2), "bare_sql_flags": rows}


def remove(prefix):
    """Delete what generate() made, children first, in plain SQL (the ORM would load the
    hundreds of thousands of rows to cascade)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from athletes.models import Assignment, Athlete, Flag, RunEvent, ScheduledSession
    from programs.models import Program, ProgramSession, ProgramSlot, SessionTemplate

    progress("Removing the generated rows…")
    users = f"SELECT id FROM {get_user_model()._meta.db_table} WHERE username LIKE %s"
    athletes = f"SELECT id FROM {Athlete._meta.db_table} WHERE user_id IN ({users})"
    programs = f"SELECT id FROM {Program._meta.db_table} WHERE coach_id IN ({users})"
    deletions = [
        (Flag, f"athlete_id IN ({athletes})"),
        (ScheduledSession, f"athlete_id IN ({athletes})"),
        (RunEvent, f"athlete_id IN ({athletes})"),
        (Assignment, f"athlete_id IN ({athletes})"),
        (Athlete, f"user_id IN ({users})"),
        (ProgramSession, f"program_id IN ({programs})"),
        (ProgramSlot, f"program_id IN ({programs})"),
        (Program, f"coach_id IN ({users})"),
        (SessionTemplate, f"owner_id IN ({users})"),
        (get_user_model(), f"id IN ({users})"),
    ]
    # Only table names and the subqueries above are formatted in; the pattern is a parameter.
    pattern = username_pattern(prefix)
    with transaction.atomic(), connection.cursor() as cursor:
        for model, condition in deletions:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {condition}", [pattern])


def flagging_figures(athletes: int, chunk_size: int | None = None, processes: int = 2) -> dict:
    """Generate, scan, recheck and remove again; the figures of the docstring above."""
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    if connection.vendor != "postgresql":
        progress("Warning: the figures are meant for PostgreSQL.")
    prefix = f"bench-{uuid.uuid4().hex[:8]}-"
    figures = {"name": "flagging"}
    try:
        started = time.perf_counter()
        monday = generate(athletes, prefix)
        figures["setup_s"] = round(time.perf_counter() - started, 1)
        horizon_days = (monday + dt.timedelta(weeks=WEEKS) - timezone.localdate()).days + 1
        with override_settings(FLAG_SCAN_HORIZON_DAYS=horizon_days):
            figures.update(full_scan(prefix, chunk_size, processes), horizon_days=horizon_days)
            figures.update(bare_sql_scan(prefix))
            figures["scan_over_bare_sql"] = round(
                figures["full_scan_s"] / max(figures["bare_sql_scan_s"], 0.01), 1
            )
            figures.update(rechecks(prefix, monday))
    finally:
        remove(prefix)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("athletes", nargs="?", type=int, default=10_000)
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument(
        "--processes",
        type=int,
        default=2,
        help="Processes sharing the scan's chunks, as that many workers would (default 2).",
    )
    arguments = parser.parse_args(argv)
    report(**flagging_figures(arguments.athletes, arguments.chunk_size, arguments.processes))


if __name__ == "__main__":
    run(main, database="test_coach_bench_flagging")
