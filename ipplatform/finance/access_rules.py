"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import DEPARTMENTS, ENTERPRISES, EVERYONE, PROVINCIAL, SIGNED_IN, STAFF, Obj, Rule, city

# 贴息 runs on the programme engine (finance.subsidy_programmes): the demo call's application of the 济南 enterprise and
# its payment batch
ENGINE_SUBSIDY = Obj("programmes.Application", is_demo=True, call__programme__code="pledge_interest")
ENGINE_BATCH = Obj("programmes.PaymentBatch", call__is_demo=True, call__programme__code="pledge_interest")

RULES = [
    Rule("finance:home", allow=SIGNED_IN),
    Rule("finance:pledges", allow=SIGNED_IN),
    Rule("finance:pledge_stats", allow=STAFF | {"bank"}),
    Rule("finance:pledge_new", allow=frozenset({"bank"})),
    Rule("finance:pledge_template", allow=SIGNED_IN),
    Rule("finance:pledge_detail", allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"}, obj=Obj("finance.Pledge")),
    Rule("finance:pledge_edit", allow=frozenset({"bank"}), obj=Obj("finance.Pledge")),
    Rule(
        "finance:pledge_action",
        allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"},
        obj=Obj("finance.Pledge"),
        method="POST",
    ),
    Rule("finance:valuations", allow=SIGNED_IN),
    Rule("finance:valuation_new", allow=DEPARTMENTS | {"admin", "bank", "expert"}),
    Rule("finance:model_weights", allow=STAFF | {"bank", "expert"}),
    Rule(
        "finance:valuation_detail", allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"}, obj=Obj("finance.Valuation")
    ),
    Rule(
        "finance:valuation_score",
        allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"},
        obj=Obj("finance.ValuationItem"),
        kwargs=lambda o: {"pk": o.valuation_id, "item": o.pk},
    ),
    Rule("finance:valuation_report", allow=frozenset({"admin", "bank"}), obj=Obj("finance.Valuation"), method="POST"),
    Rule(
        "finance:report_download",
        allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"},
        obj=Obj("finance.ValuationReport"),
    ),
    Rule("finance:subsidies", allow=STAFF | ENTERPRISES | {"sdu"}),
    Rule("finance:subsidy_new", allow=ENTERPRISES | {"sdu"}),
    Rule("finance:public_notice", allow=EVERYONE),
    Rule("finance:rules", allow=STAFF),
    Rule("finance:batches", allow=STAFF),
    Rule(
        "finance:batch_detail",
        allow=PROVINCIAL | city("370100"),
        obj=ENGINE_BATCH,
        why="recipients' credit codes and bank accounts: the office (the engine's batch page) and the bureau of the "
        "applicants' city (its own lines)",
    ),
    Rule("finance:batch_detail", query="export=xlsx", allow=PROVINCIAL | city("370100"), obj=ENGINE_BATCH),
    Rule(
        "finance:subsidy_detail",
        allow=PROVINCIAL | {"city370100", "qilu_ent"},
        obj=ENGINE_SUBSIDY,
        why="redirects to the engine's application page, in scope only",
    ),
    Rule("finance:fund", allow=STAFF | {"bank"}),
    Rule("finance:fund_action", allow=SIGNED_IN, method="POST"),
    Rule("finance:api_pledges", allow=SIGNED_IN),
    Rule("finance:api_pledge", allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"}, obj=Obj("finance.Pledge")),
    Rule(
        "finance:api_pledge_action",
        allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"},
        obj=Obj("finance.Pledge"),
        method="POST",
    ),
    Rule(
        "finance:api_active_pledge",
        allow=SIGNED_IN,
        obj=Obj("finance.PledgePatent"),
        kwargs=lambda o: {"patent_id": o.patent_id},
    ),
    Rule("finance:api_valuation", allow=PROVINCIAL | {"bank", "city370100", "qilu_ent"}, obj=Obj("finance.Valuation")),
    Rule("finance:api_rules", allow=SIGNED_IN),
]
