"""The athlete's History page at 10, 20 and 1,000 logged sessions (Day A and Day B of a 10-week
block, assigned again and again, every set logged), rendered through the Django test client
against PostgreSQL, the sizes in turn. Its first page lists the 20 newest sessions however many
there are, so its time should stay about flat.

Prints one JSON line: sessions (the sizes: 10, 20 and 1,000), sets (each athlete's), renders,
median_ms and queries at each size, growth = t(1,000)/t(10) (target ≤ 1.5) and
growth_from_full_page = t(1,000)/t(20), the page's list at its full 20 sessions in both.
Default 1,000 sessions and 15 renders; pass other numbers as the first and second arguments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \\
        .venv/bin/python benchmarks/bench_history.py 1000 15
"""

import datetime as dt
import statistics
import sys

from harness import measured, report, run

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
    from athletes.selectors.logging import HISTORY_SESSIONS_PER_PAGE as full_page
    from coach.models import User
    from tests.athletes.factories import program_with_lifts
    from web.database import statistics_refresh

    url = reverse("athletes:history-list")
    coach = User.objects.create(username="bench-coach", role="coach")
    program = program_with_lifts(coach, weeks=WEEKS, name="Bench block")
    athletes = {
        size: athlete_with_sessions_logged(coach, program, f"bench-athlete-{size}", size)
        for size in (FEW, full_page, many)
    }
    statistics_refresh()
    clients = {}
    for size, athlete in athletes.items():
        clients[size] = Client()
        clients[size].force_login(athlete.user)
        clients[size].get(url)  # warm-up: templates compiled, connection open
    # Interleaved, round by round, so a busy moment of the machine weighs on both sizes alike.
    times, queries = {size: [] for size in athletes}, {}
    for _ in range(renders):
        for size, client in clients.items():
            with measured() as render:
                assert client.get(url).status_code == 200
            times[size].append(render.ms)
            queries[size] = render.queries
    figures = {
        size: {
            "sets": SetLog.objects.filter(scheduled_session__athlete=athlete).count(),
            "median_ms": round(statistics.median(times[size]), 1),
            "queries": queries[size],
        }
        for size, athlete in athletes.items()
    }
    report(
        name="history",
        sessions=[FEW, full_page, many],
        sets=[figures[size]["sets"] for size in (FEW, full_page, many)],
        renders=renders,
        median_ms=[figures[size]["median_ms"] for size in (FEW, full_page, many)],
        queries=[figures[size]["queries"] for size in (FEW, full_page, many)],
        growth=round(figures[many]["median_ms"] / figures[FEW]["median_ms"], 2),
        # The same page at its full length: the cost of the data alone, not of a longer list.
        growth_from_full_page=round(
            figures[many]["median_ms"] / figures[full_page]["median_ms"], 2
        ),
    )


if __name__ == "__main__":
    sizes = [int(arg) for arg in sys.argv[1:3]]
    run(lambda: main(*sizes), database="test_coach_bench_history")
