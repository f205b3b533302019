"""Flagging at scale: athletes × 16 strength sessions (8 weeks of Monday heavy / Thursday
moderate) with 16 run events each (a B race, an A race, a weekly key session on a weekday that
varies by athlete, easy runs); the full scan (its chunks shared by `--processes` processes, as
that many workers would share them) and a single-athlete recheck after a change.

Prints one JSON line: athletes, sessions, events, flags (open after the scan), full_scan_s,
full_scan_queries (queries of the busiest chunk: the same whatever the number of athletes),
recheck_ms (median of 5 rechecks, each after moving a session), recheck_queries; plus chunks,
chunk_size, processes, full_scan_cpu_s, horizon_days, setup_s; and the floor: bare_sql_scan_s
(the scan's job as one SQL statement, rolled back), bare_sql_flags, bare_sql_same_flags (it
wrote the scan's flags) and scan_over_bare_sql (full_scan_s over it). Targets on a 2-core
machine: full_scan_s <= 5, scan_over_bare_sql <= 3, full_scan_queries the same at 1,000 and
10,000 athletes, recheck_ms <= 50, recheck_queries <= 10. Progress goes to stderr. Default
10,000 athletes:

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


FLAG_COMPARED = (
    "scheduled_session_id",
    "run_event_id",
    "kind",
    "severity",
    "hours_before",
    "session_ends_at",
    "event_starts_at",
    "event_name",
    "suggested_starts_at",
)


def bare_sql_scan(prefix, now, horizon_days) -> dict:
    """The floor of the full scan: the same job as one INSERT … SELECT that PostgreSQL runs
    alone, in a transaction rolled back afterwards. The same rule (athletes/rules/freshness.py,
    athletes/rules/flagging.py): every planned heavy session starting within the horizon
    against each race or key run after it, hours counted on the athlete's wall clock (a session
    without a time of day at the athlete's default), freshness under the athlete's window, else
    taper before an A race; and the better day, the same time of day up to 14 days either way,
    in the program week first, then the nearest, the day before on a tie, keeping every rule,
    inside the block, between the sessions of its slot before and after it, and before the first
    A race the session is flagged against.
    Only the suggestion's reason (a sentence for the coach) is left out. The scan's flags are
    deleted first (in the same transaction), so both write the same rows into an empty table;
    bare_sql_same_flags says whether they are the same flags (FLAG_COMPARED), so the ratio of
    the two times is what the scan's Python and its round trips cost."""
    from django.db import connection, transaction

    from athletes.models import Assignment, Athlete, Flag, RunEvent, ScheduledSession
    from athletes.rules.flagging import SUGGESTION_SEARCH_DAYS
    from athletes.rules.freshness import (
        CONFLICT_HOURS,
        HARD_KINDS,
        MIN_HOURS_BETWEEN_STRENGTH,
        TAPER_DAYS,
    )
    from coach.models import User
    from programs.models import Program, ProgramSession

    progress("Bare-SQL scan…")
    athletes = bench_athletes(prefix)
    scan_flags = set(
        Flag.objects.filter(athlete__in=athletes, resolved_at__isnull=True).values_list(
            *FLAG_COMPARED
        )
    )
    finding = (
        "session_id, run_event_id, kind, athlete_id, severity, hours, ends, tz, starts_at, label"
    )
    spacing, taper = f"{MIN_HOURS_BETWEEN_STRENGTH} hours", f"{TAPER_DAYS} days"
    # Only table names from our models and the rule's constants are formatted in; the values
    # are parameters.
    statement = f"""
        WITH athlete AS (
            SELECT a.id, a.time_zone AS tz, a.freshness_window_hours AS window_hours,
                a.default_session_time
            FROM {Athlete._meta.db_table} a
            JOIN {User._meta.db_table} u ON u.id = a.user_id AND u.username LIKE %(pattern)s
        ), strength AS (  -- every session taking a slot, on the athlete's wall clock
            SELECT s.id, s.athlete_id, s.status, s.intensity, s.date, a.tz, a.window_hours,
                s.date + coalesce(s.time_of_day, a.default_session_time) AS starts,
                s.duration_minutes * interval '1 minute' AS length,
                asg.start_date AS program_starts,
                asg.start_date + p.weeks * 7 AS program_after,
                asg.start_date + (ps.week - 1) * 7 AS program_week,
                lag(s.date) OVER slot AS slot_previous, lead(s.date) OVER slot AS slot_next
            FROM {ScheduledSession._meta.db_table} s
            JOIN athlete a ON a.id = s.athlete_id
            LEFT JOIN {Assignment._meta.db_table} asg ON asg.id = s.assignment_id
            LEFT JOIN {Program._meta.db_table} p ON p.id = asg.program_id
            LEFT JOIN {ProgramSession._meta.db_table} ps ON ps.id = s.program_session_id
            WHERE s.status IN ('planned', 'completed')
            WINDOW slot AS (PARTITION BY s.assignment_id, ps.slot_id ORDER BY s.date)
        ), run AS (  -- races, long, tempo and interval runs, on the athlete's wall clock
            SELECT e.id, e.athlete_id, e.kind, e.starts_at,
                coalesce(nullif(e.name, ''), initcap(e.kind)) AS label,
                e.kind = 'race' OR e.is_key AS counts,
                e.kind = 'race' AND e.priority = 'A' AS a_race,
                e.starts_at AT TIME ZONE a.tz AS at
            FROM {RunEvent._meta.db_table} e
            JOIN athlete a ON a.id = e.athlete_id
            WHERE e.kind = ANY(%(hard_kinds)s)
        ), no_heavy_day AS (  -- a race or hard run that day, or an A race the day before
            SELECT athlete_id, at::date AS day FROM run
            UNION
            SELECT athlete_id, at::date + 1 FROM run WHERE a_race
        ), checked AS (
            SELECT * FROM strength
            WHERE status = 'planned' AND intensity = 'heavy'
                AND starts >= %(now)s AT TIME ZONE tz AND starts < %(horizon)s AT TIME ZONE tz
        ), problem AS (
            SELECT c.id AS session_id, c.athlete_id, r.id AS run_event_id, r.starts_at,
                r.label, c.tz, c.window_hours, c.date, c.starts, c.length, c.program_starts,
                c.program_after, c.program_week, c.slot_previous, c.slot_next,
                c.starts + c.length AS ends, r.a_race, r.at,
                greatest(extract(epoch FROM r.at - (c.starts + c.length)) / 3600, 0) AS hours
            FROM checked c
            JOIN run r ON r.athlete_id = c.athlete_id AND r.counts AND r.at > c.starts
                AND r.at < c.starts + c.length + interval '{taper}'
        ), finding AS (
            SELECT *,
                CASE WHEN hours < window_hours THEN 'freshness' ELSE 'taper' END AS kind,
                CASE WHEN hours < {CONFLICT_HOURS} THEN 'conflict' ELSE 'warning' END
                    AS severity,
                min(at) FILTER (WHERE a_race) OVER (PARTITION BY session_id) AS a_race_at
            FROM problem
            WHERE hours < window_hours OR a_race
        ), candidate AS (  -- the other days its session could take, from now on
            SELECT f.*, day, f.starts + day * interval '1 day' AS moved_starts,
                f.starts + day * interval '1 day' - interval '{spacing}' AS spaced_after,
                f.starts + day * interval '1 day' + interval '{spacing}' AS spaced_before,
                f.ends + day * interval '1 day' + f.window_hours * interval '1 hour'
                    AS fresh_from,
                f.ends + day * interval '1 day' + interval '{taper}' AS taper_from,
                coalesce(f.date + day - f.program_week BETWEEN 0 AND 6, false) AS in_week
            FROM finding f
            CROSS JOIN generate_series(-{SUGGESTION_SEARCH_DAYS}, {SUGGESTION_SEARCH_DAYS}) day
            WHERE day <> 0 AND f.starts + day * interval '1 day' >= %(now)s AT TIME ZONE f.tz
                AND (f.program_starts IS NULL
                     OR f.starts + day * interval '1 day' >= f.program_starts)
                AND (f.program_after IS NULL
                     OR f.starts + day * interval '1 day' < f.program_after)
                AND (f.a_race_at IS NULL OR f.starts + day * interval '1 day' < f.a_race_at)
                AND (f.slot_previous IS NULL OR f.date + day > f.slot_previous)
                AND (f.slot_next IS NULL OR f.date + day < f.slot_next)
        ), clear AS (  -- those that keep every rule
            SELECT * FROM candidate k
            WHERE NOT EXISTS (
                    SELECT FROM no_heavy_day d
                    WHERE d.athlete_id = k.athlete_id AND d.day = k.moved_starts::date)
                AND NOT EXISTS (  -- another strength session within 48 h
                    SELECT FROM strength o WHERE o.athlete_id = k.athlete_id
                        AND o.id <> k.session_id
                        AND o.starts > k.spaced_after AND o.starts < k.spaced_before)
                AND NOT EXISTS (  -- a flag where it would be
                    SELECT FROM run r WHERE r.athlete_id = k.athlete_id AND r.counts
                        AND r.at > k.moved_starts
                        AND (r.at < k.fresh_from OR (r.a_race AND r.at < k.taper_from)))
        ), suggested AS (  -- each finding with the first clear day in the search's order, or none
            SELECT DISTINCT ON (session_id, run_event_id, kind) *
            FROM (
                SELECT {finding}, moved_starts AS suggested, NOT in_week AS elsewhere,
                    abs(day) AS distance, day > 0 AS after
                FROM clear
                UNION ALL  -- last in the order: no better day
                SELECT {finding}, NULL, true, {SUGGESTION_SEARCH_DAYS} + 1, true FROM finding
            ) tried
            ORDER BY session_id, run_event_id, kind, elsewhere, distance, after
        )
        INSERT INTO {Flag._meta.db_table} (athlete_id, scheduled_session_id, run_event_id, kind,
            severity, hours_before, session_ends_at, event_starts_at, event_name,
            suggested_starts_at, suggestion_reason, raised_at, resolved_at, acknowledged_at,
            notified_at)
        SELECT athlete_id, session_id, run_event_id, kind, severity, round(hours::numeric, 1),
            ends AT TIME ZONE tz, starts_at, label, suggested AT TIME ZONE tz, '', %(now)s,
            NULL, NULL, NULL
        FROM suggested
        ON CONFLICT (scheduled_session_id, run_event_id, kind) DO UPDATE SET
            severity = EXCLUDED.severity, hours_before = EXCLUDED.hours_before,
            session_ends_at = EXCLUDED.session_ends_at,
            event_starts_at = EXCLUDED.event_starts_at, event_name = EXCLUDED.event_name,
            suggested_starts_at = EXCLUDED.suggested_starts_at
    """  # nosec B608
    parameters = {
        "pattern": username_pattern(prefix),
        "hard_kinds": list(HARD_KINDS),
        "now": now,
        "horizon": now + dt.timedelta(days=horizon_days),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        Flag.objects.filter(athlete__in=athletes).delete()
        started = time.perf_counter()
        cursor.execute(statement, parameters)
        elapsed = time.perf_counter() - started
        rows = cursor.rowcount
        bare_flags = set(Flag.objects.filter(athlete__in=athletes).values_list(*FLAG_COMPARED))
        transaction.set_rollback(True)
    return {
        "bare_sql_scan_s": round(elapsed, 2),
        "bare_sql_flags": rows,
        "bare_sql_same_flags": bare_flags == scan_flags,
    }


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
            scan_started = timezone.now()
            figures.update(full_scan(prefix, chunk_size, processes), horizon_days=horizon_days)
            figures.update(bare_sql_scan(prefix, scan_started, horizon_days))
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
