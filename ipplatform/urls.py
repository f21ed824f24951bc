"""Root URLs: each domain app contributes its own `urls.py` (pages and /api/v1/ routes)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ipplatform.core import health
from ipplatform.core import views as core_views

DOMAIN_APPS = [
    "core",
    "patents",
    "search",
    "analytics",
    "navigation",
    "protection",
    "orgs",
    "market",
    "finance",
    "workplan",
    "experts",
    "agencies",
    "census",
    "credit",
    "training",
    "publicity",
    "portal",
    "programmes",
]

admin.site.site_header = "知识产权公共服务平台 · 后台管理"
admin.site.site_title = "平台后台"
admin.site.index_title = "机构、用户与参考数据"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("healthz", health.healthz, name="healthz"),
]
urlpatterns += [path("", include(f"ipplatform.{app}.urls")) for app in DOMAIN_APPS]

# Chinese error pages (JSON under /api/): ipplatform/core/errors.py
handler400 = "ipplatform.core.errors.bad_request"
handler403 = "ipplatform.core.errors.forbidden"
handler404 = "ipplatform.core.errors.not_found"
handler500 = "ipplatform.core.errors.server_error"
