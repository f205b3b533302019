"""The .ics import preview against files built to make a parser work (every one of
tests/athletes/hostile_calendars.py, each under the 1 MB limit), through the Django test client
against PostgreSQL; then three of the slowest uploaded at once while another athlete opens
Today.

Prints one JSON line: for each file its status, preview_ms (median of the runs) and cpu_ms (this
process and the child reading the file); then today_idle_ms and today_during_uploads_ms
(median and max of another athlete's Today while three uploads are in flight). Default 3 runs
per file; pass another number as the first argument.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_bench \\
        .venv/bin/python benchmarks/bench_ics_import.py 3
"""

import logging
import os
import statistics
import sys
import threading

from harness import measured, report, run

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
UPLOADS_AT_ONCE = 3
TODAY_REQUESTS = 10


def preview(client, content):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("hostile.ics", content, "text/calendar")
    return client.post(reverse("athletes:run-event-import"), {"ics_file": upload})


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def today_ms(client, times):
    from django.urls import reverse

    timings = []
    for _ in range(times):
        with measured() as today:
            assert client.get(reverse("athletes:session-today")).status_code == 200
        timings.append(today.ms)
    return {"median": round(statistics.median(timings)), "max": round(max(timings))}


def main():
    from django.db import connection

    from tests.athletes.factories import AthleteFactory
    from tests.athletes.hostile_calendars import HOSTILE_CALENDARS

    logging.getLogger("django.request").setLevel(logging.ERROR)  # each refusal is a 400
    uploading, reader = AthleteFactory().user, signed_in(AthleteFactory().user)
    uploader = signed_in(uploading)
    files = {}
    for name, (build, _) in HOSTILE_CALENDARS.items():
        content = build()
        timings, cpu, status = [], [], None
        for _ in range(RUNS):
            with measured() as upload:
                status = preview(uploader, content).status_code
            timings.append(upload.ms)
            cpu.append(upload.cpu_ms)
        files[name] = {
            "bytes": len(content),
            "status": status,
            "preview_ms": round(statistics.median(timings)),
            "cpu_ms": round(statistics.median(cpu)),
        }

    idle = today_ms(reader, TODAY_REQUESTS)
    slowest = max(files, key=lambda name: files[name]["preview_ms"])
    content = HOSTILE_CALENDARS[slowest][0]()
    start = threading.Barrier(UPLOADS_AT_ONCE + 1)

    def upload():
        client = signed_in(uploading)
        try:
            start.wait()
            preview(client, content)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(UPLOADS_AT_ONCE)]
    for thread in threads:
        thread.start()
    start.wait()
    during = today_ms(reader, TODAY_REQUESTS)
    for thread in threads:
        thread.join()
    report(
        name="ics_import",
        runs=RUNS,
        files=files,
        uploads_at_once=f"{UPLOADS_AT_ONCE} × {slowest}",
        today_idle_ms=idle,
        today_during_uploads_ms=during,
        load_average=[round(load, 1) for load in os.getloadavg()],
    )


if __name__ == "__main__":
    run(main, database="test_coach_bench_ics")
