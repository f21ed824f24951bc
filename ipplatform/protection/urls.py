from django.urls import path

from . import api, views

app_name = "protection"

urlpatterns = [
    path("protection/", views.case_list, name="case_list"),
    path("protection/intake/", views.intake_public, name="intake_public"),
    path("protection/intake/done/", views.intake_done, name="intake_done"),
    path("protection/track/", views.track, name="track"),
    path("protection/intakes/", views.intake_list, name="intake_list"),
    path("protection/intakes/new/", views.intake_new, name="intake_new"),
    path("protection/intakes/<int:pk>/", views.intake_detail, name="intake_detail"),
    path("protection/intakes/<int:pk>/action/", views.intake_action, name="intake_action"),
    path("protection/cases/new/", views.case_new, name="case_new"),
    path("protection/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("protection/cases/<int:pk>/transition/", views.case_transition, name="case_transition"),
    path("protection/cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("protection/cases/<int:pk>/hearing/", views.case_hearing, name="case_hearing"),
    path("protection/cases/<int:pk>/respondent/", views.case_respondent, name="case_respondent"),
    path("protection/cases/<int:pk>/jurisdiction/", views.case_jurisdiction, name="case_jurisdiction"),
    path("protection/cases/<int:pk>/extend/", views.case_extend, name="case_extend"),
    path("protection/cases/<int:pk>/evidence/", views.case_evidence, name="case_evidence"),
    path("protection/cases/<int:pk>/documents/<slug:code>/", views.case_document, name="case_document"),
    path("protection/cases/<int:pk>/agency/", views.case_agency, name="case_agency"),
    path("protection/cases/<int:pk>/consult/", views.case_consult, name="case_consult"),
    path("protection/cases/<int:pk>/party/", views.case_party, name="case_party"),
    path("protection/evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("protection/intake-files/<int:pk>/", views.intake_attachment, name="intake_attachment"),
    path("protection/evidence/verify/", views.evidence_verify, name="evidence_verify"),
    path("protection/transfers/<int:pk>/receipt/", views.transfer_receipt, name="transfer_receipt"),
    path("protection/deadlines/", views.deadline_board, name="board"),
    path("protection/experts/", views.expert_pool, name="experts"),
    path("protection/consultations/", views.consultation_list, name="consultations"),
    path("protection/consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("protection/statistics/", views.statistics, name="stats"),
    path("protection/rules/", views.rules, name="rules"),
    path("api/v1/protection/cases/", api.CaseListView.as_view(), name="api_cases"),
    path("api/v1/protection/cases/<int:pk>/", api.CaseDetailView.as_view(), name="api_case"),
    path("api/v1/protection/cases/<int:pk>/transition/", api.CaseTransitionView.as_view(), name="api_case_transition"),
    path("api/v1/protection/track/", api.TrackView.as_view(), name="api_track"),
]
