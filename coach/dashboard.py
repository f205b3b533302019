"""The coach's roster dashboard: one row per athlete, a page of them at a time.

The database sorts, filters, searches and counts the roster: each athlete's sessions due and
done over the last 14 and 28 days, open flags, next race and last session are correlated
subqueries, read against the athlete's own today (a roster's few time zones give at most three
todays, so each bound is one CASE over the zones). What every athlete of the roster needs
(roster_annotated: the sort and filter keys) is one subquery per key and athlete, flags looked
up only for the flagged; the page's athletes (ROWS_PER_PAGE) are picked by id first, then only
their rows are built in full (_row_annotations), from a fixed number of queries
(benchmarks/bench_dashboard.py compares a coach of 2,000 athletes with a coach of 100).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django import forms
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.utils import timezone

from athletes.models import Assignment, Athlete, Flag, RunEvent, ScheduledSession
from athletes.rules import progress as rules
from athletes.selectors.conversation import unread_threads_per_athlete
from athletes.selectors.roster import (
    ROWS_PER_PAGE,
    SEARCH_MAX_LENGTH,
    athletes_for_coach,
    name_search,
    search_text,
)
from athletes.selectors.scoping import owned_by
from web.database import jit_off
from web.pagination import list_address

COMPLIANCE_DAYS = (14, 28)


@dataclass
class RosterRow:
    athlete: Athlete
    today: dt.date
    assignment: Assignment | None
    program_week: int | None
    compliance_14: rules.Compliance
    compliance_28: rules.Compliance
    run_compliance_14: rules.Compliance
    run_compliance_28: rules.Compliance
    flags: list[Flag]
    days_to_race: int | None

    @property
    def compliances(self) -> tuple[rules.Compliance, rules.Compliance]:
        return self.compliance_14, self.compliance_28

    @property
    def run_compliances(self) -> tuple[rules.Compliance, rules.Compliance]:
        """Planned runs done (a run done matched to each), over the same windows."""
        return self.run_compliance_14, self.run_compliance_28

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


class _TodayByZone:
    """Each athlete's today, as the database can use it: a CASE over the roster's time zones."""

    def __init__(self, athletes, now):
        self.now = now
        self.zones = [ZoneInfo(zone) for zone in athletes.values_list("time_zone", flat=True)
                      .order_by().distinct()]  # fmt: skip

    def days(self):
        """The roster's todays, one for each of its time zones."""
        return {self.now.astimezone(tz).date() for tz in self.zones}

    def case(self, bound, output_field, athlete_path=""):
        """A CASE giving each athlete `bound(today, tz)` for their zone's today (the athlete of
        each row, through `athlete_path` "athlete__", in a queryset of their rows)."""
        zones_by_value = defaultdict(list)
        for tz in self.zones:
            zones_by_value[bound(self.now.astimezone(tz).date(), tz)].append(tz.key)
        return Case(
            *(
                When(**{f"{athlete_path}time_zone__in": zones}, then=Value(v))
                for v, zones in zones_by_value.items()
            ),
            default=Value(None),
            output_field=output_field,
        )


def _count(queryset):
    """A correlated COUNT(*) of `queryset` (filtered on OuterRef("pk")); 0 when none."""
    counted = queryset.order_by().values("athlete_id").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _sessions_due(coach, today, days):
    """The window's bounds to annotate first, and the sessions dated in the window of `days`
    before each athlete's today (a correlated queryset)."""
    bounds = {
        f"first_{days}": today.case(
            lambda day, tz: rules.compliance_window(day, days)[0], DateField()
        ),
        f"last_{days}": today.case(
            lambda day, tz: rules.compliance_window(day, days)[1], DateField()
        ),
    }
    due = owned_by(coach, ScheduledSession.objects).filter(
        athlete=OuterRef("pk"),
        date__gte=OuterRef(f"first_{days}"),
        date__lte=OuterRef(f"last_{days}"),
    )
    return bounds, due


