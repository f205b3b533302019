"""The pure rules of runs done, against numbers worked out by hand."""

import datetime as dt
from decimal import Decimal

from athletes.rules.runs import (
    AcuteChronic,
    Done,
    PlannedRun,
    Sample,
    Split,
    WeekLoads,
    acute_chronic,
    acute_chronic_in_words,
    average_heart_rate,
    finish_fade,
    km_splits,
    metres_per_heartbeat,
    moving_seconds,
    pace,
    planned_run_matched,
    weekly_loads,
)

UTC = dt.UTC


def test_finish_fade_of_a_hand_worked_5_x_1_km():
    # 240 + 242 + 238 + 244 + 256 = 1220 s over 5 km: 244.0 s/km on average, the last km
    # 256 s: 12.0 s/km slower, 12 / 244 = 4.9 %.
    splits = [Split(1000, s) for s in (240, 242, 238, 244, 256)]
    fade = finish_fade(splits)
    assert fade.average_pace == Decimal("244.0")
    assert fade.last_km_pace == Decimal("256.0")
    assert fade.seconds_per_km == Decimal("12.0")
    assert fade.percent == Decimal("4.9")


def test_a_fast_finish_is_a_negative_fade_and_a_short_last_part_is_left_out():
    splits = [Split(1000, 250), Split(1000, 250), Split(1000, 235), Split(40, 8)]
    fade = finish_fade(splits)
    # (250 + 250 + 235) / 3 = 245.0; 235 − 245 = −10; −10 / 245 = −4.1 %
    assert (fade.seconds_per_km, fade.percent) == (Decimal("-10.0"), Decimal("-4.1"))


def test_no_fade_under_two_full_km():
    assert finish_fade([Split(1000, 250), Split(500, 120)]) is None


def test_splits_are_interpolated_where_each_km_is_crossed():
    # 0–100 s: 400 m; 100–300 s: 800 m more at 4 m/s, so 1000 m is crossed at
    # 100 + 600 / 4 = 250 s; the last 200 m take 50 s.
    samples = [Sample(0, 0), Sample(100, 400), Sample(300, 1200)]
    assert km_splits(samples) == [Split(1000, 250.0), Split(200, 50.0)]


def test_a_run_of_exactly_whole_km_has_no_short_last_split():
    samples = [Sample(0, 0), Sample(240, 1000), Sample(482, 2000)]
    assert km_splits(samples) == [Split(1000, 240.0), Split(1000, 242.0)]


def test_splits_need_distances():
    assert km_splits([Sample(0), Sample(600)]) == []


def test_standing_still_is_not_moving_time():
    samples = [Sample(0, 0), Sample(60, 250), Sample(120, 250), Sample(180, 500)]
    assert moving_seconds(samples) == 120
    assert moving_seconds([Sample(0), Sample(600)]) == 600  # no distances: all of it


def test_average_heart_rate_skips_samples_without_one():
    assert average_heart_rate([Sample(0, 0, 150), Sample(1, 3), Sample(2, 6, 161)]) == 156
    assert average_heart_rate([Sample(0, 0), Sample(1, 3)]) is None


def test_pace_and_pace_per_heartbeat():
    assert pace(1500, 5000) == Decimal("300.0")
    # 1500 s is 25 min × 160 bpm = 4000 beats for 5000 m: 1.25 m a beat.
    assert metres_per_heartbeat(1500, 5000, 160) == Decimal("1.25")
    assert metres_per_heartbeat(1500, 5000, None) is None


def _planned(pk, hour, day=dt.date(2026, 3, 10)):
    return PlannedRun(pk, dt.datetime.combine(day, dt.time(hour), tzinfo=UTC), day)


def test_a_run_is_matched_to_the_nearest_planned_run_of_its_day():
    day = dt.date(2026, 3, 10)
    planned = [_planned(1, 7), _planned(2, 18)]
    at = dt.datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    assert planned_run_matched(at, day, planned) == 2
    morning = dt.datetime(2026, 3, 10, 6, 15, tzinfo=UTC)
    assert planned_run_matched(morning, day, planned) == 1


