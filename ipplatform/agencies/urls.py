from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("agencies/", views.index, name="index"),
    path("agencies/new/", views.agency_new, name="agency_new"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("agencies/<int:pk>/action/", views.agency_action, name="agency_action"),
    path("alliances/", views.alliances, name="alliances"),
    path("alliances/new/", views.alliance_new, name="alliance_new"),
    path("alliances/<int:pk>/", views.alliance_detail, name="alliance"),
    path("alliances/<int:pk>/action/", views.alliance_action, name="alliance_action"),
    path("key-units/", views.units, name="units"),
    path("key-units/new/", views.unit_new, name="unit_new"),
    path("key-units/<int:pk>/revoke/", views.unit_revoke, name="unit_revoke"),
]
