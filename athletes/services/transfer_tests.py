"""Recording and removing transfer tests (sprints, hills, bounds, tempo RPE, 5K results)."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction

from athletes.models import Athlete, TransferTest
from athletes.services.idempotency import create_once


def _json_number(seconds: Decimal) -> int | float:
    """235 for 235.00 seconds, 234.5 for 234.50: whole seconds stay whole in JSON and CSV."""
    return int(seconds) if seconds == int(seconds) else float(seconds)


@transaction.atomic(durable=True)
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
    idempotency_key: uuid.UUID | None = None,
) -> TransferTest:
    """Record one test for `athlete`, by the athlete or their coach. A repeat of
    `idempotency_key` is the same test: the first one, unchanged.

    Splits are seconds per split (5K results), stored as numbers so they chart and export.
    """

    def create():
        test = TransferTest(
            athlete=athlete,
            kind=kind,
            date=date,
            value=value,
            detail=detail,
            splits=[_json_number(s) for s in splits or []],
            notes=notes,
            recorded_by=recorded_by,
            idempotency_key=idempotency_key,
        )
        # The key's uniqueness is the database's to check (a concurrent twin: create_once).
        test.full_clean(exclude=["idempotency_key"])
        test.save()
        return test

    return create_once(
        idempotency_key,
        athlete.transfer_tests.filter(idempotency_key=idempotency_key).first,
        create,
    )


@transaction.atomic(durable=True)
def transfer_test_delete(*, test: TransferTest) -> None:
    """Remove a test recorded by mistake (the caller has scoped it to the user)."""
    test.delete()
