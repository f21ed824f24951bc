from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("credit/", views.index, name="index"),
    path("credit/mine/", views.mine, name="mine"),
    path("credit/orgs/<int:pk>/", views.org_detail, name="org"),
    path("credit/orgs/<int:pk>/events/", views.event_new, name="event_new"),
    path("credit/events/<int:pk>/withdraw/", views.event_withdraw, name="event_withdraw"),
    path("credit/orgs/<int:org_pk>/list/", views.entry_new, name="entry_new"),
    path("credit/list/", views.list_index, name="list"),
    path("credit/list/<int:pk>/", views.entry_detail, name="entry"),
    path("credit/list/<int:pk>/action/", views.entry_act, name="entry_act"),
]
