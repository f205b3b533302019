from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from athletes.rules.strength import (
    MAX_SET_NUMBER,
    Load,
    SetDone,
    SetPosition,
    best_estimated_1rm,
    estimate_in_words,
    estimated_1rm,
    kg_to_lb,
    lb_to_kg,
    load_for_entry,
    load_in_unit,
    next_set_position,
    pounds_entered,
    round_to_plates,
    set_in_words,
    set_order,
    set_problems,
    sets_in_words,
)
from programs.rules import PrescriptionSpec, prescription_in_words


def spec(**fields):
    return PrescriptionSpec(exercise_id=1, category="strength", **fields)


def kg(amount):
    return Load(Decimal(amount), "kg")


def test_epley_estimate_of_five_at_sixty_kg_is_seventy():
    assert estimated_1rm(Decimal("60"), 5) == Decimal("70.0")


def test_epley_estimate_rounds_to_a_tenth_of_a_kilo():
    assert estimated_1rm(Decimal("62.5"), 4) == Decimal("70.8")


@pytest.mark.parametrize(("load", "reps"), [(None, 5), (Decimal("0"), 5), (Decimal("40"), None)])
def test_holds_and_bodyweight_sets_have_no_estimate(load, reps):
    assert estimated_1rm(load, reps) is None


def test_best_estimate_is_the_highest_set_and_ignores_holds():
    sets = [
        SetDone(1, reps=5, load=kg("60")),
        SetDone(2, reps=3, load=kg("67.5")),
        SetDone(3, hold_seconds=30),
    ]
    assert best_estimated_1rm(sets, "kg") == Decimal("74.3")
    assert best_estimated_1rm([SetDone(1, hold_seconds=30)], "kg") is None


def test_an_estimate_in_the_athletes_unit_is_from_the_load_as_entered():
    # 135 lb × 5: 135 × (1 + 5/30) = 157.5 lb, not 157.4 from the 61.23 kg kept for it.
    assert best_estimated_1rm([SetDone(1, reps=5, load=Load(Decimal(135), "lb"))], "lb") == (
        Decimal("157.5")
    )
    assert best_estimated_1rm([SetDone(1, reps=5, load=kg("60"))], "lb") == Decimal("154.3")


def test_plates_round_to_two_and_a_half_kilos_and_five_pounds():
    assert round_to_plates(Decimal("61.2"), "kg") == Decimal("60.0")
    assert round_to_plates(Decimal("61.25"), "kg") == Decimal("62.5")
    assert round_to_plates(Decimal("137"), "lb") == Decimal("135")
    assert round_to_plates(Decimal("137.5"), "lb") == Decimal("140")


def test_a_load_suggested_in_pounds_is_on_plates():
    assert load_in_unit(Decimal("60"), "lb") == Decimal("130")
    assert load_in_unit(lb_to_kg(Decimal("135")), "lb") == Decimal("135")
    assert load_in_unit(None, "kg") is None


ENTRIES = [("12", "kg"), ("61", "kg"), ("61.25", "kg"), ("27.5", "lb"), ("135", "lb"),
           ("0.5", "lb"), ("12.34", "lb")]  # fmt: skip


@pytest.mark.parametrize(("amount", "unit"), ENTRIES)
def test_a_logged_set_reads_back_exactly_as_entered_never_on_plates(amount, unit):
    load = Load(Decimal(amount), unit)
    assert set_in_words(SetDone(1, reps=12, load=load)) == f"12 × {amount} {unit}"
    assert sets_in_words([SetDone(n, reps=5, load=load) for n in (1, 2)]) == (
        f"2 × 5 @ {amount} {unit}"
    )
    assert load_for_entry(load, unit) == Decimal(amount)


def test_after_switching_units_a_set_still_reads_as_entered_and_a_form_converts_it():
    pounds, kilos = Load(Decimal(135), "lb"), kg("12")
    assert set_in_words(SetDone(1, reps=5, load=pounds)) == "5 × 135 lb"
    assert load_for_entry(pounds, "kg") == Decimal("61.23")  # what the database kept
    assert load_for_entry(kilos, "lb") == Decimal("26.5")  # 26.455 lb, to a tenth, not 25
    assert load_for_entry(None, "lb") is None


def test_a_bodyweight_set_entered_as_no_load_reads_as_reps():
    assert set_in_words(SetDone(1, reps=8, load=kg("0"))) == "8 reps"
    assert sets_in_words([SetDone(1, reps=8, load=kg("0"))]) == "1 × 8"


@given(st.integers(min_value=0, max_value=11023))
def test_pounds_kept_only_in_kilograms_are_found_again_to_the_tenth(tenths):
    entered = Decimal(tenths) / 10
    assert pounds_entered(lb_to_kg(entered)) == entered


