"""The expert pool: candidates by field with conflicts of interest excluded; used by every app that needs experts."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipplatform.core.enums import PROVINCE_ROLES, Role
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization, User

from . import industries
from .enums import ConflictKind, ExpertUse
from .models import ConflictOfInterest, Expert

IPC_RE = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}(/\d{1,6})?)?)?)?$")


def is_pool_manager(user) -> bool:
    """Province staff and the admin maintain the pool; city bureaus and experts read it."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in PROVINCE_ROLES))


def split_fields(text: str) -> tuple[list[str], list[str], list[str]]:
    """Split a free 'H01M;C08L;机械;C 制造业' line into (IPC symbols, industry sections, other keywords)."""
    ipc, inds, other = [], [], []
    for part in (text or "").replace("；", ";").replace("，", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        norm = part.upper().replace(" ", "")
        if IPC_RE.match(norm) and len(norm) >= 3:
            ipc.append(norm)
        elif len(part) > 1 and industries.parse(part):
            inds.append(industries.parse(part))
        else:
            other.append(part)
    return ipc, inds, other


def candidates(*, ipc: str = "", industry: str = "", exclude_orgs=(), use: str = "", on: dt.date | None = None):
    """Active experts matching an IPC symbol (prefix either way) and/or an industry section, without a conflict of
    interest with any of `exclude_orgs` (registered conflicts, and employment at one of them)."""
    on = on or timezone.localdate()
    qs = (
        Expert.objects.filter(is_active=True)
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .select_related("employer", "user")
    )
    if use:
        qs = [e for e in qs if not e.uses or use in e.uses]
    experts = list(qs)
    code = (ipc or "").upper().replace(" ", "")
    if code:
        experts = [
            e
            for e in experts
            if any(c.startswith(code) or code.startswith(c) for c in e.ipc_list())
            or any(code.lower() in k.lower() for k in e.keywords.split(";") if k.strip())
        ]
    sect = industries.parse(industry) if industry else ""
    if industry and not sect:
        raise InputError(f"国民经济行业门类“{industry}”不存在（应为A—T）", field="industry")
    if sect:
        experts = [e for e in experts if sect in e.industry_list()]
    org_ids = {o.pk if isinstance(o, Organization) else int(o) for o in exclude_orgs if o}
    if org_ids:
        conflicted = set(
            ConflictOfInterest.objects.filter(ConflictOfInterest.active_q(on), organization_id__in=org_ids).values_list(
                "expert_id", flat=True
            )
        )
        experts = [e for e in experts if e.pk not in conflicted and e.employer_id not in org_ids]
    return experts


def conflicts_with(*, expert: Expert, orgs, on: dt.date | None = None) -> list[str]:
    """Reasons `expert` must stand aside for matters of `orgs` (empty: none)."""
    on = on or timezone.localdate()
    out = []
    for org in orgs:
        if org is None:
            continue
        if expert.employer_id == org.pk:
            out.append(f"专家{expert.name}在“{org.name}”任职")
        for c in expert.conflicts.filter(ConflictOfInterest.active_q(on), organization=org):
            out.append(
                f"专家{expert.name}与“{org.name}”存在利益冲突（{c.get_kind_display()}"
                + (f"：{c.note}" if c.note else "")
                + "）"
            )
    return out


def for_user(user) -> Expert | None:
    """The pool entry of an expert account, if any."""
    return Expert.objects.filter(user=user).first() if user and user.is_authenticated else None


def ensure_for_expert_accounts() -> int:
    """Create pool entries for accounts with the expert role that have none (fields copied from the account)."""
    n = 0
    for user in User.objects.filter(role=Role.EXPERT, is_active=True, expert__isnull=True).select_related(
        "organization"
    ):
        ipc, inds, other = split_fields(user.expert_fields)
        Expert.objects.create(
            user=user,
            name=user.display_name,
            employer=user.organization,
            employer_name=user.organization.name if user.organization else "",
            ipc_codes=";".join(ipc),
            industries=";".join(inds),
            keywords=";".join(other) or ("" if ipc or inds else "未填写"),
            uses=[ExpertUse.PROTECTION],
            source="专家账号",
        )
        n += 1
    return n


@transaction.atomic
def save_expert(*, by, data: dict, expert: Expert | None = None) -> Expert:
    """Add or edit a pool entry (province staff); fields validated at the boundary."""
    if not is_pool_manager(by):
        raise PermissionDenied("只有省局工作人员可以维护专家库")
    name = (data.get("name") or "").strip()
    if not name or len(name) > 60:
        raise InputError("请填写专家姓名（不超过60字）", field="name")
    ipc = [
        c.strip().upper().replace(" ", "")
        for c in (data.get("ipc_codes") or "").replace("；", ";").split(";")
        if c.strip()
    ]
    bad = [c for c in ipc if not IPC_RE.match(c)]
    if bad:
        raise InputError(
            f"IPC分类号格式不正确：{'、'.join(bad)}（应为部、大类、小类或组，如 H01M、H01M10/05）", field="ipc_codes"
        )
    inds = []
    for c in (data.get("industries") or "").replace("；", ";").split(";"):
        if c.strip():
            code = industries.parse(c)
            if not code:
                raise InputError(f"国民经济行业门类“{c.strip()}”不存在（应为A—T）", field="industries")
            inds.append(code)
    uses = [u for u in data.get("uses") or [] if u in ExpertUse.values]
    expert = expert or Expert()
    expert.name, expert.title = name, (data.get("title") or "").strip()[:60]
    expert.employer = data.get("employer")
    expert.employer_name = (data.get("employer_name") or (expert.employer.name if expert.employer else "")).strip()[
        :200
    ]
    expert.ipc_codes, expert.industries = ";".join(ipc), ";".join(sorted(set(inds)))
    expert.keywords = (data.get("keywords") or "").strip()[:300]
    expert.uses = uses or [ExpertUse.PROTECTION]
    expert.region_code = (data.get("region_code") or (expert.employer.region_code if expert.employer else "")).strip()[
        :6
    ]
    expert.save()
    return expert


def add_conflict(
    *, by, expert: Expert, organization, kind: str, note: str = "", since=None, until=None
) -> ConflictOfInterest:
    """Register a conflict of interest (province staff, or the expert declaring it)."""
    if not (is_pool_manager(by) or (expert.user_id and expert.user_id == by.pk)):
        raise PermissionDenied("只有省局工作人员或专家本人可以登记利益冲突")
    if organization is None:
        raise InputError("请选择利益相关单位", field="organization")
    if kind not in ConflictKind.values:
        raise InputError("请选择关系类型", field="kind")
    if since and until and until < since:
        raise InputError("截止日期早于起始日期", field="until")
    return ConflictOfInterest.objects.create(
        expert=expert,
        organization=organization,
        kind=kind,
        note=(note or "").strip()[:300],
        since=since,
        until=until,
        recorded_by=by,
    )
