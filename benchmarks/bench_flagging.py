"""Flagging at scale: `manage.py bench_flagging --athletes 10000` on a throwaway PostgreSQL
database. Prints one JSON line: athletes, sessions, events, flags, full_scan_s,
full_scan_queries (per chunk), recheck_ms, recheck_queries (and chunks, chunk_size,
processes, full_scan_cpu_s, horizon_days, setup_s). Targets on a 2-core machine:
full_scan_s <= 5, full_scan_queries the same at 1,000 and 10,000 athletes, recheck_ms <= 50,
recheck_queries <= 10. `make bench` runs it; by hand (another number of athletes as argument):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \
        .venv/bin/python benchmarks/bench_flagging.py 1000
"""

import sys

from harness import bench_database, django_setup

ATHLETES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000

if __name__ == "__main__":
    django_setup()
    from django.core.management import call_command

    with bench_database():
        call_command("bench_flagging", athletes=ATHLETES)