def _compliance_annotations(coach, today, days):
    """due_<days> and done_<days>: the sessions dated in the window before today, and those of
    them completed (rules.compliance, in SQL)."""
    bounds, due = _sessions_due(coach, today, days)
    return bounds, {
        f"due_{days}": _count(due),
        f"done_{days}": _count(due.filter(status=ScheduledSession.Status.COMPLETED)),
    }


def _low_compliance(coach, today, days):
    """Whether the athlete's compliance over the window is low (Compliance.is_low: round(100
    done / due) < LOW, that is 200 done < (2 LOW - 1) due; a tie at LOW - 0.5 %, where round()
    goes to even, needs 200 sessions due): membership of the set of low athletes, grouped from
    their sessions once and hashed, not a subquery per athlete."""
    first = today.case(
        lambda day, tz: rules.compliance_window(day, days)[0], DateField(), "athlete__"
    )
    last = today.case(
        lambda day, tz: rules.compliance_window(day, days)[1], DateField(), "athlete__"
    )
    # Every athlete's window lies within the span of the roster's windows: a range on the
    # date index narrows the sessions before the CASE picks each athlete's own.
    windows = [rules.compliance_window(day, days) for day in today.days()]
    span_first = min((window[0] for window in windows), default=dt.date.min)
    span_last = max((window[1] for window in windows), default=dt.date.min)
    low = (
        owned_by(coach, ScheduledSession.objects)
        .filter(date__range=(span_first, span_last))
        .filter(date__gte=first, date__lte=last)
        .values("athlete_id")
        .annotate(
            done_x200=Count("pk", filter=Q(status=ScheduledSession.Status.COMPLETED)) * 200,
            due_weighed=Count("pk") * (2 * rules.LOW_COMPLIANCE_PERCENT - 1),
        )
        .filter(done_x200__lt=F("due_weighed"))
        .values("athlete_id")
    )
    return Case(
        When(pk__in=low, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _compliance_ratio(coach, today, days):
    """done / due over the window, NULL when nothing was due: one subquery per athlete, where
    counting due and done apart and reading each in two keys took six."""
    bounds, due = _sessions_due(coach, today, days)
    done = Count("pk", filter=Q(status=ScheduledSession.Status.COMPLETED))
    ratio = (
        due.order_by()
        .values("athlete_id")
        .annotate(ratio=Cast(done, FloatField()) / Cast(Count("*"), FloatField()))
        .values("ratio")
    )
    return bounds, Subquery(ratio, output_field=FloatField())


def _midnight_case(today, day_of):
    """Each athlete's midnight (in their zone) of `day_of(their today)`."""
    return today.case(
        lambda day, tz: dt.datetime.combine(day_of(day), dt.time(), tzinfo=tz), DateTimeField()
    )


def _run_compliance_annotations(coach, today, days):
    """run_due_<days> and run_done_<days>: the planned runs starting in the window's days (in
    the athlete's zone), and those of them a run done is matched to."""
    due = owned_by(coach, RunEvent.objects).filter(
        athlete=OuterRef("pk"),
        starts_at__gte=OuterRef(f"run_first_{days}"),
        starts_at__lt=OuterRef("run_window_end"),
    )
    first = _midnight_case(today, lambda day: rules.compliance_window(day, days)[0])
    return (
        {f"run_first_{days}": first},
        {
            f"run_due_{days}": _count(due),
            f"run_done_{days}": _count(due.filter(done__isnull=False)),
        },
    )


def _last_session(coach):
    """The last session done, whatever day it was planned for (a correlated subquery)."""
    return (
        owned_by(coach, ScheduledSession.objects)
        .filter(athlete=OuterRef("pk"), status=ScheduledSession.Status.COMPLETED)
        .order_by(F("completed_at").desc(nulls_last=True), "-date", "-starts_at")
    )


def _open_flags(coach, severity):
    """How many open flags of `severity` an athlete has, counted only for the few athletes in
    the set of those with one (built once, hashed): a count per athlete read the flags once for
    each athlete of the roster, most of them unflagged."""
    open_flags = owned_by(coach, Flag.objects).filter(
        severity=severity, resolved_at__isnull=True, acknowledged_at__isnull=True
    )
    return Case(
        When(
            pk__in=open_flags.values("athlete_id"),
            then=_count(open_flags.filter(athlete=OuterRef("pk"))),
        ),
        default=Value(0),
    )


def _next_race(now):
    return RunEvent.objects.filter(
        athlete=OuterRef("pk"), kind=RunEvent.Kind.RACE, starts_at__gte=now
    ).order_by("starts_at")


def roster_annotated(coach, today: _TodayByZone):
    """The coach's athletes, each with what the dashboard sorts, filters and counts by: what
    the database works out for every athlete of the roster, so each value is one subquery per
    athlete (aliases, so the counts compute only what they read)."""
    # A race is soon when it falls on one of the next RACING_SOON_DAYS days where they live.
    soon_ends = today.case(
        lambda day, tz: dt.datetime.combine(
            day + dt.timedelta(days=rules.RACING_SOON_DAYS + 1), dt.time(), tzinfo=tz
        ),
        DateTimeField(),
    )
    bounds, compliance_ratio = _compliance_ratio(coach, today, COMPLIANCE_DAYS[0])
    last_done = _last_session(coach).values(
        done_at=Coalesce("completed_at", Cast("date", DateTimeField()))
    )
    return (
        athletes_for_coach(coach)
        .alias(**bounds)
        .alias(
            conflicts=_open_flags(coach, Flag.Severity.CONFLICT),
            warnings=_open_flags(coach, Flag.Severity.WARNING),
            compliance_ratio=compliance_ratio,
            next_race_starts_at=Subquery(_next_race(today.now).values("starts_at")[:1]),
            sort_name=Lower(
                Case(
                    When(Q(user__first_name="") & Q(user__last_name=""), then=F("user__username")),
                    default=Concat("user__first_name", Value(" "), "user__last_name"),
                    output_field=CharField(),
                )
            ),
            last_done=Subquery(last_done[:1]),
        )
        .alias(
            is_low=_low_compliance(coach, today, COMPLIANCE_DAYS[0]),
            is_racing_soon=Case(
                When(next_race_starts_at__lt=soon_ends, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def _row_annotations(coach, today: _TodayByZone):
    """What a row shows beyond roster_annotated()'s keys: worked out for the page's athletes
    only (compliance, run compliance, next race, last session, unread threads)."""
    bounds, counts = {}, {}
    for days in COMPLIANCE_DAYS:
        for annotations in (_compliance_annotations, _run_compliance_annotations):
            window, counted = annotations(coach, today, days)
            bounds |= window
            counts |= counted
    bounds["run_window_end"] = _midnight_case(today, lambda day: day)  # today left out
    next_race = _next_race(today.now)
    last_session = _last_session(coach)
    return bounds, counts | {
        "next_race_name": Subquery(next_race.values("name")[:1]),
        "next_race_starts_at": F("next_race_starts_at"),
        "last_session_name": Subquery(last_session.values("name")[:1]),
        "last_session_date": Subquery(last_session.values("date")[:1]),
        "last_session_completed_at": Subquery(last_session.values("completed_at")[:1]),
        "last_session_rpe": Subquery(last_session.values("session_rpe")[:1]),
        "unread_threads": unread_threads_per_athlete(coach),
    }


# -- filtering, sorting and searching ----------------------------------------------------------

SHOW_FILTERS = {
    "": ("All", Q()),
    "flagged": ("Flagged", Q(conflicts__gt=0) | Q(warnings__gt=0)),
    "low": ("Low compliance", Q(is_low=True)),
    "racing": (f"Racing within {rules.RACING_SOON_DAYS} days", Q(is_racing_soon=True)),
}

_BY_NAME = (F("sort_name").asc(), F("pk").asc())  # the last key keeps pages stable

SORTS = {
    # Who needs attention first: conflicts, warnings, slipping compliance, a race soon. The
    # lowest compliance first puts every low one (is_low) first without a key of its own.
    "attention": (
        "Needs attention",
        (
            F("conflicts").desc(),
            F("warnings").desc(),
            F("compliance_ratio").asc(nulls_last=True),
            F("is_racing_soon").desc(),
            F("next_race_starts_at").asc(nulls_last=True),
            *_BY_NAME,
        ),
    ),
    "name": ("Name", _BY_NAME),
    "compliance": ("Lowest compliance", (F("compliance_ratio").asc(nulls_last=True), *_BY_NAME)),
    "race": ("Next race", (F("next_race_starts_at").asc(nulls_last=True), *_BY_NAME)),
    # Longest since a logged session first; never logged comes first of all.
    "last": ("Longest since a session", (F("last_done").asc(nulls_first=True), *_BY_NAME)),
}


class RosterFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=SEARCH_MAX_LENGTH, strip=True)
    show = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in SHOW_FILTERS.items()], required=False
    )
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in SORTS.items()], required=False
    )

    def choice(self, name, default):
        """The valid value, or the default for a missing or mistyped one (never an error page:
        it is a bookmarkable address, not input to correct; an overlong search is cut)."""
        self.is_valid()
        if name == "q" and "q" in self.errors:
            return search_text(self.data.get("q", ""))
        return self.cleaned_data.get(name) or default


def roster_counts(annotated, search: Q) -> dict[str, int]:
    """How many athletes each filter would show among those the search finds, and the whole
    roster ("total"), in one query."""
    return annotated.aggregate(
        total=Count("pk"),
        **{
            key or "all": Count("pk", filter=search & condition)
            for key, (_, condition) in SHOW_FILTERS.items()
        },
    )


# -- the page's rows ----------------------------------------------------------------------------


def roster_page(coach, *, show="", sort="attention", query="", page=1, now=None):
    """The page `page` of the coach's roster as the dashboard shows it: searched, filtered
    and sorted; its rows built in full. Returns the page (its object_list the RosterRows) and
    the counts of roster_counts()."""
    now = now or timezone.now()
    today = _TodayByZone(athletes_for_coach(coach), now)
    annotated = roster_annotated(coach, today)
    search = name_search(query)
    _, condition = SHOW_FILTERS[show]
    _, order = SORTS[sort]
    with jit_off():  # the two statements that read every athlete: compiling cost 3x running
        counts = roster_counts(annotated, search)
        # The page's athletes first, by id: the database then works out the full row (last
        # session, next race) for those 50 only, not for every athlete before them.
        paginator = Paginator(
            annotated.filter(search & condition).order_by(*order).values_list("pk", flat=True),
            ROWS_PER_PAGE,
        )
        paginator.count = counts[show or "all"]  # counted above already: no second COUNT
        roster = paginator.get_page(page)
        on_page = list(roster.object_list)
    bounds, shown = _row_annotations(coach, today)
    athletes = (
        annotated.filter(pk__in=on_page)
        .alias(**bounds)
        .annotate(**shown)
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
    by_pk = {athlete.pk: athlete for athlete in athletes}
    roster.object_list = [roster_row(by_pk[pk], now) for pk in on_page]
    return roster, counts


def roster_row(athlete: Athlete, now: dt.datetime) -> RosterRow:
    """The dashboard row of an athlete of roster_page()'s listing."""
    today = athlete.today(now)
    assignment = _current_assignment(athlete.open_assignments, today)
    race_day = athlete.next_race_starts_at and athlete.date_at(athlete.next_race_starts_at)
    return RosterRow(
        athlete=athlete,
        today=today,
        assignment=assignment,
        program_week=assignment
        and rules.program_week(assignment.start_date, assignment.program.weeks, today),
        compliance_14=rules.Compliance(completed=athlete.done_14, due=athlete.due_14),
        compliance_28=rules.Compliance(completed=athlete.done_28, due=athlete.due_28),
        run_compliance_14=rules.Compliance(completed=athlete.run_done_14, due=athlete.run_due_14),
        run_compliance_28=rules.Compliance(completed=athlete.run_done_28, due=athlete.run_due_28),
        flags=athlete.open_flags,
        days_to_race=rules.days_until(today, race_day) if race_day else None,
    )


def dashboard_query(*, q="", show="", sort="attention", page=None) -> str:
    """The dashboard's address for these choices (the defaults left out): "?show=low&page=2"."""
    return list_address(q=q, show=show, sort="" if sort == "attention" else sort, page=page)
