"""Loads to lift, against numbers worked out by hand."""

from decimal import Decimal

import pytest

from athletes.rules.loads import (
    NO_MAX_YET,
    NO_RPE_YET,
    current_max,
    load_guide,
    percent_of,
    plates_in_words,
    plates_per_side,
    rpe_load,
    rpe_percent,
    uses_a_barbell,
)
from athletes.rules.strength import Load, SetDone
from programs.rules import PrescriptionSpec

D = Decimal


def lifted(amount, unit, reps, rpe=None):
    return SetDone(set_number=1, reps=reps, load=Load(D(amount), unit), rpe=rpe and D(rpe))


def percent_squat(percent="75", reps=(4, 6)):
    return PrescriptionSpec(
        exercise_id=1,
        category="strength",
        sets=4,
        reps_min=reps[0],
        reps_max=reps[1],
        load_kind="percent_1rm",
        load_percent_1rm=D(percent),
    )


def rpe_squat(rpe="8", reps=5):
    return PrescriptionSpec(
        exercise_id=1, category="strength", sets=3, reps_min=reps, load_kind="rpe", load_rpe=D(rpe)
    )


@pytest.mark.parametrize(
    ("load", "unit", "per_side", "words"),
    [
        ("62.5", "kg", ("20", "1.25"), "20 + 1.25 kg each side of a 20 kg bar"),
        ("135", "lb", ("45",), "45 lb each side of a 45 lb bar"),
        ("100", "kg", ("25", "15"), "25 + 15 kg each side of a 20 kg bar"),
        ("225", "lb", ("45", "45"), "45 + 45 lb each side of a 45 lb bar"),
        ("52.5", "kg", ("15", "1.25"), "15 + 1.25 kg each side of a 20 kg bar"),
        ("95", "lb", ("25",), "25 lb each side of a 45 lb bar"),
        ("20", "kg", (), "Just the 20 kg bar"),
    ],
)
def test_plates_per_side_of_the_bar(load, unit, per_side, words):
    plates = plates_per_side(D(load), unit)
    assert plates.plates == tuple(D(p) for p in per_side)
    assert plates.left_over == 0
    assert plates_in_words(plates, unit) == words


def test_a_load_lighter_than_the_bar_has_no_plates():
    assert plates_per_side(D("15"), "kg") is None
    assert plates_per_side(D("40"), "lb") is None


def test_a_load_between_plates_says_what_is_left_over():
    # 61 kg: 20.5 kg a side, a 20 and half a kilogram no plate makes.
    plates = plates_per_side(D("61"), "kg")
    assert (plates.plates, plates.left_over) == ((D("20"),), D("0.5"))


@pytest.mark.parametrize(
    ("load", "percent", "unit", "target"),
    [
        ("73", "75", "kg", "55"),  # 54.75 -> the nearest 2.5 kg
        ("70", "75", "kg", "52.5"),
        ("160", "75", "lb", "120"),
        ("165", "75", "lb", "125"),  # 123.75 -> the nearest 5 lb
        ("100", "82.5", "kg", "82.5"),
    ],
)
def test_a_percentage_of_a_max_lands_on_plates(load, percent, unit, target):
    assert percent_of(D(load), D(percent), unit) == D(target)


def test_the_current_max_is_a_tested_one_before_any_estimate():
    best = current_max(D("80"), [lifted("80", "kg", 5)], "kg")
    assert (best.value, best.source, str(best)) == (D("80"), "tested", "tested 80")


def test_the_current_max_is_the_best_epley_estimate_of_sets_of_up_to_ten_reps():
    sets = [lifted("60", "kg", 5), lifted("50", "kg", 8), lifted("45", "kg", 15)]
    best = current_max(None, sets, "kg")
    # 60 × (1 + 5/30) = 70; 50 × (1 + 8/30) = 63.3; 45 × 15 reps is no evidence of a max.
    assert (best.value, best.source, str(best)) == (D("70.0"), "estimated", "est. 70")
    assert current_max(None, [lifted("45", "kg", 15)], "kg") is None
    assert current_max(None, [], "kg") is None


def test_a_percent_squat_after_logged_sets_shows_the_load_and_its_max():
    guide = load_guide(percent_squat(), unit="kg", recent_sets=[lifted("62.5", "kg", 5)])
    # 62.5 × (1 + 5/30) = 72.9 (est. 73); 75 % = 54.69 -> 55 kg.
    assert guide.words == "≈ 55 kg — 75 % of est. 73 kg"
    assert guide.load == D("55")
    assert guide.plates == ""


