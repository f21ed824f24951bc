"""Enterprise IP credit scores (rules as data, recomputed when an event arrives) and the serious-dishonesty list."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ipplatform.core import notify
from ipplatform.core.enums import PROVINCE_ROLES, STAFF_ROLES
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization, User
from ipplatform.core.scopes import can_access, restrict
from ipplatform.core.workflow import run_transition

from . import defaults
from .enums import BLOCKING_STATES, EventKind, EventSource, EventState, ListState
from .models import CreditEvent, CreditRule, CreditScore, DishonestyEntry

TWO = Decimal("0.01")


def today() -> dt.date:
    return timezone.localdate()


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar date `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def is_credit_officer(user) -> bool:
    """Province staff and city/county bureaus record events and handle list entries (bureaus within their area)."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES))


def is_list_authority(user) -> bool:
    """Listing decisions, appeals and repairs are decided by the provincial office."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in PROVINCE_ROLES))


def _require_officer_for(user, org: Organization):
    if not is_credit_officer(user) or not can_access(user, org):
        raise PermissionDenied("只有该主体所在地的知识产权管理部门可以办理")


# ---------------------------------------------------------------- rules and scores


def ensure_rules() -> None:
    """Seed the default rules when the table is empty (edited as data afterwards)."""
    if CreditRule.objects.exists():
        return
    for code, kind, name, points, cap, years, basis in defaults.RULES:
        CreditRule.objects.create(
            code=code, event_kind=kind, name=name, points=points, cap=cap, years=years, legal_basis=basis
        )


def compute(*, org: Organization, on: dt.date | None = None) -> tuple[Decimal, list[dict]]:
    """The score on `on` and its reasons: base 90, each valid event within its rule's years adds its points, each rule capped,
    the total clamped to 0..100."""
    ensure_rules()
    on = on or today()
    score, reasons = (
        defaults.BASE_SCORE,
        [{"rule": "base", "name": "基础分", "points": str(defaults.BASE_SCORE), "basis": "每个主体的起始分"}],
    )
    events = list(
        CreditEvent.objects.filter(organization=org, state=EventState.VALID, occurred_on__lte=on).order_by(
            "occurred_on", "pk"
        )
    )
    for rule in CreditRule.objects.filter(is_active=True).order_by("code"):
        used = Decimal("0")
        for ev in events:
            if ev.kind != rule.event_kind:
                continue
            counts_until = add_years(ev.occurred_on, rule.years)
            if on >= counts_until:
                continue
            pts = rule.points
            if rule.cap is not None and abs(used + pts) > rule.cap:
                pts = (rule.cap - abs(used)) * (1 if pts > 0 else -1) + Decimal("0")  # + 0 turns −0 into 0
            used += pts
            score += pts
            reasons.append(
                {
                    "rule": rule.code,
                    "name": rule.name,
                    "points": str(pts.quantize(TWO)),
                    "event": ev.pk,
                    "occurred_on": ev.occurred_on.isoformat(),
                    "until": counts_until.isoformat(),
                    "description": ev.description,
                    "document_no": ev.document_no,
                    "evidence_url": ev.evidence_url,
                    "basis": rule.legal_basis,
                    "demo": ev.is_demo,
                    "note": "已达该项累计上限" if pts != rule.points else "",
                }
            )
    clamped = max(Decimal("0"), min(defaults.MAX_SCORE, score)).quantize(TWO, ROUND_HALF_UP)
    if clamped != score:
        reasons.append(
            {
                "rule": "clamp",
                "name": "分值范围",
                "points": str((clamped - score).quantize(TWO)),
                "basis": "信用分在0至100分之间",
            }
        )
    return clamped, reasons


def recompute(*, org: Organization, trigger: str = "") -> CreditScore:
    """Compute and store the current score (called whenever an event arrives or is withdrawn)."""
    score, reasons = compute(org=org)
    return CreditScore.objects.create(organization=org, score=score, reasons=reasons, trigger=trigger[:200])


def current(org: Organization) -> CreditScore:
    """The latest stored score, computed now if there is none."""
    return CreditScore.objects.filter(organization=org).order_by("-computed_at", "-pk").first() or recompute(
        org=org, trigger="首次计算"
    )


@transaction.atomic
def record_event(
    *,
    org: Organization,
    kind: str,
    occurred_on: dt.date,
    description: str,
    by=None,
    document_no: str = "",
    evidence_url: str = "",
    source: str = EventSource.MANUAL,
    source_ref: str = "",
    is_demo: bool = False,
) -> CreditEvent:
    """Record a credit event (officers, or the platform itself with by=None) and recompute the score."""
    if by is not None:
        _require_officer_for(by, org)
    if kind not in EventKind.values:
        raise InputError("请选择信用事件类别", field="kind")
    if occurred_on is None or occurred_on > today():
        raise InputError("发生日期不能为空或晚于今天", field="occurred_on")
    if not (description or "").strip():
        raise InputError("请填写事件内容", field="description")
    if evidence_url and not (
        evidence_url.startswith("/") or evidence_url.startswith("https://") or evidence_url.startswith("http://")
    ):
        raise InputError("证据链接应为平台内路径（/开头）或http(s)网址", field="evidence_url")
    if (
        source_ref
        and CreditEvent.objects.filter(
            organization=org, kind=kind, source_ref=source_ref, state=EventState.VALID
        ).exists()
    ):
        return CreditEvent.objects.get(organization=org, kind=kind, source_ref=source_ref, state=EventState.VALID)
    ev = CreditEvent.objects.create(
        organization=org,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip()[:500],
        document_no=(document_no or "").strip()[:100],
        evidence_url=(evidence_url or "").strip()[:300],
        source=source,
        source_ref=(source_ref or "")[:100],
        is_demo=is_demo,
        recorded_by=by,
    )
    recompute(org=org, trigger=f"新增事件：{ev.get_kind_display()}（{occurred_on}）")
    for user in User.objects.filter(organization=org, is_active=True):
        notify.notify(
            user=user,
            title=f"知识产权信用记录：{ev.get_kind_display()}",
            body=ev.description,
            url="/credit/mine/",
            kind="credit",
            dedupe_key=f"credit:event:{ev.pk}",
        )
    return ev


def withdraw_event(*, event: CreditEvent, by, reason: str) -> CreditEvent:
    """Withdraw an event (its decision overturned) and recompute."""
    _require_officer_for(by, event.organization)
    if not (reason or "").strip():
        raise InputError("请填写撤销理由", field="reason")
    with transaction.atomic():
        run_transition(event, "withdraw", by=by, reason=reason.strip())
        event.save()
        recompute(org=event.organization, trigger=f"撤销事件：{event.get_kind_display()}（{event.occurred_on}）")
    return event


def scores_for(user):
    """Organisations in the user's scope with their current score (enterprises, universities, institutes, agencies)."""
    from ipplatform.core.enums import OrgKind

    orgs = restrict(
        Organization.objects.filter(
            kind__in=[OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.AGENCY], is_active=True
        ),
        user,
    )
    latest = {}
    for s in CreditScore.objects.filter(organization__in=orgs).order_by("organization_id", "-computed_at", "-pk"):
        latest.setdefault(s.organization_id, s)
    return [(o, latest.get(o.pk)) for o in orgs.order_by("region_code", "name")]


