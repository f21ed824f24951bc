"""REST API of 质押融资与价值评估 (scoped to the caller; errors as Chinese JSON)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ipplatform.core.api import ResponseSerializer, Text, clean_body
from ipplatform.core.inputs import parse_date
from ipplatform.core.scopes import get_in_scope, restrict
from ipplatform.core.workflow import history

from . import pledges, services, subsidies
from . import value_model as vm
from .models import Pledge, SubsidyRule, Valuation


def pledge_json(p: Pledge, *, detail: bool = False) -> dict:
    data = {
        "id": p.pk,
        "number": p.number,
        "state": p.state,
        "state_label": p.get_state_display(),
        "pledgor": {"id": p.pledgor_id, "name": p.pledgor.name},
        "pledgee": {"id": p.pledgee_id, "name": p.pledgee.name},
        "city_code": p.city_code,
        "debt_amount": str(p.debt_amount) if p.debt_amount is not None else None,
        "debt_start": p.debt_start,
        "debt_end": p.debt_end,
        "submitted_on": p.submitted_on,
        "due_on": p.due_on,
        "registered_on": p.registered_on,
        "released_on": p.released_on,
        "cnipa_registration_no": p.cnipa_registration_no,
        "cnipa_registered_on": p.cnipa_registered_on,
        "patents": [i.patent_id for i in p.items.all()],
    }
    if detail:
        data.update(
            {
                "contract_number": p.contract_number,
                "security_scope": p.security_scope,
                "valuation_id": p.valuation_id,
                "co_owner_consent": p.co_owner_consent,
                "risks_confirmed": p.risks_confirmed,
                "checks": p.checks,
                "history": [
                    {
                        "at": h.at,
                        "transition": h.transition,
                        "from": h.source,
                        "to": h.target,
                        "by": h.actor_name,
                        "reason": h.reason,
                    }
                    for h in history(p)
                ],
            }
        )
    return data


class PledgeSchema(ResponseSerializer):
    """Shape of a pledge in API responses (documentation only)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    pledgor = serializers.DictField()
    pledgee = serializers.DictField()
    debt_amount = serializers.CharField(allow_null=True)
    registered_on = serializers.DateField(allow_null=True)
    patents = serializers.ListField(child=serializers.CharField())


class FinancePledgeAction(serializers.Serializer):
    action = Text(max_length=20)
    reason = Text(max_length=2000, multiline=True, required=False)
    co_owner_consent = serializers.BooleanField(required=False)
    risks_confirmed = serializers.BooleanField(required=False)


class PledgeListView(APIView):
    @extend_schema(
        summary="专利权质押登记列表（按数据范围）",
        parameters=[
            OpenApiParameter("state", str, description="状态，如 registered"),
            OpenApiParameter("patent", str, description="申请号"),
        ],
        responses=PledgeSchema(many=True),
    )
    def get(self, request):
        qs = restrict(Pledge.objects.all(), request.user).select_related("pledgor", "pledgee").prefetch_related("items")
        if request.query_params.get("state"):
            qs = qs.filter(state=request.query_params["state"])
        if request.query_params.get("patent"):
            qs = qs.filter(items__patent_id=services.normalize_number(request.query_params["patent"]))
        return Response([pledge_json(p) for p in qs[:500]])


class PledgeDetailView(APIView):
    @extend_schema(summary="质押登记详情（含审查结果与流程记录）", responses=PledgeSchema)
    def get(self, request, pk: int):
        p = get_in_scope(Pledge.objects.select_related("pledgor", "pledgee"), request.user, pk=pk)
        return Response(pledge_json(p, detail=True))


class PledgeActionView(APIView):
    @extend_schema(
        summary="质押登记流程操作：confirm / defect / resubmit / register / refuse / cancel / dispose",
        request=FinancePledgeAction,
        responses=PledgeSchema,
    )
    def post(self, request, pk: int):
        p = get_in_scope(Pledge.objects.select_related("pledgor", "pledgee"), request.user, pk=pk)
        d = clean_body(request, FinancePledgeAction)
        action = d.get("action") or ""
        if action == "confirm":
            kwargs = {
                "co_owner_consent": bool(d.get("co_owner_consent")),
                "risks_confirmed": bool(d.get("risks_confirmed")),
            }
        else:
            kwargs = {"reason": d.get("reason") or ""}
        pledges.act(pledge=p, action=action, by=request.user, **kwargs)
        return Response(pledge_json(p, detail=True))


