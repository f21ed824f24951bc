from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.index, name="index"),
    path("portal/city/<str:code>/", views.city, name="city"),
    path("portal/topics/<int:pk>/", views.topic, name="topic"),
]
