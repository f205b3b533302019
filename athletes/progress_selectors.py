"""Reads behind the progress pages and the coach's athlete page.

Each function takes an athlete the caller already scoped (athletes.selectors: the coach's own
athlete or the signed-in athlete) and runs a fixed number of queries, however long the history.
"""

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString

from athletes import charts, scheduling_selectors, selectors
from athletes.models import Assignment, Athlete, ScheduledSession, SetLog, TransferTest
from athletes.rules import progress as rules
from athletes.rules.strength import Load, SetDone, number_in_words, sets_in_words
from programs.models import Exercise

TRAINING_LOG_SHOWN = 20


def athlete_today(athlete: Athlete, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(athlete.tz).date()


# -- strength blocks -------------------------------------------------------------------------


def blocks_for_athlete(athlete: Athlete) -> list[charts.Band]:
    """Every assigned program as a dated band, oldest first: one ended early stops the day
    before it ended, and one ended before it started is left out."""
    assignments = (
        Assignment.objects.filter(athlete=athlete).select_related("program").order_by("start_date")
    )
    bands = []
    for a in assignments:
        end = rules.block_end(a.start_date, a.program.weeks)
        if a.ended_at is not None:
            # Its last day: the day before a midnight end (replaced from a Monday), else that day.
            last = (a.ended_at - dt.timedelta(microseconds=1)).astimezone(athlete.tz).date()
            end = min(end, last)
        if end >= a.start_date:
            bands.append(charts.Band(start=a.start_date, end=end, label=a.program.name))
    return bands


def block_for_change(blocks: Sequence[charts.Band], today: dt.date) -> charts.Band | None:
    """The block a test's change is measured over: the latest one that has started."""
    started = [b for b in blocks if b.start <= today]
    return started[-1] if started else None


def transfer_test_get_for_user(user, test_id) -> TransferTest:
    """A test of the signed-in athlete's, or of one of the coach's athletes; else 404."""
    tests = TransferTest.objects.select_related("athlete")
    if user.is_coach:
        tests = tests.filter(athlete__coach=user)
    elif user.is_athlete:
        tests = tests.filter(athlete__user=user)
    else:  # no role: not a page for them at all
        raise PermissionDenied
    return get_object_or_404(tests, pk=test_id)


# -- charts ----------------------------------------------------------------------------------


@dataclass
class ChartPanel:
    """One chart with the data table behind it, ready for the template."""

    id: str
    title: str
    svg: SafeString
    columns: Sequence[str]
    rows: list[Sequence[str]]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, series name)
    change: str = ""
    improved: bool | None = None
    kind: str = ""
    test_ids: list[int] = field(default_factory=list)  # per row, for transfer tests

    @property
    def table(self) -> list[tuple[Sequence[str], int | None]]:
        """Each row's cells with the transfer test it shows (None for strength rows)."""
        ids = self.test_ids or [None] * len(self.rows)
        return list(zip(self.rows, ids, strict=True))


def _weekly_bars(chart_id, title, chart_title, points, bands, columns, rows) -> ChartPanel:
    """A bar per week, the block shaded, and the table behind it."""
    return ChartPanel(
        id=chart_id,
        title=title,
        svg=charts.bar_chart(points, chart_id=chart_id, title=chart_title, bands=bands),
        columns=columns,
        rows=rows,
    )


def _to_a_tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


@dataclass(frozen=True)
class _LoggedSet:
    date: dt.date
    session_id: int
    exercise_id: int
    exercise_name: str
    set_number: int
    reps: int | None
    load: Decimal | None  # in the athlete's unit: as entered when entered in it


@dataclass(frozen=True)
class _DoneSession:
    date: dt.date
    session_rpe: int | None
    minutes: int | None


def _logged_sets(athlete: Athlete) -> list[_LoggedSet]:
    """Every working set of completed sessions (warm-up and mobility drills left out), on the
    day its session was done, its load in the athlete's unit (exactly as entered when it was
    entered in it, so 4 × 5 @ 135 lb is 2700 lb)."""
    rows = (
        SetLog.objects.filter(
            scheduled_session__athlete=athlete,
            scheduled_session__status=ScheduledSession.Status.COMPLETED,
        )
        .exclude(exercise__category=Exercise.Category.MOBILITY)
        .annotate(done_on=selectors.session_done_on(athlete.tz, "scheduled_session__"))
        .values_list(
            "done_on",
            "scheduled_session_id",
            "exercise_id",
            "exercise__name",
            "set_number",
            "reps",
            "load_entered",
            "load_unit",
        )
    )
    return [
        _LoggedSet(*row, load=None if amount is None else Load(amount, unit).in_unit(athlete.unit))
        for *row, amount, unit in rows
    ]


