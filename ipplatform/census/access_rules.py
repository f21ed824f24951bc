"""Access rules of the census pages (format: docs/ACCESS.md). The demo round is the province's (演示数据), sent to the
demo accounts' enterprises and the fictional 济南齐鲁 (演示) and 莱芜钢城 (演示); only 济南齐鲁 (演示) has answered, so
every enterprise probe is refused its response."""

from ipplatform.core.access import CITIES, ENTERPRISES, PROVINCIAL, STAFF, Obj, Rule, city

ROUND = Obj("census.CensusRound", title="全省企业知识产权状况普查（演示数据）")
JINAN_RESPONSE = Obj("census.CensusResponse", organization__name="济南齐鲁新材料科技有限公司（演示）")

RULES = [
    Rule(
        "census:index",
        allow=STAFF | ENTERPRISES | {"sdu"},
        why="staff and the users of enterprises and universities (respondents)",
    ),
    Rule("census:round_new", allow=PROVINCIAL | CITIES, why="the province and city bureaus send census rounds"),
    Rule(
        "census:round",
        allow=STAFF | ENTERPRISES,
        obj=ROUND,
        why="staff see the province round (their own area's enterprises); a recipient enterprise is redirected to its own questionnaire",
    ),
    Rule(
        "census:round_action",
        allow=STAFF,
        obj=ROUND,
        method="POST",
        why="empty POST: '未知操作'; send/close need the issuer, remind any bureau",
    ),
    Rule(
        "census:template", allow=STAFF | ENTERPRISES, obj=ROUND, why="rows only for the enterprises in the user's scope"
    ),
    Rule(
        "census:import",
        allow=STAFF | ENTERPRISES,
        obj=ROUND,
        method="POST",
        why="rows are matched to the enterprises in the user's scope",
    ),
    Rule("census:results", allow=STAFF, obj=ROUND),
    Rule("census:response", allow=PROVINCIAL | city("370100"), obj=JINAN_RESPONSE),
    Rule(
        "census:response_return",
        allow=PROVINCIAL,
        obj=JINAN_RESPONSE,
        method="POST",
        why="only the issuer (here the province) returns answers",
    ),
]
