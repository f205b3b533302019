"""What the benchmarks/bench_*.py scripts share: Django on a throwaway PostgreSQL database, and
their figures printed as one JSON line.

    from harness import bench_database, django_setup, report

    django_setup()
    with bench_database():
        ...  # create rows, time things
        report(name="flagging", full_scan_s=1.9, full_scan_queries=14)
"""

import contextlib
import json
import os
import sys
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


def report(**figures):
    print(json.dumps(figures), flush=True)