def test_a_percent_squat_in_pounds_from_sets_entered_in_kilograms():
    guide = load_guide(
        percent_squat(), unit="lb", recent_sets=[lifted("60", "kg", 5)], barbell=True
    )
    # 60 kg = 132.28 lb; × (1 + 5/30) = 154.3 lb; 75 % = 115.7 -> 115 lb; 35 lb a side.
    assert guide.words == "≈ 115 lb — 75 % of est. 154 lb"
    assert guide.plates == "35 lb each side of a 45 lb bar"


def test_a_percent_squat_in_kilograms_from_sets_entered_in_pounds():
    guide = load_guide(percent_squat(), unit="kg", recent_sets=[lifted("135", "lb", 5)])
    # 135 lb = 61.235 kg; × (1 + 5/30) = 71.4 kg; 75 % = 53.6 -> 52.5 kg.
    assert guide.words == "≈ 52.5 kg — 75 % of est. 71 kg"


def test_a_tested_max_gives_the_load_with_the_plates_for_a_barbell():
    guide = load_guide(
        percent_squat("75"), unit="lb", tested=D("180"), recent_sets=[], barbell=True
    )
    assert guide.words == "≈ 135 lb — 75 % of tested 180 lb"
    assert guide.plates == "45 lb each side of a 45 lb bar"


def test_a_percent_prescription_with_no_history_says_how_to_get_a_max():
    guide = load_guide(percent_squat(), unit="kg")
    assert guide.words == NO_MAX_YET
    assert guide.needs_a_max


@pytest.mark.parametrize(
    ("reps", "rpe", "percent"),
    [
        (1, "10", "100"),
        (1, "9", "95.5"),
        (2, "10", "95.5"),  # a rep in reserve is a rep more
        (3, "9.5", "90.7"),
        (5, "8", "81.1"),
        (8, "7", "70.7"),
        (12, "6.5", "58.6"),
        (10, "10", "73.9"),
    ],
)
def test_the_rpe_chart(reps, rpe, percent):
    assert rpe_percent(reps, D(rpe)) == D(percent)


@pytest.mark.parametrize(("reps", "rpe"), [(13, "8"), (0, "8"), (5, "6"), (5, "7.3"), (5, "10.5")])
def test_the_rpe_chart_has_no_percentage_off_the_chart(reps, rpe):
    assert rpe_percent(reps, D(rpe)) is None


def test_an_rpe_load_from_last_time_at_the_same_reps_and_rpe_is_that_load():
    assert rpe_load([lifted("100", "kg", 5, "8")], 5, D("8"), "kg").load == D("100")


def test_an_rpe_load_for_fewer_reps_is_heavier():
    # 100 kg × 5 @ 8 is 81.1 %: a max of 123.3 kg; 3 @ 8 is 86.3 %: 106.4 -> 107.5 kg.
    suggestion = rpe_load([lifted("100", "kg", 5, "8")], 3, D("8"), "kg")
    assert suggestion.load == D("107.5")


def test_an_rpe_load_in_pounds_takes_the_set_that_showed_the_most():
    sets = [lifted("135", "lb", 5, "7"), lifted("115", "lb", 5, "9")]
    # 135 / 78.6 % = 171.8 lb (115 / 83.7 % = 137.4); 8 @ 8 is 73.9 %: 126.9 -> 125 lb.
    assert rpe_load(sets, 8, D("8"), "lb") == rpe_load(sets[:1], 8, D("8"), "lb")
    assert rpe_load(sets, 8, D("8"), "lb").load == D("125")


def test_an_rpe_guide_names_the_set_it_comes_from():
    guide = load_guide(
        rpe_squat("8", 5), unit="kg", last_time=[lifted("60", "kg", 5, "7")], barbell=True
    )
    # 60 / 78.6 % (5 @ 7) × 81.1 % (5 @ 8) = 61.9 -> 62.5 kg.
    assert guide.words == "≈ 62.5 kg for 5 @ RPE 8 — last time 5 × 60 kg @ RPE 7"
    assert guide.plates == "20 + 1.25 kg each side of a 20 kg bar"


def test_an_rpe_prescription_without_a_logged_rpe_says_to_log_one():
    assert load_guide(rpe_squat(), unit="kg", last_time=[lifted("60", "kg", 5)]).words == NO_RPE_YET
    assert load_guide(rpe_squat(), unit="kg").words == NO_RPE_YET


def test_a_load_in_words_has_no_guide():
    words = PrescriptionSpec(
        exercise_id=1, category="strength", load_kind="words", load_text="heavy"
    )
    assert load_guide(words, unit="kg") is None


def test_barbell_lifts_by_their_equipment():
    assert uses_a_barbell("Barbell, rack")
    assert uses_a_barbell("Barbell or dumbbells")
    assert not uses_a_barbell("Dumbbell or kettlebell")
    assert not uses_a_barbell("")
