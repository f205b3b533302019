"""Writes to the library and to programs: one function per action, each atomic.

A write a request makes is its outermost transaction, durable (nesting it in another raises),
so no caller folds it into a bigger one by accident. A few are also steps of other writes and
so run in their caller's transaction when there is one: template_copy, template_from_data,
library_load and program_create (the library and the demo data), prescription_add
(exercise_propose) and program_weeks_update (program_week_set_kind).
"""

import dataclasses
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from . import library_data, rules
from .models import (
    PRESCRIPTION_DETAIL_FIELD_NAMES,
    PRESCRIPTION_FIELD_NAMES,
    Exercise,
    Prescription,
    PrescriptionFields,
    Program,
    ProgramPrescription,
    ProgramSession,
    ProgramSlot,
    ProgramSlotPrescription,
    ProgramWeek,
    SessionTemplate,
)


def prescription_values(prescription) -> dict:
    return {name: getattr(prescription, name) for name in PRESCRIPTION_FIELD_NAMES}


def template_bump_version(template: SessionTemplate) -> None:
    """Record that a template's prescriptions changed, so programs built from it can tell."""
    SessionTemplate.objects.filter(pk=template.pk).update(version=F("version") + 1)
    template.refresh_from_db(fields=["version", "updated_at"])


def _unused_name(siblings, name: str) -> str:
    """`name`, else `name (2)`, `name (3)`…: the first that no row of `siblings` has (any case)."""
    candidate, suffix = name, 2
    while siblings.filter(name__iexact=candidate).exists():
        candidate = f"{name} ({suffix})"
        suffix += 1
    return candidate


@transaction.atomic
def template_copy(*, template: SessionTemplate, owner, name: str = "") -> SessionTemplate:
    """Copy a (library) template with its prescriptions into `owner`'s own templates."""
    copy = SessionTemplate(
        name=_unused_name(SessionTemplate.objects.filter(owner=owner), name or template.name),
        owner=owner,
        description=template.description,
        target_minutes=template.target_minutes,
        intensity_override=template.intensity_override,
        copied_from=template,
    )
    copy.full_clean()
    copy.save()
    Prescription.objects.bulk_create(
        Prescription(template=copy, **prescription_values(p))
        for p in template.prescriptions.select_related("exercise")
    )
    return copy


# -- the shared library ------------------------------------------------------------------------


@transaction.atomic
def template_from_data(
    data: dict, exercises: dict[str, Exercise], *, owner=None
) -> SessionTemplate:
    """A template from library-format `data` (library_data.DAY_A's shape), its prescriptions'
    exercises looked up by name in `exercises`; `owner=None` makes it a library template."""
    template = SessionTemplate(
        owner=owner,
        name=data["name"],
        description=data["description"],
        target_minutes=data["target_minutes"],
    )
    template.full_clean()
    template.save()
    for position, values in enumerate(data["prescriptions"]):
        values = {**values, "exercise": exercises[values["exercise"]]}
        prescription = Prescription(template=template, position=position, **values)
        prescription.full_clean(validate_constraints=False)  # the database checks them
        prescription.save()
    return template


@transaction.atomic
def library_load(
    created: Counter | None = None,
) -> tuple[dict[str, Exercise], list[SessionTemplate]]:
    """Create whatever of library_data is missing: its exercises, published, and its templates.

    Rows are found by name in any case and an existing one is left exactly as it is, so loading
    twice changes nothing. Returns the exercises by their library name and the templates in
    library order; `created` counts what was made.
    """
    created = Counter() if created is None else created
    existing = {e.name.lower(): e for e in Exercise.objects.all()}
    exercises = {}
    for data in library_data.EXERCISES:
        exercise = existing.get(data["name"].lower())
        if exercise is None:
            exercise = Exercise(status=Exercise.Status.PUBLISHED, **data)
            exercise.full_clean()
            exercise.save()
            created["exercises"] += 1
        exercises[data["name"]] = exercise
    templates = []
    for data in library_data.LIBRARY_TEMPLATES:
        template = SessionTemplate.objects.filter(owner=None, name__iexact=data["name"]).first()
        if template is None:
            template = template_from_data(data, exercises)
            created["library templates"] += 1
        templates.append(template)
    return exercises, templates


