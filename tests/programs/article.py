"""The article's Day A and Day B ("Strength for 5K"), built with factories for the tests."""

from decimal import Decimal

from programs.models import Exercise
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, SessionTemplateFactory

C, P = Exercise.Category, Exercise.Pattern

EXERCISES = {
    "Hip swings": {"category": C.MOBILITY, "pattern": P.MOBILITY},
    "Skip drills": {"category": C.MOBILITY, "pattern": P.DRILL},
    "Ankle flicks": {"category": C.MOBILITY, "pattern": P.DRILL},
    "Back squat": {"category": C.STRENGTH, "pattern": P.SQUAT, "equipment": "barbell"},
    "Romanian deadlift": {"category": C.STRENGTH, "pattern": P.HINGE, "equipment": "barbell"},
    "Box jump": {"category": C.POWER, "pattern": P.JUMP, "equipment": "box"},
    "Side plank": {
        "category": C.CORE,
        "pattern": P.ANTI_LATERAL,
        "measure": Exercise.Measure.TIME,
        "is_unilateral": True,
    },
    "Single-leg balance": {"category": C.MOBILITY, "pattern": P.BALANCE, "is_unilateral": True},
    "Bulgarian split squat": {"category": C.STRENGTH, "pattern": P.LUNGE, "is_unilateral": True},
    "Single-leg Romanian deadlift": {
        "category": C.STRENGTH,
        "pattern": P.HINGE,
        "is_unilateral": True,
    },
    "Calf raise": {"category": C.STRENGTH, "pattern": P.CALF},
    "Pallof press": {"category": C.CORE, "pattern": P.ANTI_ROTATION, "is_unilateral": True},
}

DAY_A = [
    # (exercise, block, sets, reps_min, reps_max, hold, per_side, load_kind, load)
    ("Hip swings", "warmup", 1, 10, None, None, True, "none", None),
    ("Skip drills", "warmup", 1, 20, None, None, False, "none", None),
    ("Ankle flicks", "warmup", 1, 20, None, None, False, "none", None),
    ("Back squat", "main", 4, 4, 6, None, False, "words", "moderate-heavy"),
    ("Romanian deadlift", "main", 3, 6, 8, None, False, "none", None),
    ("Box jump", "main", 5, 3, 5, None, False, "none", None),
    ("Side plank", "core", 3, None, None, 30, True, "none", None),
]

DAY_B = [
    ("Single-leg balance", "warmup", 1, None, None, 30, True, "none", None),
    ("Bulgarian split squat", "main", 3, 8, 12, None, True, "none", None),
    ("Single-leg Romanian deadlift", "main", 3, 8, None, None, True, "none", None),
    ("Calf raise", "main", 4, 12, 15, None, False, "none", None),
    ("Pallof press", "core", 3, 10, None, None, True, "none", None),
]


def article_exercises():
    """The article's exercises in the published library (created once per test database)."""
    return {
        name: Exercise.objects.filter(name=name).first() or ExerciseFactory(name=name, **fields)
        for name, fields in EXERCISES.items()
    }


def build_template(name, rows, *, owner=None, exercises=None):
    exercises = exercises or article_exercises()
    template = SessionTemplateFactory(name=name, owner=owner, target_minutes=30)
    for position, (exercise, block, sets, rmin, rmax, hold, per_side, kind, load) in enumerate(
        rows
    ):
        PrescriptionFactory(
            template=template,
            exercise=exercises[exercise],
            position=position,
            block=block,
            sets=sets,
            reps_min=rmin,
            reps_max=rmax,
            hold_seconds=hold,
            per_side=per_side,
            load_kind=kind,
            load_text=load if kind == "words" else "",
            load_percent_1rm=Decimal(load) if kind == "percent_1rm" else None,
            rest_seconds=90,
        )
    return template


def day_a(owner=None, name="Day A"):
    return build_template(name, DAY_A, owner=owner)


def day_b(owner=None, name="Day B"):
    return build_template(name, DAY_B, owner=owner)
