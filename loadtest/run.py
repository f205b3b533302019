"""`make load`: a 60-second locust run of 50 athletes logging sets and 5 coaches browsing,
against gunicorn on PostgreSQL and Redis, bound to 127.0.0.1 only.

It makes a fresh database (LOAD_DATABASE_URL), seeds it (loadtest/seed.py), serves it with
gunicorn, runs locust headless, then checks the database against every set the server
acknowledged: none may be missing and none doubled. It prints the figures and exits non-zero
on any failed request, lost set or duplicate.
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST, PORT = "127.0.0.1", int(os.environ.get("LOAD_PORT", "8765"))
DURATION = os.environ.get("LOAD_DURATION", "60s")
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coach_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")


def recreate_database():
    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def wait_for_port(deadline_s=30):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with socket.socket() as sock:
            if sock.connect_ex((HOST, PORT)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on {HOST}:{PORT}")


def aggregated(stats_csv):
    with open(stats_csv) as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "median_ms": float(total["Median Response Time"]),
        "p95_ms": float(total["95%"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
    }


def check_sets(acknowledged):
    with psycopg.connect(DATABASE_URL) as conn:
        stored = [str(row[0]) for row in conn.execute("SELECT id FROM athletes_setlog")]
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM athletes_setlog GROUP BY scheduled_session_id,"
            " exercise_id, set_number, side HAVING count(*) > 1) AS d"
        ).fetchone()[0]
    stored_ids = set(stored)
    return {
        "sets_acknowledged": len(acknowledged),
        "sets_stored": len(stored),
        "sets_lost": len(set(acknowledged) - stored_ids),
        "sets_duplicated": doubled + (len(stored) - len(stored_ids)),
        "sets_unacknowledged_but_stored": len(stored_ids - set(acknowledged)),
    }


def main():
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": HOST,
        # DEBUG=0 would demand HTTPS-only cookies; this run is plain HTTP on loopback.
        "DEBUG": "1",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "coach.settings",
    }
    work = Path(tempfile.mkdtemp(prefix="coach-load-"))
    plan_file, acked_file = work / "plan.json", work / "acknowledged.json"
    recreate_database()
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([BIN / "python", "manage.py", "migrate", "--verbosity=0"], **run)
    subprocess.run([BIN / "python", "loadtest/seed.py", plan_file], **run)
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "coach.wsgi",
            "-b",
            f"{HOST}:{PORT}",
            "-w",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for_port()
        subprocess.run(
            [
                BIN / "locust",
                "-f",
                "loadtest/locustfile.py",
                "--headless",
                "-u",
                "55",
                "-r",
                "20",
                "-t",
                DURATION,
                "--host",
                f"http://{HOST}:{PORT}",
                "--csv",
                work / "stats",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**env, "LOAD_PLAN_FILE": str(plan_file), "LOAD_ACKED_FILE": str(acked_file)},
            check=False,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    figures = {
        **aggregated(work / "stats_stats.csv"),
        **check_sets(json.loads(acked_file.read_text())),
    }
    print(json.dumps(figures))
    bad = figures["failures"] or figures["sets_lost"] or figures["sets_duplicated"]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