# ---------------------------------------------------------------- the serious-dishonesty list


def entries_for(user):
    """Entries the user may see: officers in scope; everyone else the published ones and their own."""
    qs = DishonestyEntry.objects.select_related("organization")
    if is_credit_officer(user):
        return restrict(qs, user)
    if not user.is_authenticated:
        return qs.none()
    public = qs.filter(published_on__isnull=False, state__in=BLOCKING_STATES)
    own = qs.filter(organization_id=user.organization_id) if user.organization_id else qs.none()
    return (public | own).distinct()


def todo_for(*, user) -> list:
    """The workbench's to-do items: for the list authority, entries whose objection (异议) or credit repair
    request awaits an answer; for a listed organisation, its entries proposed for listing (陈述申辩)."""
    from ipplatform.core.workbench import Item

    qs = entries_for(user)
    if is_list_authority(user):
        waiting = qs.filter(state__in=[ListState.APPEALING, ListState.REPAIR_REQUESTED])
    elif user.organization_id:
        waiting = qs.filter(organization_id=user.organization_id, state=ListState.PROPOSED)
    else:
        return []
    return [
        Item(reverse("credit:entry", args=[e.pk]), f"{e.get_state_display()}：{e.organization.name}")
        for e in waiting.order_by("pk")
    ]


@transaction.atomic
def propose_entry(
    *,
    by,
    org: Organization,
    reason: str,
    legal_basis: str = "",
    event: CreditEvent | None = None,
    on: dt.date | None = None,
    decision_no: str = "",
    is_demo: bool = False,
) -> DishonestyEntry:
    """Propose listing (the organisation is told and may state its case before the decision)."""
    _require_officer_for(by, org)
    if not (reason or "").strip():
        raise InputError("请填写列入事由", field="reason")
    if DishonestyEntry.objects.filter(organization=org, state__in=[ListState.PROPOSED, *BLOCKING_STATES]).exists():
        raise InputError(f"“{org.name}”已有未移出的名单记录", field="organization")
    e = DishonestyEntry.objects.create(
        organization=org,
        reason=reason.strip(),
        legal_basis=(legal_basis or defaults.LIST_BASIS).strip(),
        event=event,
        proposed_on=on or today(),
        decision_no=(decision_no or "").strip()[:100],
        is_demo=is_demo,
        created_by=by,
    )
    for user in User.objects.filter(organization=org, is_active=True):
        notify.notify(
            user=user,
            title="拟列入严重失信主体名单告知",
            body=f"事由：{e.reason}。可在规定期限内陈述申辩。",
            url=f"/credit/list/{e.pk}/",
            kind="credit",
            dedupe_key=f"credit:propose:{e.pk}",
        )
    return e


