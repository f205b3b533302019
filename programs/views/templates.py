"""The template builder: a coach's session templates, their prescriptions and the library search.

htmx requests get the fragment they replace; plain posts redirect back to the builder, so every
action also works without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from web.access import coach_required, parse_id, parse_ids

from .. import rules, selectors, services
from ..forms import (
    ExerciseProposeForm,
    ExerciseSearchForm,
    TemplateForm,
    TemplatePrescriptionForm,
    add_service_error,
)

PAGE = "programs/template_edit.html"


def _rows(prescriptions, bound=None):
    """(prescription, form) pairs; `bound` replaces one row's form with the one that failed."""
    return [
        (p, bound if bound is not None and bound.instance.pk == p.pk else _row_form(p))
        for p in prescriptions
    ]


def _row_form(prescription, data=None):
    return TemplatePrescriptionForm(data, instance=prescription, prefix=f"p{prescription.pk}")


def _summary(template, prescriptions):
    specs = [p.as_spec() for p in prescriptions]
    return {
        "derived_intensity": rules.session_intensity(specs),
        "intensity": rules.session_intensity(specs, template.intensity_override),
        "estimated_minutes": rules.estimated_minutes(specs) if specs else 0,
    }


def _builder_context(template, *, bound_row=None, **extra):
    prescriptions = selectors.template_prescriptions(template)
    return {
        "template": template,
        "rows": _rows(prescriptions, bound_row),
        "summary": _summary(template, prescriptions),
        **extra,
    }


def _list_response(request, template, **extra):
    """After add/remove/move: the whole list (with its summary) for htmx, else back to the page."""
    if not request.htmx:
        return redirect("programs:template-edit", template.pk)
    return render(request, f"{PAGE}#prescription-list", _builder_context(template, **extra))


def _order_changed(request, template, error):
    """A move that lost a race with another window (409): the list as it is now, and why."""
    template.refresh_from_db()
    if not request.htmx:
        return _builder_page(request, template, order_changed=error.message, status=409)
    context = _builder_context(template, order_changed=error.message)
    return render(request, f"{PAGE}#prescription-list", context, status=409)


def _template_list_page(request, form, status=200):
    return render(
        request,
        "programs/template_list.html",
        {
            "own_templates": selectors.templates_for_coach(request.user),
            "library_templates": selectors.templates_with_prescriptions(
                selectors.library_templates()
            ),
            "form": form,
        },
        status=status,
    )


@require_GET
@coach_required
def template_list(request):
    return _template_list_page(request, TemplateForm(owner=request.user))


@require_POST
@coach_required
def template_create(request):
    form = TemplateForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            template = services.template_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("programs:template-edit", template.pk)
    return _template_list_page(request, form, status=422)


@require_POST
@coach_required
def template_copy(request, pk):
    source = selectors.template_copyable_for_coach(request.user, pk)
    copy = services.template_copy(template=source, owner=request.user)
    messages.success(request, f"Copied “{source.name}” into your templates as “{copy.name}”.")
    return redirect("programs:template-edit", copy.pk)


def _builder_page(
    request,
    template,
    *,
    settings_form=None,
    bound_row=None,
    propose_form=None,
    search_form=None,
    exercises=None,
    status=200,
    **extra,
):
    context = _builder_context(
        template,
        bound_row=bound_row,
        **extra,
        settings_form=settings_form or TemplateForm(instance=template, owner=request.user),
        search_form=search_form or ExerciseSearchForm(),
        exercises=selectors.exercise_search(request.user) if exercises is None else exercises,
        propose_form=propose_form or ExerciseProposeForm(prefix="propose"),
    )
    return render(request, PAGE, context, status=status)


@require_GET
@coach_required
def template_edit(request, pk):
    return _builder_page(request, selectors.template_get_for_coach(request.user, pk))


