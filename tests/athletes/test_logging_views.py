"""The athlete's Today, session, set posts, finishing and history pages, over HTTP."""

import datetime as dt
import json
import re
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from athletes.models import Comment, ScheduledSession, SetLog
from athletes.rules.strength import MAX_SET_NUMBER
from tests.athletes.factories import AthleteFactory, ScheduledSessionFactory
from tests.athletes.logging_sessions import session_for, strength_rows
from tests.coach.factories import CoachUserFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def athlete_client(client, athlete):
    client.force_login(athlete.user)
    return client


def set_fields(session, exercise_name="Back squat", **fields):
    prescription = session.program_session.prescriptions.get(exercise__name=exercise_name)
    values = {
        "id": str(uuid.uuid4()),
        "prescription": prescription.pk,
        "set_number": 1,
        "side": "",
        "reps": 5,
        "load": "60",
        "rpe": "",
    }
    values.update(fields)
    return values


def post_set(client, session, **fields):
    url = reverse("athletes:set-record", args=[session.pk])
    return client.post(url, set_fields(session, **fields), **JSON)


def test_today_shows_the_session_with_prescriptions_in_words(athlete_client, athlete):
    session_for(athlete)
    page = athlete_client.get(reverse("athletes:session-today")).content.decode()
    assert "Day A" in page
    assert "4 × 4–6 @ moderate-heavy" in page
    assert "3 × 30 s each side" in page
    assert "Set 1 of 4" in page


def test_today_shows_last_time_in_the_athletes_unit(athlete_client, athlete):
    athlete.unit = "lb"
    athlete.save()
    a_week_ago = session_for(athlete).date - dt.timedelta(days=7)
    earlier = session_for(athlete, date=a_week_ago)
    squat = earlier.program_session.prescriptions.get(exercise__name="Back squat").exercise
    for number in range(1, 5):
        SetLog.objects.create(
            scheduled_session=earlier,
            exercise=squat,
            set_number=number,
            reps=5,
            load_kg=Decimal("61.23"),
            load_entered=Decimal("135"),
            load_unit="lb",
        )
    page = athlete_client.get(reverse("athletes:session-today")).content.decode()
    assert "Last time: 4 × 5 @ 135 lb" in page
    assert 'value="135"' in page  # the load is prefilled from last time


def test_posting_a_set_twice_with_one_id_keeps_one_set(athlete_client, athlete):
    session = session_for(athlete)
    fields = set_fields(session)
    url = reverse("athletes:set-record", args=[session.pk])
    first = athlete_client.post(url, fields, **JSON)
    second = athlete_client.post(url, fields, **JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] == fields["id"]
    assert SetLog.objects.count() == 1
    assert "5 × 60 kg" in second.json()["row_html"]


def test_a_pound_athlete_logs_in_pounds_and_the_set_is_kept_in_kilograms(athlete_client, athlete):
    athlete.unit = "lb"
    athlete.save()
    session = session_for(athlete)
    response = post_set(athlete_client, session, load="135")
    assert SetLog.objects.get().load_kg == Decimal("61.23")
    assert "5 × 135 lb" in response.json()["row_html"]


def test_correcting_a_set_offers_the_load_lifted_not_the_plate_rounded_one(athlete_client, athlete):
    session = session_for(athlete)
    fields = set_fields(session, load="61")
    athlete_client.post(reverse("athletes:set-record", args=[session.pk]), fields, **JSON)
    page = athlete_client.get(reverse("athletes:session-detail", args=[session.pk]))
    assert 'data-load="61"' in page.content.decode()
    post_set(athlete_client, session, id=fields["id"], reps=4, load="61")
    assert SetLog.objects.get().load_kg == Decimal("61")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reps": "101"}, "reps", "More than 100 reps"),
        ({"reps": "-1"}, "reps", "can't be negative"),
        ({"load": "501"}, "load", "Loads go up to 500 kg"),
        ({"rpe": "11"}, "rpe", "RPE is from 1"),
        ({"rpe": "7.3"}, "rpe", "RPE goes in half points"),
        ({"reps": ""}, "reps", "Enter the reps"),
        ({"reps": "five"}, "reps", "whole number"),
    ],
)
def test_bad_numbers_get_a_message_for_their_field(athlete_client, athlete, fields, field, message):
    session = session_for(athlete)
    response = post_set(athlete_client, session, **fields)
    assert response.status_code == 422
    assert message in json.dumps(response.json()["errors"][field])
    assert not SetLog.objects.exists()


def test_without_script_a_bad_set_reshows_the_page_with_the_message(athlete_client, athlete):
    session = session_for(athlete)
    url = reverse("athletes:set-record", args=[session.pk])
    response = athlete_client.post(url, set_fields(session, rpe="12"))
    assert response.status_code == 422
    assert "RPE is from 1 (very easy) to 10" in response.content.decode()
    good = athlete_client.post(url, set_fields(session))
    assert good.status_code == 302 and SetLog.objects.count() == 1


