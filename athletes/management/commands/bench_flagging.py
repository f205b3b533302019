"""Benchmark the flagging check at scale: `manage.py bench_flagging --athletes 10000`.

Generates athletes × 16 strength sessions (8 weeks of Monday heavy / Thursday moderate) with
16 run events each (a B race, an A race, a weekly key session on a weekday that varies by
athlete, easy runs), runs the full scan (its chunks shared by `--processes` processes, as that
many workers would share them) and a single-athlete recheck after a change, and prints ONE JSON
line:

  athletes, sessions, events, flags (open after the scan), full_scan_s, full_scan_queries
  (queries of the busiest chunk: the same whatever the number of athletes), recheck_ms (median
  of 5 rechecks, each after moving a session), recheck_queries; plus chunks, chunk_size,
  processes, full_scan_cpu_s, horizon_days, setup_s.

The horizon is stretched to cover every generated session, so all of them are checked. The
generated rows are committed (the pool's processes must see them) and deleted at the end.
Meant for PostgreSQL: `make bench` runs it on a throwaway database; progress goes to stderr.
"""

import datetime as dt
import json
import multiprocessing
import statistics
import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from athletes.models import Assignment, Athlete, Flag, RunEvent, ScheduledSession
from athletes.services import flagging
from programs.models import Program, ProgramSession, ProgramSlot, SessionTemplate

WEEKS = 8
ATHLETES_PER_COACH = 25
TIME_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney")
SESSION_TIME = dt.time(18, 0)
RECHECKS = 5
BATCH = 5000


