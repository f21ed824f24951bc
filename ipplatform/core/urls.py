from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import api, views

app_name = "core"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True), name="favicon"),
    path("account/password/", views.password_change, name="password_change"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("reference/ipc/", views.ipc_browser, name="ipc"),
    path("reference/regions/", views.regions_page, name="regions"),
    path("reference/population/import/", views.population_import, name="population_import"),
    path("reference/population/template.xlsx", views.population_template, name="population_template"),
    path("api/v1/me", api.MeView.as_view(), name="api_me"),
    path("api/v1/reference/ipc/<path:code>", api.IPCView.as_view(), name="api_ipc"),
]
