"""REST API of the programme engine (/api/v1/programmes/...): the same services and scopes as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ipplatform.core.inputs import InputError, is_id
from ipplatform.core.scopes import get_in_scope

from . import flows, services
from .enums import AppStatus
from .models import Application, Call

MAX_ROWS = 500


class CallSerializer(serializers.ModelSerializer):
    programme_code = serializers.CharField(source="programme.code", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    stages = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "programme_code",
            "programme_name",
            "year",
            "title",
            "opens_on",
            "closes_on",
            "budget",
            "guide",
            "quotas",
            "notice_start",
            "notice_end",
            "stages",
            "is_demo",
        ]
        read_only_fields = fields

    def get_stages(self, call) -> list[str]:
        return [s["label"] for s in call.programme.stages]


class ApplicationSerializer(serializers.ModelSerializer):
    call_title = serializers.CharField(source="call.title", read_only=True)
    programme_code = serializers.CharField(source="call.programme.code", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    stage_label = serializers.CharField(read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "call_title",
            "programme_code",
            "organization",
            "organization_name",
            "region_code",
            "title",
            "status",
            "status_label",
            "stage",
            "stage_label",
            "score",
            "rank",
            "level",
            "amount",
            "certificate_no",
            "decision_note",
            "submitted_at",
            "is_demo",
        ]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    class Meta(ApplicationSerializer.Meta):
        fields = ApplicationSerializer.Meta.fields + ["data"]
        read_only_fields = fields


class CallListView(APIView):
    def get_permissions(self):
        return [AllowAny()]

    @extend_schema(
        summary="年度申报：正在受理的（公开）；省局用户 all=1 时列出全部",
        parameters=[OpenApiParameter("all", str, required=False)],
        responses=CallSerializer(many=True),
    )
    def get(self, request):
        qs = Call.objects.select_related("programme").filter(programme__is_active=True)
        if not (request.query_params.get("all") == "1" and services.is_office(request.user)):
            on = services.today()
            qs = qs.filter(opens_on__lte=on, closes_on__gte=on)
        return Response(CallSerializer(qs[:MAX_ROWS], many=True).data)


class ApplicationListView(APIView):
    @extend_schema(
        summary="项目申报（按数据范围：申报单位本单位、市县局本地区、省局全部）",
        parameters=[OpenApiParameter("call", int, required=False), OpenApiParameter("status", str, required=False)],
        responses=ApplicationSerializer(many=True),
    )
    def get(self, request):
        qs = services.applications_for(request.user)
        call = request.query_params.get("call", "")
        if call:
            if not is_id(call):
                raise InputError("call 应为年度申报编号（正整数）", field="call")
            qs = qs.filter(call_id=int(call))
        status = request.query_params.get("status", "")
        if status:
            if status not in AppStatus.values:
                raise InputError(f"status 应为{'、'.join(AppStatus.values)}之一", field="status")
            qs = qs.filter(status=status)
        return Response(ApplicationSerializer(qs.order_by("-pk")[:MAX_ROWS], many=True).data)


class ApplicationDetailView(APIView):
    @extend_schema(summary="一件项目申报（含申报表内容）", responses=ApplicationDetailSerializer)
    def get(self, request, pk):
        app = get_in_scope(services.applications_for(request.user), request.user, pk=pk)
        return Response(ApplicationDetailSerializer(app).data)


class ApplicationSubmitView(APIView):
    @extend_schema(
        summary="提交申报（申报单位本单位用户；不完整或不符合条件时返回400及原因）",
        request=None,
        responses=ApplicationDetailSerializer,
    )
    def post(self, request, pk):
        app = get_in_scope(services.applications_for(request.user), request.user, pk=pk)
        app = flows.submit(application=app, by=request.user)
        return Response(ApplicationDetailSerializer(app).data)