def act(
    *, entry: DishonestyEntry, by, name: str, reason: str, on: dt.date | None = None, publication_url: str = ""
) -> DishonestyEntry:
    """Run one step of the list workflow with its rules: publication dates, appeal and repair by the organisation itself,
    repair only after its waiting period, expiry only when the period is over."""
    on = on or today()
    if name in ("appeal", "request_repair"):
        if by.organization_id != entry.organization_id:
            raise PermissionDenied("只有被列入主体本单位用户可以提出异议或申请信用修复")
    elif not (name == "expire" and by is None) and not (is_list_authority(by) and can_access(by, entry)):
        raise PermissionDenied("列入、复核、信用修复和移出由省知识产权局决定")
    if not (reason or "").strip():
        raise InputError("请填写理由或申请内容", field="reason")
    if name == "publish":
        entry.listed_on, entry.published_on = on, on
        entry.ends_on = add_years(on, defaults.LIST_YEARS)
        entry.repair_from = add_years(on, defaults.REPAIR_AFTER_YEARS)
        entry.publication_url = (publication_url or "").strip()[:300]
    if name == "request_repair" and entry.repair_from and on < entry.repair_from:
        raise InputError(
            f"列入满{defaults.REPAIR_AFTER_YEARS}年后方可申请信用修复（{entry.repair_from}起）", field="reason"
        )
    if name == "expire" and (entry.ends_on is None or on < entry.ends_on):
        raise InputError(f"列入期限至{entry.ends_on}，未满不能期满移出", field="reason")
    if name == "appeal":
        entry.appeal_text = reason.strip()
    if name == "request_repair":
        entry.repair_text = reason.strip()
    with transaction.atomic():
        try:
            run_transition(entry, name, by=by, reason=reason.strip())
        except Exception as exc:
            from django_fsm import TransitionNotAllowed

            if isinstance(exc, TransitionNotAllowed):
                raise InputError(str(exc), field="transition")
            raise
        if entry.state in (ListState.REPAIRED, ListState.EXPIRED, ListState.REVOKED):
            entry.exited_on = on
        entry.save()
    if name in ("publish", "uphold", "approve_repair", "refuse_repair", "revoke", "expire"):
        for user in User.objects.filter(organization=entry.organization, is_active=True):
            notify.notify(
                user=user,
                title=f"严重失信主体名单：{entry.get_state_display()}",
                body=reason.strip()[:200],
                url=f"/credit/list/{entry.pk}/",
                kind="credit",
                dedupe_key=f"credit:list:{entry.pk}:{name}:{on}",
            )
    return entry


def expire_due(*, on: dt.date | None = None) -> int:
    """Move out every entry whose period is over (run daily)."""
    on = on or today()
    n = 0
    for entry in DishonestyEntry.objects.filter(
        state__in=[ListState.LISTED, ListState.REPAIR_REQUESTED], ends_on__lte=on
    ):
        act(entry=entry, by=None, name="expire", reason=f"列入期满（{entry.ends_on}）自动移出", on=on)
        n += 1
    return n


def eligibility_block(*, org: Organization | None, on: dt.date | None = None) -> str:
    """The refusal reason when `org` is on the serious-dishonesty list on `on`; '' when it is not."""
    if org is None:
        return ""
    on = on or today()
    entry = (
        DishonestyEntry.objects.filter(organization=org, state__in=BLOCKING_STATES, listed_on__lte=on)
        .exclude(ends_on__lte=on)
        .order_by("-listed_on")
        .first()
    )
    if entry is None:
        return ""
    return (
        f"“{org.name}”已于{entry.listed_on}被列入严重失信主体名单（{entry.decision_no or '列入决定'}；事由：{entry.reason}；"
        f"依据：{entry.legal_basis.split('：')[0]}），期限至{entry.ends_on}，移出前不得享受资助、奖励、补贴及参与评优评审"
        + (f"；可于{entry.repair_from}起申请信用修复" if entry.repair_from and entry.repair_from > on else "")
    )
