"""Flag heavy sessions too close to races and key sessions (issue #6 fills this in)."""

from django.db import transaction


def athlete_schedule_changed(athlete_id: int) -> None:
    """Call after any change to an athlete's sessions, run events or freshness window: the
    athlete's flags are re-checked by a worker once the change is committed."""
    from athletes.tasks import flags_refresh_for_athlete

    transaction.on_commit(lambda: flags_refresh_for_athlete.delay(athlete_id))


def flags_refresh_for_athlete(athlete_id: int) -> None:
    """Raise, update and resolve one athlete's flags. Placeholder until flagging lands."""
