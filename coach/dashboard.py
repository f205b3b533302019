"""The coach's roster dashboard: one row per athlete, built from a fixed number of queries.

Per-athlete aggregates come from annotations (next race, last session done) and prefetches
(assignments, open flags) and one query for every athlete's last 28 days of sessions; the rules in
athletes.rules.progress turn them into compliance, program week and days to go.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django import forms
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from athletes.models import Assignment, Athlete, Flag, RunEvent, ScheduledSession
from athletes.rules import progress as rules
from athletes.selectors.roster import athletes_for_coach
from athletes.selectors.scoping import owned_by

COMPLIANCE_DAYS = (14, 28)


class SessionOutcome(NamedTuple):
    date: dt.date
    status: str


@dataclass
class RosterRow:
    athlete: Athlete
    today: dt.date
    assignment: Assignment | None
    program_week: int | None
    compliance_14: rules.Compliance
    compliance_28: rules.Compliance
    flags: list[Flag]
    days_to_race: int | None

    @property
    def compliances(self) -> tuple[rules.Compliance, rules.Compliance]:
        return self.compliance_14, self.compliance_28

    @cached_property
    def conflicts(self) -> int:
        return sum(f.severity == Flag.Severity.CONFLICT for f in self.flags)

    @cached_property
    def warnings(self) -> int:
        return sum(f.severity == Flag.Severity.WARNING for f in self.flags)

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)

    @property
    def is_racing_soon(self) -> bool:
        return self.days_to_race is not None and self.days_to_race <= rules.RACING_SOON_DAYS

    @property
    def program_starts_in(self) -> int | None:
        if self.assignment is None or self.program_week is not None:
            return None
        return rules.days_until(self.today, self.assignment.start_date)

    @property
    def last_session_on(self) -> dt.date | None:
        """The day the last completed session was done, in the athlete's zone (the day it was
        planned for if it was marked done without a time)."""
        done_at = self.athlete.last_session_completed_at
        if done_at is None:
            return self.athlete.last_session_date
        return self.athlete.date_at(done_at)

    @property
    def days_since_last_session(self) -> int | None:
        last = self.last_session_on
        return None if last is None else -rules.days_until(self.today, last)


def _current_assignment(assignments, today):
    """The block under way today, else the next one to start (latest start wins)."""
    running = [a for a in assignments if rules.program_week(a.start_date, a.program.weeks, today)]
    if running:
        return max(running, key=lambda a: a.start_date)
    upcoming = [a for a in assignments if a.start_date > today]
    return min(upcoming, key=lambda a: a.start_date) if upcoming else None


def roster_for_coach(coach, now: dt.datetime | None = None) -> list[RosterRow]:
    """Every athlete of `coach` as a dashboard row, in name order."""
    now = now or timezone.now()
    # Each athlete's "today" is in their own zone; fetch a day more than the window covers.
    earliest = now.date() - dt.timedelta(days=max(COMPLIANCE_DAYS) + 1)
    next_race = RunEvent.objects.filter(
        athlete=OuterRef("pk"), kind=RunEvent.Kind.RACE, starts_at__gte=now
    ).order_by("starts_at")
    # The last one done, whatever day it was planned for (since this coach took the athlete on).
    last_session = owned_by(
        coach,
        ScheduledSession.objects.filter(
            athlete=OuterRef("pk"), status=ScheduledSession.Status.COMPLETED
        ),
    ).order_by(F("completed_at").desc(nulls_last=True), "-date", "-starts_at")
    athletes = (
        athletes_for_coach(coach)
        .annotate(
            next_race_name=Subquery(next_race.values("name")[:1]),
            next_race_starts_at=Subquery(next_race.values("starts_at")[:1]),
            last_session_name=Subquery(last_session.values("name")[:1]),
            last_session_date=Subquery(last_session.values("date")[:1]),
            last_session_completed_at=Subquery(last_session.values("completed_at")[:1]),
            last_session_rpe=Subquery(last_session.values("session_rpe")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                # Not ended by now: a program replaced from a later Monday runs until then.
                queryset=Assignment.objects.filter(
                    Q(ended_at__isnull=True) | Q(ended_at__gt=now)
                ).select_related("program"),
                to_attr="open_assignments",
            ),
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True, acknowledged_at__isnull=True)
                .select_related("scheduled_session")
                .order_by("severity", "event_starts_at"),
                to_attr="open_flags",
            ),
        )
    )
    # Plain tuples rather than model instances: a few thousand rows for a big roster.
    recent_sessions = defaultdict(list)
    for athlete_id, date, status in owned_by(
        coach, ScheduledSession.objects.filter(date__gte=earliest)
    ).values_list("athlete_id", "date", "status"):
        recent_sessions[athlete_id].append(SessionOutcome(date, status))
    rows = []
    for athlete in athletes:
        outcomes = recent_sessions[athlete.pk]
        today = athlete.today(now)
        assignment = _current_assignment(athlete.open_assignments, today)
        race_day = athlete.next_race_starts_at and athlete.date_at(athlete.next_race_starts_at)
        rows.append(
            RosterRow(
                athlete=athlete,
                today=today,
                assignment=assignment,
                program_week=assignment
                and rules.program_week(assignment.start_date, assignment.program.weeks, today),
                compliance_14=rules.compliance(outcomes, today=today, days=14),
                compliance_28=rules.compliance(outcomes, today=today, days=28),
                flags=athlete.open_flags,
                days_to_race=rules.days_until(today, race_day) if race_day else None,
            )
        )
    return rows


# -- filtering and sorting -------------------------------------------------------------------

SHOW_FILTERS = {
    "": ("All", lambda row: True),
    "flagged": ("Flagged", lambda row: row.is_flagged),
    "low": ("Low compliance", lambda row: row.compliance_14.is_low),
    "racing": (f"Racing within {rules.RACING_SOON_DAYS} days", lambda row: row.is_racing_soon),
}

_LAST = 10**6  # sorts "no value" after every real one


def _name(row):
    return str(row.athlete).casefold()


def _compliance(row):
    percent = row.compliance_14.percent
    return _LAST if percent is None else percent


def _race(row):
    return _LAST if row.days_to_race is None else row.days_to_race


SORTS = {
    # Who needs attention first: conflicts, warnings, slipping compliance, a race soon.
    "attention": (
        "Needs attention",
        lambda row: (
            -row.conflicts,
            -row.warnings,
            not row.compliance_14.is_low,
            _compliance(row),
            not row.is_racing_soon,
            _race(row),
            _name(row),
        ),
    ),
    "name": ("Name", lambda row: (_name(row),)),
    "compliance": ("Lowest compliance", lambda row: (_compliance(row), _name(row))),
    "race": ("Next race", lambda row: (_race(row), _name(row))),
    # Longest since a logged session first; never logged comes first of all.
    "last": (
        "Longest since a session",
        lambda row: (
            -(row.days_since_last_session if row.days_since_last_session is not None else _LAST),
            _name(row),
        ),
    ),
}


class RosterFilterForm(forms.Form):
    show = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in SHOW_FILTERS.items()], required=False
    )
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in SORTS.items()], required=False
    )

    def choice(self, name, default):
        """The valid choice, or the default for a missing or mistyped one (never an error page:
        it is a bookmarkable address, not input to correct)."""
        self.is_valid()
        return self.cleaned_data.get(name) or default


def roster_filtered(rows: list[RosterRow], show: str, sort: str) -> list[RosterRow]:
    _, keep = SHOW_FILTERS[show]
    _, order = SORTS[sort]
    return sorted((row for row in rows if keep(row)), key=order)


def roster_counts(rows: list[RosterRow]) -> dict[str, int]:
    return {key: sum(1 for row in rows if keep(row)) for key, (_, keep) in SHOW_FILTERS.items()}