class QueryCounter:
    """Counts the statements sent to the database (cheaper than capturing their SQL)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counted_queries():
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def _scan_chunk_counted(chunk) -> tuple[int, float]:
    """One chunk of the scan in a pool process: its number of queries and CPU seconds."""
    started = time.process_time()
    with counted_queries() as queries:
        flagging.flags_scan_chunk(*chunk)
    return queries.count, time.process_time() - started


class Command(BaseCommand):
    help = "Generate athletes with sessions and run events, time a full flag scan and a recheck."

    def add_arguments(self, parser):
        parser.add_argument("--athletes", type=int, default=10_000)
        parser.add_argument("--chunk-size", type=int, default=None)
        parser.add_argument(
            "--processes",
            type=int,
            default=2,
            help="Processes sharing the scan's chunks, as that many workers would (default 2).",
        )

    def handle(self, *args, athletes, chunk_size, processes, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("Warning: the figures are meant for PostgreSQL.")
        self.username_prefix = f"bench-{uuid.uuid4().hex[:8]}-"
        figures = {}
        try:
            started = time.perf_counter()
            monday = self._generate(athletes)
            figures["setup_s"] = round(time.perf_counter() - started, 1)
            horizon_days = (monday + dt.timedelta(weeks=WEEKS) - timezone.localdate()).days + 1
            with override_settings(FLAG_SCAN_HORIZON_DAYS=horizon_days):
                figures.update(self._full_scan(chunk_size, processes), horizon_days=horizon_days)
                figures.update(self._rechecks(monday))
        finally:
            self._remove()
        self.stdout.write(json.dumps(figures))

    def _athletes(self):
        return Athlete.objects.filter(user__username__startswith=self.username_prefix)

    def _generate(self, count: int) -> dt.date:
        """Coaches, athletes, one 8-week program assigned to all; returns its first Monday."""
        self.stderr.write(f"Generating {count} athletes…")
        user_model, prefix = get_user_model(), self.username_prefix
        coaches = user_model.objects.bulk_create(
            user_model(
                username=f"{prefix}coach{i}", role="coach", password=UNUSABLE_PASSWORD_PREFIX
            )
            for i in range(max(1, count // ATHLETES_PER_COACH))
        )
        users = user_model.objects.bulk_create(
            (
                user_model(
                    username=f"{prefix}athlete{i}",
                    role="athlete",
                    password=UNUSABLE_PASSWORD_PREFIX,
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
        program_sessions = self._program(coaches[0])
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
                self._session(athlete, assignment, program_session, monday)
                for athlete, assignment in zip(athletes, assignments, strict=True)
                for program_session in program_sessions
            ),
            batch_size=BATCH,
        )
        RunEvent.objects.bulk_create(
            (
                event
                for i, athlete in enumerate(athletes)
                for event in self._run_events(athlete, i, monday)
            ),
            batch_size=BATCH,
        )
        with connection.cursor() as cursor:
            for model in (Athlete, ScheduledSession, RunEvent, Flag):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        return monday

    def _program(self, coach) -> list[ProgramSession]:
        program = Program.objects.create(coach=coach, name="Bench program", weeks=WEEKS)
        slots = [
            ProgramSlot.objects.create(
                program=program,
                position=position,
                label=label,
                template=SessionTemplate.objects.create(name=f"Bench {label}", owner=coach),
                template_version=1,
            )
            for position, label in enumerate(("Day A", "Day B"))
        ]
        return ProgramSession.objects.bulk_create(
            ProgramSession(
                program=program,
                slot=slot,
                week=week,
                name=f"{slot.label} week {week}",
                intensity="heavy" if slot.position == 0 else "moderate",
                estimated_minutes=60,
            )
            for week in range(1, WEEKS + 1)
            for slot in slots
        )

    @staticmethod
    def _session(athlete, assignment, program_session, monday) -> ScheduledSession:
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

    @staticmethod
    def _run_events(athlete, index, monday) -> list[RunEvent]:
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

    def _full_scan(self, chunk_size, processes) -> dict:
        self.stderr.write(f"Full scan in {processes} process(es)…")
        chunks = flagging.flags_scan_chunks(chunk_size, athletes=self._athletes())
        started = time.perf_counter()
        if processes > 1:
            connections.close_all()  # each forked process opens its own connection
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                per_chunk = pool.map(_scan_chunk_counted, chunks, chunksize=1)
        else:
            per_chunk = [_scan_chunk_counted(chunk) for chunk in chunks]
        elapsed = time.perf_counter() - started
        athletes = self._athletes()
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

    def _rechecks(self, monday) -> dict:
        """Each round moves an athlete's Monday heavy session to the evening before their A
        race (or back), then rechecks that athlete alone."""
        self.stderr.write("Rechecks…")
        athlete = self._athletes().order_by("pk").first()
        session = athlete.scheduled_sessions.filter(intensity="heavy").order_by("date").first()
        race_eve = monday + dt.timedelta(weeks=5, days=5)
        timings, counts = [], []
        for round_number in range(RECHECKS):
            date = race_eve if round_number % 2 == 0 else session.date
            ScheduledSession.objects.filter(pk=session.pk).update(
                date=date, starts_at=dt.datetime.combine(date, SESSION_TIME, tzinfo=athlete.tz)
            )
            with counted_queries() as queries:
                started = time.perf_counter()
                result = flagging.flags_refresh_for_athlete(athlete.pk)
                timings.append((time.perf_counter() - started) * 1000)
            if not (result.raised or result.resolved):
                raise CommandError("a recheck after a change raised and resolved nothing")
            counts.append(queries.count)
        return {
            "recheck_ms": round(statistics.median(timings), 1),
            "recheck_queries": max(counts),
        }

    def _remove(self):
        """Delete what _generate made, children first, in plain SQL (the ORM would load the
        hundreds of thousands of rows to cascade)."""
        self.stderr.write("Removing the generated rows…")
        users = f"SELECT id FROM {get_user_model()._meta.db_table} WHERE username LIKE %s"  # nosec B608
        athletes = f"SELECT id FROM {Athlete._meta.db_table} WHERE user_id IN ({users})"  # nosec B608
        programs = f"SELECT id FROM {Program._meta.db_table} WHERE coach_id IN ({users})"  # nosec B608
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
        pattern = self.username_prefix.replace("_", r"\_") + "%"
        with transaction.atomic(), connection.cursor() as cursor:
            for model, condition in deletions:
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {condition}", [pattern])  # nosec B608
