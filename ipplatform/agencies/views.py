"""Agency registry, alliances and key protected units pages; rules live in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from ipplatform.core import audit
from ipplatform.core.decorators import input_errors_as_messages
from ipplatform.core.downloads import XLSX, attachment
from ipplatform.core.enums import STAFF_ROLES, AuditAction, OrgKind
from ipplatform.core.inputs import InputError, is_id, is_year, parse_date
from ipplatform.core.models import Organization
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.scopes import get_in_scope
from ipplatform.core.workflow import history
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import services
from .enums import IncidentKind, MemberRole
from .models import Agency, AgencyRating, Agent, Alliance, AllianceMember, KeyProtectedUnit, RatingGrade, RatingRule


def _org(value: str):
    return Organization.objects.filter(pk=value).first() if is_id(value or "") else None


def _member_orgs():
    return Organization.objects.filter(
        kind__in=[OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.AGENCY, OrgKind.OTHER],
        is_active=True,
    ).order_by("name")


# ---------------------------------------------------------------- agencies


@login_required
@gated(Gate(services.can_see_registry, "代理机构名录仅供知识产权管理部门和代理机构使用"))
def index(request):
    agencies = list(services.agencies_for(request.user).prefetch_related("agents", "branches"))
    latest = {}
    for r in AgencyRating.objects.filter(agency__in=agencies).order_by("agency_id", "-computed_at"):
        latest.setdefault(r.agency_id, r)
    rows = [(a, latest.get(a.pk)) for a in agencies]
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="agencies.agency", object_repr="代理机构名录导出")
        data = workbook_bytes(
            [
                Sheet(
                    "专利代理机构",
                    [
                        "机构",
                        "执业许可证号",
                        "代理机构代码",
                        "所在地",
                        "分支机构",
                        "执业代理师",
                        "信用得分",
                        "信用等级",
                        "评价年度",
                    ],
                    [
                        [
                            a.organization.name,
                            a.licence_no,
                            a.agency_code,
                            a.organization.region_code,
                            a.branches.count(),
                            a.agents.filter(is_active=True).count(),
                            r.score if r else "",
                            r.grade if r else "未评价",
                            r.year if r else "",
                        ]
                        for a, r in rows
                    ],
                )
            ]
        )
        return attachment(data, "专利代理机构名录.xlsx", XLSX)
    candidates = (
        Organization.objects.filter(kind=OrgKind.AGENCY, agency_profile__isnull=True)
        if services.is_registry_manager(request.user)
        else []
    )
    return render(
        request,
        "agencies/index.html",
        {
            "rows": rows,
            "manager": services.is_registry_manager(request.user),
            "candidates": candidates,
            "grades": RatingGrade.objects.all(),
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="agencies:index")
def agency_new(request):
    p = request.POST
    established_on = parse_date(p.get("established_on"), field="established_on", label="成立日期", required=False)
    a = services.register_agency(
        by=request.user,
        organization=_org(p.get("organization", "")),
        licence_no=p.get("licence_no", ""),
        agency_code=p.get("agency_code", ""),
        patent_names=p.get("patent_names", ""),
        established_on=established_on,
        head=p.get("head", ""),
    )
    return redirect("agencies:agency", pk=a.pk)


@login_required
def agency_detail(request, pk):
    if not services.can_see_registry(request.user):
        raise PermissionDenied("代理机构名录仅供知识产权管理部门和代理机构使用")
    agency = get_in_scope(Agency.objects.select_related("organization"), request.user, pk=pk)
    year = int(request.GET.get("year")) if is_year(request.GET.get("year") or "") else services.today().year
    own = request.user.organization_id == agency.organization_id
    return render(
        request,
        "agencies/agency.html",
        {
            "agency": agency,
            "figures": services.figures(agency=agency),
            "training": services.training_hours(agency=agency, year=year),
            "year": year,
            "required": services.required_training_hours(),
            "rating": agency.ratings.first(),
            "incidents": agency.incidents.all(),
            "branches": agency.branches.all(),
            "agents": agency.agents.select_related("branch"),
            "manager": services.is_registry_manager(request.user),
            "own": own,
            "kinds": IncidentKind.choices,
            "rules": RatingRule.objects.filter(is_active=True),
            "grades": RatingGrade.objects.all(),
        },
    )


@login_required
@require_POST
def agency_action(request, pk):
    if not services.can_see_registry(request.user):
        raise PermissionDenied("代理机构名录仅供知识产权管理部门和代理机构使用")
    agency = get_in_scope(Agency.objects.select_related("organization"), request.user, pk=pk)
    p, user, action = request.POST, request.user, request.POST.get("action", "")
    try:
        if action == "branch":
            services.add_branch(
                by=user,
                agency=agency,
                name=p.get("name", ""),
                region_code=p.get("region_code", ""),
                address=p.get("address", ""),
                head=p.get("head", ""),
                filed_on=parse_date(p.get("filed_on"), field="filed_on", label="备案日期", required=False),
            )
        elif action == "agent":
            services.add_agent(
                by=user,
                agency=agency,
                name=p.get("name", ""),
                qualification_no=p.get("qualification_no", ""),
                practice_no=p.get("practice_no", ""),
                branch=agency.branches.filter(pk=p.get("branch") or 0).first(),
            )
        elif action == "training":
            agent = get_object_or_404(Agent, pk=p.get("agent") or 0, agency=agency)
            services.add_training(
                by=user,
                agent=agent,
                course=p.get("course", ""),
                on=parse_date(p.get("on"), field="on", label="培训日期"),
                hours=p.get("hours", ""),
                provider=p.get("provider", ""),
                certificate_no=p.get("certificate_no", ""),
            )
        elif action == "incident":
            services.record_incident(
                by=user,
                agency=agency,
                kind=p.get("kind", ""),
                on=parse_date(p.get("on"), field="on", label="发生日期"),
                description=p.get("description", ""),
                document_no=p.get("document_no", ""),
                evidence_url=p.get("evidence_url", ""),
                is_demo=p.get("is_demo") == "1",
            )
        elif action == "rate":
            services.require_manager(user)
            r = services.rate(agency=agency, by=user)
            messages.success(request, f"信用评价：{r.score}分，{r.grade}级")
        else:
            raise InputError("未知操作", field="action")
        if action != "rate":
            messages.success(request, "已登记")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("agencies:agency", pk=agency.pk)


# ---------------------------------------------------------------- alliances


def _member_rows(members):
    return [
        [
            m.alliance.name,
            m.organization.name,
            m.organization.uscc,
            m.organization.region_code,
            m.get_role_display(),
            m.joined_on,
            m.left_on or "",
            m.left_reason,
        ]
        for m in members
    ]


MEMBER_HEADERS = ["联盟", "成员单位", "统一社会信用代码", "区划", "角色", "加入日期", "退出日期", "退出原因"]


@login_required
def alliances(request):
    qs = services.alliances_for(request.user)
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="agencies.alliance", object_repr="保护联盟成员名单导出")
        members = (
            AllianceMember.objects.filter(alliance__in=qs)
            .select_related("alliance", "organization")
            .order_by("alliance__name", "role")
        )
        return attachment(
            workbook_bytes([Sheet("联盟成员", MEMBER_HEADERS, _member_rows(members))]), "保护联盟成员名单.xlsx", XLSX
        )
    return render(
        request,
        "agencies/alliances.html",
        {"alliances": qs, "manager": services.is_registry_manager(request.user), "orgs": _member_orgs()},
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="agencies:alliances")
def alliance_new(request):
    p = request.POST
    established_on = parse_date(p.get("established_on"), field="established_on", label="成立日期", required=False)
    a = services.create_alliance(
        by=request.user,
        name=p.get("name", ""),
        field=p.get("field", ""),
        region_code=p.get("region_code", ""),
        lead=_org(p.get("lead", "")),
        established_on=established_on,
        shared_resources=p.get("shared_resources", ""),
        description=p.get("description", ""),
        industry=p.get("industry", ""),
    )
    return redirect("agencies:alliance", pk=a.pk)


@login_required
def alliance_detail(request, pk):
    a = get_in_scope(Alliance.objects.select_related("lead"), request.user, pk=pk)
    members = a.members.select_related("organization").order_by("left_on", "role", "organization__name")
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, obj=a, reason="联盟成员名单导出")
        return attachment(
            workbook_bytes(
                [
                    Sheet(
                        a.name[:28],
                        MEMBER_HEADERS,
                        _member_rows(members),
                        notes=[f"{a.name} 成员名单（导出时间{timezone.localtime():%Y-%m-%d %H:%M}）"],
                    )
                ]
            ),
            f"{a.name}-成员名单.xlsx",
            XLSX,
        )
    can_edit = services.can_manage_alliance(request.user, a)
    removable = {m.pk for m in members if services.can_remove_member(request.user, m)}
    return render(
        request,
        "agencies/alliance.html",
        {
            "a": a,
            "members": members,
            "agreements": a.agreements.all(),
            "can_edit": can_edit,
            "removable": removable,
            "manager": services.is_registry_manager(request.user),
            "orgs": _member_orgs(),
            "roles": MemberRole.choices,
            "history": history(a),
        },
    )


@login_required
@require_POST
def alliance_action(request, pk):
    a = get_in_scope(Alliance.objects.all(), request.user, pk=pk)
    p, user, action = request.POST, request.user, request.POST.get("action", "")
    try:
        if action == "member":
            services.add_member(
                by=user,
                alliance=a,
                organization=_org(p.get("organization", "")),
                role=p.get("role", MemberRole.MEMBER),
                joined_on=parse_date(p.get("joined_on"), field="joined_on", label="加入日期", required=False),
            )
        elif action == "leave":
            services.remove_member(
                by=user,
                member=get_object_or_404(AllianceMember, pk=p.get("member") or 0, alliance=a),
                reason=p.get("reason", ""),
            )
        elif action == "agreement":
            services.add_agreement(
                by=user,
                alliance=a,
                title=p.get("title", ""),
                signed_on=parse_date(p.get("signed_on"), field="signed_on", label="签订日期"),
                parties=p.get("parties", ""),
                summary=p.get("summary", ""),
            )
        elif action in ("dissolve", "reactivate"):
            services.change_alliance_state(by=user, alliance=a, name=action, reason=p.get("reason", ""))
        else:
            raise InputError("未知操作", field="action")
        messages.success(request, "已办理")
    except (InputError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("agencies:alliance", pk=a.pk)


# ---------------------------------------------------------------- key protected units


@login_required
def units(request):
    qs = services.units_for(request.user)
    today = services.today()
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="agencies.keyprotectedunit", object_repr="重点保护单位名单导出")
        rows = [
            [
                u.organization.name,
                u.organization.uscc,
                u.organization.region_code,
                u.batch,
                u.basis,
                u.document_no,
                u.valid_from,
                u.valid_to,
                "有效" if u.in_force(today) else u.get_state_display() if u.state != "designated" else "已过期",
                "演示数据" if u.is_demo else "",
            ]
            for u in qs
        ]
        return attachment(
            workbook_bytes(
                [
                    Sheet(
                        "重点保护单位",
                        [
                            "单位",
                            "统一社会信用代码",
                            "区划",
                            "批次",
                            "认定依据",
                            "文号",
                            "有效期起",
                            "有效期止",
                            "状态",
                            "备注",
                        ],
                        rows,
                    )
                ]
            ),
            "知识产权重点保护单位.xlsx",
            XLSX,
        )
    return render(
        request,
        "agencies/units.html",
        {
            "units": [(u, u.in_force(today)) for u in qs],
            "manager": services.is_registry_manager(request.user),
            "orgs": _member_orgs(),
            "staff": request.user.is_superuser or request.user.role in STAFF_ROLES,
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="agencies:units")
def unit_new(request):
    services.require_manager(request.user)
    p = request.POST
    services.designate(
        by=request.user,
        organization=_org(p.get("organization", "")),
        batch=p.get("batch", ""),
        basis=p.get("basis", ""),
        valid_from=parse_date(p.get("valid_from"), field="valid_from", label="有效期起"),
        valid_to=parse_date(p.get("valid_to"), field="valid_to", label="有效期止", required=False),
        document_no=p.get("document_no", ""),
        is_demo=p.get("is_demo") == "1",
    )
    messages.success(request, "已认定")
    return redirect("agencies:units")


@login_required
@require_POST
def unit_revoke(request, pk):
    unit = get_in_scope(KeyProtectedUnit.objects.all(), request.user, pk=pk)
    try:
        services.revoke_unit(by=request.user, unit=unit, reason=request.POST.get("reason", ""))
        messages.success(request, "已撤销认定")
    except (InputError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("agencies:units")
