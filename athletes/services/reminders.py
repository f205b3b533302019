"""Reminders and notes for athletes, in their own zone: the day's session, a session moved by
the coach (or a flag's suggestion), and a gentle note the day after a missed one.

`reminders_send` is what beat runs every 15 minutes (athletes.tasks.reminders_send) and
`manage.py send_reminders` runs by hand. A session is reminded by the first run from 07:00 in
the athlete's zone until it starts (so one added at noon for the evening is still reminded), and
outside their quiet hours; the notice's key (session and day) makes every later run, a late
one or two at once, a no-op.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from athletes.models import ScheduledSession
from athletes.services.conversation import subject_url
from notices.models import Kind, NoticeSettings
from notices.rules import REMINDERS_FROM
from notices.services import notice_send

# Far enough each way to hold "today" in every zone (UTC-12 to UTC+14).
ZONE_SPAN = dt.timedelta(hours=40)


@dataclass
class RemindersResult:
    reminders: int = 0
    missed: int = 0


def _choices_by_user(sessions) -> dict[int, NoticeSettings]:
    user_ids = {session.athlete.user_id for session in sessions}
    return {row.user_id: row for row in NoticeSettings.objects.filter(user_id__in=user_ids)}


def _may_send(choices: NoticeSettings | None, kind: str, local_now: dt.datetime) -> bool:
    if local_now.time() < REMINDERS_FROM:
        return False
    if choices is None:
        return True
    return choices.wants(kind) and not choices.quiet_at(local_now.time())


def _planned_between(start: dt.datetime, end: dt.datetime):
    return list(
        ScheduledSession.objects.filter(
            status=ScheduledSession.Status.PLANNED, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("athlete__user")
        .order_by("pk")
    )


@transaction.atomic
def reminders_send(*, now: dt.datetime | None = None) -> RemindersResult:
    """Remind each athlete of the session they have today, and send the note about yesterday's
    missed one, where it is 07:00 or later and not quiet hours. Safe to run twice."""
    now = now or timezone.now()
    result = RemindersResult()
    upcoming = _planned_between(now, now + ZONE_SPAN)
    missed = _planned_between(now - 2 * ZONE_SPAN, now)
    choices = _choices_by_user(upcoming + missed)
    for session in upcoming:
        athlete = session.athlete
        local_now = now.astimezone(athlete.tz)
        if session.date != local_now.date():
            continue
        if not _may_send(choices.get(athlete.user_id), Kind.REMINDER, local_now):
            continue
        local_start = session.starts_at.astimezone(athlete.tz)
        sent = notice_send(
            recipient=athlete.user,
            kind=Kind.REMINDER,
            key=f"reminder:{session.pk}:{session.date.isoformat()}",
            title=f"{session.name} today at {local_start:%H:%M} — about "
            f"{session.duration_minutes} min",
            url=subject_url(session),
        )
        result.reminders += sent is not None
    for session in missed:
        athlete = session.athlete
        local_now = now.astimezone(athlete.tz)
        if session.date != local_now.date() - dt.timedelta(days=1):
            continue
        if not _may_send(choices.get(athlete.user_id), Kind.MISSED, local_now):
            continue
        sent = notice_send(
            recipient=athlete.user,
            kind=Kind.MISSED,
            key=f"missed:{session.pk}:{session.date.isoformat()}",
            title=f"Yesterday's {session.name} is still open",
            body="No harm done: log it if you did it, or skip it with a word for your coach. "
            "Your next session is what counts.",
            url=subject_url(session),
        )
        result.missed += sent is not None
    return result


def session_moved_notice(session: ScheduledSession) -> None:
    """Tell the athlete their coach (or a flag's suggestion the coach took) moved a session.
    Inside the move's transaction: a move rolled back tells nobody."""
    local_start = session.starts_at.astimezone(session.athlete.tz)
    notice_send(
        recipient=session.athlete.user,
        kind=Kind.MOVED,
        key=f"moved:{session.pk}:{session.starts_at.isoformat()}",
        title=f"Your coach moved {session.name} to {local_start:%a %-d %b at %H:%M}",
        url=subject_url(session),
    )
