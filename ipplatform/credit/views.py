"""Credit pages; rules live in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from ipplatform.core import audit
from ipplatform.core.downloads import XLSX, attachment
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError, is_id, parse_date
from ipplatform.core.models import Organization
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.scopes import get_in_scope
from ipplatform.core.workflow import history
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import defaults, services
from .enums import BLOCKING_STATES, EventKind, ListState
from .models import CreditEvent, CreditRule, DishonestyEntry

LIST_ACTIONS = {
    ListState.PROPOSED: [("publish", "作出列入决定并公示"), ("drop", "不予列入")],
    ListState.LISTED: [("revoke", "撤销列入"), ("expire", "期满移出")],
    ListState.APPEALING: [("uphold", "复核维持"), ("revoke", "撤销列入")],
    ListState.REPAIR_REQUESTED: [
        ("approve_repair", "准予信用修复"),
        ("refuse_repair", "不予信用修复"),
        ("expire", "期满移出"),
    ],
}
PARTY_ACTIONS = {ListState.LISTED: [("appeal", "提出异议"), ("request_repair", "申请信用修复")]}


@login_required
@gated(Gate(services.is_credit_officer, "信用总览仅供知识产权管理部门使用；企业请查看“本单位信用”"))
def index(request):
    rows = services.scores_for(request.user)
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="credit.score", object_repr="知识产权信用分导出")
        data = workbook_bytes(
            [
                Sheet(
                    "知识产权信用分",
                    ["主体", "统一社会信用代码", "区划", "信用分", "计算时间"],
                    [
                        [o.name, o.uscc, o.region_code, s.score if s else "未计算", s.computed_at if s else ""]
                        for o, s in rows
                    ],
                    notes=[f"基础分{defaults.BASE_SCORE}，按启用的评分规则加减，范围0—100；未计算的主体尚无信用事件"],
                )
            ]
        )
        return attachment(data, "知识产权信用分.xlsx", XLSX)
    services.ensure_rules()
    return render(
        request, "credit/index.html", {"rows": rows, "rules": CreditRule.objects.all(), "base": defaults.BASE_SCORE}
    )


@login_required
@gated(Gate(lambda u: services.is_credit_officer(u) or bool(u.organization_id), "您的账号未关联单位"))
def mine(request):
    if services.is_credit_officer(request.user):
        return redirect("credit:index")
    return org_detail(request, request.user.organization_id)


@login_required
def org_detail(request, pk):
    org = get_in_scope(Organization.objects.all(), request.user, pk=pk)
    score = services.current(org)
    return render(
        request,
        "credit/org.html",
        {
            "org": org,
            "score": score,
            "events": CreditEvent.objects.filter(organization=org),
            "kinds": EventKind.choices,
            "entries": DishonestyEntry.objects.filter(organization=org),
            "officer": services.is_credit_officer(request.user),
            "list_block": services.eligibility_block(org=org),
            "base": defaults.BASE_SCORE,
            "today": services.today(),
        },
    )


@login_required
@require_POST
def event_new(request, pk):
    org = get_in_scope(Organization.objects.all(), request.user, pk=pk)
    p = request.POST
    try:
        occurred_on = parse_date(p.get("occurred_on"), field="occurred_on", label="发生日期", required=False)
        services.record_event(
            org=org,
            by=request.user,
            kind=p.get("kind", ""),
            occurred_on=occurred_on,
            description=p.get("description", ""),
            document_no=p.get("document_no", ""),
            evidence_url=p.get("evidence_url", ""),
            is_demo=p.get("is_demo") == "1",
        )
        messages.success(request, "已登记，信用分已重新计算")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("credit:org", pk=org.pk)


@login_required
@require_POST
def event_withdraw(request, pk):
    ev = get_in_scope(CreditEvent.objects.select_related("organization"), request.user, pk=pk)
    try:
        services.withdraw_event(event=ev, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已撤销，信用分已重新计算")
    except (InputError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("credit:org", pk=ev.organization_id)


@login_required
def list_index(request):
    qs = services.entries_for(request.user)
    state = request.GET.get("state", "")
    if state:
        qs = qs.filter(state=state)
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="credit.dishonestyentry", object_repr="严重失信主体名单导出")
        data = workbook_bytes(
            [
                Sheet(
                    "严重失信主体名单",
                    ["主体", "统一社会信用代码", "列入事由", "依据", "决定文号", "列入日期", "期满日", "状态"],
                    [
                        [
                            e.organization.name,
                            e.organization.uscc,
                            e.reason,
                            e.legal_basis,
                            e.decision_no,
                            e.listed_on,
                            e.ends_on,
                            e.get_state_display(),
                        ]
                        for e in qs
                    ],
                )
            ]
        )
        return attachment(data, "严重失信主体名单.xlsx", XLSX)
    return render(
        request,
        "credit/list.html",
        {
            "entries": qs,
            "states": ListState.choices,
            "state": state,
            "officer": services.is_credit_officer(request.user),
            "blocking": BLOCKING_STATES,
        },
    )


@login_required
def entry_new(request, org_pk):
    org = get_in_scope(Organization.objects.all(), request.user, pk=org_pk)
    if request.method == "POST":
        p = request.POST
        try:
            event = (
                CreditEvent.objects.filter(organization=org, pk=p.get("event")).first()
                if is_id(p.get("event") or "")
                else None
            )
            e = services.propose_entry(
                by=request.user,
                org=org,
                reason=p.get("reason", ""),
                legal_basis=p.get("legal_basis", ""),
                event=event,
                decision_no=p.get("decision_no", ""),
                is_demo=p.get("is_demo") == "1",
            )
            messages.success(request, "已告知拟列入，待陈述申辩后作出决定")
            return redirect("credit:entry", pk=e.pk)
        except InputError as exc:
            messages.error(request, exc.message)
    elif not services.is_credit_officer(request.user):
        raise PermissionDenied("只有知识产权管理部门可以提出列入")
    return render(
        request,
        "credit/entry_new.html",
        {"org": org, "events": CreditEvent.objects.filter(organization=org), "basis": defaults.LIST_BASIS},
    )


@login_required
def entry_detail(request, pk):
    entry = get_object_or_404(DishonestyEntry.objects.select_related("organization"), pk=pk)
    if not services.entries_for(request.user).filter(pk=pk).exists():
        raise PermissionDenied("无权访问该名单记录：超出您的数据范围")
    user = request.user
    actions = LIST_ACTIONS.get(entry.state, []) if services.is_list_authority(user) else []
    party = PARTY_ACTIONS.get(entry.state, []) if user.organization_id == entry.organization_id else []
    return render(
        request,
        "credit/entry.html",
        {
            "entry": entry,
            "history": history(entry),
            "actions": actions,
            "party": party,
            "list_block": services.eligibility_block(org=entry.organization),
        },
    )


@login_required
@require_POST
def entry_act(request, pk):
    entry = get_object_or_404(DishonestyEntry, pk=pk)
    if not services.entries_for(request.user).filter(pk=pk).exists():
        raise PermissionDenied("无权访问该名单记录：超出您的数据范围")
    try:
        services.act(
            entry=entry,
            by=request.user,
            name=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            publication_url=request.POST.get("publication_url", ""),
        )
        messages.success(request, f"已办理：{entry.get_state_display()}")
    except (InputError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("credit:entry", pk=pk)
