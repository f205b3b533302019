"""Admin for athletes and their training: support and inspection, not the coach's workflow.

Assignments and scheduled sessions are made by services (assignment_create places every
session), so the admin does not add them. Logged sets are history: shown, never edited. Any
change to an athlete's run events, sessions or freshness window re-checks their flags, as the
app's own pages do, and a new time zone moves their sessions with it (athlete_time_zone_change).
Deletes that would take logged training with them are refused (PROTECT).
"""

from django.contrib import admin

from programs.admin import ReadOnlyInlineMixin

from .models import Assignment, Athlete, Flag, RunEvent, ScheduledSession, SetLog, TransferTest
from .services.scheduling import athlete_time_zone_change
from .tasks import athlete_schedule_changed


class RechecksFlagsMixin:
    """Re-check the athlete's flags after the admin saves or deletes one of these rows."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        athlete_schedule_changed(obj.athlete_id)

    def delete_model(self, request, obj):
        athlete_id = obj.athlete_id
        super().delete_model(request, obj)
        athlete_schedule_changed(athlete_id)

    def delete_queryset(self, request, queryset):
        athlete_ids = set(queryset.values_list("athlete_id", flat=True))
        super().delete_queryset(request, queryset)
        for athlete_id in athlete_ids:
            athlete_schedule_changed(athlete_id)


# Athlete fields the flag check reads (a session without a time of day is checked at the default).
# A new time zone goes through athlete_time_zone_change, which re-checks the flags itself.
FLAG_INPUTS = {"freshness_window_hours", "default_session_time"}


@admin.register(Athlete)
class AthleteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "coach", "time_zone", "unit", "freshness_window_hours"]
    list_filter = ["unit", "freshness_window_hours"]
    list_select_related = ["user", "coach"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "coach__username",
    ]
    raw_id_fields = ["user", "coach"]
    readonly_fields = ["feed_token", "created_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "time_zone" in form.changed_data:
            athlete_time_zone_change(athlete=obj, time_zone=obj.time_zone)
        elif change and FLAG_INPUTS & set(form.changed_data):
            athlete_schedule_changed(obj.pk)


@admin.register(RunEvent)
class RunEventAdmin(RechecksFlagsMixin, admin.ModelAdmin):
    list_display = ["__str__", "athlete", "kind", "starts_at", "distance_m", "priority", "is_key"]
    list_filter = ["kind", "priority", "is_key"]
    list_select_related = ["athlete__user"]
    search_fields = ["name", "athlete__user__username", "external_uid"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["athlete"]
    readonly_fields = ["external_uid", "created_at", "updated_at"]


class ScheduledSessionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ScheduledSession
    fields = ["name", "date", "time_of_day", "intensity", "status"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "athlete", "program", "start_date", "ended_at"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter)]
    list_select_related = ["athlete__user", "program"]
    search_fields = ["athlete__user__username", "program__name"]
    readonly_fields = ["athlete", "program", "start_date", "created_at"]
    inlines = [ScheduledSessionInline]

    def has_add_permission(self, request):
        return False


class SetLogInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = SetLog
    fields = [
        "exercise",
        "set_number",
        "side",
        "reps",
        "load",
        "load_kg",
        "hold_seconds",
        "rpe",
        "prescribed",
    ]
    readonly_fields = fields
    ordering = ["logged_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("exercise")


@admin.register(ScheduledSession)
class ScheduledSessionAdmin(RechecksFlagsMixin, admin.ModelAdmin):
    """Where a session sits (date, time, its instant) is set by scheduling services, which keep
    them consistent; the admin can correct how it went."""

    list_display = ["name", "athlete", "date", "time_of_day", "intensity", "status"]
    list_filter = ["status", "intensity"]
    list_select_related = ["athlete__user"]
    search_fields = ["name", "athlete__user__username"]
    date_hierarchy = "date"
    readonly_fields = [
        "athlete",
        "assignment",
        "program_session",
        "name",
        "intensity",
        "date",
        "time_of_day",
        "starts_at",
        "duration_minutes",
        "placement_reason",
        "completed_at",
        "updated_at",
    ]
    inlines = [SetLogInline]

    def has_add_permission(self, request):
        return False


@admin.register(SetLog)
class SetLogAdmin(admin.ModelAdmin):
    """Logged sets are the athlete's history: readable here, changed only by the athlete."""

    list_display = [
        "exercise", "scheduled_session", "set_number", "side", "reps", "load", "load_kg", "rpe"
    ]  # fmt: skip
    list_filter = ["side"]
    list_select_related = ["exercise", "scheduled_session"]
    search_fields = ["exercise__name", "scheduled_session__athlete__user__username"]
    date_hierarchy = "logged_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """Flags are raised and resolved by the flagging job; an admin may only acknowledge one."""

    list_display = [
        "__str__",
        "athlete",
        "kind",
        "severity",
        "hours_before",
        "raised_at",
        "resolved_at",
        "acknowledged_at",
    ]
    list_filter = ["severity", "kind", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["athlete__user", "scheduled_session"]
    search_fields = ["athlete__user__username", "event_name"]
    fields = [
        "athlete",
        "scheduled_session",
        "run_event",
        "kind",
        "severity",
        "hours_before",
        "session_ends_at",
        "event_starts_at",
        "event_name",
        "suggested_starts_at",
        "suggestion_reason",
        "raised_at",
        "resolved_at",
        "notified_at",
        "acknowledged_at",
    ]
    readonly_fields = [name for name in fields if name != "acknowledged_at"]

    def has_add_permission(self, request):
        return False


@admin.register(TransferTest)
class TransferTestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "athlete", "kind", "date", "value", "detail"]
    list_filter = ["kind"]
    list_select_related = ["athlete__user"]
    search_fields = ["athlete__user__username", "detail", "notes"]
    date_hierarchy = "date"
    raw_id_fields = ["athlete", "recorded_by"]
