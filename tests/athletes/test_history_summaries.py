"""The History page's exercise summaries, now counted by the database, read as the rules read
every set: the same set count, last day and best estimated 1RM, whatever units, sides, holds
or bodyweight sets were logged."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from athletes.models import SetLog
from athletes.presenters.logging import exercise_summaries
from athletes.rules import strength
from tests.athletes.factories import AthleteFactory
from tests.athletes.logging_sessions import session_for

pytestmark = pytest.mark.django_db
DAY = dt.date(2027, 3, 1)


def logged_at_random(athlete, sessions, seed):
    """`sessions` of Day A, each exercise logged with sets of every kind a lifter logs: loads in
    kg and lb (to the hundredth), zero loads, bodyweight, holds with and without a load, 0 reps,
    both sides."""
    chosen = random.Random(seed)
    for n in range(sessions):
        session = session_for(athlete, date=DAY - dt.timedelta(days=3 * n), name=f"R{n}")
        rows = []
        for p in session.program_session.prescriptions.all():
            for number in range(1, chosen.randint(1, 6) + 1):
                unit = chosen.choice(["kg", "lb"])
                amount = chosen.choice([None, Decimal(0), Decimal(chosen.randint(1, 40000)) / 100])
                load = None if amount is None else strength.Load(amount, unit)
                hold = chosen.choice([None, None, 30])
                reps = chosen.choice([0, 1, 3, 5, 8, 12, 30]) if hold is None else None
                for side in chosen.choice([("",), ("left", "right")]):
                    rows.append(
                        SetLog(
                            scheduled_session=session,
                            prescription=p,
                            exercise=p.exercise,
                            set_number=number,
                            side=side,
                            reps=reps,
                            hold_seconds=hold,
                            load_kg=load and load.kg,
                            load_entered=load and load.amount,
                            load_unit=load.unit if load else "",
                        )  # fmt: skip
                    )
        SetLog.objects.bulk_create(rows)


def summaries_from_every_set(athlete):
    """What the page showed when it read every set into Python: (name, count, last, best)."""
    by_exercise = {}
    sets = SetLog.objects.filter(scheduled_session__athlete=athlete).select_related(
        "exercise", "scheduled_session"
    )
    for s in sets.order_by("-scheduled_session__starts_at"):
        summary = by_exercise.setdefault(s.exercise.name, [[], s.scheduled_session.date])
        summary[0].append(s.as_done())
    return [
        (
            name,
            len(done),
            last,
            strength.estimate_in_words(
                strength.best_estimated_1rm(done, athlete.unit), athlete.unit
            ),
        )
        for name, (done, last) in sorted(by_exercise.items())
    ]


@pytest.mark.parametrize("unit", ["kg", "lb"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_history_summaries_match_the_rules_over_every_set(unit, seed):
    athlete = AthleteFactory(unit=unit)
    logged_at_random(athlete, sessions=4, seed=seed)
    someone_else = AthleteFactory(coach=athlete.coach)
    logged_at_random(someone_else, sessions=2, seed=seed + 100)

    shown = [
        (s.exercise.name, s.set_count, s.last, s.best_1rm) for s in exercise_summaries(athlete)
    ]

    assert shown == summaries_from_every_set(athlete)
    assert any(best for *_, best in shown)


def test_an_estimate_at_the_rounding_edge_reads_as_the_rule_rounds_it():
    # 97.22 × (1 + 1/30) = 100.46: 100.5 to the rule's tenth, so 101 kg, not the 100 kg of
    # rounding the raw product once.
    athlete = AthleteFactory(unit="kg")
    session = session_for(athlete, date=DAY)
    squat = session.program_session.prescriptions.get(exercise__name="Back squat")
    for number, (load, reps) in enumerate([(Decimal("97.22"), 1), (Decimal("60"), 5)], 1):
        SetLog.objects.create(
            scheduled_session=session, prescription=squat, exercise=squat.exercise,
            set_number=number, reps=reps, load_kg=load, load_entered=load, load_unit="kg",
        )  # fmt: skip

    (summary,) = exercise_summaries(athlete)

    expected = strength.best_estimated_1rm(
        [s.as_done() for s in SetLog.objects.filter(scheduled_session=session)], "kg"
    )
    assert summary.best_1rm == strength.estimate_in_words(expected, "kg") == "101 kg"
    assert (summary.set_count, summary.last) == (2, DAY)
