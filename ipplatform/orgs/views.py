"""Registry pages: thin views over services, fees and custody."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ipplatform.core import audit, regions
from ipplatform.core.downloads import attachment
from ipplatform.core.enums import STAFF_ROLES, AuditAction, Role, SizeClass
from ipplatform.core.inputs import InputError, back_url
from ipplatform.core.models import Organization
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.scopes import get_in_scope, restrict
from ipplatform.core.tables import Table, col
from ipplatform.core.workflow import history
from ipplatform.lib.xlsx import Sheet, workbook_bytes
from ipplatform.patents import legalstate
from ipplatform.patents.enums import PatentType

from . import custody as custody_svc
from . import fees, services
from .enums import ClaimKind, ClaimState, CustodyService, CustodyState, EvidenceKind, RegistrationState
from .models import ApplicantClaim, ClaimEvidence, Custody, Registration

ORG_FIELDS = [
    "kind",
    "name",
    "short_name",
    "uscc",
    "region_code",
    "address",
    "size_class",
    "industry_code",
    "contact_person",
    "contact_phone",
    "contact_email",
]
SIZE_FIGURES = ["employees", "revenue", "assets"]


def _is_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES)


def _require(cond: bool, message: str = "您无权访问此页面") -> None:
    if not cond:
        raise PermissionDenied(message)


def _form_context(data=None) -> dict:
    return {
        "kinds": [(k.value, k.label) for k in services.REGISTRY_KINDS],
        "sizes": SizeClass.choices,
        "industries": services.industries(),
        "divisions": _divisions(),
        "data": data or {},
    }


def _divisions():
    out = []
    for code, name in regions.cities(regions.REVISION_2015):
        out.append((code, name))
    return out


# ---------------------------------------------------------------- self-registration


def register(request):
    """Self-registration of a body by its own user (public)."""
    if request.user.is_authenticated and request.user.organization_id:
        return redirect("orgs:mine")
    ctx = _form_context()
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ORG_FIELDS + SIZE_FIGURES}
        ctx["data"] = data
        try:
            org, user = services.self_register(
                data=data,
                username=request.POST.get("username", ""),
                password=request.POST.get("password", ""),
                real_name=request.POST.get("real_name", ""),
            )
        except InputError as exc:
            ctx["error"], ctx["error_field"] = exc.message, exc.field
            return render(request, "orgs/register.html", ctx, status=400)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"“{org.name}”已提交注册，待{regions.name_of(org.city_code) or '所在市'}知识产权局核验；可先认领申请人名称。",
        )
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/register.html", ctx)


def uscc_check(request):
    """htmx: the region proposed by a USCC and any duplicate, while typing."""
    code = (request.GET.get("uscc") or "").strip().upper()
    name = (request.GET.get("name") or "").strip()
    reason = services.uscc_lib.validate(code) if code else ""
    region, region_name = services.uscc_region(code) if code and not reason else ("", "")
    dups = [r for _, r in services.duplicates(name=name, uscc=code if not reason else "")] if (code or name) else []
    return render(
        request, "orgs/_uscc_check.html", {"reason": reason, "region": region, "region_name": region_name, "dups": dups}
    )


# ---------------------------------------------------------------- organisations


ORG_COLUMNS = [
    col("name", "名称", "name"),
    col("kind", "类型", "kind"),
    col("uscc", "统一社会信用代码", "uscc", optional=True),
    col("region", "地区", "region_code"),
    col("size", "规模", "size_class", optional=True),
    col("verified", "核验", "registration__state", optional=True),
]


@login_required
@gated(Gate(_is_staff))
def org_list(request):
    registry = Organization.objects.filter(kind__in=[k.value for k in services.REGISTRY_KINDS])
    qs = restrict(registry, request.user)
    scoped = qs
    f = request.GET
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("city"):
        qs = qs.filter(region_code__startswith=f["city"][:4])
    if f.get("q"):
        qs = qs.filter(
            Q(name__icontains=f["q"]) | Q(uscc__icontains=f["q"]) | Q(former_names__name__icontains=f["q"])
        ).distinct()
    if f.get("state") == "pending":
        qs = qs.filter(registration__state=RegistrationState.PENDING)
    elif f.get("state") == "verified":
        qs = qs.filter(Q(registration__isnull=True) | Q(registration__state=RegistrationState.VERIFIED))
    qs = qs.select_related("registration").order_by("region_code", "name")
    table = Table(
        request,
        qs,
        columns=ORG_COLUMNS,
        unfiltered=scoped,
        unscoped=registry,
        default_per_page=50,
        noun="机构",
        unit="家",
        name="orgs",
    )
    qs = table.export_queryset()
    if f.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT, object_type="core.organization", object_repr="机构库导出", reason=f.urlencode()
        )
        rows = [
            [
                o.name,
                o.get_kind_display(),
                o.uscc,
                o.region_code,
                regions.name_of(o.region_code),
                o.address,
                o.get_size_class_display(),
                services.industry_name(o.industry_code),
                o.contact_person,
                o.contact_phone,
                o.contact_email,
                "；".join(f"{x.name}（至{x.used_until}）" for x in o.former_names.all()),
                getattr(getattr(o, "registration", None), "get_state_display", lambda: "省局登记")(),
            ]
            for o in qs
        ]
        sheet = Sheet(
            "机构库",
            [
                "名称",
                "类型",
                "统一社会信用代码",
                "区划代码",
                "地区",
                "地址",
                "规模",
                "行业",
                "联系人",
                "电话",
                "邮箱",
                "曾用名",
                "核验状态",
            ],
            rows,
            notes=["企业与服务机构库（平台导出）；规模按统计上大中小微型企业划分办法（2017），行业按GB/T 4754-2017"],
        )
        return attachment(workbook_bytes([sheet]), "organizations.xlsx")
    page = table.page
    for o in page:
        o.region_label = regions.name_of(o.region_code)
    query = f.copy()
    query.pop("page", None)
    return render(
        request,
        "orgs/list.html",
        {
            "table": table,
            "page": page,
            "f": f,
            "query": query.urlencode(),
            "kinds": [(k.value, k.label) for k in services.REGISTRY_KINDS],
            "cities": _divisions(),
            "can_import": services.is_office_reviewer(request.user),
        },
    )


@login_required
@gated(Gate(lambda u: u.organization_id is not None, "您的账号未关联单位"))
def mine(request):
    return redirect("orgs:detail", pk=request.user.organization_id)


def _org_in_scope(request, pk) -> Organization:
    return get_in_scope(Organization.objects.all(), request.user, pk=pk)


@login_required
def detail(request, pk):
    org = _org_in_scope(request, pk)
    user = request.user
    reg = Registration.objects.filter(organization=org).first()
    claims = list(org.applicant_claims.prefetch_related("evidence").order_by("-submitted_at"))
    for c in claims:
        c.matches, c.match_note = services.match_reason(org, c.name)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "reg": reg,
            "reg_history": history(reg) if reg else [],
            "claims": claims,
            "formers": org.former_names.all(),
            "is_member": services.is_member(user, org),
            "can_verify": services.can_verify(user, org),
            "industry": services.industry_name(org.industry_code),
            "region_name": regions.name_of(org.region_code),
            "claim_kinds": ClaimKind.choices,
            "evidence_kinds": EvidenceKind.choices,
            "rule": services.HOLDER_RULE,
            "custodies": restrict(Custody.objects.filter(Q(enterprise=org) | Q(agency=org)), user).select_related(
                "agency", "enterprise"
            ),
        },
    )


@login_required
def edit(request, pk):
    org = _org_in_scope(request, pk)
    _require(services.can_act_for(request.user, org), "只能修改本单位的信息")
    ctx = _form_context({k: getattr(org, k) for k in ORG_FIELDS})
    ctx["org"] = org
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ORG_FIELDS + SIZE_FIGURES}
        data["renamed_on"] = request.POST.get("renamed_on", "")
        ctx["data"] = data
        try:
            services.update_organization(org=org, data=data, by=request.user)
        except InputError as exc:
            ctx["error"], ctx["error_field"] = exc.message, exc.field
            return render(request, "orgs/edit.html", ctx, status=400)
        messages.success(request, "已保存")
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/edit.html", ctx)


@login_required
@require_POST
def registration_decide(request, pk):
    org = _org_in_scope(request, pk)
    reg = get_object_or_404(Registration, organization=org)
    try:
        services.decide_registration(
            registration=reg,
            by=request.user,
            approve=request.POST.get("action") == "verify",
            reason=request.POST.get("reason", ""),
        )
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("orgs:detail", pk=org.pk)


@login_required
@require_POST
def former_name_add(request, pk):
    org = _org_in_scope(request, pk)
    _require(services.can_act_for(request.user, org))
    try:
        services.add_former_name(
            org=org,
            name=request.POST.get("former_name", ""),
            used_until=request.POST.get("used_until", ""),
            by=request.user,
        )
        messages.success(request, "已登记曾用名")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("orgs:detail", pk=org.pk)


@login_required
@require_POST
def claim_new(request, pk):
    org = _org_in_scope(request, pk)
    files = [
        (request.POST.get(f"evidence_kind_{i}", ""), request.FILES[f"evidence_{i}"])
        for i in (1, 2)
        if request.FILES.get(f"evidence_{i}")
    ]
    try:
        claim = services.submit_claim(
            org=org,
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind", ""),
            by=request.user,
            files=files,
            note=request.POST.get("note", ""),
        )
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect("orgs:detail", pk=org.pk)
    messages.success(request, f"已提交认领“{claim.name}”，待核验")
    return redirect("orgs:claim_detail", pk=claim.pk)


@login_required
@gated(Gate(_is_staff))
def claims(request):
    from django.db.models import Count

    qs = (
        restrict(ApplicantClaim.objects.all(), request.user)
        .select_related("organization", "applicant")
        .prefetch_related("evidence")
        .annotate(n_patents=Count("applicant__patent_links"))
    )
    state = request.GET.get("state", ClaimState.SUBMITTED)
    if state:
        qs = qs.filter(state=state)
    rows = list(qs.order_by("submitted_at")[:300])
    for c in rows:
        c.matches, c.match_note = services.match_reason(c.organization, c.name)
    return render(request, "orgs/claims.html", {"claims": rows, "state": state, "states": ClaimState.choices})


@login_required
def claim_detail(request, pk):
    claim = get_in_scope(ApplicantClaim.objects.select_related("organization", "applicant"), request.user, pk=pk)
    org = claim.organization
    matches, note = services.match_reason(org, claim.name)
    sample = []
    if claim.applicant_id:
        sample = list(claim.applicant.patent_links.select_related("patent").order_by("-patent__application_date")[:10])
    return render(
        request,
        "orgs/claim_detail.html",
        {
            "claim": claim,
            "org": org,
            "matches": matches,
            "match_note": note,
            "problems": services.verification_problems(claim),
            "can_verify": services.can_verify(request.user, org) and claim.state == ClaimState.SUBMITTED,
            "can_revoke": services.can_act_for(request.user, org)
            and claim.state in (ClaimState.SUBMITTED, ClaimState.VERIFIED),
            "history": history(claim),
            "sample": sample,
            "patent_count": claim.applicant.patent_links.count() if claim.applicant_id else 0,
            "rule": services.HOLDER_RULE,
        },
    )


@login_required
@require_POST
def claim_decide(request, pk):
    claim = get_in_scope(ApplicantClaim.objects.select_related("organization"), request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "revoke":
            services.revoke_claim(claim=claim, by=request.user, reason=request.POST.get("reason", ""))
        else:
            services.decide_claim(
                claim=claim, by=request.user, approve=action == "verify", reason=request.POST.get("reason", "")
            )
        messages.success(request, f"认领“{claim.name}”：{claim.get_state_display()}")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("orgs:claim_detail", pk=claim.pk)


@login_required
def evidence_download(request, pk):
    ev = get_in_scope(ClaimEvidence.objects.select_related("claim__organization"), request.user, pk=pk)
    try:
        handle = ev.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在")
    audit.record(AuditAction.EXPORT, obj=ev, reason="下载认领证明材料")
    return FileResponse(handle, as_attachment=True, filename=ev.name)


@login_required
def import_orgs(request):
    _require(services.is_office_reviewer(request.user), "只有省局可以批量导入机构")
    if request.GET.get("template"):
        return attachment(workbook_bytes(services.template_sheets()), "organization-import-template.xlsx")
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InputError("请选择Excel文件", field="file")
            report = services.import_organizations(
                fileobj=upload, by=request.user, commit_good_rows=request.POST.get("mode") == "good"
            )
        except InputError as exc:
            error = exc.message
    return render(
        request,
        "orgs/import.html",
        {"report": report, "error": error, "columns": services.IMPORT_COLUMNS},
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- portfolio


def _demo_refs() -> set[str]:
    """References of demo transactions (contract numbers starting DEMO-): pages mark them 演示数据."""
    from django.apps import apps

    refs = set()
    try:
        Pledge = apps.get_model("finance", "Pledge")
        refs |= {
            f"finance.pledge:{pk}"
            for pk in Pledge.objects.filter(contract_number__startswith="DEMO-").values_list("pk", flat=True)
        }
        Deal = apps.get_model("market", "Deal")
        demo_deals = Deal.objects.filter(Q(contract_no__startswith="DEMO-") | Q(message__startswith="【演示数据】"))
        refs |= {f"market.deal:{pk}" for pk in demo_deals.values_list("pk", flat=True)}
    except LookupError:
        pass
    return refs


@login_required
def portfolio(request, pk):
    org = _org_in_scope(request, pk)
    on = services.today()
    patents = services.portfolio_patents(org, on=on)
    demo = _demo_refs()
    rows = []
    for p in sorted(patents, key=lambda p: (p.patent_type, p.application_date or on)):
        in_force = p.valid_at(on)
        status = "有效" if in_force else ("审中/未授权" if legalstate.grant_date_of(patent=p) is None else "失效")
        pledge = legalstate.pledge_event(patent=p, on=on)
        licences = legalstate.licence_events(patent=p, on=on)
        rows.append(
            {
                "p": p,
                "status": status,
                "in_force": in_force,
                "term_end": legalstate.term_end_of(patent=p),
                "fee": fees.fee_row(patent=p, on=on) if in_force else None,
                "pledge": pledge,
                "licences": licences,
                "demo": (pledge is not None and pledge.reference in demo) or any(e.reference in demo for e in licences),
                "presumed": p.validity_is_presumed(),
            }
        )
    by_type = Counter((r["p"].get_patent_type_display(), r["status"]) for r in rows)
    types = [PatentType(t).label for t in PatentType.values]
    statuses = ["有效", "审中/未授权", "失效"]
    table = [
        [t] + [by_type.get((t, s), 0) for s in statuses] + [sum(by_type.get((t, s), 0) for s in statuses)]
        for t in types
    ]
    names = [c.name for c in services.verified_names(org).values()]
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, obj=org, reason="专利组合导出")
        sheet = Sheet(
            f"{org.name[:20]}专利组合",
            [
                "申请号",
                "名称",
                "类型",
                "申请日",
                "授权日",
                "状态",
                "保护期届满",
                "年费状态",
                "下次/未缴缴费期限",
                "质押",
                "许可",
                "专利权人（著录）",
                "演示数据",
            ],
            [
                [
                    r["p"].display_number,
                    r["p"].title,
                    r["p"].get_patent_type_display(),
                    r["p"].application_date,
                    legalstate.grant_date_of(patent=r["p"]),
                    r["status"],
                    r["term_end"],
                    r["fee"].risk_label if r["fee"] else "",
                    r["fee"].due if r["fee"] else None,
                    (r["pledge"].description or "质押") if r["pledge"] else "",
                    "；".join(e.description or "许可" for e in r["licences"]),
                    r["p"].applicants_text,
                    "演示数据" if r["demo"] else "",
                ]
                for r in rows
            ],
            notes=[
                f"按经核验的申请人名称认领归集：{'、'.join(names) or '无'}；权属以著录申请人及登记的权利转移为准",
                "有效状态：无法律状态事件时按已授权且在保护期内推定（" + "未考虑未缴年费等终止事件）",
            ],
        )
        return attachment(workbook_bytes([sheet]), f"portfolio-{org.pk}.xlsx")
    return render(
        request,
        "orgs/portfolio.html",
        {
            "org": org,
            "rows": rows,
            "table": table,
            "statuses": statuses,
            "names": names,
            "has_demo": any(r["demo"] for r in rows),
            "presumed": sum(r["presumed"] for r in rows),
            "rule": services.HOLDER_RULE,
            "may_reduce": services.can_act_for(request.user, org),
            "in_force": [r["p"] for r in rows if r["in_force"]],
        },
    )


# ---------------------------------------------------------------- fees


@login_required
@require_POST
def fee_reduction_new(request, pk):
    """The holder, its city bureau or the office records a fee reduction (费用减缴) of one of the holder's patents."""
    org = _org_in_scope(request, pk)
    try:
        r = fees.record_reduction(
            by=request.user,
            org=org,
            patent_id=request.POST.get("patent"),
            percent_payable=request.POST.get("percent_payable"),
            first_year=request.POST.get("first_year"),
            last_year=request.POST.get("last_year"),
            basis=request.POST.get("basis", ""),
        )
        messages.success(
            request,
            f"已登记费用减缴：{r.patent.display_number} 第{r.first_year}至{r.last_year}年度缴纳{r.percent_payable}%",
        )
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect(back_url(request, f"/orgs/{org.pk}/portfolio/"))