WEEK_PLAN_FIELDS = [field.name for field in dataclasses.fields(rules.WeekPlan)]


def _week_plans(program: Program) -> list[rules.WeekPlan]:
    return [
        rules.WeekPlan(**{name: getattr(week, name) for name in WEEK_PLAN_FIELDS})
        for week in program.program_weeks.all()
    ]


def _weeks_create(program: Program, plans: list[rules.WeekPlan]) -> None:
    ProgramWeek.objects.bulk_create(
        ProgramWeek(program=program, **dataclasses.asdict(plan)) for plan in plans
    )


def _progression(program: Program) -> rules.Progression:
    return rules.Progression(
        load_step_percent_1rm=program.load_step_percent_1rm, load_step_rpe=program.load_step_rpe
    )


def _resolved_values(source, spec: rules.PrescriptionSpec) -> dict:
    values = prescription_values(source)
    values.update(
        sets=spec.sets,
        reps_min=spec.reps_min,
        reps_max=spec.reps_max,
        load_percent_1rm=spec.load_percent_1rm,
        load_rpe=spec.load_rpe,
    )
    return values


def _build_slot_sessions(program: Program, slot: ProgramSlot, base_prescriptions, weeks):
    """Resolve one slot's base (snapshot) prescriptions for `weeks` and write the sessions.

    `base_prescriptions` must have their exercise loaded; sessions for `weeks` must not exist.
    """
    plans = _week_plans(program)
    progression = _progression(program)
    base_specs = [p.as_spec() for p in base_prescriptions]
    new_prescriptions = []
    for number in weeks:
        plan = next(p for p in plans if p.number == number)
        resolved = rules.resolve_week(base_specs, plans, number, progression)
        session = ProgramSession.objects.create(
            program=program,
            slot=slot,
            week=number,
            name=slot.label,
            intensity=rules.week_session_intensity(resolved, plan, slot.intensity_override),
            estimated_minutes=rules.estimated_minutes(resolved),
        )
        new_prescriptions.extend(
            ProgramPrescription(session=session, **_resolved_values(source, spec))
            for source, spec in zip(base_prescriptions, resolved, strict=True)
        )
    ProgramPrescription.objects.bulk_create(new_prescriptions)


def _snapshot_template(slot: ProgramSlot, template: SessionTemplate) -> list:
    """Copy the template's prescriptions as the slot's base; return them with exercises loaded."""
    slot.base_prescriptions.all().delete()
    base = [
        ProgramSlotPrescription(slot=slot, **prescription_values(p))
        for p in template.prescriptions.all()
    ]
    ProgramSlotPrescription.objects.bulk_create(base)
    return base


def _slot_base(slot: ProgramSlot) -> list:
    return list(slot.base_prescriptions.select_related("exercise"))


@transaction.atomic
def program_create(
    *,
    coach,
    name: str,
    weeks: int,
    slots: list[tuple[str, SessionTemplate]],
    week_plans: list[rules.WeekPlan] | None = None,
    load_step_percent_1rm=None,
    load_step_rpe=None,
    description: str = "",
) -> Program:
    """Create a program of `weeks` weeks from (label, template) slots and build every session.

    The templates' prescriptions are copied (a snapshot): editing a template later never
    changes this program until the coach re-applies it.
    """
    if not slots:
        raise ValidationError({"slots": "A program needs at least one session a week."})
    program = Program(coach=coach, name=name, weeks=weeks, description=description)
    if load_step_percent_1rm is not None:
        program.load_step_percent_1rm = load_step_percent_1rm
    if load_step_rpe is not None:
        program.load_step_rpe = load_step_rpe
    program.full_clean()
    program.save()
    plans = week_plans or rules.default_week_plans(weeks)
    if sorted(p.number for p in plans) != list(range(1, weeks + 1)):
        raise ValidationError({"weeks": "Every week from 1 to the program's length needs a plan."})
    _weeks_create(program, plans)
    templates = {
        t.pk: t
        for t in SessionTemplate.objects.filter(pk__in=[t.pk for _, t in slots]).prefetch_related(
            Prefetch("prescriptions", queryset=Prescription.objects.select_related("exercise"))
        )
    }
    for position, (label, template) in enumerate(slots):
        template = templates[template.pk]
        slot = ProgramSlot.objects.create(
            program=program,
            position=position,
            label=label,
            template=template,
            template_version=template.version,
            intensity_override=template.intensity_override,
        )
        base = _snapshot_template(slot, template)
        _build_slot_sessions(program, slot, base, range(1, weeks + 1))
    return program


