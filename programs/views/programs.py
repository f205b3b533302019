"""The program builder: create a microcycle from templates, set its progression per week, edit
one week's session, re-apply a changed template, duplicate and archive.

Forms on the program page post with htmx and get the page's workspace back (week plans, grid,
linter), so the linter's warnings follow every change; plain posts redirect (POST/redirect/GET).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from web.access import coach_required
from web.kept_pages import kept_page, no_scoped_writes

from .. import linter, rules, selectors, services
from ..forms import (
    ProgramCreateForm,
    ProgramSettingsForm,
    SessionPrescriptionFormSet,
    WeekKindForm,
    WeekPlanFormSet,
    add_service_error,
)
from ..models import ProgramPrescription

PAGE = "programs/program_detail.html"


@require_GET
@coach_required
def program_list(request):
    programs = selectors.programs_for_coach(request.user)
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": programs.filter(archived_at__isnull=True),
            "archived_programs": programs.filter(archived_at__isnull=False),
        },
    )


def _draft_findings(form):
    """Lint what the create form describes, before anything is saved."""
    if not form.is_valid():
        return None
    templates = selectors.templates_load_prescriptions(form.slot_templates())
    return linter.lint(selectors.program_draft_shape(templates, form.cleaned_data["weeks"]))


@require_http_methods(["GET", "POST"])
@coach_required
def program_create(request):
    form = ProgramCreateForm(request.POST or None, coach=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                coach=request.user,
                name=form.cleaned_data["name"],
                weeks=form.cleaned_data["weeks"],
                slots=[(t.name, t) for t in form.slot_templates()],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"“{program.name}” is built: set its progression below.")
            return redirect("programs:program-detail", program.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "programs/program_create.html",
        {"form": form, "findings": _draft_findings(form) if form.is_bound else None},
        status=status,
    )


@require_GET
@coach_required
def program_lint_preview(request):
    """The create form's live linter: warnings for the program as currently filled in."""
    form = ProgramCreateForm(request.GET, coach=request.user, preview=True)
    return render(request, "programs/program_create.html#lint", {"findings": _draft_findings(form)})


def _workspace_context(request, program, **forms):
    return {
        "program": program,
        "grid": selectors.program_week_grid(program),
        "findings": linter.lint(selectors.program_shape(program)),
        "stale_slots": selectors.program_stale_slots(program),
        "settings_form": forms.get("settings_form") or ProgramSettingsForm(instance=program),
        "weeks_formset": forms.get("weeks_formset")
        or WeekPlanFormSet(queryset=program.program_weeks.all(), prefix="weeks"),
        "week_kind_form": forms.get("week_kind_form") or WeekKindForm(program=program),
    }


def _program_page(request, pk, status=200, **forms):
    program = selectors.program_with_grid(request.user, pk)
    template = f"{PAGE}#workspace" if request.htmx else PAGE
    return render(request, template, _workspace_context(request, program, **forms), status=status)


def _after_change(request, pk, message="", **failed_forms):
    if failed_forms:
        return _program_page(request, pk, status=422, **failed_forms)
    if message:
        messages.success(request, message)
    if request.htmx:
        return _program_page(request, pk)
    return redirect("programs:program-detail", pk)


@require_GET
@coach_required
@kept_page(shows=no_scoped_writes)
def program_detail(request, pk):
    return _program_page(request, pk)


@require_POST
@coach_required
def program_update(request, pk):
    program = selectors.program_get_for_coach(request.user, pk)
    form = ProgramSettingsForm(request.POST, instance=program)
    if form.is_valid():
        try:
            services.program_update(program=program, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
    if form.errors:
        return _after_change(request, pk, settings_form=form)
    return _after_change(request, pk, "Program saved.")


@require_POST
@coach_required
def program_weeks_update(request, pk):
    program = selectors.program_get_for_coach(request.user, pk)
    formset = WeekPlanFormSet(request.POST, queryset=program.program_weeks.all(), prefix="weeks")
    if formset.is_valid():
        plans = [
            rules.WeekPlan(
                number=form.instance.number,
                kind=form.cleaned_data["kind"],
                sets_delta=form.cleaned_data["sets_delta"],
                reps_delta=form.cleaned_data["reps_delta"],
                volume_percent=form.cleaned_data["volume_percent"],
            )
            for form in formset.forms
        ]
        try:
            services.program_weeks_update(program=program, plans=plans)
        except ValidationError as error:
            formset.forms[0].add_error(None, error)
    if not formset.is_valid():
        return _after_change(request, pk, weeks_formset=formset)
    return _after_change(request, pk, "Week plans saved; sessions re-resolved.")


@require_POST
@coach_required
def program_week_kind(request, pk):
    program = selectors.program_get_for_coach(request.user, pk)
    form = WeekKindForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.program_week_set_kind(
                program=program, number=form.cleaned_data["week"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            add_service_error(form, error)
    if form.errors:
        return _after_change(request, pk, week_kind_form=form)
    return _after_change(
        request,
        pk,
        f"Week {form.cleaned_data['week']} is now a {form.cleaned_data['kind']} week.",
    )


@require_POST
@coach_required
def program_slot_reapply(request, pk, slot_pk):
    program = selectors.program_get_for_coach(request.user, pk)
    slot = get_object_or_404(program.slots, pk=slot_pk)
    services.program_slot_reapply(slot=slot)
    return _after_change(request, pk, f"“{slot.label}” now follows its template's latest version.")


@require_POST
@coach_required
def program_duplicate(request, pk):
    program = selectors.program_get_for_coach(request.user, pk)
    copy = services.program_duplicate(program=program)
    messages.success(request, f"Duplicated as “{copy.name}”.")
    return redirect("programs:program-detail", copy.pk)


@require_POST
@coach_required
def program_archive(request, pk):
    program = selectors.program_get_for_coach(request.user, pk)
    archived = request.POST.get("archived", "1") == "1"
    services.program_archive(program=program, archived=archived)
    messages.success(request, f"“{program.name}” {'archived' if archived else 'restored'}.")
    if archived:
        return redirect("programs:program-list")
    return redirect("programs:program-detail", pk)


def _session_formset(session, data=None):
    return SessionPrescriptionFormSet(
        data,
        queryset=ProgramPrescription.objects.filter(session=session).select_related("exercise"),
        prefix="prescriptions",
    )


@require_http_methods(["GET", "POST"])
@coach_required
def program_session_edit(request, pk):
    """Edit one session of one week by hand; progression leaves it alone from then on."""
    session = selectors.program_session_get_for_coach(request.user, pk)
    formset = _session_formset(session, request.POST or None)
    if request.method == "POST" and formset.is_valid():
        try:
            services.program_session_update(
                session=session, prescriptions=[f.instance for f in formset.forms]
            )
        except ValidationError as error:
            formset.forms[0].add_error(None, error)
        else:
            messages.success(request, f"Week {session.week} “{session.name}” saved as edited.")
            return redirect("programs:program-detail", session.program_id)
    return render(
        request,
        "programs/session_edit.html",
        {"session": session, "formset": formset},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@coach_required
def program_session_reset(request, pk):
    session = selectors.program_session_get_for_coach(request.user, pk)
    services.program_session_reset(session=session)
    messages.success(
        request, f"Week {session.week} “{session.name}” follows the progression again."
    )
    return redirect("programs:program-detail", session.program_id)
