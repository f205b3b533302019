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
from athletes.presenters import runs_done as run_words
from athletes.rules import progress as rules
from athletes.rules import runs as run_rules
from athletes.rules.strength import SetDone, number_in_words, sets_in_words
from athletes.selectors import progress as selectors
from athletes.selectors import runs_done as run_selectors

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
    # Read once: the session-RPE chart and the load of runs and lifts both sum them.
    sessions_done = selectors.sessions_done_for_athlete(athlete)
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
        **run_panels(athlete, blocks, today, sessions_done),
        "strength_panels": strength_panels(athlete, blocks, sessions_done),
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


def strength_panels(
    athlete: Athlete, blocks: Sequence[rules.Block], sessions_done: Sequence[selectors.DoneSession]
) -> list[ChartPanel]:
    """Estimated 1RM per main lift, weekly sets and tonnage, and weekly sRPE load (of
    `sessions_done`, the athlete's completed sessions)."""
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
    loads = rules.weekly_srpe_load(sessions_done)
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


@dataclass(frozen=True)
class _FiveKFromFile:
    """A 5K race read from a watch file, standing in for a recorded "5K result" test."""

    date: dt.date
    value: Decimal
    detail: str
    splits: list
    notes: str = ""  # what was said about the race is in its thread, not on the chart
    pk: None = None
    kind: str = TransferTest.Kind.RACE_5K


FIVE_K_METRES = (4900, 5200)  # a watch's 5K race: GPS reads a measured course a little long


def _five_k_races(athlete: Athlete, runs_done) -> list[_FiveKFromFile]:
    low, high = FIVE_K_METRES
    return [
        _FiveKFromFile(
            date=athlete.date_at(run.started_at),
            value=Decimal(run.moving_seconds),
            detail=f"from the watch ({run.distance_m / 1000:.2f} km)",
            splits=[s["s"] for s in run.splits if s["m"] == run_rules.KM],
        )
        for run in runs_done
        if run.kind == "race" and run.distance_m and low <= run.distance_m <= high
    ]


def transfer_test_panels(
    athlete: Athlete, blocks: Sequence[rules.Block], today: dt.date, runs_done=()
) -> list[ChartPanel]:
    """One chart per kind of transfer test, each with the change over the latest block. A 5K
    race from a watch file counts as a 5K result."""
    tests = list(selectors.transfer_tests_for_athlete(athlete))
    tests = sorted([*tests, *_five_k_races(athlete, runs_done)], key=lambda t: t.date)
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
                test_ids=[t.pk for t in of_kind] if any(t.pk for t in of_kind) else [],
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


# -- runs: one load for runs and lifts, and transfer measured from the watch --------------


def run_panels(
    athlete: Athlete,
    blocks: Sequence[rules.Block],
    today: dt.date,
    lift_loads: Sequence[selectors.DoneSession],
) -> dict:
    """The transfer tests (a 5K race from a file among them), the weekly load of runs and
    lifts (`lift_loads`, the completed sessions) with its acute:chronic ratio in words, and
    finish fade and pace per heartbeat from runs done."""
    runs_done = run_selectors.runs_done_for_transfer(athlete)
    run_loads = run_selectors.run_loads_for_athlete(athlete)
    block = selectors.block_for_change(blocks, today)
    return {
        "test_panels": transfer_test_panels(athlete, blocks, today, runs_done),
        "load_panel": load_panel(athlete, run_loads, lift_loads, blocks),
        "acute_chronic": run_rules.acute_chronic_in_words(
            run_rules.acute_chronic([*run_loads, *lift_loads], today)
        ),
        "run_transfer_panels": [
            fade_panel(athlete, runs_done, blocks, block, today),
            economy_panel(athlete, runs_done, blocks, block, today),
        ],
    }


