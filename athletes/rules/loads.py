"""Loads to lift: the target load of a %1RM or an RPE prescription, and the plates to put on.

No ORM and no request. Every load here is in the athlete's unit (kg or lb) and is a suggestion,
so it is rounded to the nearest plate step (`strength.round_to_plates`); what was lifted reads
as it was entered, elsewhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from athletes.rules.strength import (
    KG,
    LB,
    SetDone,
    estimated_1rm,
    number_in_words,
    round_to_plates,
)
from programs.rules import PrescriptionSpec

BAR = {KG: Decimal("20"), LB: Decimal("45")}
# The plates of a commercial gym, heaviest first; the smallest pair makes the plate step
# (2 × 1.25 kg = 2.5 kg, 2 × 2.5 lb = 5 lb), so every rounded load breaks down exactly.
PLATES = {
    KG: tuple(Decimal(p) for p in ("25", "20", "15", "10", "5", "2.5", "1.25")),
    LB: tuple(Decimal(p) for p in ("45", "35", "25", "10", "5", "2.5")),
}
# A current max comes from the sets of the last twelve weeks: older ones say little of today.
RECENT_WEEKS = 12
# Epley's estimate drifts past about ten reps: longer sets are no evidence of a max.
MOST_REPS_FOR_AN_ESTIMATE = 10

# Reactive Training Systems' RPE chart (Mike Tuchscherer): the % of 1RM a set of `reps` at an RPE
# takes. Each half point of RPE below 10 is half a rep in reserve, so the whole chart is one
# column read by half-reps from failure: RPE 10 × 1 is 100 %, RPE 9 × 1 = RPE 10 × 2 = 95.5 %,
# RPE 8 × 5 = 81.1 %. It covers 1–12 reps at RPE 6.5–10.
_PERCENT_BY_HALF_REPS_FROM_FAILURE = tuple(
    Decimal(p)
    for p in (
        "100",
        "97.8",
        "95.5",
        "93.9",
        "92.2",
        "90.7",
        "89.2",
        "87.8",
        "86.3",
        "85.0",
        "83.7",
        "82.4",
        "81.1",
        "79.9",
        "78.6",
        "77.4",
        "76.2",
        "75.1",
        "73.9",
        "72.3",
        "70.7",
        "69.4",
        "68.0",
        "66.7",
        "65.3",
        "64.0",
        "62.6",
        "61.3",
        "59.9",
        "58.6",
    )  # fmt: skip
)
RPE_CHART_REPS = (1, 12)
RPE_CHART_RPE = (Decimal("6.5"), Decimal("10"))


def rpe_percent(reps: int, rpe: Decimal) -> Decimal | None:
    """The % of 1RM that `reps` at `rpe` takes (the RPE chart above), None off the chart or
    for an RPE that is not a whole or half point."""
    rpe = Decimal(rpe)
    if not RPE_CHART_REPS[0] <= reps <= RPE_CHART_REPS[1]:
        return None
    if not RPE_CHART_RPE[0] <= rpe <= RPE_CHART_RPE[1] or (rpe * 2) % 1:
        return None
    half_reps = 2 * (reps - 1) + int((10 - rpe) * 2)
    return _PERCENT_BY_HALF_REPS_FROM_FAILURE[half_reps]


def percent_of(load: Decimal, percent: Decimal, unit: str) -> Decimal:
    """`percent` % of `load`, on plates."""
    return round_to_plates(Decimal(load) * Decimal(percent) / 100, unit)


TESTED, ESTIMATED = "tested", "estimated"


@dataclass(frozen=True)
class CurrentMax:
    """The 1RM a load is worked out from, in the athlete's unit, and where it comes from."""

    value: Decimal
    source: str  # TESTED | ESTIMATED

    def __str__(self) -> str:
        whole = self.value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return f"{'tested' if self.source == TESTED else 'est.'} {whole}"


def current_max(
    tested: Decimal | None, recent_sets: Iterable[SetDone], unit: str
) -> CurrentMax | None:
    """A tested 1RM (entered by the coach or the athlete, in `unit`) when there is one: it was
    lifted, not guessed. Else the best Epley estimate among the recent sets of 1 to 10 reps."""
    if tested:
        return CurrentMax(Decimal(tested), TESTED)
    estimates = [
        estimated_1rm(s.load.in_unit(unit), s.reps)
        for s in recent_sets
        if s.load and s.reps and s.reps <= MOST_REPS_FOR_AN_ESTIMATE
    ]
    best = max((e for e in estimates if e), default=None)
    return CurrentMax(best, ESTIMATED) if best else None


