"""Pure rules of what is lifted: intensity class, estimated duration and week-by-week progression.

No ORM and no request here: every function takes and returns plain values, so each rule can be
tested with a handful of literals.
"""

import math
from dataclasses import dataclass, replace
from decimal import Decimal

HEAVY, MODERATE, LIGHT = "heavy", "moderate", "light"
INTENSITY_ORDER = (LIGHT, MODERATE, HEAVY)

SECONDS_PER_REP = 4
SECONDS_BETWEEN_EXERCISES = 60
HEAVY_WORDS = ("heavy", "max", "hard")
# Low-rep strength work (at most LOW_REPS at the top of the range) is heavy at a moderate load.
LOW_REPS = 6
LOW_REP_HEAVY_PERCENT = 70
LIGHT_WORDS = ("light", "easy", "bodyweight")


@dataclass(frozen=True)
class PrescriptionSpec:
    """The numbers of one prescription, detached from the database."""

    exercise_id: int
    category: str  # strength | power | core | mobility
    block: str = "main"  # warmup | main | core
    sets: int = 3
    reps_min: int | None = None
    reps_max: int | None = None
    hold_seconds: int | None = None
    per_side: bool = False
    load_kind: str = "none"  # none | percent_1rm | rpe | words
    load_percent_1rm: Decimal | None = None
    load_rpe: Decimal | None = None
    load_text: str = ""
    rest_seconds: int = 90
    is_unilateral: bool = False

    @property
    def top_reps(self):
        return self.reps_max or self.reps_min


def prescription_load_level(p: PrescriptionSpec) -> str:
    """How hard one prescription is.

    - %1RM: 80 and above heavy, 65 and above moderate, below that light.
    - RPE: 8 and above heavy, 6.5 and above moderate, below that light.
    - Words: "heavy", "max" or "hard" in the text is heavy; "light", "easy", "bodyweight" light;
      anything else moderate ("moderate-heavy" is heavy: the article's squat is the heavy lift).
    - No guidance: by the rep range, as a coach reads it: up to 6 reps heavy, up to 12 moderate,
      more than 12 light. Holds are light.
    - Low reps: 6 reps or fewer (the top of the range) at a moderate load is heavy, however the
      load is written — at 70 %1RM and above, RPE 6.5 and above, or words that don't say light.
      The article's "4 × 4–6 at moderate-heavy load" is the same dose as 4 × 4–6 at 75 %1RM.
      (65 up to 70 %1RM stays moderate: the issue draws the line at 70 %.)
    """
    level = _load_level(p)
    low_reps = p.top_reps is not None and p.top_reps <= LOW_REPS
    below_the_line = (
        p.load_kind == "percent_1rm"
        and p.load_percent_1rm is not None
        and p.load_percent_1rm < LOW_REP_HEAVY_PERCENT
    )
    if level == MODERATE and low_reps and not below_the_line:
        return HEAVY
    return level


def _load_level(p: PrescriptionSpec) -> str:
    if p.load_kind == "percent_1rm" and p.load_percent_1rm is not None:
        if p.load_percent_1rm >= 80:
            return HEAVY
        return MODERATE if p.load_percent_1rm >= 65 else LIGHT
    if p.load_kind == "rpe" and p.load_rpe is not None:
        if p.load_rpe >= 8:
            return HEAVY
        return MODERATE if p.load_rpe >= Decimal("6.5") else LIGHT
    if p.load_kind == "words" and p.load_text:
        text = p.load_text.lower()
        if any(word in text for word in HEAVY_WORDS):
            return HEAVY
        if any(word in text for word in LIGHT_WORDS):
            return LIGHT
        return MODERATE
    reps = p.top_reps
    if reps is None:
        return LIGHT
    if reps <= LOW_REPS:
        return HEAVY
    return MODERATE if reps <= 12 else LIGHT


def session_intensity(prescriptions, override: str = "") -> str:
    """The intensity class of a session, for freshness: the coach's override, else derived.

    Only main-block work can make a session heavy or moderate:

    - **Heavy** when any main-block strength lift is heavy (see `prescription_load_level`:
      low-rep work at 70 %1RM or more is heavy), or when the main block is dominated by power
      work: power (plyometric) sets are more than half of all main-block sets. Jumps done as
      the session's main work tire the legs for a race as heavy lifting does; the article's
      Day A (5 sets of jumps among 12 main sets) is heavy for its squat, not for its jumps.
    - **Moderate** when the main block holds other strength or power work.
    - **Light** for warm-up, core and mobility alone.
    """
    if override:
        return override
    main = [p for p in prescriptions if p.block == "main"]
    main_sets = sum(p.sets for p in main)
    power_sets = sum(p.sets for p in main if p.category == "power")
    if power_sets and power_sets * 2 > main_sets:
        return HEAVY
    level = LIGHT
    for p in main:
        if p.category == "strength":
            p_level = prescription_load_level(p)
        elif p.category == "power":
            p_level = MODERATE
        else:
            continue
        if INTENSITY_ORDER.index(p_level) > INTENSITY_ORDER.index(level):
            level = p_level
    return level


def estimated_seconds(prescriptions) -> int:
    """Estimated duration: each set's work (4 s a rep, or the hold) on each side, the rest after
    every set, and a minute to move between exercises."""
    total = 0
    for p in prescriptions:
        work = p.hold_seconds if p.hold_seconds else (p.top_reps or 0) * SECONDS_PER_REP
        sides = 2 if p.per_side else 1
        total += p.sets * (work * sides + p.rest_seconds) + SECONDS_BETWEEN_EXERCISES
    return total


