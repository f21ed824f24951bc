from django.urls import path

from . import api, views

app_name = "analytics"

urlpatterns = [
    path("stats/", views.province, name="province"),
    path("stats/my-city/", views.my_city, name="my_city"),
    path("stats/comparison/", views.comparison, name="comparison"),
    path("stats/comparison/weights/", views.weights_update, name="weights_update"),
    path("stats/reports/", views.reports, name="reports"),
    path("stats/reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("stats/official/", views.official, name="official"),
    path("stats/official/import/", views.official_import, name="official_import"),
    path("stats/official/threshold/", views.official_policy, name="official_policy"),
    path("city/<str:code>/", views.city, name="city"),
    path("api/v1/stats/summary", api.SummaryView.as_view(), name="api_summary"),
    path("api/v1/stats/targets", api.TargetsView.as_view(), name="api_targets"),
    path("api/v1/stats/cities", api.CitiesView.as_view(), name="api_cities"),
    path("api/v1/stats/trend", api.TrendView.as_view(), name="api_trend"),
    path("api/v1/stats/comparison", api.ComparisonView.as_view(), name="api_comparison"),
]
