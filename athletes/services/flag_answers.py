"""The coach's two answers to a flag: keep the session anyway, or move it to the suggested day.

Above scheduling (a move is a session move) and above the flag check. Each answer first locks
the athlete's row, as every writer of flags does (athletes/services/flagging.py), so it never
interleaves with a check of the same athlete and reads the flag as the last check left it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from athletes.models import Flag, ScheduledSession
from athletes.services.flagging import athletes_lock
from athletes.services.scheduling import session_move


def _flag_reread(flag: Flag) -> Flag:
    athletes_lock([flag.athlete_id])
    flag.refresh_from_db()
    if flag.resolved_at is not None:
        raise ValidationError("This flag is already resolved.")
    return flag


@transaction.atomic(durable=True)
def flag_acknowledge(*, flag: Flag) -> Flag:
    """The coach keeps the session anyway: the flag stays open but quiet until the session's
    end or the event's start moves."""
    flag = _flag_reread(flag)
    if flag.acknowledged_at is None:
        flag.acknowledged_at = timezone.now()
        flag.save(update_fields=["acknowledged_at"])
    return flag


@transaction.atomic(durable=True)
def flag_move_to_suggestion(*, flag: Flag) -> ScheduledSession:
    """Move the flagged session to the flag's suggested day (one click). The move is the
    calendar's own (session_move), so the athlete's flags are re-checked as after any move:
    once right after the commit, before the answer is rendered, so the answer already shows
    the flag resolved."""
    flag = _flag_reread(flag)
    if flag.suggested_starts_at is None:
        raise ValidationError(f"{flag.advice_without_a_day}.")
    if flag.suggested_starts_at < timezone.now():
        raise ValidationError("The suggested day has passed; move the session by hand.")
    session = ScheduledSession.objects.select_related("athlete").get(pk=flag.scheduled_session_id)
    suggested = flag.suggested_starts_at.astimezone(session.athlete.tz)
    return session_move(
        session=session, date=suggested.date(), time_of_day=suggested.time(), by_coach=True
    )
