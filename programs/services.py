"""Writes to the library and to programs: one function per action, each atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch

from . import rules
from .models import (
    Prescription,
    PrescriptionFields,
    Program,
    ProgramPrescription,
    ProgramSession,
    ProgramSlot,
    ProgramWeek,
    SessionTemplate,
)

PRESCRIPTION_FIELD_NAMES = [
    f.name for f in PrescriptionFields._meta.get_fields() if f.concrete and f.name not in {"id"}
]


def prescription_spec(prescription) -> rules.PrescriptionSpec:
    """The rule-side view of a Prescription or ProgramPrescription (exercise must be loaded)."""
    return rules.PrescriptionSpec(
        exercise_id=prescription.exercise_id,
        category=prescription.exercise.category,
        is_unilateral=prescription.exercise.is_unilateral,
        block=prescription.block,
        sets=prescription.sets,
        reps_min=prescription.reps_min,
        reps_max=prescription.reps_max,
        hold_seconds=prescription.hold_seconds,
        per_side=prescription.per_side,
        load_kind=prescription.load_kind,
        load_percent_1rm=prescription.load_percent_1rm,
        load_rpe=prescription.load_rpe,
        load_text=prescription.load_text,
        rest_seconds=prescription.rest_seconds,
    )


def prescription_values(prescription) -> dict:
    return {name: getattr(prescription, name) for name in PRESCRIPTION_FIELD_NAMES}


def template_bump_version(template: SessionTemplate) -> None:
    """Record that a template's prescriptions changed, so programs built from it can tell."""
    SessionTemplate.objects.filter(pk=template.pk).update(version=F("version") + 1)
    template.refresh_from_db(fields=["version", "updated_at"])


@transaction.atomic
def template_copy(*, template: SessionTemplate, owner, name: str = "") -> SessionTemplate:
    """Copy a (library) template with its prescriptions into `owner`'s own templates."""
    name = name or template.name
    base_name, suffix = name, 2
    while SessionTemplate.objects.filter(owner=owner, name__iexact=name).exists():
        name = f"{base_name} ({suffix})"
        suffix += 1
    copy = SessionTemplate(
        name=name,
        owner=owner,
        description=template.description,
        target_minutes=template.target_minutes,
        intensity_override=template.intensity_override,
        copied_from=template,
    )
    copy.full_clean()
    copy.save()
    Prescription.objects.bulk_create(
        Prescription(template=copy, **prescription_values(p)) for p in template.prescriptions.all()
    )
    return copy


def _week_plans(program: Program) -> list[rules.WeekPlan]:
    return [
        rules.WeekPlan(
            number=w.number,
            kind=w.kind,
            sets_delta=w.sets_delta,
            reps_delta=w.reps_delta,
            volume_percent=w.volume_percent,
        )
        for w in program.program_weeks.all()
    ]


def _progression(program: Program) -> rules.Progression:
    return rules.Progression(
        load_step_percent_1rm=program.load_step_percent_1rm, load_step_rpe=program.load_step_rpe
    )


def _build_slot_sessions(program: Program, slot: ProgramSlot, template_prescriptions, weeks):
    """Resolve one slot's template prescriptions for `weeks` and write them as snapshots."""
    plans = _week_plans(program)
    progression = _progression(program)
    base_specs = [prescription_spec(p) for p in template_prescriptions]
    new_prescriptions = []
    for number in weeks:
        plan = next(p for p in plans if p.number == number)
        resolved = rules.resolve_week(base_specs, plans, number, progression)
        session = ProgramSession.objects.create(
            program=program,
            slot=slot,
            week=number,
            name=slot.label,
            intensity=rules.week_session_intensity(
                resolved, plan, slot.template.intensity_override
            ),
            estimated_minutes=rules.estimated_minutes(resolved),
        )
        for source, spec in zip(template_prescriptions, resolved, strict=True):
            values = prescription_values(source)
            values.update(
                sets=spec.sets,
                reps_min=spec.reps_min,
                reps_max=spec.reps_max,
                load_percent_1rm=spec.load_percent_1rm,
                load_rpe=spec.load_rpe,
            )
            new_prescriptions.append(ProgramPrescription(session=session, **values))
    ProgramPrescription.objects.bulk_create(new_prescriptions)


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
    ProgramWeek.objects.bulk_create(
        ProgramWeek(
            program=program,
            number=p.number,
            kind=p.kind,
            sets_delta=p.sets_delta,
            reps_delta=p.reps_delta,
            volume_percent=p.volume_percent,
        )
        for p in plans
    )
    if not slots:
        raise ValidationError({"slots": "A program needs at least one session a week."})
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
        )
        _build_slot_sessions(program, slot, list(template.prescriptions.all()), range(1, weeks + 1))
    return program
