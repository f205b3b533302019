from django.urls import path

from athletes.views import conversation as conversation_views
from athletes.views import flags as flag_views
from athletes.views import logging as logging_views
from athletes.views import maxes as max_views
from athletes.views import pages
from athletes.views import progress as progress_views
from athletes.views import roster as roster_views
from athletes.views import runs as run_views
from athletes.views import runs_done as run_done_views
from athletes.views import scheduling as scheduling_views
from athletes.views import settings as settings_views

app_name = "athletes"

# One section per feature, as athletes/views has one module per feature.
urlpatterns = [
    # -- pages (athlete home, coach's athlete list) --
    path("athletes/", pages.athlete_list, name="athlete-list"),
    path("upcoming/", pages.upcoming, name="upcoming"),
    # -- letting an athlete go: hand-over to another coach, removal from the roster --
    path("athletes/<int:athlete_id>/leave/", roster_views.athlete_leave, name="athlete-leave"),
    path(
        "athletes/<int:athlete_id>/hand-over/",
        roster_views.athlete_handover,
        name="athlete-handover",
    ),
    path("athletes/<int:athlete_id>/remove/", roster_views.athlete_remove, name="athlete-remove"),
    path("athletes/former/", roster_views.former_athlete_list, name="former-athlete-list"),
    path(
        "athletes/former/<int:athlete_id>/",
        roster_views.former_athlete_detail,
        name="former-athlete-detail",
    ),
    path(
        "hand-overs/<int:athlete_id>/accept/",
        roster_views.handover_accept_view,
        name="handover-accept",
    ),
    # -- calendars, moving sessions, assignment --
    path("calendar/week/", scheduling_views.calendar_week, name="calendar-week"),
    path("calendar/month/", scheduling_views.calendar_month, name="calendar-month"),
    path("calendar/feed/<str:token>.ics", scheduling_views.calendar_feed, name="calendar-feed"),
    path(
        "calendar/feed/revoke/", scheduling_views.calendar_feed_revoke, name="calendar-feed-revoke"
    ),
    path(
        "athletes/<int:athlete_id>/calendar/",
        scheduling_views.athlete_calendar,
        name="athlete-calendar",
    ),
    path(
        "sessions/<int:session_id>/move/",
        scheduling_views.session_move_view,
        name="session-move",
    ),
    path("assignments/new/", scheduling_views.assignment_create_view, name="assignment-create"),
    path(
        "assignments/placed/",
        scheduling_views.assignment_placements,
        name="assignment-placements",
    ),
    path(
        "assignments/<int:assignment_id>/end/",
        scheduling_views.assignment_end_view,
        name="assignment-end",
    ),
    # -- run events --
    path("runs/new/", run_views.run_event_create, name="run-event-create"),
    path("runs/weekly/", run_views.run_event_weekly, name="run-event-weekly"),
    path("runs/import/", run_views.run_event_import, name="run-event-import"),
    path("runs/<int:event_id>/edit/", run_views.run_event_edit, name="run-event-edit"),
    path("runs/<int:event_id>/delete/", run_views.run_event_delete, name="run-event-delete"),
    path(
        "athletes/<int:athlete_id>/runs/new/",
        run_views.run_event_create,
        name="athlete-run-event-create",
    ),
    path(
        "athletes/<int:athlete_id>/runs/weekly/",
        run_views.run_event_weekly,
        name="athlete-run-event-weekly",
    ),
    path(
        "athletes/<int:athlete_id>/runs/import/",
        run_views.run_event_import,
        name="athlete-run-event-import",
    ),
    # -- runs done --
    path("runs/done/upload/", run_done_views.runs_done_upload, name="runs-done-upload"),
    path("runs/done/new/", run_done_views.run_done_create, name="run-done-create"),
    path("runs/done/<int:run_id>/", run_done_views.run_done_detail, name="run-done-detail"),
    path("runs/done/<int:run_id>/delete/", run_done_views.run_done_delete, name="run-done-delete"),
    path(
        "athletes/<int:athlete_id>/runs/done/upload/",
        run_done_views.runs_done_upload,
        name="athlete-runs-done-upload",
    ),
    path(
        "athletes/<int:athlete_id>/runs/done/new/",
        run_done_views.run_done_create,
        name="athlete-run-done-create",
    ),
    # -- logging --
    path("today/", logging_views.today, name="session-today"),
    path("sessions/<int:session_id>/", logging_views.session_detail, name="session-detail"),
    path("sessions/<int:session_id>/sets/", logging_views.set_record, name="set-record"),
    path(
        "sessions/<int:session_id>/complete/",
        logging_views.session_complete,
        name="session-complete",
    ),
    path("sessions/<int:session_id>/skip/", logging_views.session_skip, name="session-skip"),
    path("sessions/<int:session_id>/reopen/", logging_views.session_reopen, name="session-reopen"),
    path("history/", logging_views.history, name="history-list"),
    path(
        "history/exercises/<int:exercise_id>/",
        logging_views.history_exercise,
        name="history-exercise",
    ),
    path("csrf/", logging_views.csrf_refresh, name="csrf-refresh"),
    path("sw.js", logging_views.service_worker, name="service-worker"),
    # -- the conversation about sessions and runs --
    path(
        "sessions/<int:session_id>/comments/",
        conversation_views.session_comment_post,
        name="session-comment-post",
    ),
    path(
        "runs/done/<int:run_id>/comments/",
        conversation_views.run_done_comment_post,
        name="run-done-comment-post",
    ),
    path("runs/<int:event_id>/", conversation_views.run_event_detail, name="run-event-detail"),
    path(
        "runs/<int:event_id>/comments/",
        conversation_views.run_event_comment_post,
        name="run-event-comment-post",
    ),
    path("comments/<uuid:comment_id>/edit/", conversation_views.comment_edit, name="comment-edit"),
    path(
        "comments/<uuid:comment_id>/delete/",
        conversation_views.comment_delete,
        name="comment-delete",
    ),
    path("conversations/", conversation_views.conversation_list, name="conversation-list"),
    path("offline/", logging_views.offline, name="offline"),
    # -- tested maxes --
    path("maxes/new/", max_views.one_rep_max_enter, name="one-rep-max-enter"),
    path(
        "athletes/<int:athlete_id>/maxes/new/",
        max_views.one_rep_max_enter,
        name="athlete-one-rep-max-enter",
    ),
    # -- flags --
    path("flags/", flag_views.flag_list, name="flag-list"),
    path("flags/<int:pk>/acknowledge/", flag_views.flag_acknowledge, name="flag-acknowledge"),
    path("flags/<int:pk>/move/", flag_views.flag_move, name="flag-move"),
    # -- progress and transfer tests --
    path("progress/", progress_views.progress_show, name="progress-show"),
    path(
        "progress/tests/new/",
        progress_views.transfer_test_create_view,
        name="transfer-test-create",
    ),
    path(
        "progress/tests/<int:test_id>/delete/",
        progress_views.transfer_test_delete_view,
        name="transfer-test-delete",
    ),
    path("progress/export/<str:what>.csv", progress_views.progress_export, name="progress-export"),
    path("athletes/<int:athlete_id>/", progress_views.athlete_detail, name="athlete-detail"),
    path(
        "athletes/<int:athlete_id>/tests/new/",
        progress_views.transfer_test_create_view,
        name="athlete-transfer-test-create",
    ),
    path(
        "athletes/<int:athlete_id>/export/<str:what>.csv",
        progress_views.progress_export,
        name="athlete-progress-export",
    ),
    # -- settings --
    path("settings/", settings_views.settings_edit, name="settings-edit"),
    path(
        "athletes/<int:athlete_id>/settings/",
        settings_views.athlete_settings_edit,
        name="athlete-settings-edit",
    ),
]
