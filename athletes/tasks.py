"""Celery tasks of the athletes app: they take ids, call a service and are safe to run twice.

Every task is acknowledged late (a worker killed mid-task leaves it to be run again) and retried
with exponential backoff on database errors (OperationalError — a dropped connection, a deadlock
victim — is one), which is safe because the services are idempotent. A retry waits at most 30 s:
one waiting longer than the broker's visibility timeout would be handed to a second worker.
"""

from dataclasses import asdict

from celery import shared_task
from django.db import DatabaseError, OperationalError

from athletes.services import flagging

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