@login_required
@gated(
    Gate(
        lambda u: (
            _is_staff(u)
            or bool(u.organization_id and u.role in (Role.ENTERPRISE_USER, Role.UNIVERSITY_USER, Role.AGENCY_USER))
        ),
        "您的角色无权使用年费监控",
    )
)
def fee_monitor(request):
    user = request.user
    on = services.today()
    ctx = {"rules": [legalstate.RULES[k] for k in ("fee_due", "fee_grace", "fee_surcharge", "fee_lapse")], "on": on}
    if user.organization_id and user.role in (Role.ENTERPRISE_USER, Role.UNIVERSITY_USER):
        ctx["own"] = fees.org_fee_rows(org=user.organization, on=on)
        ctx["org"] = user.organization
        ctx["own_patents"] = [r.patent for r in ctx["own"] if r.risk != "lapsed"]
    elif user.organization_id and user.role == Role.AGENCY_USER:
        held = Custody.objects.filter(
            agency=user.organization, state=CustodyState.ACTIVE, start__lte=on, end__gte=on
        ).select_related("enterprise")
        ctx["custody_rows"] = [
            (c.enterprise, row)
            for c in held
            for row in fees.org_fee_rows(org=c.enterprise, on=on)
            if c.all_patents or c.patents.filter(pk=row.patent.pk).exists()
        ]
    elif _is_staff(user):
        can_choose_region = fees.can_choose_region(user)
        if not can_choose_region:
            prefix = fees.own_region_prefix(user)
        else:
            prefix = (request.GET.get("city") or "")[:4]
        risk = fees.lapse_risk(region_prefix=prefix, on=on)
        ctx.update(
            risk=risk,
            prefix=prefix,
            can_choose_region=can_choose_region,
            cities=_divisions(),
            region_name=regions.name_of(prefix.ljust(6, "0")) if prefix else "全省",
        )
        if request.GET.get("export") == "xlsx":
            audit.record(AuditAction.EXPORT, object_type="orgs.fees", object_repr="年费失效风险清单", reason=prefix)
            sheet = Sheet(
                "年费失效风险清单",
                ["专利权人", "申请号", "名称", "风险", "缴费期限", "滞纳期至", "今日补缴滞纳金%", "减缴"],
                [
                    [
                        o.name if o else r.patent.applicants_text,
                        r.patent.display_number,
                        r.patent.title,
                        r.risk_label,
                        r.due,
                        r.status.grace_end,
                        r.status.surcharge_percent if r.risk == "in_grace" else None,
                        r.reduction_text,
                    ]
                    for o, r in risk
                ],
                notes=[
                    "规则：" + "；".join(f"{x.label}（{x.article}）" for x in ctx["rules"]),
                    "范围：经核验认领的机构的专利，及有年费缴纳记录的专利；无缴费记录的专利按已缴推定，不列入",
                ],
            )
            return attachment(workbook_bytes([sheet]), "lapse-risk.xlsx")
    else:
        raise PermissionDenied("您的角色无权使用年费监控")
    return render(request, "orgs/fees.html", ctx)