@dataclass(frozen=True)
class RpeSuggestion:
    load: Decimal  # on plates, in the athlete's unit
    basis: SetDone  # the set it comes from


def rpe_load(
    last_time: Iterable[SetDone], reps: int, rpe: Decimal, unit: str
) -> RpeSuggestion | None:
    """The load for `reps` at `rpe`, from last time's heaviest set that has a load and an RPE on
    the chart: its load ÷ its chart % is the max it showed, × the chart % asked for now. None
    when last time gave no such set."""
    wanted = rpe_percent(reps, rpe)
    if wanted is None:
        return None
    usable = [
        (s.load.in_unit(unit), percent, s)
        for s in last_time
        if s.load and s.load.amount and s.reps and s.rpe is not None
        and (percent := rpe_percent(s.reps, s.rpe)) is not None
    ]  # fmt: skip
    if not usable:
        return None
    load, percent, basis = max(usable, key=lambda candidate: candidate[0] / candidate[1])
    return RpeSuggestion(round_to_plates(load / percent * wanted, unit), basis)


@dataclass(frozen=True)
class PlatesPerSide:
    bar: Decimal
    plates: tuple[Decimal, ...]  # on each side, heaviest first
    left_over: Decimal  # per side, what the plates cannot make (0 for a load on plates)


def plates_per_side(load: Decimal, unit: str) -> PlatesPerSide | None:
    """The plates on each side of the bar (20 kg or 45 lb) for `load`, heaviest first; None
    for a load lighter than the bar."""
    bar = BAR[unit]
    load = Decimal(load)
    if load < bar:
        return None
    side = (load - bar) / 2
    plates = []
    for plate in PLATES[unit]:
        while side >= plate:
            plates.append(plate)
            side -= plate
    return PlatesPerSide(bar, tuple(plates), side)


def plates_in_words(plates: PlatesPerSide, unit: str) -> str:
    """ "20 + 1.25 kg each side of a 20 kg bar", "Just the 45 lb bar"."""
    bar = f"{number_in_words(plates.bar)} {unit}"
    if not plates.plates:
        return f"Just the {bar} bar"
    each = " + ".join(number_in_words(p) for p in plates.plates)
    return f"{each} {unit} each side of a {bar} bar"


def uses_a_barbell(equipment: str) -> bool:
    """Loaded on a barbell, by its equipment ("Barbell, rack", "Barbell or dumbbells")."""
    return "barbell" in equipment.lower()


@dataclass(frozen=True)
class LoadGuide:
    """What a card says about the load to lift for one prescription."""

    words: str  # "≈ 55 kg — 75 % of est. 73 kg", or how to get a suggestion
    load: Decimal | None = None
    plates: str = ""  # the plate calculator's line, for barbell lifts

    @property
    def needs_a_max(self) -> bool:
        return self.load is None


NO_MAX_YET = "No max yet: log a set to get an estimate, or enter a tested max."
NO_RPE_YET = "Log a set with its RPE: next time suggests a load from it."


def load_guide(
    spec: PrescriptionSpec,
    *,
    unit: str,
    tested: Decimal | None = None,
    recent_sets: Iterable[SetDone] = (),
    last_time: Iterable[SetDone] = (),
    barbell: bool = False,
) -> LoadGuide | None:
    """The load to lift for a %1RM prescription (from the athlete's current max) or an RPE one
    (from last time's sets), in `unit`, with the plates for a barbell; None for a prescription
    given in words or none."""
    reps = spec.reps_max or spec.reps_min
    if spec.load_kind == "percent_1rm" and spec.load_percent_1rm is not None:
        best = current_max(tested, recent_sets, unit)
        if best is None:
            return LoadGuide(NO_MAX_YET)
        load = percent_of(best.value, spec.load_percent_1rm, unit)
        percent = number_in_words(spec.load_percent_1rm)
        words = f"≈ {number_in_words(load)} {unit} — {percent} % of {best} {unit}"
    elif spec.load_kind == "rpe" and spec.load_rpe is not None and reps:
        suggestion = rpe_load(last_time, reps, spec.load_rpe, unit)
        if suggestion is None:
            return LoadGuide(NO_RPE_YET)
        load = suggestion.load
        basis = suggestion.basis
        words = (
            f"≈ {number_in_words(load)} {unit} for {reps} @ RPE {number_in_words(spec.load_rpe)}"
            f" — last time {basis.reps} × {basis.load} @ RPE {number_in_words(basis.rpe)}"
        )
    else:
        return None
    plates = plates_per_side(load, unit) if barbell else None
    return LoadGuide(words, load, plates_in_words(plates, unit) if plates else "")
