"""Recording and removing transfer tests (sprints, hills, bounds, tempo RPE, 5K results)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from athletes.models import Athlete, TransferTest


def _json_number(seconds: Decimal) -> int | float:
    """235 for 235.00 seconds, 234.5 for 234.50: whole seconds stay whole in JSON and CSV."""
    return int(seconds) if seconds == int(seconds) else float(seconds)


@transaction.atomic
def transfer_test_create(
    *,
    athlete: Athlete,
    recorded_by,
    kind: str,
    date: dt.date,
    value: Decimal,
    detail: str = "",
    splits: list[Decimal] | None = None,
    notes: str = "",
) -> TransferTest:
    """Record one test for `athlete`, by the athlete or their coach.

    Splits are seconds per split (5K results), stored as numbers so they chart and export.
    """
    test = TransferTest(
        athlete=athlete,
        kind=kind,
        date=date,
        value=value,
        detail=detail,
        splits=[_json_number(s) for s in splits or []],
        notes=notes,
        recorded_by=recorded_by,
    )
    test.full_clean()
    test.save()
    return test


@transaction.atomic
def transfer_test_delete(*, test: TransferTest) -> None:
    """Remove a test recorded by mistake (the caller has scoped it to the user)."""
    test.delete()