def estimated_minutes(prescriptions) -> int:
    return max(1, math.ceil(estimated_seconds(prescriptions) / 60))


@dataclass(frozen=True)
class WeekPlan:
    """What one week of a program does to the base prescriptions."""

    number: int
    kind: str = "build"  # build | deload | taper
    sets_delta: int = 0
    reps_delta: int = 0
    volume_percent: int = 100


@dataclass(frozen=True)
class Progression:
    load_step_percent_1rm: Decimal = Decimal("2.5")
    load_step_rpe: Decimal = Decimal("0.5")


def default_week_plans(weeks: int) -> list[WeekPlan]:
    """Build weeks, a deload in week 4 of a longer block, and a final taper week.

    Six weeks: build, build, build, deload, build, taper. Four or five weeks: builds and a taper.
    """
    plans = []
    for number in range(1, weeks + 1):
        if number == weeks:
            plans.append(WeekPlan(number, "taper", volume_percent=60))
        elif number == 4 and weeks >= 6:
            plans.append(WeekPlan(number, "deload", volume_percent=60))
        else:
            plans.append(WeekPlan(number))
    return plans


def load_steps_for_week(plans: list[WeekPlan], number: int) -> int:
    """How many load steps week `number` stands above week 1.

    Each build week after the first adds a step; a deload week goes back to the first week's
    load; a taper holds the load of the last build week (keep intensity, cut volume).
    """
    steps = 0
    for plan in plans:
        if plan.number > number:
            break
        if plan.number == 1:
            continue
        if plan.kind == "build":
            steps += 1
    current = next(p for p in plans if p.number == number)
    return 0 if current.kind == "deload" else steps


def resolve_prescription(
    base: PrescriptionSpec, plan: WeekPlan, steps: int, progression: Progression
) -> PrescriptionSpec:
    """One prescription as it stands in a given week.

    Load steps apply to %1RM and RPE guidance (capped at 100 % and RPE 10); set and rep changes
    apply to main-block work; deload and taper weeks keep `volume_percent` of the sets (at
    least one) of main and core work. Warm-up is never progressed.
    """
    if base.block == "warmup":
        return base
    changes = {}
    if base.load_kind == "percent_1rm" and base.load_percent_1rm is not None and steps:
        raised = base.load_percent_1rm + progression.load_step_percent_1rm * steps
        changes["load_percent_1rm"] = min(Decimal(100), raised)
    if base.load_kind == "rpe" and base.load_rpe is not None and steps:
        changes["load_rpe"] = min(Decimal(10), base.load_rpe + progression.load_step_rpe * steps)
    sets = base.sets
    if base.block == "main":
        sets = max(1, sets + plan.sets_delta)
        if plan.reps_delta and base.reps_min is not None:
            changes["reps_min"] = max(1, base.reps_min + plan.reps_delta)
            if base.reps_max is not None:
                changes["reps_max"] = max(changes["reps_min"], base.reps_max + plan.reps_delta)
    if plan.volume_percent != 100:
        sets = max(1, math.ceil(sets * plan.volume_percent / 100))
    changes["sets"] = min(20, sets)
    return replace(base, **changes)


def resolve_week(prescriptions, plans: list[WeekPlan], number: int, progression: Progression):
    plan = next(p for p in plans if p.number == number)
    steps = load_steps_for_week(plans, number)
    return [resolve_prescription(p, plan, steps, progression) for p in prescriptions]


def week_session_intensity(resolved, plan: WeekPlan, override: str = "") -> str:
    """A deload week lightens a heavy session to moderate: less load and fewer sets."""
    level = session_intensity(resolved, override)
    if plan.kind == "deload" and level == HEAVY:
        return MODERATE
    return level


def number_in_words(value: Decimal | int | None) -> str:
    """62.50 -> "62.5", 60.00 -> "60": how a person writes a number."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def logs_each_side(spec: PrescriptionSpec) -> bool:
    """Per-side prescriptions and unilateral exercises are logged left and right."""
    return spec.per_side or spec.is_unilateral


def reps_in_words(reps_min: int | None, reps_max: int | None) -> str:
    if reps_max and reps_min and reps_max != reps_min:
        return f"{reps_min}–{reps_max}"
    return str(reps_min or reps_max or "")


def prescription_in_words(spec: PrescriptionSpec) -> str:
    """ "4 × 4–6 @ moderate-heavy", "3 × 30 s each side", "3 × 8 each side @ RPE 7"."""
    work = (
        f"{spec.hold_seconds} s"
        if spec.hold_seconds
        else reps_in_words(spec.reps_min, spec.reps_max)
    )
    words = f"{spec.sets} × {work}"
    if logs_each_side(spec):
        words += " each side"
    if spec.load_kind == "percent_1rm" and spec.load_percent_1rm is not None:
        words += f" @ {number_in_words(spec.load_percent_1rm)}% 1RM"
    elif spec.load_kind == "rpe" and spec.load_rpe is not None:
        words += f" @ RPE {number_in_words(spec.load_rpe)}"
    elif spec.load_kind == "words" and spec.load_text:
        words += f" @ {spec.load_text}"
    return words
