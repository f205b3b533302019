"""Every request is logged as one JSON line with its request id, which the response returns and
every other record of the request carries; no query string, no secret token in a path.

The lines are read from the console handler that settings.LOGGING configures (its stream swapped
for a buffer), so what is checked is what production prints.
"""

import io
import json
import logging
import socket

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.athletes.factories import AthleteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(previous)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "coach.requests"]


def test_a_request_is_one_json_line_with_the_id_the_load_balancer_sent(client, log_lines):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="lb-4f1c9e7a-0b2d")

    assert response.headers["X-Request-ID"] == "lb-4f1c9e7a-0b2d"
    [line] = request_lines(log_lines())
    assert line["request_id"] == "lb-4f1c9e7a-0b2d"
    assert line["level"] == "INFO"
    assert line["message"] == "GET /accounts/login/ 200"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/accounts/login/", 200)
    assert line["user_id"] is None
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


@pytest.mark.parametrize(
    "incoming", ["", "has spaces", "x" * 65, 'quote"s', "new\nline", "emoji-🏃"]
)
def test_a_request_id_that_does_not_look_like_one_is_replaced_by_a_fresh_one(
    client, log_lines, incoming
):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=incoming)

    request_id = response.headers["X-Request-ID"]
    assert request_id != incoming and len(request_id) == 32
    assert request_lines(log_lines())[0]["request_id"] == request_id


def test_two_requests_without_an_id_get_different_ones(client):
    first = client.get(reverse("login")).headers["X-Request-ID"]
    second = client.get(reverse("login")).headers["X-Request-ID"]

    assert first != second


def test_the_signed_in_user_is_logged_by_id(client, log_lines, coach_user):
    client.force_login(coach_user)

    client.get(reverse("dashboard"))

    [line] = request_lines(log_lines())
    assert (line["path"], line["status"], line["user_id"]) == ("/dashboard/", 200, coach_user.pk)


def test_the_query_string_is_never_logged(client, log_lines):
    client.get(reverse("login"), {"next": "/today/", "secret": "hunter2"})

    lines = log_lines()
    assert request_lines(lines)[0]["path"] == "/accounts/login/"
    assert "hunter2" not in json.dumps(lines)


def test_the_calendar_feed_s_token_is_redacted_from_every_line(client, log_lines):
    athlete = AthleteFactory()
    unknown = "guessed-token-that-is-not-anyones"

    assert (
        client.get(reverse("athletes:calendar-feed", args=[athlete.feed_token])).status_code == 200
    )
    assert client.get(reverse("athletes:calendar-feed", args=[unknown])).status_code == 404

    lines = log_lines()
    everything = json.dumps(lines)
    assert athlete.feed_token not in everything and unknown not in everything
    assert [line["path"] for line in request_lines(lines)] == ["/calendar/feed/***.ics"] * 2
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["message"] == "Not Found: /calendar/feed/***.ics"
    assert not_found["request_id"] == request_lines(lines)[1]["request_id"]


def test_an_invitation_s_token_is_redacted_too(client, log_lines, coach_user):
    invitation = coach_user.invitations.create()

    client.get(reverse("invitation-accept", args=[invitation.token]))

    assert request_lines(log_lines())[0]["path"] == "/join/***/"


def test_records_logged_while_a_request_runs_carry_its_id(client, log_lines):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_redis = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    with override_settings(CELERY_BROKER_URL=dead_redis):
        response = client.get(reverse("healthz"))

    [warning] = [line for line in log_lines() if line["logger"] == "coach.health"]
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == response.headers["X-Request-ID"]


def test_passing_health_checks_are_not_logged_at_info(client, log_lines):
    assert client.get(reverse("healthz")).status_code == 200

    assert request_lines(log_lines()) == []


def test_a_line_logged_outside_a_request_has_no_request_id(log_lines):
    logging.getLogger("coach.test").warning("beat is late")

    [line] = log_lines()
    assert (line["message"], line["request_id"]) == ("beat is late", None)
