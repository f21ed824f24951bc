from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("experts/", views.index, name="index"),
    path("experts/new/", views.edit, name="new"),
    path("experts/<int:pk>/", views.detail, name="detail"),
    path("experts/<int:pk>/edit/", views.edit, name="edit"),
    path("experts/<int:pk>/conflicts/", views.conflict_new, name="conflict_new"),
]
