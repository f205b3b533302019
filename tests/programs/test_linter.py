"""Each linter rule fires on the program the article warns about, and stays quiet on the
article's own 6-week Day A + Day B block."""

from decimal import Decimal

import pytest

from programs import linter
from programs.rules import PrescriptionSpec, default_week_plans

SQUAT = PrescriptionSpec(exercise_id=1, category="strength", sets=4, reps_min=4, reps_max=6)
RDL = PrescriptionSpec(exercise_id=2, category="strength", sets=3, reps_min=6, reps_max=8)
JUMP = PrescriptionSpec(exercise_id=3, category="power", sets=5, reps_min=3, reps_max=5)
PLANK = PrescriptionSpec(
    exercise_id=4, category="core", block="core", sets=3, hold_seconds=30, is_unilateral=True
)
SPLIT_SQUAT = PrescriptionSpec(
    exercise_id=5, category="strength", sets=3, reps_min=8, reps_max=12, is_unilateral=True
)
SL_RDL = PrescriptionSpec(
    exercise_id=6, category="strength", sets=3, reps_min=8, is_unilateral=True
)
CALF = PrescriptionSpec(exercise_id=7, category="strength", sets=4, reps_min=12, reps_max=15)
DAY_A = (SQUAT, RDL, JUMP, PLANK)
DAY_B = (SPLIT_SQUAT, SL_RDL, CALF)


def shape(weeks=6, days=(DAY_A, DAY_B), kinds=None):
    kinds = kinds or {p.number: p.kind for p in default_week_plans(weeks)}
    sessions = tuple(
        linter.SessionShape(week=w, name=f"Day {i}", prescriptions=day)
        for w in range(1, weeks + 1)
        for i, day in enumerate(days)
    )
    return linter.ProgramShape(weeks=weeks, week_kinds=kinds, sessions=sessions)


def fired(program_shape):
    return {f.rule.id: f for f in linter.lint(program_shape)}


def test_the_articles_block_passes_every_rule():
    assert fired(shape()) == {}


def test_every_rule_has_an_id_message_and_reason():
    ids = [rule.id for rule in linter.RULES]
    assert len(ids) == len(set(ids)) == 5
    for rule in linter.RULES:
        assert rule.message and "\n" not in rule.message
        assert rule.reason


def test_no_unilateral_strength_in_a_week_fires_for_those_weeks():
    # The side plank is unilateral core work: it does not count as unilateral strength.
    finding = fired(shape(days=(DAY_A, (CALF,))))["no-unilateral"]
    assert finding.weeks == (1, 2, 3, 4, 5, 6)
    assert finding.text.startswith("No unilateral strength exercise this week. (Weeks 1, 2")


def test_hypertrophy_heavy_volume_fires_when_most_sets_are_8_to_12_at_moderate_load():
    bodybuilding = (
        SPLIT_SQUAT,
        PrescriptionSpec(exercise_id=8, category="strength", sets=4, reps_min=10, reps_max=12),
        PrescriptionSpec(
            exercise_id=9,
            category="strength",
            sets=4,
            reps_min=8,
            reps_max=10,
            load_kind="percent_1rm",
            load_percent_1rm=Decimal(70),
        ),
    )
    assert "hypertrophy-volume" in fired(shape(days=(bodybuilding,)))


def test_hypertrophy_heavy_volume_fires_above_the_weekly_set_threshold():
    lots = tuple(
        PrescriptionSpec(exercise_id=20 + i, category="strength", sets=8, reps_min=5)
        for i in range(4)
    ) + (SPLIT_SQUAT,)
    assert "hypertrophy-volume" in fired(shape(days=(lots,)))
    assert "hypertrophy-volume" not in fired(shape(days=(lots[:3] + (SPLIT_SQUAT,),)))


@pytest.mark.parametrize(("weeks", "fires"), [(4, True), (5, True), (6, False), (8, False)])
def test_block_length_outside_6_to_8_weeks(weeks, fires):
    assert ("block-length" in fired(shape(weeks=weeks))) is fires


def test_more_than_two_strength_sessions_a_week():
    assert "too-many-strength-sessions" in fired(shape(days=(DAY_A, DAY_B, DAY_A)))
    # A third session of only core and power is not a strength session.
    assert "too-many-strength-sessions" not in fired(shape(days=(DAY_A, DAY_B, (JUMP, PLANK))))


def test_no_deload_or_taper_in_a_block_of_six_weeks_or_more():
    all_build = dict.fromkeys(range(1, 7), "build")
    assert "no-deload-or-taper" in fired(shape(kinds=all_build))
    assert "no-deload-or-taper" not in fired(shape(kinds={**all_build, 6: "taper"}))
    assert "no-deload-or-taper" not in fired(
        shape(weeks=5, kinds=dict.fromkeys(range(1, 6), "build"))
    )
