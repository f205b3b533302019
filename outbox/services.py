"""The outbox: work that must follow a committed change, handed to Celery durably.

A writer calls `outbox_enqueue` inside its transaction; the message commits (or rolls back)
with the change. Right after the commit the message is relayed: a broker that is down costs
that one quick failed attempt (the broker timeouts are short), never an error page for a change
that is already saved. Whatever is still pending — the broker was away, the process died
between commit and relay — is relayed by the `outbox.tasks.outbox_relay` task that beat runs
every OUTBOX_RELAY_SECONDS, or by `manage.py outbox_relay`.

A message is deleted only once the broker has accepted its task, so nothing is lost; a crash
between the two sends it again (tasks are safe to run twice). Concurrent relays never send one
message twice: each locks the rows it takes (SELECT … FOR UPDATE SKIP LOCKED) until it has
deleted the ones it sent. A writer never waits for a relay: it only inserts.
"""

import logging
import time
from dataclasses import dataclass

from celery import current_app
from django.db import transaction
from django.db.models import F, Q

from outbox.models import OutboxMessage

log = logging.getLogger(__name__)

RELAY_BATCH = 500
# The catch-up relay stops after this long (a task must stay well inside the broker's
# visibility timeout); the next run goes on where it stopped.
RELAY_BUDGET_SECONDS = 20


@dataclass
class RelayResult:
    """What a relay did: messages taken, tasks sent for them (one per dedupe key), messages
    done with (sent, so deleted), and whether the broker refused (the rest waits)."""

    taken: int = 0
    sent: int = 0
    delivered: int = 0
    refused: bool = False


def outbox_enqueue(task: str, args=(), *, dedupe_key: str = "") -> OutboxMessage:
    """Send the Celery task named `task` with `args` (JSON) once the current transaction
    commits. Messages pending with the same `dedupe_key` are sent as one task (e.g. ten
    changes to one athlete while the broker is away are one recheck when it is back)."""
    message = OutboxMessage.objects.create(task=task, args=list(args), dedupe_key=dedupe_key)
    same = Q(pk=message.pk)
    if dedupe_key:
        same |= Q(task=task, dedupe_key=dedupe_key)
    # robust: whatever goes wrong in the relay (the database gone the moment after the commit)
    # is logged and left to the catch-up relay; the change itself is committed and stands.
    transaction.on_commit(lambda: outbox_relay(only=same), robust=True)
    return message


def outbox_relay(*, only: Q | None = None, limit: int = RELAY_BATCH) -> RelayResult:
    """Send up to `limit` pending messages (those matching `only`), oldest first, one task per
    dedupe key, and delete those the broker accepted. The first broker error ends the relay:
    the rest waits for the next one."""
    result = RelayResult()
    with transaction.atomic():
        pending = OutboxMessage.objects.select_for_update(skip_locked=True).order_by("pk")
        if only is not None:
            pending = pending.filter(only)
        groups = {}
        for message in pending[:limit]:
            groups.setdefault((message.task, message.dedupe_key or message.pk), []).append(message)
            result.taken += 1
        delivered = []
        for messages in groups.values():
            newest = messages[-1]
            task = _registered_task(newest.task)
            if task is None:
                log.error("Outbox: no task is named %s; %s stays pending.", newest.task, newest)
                _count_attempt(messages)
                continue
            try:
                # No publish retries and no result: a refused send fails at once, and waits.
                task.apply_async(newest.args, retry=False, ignore_result=True)
            except Exception as error:  # the broker is down or unreachable: the rest waits too
                waiting = result.taken - len(delivered)
                log.warning("Outbox: %s was not sent (%s); %d wait.", newest, error, waiting)
                _count_attempt(messages)
                result.refused = True
                break
            delivered += [message.pk for message in messages]
            result.sent += 1
        OutboxMessage.objects.filter(pk__in=delivered).delete()
        result.delivered = len(delivered)
    return result


def outbox_relay_pending(*, budget_seconds: float = RELAY_BUDGET_SECONDS) -> RelayResult:
    """The catch-up relay: batch after batch until nothing is pending, the broker refuses, or
    the budget is spent."""
    total = RelayResult()
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        batch = outbox_relay()
        total = RelayResult(
            taken=total.taken + batch.taken,
            sent=total.sent + batch.sent,
            delivered=total.delivered + batch.delivered,
            refused=batch.refused,
        )
        if batch.refused or batch.taken < RELAY_BATCH or not batch.delivered:
            break
    return total


def _registered_task(name: str):
    # A web process imports the apps' task modules only when asked (a worker does at start).
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks.get(name)


def _count_attempt(messages) -> None:
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(attempts=F("attempts") + 1)
