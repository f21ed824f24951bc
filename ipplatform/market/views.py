"""Market pages: thin views over services/flows/matching."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from ipplatform.core import audit, regions, scopes
from ipplatform.core.decorators import input_errors_as_messages
from ipplatform.core.downloads import DOCX, attachment
from ipplatform.core.enums import AuditAction, OrgKind
from ipplatform.core.inputs import InputError, is_id
from ipplatform.core.models import Organization, TechField
from ipplatform.core.tables import Table, col
from ipplatform.core.workflow import history
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import flows, matching, services
from .enums import (
    AccessState,
    DealState,
    DealType,
    DeclarationState,
    EventKind,
    FeeMethod,
    ListingState,
    Maturity,
    ParticipantRole,
)
from .models import (
    DataRoomAccess,
    Deal,
    Demand,
    Listing,
    ListingDocument,
    MarketEvent,
    OpenLicence,
    OpenLicenceDeclaration,
)

SECTIONS = [
    ("A", "A 人类生活必需"),
    ("B", "B 作业；运输"),
    ("C", "C 化学；冶金"),
    ("D", "D 纺织；造纸"),
    ("E", "E 固定建筑物"),
    ("F", "F 机械工程；照明；加热；武器；爆破"),
    ("G", "G 物理"),
    ("H", "H 电学"),
]


def patent_url(patent_id: str) -> str:
    try:
        return reverse("search:patent_detail", args=[patent_id])
    except NoReverseMatch:
        return ""


TRANSITION_LABELS = {
    "suspend": "暂停挂牌",
    "resume": "恢复挂牌",
    "close": "成交关闭",
    "withdraw": "撤回",
    "mark_matched": "对接成功",
    "reopen": "重新征集",
    "publish": "公告",
    "negotiate": "进入谈判",
    "sign_contract": "签订合同",
    "submit_registration": "提交登记/备案",
    "complete": "登记完成",
    "cancel": "取消",
}


def labelled_history(obj) -> list[dict]:
    """State history with Chinese state and action names."""
    return [
        {
            "at": t.at,
            "actor": t.actor_label,
            "action": TRANSITION_LABELS.get(t.transition) or t.transition_label,
            "source": t.source_label,
            "target": t.target_label,
            "reason": t.reason,
        }
        for t in history(obj)
    ]


def _centers():
    return Organization.objects.filter(kind=OrgKind.TRADING_CENTER, is_active=True).order_by("region_code", "name")


def _cities():
    return [(c, n) for c, n in regions.current_cities()]


# ---------------------------------------------------------------- showcase and listings


LISTING_COLUMNS = [
    col("listed", "挂牌时间", "created_at"),
    col("price", "价格", "asking_price"),
    col("title", "名称", "title"),
    col("holder", "权利人", "holder__name"),
]


def showcase(request):
    f = request.GET
    qs = services.showcase(
        q=f.get("q", "").strip(),
        section=f.get("section", ""),
        field=f.get("field", ""),
        city=f.get("city", ""),
        center=f.get("center", ""),
        deal_type=f.get("deal_type", ""),
    )
    table = Table(
        request,
        qs,
        columns=LISTING_COLUMNS,
        unfiltered=services.public_listings(),
        noun="挂牌项目",
        unit="项",
        name="listings",
    )
    qs = table.export_queryset()
    if f.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="market.listing", object_repr="挂牌项目导出", reason=f.urlencode())
        rows = (
            [
                l.pk,
                l.patent.display_number,
                l.title,
                l.get_deal_type_display(),
                l.holder.name,
                services.city_name(l.city_code),
                l.tech_field.name_zh if l.tech_field else "",
                l.ipc_main,
                l.get_maturity_display(),
                l.asking_price,
                l.fee_standard or ("面议" if l.negotiable else ""),
                l.trading_center.name if l.trading_center else "",
                l.created_at,
            ]
            for l in qs
        )
        return attachment(
            workbook_bytes(
                [
                    Sheet(
                        "挂牌项目",
                        [
                            "编号",
                            "申请号",
                            "项目",
                            "交易方式",
                            "权利人",
                            "地市",
                            "技术领域",
                            "主分类号",
                            "成熟度",
                            "价格（万元）",
                            "费用标准",
                            "交易中心",
                            "挂牌时间",
                        ],
                        rows,
                    )
                ]
            ),
            "market-listings.xlsx",
        )
    query = f.copy()
    query.pop("page", None)
    centers = list(_centers())
    per_center = {  # published listings per trading centre: one grouped query, not one count per centre
        row["trading_center"]: row["n"]
        for row in services.public_listings().order_by().values("trading_center").annotate(n=Count("pk"))
    }
    context = {
        "table": table,
        "page": table.page,
        "query": query.urlencode(),
        "f": f,
        "sections": SECTIONS,
        "fields": TechField.objects.all(),
        "cities": _cities(),
        "centers": centers,
        "deal_types": DealType.choices,
        "stats": services.market_totals(user=None),
        "events": MarketEvent.objects.filter(ends_on__gte=services.today()).order_by("starts_on")[:3],
        "center_cards": [(c, per_center.get(c.pk, 0)) for c in centers],
    }
    return render(request, "market/showcase.html", context)


def listing_detail(request, pk: int):
    listing = get_object_or_404(
        Listing.objects.select_related("patent", "holder", "trading_center", "tech_field"), pk=pk
    )
    manage = request.user.is_authenticated and services.can_manage_listing(request.user, listing)
    if listing.state != ListingState.PUBLISHED and not (
        request.user.is_authenticated and (manage or scopes.can_access(request.user, listing))
    ):
        raise PermissionDenied("该挂牌已不在展示中")
    user = request.user
    my_access = None
    if user.is_authenticated and user.organization_id and not manage:
        my_access = listing.access_requests.filter(organization_id=user.organization_id).first()
    context = {
        "listing": listing,
        "patent": listing.patent,
        "patent_url": patent_url(listing.patent_id),
        "manage": manage,
        "data_room": services.can_see_data_room(user, listing),
        "documents": listing.documents.all(),
        "my_access": my_access,
        "requests": listing.access_requests.select_related("organization").order_by("-created_at") if manage else [],
        "history": labelled_history(listing),
        "holders": services.holder_names(listing.patent),
        "my_demands": Demand.objects.filter(organization_id=user.organization_id, state="open")
        if user.is_authenticated and user.organization_id
        else [],
        "declaration": getattr(listing, "open_declaration", None),
        "can_start_deal": services.can_start_deal(user, listing),
    }
    if manage or services.is_staff(user):
        context["matches"] = matching.match_listing(listing=listing, limit=8)
    return render(request, "market/listing_detail.html", context)


def _listing_form_context(request, **extra):
    org = request.user.organization
    own = services.patents_of(organization=org).order_by("-grant_date", "-application_date")[:300] if org else []
    return {
        "own_patents": own,
        "deal_types": [c for c in DealType.choices if c[0] != DealType.OPEN],
        "maturities": Maturity.choices,
        "centers": _centers(),
        "v": request.POST or request.GET,
        **extra,
    }


@login_required
def listing_create(request):
    if request.method == "POST":
        p = request.POST
        try:
            listing = services.create_listing(
                user=request.user,
                patent_id=p.get("patent", ""),
                deal_type=p.get("deal_type", ""),
                title=p.get("title", ""),
                summary=p.get("summary", ""),
                application_fields=p.get("application_fields", ""),
                maturity=p.get("maturity", ""),
                asking_price=p.get("asking_price"),
                negotiable=bool(p.get("negotiable")),
                fee_standard=p.get("fee_standard", ""),
                licence_years=p.get("licence_years"),
                pledgee_consent=bool(p.get("pledgee_consent")),
                pledgee_consent_note=p.get("pledgee_consent_note", ""),
                trading_center_id=p.get("trading_center") or None,
                contact_person=p.get("contact_person", ""),
                contact_phone=p.get("contact_phone", ""),
            )
        except InputError as e:
            return render(request, "market/listing_form.html", _listing_form_context(request, error=e), status=400)
        messages.success(request, f"挂牌成功：{listing.title}")
        return redirect("market:listing_detail", pk=listing.pk)
    services.holder_org(request.user)
    return render(request, "market/listing_form.html", _listing_form_context(request))


@login_required
def listing_edit(request, pk: int):
    listing = get_object_or_404(Listing.objects.select_related("patent"), pk=pk)
    if not services.can_manage_listing(request.user, listing):
        raise PermissionDenied("只有挂牌单位可以修改挂牌信息")
    if request.method == "POST":
        p = request.POST
        try:
            services.update_listing(
                user=request.user,
                listing=listing,
                title=p.get("title", ""),
                summary=p.get("summary", ""),
                application_fields=p.get("application_fields", ""),
                maturity=p.get("maturity", ""),
                asking_price=p.get("asking_price"),
                negotiable=bool(p.get("negotiable")),
                fee_standard=p.get("fee_standard", ""),
                contact_person=p.get("contact_person", ""),
                contact_phone=p.get("contact_phone", ""),
            )
        except InputError as e:
            return render(
                request,
                "market/listing_edit.html",
                {"listing": listing, "v": p, "error": e, "maturities": Maturity.choices},
                status=400,
            )
        messages.success(request, "挂牌信息已更新")
        return redirect("market:listing_detail", pk=pk)
    v = {
        "title": listing.title,
        "summary": listing.summary,
        "application_fields": listing.application_fields,
        "maturity": listing.maturity,
        "asking_price": listing.asking_price if listing.asking_price is not None else "",
        "negotiable": listing.negotiable,
        "fee_standard": listing.fee_standard,
        "contact_person": listing.contact_person,
        "contact_phone": listing.contact_phone,
    }
    return render(request, "market/listing_edit.html", {"listing": listing, "v": v, "maturities": Maturity.choices})


@login_required
def patent_check(request):
    """htmx: the refusal check for the chosen patent and deal type, before submitting."""
    patent_id, deal_type = request.GET.get("patent", ""), request.GET.get("deal_type", "")
    try:
        patent = services.get_patent(patent_id)
    except InputError as e:
        return render(request, "market/_check.html", {"error": e.message})
    reasons = services.listing_refusals(
        patent=patent,
        organization=request.user.organization,
        deal_type=deal_type or DealType.ORDINARY,
        pledgee_consent=bool(request.GET.get("pledgee_consent")),
    )
    pledged, pledgee = services.active_pledge_info(patent_id=patent.pk)
    return render(
        request,
        "market/_check.html",
        {
            "patent": patent,
            "reasons": reasons,
            "pledged": pledged,
            "pledgee": pledgee,
            "holders": services.holder_names(patent),
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def listing_action(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk)
    services.change_listing(
        user=request.user, listing=listing, action=request.POST.get("action", ""), reason=request.POST.get("reason", "")
    )
    messages.success(request, f"挂牌状态已变更为“{listing.get_state_display()}”")
    return redirect("market:listing_detail", pk=pk)


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def document_upload(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk)
    doc = services.add_document(
        user=request.user,
        listing=listing,
        upload=request.FILES.get("file"),
        description=request.POST.get("description", ""),
    )
    messages.success(request, f"已上传：{doc.name}")
    return redirect("market:listing_detail", pk=pk)


@login_required
def document_download(request, pk: int):
    doc = get_object_or_404(ListingDocument.objects.select_related("listing"), pk=pk)
    if not services.can_see_data_room(request.user, doc.listing):
        raise PermissionDenied("资料室文件仅对挂牌单位和经其批准的单位开放")
    audit.record(AuditAction.EXPORT, obj=doc, reason="下载资料室文件")
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def access_request(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk, state=ListingState.PUBLISHED)
    services.request_access(user=request.user, listing=listing, purpose=request.POST.get("purpose", ""))
    messages.success(request, "已提交资料室访问申请，等待权利人审批")
    return redirect("market:listing_detail", pk=pk)


@login_required
@require_POST
def access_decide(request, pk: int):
    access = get_object_or_404(DataRoomAccess.objects.select_related("listing"), pk=pk)
    services.decide_access(user=request.user, access=access, approve=request.POST.get("decision") == "approve")
    messages.success(request, f"已{access.get_state_display()}：{access.organization.name}")
    return redirect("market:listing_detail", pk=access.listing_id)


# ---------------------------------------------------------------- demands


DEMAND_COLUMNS = [
    col("title", "需求", "title"),
    col("org", "需求单位", "organization__name"),
    col("field", "技术领域", "field", optional=True),
    col("budget", "预算（万元）", "budget_max", num=True),
    col("deal_type", "意向方式", "preferred_deal_type", optional=True),
    col("deadline", "截止日期", "deadline"),
    col("state", "状态", "state"),
]


@login_required
def demand_list(request):
    visible = services.visible_demands(request.user)
    qs = visible
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(field__icontains=q) | Q(problem__icontains=q))
    table = Table(request, qs, columns=DEMAND_COLUMNS, unfiltered=visible, noun="技术需求", unit="项", name="demands")
    qs = table.export_queryset()
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT, object_type="market.demand", object_repr="技术需求导出", reason=request.GET.urlencode()
        )
        rows = (
            [
                d.pk,
                d.title,
                d.organization.name,
                d.field,
                d.ipc_hint,
                d.problem,
                d.budget_min,
                d.budget_max,
                d.deadline,
                d.get_preferred_deal_type_display(),
                d.get_state_display(),
                services.city_name(d.city_code),
                d.created_at,
            ]
            for d in qs
        )
        return attachment(
            workbook_bytes(
                [
                    Sheet(
                        "技术需求",
                        [
                            "编号",
                            "需求",
                            "需求单位",
                            "技术领域",
                            "分类号",
                            "问题",
                            "预算下限（万元）",
                            "预算上限（万元）",
                            "截止日期",
                            "意向方式",
                            "状态",
                            "地市",
                            "发布时间",
                        ],
                        rows,
                    )
                ]
            ),
            "market-demands.xlsx",
        )
    return render(
        request,
        "market/demand_list.html",
        {"table": table, "page": table.page, "q": q, "can_post": services.acts_for_organisation(request.user)},
    )


@login_required
def demand_create(request):
    if request.method == "POST":
        p = request.POST
        try:
            demand = services.post_demand(
                user=request.user,
                title=p.get("title", ""),
                field=p.get("field", ""),
                problem=p.get("problem", ""),
                deadline=p.get("deadline", ""),
                budget_min=p.get("budget_min"),
                budget_max=p.get("budget_max"),
                preferred_deal_type=p.get("preferred_deal_type", ""),
                ipc_hint=p.get("ipc_hint", ""),
            )
        except InputError as e:
            return render(
                request, "market/demand_form.html", {"v": p, "error": e, "deal_types": DealType.choices}, status=400
            )
        messages.success(request, "需求已发布，下面是平台为您匹配的专利和挂牌项目")
        return redirect("market:demand_detail", pk=demand.pk)
    org = request.user.organization
    if org is None or org.kind not in services.HOLDER_KINDS:
        raise PermissionDenied("只有企业（或高校、科研院所）用户可以发布技术需求")
    default = {"deadline": (services.today() + dt.timedelta(days=90)).isoformat()}
    return render(request, "market/demand_form.html", {"v": default, "deal_types": DealType.choices})


@login_required
def demand_detail(request, pk: int):
    demand = get_object_or_404(services.visible_demands(request.user), pk=pk)
    owner = request.user.organization_id == demand.organization_id or services.is_province(request.user)
    result = matching.match_demand(demand=demand, limit=10)
    listed = matching.listings_for_patent_ids(m.obj.pk for m in result["patents"])
    for m in result["patents"]:
        m.url, m.listing = patent_url(m.obj.pk), listed.get(m.obj.pk)
    return render(
        request,
        "market/demand_detail.html",
        {
            "demand": demand,
            "result": result,
            "owner": owner,
            "history": labelled_history(demand),
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def demand_close(request, pk: int):
    demand = get_object_or_404(Demand, pk=pk)
    services.close_demand(user=request.user, demand=demand, reason=request.POST.get("reason", ""))
    messages.success(request, "需求已关闭")
    return redirect("market:demand_detail", pk=pk)


# ---------------------------------------------------------------- open licences


def open_list(request):
    qs = OpenLicenceDeclaration.objects.select_related("patent", "holder", "listing").order_by("-published_on", "-pk")
    state = request.GET.get("state", DeclarationState.PUBLISHED)
    if state:
        qs = qs.filter(state=state)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "market/open_list.html",
        {
            "page": page,
            "state": state,
            "states": DeclarationState.choices,
            "can_declare": services.acts_for_organisation(request.user),
        },
    )


def open_detail(request, pk: int):
    decl = get_object_or_404(OpenLicenceDeclaration.objects.select_related("patent", "holder"), pk=pk)
    user = request.user
    holder = user.is_authenticated and (user.organization_id == decl.holder_id or services.is_province(user))
    licences = decl.licences.select_related("licensee")
    mine = (
        licences.filter(licensee_id=user.organization_id).first()
        if user.is_authenticated and user.organization_id
        else None
    )
    return render(
        request,
        "market/open_detail.html",
        {
            "decl": decl,
            "patent": decl.patent,
            "patent_url": patent_url(decl.patent_id),
            "holder": holder,
            "mine": mine,
            "licences": licences if holder else [],
            "licence_count": licences.count(),
            "history": labelled_history(decl),
            "today": services.today(),
        },
    )


def _declare_context(request, **extra):
    org = request.user.organization
    own = services.patents_of(organization=org).order_by("-grant_date", "-application_date")[:300] if org else []
    today = services.today()
    v = request.POST or {
        "term_start": today.isoformat(),
        "term_end": today.replace(year=today.year + 3).isoformat(),
        "patent": request.GET.get("patent", ""),
    }
    return {"own_patents": own, "fee_methods": FeeMethod.choices, "maturities": Maturity.choices, "v": v, **extra}


@login_required
def open_declare(request):
    if request.method == "POST":
        p = request.POST
        try:
            decl = flows.declare_open_licence(
                user=request.user,
                patent_id=p.get("patent", ""),
                fee_method=p.get("fee_method", ""),
                term_start=p.get("term_start"),
                term_end=p.get("term_end"),
                lump_sum=p.get("lump_sum"),
                royalty_rate=p.get("royalty_rate"),
                fee_note=p.get("fee_note", ""),
                co_owners_consent=bool(p.get("co_owners_consent")),
                evaluation_report_no=p.get("evaluation_report_no", ""),
                summary=p.get("summary", ""),
                application_fields=p.get("application_fields", ""),
                maturity=p.get("maturity", ""),
                pledgee_consent=p.get("pledgee_consent", ""),
            )
        except InputError as e:
            return render(request, "market/open_form.html", _declare_context(request, error=e), status=400)
        messages.success(
            request,
            "开放许可声明已核验并登记，请向国家知识产权局提交；国家知识产权局公告后登记公告号即生效（专利法第五十条）",
        )
        return redirect("market:open_detail", pk=decl.pk)
    services.holder_org(request.user)
    return render(request, "market/open_form.html", _declare_context(request))


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def open_accept(request, pk: int):
    decl = get_object_or_404(OpenLicenceDeclaration, pk=pk)
    p = request.POST
    flows.accept_open_licence(
        user=request.user,
        declaration=decl,
        payment_amount=p.get("payment_amount"),
        payment_date=p.get("payment_date"),
        payment_reference=p.get("payment_reference", ""),
        start_date=p.get("start_date") or None,
    )
    messages.success(request, "已取得开放许可，书面通知已送达专利权人")
    return redirect("market:open_detail", pk=pk)


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def open_announcement(request, pk: int):
    """The holder (or province staff) records CNIPA's announcement number and date of the declaration."""
    decl = get_object_or_404(OpenLicenceDeclaration, pk=pk)
    flows.record_cnipa_announcement(
        user=request.user,
        declaration=decl,
        announcement_no=request.POST.get("announcement_no", ""),
        announced_on=request.POST.get("announced_on"),
    )
    messages.success(request, "已登记国家知识产权局公告，开放许可声明生效")
    return redirect("market:open_detail", pk=pk)


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def open_recordal(request, pk: int):
    """Either party (or province staff) records CNIPA's recordal of a licence taken under an open licence."""
    licence = get_object_or_404(OpenLicence.objects.select_related("declaration"), pk=pk)
    scopes.require_in_scope(request.user, licence)
    flows.record_open_licence_recordal(
        user=request.user,
        licence=licence,
        recordal_no=request.POST.get("recordal_no", ""),
        recorded_on=request.POST.get("recorded_on"),
    )
    messages.success(request, "已登记实施许可备案")
    return redirect("market:open_detail", pk=licence.declaration_id)


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def open_withdraw(request, pk: int):
    decl = get_object_or_404(OpenLicenceDeclaration, pk=pk)
    flows.withdraw_open_licence(user=request.user, declaration=decl, reason=request.POST.get("reason", ""))
    messages.success(request, "开放许可声明已撤回；此前已实施的许可不受影响")
    return redirect("market:open_detail", pk=pk)


