import pytest

from tests.athletes.factories import AthleteFactory
from tests.coach.factories import AdminUserFactory, CoachUserFactory


@pytest.fixture
def coach_user(db):
    return CoachUserFactory()


@pytest.fixture
def athlete(db, coach_user):
    return AthleteFactory(coach=coach_user)


@pytest.fixture
def admin_user(db):
    return AdminUserFactory()
