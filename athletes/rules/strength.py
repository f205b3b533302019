"""Pure strength arithmetic: estimated 1RM, units and plates, prescriptions and sets in words.

No ORM and no request. A logged load is what the athlete entered, in the unit they entered it
in (`Load`), and reads back exactly so (12 kg, 27.5 lb), whatever unit they use later; its
kilograms (the one stored unit, for sums) come from it. Rounding to the plates people actually
load is for suggesting a load, never for showing one that was lifted.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from programs.rules import PrescriptionSpec, logs_each_side, number_in_words

KG, LB = "kg", "lb"
KG_PER_LB = Decimal("0.45359237")  # exact, by definition of the international pound
PLATE_STEP = {KG: Decimal("2.5"), LB: Decimal("5")}
# A load entered in the other unit, converted for a form field: to what the database keeps in
# kilograms, and to a tenth of a pound (which finds any pound load the database kept again).
ENTRY_STEP = {KG: Decimal("0.01"), LB: Decimal("0.1")}
SIDES_EACH = ("left", "right")
BOTH_SIDES = ("",)


# The limits of a believable set; the database's check constraints hold the same ones.
MAX_REPS = 100
MAX_LOAD_KG = Decimal("500")
MAX_HOLD_SECONDS = 600
MAX_SET_NUMBER = 30
RPE_RANGE = (Decimal("1"), Decimal("10"))


def set_problems(
    *,
    reps: int | None,
    load_kg: Decimal | None,
    hold_seconds: int | None,
    rpe: Decimal | None,
) -> dict[str, str]:
    """What is wrong with a set's numbers, by field, in words a lifter reads ({} when fine)."""
    problems = {}
    if reps is None and hold_seconds is None:
        problems["reps"] = "Enter the reps (or the hold time)."
    elif reps is not None and not 0 <= reps <= MAX_REPS:
        problems["reps"] = f"Reps are from 0 to {MAX_REPS}."
    if load_kg is not None and not 0 <= load_kg <= MAX_LOAD_KG:
        problems["load_kg"] = f"Loads are from 0 to {MAX_LOAD_KG} kg."
    if hold_seconds is not None and not 1 <= hold_seconds <= MAX_HOLD_SECONDS:
        problems["hold_seconds"] = "Holds are logged from 1 second to 10 minutes."
    if rpe is not None and not RPE_RANGE[0] <= rpe <= RPE_RANGE[1]:
        problems["rpe"] = "RPE is from 1 (very easy) to 10 (nothing left)."
    return problems


def estimated_1rm(load: Decimal | None, reps: int | None) -> Decimal | None:
    """Epley's estimate of a one-rep max: load × (1 + reps / 30), to 0.1 (of the load's unit).

    Chosen because it is the formula coaches know and it needs only one set. It is least
    trustworthy past about 10 reps, so progress pages should prefer low-rep sets. No load or
    no reps (a hold, a bodyweight set) gives no estimate.
    """
    if not load or not reps:
        return None
    value = Decimal(load) * (1 + Decimal(reps) / 30)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def kg_to_lb(kg: Decimal) -> Decimal:
    return Decimal(kg) / KG_PER_LB


def lb_to_kg(lb: Decimal) -> Decimal:
    """Pounds to the stored kilograms, to the 0.01 kg the database keeps."""
    return (Decimal(lb) * KG_PER_LB).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def to_kg(load: Decimal, unit: str) -> Decimal:
    return lb_to_kg(load) if unit == LB else Decimal(load)


def pounds_entered(load_kg: Decimal) -> Decimal:
    """The pounds that were entered for a load kept only in kilograms (sets logged before the
    entry itself was kept): the load to a tenth of a pound when that gives the same kilograms
    back, which finds every entry in whole pounds or tenths (keeping 0.01 kg moves a load by
    at most 0.011 lb); else to a hundredth, which always gives them back."""
    for step in (ENTRY_STEP[LB], Decimal("0.01")):
        pounds = kg_to_lb(load_kg).quantize(step, rounding=ROUND_HALF_UP)
        if lb_to_kg(pounds) == Decimal(load_kg):
            return pounds
    raise AssertionError("unreachable: a hundredth of a pound is finer than the stored 0.01 kg")


@dataclass(frozen=True)
class Load:
    """A load as the athlete entered it: the number, and the unit they entered it in."""

    amount: Decimal
    unit: str

    @property
    def kg(self) -> Decimal:
        """In the one stored unit, to the 0.01 kg the database keeps."""
        return to_kg(self.amount, self.unit)

    def in_unit(self, unit: str) -> Decimal:
        """In `unit`: the number entered when it was entered in `unit`, else converted exactly
        (unrounded, for sums and estimates)."""
        if unit == self.unit:
            return Decimal(self.amount)
        return Decimal(self.amount) * KG_PER_LB if unit == KG else kg_to_lb(self.amount)

    def __str__(self) -> str:
        return f"{number_in_words(self.amount)} {self.unit}"