# ---------------------------------------------------------------- custody


@login_required
@gated(Gate(lambda u: _is_staff(u) or u.role in (Role.ENTERPRISE_USER, Role.AGENCY_USER)))
def custody_list(request):
    user = request.user
    qs = restrict(Custody.objects.all(), user).select_related("enterprise", "agency")
    stats = custody_svc.statistics(qs=qs)
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="orgs.custody", object_repr="托管统计导出")
        sheets = [
            Sheet(
                "按地市",
                ["地市", "托管合同", "企业", "专利"],
                stats["by_city"],
                notes=[f"统计日{stats['on']}，托管中的合同"],
            ),
            Sheet("按代理机构", ["代理机构", "托管合同", "企业", "专利"], stats["by_agency"]),
            Sheet(
                "托管合同",
                ["合同编号", "企业", "代理机构", "期限起", "期限止", "服务", "状态"],
                [
                    [
                        c.contract_no,
                        c.enterprise.name,
                        c.agency.name,
                        c.start,
                        c.end,
                        "、".join(c.service_labels),
                        c.get_state_display(),
                    ]
                    for c in qs
                ],
            ),
        ]
        return attachment(workbook_bytes(sheets), "custody.xlsx")
    return render(
        request,
        "orgs/custody_list.html",
        {"rows": qs.order_by("-created_at")[:200], "stats": stats, "can_create": custody_svc.is_agency_user(user)},
    )


