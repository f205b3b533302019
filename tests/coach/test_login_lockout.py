import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from tests.coach.factories import TEST_PASSWORD, CoachUserFactory


def user_of_its_own():
    """Failed attempts are counted per username in the shared cache, which parallel test
    processes share: a name no other test uses keeps the counts apart."""
    return CoachUserFactory(username=f"lockout-{uuid.uuid4().hex[:12]}")


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login_with_a_clear_message(client):
    user = user_of_its_own()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
        assert response.status_code == 200
    locking = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert locking.status_code == 429

    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_few_wrong_passwords_then_the_right_one_logs_in(client):
    user = user_of_its_own()
    for _ in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "nope"})

    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})

    assert response.status_code == 302
