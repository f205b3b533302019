"""Admin for the shared library: exercises (review, publish/retire, CSV in and out), library
templates with their prescriptions, and a look into programs.

Deletes are left to Django's admin, which refuses (with the list of what is in the way) anything
that PROTECT guards: an exercise used by a template, a program or a logged set; a template used
by a program; a program that is assigned.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from .forms_admin import ExerciseImportForm
from .library_csv import exercises_csv, exercises_import_csv
from .models import (
    PRESCRIPTION_DETAIL_FIELD_NAMES,
    Exercise,
    Prescription,
    Program,
    ProgramPrescription,
    ProgramSession,
    ProgramSlot,
    ProgramWeek,
    SessionTemplate,
)
from .services import template_bump_version

EXPORT_FILENAME = "exercises.csv"
# A session's prescriptions in the admin: the block beside the position, so warm-up, main and
# core read down the left, then the exercise and its details.
PRESCRIPTION_INLINE_FIELDS = [
    "position",
    "block",
    "exercise",
    *(name for name in PRESCRIPTION_DETAIL_FIELD_NAMES if name != "block"),
]


class ReadOnlyInlineMixin:
    """An inline that shows rows made by a service and lets nobody add, change or remove them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "category",
        "pattern",
        "is_unilateral",
        "measure",
        "equipment",
        "status",
        "proposed_by",
        "updated_at",
    ]
    list_filter = ["status", "category", "pattern", "is_unilateral", "measure"]
    list_select_related = ["proposed_by"]
    search_fields = ["name", "cues", "equipment"]
    readonly_fields = ["created_at", "updated_at"]
    raw_id_fields = ["proposed_by"]
    actions = ["publish", "retire", "export_csv"]
    fieldsets = [
        (None, {"fields": ["name", "status", "proposed_by"]}),
        ("What it is", {"fields": ["category", "pattern", "is_unilateral", "measure"]}),
        ("Coaching", {"fields": ["equipment", "cues", "video_url"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_csv_view),
                name="programs_exercise_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_csv_view),
                name="programs_exercise_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "proposed_count": Exercise.objects.filter(status=Exercise.Status.PROPOSED).count(),
            "can_import": self.can_import(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def can_import(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _set_status(self, request, queryset, status):
        changing = list(queryset.exclude(status=status))
        Exercise.objects.filter(pk__in=[e.pk for e in changing]).update(
            status=status, updated_at=timezone.now()
        )
        label = Exercise.Status(status).label.lower()
        for exercise in changing:  # the history says which admin published or retired it
            self.log_change(request, exercise, f"{label.capitalize()} (was {exercise.status}).")
        self.message_user(request, f"{len(changing)} exercise(s) {label}.", messages.SUCCESS)

    @admin.action(description="Publish selected exercises", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Exercise.Status.PUBLISHED)

    @admin.action(description="Retire selected exercises", permissions=["change"])
    def retire(self, request, queryset):
        self._set_status(request, queryset, Exercise.Status.RETIRED)

    @admin.action(description="Export selected exercises as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_response(exercises_csv(queryset.order_by("name")), EXPORT_FILENAME)

    def export_csv_view(self, request):
        """Every exercise the change list shows with its current search and filters."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect("admin:programs_exercise_changelist")
        return csv_response(exercises_csv(changelist.queryset.order_by("name")), EXPORT_FILENAME)

    def import_csv_view(self, request):
        if not self.can_import(request):
            raise PermissionDenied
        form = ExerciseImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = exercises_import_csv(form.cleaned_data["file"])
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                for exercise in result.created:
                    self.log_addition(request, exercise, "Imported from CSV.")
                for exercise in result.updated:
                    self.log_change(request, exercise, "Updated from CSV.")
                self.message_user(
                    request,
                    f"Imported {len(result.created)} new, {len(result.updated)} updated and "
                    f"{len(result.unchanged)} unchanged exercise(s).",
                    messages.SUCCESS,
                )
                return redirect("admin:programs_exercise_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import exercises from CSV",
            "form": form,
        }
        return TemplateResponse(request, "admin/programs/exercise/import.html", context)


class LibraryFilter(admin.SimpleListFilter):
    title = "library"
    parameter_name = "library"

    def lookups(self, request, model_admin):
        return [("yes", "Library (shared)"), ("no", "A coach's own")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(owner__isnull=True)
        if self.value() == "no":
            return queryset.filter(owner__isnull=False)
        return queryset


class PrescriptionInline(admin.TabularInline):
    model = Prescription
    extra = 0
    ordering = ["position", "id"]
    fields = PRESCRIPTION_INLINE_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("template", "exercise")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """One query for the exercise menu of every row, not one per row."""
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "exercise":
            formfield.choices = list(formfield.choices)
        return formfield


@admin.register(SessionTemplate)
class SessionTemplateAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "owner",
        "target_minutes",
        "intensity_override",
        "version",
        "is_archived",
        "updated_at",
    ]
    list_filter = [LibraryFilter, "is_archived", "intensity_override"]
    list_select_related = ["owner"]
    search_fields = ["name", "description", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["copied_from", "version", "created_at", "updated_at"]
    inlines = [PrescriptionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = any(formset.has_changed() for formset in formsets)
        if change and (changed or "intensity_override" in form.changed_data):
            # Programs built from this template compare versions to tell their copy is stale.
            template_bump_version(form.instance)


class ProgramWeekInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ProgramWeek
    fields = ["number", "kind", "sets_delta", "reps_delta", "volume_percent"]
    readonly_fields = fields


class ProgramSlotInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ProgramSlot
    fields = ["position", "label", "template", "template_version"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("template")


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    """Programs are built by coaches in the builder (program_create); here they can be renamed,
    archived or inspected. Their weeks and sessions are a snapshot, so they are read-only."""

    list_display = ["name", "coach", "weeks", "created_at", "archived_at"]
    list_filter = ["weeks", ("archived_at", admin.EmptyFieldListFilter)]
    list_select_related = ["coach"]
    search_fields = ["name", "description", "coach__username"]
    readonly_fields = [
        "coach",
        "weeks",
        "load_step_percent_1rm",
        "load_step_rpe",
        "copied_from",
        "created_at",
        "updated_at",
    ]
    inlines = [ProgramWeekInline, ProgramSlotInline]

    def has_add_permission(self, request):
        return False


class ProgramPrescriptionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ProgramPrescription
    ordering = ["position", "id"]
    fields = PRESCRIPTION_INLINE_FIELDS
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("exercise")


@admin.register(ProgramSession)
class ProgramSessionAdmin(admin.ModelAdmin):
    list_display = ["program", "week", "name", "intensity", "estimated_minutes", "is_customized"]
    list_filter = ["intensity", "week", "is_customized"]
    list_select_related = ["program"]
    search_fields = ["name", "program__name"]
    readonly_fields = ["program", "slot", "week", "name", "intensity", "estimated_minutes"]
    inlines = [ProgramPrescriptionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a program's weeks × sessions are removed only with the program