# -- template builder ---------------------------------------------------------------------------


@transaction.atomic(durable=True)
def exercise_propose(*, coach, template: SessionTemplate | None = None, **fields) -> Exercise:
    """A coach's new exercise: usable in their own templates, private until an admin publishes.
    Given a template, the exercise is added to it in the same transaction."""
    exercise = Exercise(status=Exercise.Status.PROPOSED, proposed_by=coach, **fields)
    exercise.full_clean()
    exercise.save()
    if template is not None:
        prescription_add(template=template, exercise=exercise)
    return exercise


@transaction.atomic(durable=True)
def template_create(*, owner, name: str, **fields) -> SessionTemplate:
    template = SessionTemplate(owner=owner, name=name, **fields)
    template.full_clean()
    template.save()
    return template


@transaction.atomic(durable=True)
def template_update(*, template: SessionTemplate, **fields) -> SessionTemplate:
    """Change a template's name and settings; an intensity override change is a new version."""
    # Compare with the stored value: a ModelForm has already copied its data onto `template`.
    stored = SessionTemplate.objects.values_list("intensity_override", flat=True).get(
        pk=template.pk
    )
    override_changed = fields.get("intensity_override", stored) != stored
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    if override_changed:
        template_bump_version(template)
    return template


def _default_prescription(exercise: Exercise) -> dict:
    """A sensible first prescription the coach then edits: 3 × 8, or 3 × 30 s for a hold."""
    block = {
        Exercise.Category.MOBILITY: PrescriptionFields.Block.WARMUP,
        Exercise.Category.CORE: PrescriptionFields.Block.CORE,
    }.get(exercise.category, PrescriptionFields.Block.MAIN)
    values = {"block": block, "sets": 3, "per_side": exercise.is_unilateral}
    if exercise.measure == Exercise.Measure.TIME:
        values["hold_seconds"] = 30
    else:
        values["reps_min"] = 8
    return values


class OrderChanged(ValidationError):
    """The template's list changed (another window removed or added an exercise) between the
    page the coach acted on and the request: nothing was moved; show the list as it is now."""


def _lock_order(template: SessionTemplate) -> list[int]:
    """Lock the template so its order changes one request at a time; its prescription ids in
    order, read under the lock."""
    SessionTemplate.objects.select_for_update().get(pk=template.pk)
    return list(Prescription.objects.filter(template=template).values_list("pk", flat=True))


@transaction.atomic
def prescription_add(*, template: SessionTemplate, exercise: Exercise) -> Prescription:
    _lock_order(template)
    last = template.prescriptions.order_by("-position").values_list("position", flat=True).first()
    prescription = Prescription(
        template=template,
        exercise=exercise,
        position=0 if last is None else last + 1,
        **_default_prescription(exercise),
    )
    prescription.full_clean()
    prescription.save()
    template_bump_version(template)
    return prescription


@transaction.atomic(durable=True)
def prescription_update(*, prescription: Prescription, **fields) -> Prescription:
    for name, value in fields.items():
        setattr(prescription, name, value)
    prescription.full_clean()
    prescription.save()
    template_bump_version(prescription.template)
    return prescription


@transaction.atomic(durable=True)
def prescription_delete(*, prescription: Prescription) -> None:
    template = prescription.template
    _lock_order(template)
    prescription.delete()
    template_bump_version(template)


def _reorder(template: SessionTemplate, ordered_ids: list[int]) -> None:
    moved = [Prescription(pk=pk, position=position) for position, pk in enumerate(ordered_ids)]
    Prescription.objects.bulk_update(moved, ["position"])
    template_bump_version(template)


