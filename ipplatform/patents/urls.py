from django.urls import path

from . import views

app_name = "patents"

urlpatterns = [
    path("patents/import/", views.upload, name="import"),
    path("patents/imports/", views.import_history, name="import_history"),
    path("patents/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("patents/imports/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("patents/applicants/", views.applicants, name="applicants"),
    path("patents/applicants/<int:pk>/edit/", views.applicant_edit, name="applicant_edit"),
    path("patents/unattributed/", views.unattributed, name="unattributed"),
    path("patents/mappings/", views.mappings, name="mappings"),
    path("patents/mappings/new/", views.mapping_edit, name="mapping_new"),
    path("patents/mappings/<int:pk>/", views.mapping_edit, name="mapping_edit"),
    path("patents/mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
]
