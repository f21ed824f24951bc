"""Access rules of the programme pages (format: docs/ACCESS.md). The demo objects come from programmes.demo: the
this-year 专利资助 call with 时代新纪元's (qilu_ent, 济南) application at 属地初审 and 山东大学's paid batch (with its
年度复核 reports pending), and the
省专利奖 round decided after its 公示."""

from ipplatform.core.access import (
    CITIES,
    COUNTIES,
    EVERYONE,
    ORGANIZATIONS,
    PROVINCIAL,
    SIGNED_IN,
    STAFF,
    Obj,
    Rule,
    city,
)

SUBSIDY_CALL = Obj("programmes.Call", is_demo=True, programme__code="patent_subsidy")
AWARD_CALL = Obj("programmes.Call", is_demo=True, programme__code="patent_award")
QILU_APP = Obj(
    "programmes.Application",
    is_demo=True,
    call__programme__code="patent_subsidy",
    organization__users__username="qilu_ent",
)
QILU_AWARD = Obj(
    "programmes.Application",
    is_demo=True,
    call__programme__code="patent_award",
    organization__users__username="qilu_ent",
)
OWN = PROVINCIAL | city("370100") | {"qilu_ent"}
SDU_REPORT = Obj("programmes.CheckReport", round__call__is_demo=True, application__organization__users__username="sdu")
SDU_OWN = PROVINCIAL | city("370102") | {"sdu"}

RULES = [
    Rule(
        "programmes:index",
        allow=SIGNED_IN,
        why="applicants see the open calls with their eligibility; staff every call",
    ),
    Rule("programmes:call_new", allow=PROVINCIAL),
    Rule("programmes:types", allow=PROVINCIAL, why="programme types are configured by the provincial office"),
    Rule("programmes:type_edit", allow=PROVINCIAL, obj=Obj("programmes.ProgrammeType", code="patent_award")),
    Rule(
        "programmes:type_policies",
        allow=PROVINCIAL,
        obj=Obj("programmes.ProgrammeType", code="patent_subsidy"),
        why="the yearly amounts of 专利资助 are set by the provincial office",
    ),
    Rule(
        "programmes:policy_edit",
        allow=PROVINCIAL,
        obj=Obj("programmes.Policy", programme__code="patent_subsidy", year=2016),
        kwargs=lambda o: {"pk": o.programme_id, "policy_pk": o.pk},
        why="one year's amounts; frozen once applications use it",
    ),
    Rule("programmes:call", allow=SIGNED_IN, obj=SUBSIDY_CALL, why="a published call and its guide"),
    Rule("programmes:call_applications", allow=STAFF, obj=SUBSIDY_CALL, why="a bureau sees its area's rows only"),
    Rule(
        "programmes:apply",
        allow=ORGANIZATIONS | CITIES | COUNTIES,
        obj=SUBSIDY_CALL,
        method="POST",
        why="bodies may try (bureaus apply to 试点示范考核); an ineligible one (the bank, a bureau here) is told why",
    ),
    Rule("programmes:call_action", allow=PROVINCIAL, obj=AWARD_CALL, method="POST"),
    Rule("programmes:call_document", allow=PROVINCIAL, obj=AWARD_CALL, why="the decision document is the office's"),
    Rule("programmes:notice", allow=EVERYONE, obj=AWARD_CALL, why="the 公示 is public"),
    Rule(
        "programmes:notice_document", allow=EVERYONE, obj=AWARD_CALL, why="the 公示名单 (Word) is as public as its page"
    ),
    Rule(
        "programmes:check_report",
        allow=SDU_OWN,
        obj=SDU_REPORT,
        why="验收/复核 report: the applicant, its bureau, the office",
    ),
    Rule(
        "programmes:check_report_action",
        allow=SDU_OWN,
        obj=SDU_REPORT,
        method="POST",
        why="the applicant submits, the office judges (checks.py refuses the rest with a reason)",
    ),
    Rule(
        "programmes:check_report_file",
        allow=SDU_OWN,
        obj=SDU_REPORT,
        status=(404,),
        why="the demo report has no file yet: 404 (no file) in scope, 403 outside it",
    ),
    Rule("programmes:applications", allow=SIGNED_IN, why="scoped list: a body its own, a bureau its area"),
    Rule("programmes:application", allow=OWN, obj=QILU_APP),
    Rule(
        "programmes:application_edit",
        allow=frozenset({"qilu_ent"}),
        obj=QILU_APP,
        method="POST",
        why="only the applicant edits its own application",
    ),
    Rule(
        "programmes:application_action",
        allow=OWN,
        obj=QILU_APP,
        method="POST",
        why="each step then checks the stage's actor (flows.py)",
    ),
    Rule(
        "programmes:attachment",
        allow=OWN,
        obj=Obj(
            "programmes.Attachment", application__is_demo=True, application__organization__users__username="qilu_ent"
        ),
    ),
    Rule(
        "programmes:objection_new",
        allow=EVERYONE,
        obj=QILU_AWARD,
        method="POST",
        why="anyone may object during a 公示 (outside it: told so on the notice page)",
    ),
    Rule("programmes:certificate", allow=OWN, obj=QILU_AWARD),
    Rule(
        "programmes:objection_handle",
        allow=PROVINCIAL,
        obj=Obj("programmes.Objection", application__is_demo=True),
        method="POST",
    ),
    Rule("programmes:reviews", allow=SIGNED_IN, why="an expert's own assignments; the office all"),
    Rule(
        "programmes:review",
        allow=PROVINCIAL | {"expert"},
        obj=Obj("programmes.ReviewAssignment", expert__user__username="expert"),
    ),
    Rule(
        "programmes:review_submit",
        allow=frozenset({"expert"}),
        obj=Obj("programmes.ReviewAssignment", expert__user__username="expert"),
        method="POST",
        why="only the expert scores (the office's paper-sheet entry is a service, not this page)",
    ),
    Rule("programmes:batch", allow=PROVINCIAL, obj=Obj("programmes.PaymentBatch", call__is_demo=True)),
    Rule(
        "programmes:batch_action",
        allow=PROVINCIAL,
        obj=Obj("programmes.PaymentBatch", call__is_demo=True),
        method="POST",
    ),
    Rule("programmes:api_calls", allow=EVERYONE, why="open calls are public"),
    Rule("programmes:api_applications", allow=SIGNED_IN, why="scoped list: a body its own, a bureau its area"),
    Rule("programmes:api_application", allow=OWN, obj=QILU_APP),
    Rule(
        "programmes:api_application_submit",
        allow=frozenset({"qilu_ent"}),
        obj=QILU_APP,
        method="POST",
        why="only the applicant submits (staff in scope: 403); the demo application is already at 属地初审: 400",
        status=(400,),
    ),
]
