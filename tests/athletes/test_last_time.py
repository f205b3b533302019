import datetime as dt
import uuid

import pytest

from athletes.models import SetLog
from athletes.selectors.logging import set_logs_last_time
from tests.athletes.factories import AthleteFactory, ScheduledSessionFactory
from tests.programs.factories import ExerciseFactory


def logged(session, exercise, reps, set_number=1):
    return SetLog.objects.create(
        id=uuid.uuid4(),
        scheduled_session=session,
        exercise=exercise,
        set_number=set_number,
        reps=reps,
    )


@pytest.mark.django_db
def test_last_time_is_each_exercises_newest_earlier_session_and_only_the_athletes_own():
    athlete = AthleteFactory()
    squat, calf_raise = ExerciseFactory(), ExerciseFactory()
    week_1, week_2, today = (
        ScheduledSessionFactory(athlete=athlete, date=dt.date(2026, 11, day)) for day in (2, 9, 16)
    )
    logged(week_1, squat, reps=4)
    logged(week_1, calf_raise, reps=12)
    logged(week_2, squat, reps=6)
    logged(week_2, squat, reps=5, set_number=2)
    someone_else = ScheduledSessionFactory(date=dt.date(2026, 11, 12))
    logged(someone_else, squat, reps=1)
    logged(today, squat, reps=9)

    last_time = set_logs_last_time(athlete, today, [squat.pk, calf_raise.pk])

    assert sorted((s.exercise_id, s.set_number, s.reps) for s in last_time) == [
        (squat.pk, 1, 6),
        (squat.pk, 2, 5),
        (calf_raise.pk, 1, 12),
    ]
