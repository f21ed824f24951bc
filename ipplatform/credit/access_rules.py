"""Access rules of the credit pages (format: docs/ACCESS.md)."""

from ipplatform.core.access import ORGANIZATIONS, PROVINCIAL, SIGNED_IN, STAFF, Obj, Rule, city, user

JINAN = Obj("core.Organization", name="济南齐鲁新材料科技有限公司（演示）")


def _proposed_entry():
    from ipplatform.core.models import Organization
    from ipplatform.credit import services

    return services.propose_entry(
        by=user("fawu"),
        org=Organization.objects.get(name="济南齐鲁新材料科技有限公司（演示）"),
        reason="演示数据：拟列入",
        is_demo=True,
    )


ENTRY = Obj("credit.DishonestyEntry", make=_proposed_entry, organization__name="济南齐鲁新材料科技有限公司（演示）")

RULES = [
    Rule("credit:index", allow=STAFF),
    Rule("credit:mine", allow=STAFF | ORGANIZATIONS, why="staff are redirected to the overview"),
    Rule("credit:org", allow=PROVINCIAL | city("370100"), obj=JINAN),
    Rule(
        "credit:event_new",
        allow=PROVINCIAL | city("370100"),
        obj=JINAN,
        method="POST",
        why="bureaus of the subject's area record events",
    ),
    Rule(
        "credit:event_withdraw",
        allow=PROVINCIAL,
        obj=Obj("credit.CreditEvent", is_demo=True),
        method="POST",
        why="the demo event is 莱芜钢城's (371203): no probe city covers it",
    ),
    Rule("credit:entry_new", allow=PROVINCIAL | city("370100"), obj=JINAN, kwargs=lambda o: {"org_pk": o.pk}),
    Rule(
        "credit:list", allow=SIGNED_IN, why="published entries are public; officers see their area's, a subject its own"
    ),
    Rule("credit:entry", allow=PROVINCIAL | city("370100"), obj=ENTRY, why="a proposed (unpublished) entry"),
    Rule(
        "credit:entry_act",
        allow=PROVINCIAL,
        obj=ENTRY,
        method="POST",
        why="decisions by the provincial office; the subject's own steps (appeal, repair) are only open on a published entry",
    ),
]
