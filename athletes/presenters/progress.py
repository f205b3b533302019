"""The progress pages' pieces: each chart with the table behind it, the change over the block
in words, and the coach's training log, built from athletes.selectors.progress."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.safestring import SafeString

from athletes.forms.progress import RESULT_EXAMPLES
from athletes.models import Athlete, ScheduledSession, TransferTest
from athletes.presenters import charts
from athletes.rules import progress as rules
from athletes.rules.strength import SetDone, number_in_words, sets_in_words
from athletes.selectors import progress as selectors

TRAINING_LOG_SHOWN = 20


def charts_url(athlete, kind: str = "", *, for_coach: bool) -> str:
    """The progress charts (at the chart of tests of `kind`): the athlete's own page, or the
    coach's page of the athlete."""
    if for_coach:
        page = reverse("athletes:athlete-detail", args=[athlete.pk])
    else:
        page = reverse("athletes:progress-show")
    return f"{page}#chart-{kind}" if kind else page


def progress_page(athlete: Athlete, *, for_coach: bool) -> dict:
    """The charts of strength work and transfer tests against the blocks, with where to record
    a test and download the CSVs, in the athlete's own or the coach's URLs."""
    today = athlete.today()
    blocks = selectors.blocks_for_athlete(athlete)
    if for_coach:
        record_url = reverse("athletes:athlete-transfer-test-create", args=[athlete.pk])
        export_urls = {
            what: reverse("athletes:athlete-progress-export", args=[athlete.pk, what])
            for what in selectors.CSV_EXPORTS
        }
    else:
        record_url = reverse("athletes:transfer-test-create")
        export_urls = {
            what: reverse("athletes:progress-export", args=[what]) for what in selectors.CSV_EXPORTS
        }
    return {
        "athlete": athlete,
        "today": today,
        "strength_block": selectors.block_for_change(blocks, today),
        "record_url": record_url,
        "export_urls": export_urls,
        "test_panels": transfer_test_panels(athlete, blocks, today),
        "strength_panels": strength_panels(athlete, blocks),
    }


def kind_choices() -> list[dict]:
    """Each kind of test with the hints the form shows once it is picked
    (static/js/transfer_test.js)."""
    return [
        {
            "value": kind,
            "label": label,
            "example": RESULT_EXAMPLES[kind],
            "inputmode": "text" if kind == "race_5k" else "decimal",
            "detail_hint": rules.TEST_KINDS[kind].detail_hint,
        }
        for kind, label in TransferTest.Kind.choices
    ]


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


def _weekly_bars(chart_id, title, chart_title, points, blocks, columns, rows) -> ChartPanel:
    """A bar per week, the block shaded, and the table behind it."""
    return ChartPanel(
        id=chart_id,
        title=title,
        svg=charts.bar_chart(points, chart_id=chart_id, title=chart_title, bands=blocks),
        columns=columns,
        rows=rows,
    )


def _to_a_tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def strength_panels(athlete: Athlete, blocks: Sequence[rules.Block]) -> list[ChartPanel]:
    """Estimated 1RM per main lift, weekly sets and tonnage, and weekly sRPE load."""
    unit = athlete.unit
    logged = selectors.logged_sets_for_athlete(athlete)
    lifts = rules.e1rm_by_lift(s for s in logged if s.load)
    series = [charts.Series(name, points) for name, points in lifts.items()]
    e1rm = ChartPanel(
        id="chart-e1rm",
        title=f"Estimated 1RM ({unit})",
        svg=charts.line_chart(
            series,
            chart_id="chart-e1rm",
            title=f"Estimated 1RM per main lift ({unit})",
            bands=blocks,
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
        blocks,
        volume_columns,
        volume_rows,
    )
    tonnage = _weekly_bars(
        "chart-tonnage",
        f"Weekly tonnage ({unit})",
        f"Tonnage per week ({unit}, reps × load)",
        [rules.Point(w.week, _to_a_tenth(w.tonnage)) for w in weeks],
        blocks,
        volume_columns,
        volume_rows,
    )
    loads = rules.weekly_srpe_load(selectors.sessions_done_for_athlete(athlete))
    srpe = _weekly_bars(
        "chart-srpe",
        "Weekly session-RPE load",
        "Session RPE × minutes per week",
        [rules.Point(w.week, Decimal(w.load)) for w in loads],
        blocks,
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
    athlete: Athlete, blocks: Sequence[rules.Block], today: dt.date
) -> list[ChartPanel]:
    """One chart per kind of transfer test, each with the change over the latest block."""
    tests = list(selectors.transfer_tests_for_athlete(athlete))
    block = selectors.block_for_change(blocks, today)
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
                    bands=blocks,
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


@dataclass(frozen=True)
class LogEntry:
    session: ScheduledSession
    exercises: list[tuple[str, str]]  # (exercise name, its sets in words)


def training_log(athlete: Athlete, limit: int = TRAINING_LOG_SHOWN) -> list[LogEntry]:
    """The latest sessions done, skipped or begun (whatever day they were planned for), newest
    first, each with its sets in words."""
    entries = []
    for session in selectors.sessions_with_sets_for_athlete(athlete)[:limit]:
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