class ActivePledgeView(APIView):
    @extend_schema(
        summary="专利在某日是否处于质押状态（供交易等业务校验）",
        parameters=[OpenApiParameter("on", str, description="日期 YYYY-MM-DD，默认今天")],
        responses=inline_serializer(
            "FinanceActivePledge",
            {
                "patent": serializers.CharField(),
                "pledged": serializers.BooleanField(),
                "number": serializers.CharField(allow_null=True),
                "pledgee": serializers.CharField(allow_null=True),
            },
        ),
    )
    def get(self, request, patent_id: str):
        raw = request.query_params.get("on")
        on = parse_date(raw, field="on", label="日期", required=False)
        pid = services.normalize_number(patent_id)
        p = pledges.active_pledge(patent_id=pid, on=on)
        return Response(
            {
                "patent": pid,
                "pledged": p is not None,
                "number": p.cnipa_registration_no if p else None,
                "pledgee": p.pledgee.name if p else None,
                "registered_on": p.cnipa_registered_on if p else None,
            }
        )


class ValuationView(APIView):
    @extend_schema(
        summary="专利价值度评估结果",
        responses=inline_serializer(
            "FinanceValuation",
            {
                # pvd is a DecimalField value, which DRF's JSON encoder writes as a number
                "id": serializers.IntegerField(),
                "pvd": serializers.FloatField(allow_null=True),
                "items": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request, pk: int):
        v = get_in_scope(Valuation.objects.select_related("model_version"), request.user, pk=pk)
        m = v.model_version
        return Response(
            {
                "id": v.pk,
                "title": v.title,
                "scenario": v.scenario,
                "as_of": v.as_of,
                "state": v.state,
                "model": {
                    "version": m.version,
                    "alpha": str(m.alpha),
                    "beta": str(m.beta),
                    "gamma": str(m.gamma),
                    "weights": m.weights,
                },
                "lvd": v.lvd,
                "tvd": v.tvd,
                "evd": v.evd,
                "pvd": v.pvd,
                "grade": vm.grade(v.pvd),
                "composite_index": v.composite_index,
                "items": [
                    {
                        "patent": i.patent_id,
                        "scores": i.scores,
                        "lvd": i.lvd,
                        "tvd": i.tvd,
                        "evd": i.evd,
                        "pvd": i.pvd,
                        "indicators": i.indicators,
                    }
                    for i in v.items.all()
                ],
                "reports": [
                    {"version": r.version, "sha256": r.sha256, "created_at": r.created_at}
                    for r in v.reports.defer("content")
                ],
            }
        )


class SubsidyRuleListView(APIView):
    @extend_schema(
        summary="贴息、保费补助政策规则（按年度、地区、版本）",
        responses=inline_serializer(
            "FinanceSubsidyRule",
            {
                "id": serializers.IntegerField(),
                "kind": serializers.CharField(),
                "region_code": serializers.CharField(),
                "year": serializers.IntegerField(),
                "version": serializers.IntegerField(),
                "text": serializers.CharField(),
            },
            many=True,
        ),
    )
    def get(self, request):
        return Response(
            [
                {
                    "id": r.pk,
                    "kind": r.kind,
                    "region_code": r.region_code,
                    "year": r.year,
                    "version": r.version,
                    "is_current": r.is_current,
                    "mode": r.mode,
                    "share": str(r.share),
                    "lpr_rate": str(r.lpr_rate) if r.lpr_rate is not None else None,
                    "cap_per_enterprise": str(r.cap_per_enterprise),
                    "text": subsidies.rule_text(r),
                }
                for r in SubsidyRule.objects.all()
            ]
        )
