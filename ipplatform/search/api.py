"""Search API: the same query language as the pages; errors as JSON with the position."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ipplatform.core.inputs import parse_int

from . import services
from .backends.base import SORTS

ErrorSchema = inline_serializer(
    "SearchError",
    {
        "error": serializers.CharField(),
        "position": serializers.IntegerField(required=False),
        "field": serializers.CharField(required=False),
    },
)
HitSchema = inline_serializer(
    "PatentHit",
    {
        "id": serializers.CharField(),
        "application_number": serializers.CharField(),
        "publication_number": serializers.CharField(),
        "title": serializers.CharField(),
        "highlights": serializers.DictField(child=serializers.CharField()),
        "applicants": serializers.CharField(),
        "application_date": serializers.DateField(allow_null=True),
        "publication_date": serializers.DateField(allow_null=True),
        "patent_type": serializers.CharField(),
        "legal_status": serializers.CharField(),
        "ipc_main": serializers.CharField(),
        "is_synthetic": serializers.BooleanField(),
        "score": serializers.FloatField(),
    },
)


class PatentSearchView(APIView):
    @extend_schema(
        summary="专利检索（检索式语法见 /search/help/）",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, required=True, description="检索式，如 名称=(石墨烯 AND 电池) AND 申请日>=2015"
            ),
            OpenApiParameter("facets", OpenApiTypes.BOOL, description="是否返回分面统计（默认 true）"),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="上一页返回的 next_cursor"),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS), description="排序，默认 relevance"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="每页条数 1–200，默认 20"),
            OpenApiParameter("city", OpenApiTypes.STR, description="限定地市（6位区划代码，含所辖县区）"),
        ],
        responses={
            200: inline_serializer(
                "PatentSearchResult",
                {
                    "query": serializers.CharField(),
                    "total": serializers.IntegerField(),
                    "hits": serializers.ListField(child=HitSchema),
                    "facets": serializers.DictField(),
                    "next_cursor": serializers.CharField(allow_null=True),
                    "took_ms": serializers.FloatField(),
                },
            ),
            400: ErrorSchema,
        },
    )
    def get(self, request):
        q = request.query_params.get("q", "")
        limit = parse_int(
            request.query_params.get("limit"),
            field="limit",
            label="每页条数",
            min_value=1,
            max_value=services.MAX_PAGE,
            default=20,
        )
        facets = request.query_params.get("facets", "true").lower() not in ("0", "false", "no", "")
        r = services.search(
            query=q,
            user=request.user,
            city_code=request.query_params.get("city") or None,
            sort=request.query_params.get("sort", "relevance"),
            cursor=request.query_params.get("cursor") or None,
            limit=limit,
            facets=facets,
        )
        hits = [{**h, "highlights": {k: str(v) for k, v in h["highlights"].items()}} for h in r.hits]
        return Response(
            {
                "query": r.query,
                "total": r.total,
                "hits": hits,
                "facets": r.facets,
                "next_cursor": r.next_cursor,
                "took_ms": r.took_ms,
            }
        )


class PatentDetailView(APIView):
    @extend_schema(summary="专利著录项目、法律状态与相似专利", responses={200: OpenApiTypes.OBJECT, 404: ErrorSchema})
    def get(self, request, application_number: str):
        return Response(services.patent_api_data(pk=application_number))


class SemanticSearchView(APIView):
    @extend_schema(
        summary="语义检索：用一段话（中文或英文）查找含义最接近的专利；可用检索式先行限定范围",
        parameters=[
            OpenApiParameter("text", OpenApiTypes.STR, required=True, description="技术描述，2–2000字"),
            OpenApiParameter(
                "filter", OpenApiTypes.STR, description="检索式（限定范围），如 申请日>=2015 AND 分类号=A23"
            ),
            OpenApiParameter(
                "mode",
                OpenApiTypes.STR,
                enum=["hybrid", "meaning"],
                description="hybrid：语义与字面融合排序（默认）；meaning：仅语义",
            ),
            OpenApiParameter("city", OpenApiTypes.STR, description="限定地市（6位区划代码）"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="条数 1–100，默认 20"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ErrorSchema},
    )
    def get(self, request):
        from . import semantic

        limit = parse_int(
            request.query_params.get("limit"), field="limit", label="每页条数", min_value=1, max_value=100, default=20
        )
        r = semantic.semantic_search(
            text=request.query_params.get("text", ""),
            filter_query=request.query_params.get("filter", ""),
            mode=request.query_params.get("mode", "hybrid"),
            city_code=request.query_params.get("city") or None,
            user=request.user,
            limit=limit,
        )
        keys = (
            "id",
            "application_number",
            "publication_number",
            "title",
            "applicants",
            "application_date",
            "patent_type",
            "ipc_main",
            "is_synthetic",
            "similarity",
            "meaning_rank",
            "text_rank",
            "score",
        )
        return Response(
            {
                "text": r.text,
                "filter": r.filter_query,
                "mode": r.mode,
                "filtered": r.filtered,
                "model": r.model,
                "coverage": r.coverage,
                "notes": r.notes,
                "took_ms": r.took_ms,
                "hits": [{k: h.get(k) for k in keys} for h in r.hits],
            }
        )
