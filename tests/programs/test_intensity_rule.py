from decimal import Decimal

import pytest

from programs.rules import (
    HEAVY,
    LIGHT,
    MODERATE,
    PrescriptionSpec,
    estimated_minutes,
    session_intensity,
)


def spec(category="strength", block="main", **fields):
    return PrescriptionSpec(exercise_id=1, category=category, block=block, **fields)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"reps_min": 4, "reps_max": 6}, HEAVY),
        ({"reps_min": 8, "reps_max": 12}, MODERATE),
        ({"reps_min": 12, "reps_max": 15}, LIGHT),
        ({"reps_min": 8, "load_kind": "percent_1rm", "load_percent_1rm": Decimal(80)}, HEAVY),
        ({"reps_min": 8, "load_kind": "percent_1rm", "load_percent_1rm": Decimal(70)}, MODERATE),
        ({"reps_min": 8, "load_kind": "percent_1rm", "load_percent_1rm": Decimal(75)}, MODERATE),
        ({"reps_min": 3, "load_kind": "percent_1rm", "load_percent_1rm": Decimal(60)}, LIGHT),
        ({"reps_min": 10, "load_kind": "rpe", "load_rpe": Decimal(8)}, HEAVY),
        ({"reps_min": 8, "load_kind": "rpe", "load_rpe": Decimal("6.5")}, MODERATE),
        ({"reps_min": 5, "load_kind": "rpe", "load_rpe": Decimal(6)}, LIGHT),
        ({"reps_min": 8, "load_kind": "words", "load_text": "moderate-heavy"}, HEAVY),
        ({"reps_min": 4, "load_kind": "words", "load_text": "easy, bodyweight"}, LIGHT),
    ],
)
def test_one_main_strength_lift_sets_the_session_class(fields, expected):
    assert session_intensity([spec(**fields)]) == expected


@pytest.mark.parametrize(
    ("load", "expected"),
    [
        ({"load_kind": "percent_1rm", "load_percent_1rm": Decimal(75)}, HEAVY),
        ({"load_kind": "percent_1rm", "load_percent_1rm": Decimal(70)}, HEAVY),
        ({"load_kind": "percent_1rm", "load_percent_1rm": Decimal("69.5")}, MODERATE),
        ({"load_kind": "rpe", "load_rpe": Decimal(7)}, HEAVY),
        ({"load_kind": "rpe", "load_rpe": Decimal("6.5")}, HEAVY),
        ({"load_kind": "words", "load_text": "moderate"}, HEAVY),
        ({"load_kind": "words", "load_text": "light, fast"}, LIGHT),
    ],
)
def test_low_rep_strength_is_heavy_unless_its_load_is_light(load, expected):
    # 4 × 4–6: the article's squat dose, its load written as %1RM, RPE or words.
    assert session_intensity([spec(sets=4, reps_min=4, reps_max=6, **load)]) == expected


def test_the_hardest_main_lift_wins():
    assert session_intensity([spec(reps_min=15), spec(reps_min=5), spec(reps_min=10)]) == HEAVY


def test_power_work_next_to_more_strength_sets_makes_a_session_moderate():
    jumps = spec(category="power", sets=5, reps_min=3, reps_max=5)
    split_squats = spec(sets=3, reps_min=8, reps_max=12, per_side=True, is_unilateral=True)
    calf_raises = spec(sets=4, reps_min=12, reps_max=15)

    assert session_intensity([jumps, split_squats, calf_raises]) == MODERATE  # 5 of 12 sets
    assert session_intensity([jumps, split_squats, split_squats]) == MODERATE  # 5 of 11 sets


def test_a_main_block_dominated_by_power_work_is_heavy():
    box_jumps = spec(category="power", sets=5, reps_min=3, reps_max=5)
    squat_jumps = spec(category="power", sets=4, reps_min=3, reps_max=5)
    split_squats = spec(sets=3, reps_min=8, reps_max=12, per_side=True, is_unilateral=True)
    warm_up = spec(category="mobility", block="warmup", sets=6, reps_min=10)

    assert session_intensity([box_jumps]) == HEAVY
    assert session_intensity([warm_up, box_jumps, squat_jumps, split_squats]) == HEAVY  # 9 of 12
    assert session_intensity([box_jumps, spec(sets=5, reps_min=10)]) == MODERATE  # half is not most


def test_warmup_core_and_mobility_alone_are_light():
    prescriptions = [
        spec(category="mobility", block="warmup", reps_min=10),
        spec(category="core", block="core", hold_seconds=30),
        spec(category="strength", block="warmup", reps_min=3),
    ]
    assert session_intensity(prescriptions) == LIGHT


def test_the_coachs_override_beats_the_derived_class():
    assert session_intensity([spec(reps_min=4)], override=LIGHT) == LIGHT


SQUAT_LOADS = [
    {"load_kind": "words", "load_text": "moderate-heavy"},
    {"load_kind": "percent_1rm", "load_percent_1rm": Decimal(75)},
    {"load_kind": "rpe", "load_rpe": Decimal(7)},
    {},
]


@pytest.mark.parametrize("squat_load", SQUAT_LOADS)
def test_the_articles_day_a_is_heavy_however_the_squat_load_is_written_and_day_b_moderate(
    squat_load,
):
    day_a = [
        spec(category="mobility", block="warmup", reps_min=10, per_side=True, sets=1),
        spec(reps_min=4, reps_max=6, sets=4, **squat_load),
        spec(reps_min=6, reps_max=8, sets=3),
        spec(category="power", reps_min=3, reps_max=5, sets=5),
        spec(category="core", block="core", hold_seconds=30, per_side=True, sets=3),
    ]
    day_b = [
        spec(reps_min=8, reps_max=12, per_side=True, is_unilateral=True),
        spec(reps_min=8, per_side=True, is_unilateral=True),
        spec(reps_min=12, reps_max=15, sets=4),
        spec(category="core", block="core", reps_min=10, per_side=True),
    ]
    assert session_intensity(day_a) == HEAVY
    assert session_intensity(day_b) == MODERATE


def test_estimated_duration_counts_work_sides_rest_and_changeovers():
    # 3 × (30 s each side + 60 s rest) + 60 s changeover = 420 s = 7 min
    plank = spec(category="core", block="core", sets=3, hold_seconds=30, per_side=True)
    plank = PrescriptionSpec(**{**plank.__dict__, "rest_seconds": 60})
    assert estimated_minutes([plank]) == 7
