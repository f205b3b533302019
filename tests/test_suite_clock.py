"""COACH_TEST_NOW moves every test, its fixtures included, to that moment (tests/conftest.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import suite_moment

pytestmark = pytest.mark.skipif(suite_moment() is None, reason="only under COACH_TEST_NOW")


def test_a_test_and_its_fixtures_start_at_coach_test_now(athlete):
    moment = suite_moment()
    a_minute_later = moment + dt.timedelta(minutes=1)
    assert moment <= athlete.user.date_joined <= timezone.now() < a_minute_later
