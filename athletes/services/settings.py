"""Settings: what an athlete sets for themselves (name, zone, units, default session time),
what a coach sets for one of their athletes (freshness window, default session time, a private
note), and a coach's own name.

Each is one durable transaction: the user row and the athlete row are saved together or not at
all. A change to what the athlete's flags are made of (the window, the default time, the zone)
re-checks them right after the commit, so the page that follows shows them current.
"""

import datetime as dt

from django.db import transaction

from athletes.models import Athlete
from athletes.services.scheduling import athlete_time_zone_change
from athletes.tasks import athlete_schedule_changed


def _user_name_set(user, *, first_name: str, last_name: str) -> None:
    user.first_name, user.last_name = first_name, last_name
    user.full_clean(exclude=["password", "username", "email"])
    user.save(update_fields=["first_name", "last_name"])


@transaction.atomic(durable=True)
def user_name_change(*, user, first_name: str, last_name: str):
    """A coach's own name, as their athletes see it."""
    _user_name_set(user, first_name=first_name, last_name=last_name)
    return user


@transaction.atomic(durable=True)
def athlete_settings_change(
    *,
    athlete: Athlete,
    first_name: str,
    last_name: str,
    time_zone: str,
    unit: str,
    default_session_time: dt.time,
) -> Athlete:
    """The athlete's own settings. A new zone keeps every session at its wall-clock time
    (athlete_time_zone_change); loads already logged keep the unit they were typed in."""
    _user_name_set(athlete.user, first_name=first_name, last_name=last_name)
    default_time_changed = athlete.default_session_time != default_session_time
    athlete.unit = unit
    athlete.default_session_time = default_session_time
    athlete.full_clean()
    athlete.save(update_fields=["unit", "default_session_time"])
    if time_zone != athlete.time_zone:
        athlete_time_zone_change(athlete=athlete, time_zone=time_zone)  # re-checks the flags
    elif default_time_changed:
        athlete_schedule_changed(athlete.pk)
    return athlete


@transaction.atomic(durable=True)
def athlete_coaching_change(
    *,
    athlete: Athlete,
    freshness_window_hours: int,
    default_session_time: dt.time,
    coach_note: str,
) -> Athlete:
    """What the coach sets for one athlete. A new window or default time re-checks the
    athlete's flags at once: a heavy session 40 h before a key run is flagged as soon as the
    window is 48 h."""
    flag_inputs_changed = (athlete.freshness_window_hours, athlete.default_session_time) != (
        freshness_window_hours,
        default_session_time,
    )
    athlete.freshness_window_hours = freshness_window_hours
    athlete.default_session_time = default_session_time
    athlete.coach_note = coach_note
    athlete.full_clean()
    athlete.save(update_fields=["freshness_window_hours", "default_session_time", "coach_note"])
    if flag_inputs_changed:
        athlete_schedule_changed(athlete.pk)
    return athlete
