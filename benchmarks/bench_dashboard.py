"""The coach's roster dashboard as a club grows: a coach of 100 athletes beside a coach of 2,000,
in one database, rendered in turns through the Django test client against PostgreSQL.

Each athlete is 8 weeks into a 10-week block, past sessions done (every fifth athlete missed one
in three), a race for every fourth and an open flag for every tenth. The dashboard shows a page
of athletes at a time, so its cost should barely grow with the roster: the target is
t(2,000)/t(100) <= 2 (issue #16).

Prints one JSON line: small, large, renders, small_median_ms, large_median_ms (with min-max),
large_over_small, search_median_ms (a name typed at 2,000), last_page_median_ms, queries_small,
queries_large, html_kb_small, html_kb_large. Default 100 and 2,000 athletes and 15 rounds; pass
other numbers as the arguments.

    .venv/bin/python benchmarks/bench_dashboard.py 100 2000 15
"""

import datetime as dt
import random
import statistics
import sys

from harness import measured, report, run

SMALL = int(sys.argv[1]) if len(sys.argv) > 1 else 100
LARGE = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 15
WEEKS_DONE = 8


def coach_with_roster(name, count):
    """A coach with `count` athletes in the state the module docstring describes."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import F
    from django.utils import timezone

    from athletes.models import Athlete, Flag, RunEvent, ScheduledSession
    from athletes.services.scheduling import assignment_create
    from coach.models import User
    from tests.athletes.factories import program_with_lifts

    coach = User.objects.create(username=name, role="coach")
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"{name}-athlete-{n}",
            first_name=f"Runner{n:04d}",
            last_name=name.title(),
            role="athlete",
            password=unusable,
        )
        for n in range(count)
    )
    athletes = Athlete.objects.bulk_create(
        Athlete(user=user, coach=coach, default_session_time=dt.time(17, 30)) for user in users
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday(), weeks=WEEKS_DONE)
    assignment_create(
        program=program_with_lifts(coach, weeks=10, name=f"{name} block"),
        athletes=athletes,
        start_date=start,
    )
    # The dashboard reads sessions' status, not their sets: done sessions without set rows.
    past = ScheduledSession.objects.filter(athlete__coach=coach, date__lt=today)
    past.update(
        status=ScheduledSession.Status.COMPLETED, completed_at=F("starts_at"), session_rpe=7
    )
    missed = past.filter(athlete__in=athletes[::5]).values_list("pk", flat=True)[::3]
    ScheduledSession.objects.filter(pk__in=list(missed)).update(
        status=ScheduledSession.Status.PLANNED, completed_at=None, session_rpe=None
    )
    now = timezone.now()
    RunEvent.objects.bulk_create(
        RunEvent(
            athlete=athlete,
            kind="race",
            name="Club 5K",
            priority="A",
            starts_at=now + dt.timedelta(days=3 + n % 30),
            duration_minutes=25,
        )
        for n, athlete in enumerate(athletes)
        if n % 4 == 0
    )
    upcoming = {}
    for session in ScheduledSession.objects.filter(athlete__coach=coach, date__gte=today).order_by(
        "-date"
    ):
        upcoming[session.athlete_id] = session  # the earliest wins
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
    return coach


def main():
    from django.test import Client, override_settings
    from django.urls import reverse

    from coach.dashboard import ROWS_PER_PAGE
    from web.database import statistics_refresh

    clients = {}
    for size in (SMALL, LARGE):
        client = Client()
        client.force_login(coach_with_roster(f"coach{size}", size))
        clients[size] = client
    statistics_refresh()
    dashboard = reverse("dashboard")
    probes = {
        "small": (clients[SMALL], dashboard),
        "large": (clients[LARGE], dashboard),
        "search": (clients[LARGE], f"{dashboard}?q=runner{LARGE - 7:04d}"),
        "last_page": (clients[LARGE], f"{dashboard}?page={-(-LARGE // ROWS_PER_PAGE)}"),
    }
    times = {probe: [] for probe in probes}
    queries, sizes = {}, {}
    # The page is made each time, never answered as kept (web/kept_pages.py): the probe times
    # what making it costs as the roster grows.
    with override_settings(KEPT_PAGES=False):
        for client, url in probes.values():
            client.get(url)  # warm-up: templates compiled, connection open
        order = list(probes)
        for _ in range(ROUNDS):
            random.shuffle(order)  # neither side always runs first
            for probe in order:
                client, url = probes[probe]
                with measured() as render:
                    response = client.get(url)
                assert response.status_code == 200, response.status_code
                times[probe].append(render.ms)
                queries[probe], sizes[probe] = render.queries, len(response.content)

    def median(probe):
        return round(statistics.median(times[probe]), 1)

    report(
        name="dashboard",
        small=SMALL,
        large=LARGE,
        renders=ROUNDS,
        small_median_ms=median("small"),
        small_min_max_ms=[round(min(times["small"]), 1), round(max(times["small"]), 1)],
        large_median_ms=median("large"),
        large_min_max_ms=[round(min(times["large"]), 1), round(max(times["large"]), 1)],
        large_over_small=round(median("large") / median("small"), 2),
        search_median_ms=median("search"),
        last_page_median_ms=median("last_page"),
        queries_small=queries["small"],
        queries_large=queries["large"],
        html_kb_small=round(sizes["small"] / 1024, 1),
        html_kb_large=round(sizes["large"] / 1024, 1),
    )


if __name__ == "__main__":
    run(main, database="test_coach_bench_dashboard")