def test_logging_into_a_closed_session_says_to_reopen(athlete_client, athlete):
    session = session_for(athlete)
    ScheduledSession.objects.filter(pk=session.pk).update(status="completed", session_rpe=5)
    response = post_set(athlete_client, session)
    assert response.status_code == 422
    assert "Reopen it" in json.dumps(response.json())


def test_complete_skip_and_reopen_from_the_page(athlete_client, athlete):
    session = session_for(athlete)
    detail = reverse("athletes:session-detail", args=[session.pk])
    missing_rpe = athlete_client.post(reverse("athletes:session-complete", args=[session.pk]), {})
    assert missing_rpe.status_code == 422
    assert "How hard was the whole session" in missing_rpe.content.decode()
    done = athlete_client.post(
        reverse("athletes:session-complete", args=[session.pk]),
        {"session_rpe": "7", "actual_minutes": "29", "notes": "Felt strong"},
    )
    assert done.status_code == 302
    page = athlete_client.get(detail).content.decode()
    assert "Session RPE 7 · 29 min" in page and "Reopen to correct a set" in page
    athlete_client.post(reverse("athletes:session-reopen", args=[session.pk]))
    skip = athlete_client.post(reverse("athletes:session-skip", args=[session.pk]), {})
    assert skip.status_code == 422 and "Say why" in skip.content.decode()
    athlete_client.post(
        reverse("athletes:session-skip", args=[session.pk]), {"skip_reason": "Sick"}
    )
    session.refresh_from_db()
    assert (session.status, session.skip_reason) == ("skipped", "Sick")


def test_a_page_the_phone_keeps_in_the_background_leaves_the_completion_message(
    athlete_client, athlete
):
    """The service worker refreshes its kept copy of Today (header Coach-Keep) while the athlete
    completes the session; the message must wait for the Today they open, not the copy."""
    session = session_for(athlete)
    athlete_client.post(
        reverse("athletes:session-complete", args=[session.pk]),
        {"session_rpe": "7", "actual_minutes": "29"},
    )
    today = reverse("athletes:session-today")
    kept_copy = athlete_client.get(today, headers={"Coach-Keep": "1"}).content.decode()
    assert "Session complete" not in kept_copy
    assert "Session complete. Your coach can see it." in athlete_client.get(today).content.decode()


def test_a_session_finished_offline_is_sent_later_as_json_and_sending_it_twice_is_harmless(
    athlete_client, athlete
):
    session = session_for(athlete)
    url = reverse("athletes:session-complete", args=[session.pk])

    refused = athlete_client.post(url, {"session_rpe": "11"}, **JSON)
    assert refused.status_code == 422
    assert refused.json()["errors"]["session_rpe"][0]["message"] == "Session RPE is from 1 to 10."
    session.refresh_from_db()
    assert session.status == "planned"

    fields = {"session_rpe": "7", "actual_minutes": "31", "notes": "Gym wifi down"}
    first = athlete_client.post(url, fields, **JSON)
    session.refresh_from_db()
    completed_at = session.completed_at
    again = athlete_client.post(url, fields, **JSON)

    assert first.json() == again.json() == {"status": "completed"}
    session.refresh_from_db()
    assert (session.status, session.session_rpe) == ("completed", 7)
    (note,) = Comment.objects.filter(thread__scheduled_session=session)
    assert note.body == "Gym wifi down"
    assert session.completed_at == completed_at


def test_the_athlete_does_not_see_their_own_name_on_their_closed_session(athlete_client, athlete):
    session = session_for(athlete)
    ScheduledSession.objects.filter(pk=session.pk).update(status="completed", session_rpe=6)
    name = f" · {athlete}"
    own_page = athlete_client.get(reverse("athletes:session-detail", args=[session.pk]))
    assert name not in own_page.content.decode()
    assert name not in athlete_client.get(reverse("athletes:session-today")).content.decode()
    athlete_client.force_login(athlete.coach)
    coach_page = athlete_client.get(reverse("athletes:session-detail", args=[session.pk]))
    assert name in coach_page.content.decode()


def test_a_one_set_exercise_done_says_set_done(athlete_client, athlete):
    session = session_for(athlete)
    post_set(athlete_client, session, exercise_name="Ankle flicks", reps="", load="",
             hold_seconds="20")  # fmt: skip
    page = athlete_client.get(reverse("athletes:session-detail", args=[session.pk]))
    assert "Set done" in page.content.decode()
    assert "All 1 sets done" not in page.content.decode()


def set_order_on_card(page, exercise_name):
    """The order a card hands the page's script ("1|left 1|right …"), which offers the first
    place no set on the card holds."""
    card = re.search(
        rf'data-set-order="([^"]*)">\s*<div class="card-body[^"]*">'
        rf'\s*<details class="exercise-cues">\s*<summary[^>]*>{exercise_name}<',
        page,
    )
    return card.group(1).split(" ")


