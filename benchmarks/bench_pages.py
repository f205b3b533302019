"""The project's main pages and the set-log POST against a floor of bare Django, interleaved in
one run: both served by gunicorn (2 workers each, production settings for the project) on the
same PostgreSQL, each request sent alone, one after the other in a shuffled order each round.

A ratio is the floor's median time over the page's, so 1.0 is as fast as bare Django and 0.33 a
third of it: Today, the session page, the week calendar, the coach's dashboard and athlete
page against the floor's 20-row page; the program page against its 200-row page; the set-log
POST against its one-row INSERT; and, as a ceiling, the least a signed-in request costs (a
CSRF token as JSON) against the 20-row page. The pages the project keeps in the cache are timed
as a visit again finds them and, as `<page>_made`, made afresh each time (a second server with
KEPT_PAGES=0). Prints one JSON line: for each page, its median
ms, the floor's, and the ratio (the median of the rounds' ratios, with their min and max);
then the rounds. Default 15 rounds of 5 requests each; pass another number of rounds as the
first argument.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \\
        .venv/bin/python benchmarks/bench_pages.py 15
"""

import http.client
import itertools
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from harness import PROJECT_ROOT, report, run
from worlds import day_a_today, sets_to_log

REQUESTS_PER_ROUND = 5
HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
CSRF_SECRET = secrets.token_hex(16)  # 32 characters: a CSRF secret Django takes as it is
# Each page and the floor it is measured against.
FLOOR_OF = {
    "today": "rows_20",
    "session": "rows_20",
    "calendar_week": "rows_20",
    "dashboard": "rows_20",
    "athlete_page": "rows_20",
    "program": "rows_200",
    "set_log_post": "insert",
    # Not a page: the least a signed-in request costs here (sessions, the user, CSRF, CSP, the
    # request log; a JSON token, no template, no query of ours). No page can beat this ratio.
    "signed_in_least": "rows_20",
}
# The pages kept in the cache (web/kept_pages.py) are timed twice: as a visit again finds them
# (above: kept, unless a set logged in the round changed them), and made afresh each time, as
# after every change, from a second server of the project with KEPT_PAGES=0.
KEPT_PAGES = ("today", "session", "calendar_week", "dashboard", "athlete_page", "program")
FLOOR_OF |= {f"{name}_made": FLOOR_OF[name] for name in KEPT_PAGES}


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app, env, *, chdir=PROJECT_ROOT):
    """`app` served by gunicorn with 2 workers on a free port of 127.0.0.1; yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", app, "-b", f"{HOST}:{port}", "-w", "2", "--chdir", str(chdir)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # the project logs a JSON line per request
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex((HOST, port)) != 0:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {app} did not start")
            time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@contextmanager
def production_static_files(env):
    """The project's static files as production serves them (hashed names, compressed), for the
    servers started with `env`: collected into a directory of their own (STATIC_ROOT), as the
    test suite's own clients read the project's staticfiles/ while its benchmark test runs."""
    with tempfile.TemporaryDirectory(prefix="coach-bench-static-") as root:
        env["STATIC_ROOT"] = root
        subprocess.run(
            [BIN / "python", "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
        )
        yield


class Target:
    """Requests to time, one at a time: `requests` yields (path, cookie, form fields or None
    for a GET), forever or as many as will be sent."""

    def __init__(self, port, requests, *, expect=200):
        self.port, self.requests, self.expect = port, iter(requests), expect

    def send(self) -> float:
        """The next request on a fresh connection (gunicorn's sync workers close each); its
        time in ms, from sending to the last byte of the answer."""
        path, cookie, fields = next(self.requests)
        headers = {
            "Host": f"{HOST}:{self.port}",
            # As behind the TLS-terminating proxy production has (SECURE_PROXY_SSL_HEADER).
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}:{self.port}/",
            "Accept": "text/html" if fields is None else "application/json",
            "Cookie": cookie,
        }
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = CSRF_SECRET
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        started = time.perf_counter()
        connection.request("GET" if body is None else "POST", path, body, headers)
        response = connection.getresponse()
        response.read()
        took = (time.perf_counter() - started) * 1000
        connection.close()
        assert response.status == self.expect, f"{path} answered {response.status}"
        return took


def page(port, path, cookie=""):
    return Target(port, itertools.repeat((path, cookie, None)))


def signed_in_cookie(user):
    """The cookies of a browser signed in as `user` (a session made here, in the database and
    cache gunicorn reads too), with a CSRF cookie for POSTs."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"


def world():
    """A coach with 20 athletes on a Day A program, each with Day A today; returns what the
    pages need: the first athlete's pages, and every athlete's sets to log (each set once)."""
    from django.urls import reverse

    from athletes.models import ScheduledSession

    athletes, program = day_a_today(20)
    athlete = athletes[0]
    sessions = list(
        ScheduledSession.objects.filter(program_session__week=1)
        .select_related("athlete__user")
        .prefetch_related("program_session__prescriptions")
        .order_by("athlete_id")
    )
    first = next(s for s in sessions if s.athlete_id == athlete.pk)
    return {
        "athlete": athlete,
        "coach": athlete.coach,
        "paths": {
            "today": reverse("athletes:session-today"),
            "session": reverse("athletes:session-detail", args=[first.pk]),
            "calendar_week": reverse("athletes:calendar-week"),
            "dashboard": reverse("dashboard"),
            "athlete_page": reverse("athletes:athlete-detail", args=[athlete.pk]),
            "program": reverse("programs:program-detail", args=[program.pk]),
            "signed_in_least": reverse("athletes:csrf-refresh"),
        },
        "set_logs": [(session, fields) for session in sessions for fields in sets_to_log(session)],
    }


def set_log_requests(set_logs):
    """Each set once, as its athlete's phone posts it: (path, cookie, fields)."""
    from django.urls import reverse

    cookies = {}
    for session, fields in set_logs:
        if session.athlete_id not in cookies:
            cookies[session.athlete_id] = signed_in_cookie(session.athlete.user)
        path = reverse("athletes:set-record", args=[session.pk])
        yield path, cookies[session.athlete_id], fields


def summary(times):
    return round(statistics.median(times), 2)


def main(rounds=15):
    from django.conf import settings
    from django.db import connection
    from floor import floor_table_create

    data = world()
    floor_table_create(200)
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
        f"{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
        "ALLOWED_HOSTS": HOST,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DJANGO_SETTINGS_MODULE": "coach.settings",
    }
    athlete_cookie = signed_in_cookie(data["athlete"].user)
    coach_cookie = signed_in_cookie(data["coach"])
    sets_needed = (rounds + 2) * REQUESTS_PER_ROUND
    assert len(data["set_logs"]) >= sets_needed, "more rounds than sets to log"
    with (
        production_static_files(env),
        gunicorn("coach.wsgi", env) as project,
        gunicorn("coach.wsgi", env | {"KEPT_PAGES": "0"}) as made,
        gunicorn("floor:application", env, chdir=PROJECT_ROOT / "benchmarks") as floor,
    ):
        paths = data["paths"]
        cookie_of = dict.fromkeys(("dashboard", "athlete_page", "program"), coach_cookie)
        targets = {
            name: page(project, paths[name], cookie_of.get(name, athlete_cookie))
            for name in ("today", "session", "calendar_week", "signed_in_least", *cookie_of)
        }
        targets |= {
            f"{name}_made": page(made, paths[name], cookie_of.get(name, athlete_cookie))
            for name in KEPT_PAGES
        }
        targets["set_log_post"] = Target(project, set_log_requests(data["set_logs"]), expect=201)
        targets["rows_20"] = page(floor, "/rows/20/")
        targets["rows_200"] = page(floor, "/rows/200/")
        targets["insert"] = Target(
            floor, itertools.repeat(("/insert/", "", {"name": "set", "value": "60"})), expect=201
        )

        for target in targets.values():  # warm-up: workers started, templates compiled
            for _ in range(2):
                target.send()
        medians = {name: [] for name in targets}
        for _ in range(rounds):
            order = [name for name in targets for _ in range(REQUESTS_PER_ROUND)]
            random.shuffle(order)
            times = {name: [] for name in targets}
            for name in order:
                times[name].append(targets[name].send())
            for name, taken in times.items():
                medians[name].append(statistics.median(taken))

    pages = {}
    for name, floor_name in FLOOR_OF.items():
        ratios = [f / p for f, p in zip(medians[floor_name], medians[name], strict=True)]
        pages[name] = {
            "median_ms": summary(medians[name]),
            "floor": floor_name,
            "floor_median_ms": summary(medians[floor_name]),
            "ratio": round(statistics.median(ratios), 3),
            "ratio_min": round(min(ratios), 3),
            "ratio_max": round(max(ratios), 3),
        }
    report(name="pages", rounds=rounds, requests_per_round=REQUESTS_PER_ROUND, pages=pages)


if __name__ == "__main__":
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    rounds = [int(arg) for arg in sys.argv[1:2]]
    run(lambda: main(*rounds), database="test_coach_bench_pages")