def _done_sessions(athlete: Athlete) -> list[_DoneSession]:
    rows = (
        ScheduledSession.objects.filter(athlete=athlete, status=ScheduledSession.Status.COMPLETED)
        .annotate(done_on=selectors.session_done_on(athlete.tz))
        .values_list("done_on", "session_rpe", "actual_minutes", "duration_minutes")
    )
    return [_DoneSession(day, rpe, actual or planned) for day, rpe, actual, planned in rows]


def strength_panels(athlete: Athlete, bands: Sequence[charts.Band]) -> list[ChartPanel]:
    """Estimated 1RM per main lift, weekly sets and tonnage, and weekly sRPE load."""
    unit = athlete.unit
    logged = _logged_sets(athlete)
    lifts = rules.e1rm_by_lift(s for s in logged if s.load)
    series = [charts.Series(name, points) for name, points in lifts.items()]
    e1rm = ChartPanel(
        id="chart-e1rm",
        title=f"Estimated 1RM ({unit})",
        svg=charts.line_chart(
            series,
            chart_id="chart-e1rm",
            title=f"Estimated 1RM per main lift ({unit})",
            bands=bands,
        ),  # fmt: skip
        columns=("Date", "Lift", f"Estimated 1RM ({unit})"),
        rows=[
            (p.date.isoformat(), s.name, number_in_words(p.value)) for s in series for p in s.points
        ],
        legend=[
            (f"chart-series-{i % len(charts.SERIES_COLOURS)}", s.name) for i, s in enumerate(series)
        ],
    )
    weeks = rules.weekly_volume(logged)
    volume_rows = [
        (w.week.isoformat(), str(w.sets), number_in_words(_to_a_tenth(w.tonnage))) for w in weeks
    ]
    volume_columns = ("Week of", "Sets", f"Tonnage ({unit})")
    volume_sets = _weekly_bars(
        "chart-sets",
        "Weekly strength sets",
        "Strength sets per week",
        [rules.Point(w.week, Decimal(w.sets)) for w in weeks],
        bands,
        volume_columns,
        volume_rows,
    )
    tonnage = _weekly_bars(
        "chart-tonnage",
        f"Weekly tonnage ({unit})",
        f"Tonnage per week ({unit}, reps × load)",
        [rules.Point(w.week, _to_a_tenth(w.tonnage)) for w in weeks],
        bands,
        volume_columns,
        volume_rows,
    )
    loads = rules.weekly_srpe_load(_done_sessions(athlete))
    srpe = _weekly_bars(
        "chart-srpe",
        "Weekly session-RPE load",
        "Session RPE × minutes per week",
        [rules.Point(w.week, Decimal(w.load)) for w in loads],
        bands,
        ("Week of", "Sessions", "Load (RPE × min)"),
        [(w.week.isoformat(), str(w.sessions), str(w.load)) for w in loads],
    )
    return [e1rm, volume_sets, tonnage, srpe]


def _change_in_words(
    change: rules.BlockChange, describe: Callable[[Decimal], str], *, block_over: bool
) -> str:
    sign = "+" if change.delta > 0 else "−" if change.delta < 0 else "±"
    verdict = "better" if change.improved else "no better" if change.delta == 0 else "worse"
    size = abs(change.delta)
    # A difference of RPE reads as a plain number ("−1"), the rest with their unit ("+0.8 m").
    size_words = number_in_words(size) if "RPE" in describe(size) else describe(size)
    return (
        f"Block start {describe(change.start.value)} ({change.start.date:%-d %b}) → "
        # Mid-block the newest test is not the block's end result yet.
        f"{'end' if block_over else 'latest'} {describe(change.end.value)} "
        f"({change.end.date:%-d %b}): "
        f"{sign}{size_words} ({sign}{abs(change.percent)}%), {verdict}"
    )


def transfer_test_panels(
    athlete: Athlete, bands: Sequence[charts.Band], today: dt.date
) -> list[ChartPanel]:
    """One chart per kind of transfer test, each with the change over the latest block."""
    tests = list(TransferTest.objects.filter(athlete=athlete).order_by("date", "id"))
    block = block_for_change(bands, today)
    labels = dict(TransferTest.Kind.choices)
    panels = []
    for kind, spec in rules.TEST_KINDS.items():
        label = labels[kind]
        of_kind = [t for t in tests if t.kind == kind]
        points = [rules.Point(t.date, t.value) for t in of_kind]
        change = block and rules.block_change(
            points, start=block.start, end=block.end, lower_is_better=spec.lower_is_better
        )
        describe = lambda value, kind=kind: rules.transfer_result_in_words(kind, value)  # noqa: E731
        panels.append(
            ChartPanel(
                id=f"chart-{kind}",
                kind=kind,
                title=label,
                svg=charts.line_chart(
                    [charts.Series(label, points)],
                    chart_id=f"chart-{kind}",
                    title=label,
                    bands=bands,
                    format_value=describe,
                    durations=spec.is_time,
                ),  # fmt: skip
                columns=("Date", "Result", "Detail", "Splits", "Notes"),
                rows=[
                    (
                        t.date.isoformat(),
                        describe(t.value),
                        t.detail,
                        ", ".join(rules.format_duration(Decimal(str(s))) for s in t.splits),
                        t.notes,
                    )
                    for t in of_kind
                ],
                test_ids=[t.pk for t in of_kind],
                change=_change_in_words(change, describe, block_over=today > block.end)
                if change
                else "",
                improved=change.improved if change else None,
            )
        )
    return panels