def test_each_card_tells_the_script_the_order_its_sets_are_done_in(athlete_client, athlete):
    session_for(athlete)
    page = athlete_client.get(reverse("athletes:session-today")).content.decode()

    plank = set_order_on_card(page, "Side plank")
    assert plank[:4] == ["1|left", "1|right", "2|left", "2|right"]
    squat = set_order_on_card(page, "Back squat")
    assert squat[:3] == ["1|", "2|", "3|"]
    assert squat[-1] == f"{MAX_SET_NUMBER + 1}|"  # the server refuses a set past the most


def test_the_coach_reads_the_session_with_its_sets_and_cannot_log(client, athlete):
    session = session_for(athlete)
    athlete_client_sets = [
        SetLog(scheduled_session=session, exercise=p.exercise, prescription=p, set_number=1,
               reps=5, load_kg=Decimal("60"), load_entered=Decimal("60"), load_unit="kg")
        for p in session.program_session.prescriptions.filter(exercise__name="Back squat")
    ]  # fmt: skip
    SetLog.objects.bulk_create(athlete_client_sets)
    ScheduledSession.objects.filter(pk=session.pk).update(status="skipped", skip_reason="Travel")
    client.force_login(athlete.coach)
    page = client.get(reverse("athletes:session-detail", args=[session.pk])).content.decode()
    assert "5 × 60 kg" in page and "Reason: Travel" in page
    assert "Log set" not in page and "Reopen" not in page


def test_nobody_else_reaches_a_session(client, athlete):
    session = session_for(athlete)
    detail = reverse("athletes:session-detail", args=[session.pk])
    client.force_login(AthleteFactory().user)
    assert client.get(detail).status_code == 404
    assert post_set(client, session).status_code == 404
    client.force_login(CoachUserFactory())
    assert client.get(detail).status_code == 404
    assert not SetLog.objects.exists()


def test_ids_too_big_for_the_database_are_not_found(athlete_client, athlete):
    huge = 10**20
    for name in ("session-detail", "set-record", "history-exercise"):
        url = reverse(f"athletes:{name}", args=[huge])
        response = athlete_client.post(url) if name == "set-record" else athlete_client.get(url)
        assert response.status_code == 404, name


def test_history_lists_sessions_and_the_best_estimated_1rm(athlete_client, athlete):
    session = session_for(athlete)
    post_set(athlete_client, session, reps=5, load="60")
    post_set(athlete_client, session, set_number=2, reps=3, load="70")
    page = athlete_client.get(reverse("athletes:history-list")).content.decode()
    assert "Best est. 1RM" in page and "77 kg" in page  # 70 × (1 + 3/30) = 77
    assert "2 sets logged" in page
    squat = session.program_session.prescriptions.get(exercise__name="Back squat").exercise
    detail = athlete_client.get(reverse("athletes:history-exercise", args=[squat.pk]))
    assert 'Best estimated 1RM: <span class="fw-semibold">77 kg' in detail.content.decode()


def test_history_pages_through_every_session_newest_first(athlete_client, athlete):
    today = athlete.today()
    assignment = ScheduledSessionFactory(athlete=athlete, date=today, name="Session 0").assignment
    for n in range(1, 25):  # one a day: "Session 24" is the oldest
        day = today - dt.timedelta(days=n)
        ScheduledSessionFactory(athlete=athlete, assignment=assignment, date=day, name=f"S {n}")
    history = reverse("athletes:history-list")

    def listed(**query):
        page = athlete_client.get(history, query).content.decode()
        return page, re.findall(r'<span class="fw-semibold">(Session 0|S \d+)</span>', page)

    first, names = listed()
    assert names == ["Session 0", *(f"S {n}" for n in range(1, 20))]
    assert "1–20 of 25, newest first" in first and "Exercises" in first
    assert 'href="?page=2" rel="next"' in first
    second, names = listed(page=2)
    assert names == [f"S {n}" for n in range(20, 25)]
    assert "21–25 of 25, newest first" in second and "Exercises" not in second
    # A page past the end, or not a number, is the nearest page there is: never an error.
    assert listed(page=9)[1] == names
    assert listed(page="x")[1][0] == "Session 0"


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert b'const STATIC_URL = "/static/"' in response.content
    assert b'const LOGOUT_PATH = "/accounts/logout/"' in response.content
    assert b'"__' not in response.content  # every placeholder filled in


def test_a_fresh_csrf_token_is_handed_out(athlete_client):
    assert len(athlete_client.get(reverse("athletes:csrf-refresh")).json()["token"]) >= 32


