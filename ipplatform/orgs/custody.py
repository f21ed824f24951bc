"""Custody (专利托管): a patent agency takes a small enterprise's patents into custody under a contract; statistics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ipplatform.core import notify, regions
from ipplatform.core.enums import OrgKind, Role, SizeClass
from ipplatform.core.inputs import InputError, parse_date
from ipplatform.core.models import Organization
from ipplatform.core.workflow import run_transition
from ipplatform.patents.models import Patent

from .enums import CustodyService, CustodyState
from .models import Custody
from .services import holder_check, is_office_reviewer, is_verified, portfolio_patents, today

ELIGIBLE_SIZES = (SizeClass.SMALL, SizeClass.MICRO)
MAX_YEARS = 5


def is_agency_user(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.role == Role.AGENCY_USER
        and user.organization
        and user.organization.kind == OrgKind.AGENCY
    )


def is_small(org: Organization) -> bool:
    """Small or micro enterprise: by its size class, else the registry's 小微企业 flag."""
    return org.size_class in ELIGIBLE_SIZES if org.size_class else bool(org.is_sme)


def eligible_enterprises():
    """Verified small and micro enterprises an agency may take into custody."""
    qs = Organization.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True).order_by("name")
    return [o for o in qs if is_small(o) and is_verified(o)]


@transaction.atomic
def propose_custody(
    *,
    by,
    enterprise: Organization,
    contract_no: str,
    start,
    end,
    services: list[str],
    patent_ids: list[str] | None = None,
    fee=None,
) -> Custody:
    """The agency records a custody contract (period, patents, services); the enterprise confirms it."""
    if not is_agency_user(by):
        raise PermissionDenied("只有专利代理机构用户可以办理托管")
    if enterprise.kind != OrgKind.ENTERPRISE or not is_small(enterprise):
        raise InputError(
            f"“{enterprise.name}”不是登记的小微企业，托管服务面向小型、微型企业（统计上大中小微型企业划分办法（2017））",
            field="enterprise",
        )
    if not is_verified(enterprise):
        raise InputError(f"“{enterprise.name}”的注册尚未经市局核验", field="enterprise")
    contract_no = (contract_no or "").strip()
    if not contract_no or len(contract_no) > 60:
        raise InputError("请填写托管合同编号（不超过60个字符）", field="contract_no")
    start, end = parse_date(start, field="start", label="托管期限起"), parse_date(end, field="end", label="托管期限止")
    if end <= start:
        raise InputError("托管期限止须晚于期限起", field="end")
    if (end - start).days > MAX_YEARS * 366:
        raise InputError(f"托管期限不超过{MAX_YEARS}年", field="end")
    services = [s for s in services or [] if s in CustodyService.values]
    if not services:
        raise InputError("请至少选择一项托管服务", field="services")
    if Custody.objects.filter(
        enterprise=enterprise, state__in=[CustodyState.PROPOSED, CustodyState.ACTIVE], start__lte=end, end__gte=start
    ).exists():
        raise InputError(f"“{enterprise.name}”在该期间已有托管合同（待确认或托管中）", field="start")
    fee_value = None
    if fee not in (None, ""):
        try:
            from decimal import Decimal

            fee_value = Decimal(str(fee))
            if fee_value < 0:
                raise ValueError
        except Exception:  # noqa: BLE001 - any unparsable amount is the same input error
            raise InputError("托管费应为不小于0的金额（元/年）", field="fee")
    patents = []
    if patent_ids:
        for pid in patent_ids:
            patent = Patent.objects.filter(pk=str(pid).strip()).first()
            if patent is None:
                raise InputError(f"平台专利库中没有“{pid}”", field="patents")
            check = holder_check(org=enterprise, patent=patent)
            if not check.ok:
                raise InputError(f"只能托管企业自有专利：{check.reason}", field="patents")
            patents.append(patent)
    custody = Custody.objects.create(
        enterprise=enterprise,
        agency=by.organization,
        contract_no=contract_no,
        start=start,
        end=end,
        services=services,
        all_patents=not patents,
        fee=fee_value,
        city_code=enterprise.city_code,
        created_by=by,
    )
    custody.patents.set(patents)
    notify.notify_many(
        users=enterprise.users.filter(is_active=True),
        title=f"{by.organization.name}提交了专利托管合同，请确认",
        body=f"合同{contract_no}，{start}至{end}",
        kind="orgs.custody",
        url=f"/orgs/custody/{custody.pk}/",
    )
    return custody