@login_required
def custody_new(request):
    _require(custody_svc.is_agency_user(request.user), "只有专利代理机构用户可以办理托管")
    enterprises = custody_svc.eligible_enterprises()
    ctx = {"enterprises": enterprises, "services": CustodyService.choices, "data": {}}
    if request.method == "POST":
        data = request.POST
        ctx["data"] = data
        try:
            ent = next((e for e in enterprises if str(e.pk) == data.get("enterprise")), None)
            if ent is None:
                raise InputError("请选择委托企业（经核验的小微企业）", field="enterprise")
            ids = [x for x in (data.get("patents") or "").replace("，", ",").replace("\n", ",").split(",") if x.strip()]
            c = custody_svc.propose_custody(
                by=request.user,
                enterprise=ent,
                contract_no=data.get("contract_no", ""),
                start=data.get("start"),
                end=data.get("end"),
                services=data.getlist("services"),
                patent_ids=ids,
                fee=data.get("fee"),
            )
        except InputError as exc:
            ctx["error"], ctx["error_field"] = exc.message, exc.field
            return render(request, "orgs/custody_form.html", ctx, status=400)
        messages.success(request, "已提交托管合同，待企业确认")
        return redirect("orgs:custody_detail", pk=c.pk)
    return render(request, "orgs/custody_form.html", ctx)


