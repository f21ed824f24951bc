"""Access rules of the agency registry, alliances and key protected units (format: docs/ACCESS.md)."""

from ipplatform.core.access import PROVINCIAL, SIGNED_IN, STAFF, Obj, Rule, city

AGENCY = Obj("agencies.Agency", organization__name="济南齐鲁专利事务所（演示）")
ALLIANCE = Obj("agencies.Alliance", name="济南新材料产业知识产权保护联盟（演示数据）")
UNIT = Obj("agencies.KeyProtectedUnit", organization__name="济南齐鲁新材料科技有限公司（演示）")

RULES = [
    Rule("agencies:index", allow=STAFF, why="government staff and agency users (no agency probe)"),
    Rule("agencies:agency_new", allow=PROVINCIAL, method="POST"),
    Rule("agencies:agency", allow=PROVINCIAL | city("370100"), obj=AGENCY),
    Rule(
        "agencies:agency_action",
        allow=PROVINCIAL | city("370100"),
        obj=AGENCY,
        method="POST",
        why="empty POST: '未知操作'; each action checks its own permission (province staff or the agency itself)",
    ),
    Rule(
        "agencies:alliances",
        allow=SIGNED_IN,
        why="the list is scoped: staff their area, organisations their own alliances",
    ),
    Rule("agencies:alliance_new", allow=PROVINCIAL, method="POST"),
    Rule(
        "agencies:alliance",
        allow=PROVINCIAL | city("370100"),
        obj=ALLIANCE,
        why="the fictional 济南齐鲁 (演示) leads the demo alliance; no probe account is a member",
    ),
    Rule(
        "agencies:alliance_action",
        allow=PROVINCIAL | city("370100"),
        obj=ALLIANCE,
        method="POST",
        why="empty POST: '未知操作'; members, agreements by the province or the lead body, dissolution by the province",
    ),
    Rule(
        "agencies:units",
        allow=SIGNED_IN,
        why="the list is scoped: staff their area, an organisation its own designation",
    ),
    Rule("agencies:unit_new", allow=PROVINCIAL, method="POST"),
    Rule("agencies:unit_revoke", allow=PROVINCIAL, obj=UNIT, method="POST"),
]