# -- the coach's athlete page ----------------------------------------------------------------


def month_weeks(athlete: Athlete, today: dt.date) -> list[list[scheduling_selectors.CalendarDay]]:
    """This month as calendar weeks (Monday first) for the month-grid partial of
    athletes/calendar_month.html."""
    first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid_first = rules.week_start(first)
    grid_last = rules.week_start(last) + dt.timedelta(days=6)
    days = scheduling_selectors.calendar_days(
        athlete, grid_first, grid_last, in_range=(first, last)
    )
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def compliance_for_athlete(athlete: Athlete, today: dt.date) -> dict[int, rules.Compliance]:
    """Compliance over 14 and 28 days, from one query."""
    first, _ = rules.compliance_window(today, 28)
    sessions = list(
        ScheduledSession.objects.filter(athlete=athlete, date__gte=first, date__lt=today).only(
            "date", "status"
        )
    )
    return {days: rules.compliance(sessions, today=today, days=days) for days in (14, 28)}


@dataclass(frozen=True)
class LogEntry:
    session: ScheduledSession
    exercises: list[tuple[str, str]]  # (exercise name, its sets in words)


def training_log(athlete: Athlete, limit: int = TRAINING_LOG_SHOWN):
    """The latest sessions done, skipped or begun (whatever day they were planned for), newest
    first, each with its sets in words."""
    sessions = selectors.sessions_history_for_athlete(athlete).prefetch_related(
        Prefetch(
            "set_logs",
            queryset=SetLog.objects.select_related("exercise").order_by(
                "exercise__name", "set_number", "side"
            ),
        )
    )[:limit]
    entries = []
    for session in sessions:
        by_exercise: dict[str, list[SetDone]] = {}
        for s in session.set_logs.all():
            by_exercise.setdefault(s.exercise.name, []).append(s.as_done())
        entries.append(
            LogEntry(
                session,
                [(name, sets_in_words(sets)) for name, sets in by_exercise.items()],
            )
        )
    return entries


# -- CSV export ------------------------------------------------------------------------------

LOG_CSV_COLUMNS = (
    "date", "session", "status", "session_rpe", "minutes", "skip_reason", "exercise",
    "set", "side", "reps", "load_kg", "load_entered", "load_unit", "hold_seconds", "rpe",
    "prescribed",
)  # fmt: skip
TESTS_CSV_COLUMNS = ("date", "test", "value", "unit", "detail", "splits_seconds", "notes")


def log_csv_rows(athlete: Athlete):
    """Every logged set (and every session done or skipped without sets) of the athlete, oldest
    first."""
    yield LOG_CSV_COLUMNS
    sessions = (
        selectors.sessions_history_for_athlete(athlete)
        .reverse()
        .prefetch_related(
            Prefetch(
                "set_logs",
                queryset=SetLog.objects.select_related("exercise").order_by(
                    "exercise__name", "set_number", "side"
                ),
            )
        )
    )
    for session in sessions:
        head = (
            session.date.isoformat(), session.name, session.status, session.session_rpe,
            session.actual_minutes, session.skip_reason,
        )  # fmt: skip
        sets = list(session.set_logs.all())
        if not sets:
            yield (*head, "", "", "", "", "", "", "", "")
        for s in sets:
            yield (
                *head, s.exercise.name, s.set_number, s.side, s.reps, s.load_kg,
                s.load_entered, s.load_unit, s.hold_seconds, s.rpe, s.prescribed,
            )  # fmt: skip


def tests_csv_rows(athlete: Athlete):
    yield TESTS_CSV_COLUMNS
    for t in TransferTest.objects.filter(athlete=athlete).order_by("date", "id"):
        yield (
            t.date.isoformat(), t.kind, t.value, rules.TEST_KINDS[t.kind].unit, t.detail,
            " ".join(str(s) for s in t.splits), t.notes,
        )  # fmt: skip
