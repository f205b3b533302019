"""Pure rules of notices: when an email may go, and quiet hours. No Django."""

import datetime as dt

# A user gets at most one email in this long: what comes in meanwhile waits for the next one.
EMAIL_BATCH_WINDOW = dt.timedelta(minutes=10)
# Reminders go out from this hour of the athlete's day until the session starts.
REMINDERS_FROM = dt.time(7, 0)


def next_email_at(last_emailed_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When the next email may go: now, unless one went less than the window ago."""
    if last_emailed_at is None:
        return now
    return max(now, last_emailed_at + EMAIL_BATCH_WINDOW)


def in_quiet_hours(local_time: dt.time, start: dt.time | None, end: dt.time | None) -> bool:
    """Whether `local_time` falls in quiet hours from `start` up to `end`, which may span
    midnight (22:00–07:00). No quiet hours when either is unset or they are equal."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local_time < end
    return local_time >= start or local_time < end
