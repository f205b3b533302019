"""The coach's roster dashboard for a coach with 500 athletes, each 8 weeks into a 10-week
block with every past session logged (17 sessions, about 120 sets each), a race for every fourth
athlete and a flag for every tenth, rendered through the Django test client against PostgreSQL.

Prints one JSON line: athletes, sessions, sets, renders, dashboard_median_ms, dashboard_max_ms,
dashboard_queries, athlete_page_median_ms, athlete_page_queries. Default 500 athletes and 15
renders; pass other numbers as the first and second arguments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \\
        .venv/bin/python benchmarks/bench_dashboard.py 500 15
"""

import datetime as dt
import sys

from harness import report, run, timed_renders

ATHLETES = int(sys.argv[1]) if len(sys.argv) > 1 else 500
RENDERS = int(sys.argv[2]) if len(sys.argv) > 2 else 15
WEEKS_LOGGED = 8


def build_world(count):
    """A coach with `count` athletes, 8 weeks of logged training each, some races and flags."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from athletes.models import Athlete, Flag, RunEvent, ScheduledSession
    from athletes.services.scheduling import assignment_create
    from coach.models import User
    from tests.athletes.factories import program_with_lifts, sessions_logged
    from web.database import statistics_refresh

    coach = User.objects.create(username="bench-coach", role="coach")
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"bench-athlete-{n}",
            first_name=f"Runner{n:03d}",
            last_name="Bench",
            role="athlete",
            password=unusable,
        )
        for n in range(count)
    )
    athletes = Athlete.objects.bulk_create(
        Athlete(user=user, coach=coach, default_session_time=dt.time(17, 30)) for user in users
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday(), weeks=WEEKS_LOGGED)
    program = program_with_lifts(coach, weeks=10, name="Bench block")
    now = timezone.now()
    for n, athlete in enumerate(athletes):
        if n % 4 == 0:
            RunEvent.objects.create(
                athlete=athlete,
                kind="race",
                name="Bench 5K",
                priority="A",
                starts_at=now + dt.timedelta(days=3 + n % 30),
                duration_minutes=25,
            )
    assignment_create(program=program, athletes=athletes, start_date=start)
    sessions_logged(ScheduledSession.objects.filter(date__lt=today))
    upcoming = {}
    for session in ScheduledSession.objects.filter(date__gte=today).order_by("date"):
        upcoming.setdefault(session.athlete_id, session)
    Flag.objects.bulk_create(
        Flag(
            athlete_id=athlete.pk,
            scheduled_session=upcoming[athlete.pk],
            severity="conflict" if n % 20 == 0 else "warning",
            hours_before=20,
            session_ends_at=upcoming[athlete.pk].starts_at,
            event_starts_at=upcoming[athlete.pk].starts_at + dt.timedelta(hours=20),
            event_name="Intervals",
        )
        for n, athlete in enumerate(athletes)
        if n % 10 == 0
    )
    statistics_refresh()
    return coach, athletes[0]


def main():
    from django.test import Client
    from django.urls import reverse

    from athletes.models import ScheduledSession, SetLog

    coach, athlete = build_world(ATHLETES)
    client = Client()
    client.force_login(coach)
    median_ms, max_ms, queries = timed_renders(client, reverse("dashboard"), RENDERS)
    page_ms, _, page_queries = timed_renders(
        client, reverse("athletes:athlete-detail", args=[athlete.pk]), RENDERS
    )
    report(
        name="dashboard",
        athletes=ATHLETES,
        sessions=ScheduledSession.objects.count(),
        sets=SetLog.objects.count(),
        renders=RENDERS,
        dashboard_median_ms=round(median_ms, 1),
        dashboard_max_ms=round(max_ms, 1),
        dashboard_queries=queries,
        athlete_page_median_ms=round(page_ms, 1),
        athlete_page_queries=page_queries,
    )


if __name__ == "__main__":
    run(main, database="test_coach_bench_dashboard")