@login_required
def open_notice(request, pk: int):
    licence = get_object_or_404(
        OpenLicence.objects.select_related("declaration__patent", "declaration__holder", "licensee"), pk=pk
    )
    scopes.require_in_scope(request.user, licence)
    return attachment(flows.open_licence_notice_docx(licence), f"open-licence-notice-{licence.pk}.docx", DOCX)


# ---------------------------------------------------------------- deals

DEAL_HEADERS = [
    "编号",
    "申请号",
    "专利名称",
    "交易方式",
    "让与人/许可人",
    "受让人/被许可人",
    "状态",
    "金额（万元）",
    "合同编号",
    "签订日",
    "备案期限",
    "登记/备案号",
    "登记日",
    "交易中心",
    "地市",
    "发起时间",
]


def _deal_row(d: Deal):
    return [
        d.pk,
        d.patent.display_number,
        d.patent.title,
        d.get_deal_type_display(),
        d.seller.name,
        d.buyer.name,
        d.get_state_display(),
        d.amount,
        d.contract_no,
        d.contract_signed_on,
        d.recordal_deadline,
        d.registration_no,
        d.registered_on,
        d.trading_center.name if d.trading_center else "",
        services.city_name(d.city_code),
        d.created_at,
    ]


@login_required
def deal_list(request):
    qs = scopes.restrict(Deal.objects.select_related("patent", "seller", "buyer", "trading_center"), request.user)
    state = request.GET.get("state", "")
    if state:
        qs = qs.filter(state=state)
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT, object_type="market.deal", object_repr="交易台账导出", reason=request.GET.urlencode()
        )
        return attachment(
            workbook_bytes([Sheet("交易台账", DEAL_HEADERS, (_deal_row(d) for d in qs))]), "market-deals.xlsx"
        )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "market/deal_list.html", {"page": page, "state": state, "states": DealState.choices})


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def deal_start(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk)
    demand = None
    if is_id(request.POST.get("demand", "")):
        demand = get_object_or_404(Demand, pk=request.POST["demand"])
    deal = flows.start_deal(user=request.user, listing=listing, message=request.POST.get("message", ""), demand=demand)
    messages.success(request, f"已发起交易洽询#{deal.pk}")
    return redirect("market:deal_detail", pk=deal.pk)


