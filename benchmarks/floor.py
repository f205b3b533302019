"""The floor: what bare Django does on this machine, for the project's pages to be measured
against (benchmarks/bench_pages.py). One file, no app of ours, no middleware: a page that renders
N rows from one query through one template, and an endpoint that INSERTs one row. Served by
gunicorn beside the project, on the same PostgreSQL (DATABASE_URL), with the same persistent
connections.

    DATABASE_URL=postgres://... gunicorn --chdir benchmarks floor:application

The table it reads and writes, floor_row, is made by `floor_table_create()`.
"""

import os

import dj_database_url
from django.conf import settings

ROWS_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ rows|length }} rows</title></head>
<body><main><h1>Rows</h1><table><thead><tr><th>#</th><th>Name</th><th>Value</th></tr></thead>
<tbody>{% for id, name, value in rows %}
<tr><td>{{ id }}</td><td>{{ name }}</td><td>{{ value }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="floor-benchmark-only",  # nosec B106: a benchmark's page, never deployed
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={
            "default": dj_database_url.parse(
                os.environ.get("DATABASE_URL", "sqlite://:memory:"),
                conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            )
        },
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [
                        ("django.template.loaders.locmem.Loader", {"rows.html": ROWS_TEMPLATE})
                    ]
                },
            }
        ],
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402  (needs the settings above)
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse, HttpResponseNotAllowed  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402

FLOOR_TABLE = "floor_row"


def floor_table_create(rows: int) -> None:
    """The floor's table with `rows` rows, made anew."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(
            f"CREATE TABLE {FLOOR_TABLE} (id serial PRIMARY KEY, name text NOT NULL, "
            "value numeric(6, 1) NOT NULL)"
        )
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (name, value) "  # nosec B608: a constant name
            "SELECT 'Row ' || n, n * 2.5 FROM generate_series(1, %s) AS n",
            [rows],
        )


def rows_page(request, count):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name, value FROM {FLOOR_TABLE} ORDER BY id LIMIT %s",  # nosec B608
            [count],
        )
        rows = cursor.fetchall()
    return render(request, "rows.html", {"rows": rows})


def row_insert(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (name, value) VALUES (%s, %s) RETURNING id",  # nosec B608
            [request.POST.get("name", "set"), request.POST.get("value", "60")],
        )
        (row_id,) = cursor.fetchone()
    return HttpResponse(str(row_id), status=201, content_type="text/plain")


urlpatterns = [
    path("rows/<int:count>/", rows_page),
    path("insert/", row_insert),
]

application = get_wsgi_application()
