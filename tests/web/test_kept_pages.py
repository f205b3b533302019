"""Kept pages (web/kept_pages.py): a page read again is answered from the cache, with the
request's own CSRF token, until a write changes what it shows, however the write
was made; a set an athlete logs changes the pages about them (theirs and their coach's), and
leaves every other athlete's kept."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.models import ScheduledSession, SetLog
from tests.athletes.factories import AthleteFactory
from tests.athletes.logging_sessions import session_for
from tests.athletes.test_logging_views import post_set
from tests.coach.factories import CoachUserFactory
from tests.coach.test_accounts_without_redis import cache_at
from tests.coach.test_health import closed_port
from web.cache import tables_counted_up

pytestmark = pytest.mark.django_db
TODAY = reverse("athletes:session-today")
DASHBOARD = reverse("dashboard")
# Statements a kept answer costs: the session with the signed-in user (and their athlete).
KEPT_ANSWER_QUERIES = 1


def signed_in(user, **defaults):
    client = Client(**defaults)
    client.force_login(user)
    return client


def answered(client, url):
    """(the page's text, the statements its answer took)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.fixture
def today_session(athlete):
    return session_for(athlete)


def test_a_page_read_again_is_answered_as_kept(athlete, today_session):
    client = signed_in(athlete.user)
    first, made = answered(client, TODAY)
    again, kept = answered(client, TODAY)
    assert made > KEPT_ANSWER_QUERIES
    assert kept == KEPT_ANSWER_QUERIES
    assert "Day A" in again.content.decode()


def test_a_set_the_athlete_logs_shows_at_once_and_leaves_other_athletes_pages_kept(
    athlete, today_session, coach_user
):
    teammate = AthleteFactory(coach=coach_user)
    session_for(teammate)
    own, theirs, coach = (
        signed_in(athlete.user),
        signed_in(teammate.user),
        signed_in(coach_user),
    )
    coach_session_page = reverse("athletes:session-detail", args=[today_session.pk])
    for client, url in (
        (own, TODAY),
        (theirs, TODAY),
        (coach, coach_session_page),
        (coach, DASHBOARD),
    ):
        answered(client, url)

    set_id = post_set(own, today_session, reps=5).json()["id"]

    page, _ = answered(own, TODAY)
    assert f'data-set-id="{set_id}"' in page.content.decode()
    _, teammate_queries = answered(theirs, TODAY)
    assert teammate_queries == KEPT_ANSWER_QUERIES
    coach_page, _ = answered(coach, coach_session_page)
    assert f'data-set-id="{set_id}"' in coach_page.content.decode()
    # The roster counts sessions done, not sets: a set leaves it as it was kept.
    _, dashboard_queries = answered(coach, DASHBOARD)
    assert dashboard_queries == KEPT_ANSWER_QUERIES


def test_a_session_done_shows_on_the_coachs_roster_at_once(athlete, today_session, coach_user):
    coach = signed_in(coach_user)
    before, _ = answered(coach, DASHBOARD)
    assert "Nothing logged" in before.content.decode()

    response = signed_in(athlete.user).post(
        reverse("athletes:session-complete", args=[today_session.pk]), {"session_rpe": 6}
    )
    assert response.status_code == 302  # to the session page, saying it is done

    after, _ = answered(coach, DASHBOARD)
    assert "session RPE 6" in after.content.decode()


def test_writes_that_reach_no_service_still_change_the_page(athlete, today_session):
    """A bulk update and raw SQL count up their tables like a model's save."""
    client = signed_in(athlete.user)
    answered(client, TODAY)
    ScheduledSession.objects.filter(pk=today_session.pk).update(name="Hill strength")
    assert "Hill strength" in answered(client, TODAY)[0].content.decode()

    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{ScheduledSession._meta.db_table}" SET name = %s WHERE id = %s',
            ["Track strength", today_session.pk],
        )
    assert "Track strength" in answered(client, TODAY)[0].content.decode()


def test_a_logged_set_removed_in_bulk_is_gone_from_the_page(athlete, today_session):
    client = signed_in(athlete.user)
    logged = f'data-set-id="{post_set(client, today_session, reps=5).json()["id"]}"'
    assert logged in answered(client, TODAY)[0].content.decode()
    SetLog.objects.filter(scheduled_session=today_session).delete()
    assert logged not in answered(client, TODAY)[0].content.decode()


def csrf_tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))


def test_a_kept_page_carries_this_browsers_csrf_token(athlete, today_session):
    client = signed_in(athlete.user, enforce_csrf_checks=True)
    answered(client, TODAY)
    page, queries = answered(client, TODAY)
    assert queries == KEPT_ANSWER_QUERIES
    text = page.content.decode()
    assert "\0" not in text
    (token,) = csrf_tokens(text)
    assert f'"X-CSRFToken": "{token}"' in text  # the page's own requests (htmx) send it too
    again, _ = answered(client, TODAY)
    assert csrf_tokens(again.content.decode()) != {token}  # masked afresh, as Django does

    skip = reverse("athletes:session-skip", args=[today_session.pk])
    response = client.post(skip, {"csrfmiddlewaretoken": token, "skip_reason": "Sore calf"})
    assert response.status_code == 302  # the kept page's token is this browser's own


