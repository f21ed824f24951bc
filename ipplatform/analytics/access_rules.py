"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import PROVINCIAL, STAFF, Obj, Rule, city, data_file, user


def _report():
    from ipplatform.analytics.models import StatReport

    return StatReport.objects.create(
        year=2024,
        city_code="370100",
        status="done",
        created_by=user("city370100"),
        file_path=data_file("analytics/reports/matrix.docx"),
    )


RULES = [
    Rule("analytics:province", allow=PROVINCIAL),
    Rule("analytics:my_city", allow=STAFF),
    Rule("analytics:comparison", allow=PROVINCIAL),
    Rule("analytics:weights_update", allow=frozenset({"admin"}), method="POST"),
    Rule("analytics:reports", allow=STAFF),
    Rule("analytics:report_download", allow=PROVINCIAL | city("370100"), obj=Obj("analytics.StatReport", make=_report)),
    Rule("analytics:city", allow=PROVINCIAL | {"city370100"}, kwargs={"code": "370100"}),
    Rule("analytics:api_summary", allow=STAFF),
    Rule("analytics:api_targets", allow=STAFF),
    Rule("analytics:api_cities", allow=PROVINCIAL),
    Rule("analytics:api_trend", allow=STAFF),
    Rule("analytics:api_comparison", allow=PROVINCIAL),
    Rule(
        "analytics:official",
        allow=STAFF,
        why="official figures with sources; administrators also import and set the threshold",
    ),
    Rule("analytics:official_import", allow=frozenset({"admin"})),
    Rule("analytics:official_policy", allow=frozenset({"admin"}), method="POST", data={"coverage_threshold": "5"}),
]
