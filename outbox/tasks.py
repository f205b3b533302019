"""The catch-up relay, run by beat: what the relay right after a commit could not send."""

from celery import shared_task

from outbox.services import outbox_relay_pending


@shared_task(ignore_result=True)
def outbox_relay() -> int:
    """Send the outbox's pending messages to Celery. Returns how many were delivered."""
    return outbox_relay_pending().delivered