def test_a_page_with_a_message_to_show_is_made_for_it_and_not_kept(athlete, today_session):
    client = signed_in(athlete.user)
    answered(client, TODAY)
    skip = reverse("athletes:session-skip", args=[today_session.pk])
    client.post(skip, {"skip_reason": "Sore calf"})
    shown, _ = answered(client, TODAY)
    assert "Session skipped" in shown.content.decode()
    after, _ = answered(client, TODAY)
    assert "Session skipped" not in after.content.decode()


def test_each_viewer_has_their_own_kept_page(coach_user):
    AthleteFactory(coach=coach_user, user__first_name="Ines")
    other_coach = CoachUserFactory()
    AthleteFactory(coach=other_coach, user__first_name="Bruno")
    mine, theirs = signed_in(coach_user), signed_in(other_coach)
    answered(mine, DASHBOARD)
    page, _ = answered(theirs, DASHBOARD)
    assert "Bruno" in page.content.decode()
    assert "Ines" not in page.content.decode()


def test_a_page_is_made_again_a_minute_on(athlete, today_session):
    client = signed_in(athlete.user)
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, 10, tzinfo=dt.UTC), tick=False):
        answered(client, TODAY)
        assert answered(client, TODAY)[1] == KEPT_ANSWER_QUERIES
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        assert answered(client, TODAY)[1] > KEPT_ANSWER_QUERIES


def test_with_redis_away_every_page_is_made_afresh(athlete, today_session):
    client = signed_in(athlete.user)
    with cache_at(closed_port()):
        answered(client, TODAY)
        ScheduledSession.objects.filter(pk=today_session.pk).update(name="Hill strength")
        page, queries = answered(client, TODAY)
    assert queries > KEPT_ANSWER_QUERIES
    assert "Hill strength" in page.content.decode()


@pytest.mark.parametrize(
    ("sql", "written"),
    [
        ('INSERT INTO "athletes_setlog" ("id") VALUES (%s)', {"athletes_setlog"}),
        ('UPDATE "athletes_setlog" SET "reps" = %s', {"athletes_setlog"}),
        ('DELETE FROM "athletes_setlog" WHERE "id" = %s', {"athletes_setlog"}),
        (
            'WITH x AS (SELECT 1) INSERT INTO "athletes_flag" ("id") SELECT 1 '
            'ON CONFLICT ("id") DO UPDATE SET "id" = EXCLUDED."id"',
            {"athletes_flag"},
        ),
        (
            'WITH s AS (SELECT "id" FROM "athletes_scheduledsession"'
            ' FOR UPDATE OF "athletes_scheduledsession") SELECT 1',
            set(),
        ),
        ('WITH s AS (SELECT 1 FROM "athletes_setlog" FOR NO KEY UPDATE) SELECT 1', set()),
    ],
)
def test_the_tables_a_statement_writes_to_are_counted_up(sql, written, monkeypatch):
    counted = []
    monkeypatch.setattr(
        "web.cache.generations_count_up", lambda *names, using: counted.extend(names)
    )
    tables_counted_up(lambda *args: None, sql, [], False, {"connection": connection})
    assert set(counted) == {f"table:{table}" for table in written}


def comment_ids(page) -> list[str]:
    return re.findall(r'name="comment_id" value="([^"]+)"', page.content.decode())


def set_form_ids(page) -> list[str]:
    return re.findall(r'name="id" value="([0-9a-f-]{36})"', page.content.decode())


def test_each_answer_of_a_kept_page_has_ids_of_its_own_for_its_forms(athlete, today_session):
    """Two tabs opened on the same page post two comments, not one."""
    client = signed_in(athlete.user)
    url = reverse("athletes:session-detail", args=[today_session.pk])
    first, _ = answered(client, url)
    second, queries = answered(client, url)
    assert queries == KEPT_ANSWER_QUERIES
    assert comment_ids(first) and comment_ids(second) != comment_ids(first)
    assert set_form_ids(second)
    assert set(set_form_ids(second)).isdisjoint(set_form_ids(first))

    post = reverse("athletes:session-comment-post", args=[today_session.pk])
    for page, body in ((first, "Knee felt fine"), (second, "Squats moved well")):
        (comment_id,) = comment_ids(page)
        client.post(post, {"comment_id": comment_id, "body": body})
    assert list(today_session.thread.comments.values_list("body", flat=True).order_by("body")) == [
        "Knee felt fine",
        "Squats moved well",
    ]
