"""Reads behind flags: the open ones, needing-attention first, and when the last scan ran."""

from django.db.models import F, Max
from django.shortcuts import get_object_or_404

from athletes.models import Flag, FlagScan
from athletes.selectors.scoping import owned_by


def _flags_open():
    """Open (unresolved) flags, needing-attention first: unacknowledged before "kept anyway",
    conflicts before warnings, soonest event first — with what the flag list shows."""
    return (
        Flag.objects.filter(resolved_at__isnull=True)
        .select_related("athlete__user", "scheduled_session")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "severity", "event_starts_at", "pk")
    )


def flags_open_for_coach(coach):
    """Open flags on the coach's athletes (for the dashboard and the flags page); render them
    with {% include "athletes/flags.html#flag-list" with flags=... %}. Filter
    `acknowledged_at__isnull=True` for the ones still asking for a decision."""
    return owned_by(coach, _flags_open())


def flags_open_for_athlete(athlete):
    """One athlete's open flags (for their calendar, the coach's or their own)."""
    return _flags_open().filter(athlete=athlete)


def flag_get_for_coach(coach, flag_id):
    """One flag on the coach's athletes; anyone else's flag id is a 404."""
    return get_object_or_404(
        owned_by(coach, Flag.objects.select_related("athlete__user", "scheduled_session")),
        pk=flag_id,
    )


def flag_scan_last_finished_at():
    """When the last periodic flag scan finished (its every chunk checked); None before one has."""
    return FlagScan.objects.aggregate(last=Max("finished_at"))["last"]
