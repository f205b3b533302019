"""Runs on the progress pages: one weekly load for runs and lifts, acute:chronic in words,
and finish fade and pace per heartbeat across the strength block."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from athletes.models import RunDone, ScheduledSession
from athletes.presenters import charts
from athletes.services.scheduling import assignment_create
from tests.athletes.factories import RaceFactory, RunEventFactory, program_with_lifts

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)  # a Monday: the 8-week block runs to 26 April
NOW = "2026-04-29 12:00:00+00:00"  # the Wednesday after it


def run(athlete, day, hour=9, **fields):
    defaults = {
        "athlete": athlete,
        "started_at": dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC),
        "elapsed_seconds": 1500,
        "moving_seconds": 1500,
        "distance_m": 5000,
        "source": "fit",
        "kind": "easy",
    }
    return RunDone.objects.create(**{**defaults, **fields})


def splits(*seconds):
    return [{"m": 1000, "s": s} for s in seconds]


@pytest.fixture
def block(athlete):
    program = program_with_lifts(athlete.coach, weeks=8)
    assignment_create(program=program, athletes=[athlete], start_date=START)


@time_machine.travel(NOW, tick=False)
def test_a_5k_race_file_shows_its_fade_and_stands_in_for_the_5k_test(client, athlete, block):
    # Before the block: the hand-worked 5 × 1 km, +12.0 s/km (+4.9 %) in the last km.
    run(athlete, START, kind="race", moving_seconds=1220, elapsed_seconds=1220,
        splits=splits(240, 242, 238, 244, 256))  # fmt: skip
    # After it: (236 + 238 + 237 + 236 + 243) / 5 = 238.0, last 243: +5.0 s/km, +2.1 %.
    run(athlete, dt.date(2026, 4, 25), kind="race", moving_seconds=1190, elapsed_seconds=1190,
        splits=splits(236, 238, 237, 236, 243))  # fmt: skip
    client.force_login(athlete.coach)
    page = client.get(reverse("athletes:athlete-detail", args=[athlete.pk]))
    panels = {p.id: p for p in page.context["run_transfer_panels"]}
    fade = panels["chart-fade"]
    assert [row[-1] for row in fade.rows] == [
        "Last km 4:16/km against an average of 4:04/km: +12.0 s/km (+4.9%)",
        "Last km 4:03/km against an average of 3:58/km: +5.0 s/km (+2.1%)",
    ]
    assert (
        fade.change
        == "Block start +4.9% (2 Mar) → end +2.1% (25 Apr): 2.8 points less fade, better"
    )  # noqa: E501
    assert fade.improved is True
    five_k = next(p for p in page.context["test_panels"] if p.kind == "race_5k")
    assert [row[1] for row in five_k.rows] == ["20:20", "19:50"]
    assert five_k.change.startswith("Block start 20:20 (2 Mar) → end 19:50 (25 Apr): −30 s")
    assert "chart-fade-title" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_tempo_runs_show_pace_per_heartbeat_next_to_their_rpe(client, athlete, block):
    # 6000 m in 1500 s at 160 bpm: 4000 beats, 1.50 m a beat; then at 150 bpm: 1.60.
    run(athlete, dt.date(2026, 3, 5), kind="tempo", distance_m=6000, average_heart_rate=160, rpe=7)
    run(athlete, dt.date(2026, 4, 23), kind="tempo", distance_m=6000, average_heart_rate=150, rpe=6)
    run(athlete, dt.date(2026, 4, 24), kind="tempo", distance_m=6000)  # no heart rate: left out
    client.force_login(athlete.user)
    page = client.get(reverse("athletes:progress-show"))
    economy = {p.id: p for p in page.context["run_transfer_panels"]}["chart-economy"]
    assert economy.rows == [
        ("2026-03-05", "4:10/km", "160 bpm", "1.50 m a beat", "7"),
        ("2026-04-23", "4:10/km", "150 bpm", "1.60 m a beat", "6"),
    ]
    assert economy.change.endswith("+0.10 m a beat (+6.7%), better")


@time_machine.travel(NOW, tick=False)
def test_one_weekly_load_for_runs_and_lifts_with_races_marked(client, athlete):
    monday = dt.date(2026, 4, 20)
    run(athlete, monday, moving_seconds=40 * 60, elapsed_seconds=40 * 60, rpe=3)  # 120
    run(
        athlete, monday + dt.timedelta(2), moving_seconds=25 * 60, elapsed_seconds=25 * 60, rpe=8
    )  # 200  # noqa: E501
    program = program_with_lifts(athlete.coach, weeks=6)
    assignment_create(program=program, athletes=[athlete], start_date=dt.date(2026, 4, 6))
    lifted = ScheduledSession.objects.filter(athlete=athlete, date__gte=monday).first()
    assert lifted.date < dt.date(2026, 4, 23), "the test wants the lift before the last 7 days"
    lifted.status, lifted.session_rpe, lifted.actual_minutes = "completed", 6, 30  # 180
    lifted.completed_at = dt.datetime.combine(lifted.date, dt.time(18), tzinfo=dt.UTC)
    lifted.save()
    RaceFactory(
        athlete=athlete, name="Spring 5K", starts_at=dt.datetime(2026, 4, 25, 9, tzinfo=dt.UTC)
    )  # noqa: E501
    client.force_login(athlete.user)
    page = client.get(reverse("athletes:progress-show"))
    load = page.context["load_panel"]
    assert load.rows == [("2026-04-20", "320", "180", "500")]
    html = page.content.decode()
    assert "Spring 5K, 25 Apr" in html  # the race's mark
    assert "Week of 20 Apr: Runs 320" in html and "Week of 20 Apr: Strength 180" in html
    # The last 7 days hold nothing; the last 28 hold 500: 125.0 a week; but the first load
    # was on 20 April, too recent for a ratio.
    assert page.context["acute_chronic"].startswith(
        "Last 7 days: 0 (RPE × min); weekly average of the last 28 days: 125. "
    )
    assert "10 days of history so far: the acute:chronic ratio needs 28, so none yet." in html


@time_machine.travel(NOW, tick=False)
def test_the_coach_athlete_page_shows_run_compliance_beside_strength(client, athlete):
    planned = [
        RunEventFactory(athlete=athlete, starts_at=dt.datetime(2026, 4, d, 7, tzinfo=dt.UTC))
        for d in (20, 22, 24, 27)
    ]
    for event in planned[:3]:
        run(athlete, athlete.date_at(event.starts_at), run_event=event)
    client.force_login(athlete.coach)
    page = client.get(reverse("athletes:athlete-detail", args=[athlete.pk]))
    assert page.context["run_compliance"][14].percent == 75  # 3 of the 4 planned
    assert "Runs done 14 d" in page.content.decode()


def test_stacked_bars_sit_on_each_other_and_a_race_is_a_dashed_line():
    monday = dt.date(2026, 4, 20)
    svg = charts.stacked_bar_chart(
        [charts.Stack(monday, (Decimal(300), Decimal(100)))],
        chart_id="c",
        title="Load",
        series_names=("Runs", "Strength"),
        marks=[charts.Mark(monday + dt.timedelta(days=5), "Spring 5K")],
    )
    runs, lifts = (
        re.search(rf'class="chart-bar chart-series-{i}" x="[\d.]+" y="([\d.]+)" '
                  rf'width="[\d.]+" height="([\d.]+)"', svg).groups()
        for i in (0, 1)
    )  # fmt: skip
    # The strength bar starts where the runs' bar ends, a third of its height.
    assert float(lifts[0]) + float(lifts[1]) == pytest.approx(float(runs[0]), abs=0.11)
    assert float(runs[1]) == pytest.approx(3 * float(lifts[1]), abs=0.2)
    assert "<title>Spring 5K, 25 Apr</title>" in svg and 'stroke-dasharray="4 2"' in svg
    assert "1 week from 20 Apr to 20 Apr." in svg
