"""Reads for the builder pages, scoped to the coach: another coach's ids are a 404.

Every page-sized read loads its rows with a fixed number of queries, whatever the number of
exercises, weeks or sessions (select_related / prefetch_related), so page query counts stay flat.
"""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import linter, rules
from .models import (
    Exercise,
    Prescription,
    Program,
    ProgramPrescription,
    ProgramSession,
    ProgramSlot,
    SessionTemplate,
)


def exercises_for_coach(coach):
    """The coach's library: published exercises and their own proposals."""
    return Exercise.objects.filter(
        Q(status=Exercise.Status.PUBLISHED) | Q(status=Exercise.Status.PROPOSED, proposed_by=coach)
    )


def exercise_search(coach, *, query="", category="", pattern="", unilateral=False, limit=20):
    exercises = exercises_for_coach(coach)
    if query:
        exercises = exercises.filter(Q(name__icontains=query) | Q(equipment__icontains=query))
    if category:
        exercises = exercises.filter(category=category)
    if pattern:
        exercises = exercises.filter(pattern=pattern)
    if unilateral:
        exercises = exercises.filter(is_unilateral=True)
    return list(exercises[:limit])


def exercise_get_for_coach(coach, pk: int | None):
    """The exercise a coach may use; None (what a form posted was not an id) is a 404 too."""
    if pk is None:
        raise Http404("No such exercise.")
    return get_object_or_404(exercises_for_coach(coach), pk=pk)


def library_templates():
    return SessionTemplate.objects.filter(owner__isnull=True, is_archived=False)


def templates_for_coach(coach):
    return SessionTemplate.objects.filter(owner=coach, is_archived=False)


def template_get_for_coach(coach, pk):
    """One of the coach's own templates (library templates are copied, never edited in place)."""
    return get_object_or_404(SessionTemplate.objects.filter(owner=coach), pk=pk)


def template_copyable_for_coach(coach, pk):
    return get_object_or_404(
        SessionTemplate.objects.filter(Q(owner__isnull=True) | Q(owner=coach)), pk=pk
    )


def template_prescriptions(template):
    return list(template.prescriptions.select_related("exercise"))


def prescription_get_for_coach(coach, pk):
    return get_object_or_404(
        Prescription.objects.select_related("template", "exercise"), pk=pk, template__owner=coach
    )


def programs_for_coach(coach):
    return Program.objects.filter(coach=coach)


def program_get_for_coach(coach, pk):
    return get_object_or_404(programs_for_coach(coach), pk=pk)


def program_with_grid(coach, pk):
    """A program with its weeks, slots (and their templates) and every session's resolved
    prescriptions, in a fixed number of queries."""
    sessions = ProgramSession.objects.prefetch_related(
        Prefetch("prescriptions", queryset=ProgramPrescription.objects.select_related("exercise"))
    )
    return get_object_or_404(
        programs_for_coach(coach).prefetch_related(
            "program_weeks",
            Prefetch("slots", queryset=ProgramSlot.objects.select_related("template")),
            Prefetch("sessions", queryset=sessions),
        ),
        pk=pk,
    )


def program_week_grid(program):
    """Rows for the week grid: (week, [sessions in slot order]) from the prefetched program."""
    weeks = {w.number: w for w in program.program_weeks.all()}
    rows = {number: [] for number in weeks}
    for session in program.sessions.all():
        rows.setdefault(session.week, []).append(session)
    return [(weeks.get(number), rows[number]) for number in sorted(rows)]


def program_shape(program) -> linter.ProgramShape:
    """The linter's view of a prefetched program (see `program_with_grid`)."""
    return linter.ProgramShape(
        weeks=program.weeks,
        week_kinds={w.number: w.kind for w in program.program_weeks.all()},
        sessions=tuple(
            linter.SessionShape(
                week=s.week,
                name=s.name,
                prescriptions=tuple(p.as_spec() for p in s.prescriptions.all()),
            )
            for s in program.sessions.all()
        ),
    )


def program_stale_slots(program):
    """Slots whose template was edited after the program copied it."""
    return [s for s in program.slots.all() if s.template.version != s.template_version]


def program_session_get_for_coach(coach, pk):
    return get_object_or_404(
        ProgramSession.objects.select_related("program", "slot").prefetch_related(
            Prefetch(
                "prescriptions", queryset=ProgramPrescription.objects.select_related("exercise")
            )
        ),
        pk=pk,
        program__coach=coach,
    )


def _prescriptions_with_exercises():
    return Prefetch("prescriptions", queryset=Prescription.objects.select_related("exercise"))


def templates_with_prescriptions(templates):
    return templates.prefetch_related(_prescriptions_with_exercises())


def templates_load_prescriptions(templates: list) -> list:
    """Load the prescriptions of already fetched templates (one query for all of them)."""
    prefetch_related_objects(templates, _prescriptions_with_exercises())
    return templates


def program_draft_shape(templates, weeks: int) -> linter.ProgramShape:
    """What a program of `weeks` default weeks from `templates` (prefetched) would look like,
    so the create form can lint before anything is saved."""
    plans = rules.default_week_plans(weeks)
    progression = rules.Progression()
    sessions = []
    for template in templates:
        base = [p.as_spec() for p in template.prescriptions.all()]
        sessions.extend(
            linter.SessionShape(
                week=number,
                name=template.name,
                prescriptions=tuple(rules.resolve_week(base, plans, number, progression)),
            )
            for number in range(1, weeks + 1)
        )
    return linter.ProgramShape(
        weeks=weeks, week_kinds={p.number: p.kind for p in plans}, sessions=tuple(sessions)
    )
