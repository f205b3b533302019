"""Celery tasks of the athletes app: they take ids, call a service and are safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def flags_refresh_for_athlete(athlete_id: int) -> None:
    """Re-check one athlete's flags after their schedule, run events or window changed."""
    from athletes.services.flagging import flags_refresh_for_athlete as refresh

    refresh(athlete_id)
