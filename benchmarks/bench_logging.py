"""Set logging under load: N athletes each log the library's Day A (22 sets, 10 % of them sent twice
as a phone retrying would), through the Django test client against PostgreSQL.

Prints one JSON line: athletes, requests, replays, median_ms, p95_ms, max_ms,
queries_per_request (median) and queries_max, sets_saved (must equal the sets logged: no
duplicate, none lost). Default 100 athletes; pass another number as the first argument.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \\
        .venv/bin/python benchmarks/bench_logging.py 100
"""

import statistics
import sys

from harness import measured, report, run
from worlds import day_a_today, sets_to_log

ATHLETES = int(sys.argv[1]) if len(sys.argv) > 1 else 100
REPLAY_EVERY = 10  # every tenth set is sent twice: the retry of a request whose answer was lost


def main():
    from django.test import Client
    from django.urls import reverse

    from athletes.models import ScheduledSession, SetLog
    from coach.celery import app

    app.conf.task_always_eager = True  # flag rechecks run here, never on someone's worker
    athletes, _program = day_a_today(ATHLETES)
    sessions = {
        s.athlete_id: s
        for s in ScheduledSession.objects.filter(program_session__week=1).prefetch_related(
            "program_session__prescriptions"
        )
    }
    timings, query_counts, replays, logged = [], [], 0, 0
    for athlete in athletes:
        client = Client(HTTP_ACCEPT="application/json")
        client.force_login(athlete.user)
        session = sessions[athlete.pk]
        url = reverse("athletes:set-record", args=[session.pk])
        for n, fields in enumerate(sets_to_log(session)):
            sends = 2 if n % REPLAY_EVERY == REPLAY_EVERY - 1 else 1
            for _ in range(sends):
                with measured() as request:
                    response = client.post(url, fields)
                timings.append(request.ms)
                query_counts.append(request.queries)
                assert response.status_code in (200, 201), response.content
            replays += sends - 1
            logged += 1

    timings.sort()
    report(
        name="logging",
        athletes=ATHLETES,
        requests=len(timings),
        replays=replays,
        median_ms=round(statistics.median(timings), 1),
        p95_ms=round(timings[int(len(timings) * 0.95) - 1], 1),
        max_ms=round(timings[-1], 1),
        queries_per_request=statistics.median(query_counts),
        queries_max=max(query_counts),
        sets_logged=logged,
        sets_saved=SetLog.objects.count(),
    )


if __name__ == "__main__":
    run(main, database="test_coach_bench_logging")
