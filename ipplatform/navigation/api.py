"""JSON API of 专利导航 (documented with drf-spectacular)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ipplatform.core.inputs import InputError

from . import analyses, services
from .enums import SubjectKind


class DatabaseListView(APIView):
    @extend_schema(
        summary="可用的专题库",
        responses=inline_serializer(
            "NavDatabase",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "definition": serializers.CharField(),
                "member_count": serializers.IntegerField(),
                "data_cutoff": serializers.DateField(allow_null=True),
                "preset": serializers.BooleanField(),
            },
            many=True,
        ),
    )
    def get(self, request):
        dbs = services.visible_databases(request.user)
        return Response(
            [
                {
                    "id": d.pk,
                    "name": d.name,
                    "definition": services.rule_description(d),
                    "member_count": d.member_count,
                    "data_cutoff": d.data_cutoff,
                    "preset": d.is_preset,
                }
                for d in dbs
            ]
        )


class AnalysisView(APIView):
    @extend_schema(
        summary="一项导航分析（图表配置、表格与统计口径）",
        parameters=[
            OpenApiParameter("kind", str, description="db / query / applicant / region", required=True),
            OpenApiParameter("value", str, description="专题库ID、检索式、申请人名称或区划代码", required=True),
        ],
        responses=inline_serializer(
            "NavAnalysis",
            {
                "key": serializers.CharField(),
                "title": serializers.CharField(),
                "caliber": serializers.CharField(),
                "headers": serializers.ListField(),
                "rows": serializers.ListField(),
                "figures": serializers.DictField(),
                "chart": serializers.DictField(),
                "count": serializers.IntegerField(),
                "data_cutoff": serializers.CharField(),
            },
        ),
    )
    def get(self, request, key: str):
        if request.user.role == "public" and not request.user.is_superuser:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("社会公众账号无权使用专利导航分析")
        if key not in analyses.ANALYSES:
            raise InputError(f"未知的分析项“{key}”，可选：{'、'.join(analyses.ANALYSES)}", field="key")
        kind = request.query_params.get("kind", "")
        if kind not in SubjectKind.values:
            raise InputError("参数kind应为 db、query、applicant 或 region", field="kind")
        subject = services.resolve_subject(kind=kind, value=request.query_params.get("value", ""), user=request.user)
        result = services.compute(subject=subject, keys=[key])[key]
        return Response({k: v for k, v in result.items() if k != "image"})
