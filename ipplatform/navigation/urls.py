from django.urls import path

from . import api, views

app_name = "navigation"

urlpatterns = [
    path("navigation/", views.index, name="index"),
    path("navigation/db/new/", views.db_edit, name="db_new"),
    path("navigation/db/<int:pk>/", views.db_detail, name="db_detail"),
    path("navigation/db/<int:pk>/edit/", views.db_edit, name="db_edit"),
    path("navigation/db/<int:pk>/delete/", views.db_delete, name="db_delete"),
    path("navigation/db/<int:pk>/refresh/", views.db_refresh, name="db_refresh"),
    path("navigation/db/<int:pk>/manual/", views.db_manual, name="db_manual"),
    path("navigation/db/<int:pk>/members.xlsx", views.db_members_xlsx, name="db_members_xlsx"),
    path("navigation/db/<int:pk>/check/", views.check_new, name="check_new"),
    path("navigation/check/<int:pk>/", views.check_detail, name="check_detail"),
    path("navigation/check/<int:pk>/sheet.xlsx", views.check_xlsx, name="check_xlsx"),
    path("navigation/analyze/", views.analyze, name="analyze"),
    path("navigation/effect-terms/", views.effect_terms_page, name="effect_terms"),
    path("navigation/reports/", views.report_list, name="reports"),
    path("navigation/reports/new/", views.report_new, name="report_new"),
    path("navigation/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("navigation/reports/<int:pk>/regenerate/", views.report_regenerate, name="report_regenerate"),
    path("navigation/reports/<int:pk>/delete/", views.report_delete, name="report_delete"),
    path("navigation/reports/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("navigation/reports/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("api/v1/navigation/databases", api.DatabaseListView.as_view(), name="api_databases"),
    path("api/v1/navigation/analyses/<str:key>", api.AnalysisView.as_view(), name="api_analysis"),
]
