"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import ENTERPRISES, PROVINCIAL, SIGNED_IN, STAFF, Obj, Rule, user


def _sheet():
    from ipplatform.navigation.models import CheckSheet, ThematicDatabase

    return CheckSheet.objects.create(
        db=ThematicDatabase.objects.order_by("pk").first(), sample_size=1, seed=1, created_by=user("guihua")
    )


RULES = [
    Rule("navigation:index", allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"}),
    Rule("navigation:db_new", allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"}),
    Rule(
        "navigation:db_detail",
        allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"},
        obj=Obj("navigation.ThematicDatabase"),
    ),
    Rule("navigation:db_edit", allow=PROVINCIAL, obj=Obj("navigation.ThematicDatabase")),
    Rule("navigation:db_delete", allow=PROVINCIAL, obj=Obj("navigation.ThematicDatabase"), method="POST"),
    Rule("navigation:db_refresh", allow=PROVINCIAL, obj=Obj("navigation.ThematicDatabase"), method="POST"),
    Rule("navigation:db_manual", allow=PROVINCIAL, obj=Obj("navigation.ThematicDatabase"), method="POST"),
    Rule(
        "navigation:db_members_xlsx",
        allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"},
        obj=Obj("navigation.ThematicDatabase"),
    ),
    Rule(
        "navigation:check_new",
        allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"},
        obj=Obj("navigation.ThematicDatabase"),
        method="POST",
    ),
    Rule("navigation:check_detail", allow=PROVINCIAL, obj=Obj("navigation.CheckSheet", make=_sheet)),
    Rule("navigation:check_xlsx", allow=PROVINCIAL, obj=Obj("navigation.CheckSheet", make=_sheet)),
    Rule("navigation:analyze", allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"}),
    Rule("navigation:effect_terms", allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"}),
    Rule("navigation:reports", allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"}),
    Rule("navigation:report_new", allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"}),
    Rule("navigation:report_detail", allow=PROVINCIAL, obj=Obj("navigation.Report")),
    Rule("navigation:report_regenerate", allow=PROVINCIAL, obj=Obj("navigation.Report"), method="POST"),
    Rule("navigation:report_delete", allow=frozenset({"admin"}), obj=Obj("navigation.Report"), method="POST"),
    Rule("navigation:report_docx", allow=PROVINCIAL, obj=Obj("navigation.Report")),
    Rule("navigation:report_xlsx", allow=PROVINCIAL, obj=Obj("navigation.Report")),
    Rule("navigation:api_databases", allow=SIGNED_IN),
    Rule(
        "navigation:api_analysis",
        allow=STAFF | ENTERPRISES | {"bank", "expert", "sdu"},
        kwargs={"key": "trend"},
        query="kind=query&value=%E7%94%B5%E6%B1%A0",
    ),
]
