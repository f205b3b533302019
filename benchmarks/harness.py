"""What the benchmarks/bench_*.py scripts share: Django on a throwaway PostgreSQL database,
measuring a block of work (wall-clock time, queries, processor time), and their figures printed
as one JSON line.

    from harness import measured, report, run, timed_renders

    def main():  # Django is set up and the throwaway database is in use
        with measured() as scan:
            ...
        report(name="flagging", full_scan_s=round(scan.ms / 1000, 2), queries=scan.queries)

    if __name__ == "__main__":
        run(main)
"""

import contextlib
import json
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def django_setup():
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coach.settings")
    import django

    django.setup()


@contextlib.contextmanager
def bench_database():
    """A freshly migrated test_<name> database on DATABASE_URL's server, dropped afterwards, so a
    benchmark never touches data anyone works with. The test environment is set up too (the test
    client works; mail stays in memory)."""
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(databases, verbosity=0)
        teardown_test_environment()


def run(main, *, database: str | None = None):
    """A script's start: Django set up, main() run in a throwaway database. `database` names it
    (unless TEST_DATABASE_NAME does), so that benchmark can run while another one runs."""
    if database:
        os.environ.setdefault("TEST_DATABASE_NAME", database)  # read by the settings
    django_setup()
    with bench_database():
        main()


def cpu_seconds() -> float:
    """Processor time of this process and of its finished children (a calendar's reader)."""
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


@dataclass
class Measurement:
    """What a measured() block took; filled in when it ends (queries as they are sent)."""

    ms: float = 0.0
    cpu_ms: float = 0.0
    queries: int = 0


@contextlib.contextmanager
def measured():
    """Time the block (wall clock and processor) and count the statements it sends to the
    database. Counting costs a function call per query, far less than capturing their SQL."""
    from django.db import connection

    measurement = Measurement()

    def count(execute, sql, params, many, context):
        measurement.queries += 1
        return execute(sql, params, many, context)

    started_cpu, started = cpu_seconds(), time.perf_counter()
    try:
        with connection.execute_wrapper(count):
            yield measurement
    finally:
        measurement.ms = (time.perf_counter() - started) * 1000
        measurement.cpu_ms = (cpu_seconds() - started_cpu) * 1000


def timed_renders(client, url, renders):
    """Median and max time in ms of `renders` GETs of `url` after a warm-up, and the query count
    of one."""
    client.get(url)  # warm-up: templates compiled, connection open
    times = []
    for _ in range(renders):
        with measured() as render:
            response = client.get(url)
        times.append(render.ms)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), max(times), render.queries


def report(**figures):
    print(json.dumps(figures), flush=True)