@login_required
def custody_detail(request, pk):
    c = get_in_scope(Custody.objects.select_related("enterprise", "agency"), request.user, pk=pk)
    on = services.today()
    rows = (
        [
            r
            for r in fees.org_fee_rows(org=c.enterprise, on=on)
            if c.all_patents or c.patents.filter(pk=r.patent.pk).exists()
        ]
        if c.state in (CustodyState.ACTIVE, CustodyState.PROPOSED)
        else []
    )
    return render(
        request,
        "orgs/custody_detail.html",
        {
            "c": c,
            "rows": rows,
            "history": history(c),
            "can_decide": custody_svc.can_decide(request.user, c) and c.state == CustodyState.PROPOSED,
            "can_terminate": c.state == CustodyState.ACTIVE
            and (
                request.user.organization_id in (c.enterprise_id, c.agency_id)
                or services.is_office_reviewer(request.user)
            ),
        },
    )


@login_required
@require_POST
def custody_act(request, pk):
    c = get_in_scope(Custody.objects.select_related("enterprise", "agency"), request.user, pk=pk)
    try:
        custody_svc.act(
            custody=c, by=request.user, action=request.POST.get("action", ""), reason=request.POST.get("reason", "")
        )
        messages.success(request, f"托管合同{c.contract_no}：{c.get_state_display()}")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("orgs:custody_detail", pk=c.pk)
