"""Hand-worked examples for the progress rules and the SVG charts."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from athletes.presenters import charts
from athletes.rules import progress as rules
from athletes.rules.strength import estimated_1rm

MON = dt.date(2026, 3, 2)  # a Monday
TODAY = dt.date(2026, 3, 30)  # a Monday, four weeks later


@dataclass
class S:
    date: dt.date
    status: str


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


# -- compliance --


def test_skipped_session_counts_against_compliance():
    sessions = [S(days_ago(2), "completed"), S(days_ago(5), "completed"), S(days_ago(9), "skipped")]
    result = rules.compliance(sessions, today=TODAY, days=14)
    assert (result.completed, result.due, result.percent) == (2, 3, 67)


def test_a_planned_session_left_in_the_past_counts_as_missed():
    sessions = [S(days_ago(1), "completed"), S(days_ago(3), "planned")]
    assert rules.compliance(sessions, today=TODAY, days=14).percent == 50


def test_todays_session_is_not_due_yet():
    sessions = [S(days_ago(1), "completed"), S(TODAY, "planned")]
    assert rules.compliance(sessions, today=TODAY, days=14) == rules.Compliance(1, 1)


def test_window_is_the_last_14_or_28_full_days():
    sessions = [
        S(days_ago(14), "completed"),
        S(days_ago(15), "skipped"),
        S(days_ago(28), "skipped"),
    ]
    assert rules.compliance(sessions, today=TODAY, days=14) == rules.Compliance(1, 1)
    assert rules.compliance(sessions, today=TODAY, days=28) == rules.Compliance(1, 3)


def test_a_session_rescheduled_within_the_window_counts_once_on_its_new_day():
    # One session, moved from 10 days ago to 4 days ago and done there: one row, its new date.
    moved = S(days_ago(4), "completed")
    assert rules.compliance([moved], today=TODAY, days=14) == rules.Compliance(1, 1)


def test_a_session_rescheduled_out_of_the_window_is_not_due():
    moved_to_tomorrow = S(TODAY + dt.timedelta(days=1), "planned")
    result = rules.compliance([moved_to_tomorrow], today=TODAY, days=14)
    assert result.due == 0 and result.percent is None and not result.is_low


def test_under_70_percent_is_low():
    assert rules.Compliance(2, 3).is_low  # 67 %
    assert not rules.Compliance(7, 10).is_low  # 70 %


# -- program week, days to go --


def test_program_week_counts_from_the_start_monday():
    assert rules.program_week(MON, 6, MON) == 1
    assert rules.program_week(MON, 6, MON + dt.timedelta(days=7)) == 2
    assert rules.program_week(MON, 6, MON + dt.timedelta(days=41)) == 6
    assert rules.program_week(MON, 6, MON + dt.timedelta(days=42)) is None
    assert rules.program_week(MON, 6, MON - dt.timedelta(days=1)) is None


def test_block_end_is_the_last_sunday():
    assert rules.block_end(MON, 6) == dt.date(2026, 4, 12)


# -- estimated 1RM --


def test_epley_estimate_by_hand():
    # 100 kg × 5: 100 × (1 + 5/30) = 116.67 -> 116.7
    assert estimated_1rm(Decimal(100), 5) == Decimal("116.7")
    # 60 kg × 6: 60 × 1.2 = 72.0
    assert estimated_1rm(Decimal(60), 6) == Decimal("72.0")


@dataclass
class Lifted:
    date: dt.date
    exercise_name: str
    reps: int | None
    load: Decimal | None


def test_e1rm_takes_the_best_set_of_the_day_per_lift():
    sets = [
        Lifted(MON, "Back squat", 5, Decimal(60)),  # 70.0
        Lifted(MON, "Back squat", 3, Decimal(65)),  # 71.5
        Lifted(MON + dt.timedelta(days=7), "Back squat", 5, Decimal(65)),  # 75.8
        Lifted(MON, "Plank", None, None),
    ]
    assert rules.e1rm_by_lift(sets) == {
        "Back squat": [
            rules.Point(MON, Decimal("71.5")),
            rules.Point(MON + dt.timedelta(days=7), Decimal("75.8")),
        ]
    }


def test_e1rm_shows_the_four_most_trained_lifts():
    sets = [Lifted(MON, f"Lift {n}", 5, Decimal(50)) for n in range(6) for _ in range(n + 1)]
    assert list(rules.e1rm_by_lift(sets)) == ["Lift 2", "Lift 3", "Lift 4", "Lift 5"]


# -- weekly volume and load --


@dataclass
class Logged:
    date: dt.date
    session_id: int
    exercise_id: int
    set_number: int
    reps: int | None
    load: Decimal | None


def test_weekly_volume_counts_sets_and_tonnage_with_gaps_as_zero():
    sets = [
        Logged(MON, 1, 1, 1, 5, Decimal(60)),  # 300
        Logged(MON, 1, 1, 2, 5, Decimal(60)),  # 300
        Logged(MON + dt.timedelta(days=3), 2, 2, 1, None, None),  # a hold: a set, no tonnage
        Logged(MON + dt.timedelta(days=14), 3, 1, 1, 4, Decimal("62.5")),  # 250
    ]
    assert rules.weekly_volume(sets) == [
        rules.WeekVolume(MON, 3, Decimal(600)),
        rules.WeekVolume(MON + dt.timedelta(days=7), 0, Decimal(0)),
        rules.WeekVolume(MON + dt.timedelta(days=14), 1, Decimal(250)),
    ]


def test_left_and_right_of_a_per_side_set_are_one_set_with_both_tonnages():
    sets = [Logged(MON, 1, 3, 1, 8, Decimal(16)), Logged(MON, 1, 3, 1, 8, Decimal(16))]
    assert rules.weekly_volume(sets) == [rules.WeekVolume(MON, 1, Decimal(256))]


@dataclass
class Done:
    date: dt.date
    session_rpe: int | None
    minutes: int | None


def test_weekly_srpe_load_is_rpe_times_minutes_summed():
    sessions = [Done(MON, 7, 30), Done(MON + dt.timedelta(days=3), 6, 40), Done(MON, None, 30)]
    assert rules.weekly_srpe_load(sessions) == [rules.WeekLoad(MON, 7 * 30 + 6 * 40, 3)]


# -- transfer tests --


def P(day, value):
    return rules.Point(day, Decimal(value))


def test_block_change_runs_from_the_test_before_the_block_to_the_retest_after_it():
    start, end = MON, rules.block_end(MON, 6)
    points = [
        P(MON - dt.timedelta(days=20), "11.0"),
        P(MON - dt.timedelta(days=2), "11.5"),  # baseline: the last one before the block
        P(MON + dt.timedelta(days=20), "12.0"),
        P(end + dt.timedelta(days=5), "12.3"),  # the retest just after the block
        P(end + dt.timedelta(days=30), "13.0"),  # too late: another block's business
    ]
    change = rules.block_change(points, start=start, end=end, lower_is_better=False)
    assert (change.start.value, change.end.value) == (Decimal("11.5"), Decimal("12.3"))
    assert change.delta == Decimal("0.8") and change.percent == Decimal("7.0")
    assert change.improved


def test_a_faster_sprint_is_an_improvement():
    points = [P(MON, "8.40"), P(MON + dt.timedelta(days=35), "8.10")]
    change = rules.block_change(
        points, start=MON, end=rules.block_end(MON, 6), lower_is_better=True
    )
    assert change.improved and change.percent == Decimal("-3.6")


def test_no_change_without_a_second_test():
    points = [P(MON - dt.timedelta(days=1), "8.4")]
    assert (
        rules.block_change(points, start=MON, end=rules.block_end(MON, 6), lower_is_better=True)
        is None
    )


def test_durations_are_read_as_seconds_or_minutes_and_seconds():
    assert rules.parse_duration("8.15") == Decimal("8.15")
    assert rules.parse_duration("8,15") == Decimal("8.15")
    assert rules.parse_duration("19:45") == Decimal(1185)
    assert rules.parse_duration("1:02:03") == Decimal(3723)
    assert rules.parse_duration("3:75") is None
    assert rules.parse_duration("fast") is None


def test_durations_are_written_as_a_runner_reads_them():
    assert rules.format_duration(Decimal("8.15")) == "8.15 s"
    assert rules.format_duration(Decimal(1185)) == "19:45"
    assert rules.format_duration(Decimal("235.5")) == "3:55.5"
    assert rules.format_duration(Decimal(3723)) == "1:02:03"


# -- charts --


def test_line_chart_is_accessible_svg_without_style_attributes():
    svg = charts.line_chart(
        [charts.Series("Bounding", [P(MON, "11.5"), P(MON + dt.timedelta(days=30), "12.3")])],
        chart_id="chart-bounding",
        title="Bounding distance",
        bands=[rules.Block(MON, rules.block_end(MON, 6), "Strength block")],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="chart-bounding-title chart-bounding-desc"' in svg
    assert "style=" not in svg
    assert svg.count('class="chart-point') == 2
    assert 'class="chart-block"' in svg and "The strength block is shaded." in svg


def test_chart_text_is_escaped():
    svg = charts.line_chart([charts.Series("<script>", [P(MON, "1")])], chart_id="c", title="<b>&")
    assert "<script>" not in svg and "&lt;b&gt;&amp;" in svg


def test_bar_chart_draws_one_bar_per_week_from_zero():
    svg = charts.bar_chart(
        [P(MON, "600"), P(MON + dt.timedelta(days=7), "0"), P(MON + dt.timedelta(days=14), "250")],
        chart_id="c",
        title="Tonnage",
    )
    assert svg.count('class="chart-bar"') == 3
    assert re.search(r">0</text>", svg)


def test_an_empty_chart_is_no_markup():
    assert charts.line_chart([], chart_id="c", title="t") == ""
    assert charts.bar_chart([], chart_id="c", title="t") == ""
