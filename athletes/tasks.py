"""Celery tasks of the athletes app: they take ids, call a service and are safe to run twice;
and the hooks a change calls to have the athlete's flags re-checked.

Every task is acknowledged late (a worker killed mid-task leaves it to be run again) and retried
with exponential backoff on database errors (OperationalError — a dropped connection, a deadlock
victim — is one), which is safe because the services are idempotent. A retry waits at most 30 s:
one waiting longer than the broker's visibility timeout would be handed to a second worker.
"""

from dataclasses import asdict

from celery import shared_task
from django.db import DatabaseError, OperationalError, transaction

from athletes.services import flagging, reminders
from outbox.services import outbox_enqueue

RETRIED_ON_DATABASE_ERRORS = {
    "acks_late": True,
    "autoretry_for": (OperationalError, DatabaseError),
    "retry_backoff": True,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(**RETRIED_ON_DATABASE_ERRORS)
def flags_refresh_for_athlete(athlete_id: int) -> dict:
    """Re-check one athlete's flags after their schedule, run events or window changed."""
    return asdict(flagging.flags_refresh_for_athlete(athlete_id))


@shared_task(**RETRIED_ON_DATABASE_ERRORS)
def flags_scan_chunk(
    first_athlete_id: int, last_athlete_id: int, scan_id: int | None = None
) -> dict:
    """Check one chunk of athletes (ids first..last) — one of the periodic scan's pieces,
    marked done on the scan `scan_id` (None: a chunk sent by hand, or before scans were
    recorded)."""
    return asdict(flagging.flags_scan_chunk(first_athlete_id, last_athlete_id, scan_id=scan_id))


@shared_task(bind=True, **RETRIED_ON_DATABASE_ERRORS)
def flags_scan(self) -> int:
    """The periodic scan (beat): fan the athletes out in chunks that any worker may take, on
    the queue the scan came from; the scan is finished when its last chunk is done. Returns
    the number of chunks sent."""
    queue = (self.request.delivery_info or {}).get("routing_key")
    chunks = flagging.flags_scan_chunks()
    scan = flagging.flag_scan_start(len(chunks))
    for first, last in chunks:
        flags_scan_chunk.apply_async((first, last, scan.pk), queue=queue)
    return len(chunks)


@shared_task(**RETRIED_ON_DATABASE_ERRORS)
def flags_digest_send() -> int:
    """Email each coach the flags raised since the last digest. Returns the emails sent."""
    return flagging.flags_digest_send()


def athlete_flags_recheck(athlete_id: int) -> None:
    """Call inside the transaction of a change to what the athlete's flags are made of: once it
    commits, a worker re-checks them. The recheck goes through the outbox, so a broker outage
    delays it but neither loses it nor fails the change, and changes waiting together for one
    athlete are one recheck."""
    outbox_enqueue(
        flags_refresh_for_athlete.name, [athlete_id], dedupe_key=f"flags-recheck:{athlete_id}"
    )


def athlete_schedule_changed(athlete_id: int) -> None:
    """Call once, at the end of a service that changed the athlete's sessions, run events or
    the inputs of their flags (window, default time, zone), inside its transaction. Right after
    the commit the athlete's flags are re-checked here, in the request, so the page its user
    lands on (a calendar, the flag list) shows them as they are after the change; and a worker
    re-checks them as well (athlete_flags_recheck), which is what makes the recheck durable.

    After the commit, not inside the transaction, because:
    - a committed change is never answered with an error: should this check fail (the
      database gone a moment after the commit, a bug in the rule), the failure is logged
      (robust), the user gets their page, and the worker's recheck, already in the outbox,
      runs it again;
    - it locks the athlete's row as every flag writer does, and workers take that lock
      first; taken last, after the rows the change locked, the two orders could deadlock;
    - the change's own transaction stays as short as the change.
    Registered before the outbox's relay, so the worker's recheck starts after this one.
    """

    def flags_refresh_now():  # a named function: a robust hook's failure is logged by name
        flagging.flags_refresh_for_athlete(athlete_id)

    transaction.on_commit(flags_refresh_now, robust=True)
    athlete_flags_recheck(athlete_id)


@shared_task(**RETRIED_ON_DATABASE_ERRORS)
def reminders_send() -> dict:
    """Beat, every 15 minutes: the day's reminders and yesterday's missed-session notes."""
    return asdict(reminders.reminders_send())
