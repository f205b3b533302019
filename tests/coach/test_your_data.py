"""Your data: the export zip (every file parses, JSON and CSV agree, only the user's rows), and
what the page offers each role."""

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.models import Comment, OneRepMax, RunDone, SetLog, Thread, TransferTest
from athletes.services.roster import handover_offer
from athletes.your_data import ATHLETE_DATA, COACH_DATA, csv_cell
from programs.models import Exercise
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory
from tests.coach.factories import CoachUserFactory
from tests.coach.sign_in import sign_in
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SOME_DAY = dt.date(2026, 5, 4)
LOAD = Decimal("27.5")


def trained(athlete, sessions=2):
    """`athlete` with `sessions` sessions of two sets each, a race and a transfer test."""
    # A name a spreadsheet would run as a formula.
    exercise = Exercise.objects.filter(name="=SUM(A1) squat").first() or ExerciseFactory(
        name="=SUM(A1) squat"
    )
    for number in range(sessions):
        session = ScheduledSessionFactory(
            athlete=athlete, date=SOME_DAY + dt.timedelta(days=number)
        )
        for set_number in (1, 2):
            SetLog.objects.create(
                scheduled_session=session, exercise=exercise, set_number=set_number, reps=5,
                load_kg=LOAD, load_entered=LOAD, load_unit="kg", rpe=Decimal("7.5"),
            )  # fmt: skip
    thread = Thread.objects.create(athlete=athlete, scheduled_session=session)
    Comment.objects.create(thread=thread, author=athlete.user, body="Legs heavy today")
    Comment.objects.create(thread=thread, author=athlete.coach, body="Fine: keep the RPE at 7")
    run = RunDone.objects.create(
        athlete=athlete, started_at=dt.datetime(2026, 5, 5, 7, tzinfo=dt.UTC), source="manual",
        elapsed_seconds=1500, moving_seconds=1480, distance_m=5000, rpe=6,
    )  # fmt: skip
    # An unplanned run's note is a comment in the run's own thread.
    run_thread = Thread.objects.create(athlete=athlete, run_done=run)
    Comment.objects.create(thread=run_thread, author=athlete.user, body="Windy out there")
    OneRepMax.objects.create(
        athlete=athlete, exercise=exercise, load_kg=100, load_entered=100, load_unit="kg",
        tested_on=SOME_DAY,
    )  # fmt: skip
    RaceFactory(athlete=athlete, name='Parkrun, the "fast" one')
    TransferTest.objects.create(
        athlete=athlete, kind="sprint", date=SOME_DAY, value="8.15", splits=[4.1, 4.05]
    )
    return athlete


def download(user):
    response = sign_in(Client(), user).get(reverse("your-data-download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def read_all(archive):
    """{name: (json rows, csv rows)} for every export in the zip, each file parsed."""
    names = archive.namelist()
    assert len(names) == len(set(names))
    files = {}
    for name in {n.rsplit(".", 1)[0] for n in names}:
        rows = json.loads(archive.read(f"{name}.json").decode())
        table = list(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode(), newline="")))
        files[name] = (rows, table)
    return files


def assert_json_and_csv_agree(files):
    for name, (rows, table) in files.items():
        header, *lines = table
        assert len(lines) == len(rows), name
        for row, line in zip(rows, lines, strict=True):
            assert list(row) == header, name
            assert [csv_cell(value) for value in row.values()] == line, name


def test_the_athletes_zip_holds_every_kind_of_their_data_as_json_and_csv_that_agree():
    athlete = trained(AthleteFactory(user__username="ann", user__first_name="Ann"))
    trained(AthleteFactory(coach=athlete.coach))  # a teammate: none of theirs is in Ann's zip
    archive = download(athlete.user)
    assert sorted(archive.namelist()) == sorted(
        f"{export.name}.{kind}" for export in ATHLETE_DATA for kind in ("json", "csv")
    )
    files = read_all(archive)
    assert_json_and_csv_agree(files)
    assert files["profile"][0][0]["user__username"] == "ann"
    assert len(files["sessions"][0]) == 2
    sets = files["sets"][0]
    assert len(sets) == 4
    assert {row["load_entered"] for row in sets} == {"27.50"}
    # In the CSV a formula is quoted, so a spreadsheet shows it rather than runs it.
    assert files["sets"][1][1][files["sets"][1][0].index("exercise__name")] == "'=SUM(A1) squat"
    assert files["run_events"][0][0]["name"] == 'Parkrun, the "fast" one'
    assert sorted(row["body"] for row in files["comments"][0]) == [
        "Fine: keep the RPE at 7",
        "Legs heavy today",
        "Windy out there",
    ]
    (run,) = files["runs_done"][0]
    assert run["distance_m"] == 5000
    about_the_run = [c for c in files["comments"][0] if c["thread__run_done_id"] == run["id"]]
    assert [c["body"] for c in about_the_run] == ["Windy out there"]
    assert files["tested_maxes"][0][0]["load_kg"] == "100.00"
    assert files["transfer_tests"][0][0]["splits"] == [4.1, 4.05]
    assert files["transfer_tests"][1][1][files["transfer_tests"][1][0].index("splits")] == (
        "[4.1, 4.05]"
    )


def test_the_coachs_zip_holds_their_templates_programs_and_roster_only():
    coach = CoachUserFactory(username="alex")
    PrescriptionFactory(template__owner=coach, template__name="Day A mine")
    PrescriptionFactory(template__name="Someone else's")
    ProgramFactory(coach=coach, name="Spring block")
    ProgramFactory(name="Another coach's block")
    AthleteFactory(coach=coach, user__username="ann")
    AthleteFactory(user__username="not-mine")
    files = read_all(download(coach))
    assert set(files) == {export.name for export in COACH_DATA}
    assert_json_and_csv_agree(files)
    assert [row["name"] for row in files["templates"][0]] == ["Day A mine"]
    assert len(files["template_prescriptions"][0]) == 1
    assert [row["name"] for row in files["programs"][0]] == ["Spring block"]
    assert [row["user__username"] for row in files["roster"][0]] == ["ann"]


def _download_queries(user):
    client = sign_in(Client(), user)
    with CaptureQueriesContext(connection) as queries:
        b"".join(client.get(reverse("your-data-download")).streaming_content)
    return len(queries)


def test_the_download_costs_the_same_queries_for_a_long_history_as_for_a_short_one():
    short = trained(AthleteFactory(), sessions=1)
    long = trained(AthleteFactory(), sessions=12)
    assert _download_queries(short.user) == _download_queries(long.user)


def test_a_coach_with_athletes_is_told_to_hand_them_over_before_deleting():
    coach = CoachUserFactory()
    AthleteFactory(coach=coach)
    AthleteFactory(coach=coach)
    page = sign_in(Client(), coach).get(reverse("your-data")).content.decode()
    assert "You coach 2 athletes." in page
    assert "hand each one over to another coach or remove them" in page
    athlete_page = sign_in(Client(), AthleteFactory().user).get(reverse("your-data"))
    assert (
        "Your profile and your whole training history are deleted" in athlete_page.content.decode()
    )


def _page_queries(user, url):
    client = sign_in(Client(), user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_your_data_page_costs_the_same_queries_for_one_hand_over_as_for_ten():
    few, many = CoachUserFactory(), CoachUserFactory()
    handover_offer(athlete=AthleteFactory(), to_coach=few)
    for _ in range(10):
        handover_offer(athlete=AthleteFactory(), to_coach=many)
    url = reverse("your-data")
    assert _page_queries(few, url) == _page_queries(many, url)
    assert "Accept" in sign_in(Client(), many).get(url).content.decode()
