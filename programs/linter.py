"""The program linter: pure rules that read a program's shape and say what the article warns about.

Each rule has an id, a one-line message and the article's reason. Every finding is a warning:
the linter advises and never refuses a program, so one word covers them all. A rule's check
takes a `ProgramShape` (plain values, no ORM) and returns the week numbers it fires for, or
`ALL_WEEKS` for a finding about the block as a whole. Rules that need an athlete's races (heavy
work in the taper before an A race) belong to flagging, not here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .rules import MODERATE, PrescriptionSpec, prescription_load_level

ALL_WEEKS: tuple[int, ...] = ()

RECOMMENDED_WEEKS = range(6, 9)
MAX_STRENGTH_SESSIONS_A_WEEK = 2
MAX_STRENGTH_SETS_A_WEEK = 30
HYPERTROPHY_REPS = range(8, 13)
RECOVERY_KINDS = {"deload", "taper"}


@dataclass(frozen=True)
class SessionShape:
    week: int
    name: str
    prescriptions: tuple[PrescriptionSpec, ...]


@dataclass(frozen=True)
class ProgramShape:
    weeks: int
    week_kinds: dict[int, str]  # week number -> build | deload | taper
    sessions: tuple[SessionShape, ...] = field(default_factory=tuple)

    def sessions_in(self, week: int):
        return [s for s in self.sessions if s.week == week]


@dataclass(frozen=True)
class Rule:
    id: str
    message: str
    reason: str
    check: Callable[[ProgramShape], tuple[int, ...] | None]


@dataclass(frozen=True)
class Finding:
    rule: Rule
    weeks: tuple[int, ...]

    @property
    def text(self) -> str:
        if not self.weeks:
            return self.rule.message
        label = "Week" if len(self.weeks) == 1 else "Weeks"
        return f"{self.rule.message} ({label} {', '.join(map(str, self.weeks))})"


def _strength_sets(session: SessionShape):
    """Strength-category prescriptions outside the warm-up: the lifting the rules count."""
    return [p for p in session.prescriptions if p.category == "strength" and p.block != "warmup"]


def _weeks_where(shape: ProgramShape, fires: Callable[[list[SessionShape]], bool]):
    weeks = tuple(
        n for n in range(1, shape.weeks + 1) if shape.sessions_in(n) and fires(shape.sessions_in(n))
    )
    return weeks or None


def _no_unilateral(shape: ProgramShape):
    return _weeks_where(
        shape,
        lambda sessions: not any(p.is_unilateral for s in sessions for p in _strength_sets(s)),
    )


def _is_hypertrophy_set(p: PrescriptionSpec) -> bool:
    """A rep range inside 8–12 at moderate load: the bodybuilder's set, not the runner's."""
    top = p.reps_max or p.reps_min
    return (
        p.reps_min is not None
        and p.reps_min in HYPERTROPHY_REPS
        and top in HYPERTROPHY_REPS
        and prescription_load_level(p) == MODERATE
    )


def _hypertrophy_volume(shape: ProgramShape):
    def fires(sessions):
        lifts = [p for s in sessions for p in _strength_sets(s)]
        total = sum(p.sets for p in lifts)
        hypertrophy = sum(p.sets for p in lifts if _is_hypertrophy_set(p))
        return total > MAX_STRENGTH_SETS_A_WEEK or (total and hypertrophy * 2 > total)

    return _weeks_where(shape, fires)


def _block_length(shape: ProgramShape):
    return None if shape.weeks in RECOMMENDED_WEEKS else ALL_WEEKS


def _too_many_strength_sessions(shape: ProgramShape):
    return _weeks_where(
        shape,
        lambda sessions: (
            sum(1 for s in sessions if _strength_sets(s)) > MAX_STRENGTH_SESSIONS_A_WEEK
        ),
    )


def _no_deload_or_taper(shape: ProgramShape):
    if shape.weeks < 6 or RECOVERY_KINDS & set(shape.week_kinds.values()):
        return None
    return ALL_WEEKS


RULES = (
    Rule(
        id="no-unilateral",
        message="No unilateral strength exercise this week.",
        reason="A common mistake: neglecting unilateral work, which reduces imbalance-related "
        "injury risk and keeps form in the race's final kilometres.",
        check=_no_unilateral,
    ),
    Rule(
        id="hypertrophy-volume",
        message=f"Hypertrophy-heavy volume: most sets at 8–12 reps moderate load, "
        f"or more than {MAX_STRENGTH_SETS_A_WEEK} strength sets.",
        reason="Overemphasizing hypertrophy sets increases fatigue without meaningful "
        "neuromuscular benefits.",
        check=_hypertrophy_volume,
    ),
    Rule(
        id="block-length",
        message="Block length outside 6–8 weeks.",
        reason="Strength phases of 6–8 weeks can precede race-specific sharpening blocks for "
        "best transfer.",
        check=_block_length,
    ),
    Rule(
        id="too-many-strength-sessions",
        message=f"More than {MAX_STRENGTH_SESSIONS_A_WEEK} strength sessions in a week.",
        reason="Two purposeful strength sessions per week complement run workload.",
        check=_too_many_strength_sessions,
    ),
    Rule(
        id="no-deload-or-taper",
        message="No deload or taper week in a block of 6 weeks or more.",
        reason="Prioritize freshness: very heavy lifting too close to race days is a common "
        "mistake.",
        check=_no_deload_or_taper,
    ),
)


def lint(shape: ProgramShape, rules=RULES) -> list[Finding]:
    findings = []
    for rule in rules:
        weeks = rule.check(shape)
        if weeks is not None:
            findings.append(Finding(rule=rule, weeks=weeks))
    return findings