def can_decide(user, custody: Custody) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.organization_id == custody.enterprise_id)


@transaction.atomic
def act(*, custody: Custody, by, action: str, reason: str = "") -> Custody:
    """accept / decline (the enterprise), terminate (either party or the office)."""
    if action in ("accept", "decline"):
        if not can_decide(by, custody):
            raise PermissionDenied("只有委托企业可以确认托管合同")
    elif action == "terminate":
        if not (by.organization_id in (custody.enterprise_id, custody.agency_id) or is_office_reviewer(by)):
            raise PermissionDenied("只有合同双方或省局可以解除托管")
        if not (reason or "").strip():
            raise InputError("解除托管须说明理由", field="reason")
    else:
        raise InputError("未知的操作", field="action")
    run_transition(
        custody,
        action,
        by=by,
        reason=(reason or "").strip() or {"accept": "企业确认托管合同", "decline": "企业不同意"}.get(action, ""),
    )
    custody.save()
    other = custody.agency if by.organization_id == custody.enterprise_id else custody.enterprise
    notify.notify_many(
        users=other.users.filter(is_active=True),
        title=f"专利托管合同{custody.contract_no}：{custody.get_state_display()}",
        body=reason,
        kind="orgs.custody",
        url=f"/orgs/custody/{custody.pk}/",
    )
    return custody


def expire_custodies(*, on: dt.date | None = None) -> int:
    """Active custodies past their end date become 已到期 (run daily)."""
    on = on or today()
    n = 0
    for c in Custody.objects.filter(state=CustodyState.ACTIVE, end__lt=on):
        run_transition(c, "expire", by=None, reason=f"托管期限已于{c.end}届满")
        c.save()
        n += 1
    return n


def custody_patents(custody: Custody, *, on: dt.date | None = None) -> list[Patent]:
    """The patents in custody that are in force on the day: the selected ones, or the enterprise's whole portfolio."""
    on = on or today()
    patents = (
        portfolio_patents(custody.enterprise, on=on)
        if custody.all_patents
        else list(custody.patents.prefetch_related("legal_events"))
    )
    return [p for p in patents if p.valid_at(on)]


def statistics(*, qs, on: dt.date | None = None) -> dict:
    """Custodies in force on the day by city and by agency: contracts, enterprises, patents in force (once per contract)."""
    on = on or today()
    by_city: dict[str, dict] = defaultdict(lambda: {"contracts": 0, "enterprises": set(), "patents": 0})
    by_agency: dict[str, dict] = defaultdict(lambda: {"contracts": 0, "enterprises": set(), "patents": 0})
    active = [
        c
        for c in qs.select_related("enterprise", "agency")
        if c.state == CustodyState.ACTIVE and c.start <= on <= c.end
    ]
    for c in active:
        n = len(custody_patents(c, on=on))
        city = regions.to_current(c.city_code) if c.city_code else ""
        for bucket in (by_city[city], by_agency[c.agency.name]):
            bucket["contracts"] += 1
            bucket["enterprises"].add(c.enterprise_id)
            bucket["patents"] += n
    rows = lambda d, name: sorted(
        ([name(k), v["contracts"], len(v["enterprises"]), v["patents"]] for k, v in d.items()),  # noqa: E731
        key=lambda r: (-r[1], r[0]),
    )
    return {
        "on": on,
        "by_city": rows(by_city, lambda c: regions.display_name(c, empty="未知地区")),
        "by_agency": rows(by_agency, lambda a: a),
        "total": [len(active), len({c.enterprise_id for c in active})],
    }