def round_to_plates(load: Decimal, unit: str) -> Decimal:
    """The nearest load that can be put on a bar: 2.5 kg steps, or 5 lb steps (halves go up)."""
    step = PLATE_STEP[unit]
    steps = (Decimal(load) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return steps * step


def load_in_unit(load_kg: Decimal | None, unit: str) -> Decimal | None:
    """A load in kilograms as a suggestion in the athlete's unit, rounded to plates (the form's
    highest load, say). Never for a load that was lifted: that reads as entered (`Load`)."""
    if load_kg is None:
        return None
    load = kg_to_lb(load_kg) if unit == LB else Decimal(load_kg)
    return round_to_plates(load, unit)


def load_for_entry(load: Load | None, unit: str) -> Decimal | None:
    """A logged load as a form field in `unit` holds it: the number entered when it was entered
    in `unit`, else converted (to 0.01 kg or 0.1 lb), never on plates, so saving an edit or
    repeating last time's set keeps the load that was lifted."""
    if load is None:
        return None
    if load.unit == unit:
        return Decimal(load.amount)
    return load.in_unit(unit).quantize(ENTRY_STEP[unit], rounding=ROUND_HALF_UP)


def estimate_in_words(estimate: Decimal | None, unit: str) -> str:
    """An estimated max (in `unit`) to the whole kg or lb: it is a guide, not a load to put on
    the bar."""
    if estimate is None:
        return ""
    return f"{estimate.quantize(Decimal(1), rounding=ROUND_HALF_UP)} {unit}"


def sides_for(spec: PrescriptionSpec) -> tuple[str, ...]:
    return SIDES_EACH if logs_each_side(spec) else BOTH_SIDES


@dataclass(frozen=True)
class SetDone:
    """What one logged set did, detached from the database."""

    set_number: int
    side: str = ""
    reps: int | None = None
    load: Load | None = None
    hold_seconds: int | None = None
    rpe: Decimal | None = None


def set_estimated_1rm(s: SetDone, unit: str) -> Decimal | None:
    """A set's estimated 1RM in `unit`, from its load as entered."""
    return estimated_1rm(s.load and s.load.in_unit(unit), s.reps)


def best_estimated_1rm(sets: Iterable[SetDone], unit: str) -> Decimal | None:
    estimates = [e for s in sets if (e := set_estimated_1rm(s, unit)) is not None]
    return max(estimates, default=None)


def _load_words(s: SetDone) -> str:
    """The load as entered ("12 kg", "27.5 lb"); nothing for no load or none (bodyweight)."""
    return str(s.load) if s.load and s.load.amount else ""


def set_in_words(s: SetDone) -> str:
    """One set: "5 × 60 kg", "8 reps", "30 s", "30 s @ 10 kg" (side and RPE are shown beside it),
    its load as it was entered."""
    work = f"{s.hold_seconds} s" if s.hold_seconds else f"{s.reps} reps"
    load = _load_words(s)
    if not load:
        return work
    if s.hold_seconds:
        return f"{work} @ {load}"
    return f"{s.reps} × {load}"


def sets_in_words(sets: list[SetDone]) -> str:
    """A session's sets of one exercise in one line: "4 × 5 @ 60 kg", "3 × 30 s each side".

    Sets that differ are listed: "5, 5, 4 @ 60 kg" when only the reps differ, otherwise
    "5 × 60 kg, 4 × 62.5 kg". Loads read as they were entered.
    """
    if not sets:
        return ""
    each_side = any(s.side for s in sets)
    # One entry per set number: the sides of a set are one set of a per-side exercise.
    by_number = {}
    for s in sorted(sets, key=lambda s: (s.set_number, s.side)):
        by_number.setdefault(s.set_number, s)
    firsts = list(by_number.values())
    suffix = " each side" if each_side else ""
    loads = {_load_words(s) for s in firsts}
    works = [f"{s.hold_seconds} s" if s.hold_seconds else str(s.reps) for s in firsts]
    if len(loads) == 1:
        load = loads.pop()
        at_load = f" @ {load}" if load else ""
        if len(set(works)) == 1:
            return f"{len(firsts)} × {works[0]}{suffix}{at_load}"
        return f"{', '.join(works)}{suffix}{at_load}"
    return ", ".join(set_in_words(s) for s in firsts) + suffix


@dataclass(frozen=True)
class SetPosition:
    set_number: int
    side: str


def set_order(spec: PrescriptionSpec, through: int = MAX_SET_NUMBER + 1) -> tuple[SetPosition, ...]:
    """Every set up to set `through` in doing order: set 1 on each side, then set 2, and so on.

    By default one past the most a session holds, as far as next_set_position reaches: the
    logging page's script offers the first of these not logged yet, and the server refuses a
    set past the most with its message."""
    return tuple(
        SetPosition(number, side) for number in range(1, through + 1) for side in sides_for(spec)
    )


def next_set_position(spec: PrescriptionSpec, logged: Iterable[SetPosition]) -> SetPosition:
    """The first set not logged yet, in doing order; past the prescription, an extra set."""
    done = set(logged)
    highest = max((p.set_number for p in done), default=0)
    # The order runs one past the highest logged set, so a set not logged yet is always in it.
    return next(p for p in set_order(spec, through=max(spec.sets, highest) + 1) if p not in done)


def prescribed_sets_done(spec: PrescriptionSpec, logged: Iterable[SetPosition]) -> tuple[int, int]:
    """(the prescribed sets logged, the prescribed sets): each side of a per-side set counts,
    an extra set past the prescription does not."""
    prescribed = set(set_order(spec, through=spec.sets))
    return len(prescribed & set(logged)), len(prescribed)


def session_progress_in_words(
    sets_done: int, sets: int, exercises_done: int, exercises: int
) -> str:
    """ "7 of 22 sets · 3 of 7 exercises"."""
    return f"{sets_done} of {sets} sets · {exercises_done} of {exercises} exercises"
