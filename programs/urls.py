from django.urls import path

from .views import programs as program_views
from .views import templates as template_views

app_name = "programs"

urlpatterns = [
    # -- template builder --
    path("templates/", template_views.template_list, name="template-list"),
    path("templates/new/", template_views.template_create, name="template-create"),
    path("templates/<int:pk>/", template_views.template_edit, name="template-edit"),
    path("templates/<int:pk>/settings/", template_views.template_update, name="template-update"),
    path("templates/<int:pk>/copy/", template_views.template_copy, name="template-copy"),
    path("templates/<int:pk>/order/", template_views.template_reorder, name="template-reorder"),
    path("templates/<int:pk>/exercises/", template_views.exercise_search, name="exercise-search"),
    path(
        "templates/<int:pk>/exercises/propose/",
        template_views.exercise_propose,
        name="exercise-propose",
    ),
    path(
        "templates/<int:pk>/prescriptions/",
        template_views.prescription_create,
        name="prescription-create",
    ),
    path("prescriptions/<int:pk>/", template_views.prescription_update, name="prescription-update"),
    path(
        "prescriptions/<int:pk>/delete/",
        template_views.prescription_delete,
        name="prescription-delete",
    ),
    path(
        "prescriptions/<int:pk>/move/", template_views.prescription_move, name="prescription-move"
    ),
    # -- program builder --
    path("", program_views.program_list, name="program-list"),
    path("new/", program_views.program_create, name="program-create"),
    path("new/lint/", program_views.program_lint_preview, name="program-lint-preview"),
    path("<int:pk>/", program_views.program_detail, name="program-detail"),
    path("<int:pk>/settings/", program_views.program_update, name="program-update"),
    path("<int:pk>/weeks/", program_views.program_weeks_update, name="program-weeks-update"),
    path("<int:pk>/weeks/kind/", program_views.program_week_kind, name="program-week-kind"),
    path(
        "<int:pk>/slots/<int:slot_pk>/reapply/",
        program_views.program_slot_reapply,
        name="program-slot-reapply",
    ),
    path("<int:pk>/duplicate/", program_views.program_duplicate, name="program-duplicate"),
    path("<int:pk>/archive/", program_views.program_archive, name="program-archive"),
    path("sessions/<int:pk>/", program_views.program_session_edit, name="program-session-edit"),
    path(
        "sessions/<int:pk>/reset/",
        program_views.program_session_reset,
        name="program-session-reset",
    ),
]
