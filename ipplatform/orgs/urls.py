from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("orgs/register/", views.register, name="register"),
    path("orgs/register/check/", views.uscc_check, name="uscc_check"),
    path("orgs/", views.org_list, name="list"),
    path("orgs/mine/", views.mine, name="mine"),
    path("orgs/import/", views.import_orgs, name="import"),
    path("orgs/claims/", views.claims, name="claims"),
    path("orgs/claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("orgs/claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("orgs/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("orgs/fees/", views.fee_monitor, name="fees"),
    path("orgs/custody/", views.custody_list, name="custody_list"),
    path("orgs/custody/new/", views.custody_new, name="custody_new"),
    path("orgs/custody/<int:pk>/", views.custody_detail, name="custody_detail"),
    path("orgs/custody/<int:pk>/action/", views.custody_act, name="custody_act"),
    path("orgs/<int:pk>/", views.detail, name="detail"),
    path("orgs/<int:pk>/edit/", views.edit, name="edit"),
    path("orgs/<int:pk>/registration/", views.registration_decide, name="registration_decide"),
    path("orgs/<int:pk>/former-names/", views.former_name_add, name="former_name_add"),
    path("orgs/<int:pk>/fee-reductions/", views.fee_reduction_new, name="fee_reduction_new"),
    path("orgs/<int:pk>/claims/new/", views.claim_new, name="claim_new"),
    path("orgs/<int:pk>/portfolio/", views.portfolio, name="portfolio"),
]
