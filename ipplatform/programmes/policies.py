"""Funding policies (资助政策) of programmes that pay per patent: the office enters each year's amounts, cap and
date window from its 资助办法, and a policy is frozen once an application has been made under it."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError, clean_text, parse_date, parse_decimal, parse_int
from ipplatform.patents.enums import PatentType

from . import services
from .enums import ClaimKind
from .models import Application, Policy, ProgrammeType

MAX_AMOUNT = Decimal("10000000")  # per patent: far above any provincial 资助 standard, low enough to catch a typo
MAX_CAP = Decimal("1000000000")
YES = {"1", "on", "true", "是"}


def amount_cells() -> list[tuple[str, str, str]]:
    """(key, patent type, claim kind) for every amount a policy may set, in table order."""
    return [(f"{t.value}:{k.value}", t.label, k.label) for t in PatentType for k in ClaimKind]


def form_cells(values: dict) -> list[tuple[str, str, str, str]]:
    """amount_cells() with the amount each shows in the form or table ("" where none)."""
    return [(key, t, k, str(values.get(f"amount_{key}", "") or "")) for key, t, k in amount_cells()]


def applications_under(policy: Policy) -> int:
    """How many applications (drafts included) were made under calls that use the policy."""
    return Application.objects.filter(call__policy=policy).count()


def frozen_reason(policy: Policy) -> str:
    """Why the policy may no longer change ("" while it may): amounts already quoted to applicants stay as quoted."""
    used = applications_under(policy)
    if not used:
        return ""
    return f"已有{used}件申报按{policy.year}年度政策核定金额，政策不能再修改；标准调整请新增年度政策"


def _parse(*, programme: ProgrammeType, post, current: Policy | None) -> dict:
    year = parse_int((post.get("year") or "").strip(), field="year", label="政策年度", min_value=2000, max_value=2100)
    clash = Policy.objects.filter(programme=programme, year=year)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise InputError(f"“{programme.name}”已有{year}年度政策，请修改该政策或换一个年度", field="year")
    amounts = {}
    for key, type_label, kind_label in amount_cells():
        amount = parse_decimal(
            (post.get(f"amount_{key}") or "").strip(),
            field=f"amount_{key}",
            label=f"{type_label}专利{kind_label}标准（元）",
            min_value=Decimal("0.01"),
            max_value=MAX_AMOUNT,
            required=False,
        )
        if amount is not None:
            amounts[key] = str(amount)
    if not amounts:
        raise InputError("请至少填写一项资助标准（元）；不资助的类别留空", field="amounts")
    event_from = parse_date(
        (post.get("event_from") or "").strip(), field="event_from", label="专利申请/授权日起", required=False
    )
    event_to = parse_date(
        (post.get("event_to") or "").strip(), field="event_to", label="专利申请/授权日止", required=False
    )
    if event_from and event_to and event_from > event_to:
        raise InputError(
            f"专利申请/授权日起（{event_from.isoformat()}）不能晚于止（{event_to.isoformat()}）", field="event_to"
        )
    return {
        "year": year,
        "title": clean_text(post.get("title"), field="title", label="政策名称", max_length=200, required=True),
        "basis": clean_text(post.get("basis"), field="basis", label="依据", max_length=300),
        "amounts": amounts,
        "cap_per_applicant": parse_decimal(
            (post.get("cap_per_applicant") or "").strip(),
            field="cap_per_applicant",
            label="每单位年度上限（元）",
            min_value=Decimal("0.01"),
            max_value=MAX_CAP,
            required=False,
        ),
        "event_from": event_from,
        "event_to": event_to,
        "is_simulated": post.get("is_simulated", "") in YES,
    }


@transaction.atomic
def save_policy(*, programme: ProgrammeType, by, post, policy: Policy | None = None) -> Policy:
    """Create (policy=None) or change a year's policy from the posted form; refused once applications use it."""
    services.require_office(by)
    if not programme.claims_patents:
        raise InputError(f"“{programme.name}”不按专利件数核定金额，没有资助政策", field="programme")
    if policy is not None:
        policy = Policy.objects.select_for_update().get(pk=policy.pk, programme=programme)
        reason = frozen_reason(policy)
        if reason:
            raise InputError(reason, field="year")
    values = _parse(programme=programme, post=post, current=policy)
    if policy is None:
        policy = Policy.objects.create(programme=programme, **values)
        audit.record(AuditAction.CREATE, obj=policy, actor=by, after=audit.snapshot(policy), reason="新增年度资助政策")
        return policy
    audit.update_recorded(Policy.objects.filter(pk=policy.pk), by=by, reason="修改年度资助政策", **values)
    policy.refresh_from_db()
    return policy


def form_values(policy: Policy | None, *, post=None) -> dict:
    """What the policy form shows: the posted values after a refusal, else the policy's (a new one starts from the
    latest year's amounts, one year on)."""
    if post is not None:
        return {k: post.get(k, "") for k in post} | {"is_simulated": post.get("is_simulated", "") in YES}
    if policy is None:
        return {}
    values = {
        "year": policy.year,
        "title": policy.title,
        "basis": policy.basis,
        "cap_per_applicant": policy.cap_per_applicant if policy.cap_per_applicant is not None else "",
        "event_from": policy.event_from.isoformat() if policy.event_from else "",
        "event_to": policy.event_to.isoformat() if policy.event_to else "",
        "is_simulated": policy.is_simulated,
    }
    values.update({f"amount_{k}": v for k, v in policy.amounts.items()})
    return values
