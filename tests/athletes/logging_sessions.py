"""Sessions to log in the logging tests, built the way a coach builds them: a template, a
program from it (program_create) and an assignment (assignment_create), then today's session."""

import datetime as dt
import itertools

from django.utils import timezone

from athletes.models import ScheduledSession
from athletes.services.scheduling import assignment_create, local_start
from programs.models import Exercise
from programs.services import program_create
from tests.programs.factories import PrescriptionFactory, SessionTemplateFactory

C, P, M = Exercise.Category, Exercise.Pattern, Exercise.Measure

# (exercise, category, pattern, unilateral, block, sets, reps_min, reps_max, hold, per_side,
#  load guidance in words, rest seconds): the article's Day A with a timed warm-up drill.
DAY_A = [
    ("Hip swings", C.MOBILITY, P.MOBILITY, True, "warmup", 1, 10, None, None, True, "", 0),
    ("Ankle flicks", C.MOBILITY, P.DRILL, False, "warmup", 1, None, None, 20, False, "", 0),
    ("Back squat", C.STRENGTH, P.SQUAT, False, "main", 4, 4, 6, None, False, "moderate-heavy", 150),
    ("Romanian deadlift", C.STRENGTH, P.HINGE, False, "main", 3, 6, 8, None, False, "", 120),
    ("Box jump", C.POWER, P.JUMP, False, "main", 5, 3, 5, None, False, "", 90),
    ("Side plank", C.CORE, P.ANTI_LATERAL, True, "core", 3, None, None, 30, True, "", 30),
]

_names = itertools.count(1)


def strength_rows(count):
    """`count` plain strength exercises of 3 × 8, for query-count tests."""
    return [
        (f"Lift {n}", C.STRENGTH, P.SQUAT, False, "main", 3, 8, None, None, False, "", 60)
        for n in range(1, count + 1)
    ]


def session_for(athlete, rows=DAY_A, *, date=None, name="Day A"):
    """`athlete`'s session of `rows` on `date` (today in their zone by default)."""
    date = date or timezone.now().astimezone(athlete.tz).date()
    template = SessionTemplateFactory(owner=athlete.coach, name=f"{name} {next(_names)}")
    for position, row in enumerate(rows):
        (exercise_name, category, pattern, unilateral, block, sets, reps_min, reps_max, hold,
         per_side, load_text, rest) = row  # fmt: skip
        exercise, _ = Exercise.objects.get_or_create(
            name=exercise_name,
            defaults={
                "category": category,
                "pattern": pattern,
                "is_unilateral": unilateral,
                "measure": M.TIME if hold else M.REPS,
            },
        )
        PrescriptionFactory(
            template=template,
            exercise=exercise,
            position=position,
            block=block,
            sets=sets,
            reps_min=reps_min,
            reps_max=reps_max,
            hold_seconds=hold,
            per_side=per_side,
            load_kind="words" if load_text else "none",
            load_text=load_text,
            rest_seconds=rest,
        )
    program = program_create(
        coach=athlete.coach, name=f"{name} block {next(_names)}", weeks=6, slots=[(name, template)]
    )
    monday = date - dt.timedelta(days=date.weekday())
    (assignment,) = assignment_create(program=program, athletes=[athlete], start_date=monday)
    session = ScheduledSession.objects.get(assignment=assignment, program_session__week=1)
    session.date = date
    session.starts_at = local_start(athlete, date, session.time_of_day)
    session.save(update_fields=["date", "starts_at"])
    return session
