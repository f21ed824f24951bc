"""REST API of rights-protection cases (scoped like the pages) and the public progress query."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ipplatform.core.api import Text, clean_body

from . import services
from .access import cases_for, get_case

CaseOut = inline_serializer(
    "ProtectionCase",
    {
        "id": serializers.IntegerField(),
        "case_no": serializers.CharField(),
        "case_type": serializers.CharField(),
        "case_type_label": serializers.CharField(),
        "state": serializers.CharField(),
        "state_label": serializers.CharField(),
        "title": serializers.CharField(),
        "city_code": serializers.CharField(),
        "handling_org": serializers.CharField(),
        "requester": serializers.CharField(),
        "respondent": serializers.CharField(),
        "received_on": serializers.DateField(),
        "outcome": serializers.CharField(),
        "transitions": serializers.ListField(child=serializers.CharField()),
    },
)


def _case_json(case, user) -> dict:
    return {
        "id": case.pk,
        "case_no": case.case_no,
        "case_type": case.case_type,
        "case_type_label": case.get_case_type_display(),
        "state": case.state,
        "state_label": case.get_state_display(),
        "title": case.title,
        "city_code": case.city_code,
        "handling_org": case.handling_org.name,
        "requester": services.requester_display(case, user),
        "respondent": case.respondent_name,
        "received_on": case.received_on,
        "outcome": case.outcome,
        "transitions": [name for name, _ in services.allowed_transitions(case=case, user=user)],
    }


class ProtectionTransition(serializers.Serializer):
    transition = Text(max_length=40)
    reason = Text(max_length=2000, multiline=True)
    outcome = Text(max_length=20, required=False)
    hearing_date = serializers.DateField(required=False)
    penalty_amount = Text(max_length=24, required=False)
    basis = Text(max_length=200, required=False)
    documents = serializers.ListField(child=Text(max_length=100), required=False)
    panel = serializers.ListField(child=serializers.IntegerField(), required=False)


class ProtectionTrackIn(serializers.Serializer):
    tracking_no = Text(max_length=24)
    code = Text(max_length=40)


class CaseListView(APIView):
    @extend_schema(
        operation_id="protection_cases_list",
        summary="维权执法案件列表（按数据权限）",
        responses=inline_serializer(
            "ProtectionCaseList", {"count": serializers.IntegerField(), "results": CaseOut.__class__(many=True)}
        ),
    )
    def get(self, request):
        qs = cases_for(request.user).select_related("handling_org")
        for key in ("case_type", "state", "city_code"):
            if request.query_params.get(key):
                qs = qs.filter(**{key: request.query_params[key]})
        return Response({"count": qs.count(), "results": [_case_json(c, request.user) for c in qs[:500]]})


class CaseDetailView(APIView):
    @extend_schema(summary="案件详情", responses=CaseOut)
    def get(self, request, pk: int):
        return Response(_case_json(get_case(request.user, pk), request.user))


class CaseTransitionView(APIView):
    @extend_schema(summary="办理一个流程环节（须填写理由）", request=ProtectionTransition, responses=CaseOut)
    def post(self, request, pk: int):
        case = get_case(request.user, pk)
        d = clean_body(request, ProtectionTransition)
        data = {
            k: d.get(k) or ""
            for k in (
                "outcome",
                "hearing_date",
                "penalty_amount",
                "basis",
                "illegal_gains",
                "violation_ended_on",
                "delivered_on",
            )
        }
        data["documents"] = d.get("documents") or []
        data["panel"] = d.get("panel") or []
        services.transition(
            case=case, name=str(d.get("transition") or ""), by=request.user, reason=str(d.get("reason") or ""), **data
        )
        return Response(_case_json(get_case(request.user, pk), request.user))


class TrackView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="公众凭查询编号和查询码查询办理进度",
        request=ProtectionTrackIn,
        responses=inline_serializer(
            "ProtectionTrackOut",
            {
                "tracking_no": serializers.CharField(),
                "state": serializers.CharField(),
                "handling_org": serializers.CharField(),
                "reply": serializers.CharField(),
                "steps": serializers.ListField(child=serializers.DictField()),
                "attachments": serializers.ListField(child=serializers.CharField(), help_text="您提交的附件文件名"),
            },
        ),
    )
    def post(self, request):
        d = clean_body(request, ProtectionTrackIn)
        intake = services.track(tracking_no=str(d.get("tracking_no") or ""), code=str(d.get("code") or ""))
        return Response(
            {
                "tracking_no": intake.tracking_no,
                "state": intake.get_state_display(),
                "handling_org": intake.handling_org.name if intake.handling_org else "",
                "reply": intake.public_reply,
                "steps": [{"at": s["at"], "label": s["label"]} for s in services.public_progress(intake)],
                "attachments": services.attachment_names(intake),
            }
        )
