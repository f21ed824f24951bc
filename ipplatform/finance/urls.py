from django.urls import path

from . import api, views

app_name = "finance"

urlpatterns = [
    path("finance/", views.home, name="home"),
    path("finance/pledges/", views.pledge_list, name="pledges"),
    path("finance/pledges/stats/", views.pledge_stats, name="pledge_stats"),
    path("finance/pledges/new/", views.pledge_new, name="pledge_new"),
    path("finance/pledges/template.xlsx", views.pledge_template, name="pledge_template"),
    path("finance/pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("finance/pledges/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("finance/pledges/<int:pk>/action/", views.pledge_action, name="pledge_action"),
    path("finance/valuations/", views.valuation_list, name="valuations"),
    path("finance/valuations/new/", views.valuation_new, name="valuation_new"),
    path("finance/valuations/model/", views.model_weights, name="model_weights"),
    path("finance/valuations/<int:pk>/", views.valuation_detail, name="valuation_detail"),
    path("finance/valuations/<int:pk>/items/<int:item>/", views.valuation_score, name="valuation_score"),
    path("finance/valuations/<int:pk>/report/", views.valuation_report, name="valuation_report"),
    path("finance/valuations/reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("finance/subsidies/", views.subsidy_list, name="subsidies"),
    path("finance/subsidies/new/", views.subsidy_new, name="subsidy_new"),
    path("finance/subsidies/notice/", views.public_notice, name="public_notice"),
    path("finance/subsidies/rules/", views.rule_list, name="rules"),
    path("finance/subsidies/batches/", views.batch_list, name="batches"),
    path("finance/subsidies/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("finance/subsidies/<int:pk>/", views.subsidy_detail, name="subsidy_detail"),
    path("finance/fund/", views.fund, name="fund"),
    path("finance/fund/action/", views.fund_action, name="fund_action"),
    path("api/v1/finance/pledges", api.PledgeListView.as_view(), name="api_pledges"),
    path("api/v1/finance/pledges/<int:pk>", api.PledgeDetailView.as_view(), name="api_pledge"),
    path("api/v1/finance/pledges/<int:pk>/actions", api.PledgeActionView.as_view(), name="api_pledge_action"),
    path("api/v1/finance/patents/<str:patent_id>/pledge", api.ActivePledgeView.as_view(), name="api_active_pledge"),
    path("api/v1/finance/valuations/<int:pk>", api.ValuationView.as_view(), name="api_valuation"),
    path("api/v1/finance/subsidy-rules", api.SubsidyRuleListView.as_view(), name="api_rules"),
]
