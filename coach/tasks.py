"""Celery tasks of the accounts: mail that follows a sign-up, a reset or a change of address;
expired sessions deleted."""

import smtplib

from celery import shared_task

from coach import services
from coach.sessions import SessionStore

# A mail server that refuses or is away is tried again, a little later each time, for about
# four minutes. A retry waits at most 30 s: one waiting longer than the broker's visibility
# timeout would be handed to a second worker and sent twice.
RETRIED_ON_MAIL_ERRORS = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(**RETRIED_ON_MAIL_ERRORS)
def account_email_send(message: dict) -> None:
    """Send one account email, as account_email_enqueue wrote it down."""
    services.account_email_from_json(message).send()


@shared_task
def browser_sessions_clear() -> None:
    """Delete the sessions past their expiry date: a browser that signs in leaves its row, and
    nothing else ever deletes the row of one that never signs out."""
    SessionStore.clear_expired()