@login_required
def deal_detail(request, pk: int):
    deal = scopes.get_in_scope(
        Deal.objects.select_related("patent", "seller", "buyer", "listing", "trading_center"), request.user, pk=pk
    )
    events = deal.patent.legal_events.filter(reference=deal.reference)
    steps = [(c, label) for c, label in DealState.choices if c != DealState.CANCELLED]
    order = [c for c, _ in steps]
    reached = [t["target"] for t in labelled_history(deal)]
    done = (
        order[: order.index(deal.state)]
        if deal.state in order
        else [c for c, label in steps if label in reached or c == DealState.INQUIRY]
    )
    return render(
        request,
        "market/deal_detail.html",
        {
            "steps": steps,
            "done_steps": done,
            "deal": deal,
            "history": labelled_history(deal),
            "actions": flows.available_actions(request.user, deal),
            "events": events,
            "patent_url": patent_url(deal.patent_id),
            "is_licence": deal.deal_type != DealType.ASSIGNMENT,
            "today": services.today(),
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def deal_action(request, pk: int):
    deal = scopes.get_in_scope(Deal.objects.all(), request.user, pk=pk)
    p = request.POST
    flows.advance_deal(
        user=request.user,
        deal=deal,
        action=p.get("action", ""),
        reason=p.get("reason", ""),
        amount=p.get("amount"),
        contract_no=p.get("contract_no", ""),
        contract_signed_on=p.get("contract_signed_on"),
        licence_start=p.get("licence_start"),
        licence_end=p.get("licence_end"),
        registration_no=p.get("registration_no", ""),
        registered_on=p.get("registered_on"),
    )
    messages.success(request, f"交易状态：{deal.get_state_display()}")
    return redirect("market:deal_detail", pk=pk)


# ---------------------------------------------------------------- events


def event_list(request):
    events = MarketEvent.objects.select_related("trading_center").order_by("-starts_on")
    can_create = request.user.is_authenticated and (
        services.is_staff(request.user)
        or (request.user.organization and request.user.organization.kind == OrgKind.TRADING_CENTER)
    )
    return render(
        request, "market/event_list.html", {"events": events, "can_create": can_create, "today": services.today()}
    )


def event_detail(request, pk: int):
    event = get_object_or_404(MarketEvent.objects.select_related("trading_center"), pk=pk)
    user = request.user
    registered = user.is_authenticated and event.registrations.filter(user=user).exists()
    # registrants' names and organisations: the organiser, and staff whose data scope contains the event
    show_people = user.is_authenticated and (
        user.pk == event.created_by_id or (services.is_staff(user) and scopes.can_access(user, event))
    )
    return render(
        request,
        "market/event_detail.html",
        {
            "event": event,
            "registered": registered,
            "roles": ParticipantRole.choices,
            "today": services.today(),
            "registrations": event.registrations.select_related("organization", "user") if show_people else [],
            "count": event.registrations.count(),
            "listings": event.listings.select_related("holder", "patent"),
            "city": services.city_name(event.city_code),
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="market:showcase")
def event_register(request, pk: int):
    event = get_object_or_404(MarketEvent, pk=pk)
    services.register_for_event(
        user=request.user, event=event, role=request.POST.get("role", ""), note=request.POST.get("note", "")
    )
    messages.success(request, "报名成功")
    return redirect("market:event_detail", pk=pk)


@login_required
def event_create(request):
    if request.method == "POST":
        p = request.POST
        try:
            event = services.create_event(
                user=request.user,
                title=p.get("title", ""),
                kind=p.get("kind", ""),
                venue=p.get("venue", ""),
                starts_on=p.get("starts_on"),
                ends_on=p.get("ends_on"),
                description=p.get("description", ""),
                capacity=p.get("capacity"),
                trading_center_id=p.get("trading_center") or None,
                listing_ids=p.getlist("listings"),
            )
        except InputError as e:
            return render(
                request,
                "market/event_form.html",
                {
                    "v": p,
                    "error": e,
                    "kinds": EventKind.choices,
                    "centers": _centers(),
                    "listings": services.public_listings()[:200],
                },
                status=400,
            )
        return redirect("market:event_detail", pk=event.pk)
    if not (
        services.is_staff(request.user)
        or (request.user.organization and request.user.organization.kind == OrgKind.TRADING_CENTER)
    ):
        raise PermissionDenied("只有知识产权局或展示交易中心可以发布交易活动")
    return render(
        request,
        "market/event_form.html",
        {"v": {}, "kinds": EventKind.choices, "centers": _centers(), "listings": services.public_listings()[:200]},
    )


# ---------------------------------------------------------------- statistics and my market


@login_required
def stats(request):
    year = request.GET.get("year", "")
    year_int = int(year) if is_id(year) and len(year) == 4 else None
    data = services.market_stats(user=request.user, year=year_int)
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT,
            object_type="market.stats",
            object_repr="交易市场统计导出",
            reason=request.GET.urlencode(),
        )
        return attachment(workbook_bytes(services.stats_sheets(data)), "market-statistics.xlsx")
    month = data["by_month"]
    month_chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["挂牌", "需求", "交易", "成交金额（万元）"]},
        "xAxis": {"type": "category", "data": [r["name"] for r in month]},
        "yAxis": [{"type": "value", "name": "项"}, {"type": "value", "name": "万元"}],
        "series": [
            {"name": "挂牌", "type": "bar", "data": [r["listings"] for r in month]},
            {"name": "需求", "type": "bar", "data": [r["demands"] for r in month]},
            {"name": "交易", "type": "bar", "data": [r["deals"] for r in month]},
            {"name": "成交金额（万元）", "type": "line", "yAxisIndex": 1, "data": [float(r["amount"]) for r in month]},
        ],
    }
    city_rows = data["by_city"]
    names15 = dict(regions.cities())
    map_chart = {
        "tooltip": {"trigger": "item"},
        "visualMap": {
            "min": 0,
            "max": max([r["listings"] + r["demands"] for r in city_rows] or [1]) or 1,
            "left": "left",
            "text": ["多", "少"],
            "calculable": True,
        },
        "series": [
            {
                "type": "map",
                "map": "shandong",
                "name": "挂牌+需求",
                "data": [
                    {"name": names15.get(r["key"], r["name"]), "value": r["listings"] + r["demands"]}
                    for r in city_rows
                    if r["key"]
                ],
            }
        ],
    }
    tables = [
        ("按地市", "地市", data["by_city"]),
        ("按技术领域", "技术领域", data["by_field"]),
        ("按月份", "月份", data["by_month"]),
    ]
    return render(
        request,
        "market/stats.html",
        {
            "data": data,
            "tables": tables,
            "month_chart": month_chart,
            "map_chart": map_chart,
            "year": year,
            "scope": scopes.scope_of(request.user),
        },
    )


@login_required
def mine(request):
    user = request.user
    org = user.organization
    ctx = {"org": org}
    if org is not None:
        ctx.update(
            listings=Listing.objects.filter(holder=org).select_related("patent"),
            demands=Demand.objects.filter(organization=org),
            deals=Deal.objects.filter(Q(seller=org) | Q(buyer=org)).select_related("patent", "seller", "buyer"),
            declarations=OpenLicenceDeclaration.objects.filter(holder=org).select_related("patent"),
            licences=OpenLicence.objects.filter(licensee=org).select_related(
                "declaration__patent", "declaration__holder"
            ),
            requests=DataRoomAccess.objects.filter(listing__holder=org, state=AccessState.REQUESTED).select_related(
                "listing", "organization"
            ),
            own_count=services.patents_of(organization=org).count(),
        )
    return render(request, "market/mine.html", ctx)
