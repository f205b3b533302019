"""Tested one-rep maxes, entered by the athlete or their coach, one per lift."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import Athlete, OneRepMax
from athletes.rules import strength
from programs.models import Exercise

UPDATED_FIELDS = ["load_kg", "load_entered", "load_unit", "tested_on", "entered_by", "updated_at"]


@transaction.atomic(durable=True)
def one_rep_max_set(
    *, athlete: Athlete, exercise: Exercise, load: strength.Load, tested_on: dt.date, entered_by
) -> OneRepMax:
    """Keep `load` as `athlete`'s tested max of `exercise`, replacing the one before. Sending the
    same max twice (a retry, two tabs at once) leaves one row: an upsert on the one-per-lift
    constraint. Raises ValidationError for a lift that is not a loaded strength exercise or a
    load off the limits of a set."""
    if exercise.category != Exercise.Category.STRENGTH:
        raise ValidationError("A tested max is for a strength lift.")
    problems = strength.set_problems(reps=1, load_kg=load.kg, hold_seconds=None, rpe=None)
    if problems or not load.amount:
        raise ValidationError({"load": problems.get("load_kg", "Enter the load you lifted once.")})
    one_rep_max = OneRepMax(
        athlete=athlete,
        exercise=exercise,
        load_kg=load.kg,
        load_entered=load.amount,
        load_unit=load.unit,
        tested_on=tested_on,
        entered_by=entered_by,
    )
    one_rep_max.full_clean(exclude=["athlete", "exercise", "entered_by"], validate_unique=False)
    (kept,) = OneRepMax.objects.bulk_create(
        [one_rep_max],
        update_conflicts=True,
        unique_fields=["athlete", "exercise"],
        update_fields=UPDATED_FIELDS,
    )
    return kept