def load_panel(athlete, run_loads, lift_loads, blocks) -> ChartPanel:
    weeks = run_rules.weekly_loads(run_loads, lift_loads)
    names = ("Runs", "Strength")
    return ChartPanel(
        id="chart-load",
        title="Weekly load: runs and strength",
        svg=charts.stacked_bar_chart(
            [charts.Stack(w.week, (Decimal(w.runs), Decimal(w.lifts))) for w in weeks],
            chart_id="chart-load",
            title="Session RPE × minutes per week, runs and strength stacked",
            series_names=names,
            bands=blocks,
            marks=[
                charts.Mark(day, name) for day, name in run_selectors.races_for_athlete(athlete)
            ],
        ),
        columns=("Week of", "Runs", "Strength", "Total (RPE × min)"),
        rows=[(w.week.isoformat(), str(w.runs), str(w.lifts), str(w.total)) for w in weeks],
        legend=[(f"chart-series-{i}", name) for i, name in enumerate(names)],
    )


def _signed(value: Decimal, unit: str) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{abs(value)}{unit}"


def _fade_change_in_words(change: rules.BlockChange, *, block_over: bool) -> str:
    less = change.start.value - change.end.value
    verdict = "less fade, better" if less > 0 else "no less fade" if less == 0 else "more fade"
    return (
        f"Block start {_signed(change.start.value, '%')} ({change.start.date:%-d %b}) → "
        f"{'end' if block_over else 'latest'} {_signed(change.end.value, '%')} "
        f"({change.end.date:%-d %b}): {abs(less)} points {verdict}"
    )


def fade_panel(athlete, runs_done, blocks, block, today) -> ChartPanel:
    """The finish fade of each race and time trial from a file: last km against the average."""
    faded = []
    for run in runs_done:
        fade = run_rules.finish_fade(run_words.splits_of(run))
        if run.kind == "race" and fade is not None:
            faded.append((athlete.date_at(run.started_at), run, fade))
    points = [rules.Point(day, fade.percent) for day, _, fade in faded]
    change = block and rules.block_change(
        points, start=block.start, end=block.end, lower_is_better=True
    )
    return ChartPanel(
        id="chart-fade",
        title="Finish fade in races (last km vs average, %)",
        svg=charts.line_chart(
            [charts.Series("Finish fade", points)],
            chart_id="chart-fade",
            title="Finish fade per race, % slower in the last km",
            bands=blocks,
            format_value=lambda value: _signed(value, "%"),
        ),
        columns=("Date", "Distance", "Time", "Splits", "Finish fade"),
        rows=[
            (
                day.isoformat(),
                f"{run.distance_m / 1000:.2f} km",
                run_words.duration_in_words(run.moving_seconds),
                ", ".join(run_words.duration_in_words(s["s"]) for s in run.splits),
                run_words.fade_in_words(fade),
            )
            for day, run, fade in faded
        ],
        change=_fade_change_in_words(change, block_over=today > block.end) if change else "",
        improved=change.end.value < change.start.value if change else None,
    )


def economy_panel(athlete, runs_done, blocks, block, today) -> ChartPanel:
    """Tempo runs' pace per heartbeat (metres a beat), next to the RPE the athlete gave."""
    tempos = []
    for run in runs_done:
        per_beat = run.distance_m and run_rules.metres_per_heartbeat(
            run.moving_seconds, run.distance_m, run.average_heart_rate
        )
        if run.kind == "tempo" and per_beat:
            tempos.append((athlete.date_at(run.started_at), run, per_beat))
    points = [rules.Point(day, per_beat) for day, _, per_beat in tempos]
    change = block and rules.block_change(
        points, start=block.start, end=block.end, lower_is_better=False
    )
    describe = lambda value: f"{value} m a beat"  # noqa: E731
    return ChartPanel(
        id="chart-economy",
        title="Tempo runs: pace per heartbeat (m a beat)",
        svg=charts.line_chart(
            [charts.Series("Metres per heartbeat", points)],
            chart_id="chart-economy",
            title="Metres run per heartbeat in tempo runs (more is more economical)",
            bands=blocks,
            format_value=describe,
        ),
        columns=("Date", "Pace", "Heart rate", "Per heartbeat", "RPE"),
        rows=[
            (
                day.isoformat(),
                run_words.pace_in_words(run_rules.pace(run.moving_seconds, run.distance_m)),
                f"{run.average_heart_rate} bpm",
                describe(per_beat),
                str(run.rpe or "—"),
            )
            for day, run, per_beat in tempos
        ],
        change=_change_in_words(change, describe, block_over=today > block.end) if change else "",
        improved=change.improved if change else None,
    )
