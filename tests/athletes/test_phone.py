"""The phone in the gym, over HTTP: loads to lift on Today, tested maxes, the progress line,
cues at a tap, the manifest and the offline page."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from athletes.models import OneRepMax
from tests.athletes.factories import AthleteFactory
from tests.athletes.logging_sessions import PERCENT_SQUAT, session_for

pytestmark = pytest.mark.django_db

# The squat and an exercise with cues to read.
SQUAT_AND_PALLOF = [
    *PERCENT_SQUAT,
    {"exercise": "Pallof press", "block": "core", "sets": 3, "reps_min": 10, "per_side": True},
]


@pytest.fixture
def athlete():
    return AthleteFactory()


@pytest.fixture
def athlete_client(client, athlete):
    client.force_login(athlete.user)
    return client


def exercise_id(session, name="Back squat"):
    return session.program_session.prescriptions.get(exercise__name=name).exercise_id


def today_page(client):
    return client.get(reverse("athletes:session-today")).content.decode()


def log_squat(client, session, load, reps, set_number=1):
    prescription = session.program_session.prescriptions.get(exercise__name="Back squat")
    answer = client.post(
        reverse("athletes:set-record", args=[session.pk]),
        {
            "id": str(uuid.uuid4()),
            "prescription": prescription.pk,
            "set_number": set_number,
            "side": "",
            "reps": reps,
            "load": load,
        },
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 201


def test_a_percent_squat_with_no_history_says_how_to_get_a_max(athlete_client, athlete):
    session_for(athlete, SQUAT_AND_PALLOF)
    page = today_page(athlete_client)
    assert "No max yet: log a set to get an estimate, or enter a tested max." in page
    assert "Enter a tested max" in page


def test_a_percent_squat_shows_the_load_and_plates_from_last_weeks_sets(athlete_client, athlete):
    today = athlete.today()
    last_week = session_for(athlete, SQUAT_AND_PALLOF, date=today - dt.timedelta(days=7))
    # Its program's week 2 would fall on today when today is its weekday: only today's session
    # below is meant to be there.
    last_week.assignment.sessions.exclude(pk=last_week.pk).delete()
    log_squat(athlete_client, last_week, "62.5", 5)
    session_for(athlete, SQUAT_AND_PALLOF, date=today, name="Day A again")
    page = today_page(athlete_client)
    # 62.5 × (1 + 5/30) = 72.9; 75 % = 54.7 -> 55 kg: 17.5 a side = 15 + 2.5.
    assert "≈ 55 kg — 75 % of est. 73 kg" in page
    assert "15 + 2.5 kg each side of a 20 kg bar" in page
    assert "No max yet" not in page


def test_a_tested_max_comes_before_the_estimate_and_reads_in_the_athletes_unit(client):
    athlete = AthleteFactory(unit="lb")
    client.force_login(athlete.user)
    session = session_for(athlete, SQUAT_AND_PALLOF)
    squat_id = exercise_id(session)
    answer = client.post(
        reverse("athletes:one-rep-max-enter"),
        {"exercise": squat_id, "load": "180", "tested_on": athlete.today().isoformat()},
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("athletes:session-today")
    page = today_page(client)
    assert "≈ 135 lb — 75 % of tested 180 lb" in page
    assert "45 lb each side of a 45 lb bar" in page
    kept = OneRepMax.objects.get()
    assert (kept.load_entered, kept.load_unit, kept.load_kg) == (
        Decimal("180"),
        "lb",
        Decimal("81.65"),
    )


def test_a_max_entered_twice_is_one_max_the_newest(athlete_client, athlete):
    session = session_for(athlete, SQUAT_AND_PALLOF)
    squat_id = exercise_id(session)
    url = reverse("athletes:one-rep-max-enter")
    for load in ("100", "100", "105"):
        form = {"exercise": squat_id, "load": load, "tested_on": athlete.today().isoformat()}
        assert athlete_client.post(url, form).status_code == 302
    assert list(OneRepMax.objects.values_list("load_kg", "entered_by")) == [
        (Decimal("105"), athlete.user.pk)
    ]


def test_the_coach_enters_a_max_for_their_athlete_and_returns_to_the_athlete(client, athlete):
    session = session_for(athlete, SQUAT_AND_PALLOF)
    squat_id = exercise_id(session)
    client.force_login(athlete.coach)
    url = reverse("athletes:athlete-one-rep-max-enter", args=[athlete.pk])
    assert "Enter a tested max for" in client.get(url).content.decode()
    answer = client.post(url, {"exercise": squat_id, "load": "90", "tested_on": "2026-01-05"})
    assert answer["Location"] == reverse("athletes:athlete-detail", args=[athlete.pk])
    assert OneRepMax.objects.get().entered_by == athlete.coach


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"load": ""}, "Enter the load you lifted once."),
        ({"load": "0"}, "Enter the load you lifted once."),
        ({"load": "501"}, "Loads go up to 500 kg."),
        ({"load": "-5"}, "Load can&#x27;t be negative."),
        ({"tested_on": "2099-01-01"}, "A max can&#x27;t be dated in the future."),
        ({"exercise": "999999"}, "Choose a lift from the list."),
    ],
)
def test_a_bad_max_is_refused_next_to_its_field_and_nothing_is_saved(
    athlete_client, athlete, fields, message
):
    session = session_for(athlete, SQUAT_AND_PALLOF)
    squat_id = exercise_id(session)
    form = {"exercise": squat_id, "load": "100", "tested_on": athlete.today().isoformat()}
    answer = athlete_client.post(reverse("athletes:one-rep-max-enter"), {**form, **fields})
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not OneRepMax.objects.exists()


def test_a_max_of_a_lift_that_is_not_strength_is_refused(athlete_client, athlete):
    session = session_for(athlete, SQUAT_AND_PALLOF)
    pallof = exercise_id(session, "Pallof press")
    answer = athlete_client.post(
        reverse("athletes:one-rep-max-enter"),
        {"exercise": pallof, "load": "20", "tested_on": athlete.today().isoformat()},
    )
    assert answer.status_code == 422
    assert not OneRepMax.objects.exists()


def test_the_max_form_goes_back_only_to_our_own_pages(athlete_client, athlete):
    session = session_for(athlete, SQUAT_AND_PALLOF)
    squat_id = exercise_id(session)
    form = {"exercise": squat_id, "load": "100", "tested_on": athlete.today().isoformat()}
    url = reverse("athletes:one-rep-max-enter")
    elsewhere = athlete_client.post(url, {**form, "next": "https://evil.example/"})
    assert elsewhere["Location"] == reverse("athletes:session-today")
    session_page = reverse("athletes:session-detail", args=[session.pk])
    assert athlete_client.post(url, {**form, "next": session_page})["Location"] == session_page


def test_the_progress_line_counts_each_side_and_the_current_card_is_open(athlete_client, athlete):
    session = session_for(athlete)  # Day A: 22 sets in 7 exercises
    assert "0 of 22 sets · 0 of 7 exercises" in today_page(athlete_client)
    hip_swings = session.program_session.prescriptions.get(exercise__name="Hip swings")
    for side in ("left", "right"):
        athlete_client.post(
            reverse("athletes:set-record", args=[session.pk]),
            {
                "id": str(uuid.uuid4()),
                "prescription": hip_swings.pk,
                "set_number": 1,
                "side": side,
                "reps": 10,
            },
        )
    page = today_page(athlete_client)
    assert "2 of 22 sets · 1 of 7 exercises" in page
    skip_drills = session.program_session.prescriptions.get(exercise__name="Skip drills")
    # Only the card to do next is open; the others are one row each.
    assert page.count("data-card-sets open") == 1
    opened = page.index("data-card-sets open")
    assert page.rindex(f'id="p{skip_drills.pk}"', 0, opened) > page.rindex(
        f'id="p{hip_swings.pk}"', 0, opened
    )


def test_the_exercise_name_opens_its_cues_and_the_coachs_cue(athlete_client, athlete):
    session_for(athlete, SQUAT_AND_PALLOF)
    page = today_page(athlete_client)
    assert "Side-on to the anchor, press the handle straight out and resist the twist." in page
    assert '<details class="exercise-cues">' in page


def test_a_demo_video_opens_outside_the_app(athlete_client, athlete):
    session = session_for(athlete, SQUAT_AND_PALLOF)
    squat = session.program_session.prescriptions.get(exercise__name="Back squat").exercise
    squat.video_url = "https://video.example/squat"
    squat.save()
    page = today_page(athlete_client)
    assert (
        '<a class="tap-link" href="https://video.example/squat" target="_blank" '
        'rel="noopener noreferrer">Watch a demo' in page
    )


def test_every_page_names_the_manifest_the_theme_colour_and_the_touch_icon(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#0d6efd">' in page
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in page


def test_the_manifest_opens_today_standalone_with_its_icons():
    with open(finders.find("manifest.webmanifest"), encoding="utf-8") as source:
        manifest = json.load(source)
    assert (manifest["start_url"], manifest["display"]) == ("/today/", "standalone")
    icons = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert icons == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert finders.find(f"img/{icon['src'].removeprefix('img/')}")


def test_the_offline_page_points_back_to_today_and_the_worker_keeps_it(client):
    page = client.get(reverse("athletes:offline")).content.decode()
    assert "You're offline" in page and reverse("athletes:session-today") in page
    assert b'const OFFLINE_PATH = "/offline/"' in client.get("/sw.js").content
