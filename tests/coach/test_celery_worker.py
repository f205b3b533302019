"""Tasks really run in a separate Celery worker over Redis, not eagerly in the test process."""

import pytest
from django.conf import settings

from athletes.tasks import flags_refresh_for_athlete
from coach.celery import ping

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TASK_TIMEOUT = 30


def test_ping_is_answered_by_a_real_worker_over_redis(celery_worker_process):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False

    result = ping.delay()

    assert result.get(timeout=TASK_TIMEOUT) == "pong"
    assert result.successful()


def test_flags_refresh_for_an_athlete_completes_in_the_worker(celery_worker_process, athlete):
    result = flags_refresh_for_athlete.delay(athlete.id)

    result.get(timeout=TASK_TIMEOUT)
    assert result.successful()