def test_a_run_far_from_any_planned_start_or_on_another_day_is_unplanned():
    day = dt.date(2026, 3, 10)
    planned = [_planned(1, 7), _planned(2, 18)]
    noon = dt.datetime(2026, 3, 10, 12, 30, tzinfo=UTC)  # 5½ h from either
    assert planned_run_matched(noon, day, planned) is None
    next_day = dt.datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
    assert planned_run_matched(next_day, dt.date(2026, 3, 11), planned) is None
    assert planned_run_matched(noon, day, []) is None


def test_weekly_loads_add_runs_and_lifts_apart():
    monday = dt.date(2026, 3, 2)
    runs = [
        Done(monday, 3, 40),  # 120
        Done(monday + dt.timedelta(days=2), 8, 25),  # 200
        Done(monday + dt.timedelta(days=3), None, 30),  # no RPE: nothing
        Done(monday + dt.timedelta(days=15), 5, 60),  # 300, two weeks on
    ]
    lifts = [Done(monday + dt.timedelta(days=1), 6, 30)]  # 180
    assert weekly_loads(runs, lifts) == [
        WeekLoads(monday, 320, 180),
        WeekLoads(monday + dt.timedelta(weeks=1), 0, 0),
        WeekLoads(monday + dt.timedelta(weeks=2), 300, 0),
    ]
    assert weekly_loads(runs, lifts)[0].total == 500
    assert weekly_loads([], []) == []


def test_acute_chronic_ratio_of_a_hand_worked_month():
    today = dt.date(2026, 3, 29)
    done = [
        Done(dt.date(2026, 3, 29), 5, 60),  # 300, acute
        Done(dt.date(2026, 3, 23), 4, 50),  # 200, acute (the 7th day back)
        Done(dt.date(2026, 3, 22), 8, 50),  # 400
        Done(dt.date(2026, 3, 12), 8, 50),  # 400
        Done(dt.date(2026, 3, 2), 8, 50),  # 400 (the 28th day back)
        Done(dt.date(2026, 3, 1), 9, 90),  # 29 days back: left out
    ]
    value = acute_chronic(done, today)
    # acute 500; chronic (500 + 1200) / 4 = 425.0; 500 / 425 = 1.18
    assert value == AcuteChronic(acute=500, chronic=Decimal("425.0"), days_of_history=29)
    assert value.ratio == Decimal("1.18")
    assert "ratio 1.18: within the usual range" in acute_chronic_in_words(value)


def test_acute_chronic_in_words_for_a_spike_and_for_nothing():
    assert "a spike" in acute_chronic_in_words(AcuteChronic(800, Decimal("400"), 28))
    assert "no acute:chronic ratio yet" in acute_chronic_in_words(AcuteChronic(0, Decimal(0), 0))


def test_a_first_week_of_load_is_not_called_a_spike():
    # One week of training: 800 in the last 7 days is 200 a week over 28 days, "4.00", but
    # only because the other three weeks were before the athlete started.
    today = dt.date(2026, 3, 29)
    done = [Done(dt.date(2026, 3, 23), 8, 50), Done(dt.date(2026, 3, 29), 8, 50)]

    value = acute_chronic(done, today)

    assert (value.acute, value.days_of_history, value.ratio) == (800, 7, None)
    assert acute_chronic_in_words(value) == (
        "Last 7 days: 800 (RPE × min); weekly average of the last 28 days: 200. "
        "7 days of history so far: the acute:chronic ratio needs 28, so none yet."
    )


def test_the_ratio_comes_once_the_first_load_is_28_days_back():
    today = dt.date(2026, 3, 29)
    four_weeks = [Done(dt.date(2026, 3, 2), 5, 40), Done(dt.date(2026, 3, 29), 8, 50)]
    a_day_short = [Done(dt.date(2026, 3, 3), 5, 40), Done(dt.date(2026, 3, 29), 8, 50)]

    assert acute_chronic(four_weeks, today).ratio == Decimal("2.67")  # 400 / (600 / 4)
    assert acute_chronic(a_day_short, today).ratio is None