def queries_for_session_page(client, athlete, exercises):
    session = session_for(athlete, strength_rows(exercises), name=f"S{exercises}")
    for p in session.program_session.prescriptions.all():
        SetLog.objects.create(
            scheduled_session=session, prescription=p, exercise=p.exercise, set_number=1, reps=8
        )
    url = reverse("athletes:session-detail", args=[session.pk])
    client.get(url)  # warm up the session and user caches of the test client
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_session_page_query_count_does_not_grow_with_exercises(athlete_client, athlete):
    assert queries_for_session_page(athlete_client, athlete, 4) == queries_for_session_page(
        athlete_client, athlete, 12
    )


def queries_for_today(client, exercises):
    athlete = AthleteFactory()
    session_for(athlete, strength_rows(exercises), name=f"T{exercises}")
    client.force_login(athlete.user)
    url = reverse("athletes:session-today")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_today_query_count_does_not_grow_with_exercises(client):
    assert queries_for_today(client, 4) == queries_for_today(client, 12)


def test_today_points_to_an_earlier_session_left_open(athlete_client, athlete):
    today_session = session_for(athlete)
    session_for(athlete, date=today_session.date - dt.timedelta(days=2), name="Day B")
    page = athlete_client.get(reverse("athletes:session-today")).content.decode()
    assert "Not finished: Day B" in page
    assert '<p class="text-uppercase small fw-semibold text-body-secondary mb-1">Today' in page


def test_today_shows_the_next_session_when_none_is_today(athlete_client, athlete):
    tomorrow = timezone.now().astimezone(athlete.tz).date() + dt.timedelta(days=1)
    session_for(athlete, date=tomorrow)
    page = athlete_client.get(reverse("athletes:session-today")).content.decode()
    assert "Next session" in page and "Day A" in page


def queries_for_history(client, sessions):
    athlete = AthleteFactory()
    client.force_login(athlete.user)
    today = timezone.now().astimezone(athlete.tz).date()
    for n in range(sessions):
        session = session_for(athlete, date=today - dt.timedelta(days=n), name=f"H{n}")
        for p in session.program_session.prescriptions.all():
            SetLog.objects.create(
                scheduled_session=session, prescription=p, exercise=p.exercise, set_number=1,
                reps=p.reps_min or None, hold_seconds=p.hold_seconds, load_kg=Decimal("40"),
                load_entered=Decimal("40"), load_unit="kg",
            )  # fmt: skip
    squat = SetLog.objects.filter(exercise__name="Back squat").first().exercise_id
    counts = []
    pages = [reverse("athletes:history-list"), reverse("athletes:history-exercise", args=[squat])]
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_history_query_counts_do_not_grow_with_sessions(client):
    assert queries_for_history(client, 1) == queries_for_history(client, 4)


@pytest.mark.django_db(transaction=True)
def test_the_same_set_posted_from_two_connections_at_once_is_one_row():
    athlete = AthleteFactory()
    session = session_for(athlete)
    fields = set_fields(session)
    url = reverse("athletes:set-record", args=[session.pk])
    start = threading.Barrier(2)
    statuses = []

    def post():
        client = Client()
        client.force_login(athlete.user)
        try:
            start.wait()
            statuses.append(client.post(url, fields, **JSON).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201]
    assert SetLog.objects.get().pk == uuid.UUID(fields["id"])


def test_a_set_whose_prescription_was_replaced_stays_on_its_exercise(athlete_client, athlete):
    session = session_for(athlete)
    post_set(athlete_client, session)
    SetLog.objects.update(prescription=None)  # the coach edited this week's session since
    page = athlete_client.get(reverse("athletes:session-detail", args=[session.pk]))
    assert "5 × 60 kg" in page.content.decode() and "Set 2 of 4" in page.content.decode()


@pytest.mark.django_db(transaction=True)  # the service's own transaction, as in production
def test_a_set_post_sends_three_statements_new_or_repeated(client):
    athlete = AthleteFactory()
    client.force_login(athlete.user)
    session = session_for(athlete)
    fields = set_fields(session, reps=5, load="60")
    url = reverse("athletes:set-record", args=[session.pk])
    for expected_status in (201, 200):  # a new set, then its retry
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, fields, HTTP_ACCEPT="application/json")
        assert response.status_code == expected_status
        # The sign-in (1: the session with its user and their athlete), then inside the service's
        # BEGIN and COMMIT: the session locked with its prescription and the set looked up by
        # id and place, in one round trip (1), and the set's insert or update (1).
        statements = [
            q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")
        ]
        assert len(statements) == 3, statements
    assert SetLog.objects.get().load_entered == Decimal("60")


def test_a_prescription_id_too_big_for_the_database_is_not_part_of_the_session(
    athlete_client, athlete
):
    response = post_set(athlete_client, session_for(athlete), prescription=10**20)
    assert response.status_code == 400
    assert not SetLog.objects.exists()
