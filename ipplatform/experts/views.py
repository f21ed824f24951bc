"""Expert pool pages; rules live in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ipplatform.core.enums import STAFF_ROLES, Role
from ipplatform.core.inputs import InputError, is_id, parse_date
from ipplatform.core.models import Organization
from ipplatform.core.navigation import Gate, gated

from . import industries, services
from .enums import ConflictKind, ExpertUse
from .models import Expert


def _can_read(user) -> bool:
    return user.is_superuser or user.role in STAFF_ROLES or user.role == Role.EXPERT


@login_required
@gated(Gate(_can_read, "专家库仅供知识产权管理部门和专家使用"))
def index(request):
    user = request.user
    if user.role == Role.EXPERT and not user.is_superuser:
        own = services.for_user(user)
        return (
            redirect("experts:detail", pk=own.pk)
            if own
            else render(request, "experts/index.html", {"experts": [], "no_entry": True})
        )
    services.ensure_for_expert_accounts()
    f = request.GET
    exclude = [o for o in Organization.objects.filter(pk__in=[x for x in f.getlist("exclude") if is_id(x)])]
    error = ""
    try:
        experts = services.candidates(
            ipc=f.get("ipc", ""), industry=f.get("industry", ""), exclude_orgs=exclude, use=f.get("use", "")
        )
    except InputError as exc:
        error, experts = exc.message, []
    return render(
        request,
        "experts/index.html",
        {
            "experts": experts,
            "error": error,
            "q": f,
            "sections": industries.SECTIONS,
            "uses": ExpertUse.choices,
            "exclude": exclude,
            "orgs": Organization.objects.filter(is_active=True)
            .exclude(kind__in=["department", "province_office"])
            .order_by("kind", "name"),
            "manager": services.is_pool_manager(user),
            "source": industries.SOURCE,
        },
    )


@login_required
def detail(request, pk):
    user = request.user
    expert = get_object_or_404(Expert.objects.select_related("employer", "user"), pk=pk)
    if not (user.is_superuser or user.role in STAFF_ROLES or expert.user_id == user.pk):
        raise PermissionDenied("只能查看本人的专家信息")
    return render(
        request,
        "experts/detail.html",
        {
            "e": expert,
            "conflicts": expert.conflicts.select_related("organization"),
            "kinds": ConflictKind.choices,
            "orgs": Organization.objects.filter(is_active=True).order_by("name"),
            "can_declare": services.is_pool_manager(user) or expert.user_id == user.pk,
            "manager": services.is_pool_manager(user),
            "uses": ExpertUse.choices,
            "sections": industries.SECTIONS,
        },
    )


@login_required
@require_POST
def conflict_new(request, pk):
    expert = get_object_or_404(Expert, pk=pk)
    p = request.POST
    try:
        since = parse_date(p.get("since"), field="since", label="起始日期", required=False)
        until = parse_date(p.get("until"), field="until", label="截止日期", required=False)
        services.add_conflict(
            by=request.user,
            expert=expert,
            organization=Organization.objects.filter(pk=p.get("organization") or 0).first(),
            kind=p.get("kind", ""),
            note=p.get("note", ""),
            since=since,
            until=until,
        )
        messages.success(request, "已登记利益冲突；该专家不再被推荐承担涉及该单位的事项")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("experts:detail", pk=pk)


@login_required
def edit(request, pk=None):
    if not services.is_pool_manager(request.user):
        raise PermissionDenied("只有省局工作人员可以维护专家库")
    expert = get_object_or_404(Expert, pk=pk) if pk else None
    if request.method == "POST":
        p = request.POST
        data = {
            k: p.get(k, "")
            for k in ("name", "title", "employer_name", "ipc_codes", "industries", "keywords", "region_code")
        }
        data["uses"] = p.getlist("uses")
        data["employer"] = Organization.objects.filter(pk=p.get("employer") or 0).first()
        try:
            expert = services.save_expert(by=request.user, data=data, expert=expert)
            messages.success(request, "已保存")
            return redirect("experts:detail", pk=expert.pk)
        except InputError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "experts/edit.html",
        {"e": expert, "uses": ExpertUse.choices, "orgs": Organization.objects.filter(is_active=True).order_by("name")},
    )
