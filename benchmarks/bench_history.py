"""The athlete's History page at 10 and at 1,000 logged sessions (Day A and Day B of a 10-week
block, assigned again and again, every set logged), rendered through the Django test client
against PostgreSQL. Its output stays about the same size, so its time should too.

Prints one JSON line: sessions (the two sizes), sets (each athlete's), renders, median_ms and
queries at each size, and growth = t(1,000)/t(10) (target ≤ 1.5). Default 1,000 sessions and 15
renders; pass other numbers as the first and second arguments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \\
        .venv/bin/python benchmarks/bench_history.py 1000 15
"""

import datetime as dt
import sys

from harness import report, run, timed_renders

FEW = 10
WEEKS = 10  # a program's most is 12; two sessions a week


def athlete_with_sessions_logged(coach, program, name, sessions):
    """An athlete with `sessions` sessions of `program` logged (assigned block after block), in
    the past."""
    from django.utils import timezone

    from athletes.models import Athlete, ScheduledSession
    from athletes.services.scheduling import assignment_create
    from coach.models import User
    from tests.athletes.factories import sessions_logged

    athlete = Athlete.objects.create(
        user=User.objects.create(username=name, role="athlete"), coach=coach
    )
    blocks = -(-sessions // (2 * WEEKS))
    today = timezone.localdate()
    first_monday = today - dt.timedelta(days=today.weekday(), weeks=WEEKS * blocks + 1)
    for block in range(blocks):
        start = first_monday + dt.timedelta(weeks=WEEKS * block)
        assignment_create(program=program, athletes=[athlete], start_date=start)
    mine = ScheduledSession.objects.filter(athlete=athlete).order_by("starts_at")
    sessions_logged(mine.filter(pk__in=mine.values("pk")[:sessions]))
    return athlete


def main(many=1000, renders=15):
    from django.test import Client
    from django.urls import reverse

    from athletes.models import SetLog
    from coach.models import User
    from tests.athletes.factories import program_with_lifts
    from web.database import statistics_refresh

    coach = User.objects.create(username="bench-coach", role="coach")
    program = program_with_lifts(coach, weeks=WEEKS, name="Bench block")
    athletes = {
        size: athlete_with_sessions_logged(coach, program, f"bench-athlete-{size}", size)
        for size in (FEW, many)
    }
    statistics_refresh()
    figures = {}
    for size, athlete in athletes.items():
        client = Client()
        client.force_login(athlete.user)
        median_ms, _, queries = timed_renders(client, reverse("athletes:history-list"), renders)
        figures[size] = {
            "sets": SetLog.objects.filter(scheduled_session__athlete=athlete).count(),
            "median_ms": round(median_ms, 1),
            "queries": queries,
        }
    report(
        name="history",
        sessions=[FEW, many],
        sets=[figures[size]["sets"] for size in (FEW, many)],
        renders=renders,
        median_ms=[figures[size]["median_ms"] for size in (FEW, many)],
        queries=[figures[size]["queries"] for size in (FEW, many)],
        growth=round(figures[many]["median_ms"] / figures[FEW]["median_ms"], 2),
    )


if __name__ == "__main__":
    sizes = [int(arg) for arg in sys.argv[1:3]]
    run(lambda: main(*sizes), database="test_coach_bench_history")
