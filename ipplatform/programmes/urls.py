from django.urls import path

from . import api, views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.index, name="index"),
    path("programmes/calls/new/", views.call_new, name="call_new"),
    path("programmes/types/", views.types, name="types"),
    path("programmes/types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("programmes/types/<int:pk>/policies/", views.type_policies, name="type_policies"),
    path("programmes/types/<int:pk>/policies/<int:policy_pk>/", views.policy_edit, name="policy_edit"),
    path("programmes/calls/<int:pk>/", views.call_detail, name="call"),
    path("programmes/calls/<int:pk>/applications/", views.call_applications, name="call_applications"),
    path("programmes/calls/<int:pk>/apply/", views.apply, name="apply"),
    path("programmes/calls/<int:pk>/action/", views.call_action, name="call_action"),
    path("programmes/calls/<int:pk>/notice/", views.notice, name="notice"),
    path("programmes/calls/<int:pk>/notice.docx", views.notice_document, name="notice_document"),
    path("programmes/calls/<int:pk>/decision.docx", views.call_document, name="call_document"),
    path("programmes/applications/", views.applications, name="applications"),
    path("programmes/applications/<int:pk>/", views.application_detail, name="application"),
    path("programmes/applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("programmes/applications/<int:pk>/action/", views.application_action, name="application_action"),
    path("programmes/applications/<int:pk>/objection/", views.objection_new, name="objection_new"),
    path("programmes/applications/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("programmes/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("programmes/objections/<int:pk>/", views.objection_handle, name="objection_handle"),
    path("programmes/reviews/", views.reviews, name="reviews"),
    path("programmes/reviews/<int:pk>/", views.review_detail, name="review"),
    path("programmes/reviews/<int:pk>/submit/", views.review_submit, name="review_submit"),
    path("programmes/checks/<int:pk>/", views.check_report, name="check_report"),
    path("programmes/checks/<int:pk>/action/", views.check_report_action, name="check_report_action"),
    path("programmes/checks/<int:pk>/file/", views.check_report_file, name="check_report_file"),
    path("programmes/batches/<int:pk>/", views.batch_detail, name="batch"),
    path("programmes/batches/<int:pk>/action/", views.batch_action, name="batch_action"),
    path("api/v1/programmes/calls", api.CallListView.as_view(), name="api_calls"),
    path("api/v1/programmes/applications", api.ApplicationListView.as_view(), name="api_applications"),
    path("api/v1/programmes/applications/<int:pk>", api.ApplicationDetailView.as_view(), name="api_application"),
    path(
        "api/v1/programmes/applications/<int:pk>/submit",
        api.ApplicationSubmitView.as_view(),
        name="api_application_submit",
    ),
]
