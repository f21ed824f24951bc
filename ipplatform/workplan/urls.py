from django.urls import path

from . import api, views

app_name = "workplan"

urlpatterns = [
    path("workplan/", views.index, name="index"),
    path("workplan/board/", views.board, name="board"),
    path("workplan/plans/<int:pk>/summary/<str:kind>/", views.summary, name="summary"),
    path("workplan/plans/<int:pk>/remind-missing/", views.remind_missing, name="remind_missing"),
    path("workplan/import/", views.import_start, name="import"),
    path("workplan/import/template.xlsx", views.import_template, name="import_template"),
    path("workplan/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("workplan/import/<int:pk>/resolve/", views.import_resolve, name="import_resolve"),
    path("workplan/import/<int:pk>/narrow/", views.import_narrow, name="import_narrow"),
    path("workplan/import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("workplan/import/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("workplan/tasks/<int:pk>/", views.task_detail, name="task"),
    path("workplan/tasks/<int:pk>/report/", views.task_report, name="task_report"),
    path("workplan/tasks/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("workplan/tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("workplan/tasks/<int:pk>/remind/", views.task_remind, name="task_remind"),
    path("workplan/tasks/<int:pk>/units/", views.task_units, name="task_units"),
    path("workplan/milestones/<int:pk>/finish/", views.milestone_finish, name="milestone_finish"),
    path("workplan/reports/", views.report_list, name="reports"),
    path("workplan/reports/<int:pk>/", views.report_detail, name="report"),
    path("workplan/reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("workplan/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("workplan/reminders/", views.reminder_list, name="reminders"),
    path("workplan/reminders/<int:pk>/", views.reminder_detail, name="reminder"),
    path("api/v1/workplan/tasks", api.TaskListView.as_view(), name="api_tasks"),
    path("api/v1/workplan/board", api.BoardView.as_view(), name="api_board"),
]
