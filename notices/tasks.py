"""Celery tasks of notices: safe to run twice (an emailed notice is marked in the same
transaction as its send), retried while the mail server refuses."""

import smtplib

from celery import shared_task
from django.db import OperationalError

from notices import services

RETRIED = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, OSError, OperationalError),
    "retry_backoff": True,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(**RETRIED)
def notices_email_send(user_id: int) -> int:
    """Email one user what waits for them (at most one email per 10 minutes)."""
    return services.notices_email_send(user_id)


@shared_task(**RETRIED)
def notices_email_pending() -> int:
    """Beat: send every batch that is due (those that waited out the 10 minutes)."""
    return sum(services.notices_email_send(user_id) for user_id in services.notices_email_due())
