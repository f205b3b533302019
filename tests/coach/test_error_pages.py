"""Our own error pages: what a coach or athlete reads when a page is missing, not theirs, a
request is garbled, a form expired or the server fails — in the app's layout, never Django's
bare "Not Found" or "403 Forbidden", and with a way back."""

import pytest
from django.test import Client
from django.views import defaults

from tests.athletes.factories import AthleteFactory

pytestmark = pytest.mark.django_db


def test_another_coachs_athlete_is_a_404_page_in_our_layout(client):
    mine, theirs = AthleteFactory(), AthleteFactory()
    client.force_login(mine.coach)

    response = client.get(f"/athletes/{theirs.pk}/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Coach</title>" in html
    assert "belongs to another account" in html
    assert 'href="/">Go to the start page' in html


def test_a_page_an_athlete_may_not_open_says_so_and_leads_back(client):
    athlete = AthleteFactory()
    client.force_login(athlete.user)

    response = client.get("/dashboard/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "Your account can’t open this page." in html
    assert "Go to the start page" in html


def test_an_expired_form_says_nothing_was_saved():
    athlete = AthleteFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(athlete.user)

    response = strict.post("/settings/", {"first_name": "Changed"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "This page expired" in html and "nothing was saved" in html
    athlete.user.refresh_from_db()
    assert athlete.user.first_name != "Changed"


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (defaults.server_error, 500, "Something went wrong on our side"),
        (lambda request: defaults.bad_request(request, Exception()), 400, "could not be read"),
    ],
)
def test_the_400_and_500_pages_need_no_database_or_context(
    rf, django_assert_num_queries, handler, status, heading
):
    # Django renders them with no context at all; they must not need the user or a query.
    with django_assert_num_queries(0):
        response = handler(rf.get("/today/"))

    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert "/static/css/coach.css" in html and 'href="/"' in html
