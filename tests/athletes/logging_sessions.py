"""Sessions to log in the logging tests, built the way a coach builds them: a template, a
program from it (program_create) and an assignment (assignment_create), then today's session.
Their Day A is the library's (programs.library_data), set for set."""

import datetime as dt
import itertools

from django.db.models import Max
from django.utils import timezone

from athletes.models import ScheduledSession
from athletes.services.scheduling import assignment_create, local_start
from programs.library_data import DAY_A
from programs.models import Exercise
from programs.services import library_load, program_create, template_from_data
from tests.programs.factories import ExerciseFactory

_names = itertools.count(1)

# A squat at a percentage of the athlete's 1RM, the load the cards work out (rules.loads).
PERCENT_SQUAT = [
    {
        "exercise": "Back squat",
        "block": "main",
        "sets": 4,
        "reps_min": 4,
        "reps_max": 6,
        "load_kind": "percent_1rm",
        "load_percent_1rm": 75,
        "rest_seconds": 90,
    }
]


def strength_rows(count):
    """`count` new plain strength exercises of 3 × 8, as library-format prescriptions, for
    query-count tests."""
    return [
        {
            "exercise": ExerciseFactory().name,
            "block": "main",
            "sets": 3,
            "reps_min": 8,
            "rest_seconds": 60,
        }
        for _ in range(count)
    ]


def _free_monday(athlete, date):
    """The Monday of `date`, or the first Monday after the athlete's sessions already planned:
    assignment_create refuses a program on top of another, and a test asking for a second
    session wants both, not the first replaced. Week 1's session then moves to `date`."""
    monday = date - dt.timedelta(days=date.weekday())
    last = ScheduledSession.objects.filter(athlete=athlete).aggregate(last=Max("date"))["last"]
    if last is None or last < monday:
        return monday
    return last + dt.timedelta(days=7 - last.weekday())


def session_for(athlete, prescriptions=DAY_A["prescriptions"], *, date=None, name="Day A"):
    """`athlete`'s session of `prescriptions` (library format) on `date` (today in their zone
    by default), named `name`."""
    date = date or timezone.now().astimezone(athlete.tz).date()
    library_load()
    names = {row["exercise"] for row in prescriptions}
    exercises = {e.name: e for e in Exercise.objects.filter(name__in=names)}
    template = template_from_data(
        {**DAY_A, "name": f"{name} {next(_names)}", "prescriptions": prescriptions},
        exercises,
        owner=athlete.coach,
    )
    program = program_create(
        coach=athlete.coach, name=f"{name} block {next(_names)}", weeks=6, slots=[(name, template)]
    )
    (assignment,) = assignment_create(
        program=program, athletes=[athlete], start_date=_free_monday(athlete, date)
    )
    session = ScheduledSession.objects.get(assignment=assignment, program_session__week=1)
    session.date = date
    session.starts_at = local_start(athlete, date, session.time_of_day)
    session.save(update_fields=["date", "starts_at"])
    return session


def prescription_of(session, exercise_name):
    return session.program_session.prescriptions.get(exercise__name=exercise_name)
