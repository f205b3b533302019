"""The logging pages' pieces: a session's exercise cards (prescription, sets so far, last time,
the next set's form filled in), logged sets in words, and the history summaries."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from athletes.forms.logging import SetLogForm
from athletes.models import SetLog
from athletes.rules import loads, strength
from athletes.selectors import logging as selectors
from programs.models import Exercise
from programs.rules import prescription_in_words
from web.kept_pages import fresh_id


@dataclass
class SetRow:
    """A logged set as the athlete reads it: its load as entered."""

    set_log: SetLog
    words: str
    load: str  # in the athlete's unit, never on plates, for the edit form

    @classmethod
    def of(cls, set_log: SetLog, unit: str):
        return cls(
            set_log=set_log,
            words=strength.set_in_words(set_log.as_done()),
            load=strength.number_in_words(strength.load_for_entry(set_log.load, unit)),
        )


@dataclass
class ExerciseCard:
    prescription: object
    words: str
    last_time: str
    sides: tuple
    next_position: strength.SetPosition
    set_order: tuple  # the page's script offers the first of these no set on the card holds
    sets_done: int = 0  # of the prescribed sets, each side counted
    sets_total: int = 0
    load_guide: loads.LoadGuide | None = None
    rows: list = field(default_factory=list)
    form: SetLogForm | None = None

    @property
    def all_done(self):
        return self.next_position.set_number > self.prescription.sets

    @property
    def set_order_places(self):
        """The set order as the page's script reads it: "number|side" places, space-separated
        (joined here: some forty places a card were Today's costliest template loop)."""
        return " ".join(f"{place.set_number}|{place.side}" for place in self.set_order)


@dataclass(frozen=True)
class SessionProgress:
    """How far through the session the athlete is, and which card is theirs to do next."""

    sets_done: int
    sets_total: int
    exercises_done: int
    exercises_total: int
    current: int | None  # the prescription of the first card not done

    @property
    def words(self):
        return strength.session_progress_in_words(
            self.sets_done, self.sets_total, self.exercises_done, self.exercises_total
        )


def session_progress(cards: list[ExerciseCard]) -> SessionProgress:
    current = next((card.prescription.pk for card in cards if not card.all_done), None)
    return SessionProgress(
        sets_done=sum(card.sets_done for card in cards),
        sets_total=sum(card.sets_total for card in cards),
        exercises_done=sum(card.all_done for card in cards),
        exercises_total=len(cards),
        current=current,
    )


def _load_guides(athlete, prescriptions, last_time) -> dict:
    """Each prescription's load to lift (see rules.loads), by prescription id: two queries,
    however many exercises."""
    unit = athlete.unit
    exercise_ids = [p.exercise_id for p in prescriptions if p.load_kind == "percent_1rm"]
    tested, recent = {}, {}
    if exercise_ids:
        for one_rep_max in selectors.one_rep_maxes_for(athlete, exercise_ids):
            tested[one_rep_max.exercise_id] = one_rep_max.load.in_unit(unit)
        since = timezone.now() - dt.timedelta(weeks=loads.RECENT_WEEKS)
        for row in selectors.set_estimate_candidates(
            athlete, exercise_ids, since, loads.MOST_REPS_FOR_AN_ESTIMATE
        ):
            recent.setdefault(row["exercise_id"], []).append(
                strength.SetDone(
                    set_number=1,
                    reps=row["reps"],
                    load=strength.Load(row["heaviest"], row["load_unit"]),
                )
            )
    return {
        p.pk: loads.load_guide(
            p.as_spec(),
            unit=unit,
            tested=tested.get(p.exercise_id),
            recent_sets=recent.get(p.exercise_id, ()),
            last_time=[s.as_done() for s in last_time if s.exercise_id == p.exercise_id],
            barbell=loads.uses_a_barbell(p.exercise.equipment),
        )
        for p in prescriptions
    }


def _prefill(prescription, logged_now, last_time, position, unit):
    """Start from this session's latest set, else last time's same set, else the prescription."""
    source = logged_now[-1] if logged_now else None
    if source is None:
        matching = [s for s in last_time if s.set_number == position.set_number]
        source = (matching or last_time[-1:] or [None])[0]
    if source is None:
        return {
            "reps": prescription.reps_max or prescription.reps_min,
            "hold_seconds": prescription.hold_seconds,
        }
    return {
        "reps": source.reps,
        "load": strength.number_in_words(strength.load_for_entry(source.load, unit)),
        "hold_seconds": source.hold_seconds,
    }


def exercise_cards(session, bound_form=None) -> list[ExerciseCard]:
    """Every prescription of the session with its sets, last time and next set: three queries
    however many exercises the session has. `bound_form`, a set form that did not validate,
    stays on its card with its messages."""
    athlete = session.athlete
    unit = athlete.unit
    prescriptions = list(selectors.prescriptions_for_session(session))
    logged = list(selectors.set_logs_for_session(session))
    last_time = list(
        selectors.set_logs_last_time(athlete, session, [p.exercise_id for p in prescriptions])
    )
    guides = _load_guides(athlete, prescriptions, last_time)
    cards = []
    for prescription in prescriptions:
        spec = prescription.as_spec()
        # By exercise, as the database's one-set-per-place rule is: a set whose prescription
        # the coach has since replaced still belongs on this card.
        logged_here = [s for s in logged if s.exercise_id == prescription.exercise_id]
        last_here = [s for s in last_time if s.exercise_id == prescription.exercise_id]
        positions = [strength.SetPosition(s.set_number, s.side) for s in logged_here]
        position = strength.next_set_position(spec, positions)
        sets_done, sets_total = strength.prescribed_sets_done(spec, positions)
        card = ExerciseCard(
            prescription=prescription,
            words=prescription_in_words(spec),
            last_time=strength.sets_in_words([s.as_done() for s in last_here]),
            sides=strength.sides_for(spec),
            next_position=position,
            set_order=strength.set_order(spec),
            sets_done=sets_done,
            sets_total=sets_total,
            load_guide=guides[prescription.pk],
            rows=[SetRow.of(s, unit) for s in logged_here],
        )
        if bound_form is not None and bound_form.data.get("prescription") == str(prescription.pk):
            card.form = bound_form
        else:
            initial = {
                "id": fresh_id(),
                "prescription": prescription.pk,
                "set_number": position.set_number,
                "side": position.side,
                **_prefill(prescription, logged_here, last_here, position, unit),
            }
            card.form = SetLogForm(initial=initial, unit=unit, auto_id=f"p{prescription.pk}-%s")
        cards.append(card)
    return cards


@dataclass(frozen=True)
class ExerciseSummary:
    """One exercise on the history page: how many sets, when last, the best estimated 1RM."""

    exercise: Exercise
    set_count: int
    last: dt.date  # the day the newest session that logged it was planned for
    best_1rm: str


def exercise_summaries(athlete) -> list[ExerciseSummary]:
    """Every exercise the athlete logged, by name, with its best estimated 1RM: two queries,
    one pass over the athlete's sets, however many sessions were logged."""
    unit = athlete.unit
    set_counts, candidates = {}, {}
    for row in selectors.set_tallies_for_athlete(athlete):
        exercise_id = row["exercise_id"]
        set_counts[exercise_id] = set_counts.get(exercise_id, 0) + row["sets"]
        if row["heaviest"] is not None:
            # The rule's own estimate of each candidate, so the best reads as it always has
            # (no reps, no load or a hold gives none; the set number is no part of it).
            load = strength.Load(row["heaviest"], row["load_unit"])
            candidates.setdefault(exercise_id, []).append(
                strength.SetDone(set_number=1, reps=row["reps"], load=load)
            )
    exercises = selectors.exercises_with_last_logged(athlete, list(set_counts))
    return [
        ExerciseSummary(
            exercise=exercise,
            set_count=set_counts[exercise.pk],
            last=exercise.last,
            best_1rm=strength.estimate_in_words(
                strength.best_estimated_1rm(candidates.get(exercise.pk, ()), unit), unit
            ),
        )
        # By name as Python sorts it, not as the database's collation would.
        for exercise in sorted(exercises, key=lambda e: e.name)
    ]


def exercise_history(athlete, exercise) -> tuple[list, str]:
    """(each session that logged `exercise`, newest first, with its sets as (row, estimated
    1RM in words)), and the best estimated 1RM in words."""
    set_logs = list(selectors.set_logs_for_athlete(athlete).filter(exercise=exercise))
    sessions = {}
    for set_log in set_logs:
        e1rm = strength.set_estimated_1rm(set_log.as_done(), athlete.unit)
        sessions.setdefault(set_log.scheduled_session, []).append(
            (SetRow.of(set_log, athlete.unit), strength.estimate_in_words(e1rm, athlete.unit))
        )
    best = strength.best_estimated_1rm((s.as_done() for s in set_logs), athlete.unit)
    return list(sessions.items()), strength.estimate_in_words(best, athlete.unit)
