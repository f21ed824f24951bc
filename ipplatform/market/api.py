"""REST API of the market (/api/v1/market/...): the same services as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ipplatform.core import scopes
from ipplatform.core.api import Text, clean_body
from ipplatform.core.inputs import is_id

from . import flows, matching, services
from .enums import DealType
from .models import Deal, Demand, Listing, OpenLicenceDeclaration


class ListingSerializer(serializers.ModelSerializer):
    patent_title = serializers.CharField(source="patent.title", read_only=True)
    holder_name = serializers.CharField(source="holder.name", read_only=True)
    deal_type_label = serializers.CharField(source="get_deal_type_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "patent",
            "patent_title",
            "holder",
            "holder_name",
            "deal_type",
            "deal_type_label",
            "title",
            "summary",
            "application_fields",
            "maturity",
            "asking_price",
            "negotiable",
            "fee_standard",
            "licence_years",
            "trading_center",
            "city_code",
            "ipc_main",
            "tech_field",
            "state",
            "state_label",
            "created_at",
        ]
        read_only_fields = fields  # responses only: listings are created through ListingCreate and the services


class DemandSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Demand
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "field",
            "ipc_hint",
            "problem",
            "budget_min",
            "budget_max",
            "deadline",
            "preferred_deal_type",
            "city_code",
            "state",
            "created_at",
        ]
        read_only_fields = fields


class DeclarationSerializer(serializers.ModelSerializer):
    patent_title = serializers.CharField(source="patent.title", read_only=True)
    holder_name = serializers.CharField(source="holder.name", read_only=True)
    fee_text = serializers.CharField(read_only=True)

    class Meta:
        model = OpenLicenceDeclaration
        fields = [
            "id",
            "patent",
            "patent_title",
            "holder",
            "holder_name",
            "fee_method",
            "lump_sum",
            "royalty_rate",
            "fee_text",
            "term_start",
            "term_end",
            "publication_no",
            "published_on",
            "withdrawn_on",
            "state",
        ]
        read_only_fields = fields


class DealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deal
        fields = [
            "id",
            "patent",
            "listing",
            "demand",
            "deal_type",
            "seller",
            "buyer",
            "state",
            "amount",
            "contract_no",
            "contract_signed_on",
            "licence_start",
            "licence_end",
            "recordal_deadline",
            "registration_no",
            "registered_on",
            "completed_on",
            "created_at",
        ]
        read_only_fields = fields


# Request bodies: every text bounded by its model field (Text cleans it as page input is cleaned).
class ListingCreate(serializers.Serializer):
    patent = Text(max_length=40)
    deal_type = serializers.ChoiceField(DealType.choices)
    title = Text(max_length=200, required=False)
    summary = Text(max_length=5000, multiline=True)
    application_fields = Text(max_length=300)
    maturity = Text(max_length=12)
    asking_price = serializers.DecimalField(12, 2, required=False)
    negotiable = serializers.BooleanField(required=False)
    fee_standard = Text(max_length=300, required=False)
    licence_years = serializers.IntegerField(required=False)
    pledgee_consent = serializers.BooleanField(required=False)
    pledgee_consent_note = Text(max_length=300, required=False)
    trading_center = serializers.IntegerField(required=False)


class DemandCreate(serializers.Serializer):
    title = Text(max_length=200)
    field = Text(max_length=200)
    problem = Text(max_length=5000, multiline=True)
    deadline = serializers.DateField()
    budget_min = serializers.DecimalField(12, 2, required=False)
    budget_max = serializers.DecimalField(12, 2, required=False)
    preferred_deal_type = Text(max_length=12, required=False)
    ipc_hint = Text(max_length=200, required=False)


class OpenAccept(serializers.Serializer):
    payment_amount = serializers.DecimalField(12, 2)
    payment_date = serializers.DateField()
    payment_reference = Text(max_length=60)
    start_date = serializers.DateField(required=False)


class DealTransition(serializers.Serializer):
    action = Text(max_length=40)
    reason = Text(max_length=2000, multiline=True, required=False)
    amount = serializers.DecimalField(12, 2, required=False)
    contract_no = Text(max_length=60, required=False)
    contract_signed_on = serializers.DateField(required=False)
    licence_start = serializers.DateField(required=False)
    licence_end = serializers.DateField(required=False)
    registration_no = Text(max_length=60, required=False)
    registered_on = serializers.DateField(required=False)


MATCH = inline_serializer(
    "MarketMatch",
    {
        "id": serializers.CharField(),
        "title": serializers.CharField(),
        "score": serializers.FloatField(),
        "text_score": serializers.FloatField(),
        "ipc_score": serializers.FloatField(),
        "shared_terms": serializers.ListField(child=serializers.CharField()),
        "ipc_overlap": serializers.CharField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)


def _match_json(m, *, title: str, key) -> dict:
    return {
        "id": str(key),
        "title": title,
        "score": round(m.score, 4),
        "text_score": round(m.text_score, 4),
        "ipc_score": m.ipc_score,
        "shared_terms": m.shared,
        "ipc_overlap": m.ipc_prefix,
        "reasons": m.reasons,
    }


class ListingListView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(
        summary="挂牌专利（展示中）",
        parameters=[
            OpenApiParameter(n, str, required=False) for n in ("q", "section", "field", "city", "center", "deal_type")
        ],
        responses=ListingSerializer(many=True),
    )
    def get(self, request):
        f = request.query_params
        qs = services.showcase(
            q=f.get("q", ""),
            section=f.get("section", ""),
            field=f.get("field", ""),
            city=f.get("city", ""),
            center=f.get("center", ""),
            deal_type=f.get("deal_type", ""),
        )[:500]
        return Response(ListingSerializer(qs, many=True).data)

    @extend_schema(
        summary="挂牌专利（核验权属、法律状态和权利负担，不符合时返回400及原因）",
        request=ListingCreate,
        responses={201: ListingSerializer},
    )
    def post(self, request):
        d = clean_body(request, ListingCreate)
        listing = services.create_listing(
            user=request.user,
            patent_id=str(d.get("patent") or ""),
            deal_type=d.get("deal_type") or "",
            title=d.get("title") or "",
            summary=d.get("summary") or "",
            application_fields=d.get("application_fields") or "",
            maturity=d.get("maturity") or "",
            asking_price=d.get("asking_price"),
            negotiable=bool(d.get("negotiable")),
            fee_standard=d.get("fee_standard") or "",
            licence_years=d.get("licence_years"),
            pledgee_consent=bool(d.get("pledgee_consent")),
            pledgee_consent_note=d.get("pledgee_consent_note") or "",
            trading_center_id=d.get("trading_center"),
        )
        return Response(ListingSerializer(listing).data, status=201)


class ListingCheckView(APIView):
    @extend_schema(
        summary="挂牌前核验：返回不能挂牌的全部原因",
        parameters=[OpenApiParameter("patent", str), OpenApiParameter("deal_type", str)],
        responses=inline_serializer(
            "ListingCheck",
            {
                "patent": serializers.CharField(),
                "allowed": serializers.BooleanField(),
                "reasons": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    def get(self, request):
        patent = services.get_patent(request.query_params.get("patent", ""))
        deal_type = services.choice(
            request.query_params.get("deal_type", ""), DealType, field="deal_type", label="交易方式"
        )
        reasons = services.listing_refusals(patent=patent, organization=request.user.organization, deal_type=deal_type)
        return Response({"patent": patent.pk, "allowed": not reasons, "reasons": reasons})


class ListingMatchesView(APIView):
    @extend_schema(
        summary="挂牌的匹配需求和潜在受让方（含匹配理由）",
        responses=inline_serializer(
            "ListingMatches",
            {
                "engine": serializers.CharField(),
                "demands": MATCH,
                "buyers": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request, pk: int):
        listing = get_object_or_404(Listing, pk=pk)
        if not (services.can_manage_listing(request.user, listing) or services.is_staff(request.user)):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("只有挂牌单位或知识产权局工作人员可以查看匹配结果")
        result = matching.match_listing(listing=listing, limit=10)
        return Response(
            {
                "engine": result["engine"],
                "demands": [_match_json(m, title=m.obj.title, key=m.obj.pk) for m in result["demands"]],
                "buyers": [
                    {
                        "name": b.name,
                        "organization": b.organization.pk if b.organization else None,
                        "score": round(b.score, 4),
                        "patents": [p.pk for p in b.patents],
                        "reasons": b.reasons,
                    }
                    for b in result["buyers"]
                ],
            }
        )


class DemandListView(APIView):
    @extend_schema(summary="技术需求（征集中及本单位的）", responses=DemandSerializer(many=True))
    def get(self, request):
        return Response(DemandSerializer(services.visible_demands(request.user)[:500], many=True).data)

    @extend_schema(summary="发布技术需求", request=DemandCreate, responses={201: DemandSerializer})
    def post(self, request):
        d = clean_body(request, DemandCreate)
        demand = services.post_demand(
            user=request.user,
            title=d.get("title") or "",
            field=d.get("field") or "",
            problem=d.get("problem") or "",
            deadline=d.get("deadline") or "",
            budget_min=d.get("budget_min"),
            budget_max=d.get("budget_max"),
            preferred_deal_type=d.get("preferred_deal_type") or "",
            ipc_hint=d.get("ipc_hint") or "",
        )
        return Response(DemandSerializer(demand).data, status=201)


class DemandMatchesView(APIView):
    @extend_schema(
        summary="需求的匹配专利和挂牌项目（文本相关度+IPC相近度，含匹配理由）",
        responses=inline_serializer(
            "DemandMatches",
            {
                "engine": serializers.CharField(),
                "codes": serializers.ListField(child=serializers.CharField()),
                "patents": MATCH,
                "listings": MATCH,
            },
        ),
    )
    def get(self, request, pk: int):
        demand = get_object_or_404(services.visible_demands(request.user), pk=pk)
        result = matching.match_demand(demand=demand, limit=10)
        return Response(
            {
                "engine": result["engine"],
                "codes": result["codes"],
                "patents": [_match_json(m, title=m.obj.title, key=m.obj.pk) for m in result["patents"]],
                "listings": [_match_json(m, title=m.obj.title, key=m.obj.pk) for m in result["listings"]],
            }
        )


class OpenLicenceListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="开放许可声明（已公告）", responses=DeclarationSerializer(many=True))
    def get(self, request):
        qs = OpenLicenceDeclaration.objects.filter(state="published").select_related("patent", "holder")[:500]
        return Response(DeclarationSerializer(qs, many=True).data)


class OpenLicenceAcceptView(APIView):
    @extend_schema(
        summary="实施开放许可（书面通知并登记付款）",
        request=OpenAccept,
        responses={
            201: inline_serializer(
                "OpenAccepted", {"id": serializers.IntegerField(), "notice_text": serializers.CharField()}
            )
        },
    )
    def post(self, request, pk: int):
        decl = get_object_or_404(OpenLicenceDeclaration, pk=pk)
        d = clean_body(request, OpenAccept)
        licence = flows.accept_open_licence(
            user=request.user,
            declaration=decl,
            payment_amount=d.get("payment_amount"),
            payment_date=d.get("payment_date"),
            payment_reference=d.get("payment_reference") or "",
            start_date=d.get("start_date"),
        )
        return Response({"id": licence.pk, "notice_text": licence.notice_text}, status=201)


class DealListView(APIView):
    @extend_schema(summary="交易（数据范围内）", responses=DealSerializer(many=True))
    def get(self, request):
        return Response(DealSerializer(scopes.restrict(Deal.objects.all(), request.user)[:500], many=True).data)


class DealTransitionView(APIView):
    @extend_schema(
        summary="交易流转：negotiate / sign_contract / submit_registration / complete / cancel",
        request=DealTransition,
        responses=DealSerializer,
    )
    def post(self, request, pk: int):
        deal = scopes.get_in_scope(Deal.objects.all(), request.user, pk=pk)
        d = clean_body(request, DealTransition)
        flows.advance_deal(
            user=request.user,
            deal=deal,
            action=d.get("action") or "",
            reason=d.get("reason") or "",
            amount=d.get("amount"),
            contract_no=d.get("contract_no") or "",
            contract_signed_on=d.get("contract_signed_on"),
            licence_start=d.get("licence_start"),
            licence_end=d.get("licence_end"),
            registration_no=d.get("registration_no") or "",
            registered_on=d.get("registered_on"),
        )
        return Response(DealSerializer(deal).data)


class StatsView(APIView):
    @extend_schema(
        summary="交易市场统计（按地市、技术领域、月份）",
        parameters=[OpenApiParameter("year", int, required=False)],
        responses=inline_serializer(
            "MarketStats",
            {
                "totals": serializers.DictField(),
                "by_city": serializers.ListField(child=serializers.DictField()),
                "by_field": serializers.ListField(child=serializers.DictField()),
                "by_month": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        year = request.query_params.get("year", "")
        return Response(
            services.market_stats(user=request.user, year=int(year) if is_id(year) and len(year) == 4 else None)
        )