@require_POST
@coach_required
def template_update(request, pk):
    template = selectors.template_get_for_coach(request.user, pk)
    form = TemplateForm(request.POST, instance=template, owner=request.user)
    if form.is_valid():
        try:
            services.template_update(template=template, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Template saved.")
            return redirect("programs:template-edit", template.pk)
    template.refresh_from_db()
    return _builder_page(request, template, settings_form=form, status=422)


@require_GET
@coach_required
def exercise_search(request, pk):
    template = selectors.template_get_for_coach(request.user, pk)
    form = ExerciseSearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    exercises = selectors.exercise_search(
        request.user,
        query=filters.get("q", ""),
        category=filters.get("category", ""),
        pattern=filters.get("pattern", ""),
        unilateral=filters.get("unilateral", False),
    )
    if not request.htmx:
        return _builder_page(request, template, search_form=form, exercises=exercises)
    context = {"template": template, "exercises": exercises}
    return render(request, f"{PAGE}#exercise-results", context)


@require_POST
@coach_required
def exercise_propose(request, pk):
    """A coach's own exercise, added to this template at once; private until an admin publishes."""
    template = selectors.template_get_for_coach(request.user, pk)
    form = ExerciseProposeForm(request.POST, prefix="propose")
    if form.is_valid():
        try:
            exercise = services.exercise_propose(
                coach=request.user, template=template, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"“{exercise.name}” is in your library (private until an admin publishes it).",
            )
            return redirect("programs:template-edit", template.pk)
    template.refresh_from_db()
    return _builder_page(request, template, propose_form=form, status=422)


@require_POST
@coach_required
def prescription_create(request, pk):
    template = selectors.template_get_for_coach(request.user, pk)
    exercise = selectors.exercise_get_for_coach(
        request.user, parse_id(request.POST.get("exercise"))
    )
    services.prescription_add(template=template, exercise=exercise)
    template.refresh_from_db()
    return _list_response(request, template)


@require_POST
@coach_required
def prescription_update(request, pk):
    prescription = selectors.prescription_get_for_coach(request.user, pk)
    template = prescription.template
    form = _row_form(prescription, request.POST)
    saved = False
    if form.is_valid():
        try:
            services.prescription_update(prescription=prescription, **form.cleaned_data)
            saved = True
        except ValidationError as error:
            add_service_error(form, error)
    if not request.htmx:
        if saved:
            messages.success(request, f"Saved {prescription.exercise.name}.")
            return redirect("programs:template-edit", template.pk)
        return _builder_page(request, template, bound_row=form, status=422)
    context = _builder_context(template)
    context.update(
        prescription=prescription, form=_row_form(prescription) if saved else form, saved=saved
    )
    # builder.js lets htmx swap a 422, so the messages appear next to the fields.
    return render(
        request, f"{PAGE}#prescription-form-response", context, status=200 if saved else 422
    )


@require_POST
@coach_required
def prescription_delete(request, pk):
    prescription = selectors.prescription_get_for_coach(request.user, pk)
    template = prescription.template
    services.prescription_delete(prescription=prescription)
    template.refresh_from_db()
    return _list_response(request, template)


@require_POST
@coach_required
def prescription_move(request, pk):
    prescription = selectors.prescription_get_for_coach(request.user, pk)
    direction = request.POST.get("direction", "")
    template = prescription.template
    try:
        services.prescription_move(prescription=prescription, direction=direction)
    except services.OrderChanged as error:
        return _order_changed(request, template, error)
    template.refresh_from_db()
    return _list_response(request, template, moved_id=prescription.pk, moved_direction=direction)


@require_POST
@coach_required
def template_reorder(request, pk):
    """The order after a drag and drop: every prescription id of the template, top to bottom."""
    template = selectors.template_get_for_coach(request.user, pk)
    order = request.POST.getlist("order")
    ordered_ids = parse_ids(order)
    try:
        if len(ordered_ids) < len(order):  # something in it is no id, so no prescription either
            raise ValidationError("The new order lists something that is not an exercise.")
        services.prescriptions_reorder(template=template, ordered_ids=ordered_ids)
    except services.OrderChanged as error:
        return _order_changed(request, template, error)
    except ValidationError:
        return render(request, f"{PAGE}#prescription-list", _builder_context(template), status=422)
    template.refresh_from_db()
    return _list_response(request, template)
