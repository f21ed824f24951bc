from django.urls import path

from . import views

app_name = "census"

urlpatterns = [
    path("census/", views.index, name="index"),
    path("census/rounds/new/", views.round_new, name="round_new"),
    path("census/rounds/<int:pk>/", views.round_detail, name="round"),
    path("census/rounds/<int:pk>/action/", views.round_action, name="round_action"),
    path("census/rounds/<int:pk>/template.xlsx", views.template_download, name="template"),
    path("census/rounds/<int:pk>/import/", views.import_upload, name="import"),
    path("census/rounds/<int:pk>/results/", views.results, name="results"),
    path("census/responses/<int:pk>/", views.response_detail, name="response"),
    path("census/responses/<int:pk>/return/", views.response_return, name="response_return"),
]