@transaction.atomic(durable=True)
def prescriptions_reorder(*, template: SessionTemplate, ordered_ids: list[int]) -> None:
    """Put the template's prescriptions in the given order (all of them, each once). Raises
    OrderChanged when the order was sent from a list that has changed since (an exercise
    removed or added meanwhile)."""
    if sorted(ordered_ids) != sorted(_lock_order(template)):
        others = Prescription.objects.filter(pk__in=ordered_ids).exclude(template=template)
        if len(set(ordered_ids)) != len(ordered_ids) or others.exists():
            raise ValidationError("The new order must list each exercise of the template once.")
        raise OrderChanged(
            "The list changed in another window meanwhile, so nothing was moved: "
            "this is its current order."
        )
    _reorder(template, ordered_ids)


@transaction.atomic(durable=True)
def prescription_move(*, prescription: Prescription, direction: str) -> None:
    """Swap a prescription with its neighbour above ("up") or below ("down"), as the list is
    now. Raises OrderChanged when another request removed the prescription meanwhile."""
    ids = _lock_order(prescription.template)
    if prescription.pk not in ids:
        raise OrderChanged(
            f"{prescription.exercise.name} was removed in another window meanwhile: "
            "this is the current order."
        )
    index = ids.index(prescription.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    _reorder(prescription.template, ids)


# -- program builder ----------------------------------------------------------------------------


def _rebuild_sessions(program: Program, slots) -> None:
    """Re-resolve the slots' sessions from their base snapshot; hand-edited sessions stay."""
    for slot in slots:
        sessions = ProgramSession.objects.filter(slot=slot, is_customized=False)
        weeks = sorted(sessions.values_list("week", flat=True))
        sessions.delete()
        _build_slot_sessions(program, slot, _slot_base(slot), weeks)


@transaction.atomic(durable=True)
def program_update(*, program: Program, **fields) -> Program:
    """Change name, description or load steps; a load step change re-resolves the weeks."""
    # Compare with the stored steps: a ModelForm has already copied its data onto `program`.
    stored = Program.objects.values("load_step_percent_1rm", "load_step_rpe").get(pk=program.pk)
    resolve = any(fields.get(name, value) != value for name, value in stored.items())
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    program.save()
    if resolve:
        _rebuild_sessions(program, program.slots.all())
    return program


@transaction.atomic
def program_weeks_update(*, program: Program, plans: list[rules.WeekPlan]) -> None:
    """Replace the week plans (one per week of the program) and re-resolve every
    session that was not edited by hand."""
    if sorted(p.number for p in plans) != list(range(1, program.weeks + 1)):
        raise ValidationError({"weeks": "Every week from 1 to the program's length needs a plan."})
    weeks = {w.number: w for w in program.program_weeks.all()}
    for plan in plans:
        week = weeks[plan.number]
        week.kind = plan.kind
        week.sets_delta = plan.sets_delta
        week.reps_delta = plan.reps_delta
        week.volume_percent = plan.volume_percent
        week.full_clean()
    ProgramWeek.objects.bulk_update(
        weeks.values(), ["kind", "sets_delta", "reps_delta", "volume_percent"]
    )
    _rebuild_sessions(program, program.slots.all())


# Volume kept by a week turned into a deload or taper in one step (the coach can still edit it).
REDUCED_VOLUME_PERCENT = 60


@transaction.atomic(durable=True)
def program_week_set_kind(*, program: Program, number: int, kind: str) -> None:
    """Make one week a build, deload or taper week without retyping the others."""
    if not 1 <= number <= program.weeks:
        raise ValidationError(
            {"week": f"Week {number} is outside this {program.weeks}-week program."}
        )
    plans = _week_plans(program)
    volume = 100 if kind == ProgramWeek.Kind.BUILD else REDUCED_VOLUME_PERCENT
    plans = [
        rules.WeekPlan(number=p.number, kind=kind, volume_percent=volume)
        if p.number == number
        else p
        for p in plans
    ]
    program_weeks_update(program=program, plans=plans)


@transaction.atomic(durable=True)
def program_slot_reapply(*, slot: ProgramSlot) -> None:
    """Take the template's current prescriptions as the slot's new snapshot and re-resolve the
    slot's sessions that were not edited by hand."""
    template = SessionTemplate.objects.prefetch_related(
        Prefetch("prescriptions", queryset=Prescription.objects.select_related("exercise"))
    ).get(pk=slot.template_id)
    slot.template_version = template.version
    slot.intensity_override = template.intensity_override
    slot.save(update_fields=["template_version", "intensity_override"])
    _snapshot_template(slot, template)
    _rebuild_sessions(slot.program, [slot])


@transaction.atomic(durable=True)
def program_session_update(*, session: ProgramSession, prescriptions: list) -> ProgramSession:
    """Save a hand edit of one week's session: progression leaves it alone from now on."""
    for prescription in prescriptions:
        prescription.full_clean()
    ProgramPrescription.objects.bulk_update(prescriptions, PRESCRIPTION_DETAIL_FIELD_NAMES)
    plan = next(p for p in _week_plans(session.program) if p.number == session.week)
    specs = [p.as_spec() for p in prescriptions]
    session.intensity = rules.week_session_intensity(specs, plan, session.slot.intensity_override)
    session.estimated_minutes = rules.estimated_minutes(specs)
    session.is_customized = True
    session.save(update_fields=["intensity", "estimated_minutes", "is_customized"])
    return session


@transaction.atomic(durable=True)
def program_session_reset(*, session: ProgramSession) -> None:
    """Drop a hand edit: the session follows the program's progression again."""
    session.delete()
    _build_slot_sessions(session.program, session.slot, _slot_base(session.slot), [session.week])


@transaction.atomic(durable=True)
def program_duplicate(*, program: Program, name: str = "") -> Program:
    """A full copy (weeks, slots, snapshots, hand edits) under a new name, for the next block."""
    copy = Program(
        coach=program.coach,
        name=_unused_name(
            Program.objects.filter(coach=program.coach), name or f"{program.name} (copy)"
        ),
        description=program.description,
        weeks=program.weeks,
        load_step_percent_1rm=program.load_step_percent_1rm,
        load_step_rpe=program.load_step_rpe,
        copied_from=program,
    )
    copy.full_clean()
    copy.save()
    _weeks_create(copy, _week_plans(program))
    for slot in program.slots.prefetch_related("base_prescriptions", "sessions__prescriptions"):
        new_slot = ProgramSlot.objects.create(
            program=copy,
            position=slot.position,
            label=slot.label,
            template_id=slot.template_id,
            template_version=slot.template_version,
            intensity_override=slot.intensity_override,
        )
        ProgramSlotPrescription.objects.bulk_create(
            ProgramSlotPrescription(slot=new_slot, **prescription_values(p))
            for p in slot.base_prescriptions.all()
        )
        copied_prescriptions = []
        for session in slot.sessions.all():
            new_session = ProgramSession.objects.create(
                program=copy,
                slot=new_slot,
                week=session.week,
                name=session.name,
                intensity=session.intensity,
                estimated_minutes=session.estimated_minutes,
                is_customized=session.is_customized,
            )
            copied_prescriptions.extend(
                ProgramPrescription(session=new_session, **prescription_values(p))
                for p in session.prescriptions.all()
            )
        ProgramPrescription.objects.bulk_create(copied_prescriptions)
    return copy


@transaction.atomic(durable=True)
def program_archive(*, program: Program, archived: bool = True) -> None:
    program.archived_at = timezone.now() if archived else None
    program.save(update_fields=["archived_at", "updated_at"])


@transaction.atomic
def coach_library_delete(*, coach) -> bool:
    """Delete the coach's programs and templates, as their account goes. A program that was
    given to an athlete stays, with the templates it was built from: the athlete's history
    (who moved on to another coach) is made of its sessions. Returns whether anything stayed.
    Nestable: a step of deleting the account."""
    Program.objects.filter(coach=coach, assignments__isnull=True).delete()
    SessionTemplate.objects.filter(owner=coach, program_slots__isnull=True).delete()
    return (
        Program.objects.filter(coach=coach).exists()
        or SessionTemplate.objects.filter(owner=coach).exists()
    )
