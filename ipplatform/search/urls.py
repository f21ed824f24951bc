from django.urls import path, re_path

from . import api, views

app_name = "search"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/help/", views.help_page, name="help"),
    path("search/semantic/", views.semantic_search, name="semantic"),
    path("search/semantic/status/", views.semantic_status, name="semantic_status"),
    path("search/export/", views.export, name="export"),
    path("search/history/", views.history_page, name="history"),
    path("search/saved/", views.saved_page, name="saved"),
    path("search/saved/<int:pk>/run/", views.saved_run, name="saved_run"),
    path("search/saved/<int:pk>/delete/", views.saved_delete, name="saved_delete"),
    path("search/ipc/", views.ipc_children, name="ipc_children"),
    re_path(r"^patents/(?P<pk>[0-9A-Za-z.]{5,32})/$", views.patent_detail, name="patent_detail"),
    path("api/v1/patents/search", api.PatentSearchView.as_view(), name="api_search"),
    path("api/v1/patents/semantic", api.SemanticSearchView.as_view(), name="api_semantic"),
    re_path(
        r"^api/v1/patents/(?P<application_number>[0-9A-Za-z.]{5,32})$",
        api.PatentDetailView.as_view(),
        name="api_patent",
    ),
]