@given(st.integers(min_value=0, max_value=50000))
def test_pounds_found_again_always_give_back_the_kilograms_kept(hundredths_of_a_kilo):
    kept = Decimal(hundredths_of_a_kilo) / 100
    assert lb_to_kg(pounds_entered(kept)) == kept


@given(st.integers(min_value=0, max_value=1100))
def test_pounds_survive_the_trip_through_stored_kilograms(pounds):
    on_plates = Decimal(pounds - pounds % 5)
    assert round_to_plates(kg_to_lb(lb_to_kg(on_plates)), "lb") == on_plates


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"sets": 4, "reps_min": 4, "reps_max": 6, "load_kind": "words",
          "load_text": "moderate-heavy"}, "4 × 4–6 @ moderate-heavy"),
        ({"sets": 3, "hold_seconds": 30, "per_side": True}, "3 × 30 s each side"),
        ({"sets": 3, "reps_min": 8, "is_unilateral": True, "load_kind": "rpe",
          "load_rpe": Decimal("7.0")}, "3 × 8 each side @ RPE 7"),
        ({"sets": 5, "reps_min": 3, "reps_max": 5, "load_kind": "percent_1rm",
          "load_percent_1rm": Decimal("75.0")}, "5 × 3–5 @ 75% 1RM"),
    ],
)  # fmt: skip
def test_prescription_reads_as_a_coach_writes_it(fields, words):
    assert prescription_in_words(spec(**fields)) == words


def test_last_time_in_one_line_when_every_set_matches():
    sets = [SetDone(n, reps=5, load=kg("60")) for n in range(1, 5)]
    assert sets_in_words(sets) == "4 × 5 @ 60 kg"


def test_last_time_lists_reps_that_differ_and_loads_that_differ():
    same_load = [SetDone(n, reps=r, load=kg("60")) for n, r in [(1, 5), (2, 5), (3, 4)]]
    assert sets_in_words(same_load) == "5, 5, 4 @ 60 kg"
    ramp = [SetDone(1, reps=5, load=kg("60")), SetDone(2, reps=4, load=kg("62.5"))]
    assert sets_in_words(ramp) == "5 × 60 kg, 4 × 62.5 kg"


def test_last_time_of_a_per_side_hold_counts_sets_not_sides():
    sets = [SetDone(n, side=side, hold_seconds=30) for n in (1, 2, 3) for side in ("left", "right")]
    assert sets_in_words(sets) == "3 × 30 s each side"
    assert sets_in_words([]) == ""


def test_per_side_sets_go_left_then_right_then_the_next_set():
    side_plank = spec(sets=3, hold_seconds=30, per_side=True)
    assert next_set_position(side_plank, []) == SetPosition(1, "left")
    assert next_set_position(side_plank, [SetPosition(1, "left")]) == SetPosition(1, "right")
    done = [SetPosition(1, "left"), SetPosition(1, "right")]
    assert next_set_position(side_plank, done) == SetPosition(2, "left")


def test_a_skipped_set_is_offered_first_and_extra_sets_follow_the_last():
    squat = spec(sets=2, reps_min=5)
    assert next_set_position(squat, [SetPosition(2, "")]) == SetPosition(1, "")
    assert next_set_position(squat, [SetPosition(1, ""), SetPosition(2, "")]) == SetPosition(3, "")


def test_the_order_goes_through_each_side_of_a_set_and_one_past_the_most_a_session_holds():
    side_plank = spec(sets=3, hold_seconds=30, per_side=True)
    order = set_order(side_plank)
    assert order[:3] == (SetPosition(1, "left"), SetPosition(1, "right"), SetPosition(2, "left"))
    assert order[-1] == SetPosition(MAX_SET_NUMBER + 1, "right")
    squat = spec(sets=2, reps_min=5)
    assert set_order(squat, through=2) == (SetPosition(1, ""), SetPosition(2, ""))


def test_an_estimated_max_is_shown_to_the_whole_unit_not_on_plates():
    assert estimate_in_words(Decimal("77.0"), "kg") == "77 kg"
    assert estimate_in_words(Decimal("169.8"), "lb") == "170 lb"
    assert estimate_in_words(None, "kg") == ""


def test_believable_sets_have_no_problems_and_absurd_ones_say_which_field():
    assert set_problems(reps=5, load_kg=Decimal("60"), hold_seconds=None, rpe=Decimal("8")) == {}
    problems = set_problems(reps=101, load_kg=Decimal("501"), hold_seconds=601, rpe=Decimal("0"))
    assert set(problems) == {"reps", "load_kg", "hold_seconds", "rpe"}
    assert set_problems(reps=None, load_kg=None, hold_seconds=None, rpe=None) == {
        "reps": "Enter the reps (or the hold time)."
    }
