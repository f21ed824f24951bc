"""GET /api/v1/stats/...: the same figures as the dashboards, from the same service."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .enums import TargetStatus
from .views import allowed_city, check_city_access

COMMON = [
    OpenApiParameter("year", int, description="统计年度（1985至今年），默认为有数据的最近年度"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="按日期范围统计的起始日期（与date_to同时使用）"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="按日期范围统计的截止日期"),
    OpenApiParameter("valid_date", OpenApiTypes.DATE, description="有效专利统计日，默认为期末"),
    OpenApiParameter(
        "divisions", str, enum=["2015", "current"], description="区划口径：2015年区划（17市）或现行区划（16市）"
    ),
    OpenApiParameter("synthetic", bool, description="1 = 包含模拟数据（结果中标注）"),
]
CITY = OpenApiParameter("city", str, description="地市代码（如370200）；省局用户不填为全省，市局用户只能查本市")

TARGETS = inline_serializer(
    "StatTarget",
    many=True,
    fields={
        "key": serializers.ChoiceField(
            ["invention_applications_growth", "invention_grants_growth", "valid_invention_per_10k"]
        ),
        "label": serializers.CharField(),
        "target": serializers.FloatField(),
        "value": serializers.FloatField(allow_null=True),
        "unit": serializers.CharField(),
        "status": serializers.ChoiceField(TargetStatus.values),
        "basis": serializers.CharField(),
    },
)


def _params(request) -> dict:
    g = request.query_params
    return {
        "year": g.get("year") or None,
        "date_from": g.get("date_from") or None,
        "date_to": g.get("date_to") or None,
        "valid_date": g.get("valid_date") or None,
        "divisions": g.get("divisions") or None,
        "include_synthetic": g.get("synthetic") in ("1", "true", "on"),
    }


def _city(request) -> str | None:
    city = request.query_params.get("city") or None
    own = allowed_city(request.user)
    if own is not None and city is None:
        city = own
    check_city_access(request.user, city)
    return city


class SummaryView(APIView):
    @extend_schema(
        summary="统计概况：申请、授权（按类型）、增长率、职务/非职务、申请人类型、有效发明专利与万人拥有量、目标、各市排名、趋势",
        parameters=COMMON + [CITY],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        dash = services.cached_dashboard(city_code=_city(request), **_params(request))
        return Response(dash)


class TargetsView(APIView):
    @extend_schema(
        summary="年度目标完成情况（发明申请、授权增长15%，万人有效发明专利5件）",
        parameters=COMMON + [CITY],
        responses=inline_serializer(
            "StatTargets",
            {
                "scope": serializers.DictField(),
                "period": serializers.DictField(),
                "include_synthetic": serializers.BooleanField(),
                "targets": TARGETS,
            },
        ),
    )
    def get(self, request):
        dash = services.cached_dashboard(city_code=_city(request), **_params(request))
        return Response(
            {
                "scope": dash["scope"],
                "period": dash["period"],
                "include_synthetic": dash["include_synthetic"],
                "targets": dash["targets"],
                "valid_presumed": dash["valid_presumed"],
                "basis": dash["basis"],
            }
        )


class CitiesView(APIView):
    @extend_schema(summary="各市主要指标与排名（地图与排名图的数据）", parameters=COMMON, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if allowed_city(request.user) is not None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("市、县局用户只能查看本市统计")
        dash = services.cached_dashboard(**_params(request))
        return Response(
            {
                "period": dash["period"],
                "valid_date": dash["valid_date"],
                "divisions": dash["scope"]["divisions"],
                "include_synthetic": dash["include_synthetic"],
                "cities": dash["cities"],
                "basis": dash["basis"],
            }
        )


class TrendView(APIView):
    @extend_schema(
        summary="1985年以来逐年申请量、授权量（按类型）与年末有效发明专利",
        parameters=COMMON + [CITY],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        dash = services.cached_dashboard(city_code=_city(request), **_params(request))
        return Response(
            {
                "scope": dash["scope"],
                "include_synthetic": dash["include_synthetic"],
                "trend": dash["trend"],
                "basis": dash["basis"],
            }
        )


class ComparisonView(APIView):
    @extend_schema(
        summary="区域知识产权发展状况综合评价：各市综合指数、排名及较上年变化",
        parameters=COMMON[:1] + COMMON[4:],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        if allowed_city(request.user) is not None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("区域发展评价仅向省局用户开放")
        p = _params(request)
        return Response(
            services.cached_comparison(
                year=p["year"], divisions=p["divisions"], include_synthetic=p["include_synthetic"]
            )
        )
