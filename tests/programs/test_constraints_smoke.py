import pytest
from django.db import IntegrityError

from tests.programs.factories import PrescriptionFactory


@pytest.mark.django_db
def test_reps_min_above_reps_max_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        PrescriptionFactory(reps_min=8, reps_max=6)
