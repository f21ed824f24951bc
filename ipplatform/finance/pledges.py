"""Pledge registration (专利权质押登记): registration rules with reasons, the workflow, legal events, the registry.

Roles, patent look-up and the patent list import that pledges share with valuations and subsidies live in `services`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ipplatform.core import audit, notify
from ipplatform.core.enums import AuditAction, OrgKind
from ipplatform.core.inputs import MAX_MONEY, InputError, is_id, parse_date, parse_decimal
from ipplatform.core.models import Organization, User
from ipplatform.core.scopes import restrict
from ipplatform.core.workflow import run_transition
from ipplatform.lib.workdays import add_working_days
from ipplatform.orgs.services import holder_check
from ipplatform.patents import legalstate
from ipplatform.patents.enums import LegalEventCode, PatentType
from ipplatform.patents.models import LegalEvent, Patent

from .enums import REVIEW_STATES, PledgeState
from .models import Pledge, PledgeChange, PledgePatent, Valuation
from .services import REVIEW_DEPARTMENT, is_bank_user, is_enterprise_user, is_reviewer, reviewers

REVIEW_WORKING_DAYS = 3
EXCEL_THRESHOLD = 10  # more patents than this: use the Excel patent list
PLEDGE_EVENT_SOURCE = "质押登记"

# Registration rules as data: code -> (label, effect). effect: refuse = 不予登记; defect = 可补正; confirm = 当事人确认后可登记.
RULES = {
    "not_owner": ("出质人不是登记的专利权人", "refuse"),
    "lapsed": ("专利权已终止或被宣告无效", "refuse"),
    "not_granted": ("专利尚未授权", "refuse"),
    "fee_unpaid": (
        "未按期缴纳年费（含处于滞纳期）",
        "refuse",
    ),  # 质押登记办法（2021）不予登记情形：没有按照规定缴纳年费；CNIPA：处于年费滞纳期的不予登记
    "suspended": ("专利权处于中止程序或被采取保全措施", "refuse"),
    "term_beyond_expiry": ("债务履行期限超过专利权有效期", "defect"),
    "contract_missing": ("质押合同缺少必要条款", "defect"),
    "co_owner_consent": ("共有专利未取得全体共有人同意", "defect"),
    "already_pledged": ("专利权已被质押且未解除", "refuse"),
    "pending_invalidation": ("专利权处于无效宣告程序中", "confirm"),
    "same_day_utility": ("同日申请发明专利的实用新型", "confirm"),
}
EFFECT_LABELS = {"refuse": "不予登记", "defect": "须补正", "confirm": "须当事人确认"}


@dataclass
class Check:
    code: str
    patent_id: str
    reason: str

    @property
    def effect(self) -> str:
        return RULES[self.code][1]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "patent": self.patent_id,
            "label": RULES[self.code][0],
            "effect": self.effect,
            "effect_label": EFFECT_LABELS[self.effect],
            "reason": self.reason,
        }


def check_pledge(pledge: Pledge, *, on: dt.date | None = None) -> list[Check]:
    """Every registration rule that the pledge fails, with the reason (empty list: registrable)."""
    on = on or timezone.localdate()
    out: list[Check] = []
    required = (
        ("质押合同编号", pledge.contract_number),
        ("合同签订日", pledge.contract_date),
        ("被担保债权数额", pledge.debt_amount),
        ("债务履行期起", pledge.debt_start),
        ("债务履行期止", pledge.debt_end),
        ("担保范围", (pledge.security_scope or "").strip()),
    )
    missing = [label for label, value in required if not value]
    if missing:
        out.append(Check("contract_missing", "", "缺少：" + "、".join(missing)))
    items = list(
        pledge.items.select_related("patent").prefetch_related(
            "patent__legal_events", "patent__applicant_links__applicant"
        )
    )
    if not items:
        out.append(Check("contract_missing", "", "未列明出质专利"))
    for item in items:
        p = item.patent
        num = p.display_number
        events = list(p.legal_events.all())
        ownership = holder_check(org=pledge.pledgor, patent=p, on=on)
        if not ownership.ok:
            out.append(Check("not_owner", p.pk, f"{ownership.reason}。规则：{ownership.rule}"))
        grant = legalstate.grant_date_of(patent=p)
        if grant is None or grant > on:
            out.append(Check("not_granted", p.pk, f"{num}尚未授权公告，不能出质"))
        else:
            term_end = legalstate.term_end_of(patent=p)
            ending = (
                LegalEventCode.FEE_LAPSE,
                LegalEventCode.INVALIDATED,
                LegalEventCode.EXPIRY,
                LegalEventCode.ABANDONED,
            )
            ended = [e for e in events if e.date <= on and e.code in ending]
            if ended:
                e = ended[-1]
                out.append(Check("lapsed", p.pk, f"{num}于{e.date}{e.get_code_display()}"))
            elif term_end and on >= term_end:
                out.append(Check("lapsed", p.pk, f"{num}保护期已于{term_end}届满"))
            elif not p.valid_at(on):
                out.append(Check("lapsed", p.pk, f"{num}在{on}不处于有效状态"))
            fees = legalstate.fee_status(patent=p, on=on)
            if fees.state in ("in_grace", "lapsed"):
                out.append(Check("fee_unpaid", p.pk, f"{num}：{fees.text}"))
            if term_end and pledge.debt_end and pledge.debt_end > term_end:
                out.append(
                    Check("term_beyond_expiry", p.pk, f"债务履行期止{pledge.debt_end}晚于{num}的保护期届满日{term_end}")
                )
        pres = legalstate.preservation_event(patent=p, on=on)
        if pres:
            out.append(Check("suspended", p.pk, f"{num}于{pres.date}被采取保全措施，尚未解除"))
        susp = legalstate.suspension_event(patent=p, on=on)
        if susp:
            out.append(Check("suspended", p.pk, f"{num}于{susp.date}{susp.description or '权属纠纷中止'}，尚未恢复"))
        others = ownership.others
        if others and ownership.ok and not pledge.co_owner_consent:
            out.append(Check("co_owner_consent", p.pk, f"{num}的共有人{'、'.join(others)}未书面同意出质"))
        existing = active_pledge(patent_id=p.pk, on=on)
        if existing is not None and existing.pk != pledge.pk:
            out.append(
                Check(
                    "already_pledged",
                    p.pk,
                    f"{num}已于{existing.cnipa_registered_on}质押给{existing.pledgee.name}"
                    f"（登记号{existing.cnipa_registration_no}）",
                )
            )
        elif existing is None:
            legacy = legalstate.pledge_event(patent=p, on=on)
            if legacy and legacy.reference != f"finance.pledge:{pledge.pk}" and legacy.date <= on:
                out.append(
                    Check(
                        "already_pledged",
                        p.pk,
                        f"{num}于{legacy.date}已登记质押（{legacy.source or '法律状态'}），未见解除",
                    )
                )
        invalidation = legalstate.open_events(
            events=events,
            start_codes=[LegalEventCode.INVALIDATION_REQUEST],
            end_codes=[LegalEventCode.INVALIDATED, LegalEventCode.PARTIALLY_INVALIDATED],
            on=on,
        )
        inval = next(iter(invalidation), None)
        if inval and not pledge.risks_confirmed:
            out.append(
                Check(
                    "pending_invalidation",
                    p.pk,
                    f"{num}于{inval.date}被请求宣告无效，审查结论未出，须双方书面确认知悉风险",
                )
            )
        if p.patent_type == PatentType.UTILITY and p.application_date and not pledge.risks_confirmed:
            twin = (
                Patent.objects.filter(
                    patent_type=PatentType.INVENTION, application_date=p.application_date, title=p.title
                )
                .exclude(pk=p.pk)
                .first()
            )
            if twin:
                out.append(
                    Check(
                        "same_day_utility",
                        p.pk,
                        f"{num}与发明专利申请{twin.display_number}为同日申请，须双方书面确认知悉可能放弃实用新型的风险",
                    )
                )
    return out


# ---------------------------------------------------------------- the active pledge (used by the market app)


def active_pledge(*, patent_id: str, on: dt.date | None = None) -> Pledge | None:
    """The registered pledge on a patent in force on `on` (today by default); `.pledgee` is the pledgee organisation."""
    on = on or timezone.localdate()
    return (
        Pledge.objects.select_related("pledgee", "pledgor")
        .filter(items__patent_id=patent_id, cnipa_registered_on__isnull=False, cnipa_registered_on__lte=on)
        .filter(state__in=[PledgeState.REGISTERED, PledgeState.CANCELLED, PledgeState.DISPOSED])
        .filter(Q(released_on__isnull=True) | Q(released_on__gt=on))
        .order_by("-cnipa_registered_on")
        .first()
    )


# ---------------------------------------------------------------- creating and editing


def _money(value, label: str, field_name: str) -> Decimal | None:
    amount = parse_decimal(
        value, field=field_name, label=label, min_value=0, max_value=MAX_MONEY, places=2, required=False, rounding=True
    )
    if amount is not None and amount <= 0:
        raise InputError(f"{label}应大于0", field=field_name)
    return amount


PLEDGE_FIELDS = (
    "contract_number",
    "contract_date",
    "debt_amount",
    "debt_start",
    "debt_end",
    "loan_rate",
    "disbursed_on",
    "security_scope",
    "co_owner_consent",
    "risks_confirmed",
    "valuation",
)


def _apply_fields(pledge: Pledge, data: dict) -> None:
    for name in PLEDGE_FIELDS:
        if name in data:
            setattr(pledge, name, data[name])
    pledge.debt_amount = _money(pledge.debt_amount, "被担保债权数额", "debt_amount")
    if pledge.debt_start and pledge.debt_end and pledge.debt_end < pledge.debt_start:
        raise InputError(f"债务履行期止（{pledge.debt_end}）早于履行期起（{pledge.debt_start}）", field="debt_end")


@transaction.atomic
def create_pledge(*, by, pledgor: Organization, patents: list[Patent], data: dict) -> Pledge:
    """A bank drafts a pledge registration; the pledgor's users are asked to confirm."""
    if not is_bank_user(by):
        raise PermissionDenied("只有银行用户可以提交质押登记")
    if pledgor.kind not in (OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE):
        raise InputError("出质人应为企业、高校或科研院所", field="pledgor")
    if not patents:
        raise InputError("请至少列出一件出质专利", field="patents")
    pledge = Pledge(pledgor=pledgor, pledgee=by.organization, created_by=by, city_code=pledgor.city_code)
    _apply_fields(pledge, data)
    pledge.save()
    set_patents(pledge=pledge, patents=patents)
    for user in pledgor.users.filter(is_active=True):
        notify.notify(
            user=user,
            title=f"{by.organization.name}提交了专利权质押登记，请确认",
            kind="finance.pledge",
            body=f"{len(patents)}件专利，债权数额{pledge.debt_amount or '—'}万元",
            url=f"/finance/pledges/{pledge.pk}/",
        )
    return pledge


def set_patents(*, pledge: Pledge, patents: list[Patent]) -> None:
    """Replace the pledge's patent list."""
    from .indicators import tech_field_of

    pledge.items.all().delete()
    PledgePatent.objects.bulk_create(
        [
            PledgePatent(pledge=pledge, patent=p, tech_field=tech_field_of(p.ipc_main or ((p.ipc_all or [None])[0])))
            for p in patents
        ]
    )


@transaction.atomic
def update_pledge(*, pledge: Pledge, by, data: dict, patents: list[Patent] | None = None) -> Pledge:
    """The bank corrects a draft or a pledge under defect notice."""
    if pledge.state not in (PledgeState.DRAFT, PledgeState.DEFECT):
        raise InputError(f"当前状态“{pledge.get_state_display()}”下不能修改登记内容")
    if not (is_bank_user(by) and by.organization_id == pledge.pledgee_id):
        raise PermissionDenied("只有质权人银行可以修改登记内容")
    _apply_fields(pledge, data)
    pledge.save()
    if patents is not None:
        if not patents:
            raise InputError("请至少列出一件出质专利", field="patents")
        set_patents(pledge=pledge, patents=patents)
    return pledge


def rights_for(*, user, pledge: Pledge) -> dict[str, bool]:
    """What the user may do with the pledge now, by party and state (the detail page's buttons; the workflow
    functions check the same again)."""
    is_pledgee = is_bank_user(user) and user.organization_id == pledge.pledgee_id
    is_pledgor = is_enterprise_user(user) and user.organization_id == pledge.pledgor_id
    reviewer = is_reviewer(user)
    state = pledge.state
    editable = state in (PledgeState.DRAFT, PledgeState.DEFECT)
    in_review = state in (PledgeState.SUBMITTED, PledgeState.RESUBMITTED)
    registered = state == PledgeState.REGISTERED
    return {
        "can_confirm": is_pledgor and state == PledgeState.DRAFT,
        "can_edit": is_pledgee and editable,
        "can_resubmit": (is_pledgee or is_pledgor) and state == PledgeState.DEFECT,
        "can_review": reviewer and in_review,
        "can_refuse": reviewer and (in_review or state == PledgeState.DEFECT),
        "can_manage": (reviewer or is_pledgee) and registered,
        "can_record_cnipa": (reviewer or is_pledgee) and registered and not pledge.cnipa_registered_on,
        "can_commission_valuation": is_pledgee and editable and not pledge.valuation_id,
    }


def link_valuation(*, pledge_id, valuation: Valuation, by) -> Pledge | None:
    """Make a new valuation the pledge's valuation report, when the pledge is the bank's own draft or is under defect
    notice (the only states in which the bank may still edit it); None when it is not, so the valuation stands alone."""
    if not is_id(pledge_id) or by.organization_id is None:
        return None
    editable = restrict(Pledge.objects.all(), by).filter(state__in=[PledgeState.DRAFT, PledgeState.DEFECT])
    pledge = editable.filter(pk=pledge_id, pledgee_id=by.organization_id).first()
    if pledge is None:
        return None
    pledge.valuation = valuation
    pledge.save(update_fields=["valuation", "updated_at"])
    return pledge


def review_due(submitted_on: dt.date) -> dt.date:
    """The day the office's review of a pledge submitted (or corrected) on `submitted_on` falls due."""
    return add_working_days(submitted_on, REVIEW_WORKING_DAYS)


def _start_review(pledge: Pledge, today: dt.date) -> None:
    pledge.submitted_on = today
    pledge.due_on = review_due(today)
    pledge.checks = [c.as_dict() for c in check_pledge(pledge, on=today)]


def recompute_review_due() -> dict:
    """Recount the 3-working-day review date of every pledge awaiting review on the calendar as it stands (daily,
    before the overdue reminders): a date counted before its year's official holidays were loaded moves to the right
    day. Only changed dates are written; the save is audited like any change of a pledge."""
    waiting = list(Pledge.objects.filter(state__in=REVIEW_STATES, submitted_on__isnull=False).order_by("pk"))
    moved = 0
    for pledge in waiting:
        due = review_due(pledge.submitted_on)
        if due != pledge.due_on:
            pledge.due_on = due
            pledge.save(update_fields=["due_on", "updated_at"])
            moved += 1
    return {"pledges": len(waiting), "moved": moved}


@transaction.atomic
def confirm_pledge(
    *, pledge: Pledge, by, co_owner_consent: bool, risks_confirmed: bool = False, today: dt.date | None = None
) -> Pledge:
    """The pledgor confirms the bank's submission (and attests co-owners' consent); it goes to the office."""
    today = today or timezone.localdate()
    if not (is_enterprise_user(by) and by.organization_id == pledge.pledgor_id):
        raise PermissionDenied("只有出质人本单位的用户可以确认质押登记")
    pledge.co_owner_consent = bool(co_owner_consent) or pledge.co_owner_consent
    pledge.risks_confirmed = bool(risks_confirmed) or pledge.risks_confirmed
    pledge.pledgor_confirmed_by, pledge.pledgor_confirmed_at = by, timezone.now()
    run_transition(pledge, "submit", by=by, reason="出质人确认同意出质并提交")
    _start_review(pledge, today)
    pledge.save()
    notify.notify_many(
        users=reviewers(),
        title=f"专利权质押登记待审查（{pledge.pledgor.name}）",
        kind="finance.pledge",
        body=f"审查期限{pledge.due_on}",
        url=f"/finance/pledges/{pledge.pk}/",
    )
    return pledge


def _require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise PermissionDenied(f"只有{REVIEW_DEPARTMENT}或系统管理员可以办理质押登记审查")


@transaction.atomic
def issue_defect(*, pledge: Pledge, by, reason: str) -> Pledge:
    """Send a defect notice listing what must be corrected."""
    _require_reviewer(by)
    if not (reason or "").strip():
        raise InputError("请填写补正通知内容", field="reason")
    run_transition(pledge, "notify_defect", by=by, reason=reason)
    pledge.defect_notice = reason
    pledge.save()
    _tell_parties(pledge, f"质押登记补正通知：{reason[:60]}")
    return pledge


@transaction.atomic
def resubmit_pledge(*, pledge: Pledge, by, reason: str = "", today: dt.date | None = None) -> Pledge:
    """The bank (or pledgor) files the corrected application; the 3-working-day period starts again."""
    today = today or timezone.localdate()
    if by.organization_id not in (pledge.pledgee_id, pledge.pledgor_id):
        raise PermissionDenied("只有质押当事人可以提交补正")
    run_transition(pledge, "resubmit", by=by, reason=reason or "已按补正通知修改")
    _start_review(pledge, today)
    pledge.save()
    notify.notify_many(
        users=reviewers(),
        title=f"质押登记已补正（{pledge.pledgor.name}）",
        kind="finance.pledge",
        url=f"/finance/pledges/{pledge.pk}/",
    )
    return pledge


def _next_number(today: dt.date) -> str:
    prefix = f"Y{today.year}370000"
    last = Pledge.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


@transaction.atomic
def register_pledge(*, pledge: Pledge, by, reason: str = "", today: dt.date | None = None) -> Pledge:
    """Register the pledge when every rule passes; it becomes a legal event on each patent."""
    today = today or timezone.localdate()
    _require_reviewer(by)
    checks = check_pledge(pledge, on=today)
    pledge.checks = [c.as_dict() for c in checks]
    if checks:
        raise InputError("不能登记：" + "；".join(f"{RULES[c.code][0]}（{c.reason}）" for c in checks), field="checks")
    run_transition(pledge, "register", by=by, reason=reason or "审查合格，予以登记")
    pledge.registered_on = today
    pledge.number = _next_number(today)
    pledge.save()
    _tell_parties(
        pledge,
        f"专利权质押登记申请审查合格（平台受理号{pledge.number}），质权自国家知识产权局登记时设立，请登记其登记号和登记日",
    )
    return pledge


@transaction.atomic
def record_cnipa_registration(
    *, pledge: Pledge, by, registration_no: str, registered_on, today: dt.date | None = None
) -> Pledge:
    """Record CNIPA's registration of the pledge (the pledge exists from it, 民法典 art 444): a PLEDGE legal event
    per patent."""
    today = today or timezone.localdate()
    if not (is_reviewer(by) or (is_bank_user(by) and by.organization_id == pledge.pledgee_id)):
        raise PermissionDenied("只有质权人银行或登记机关可以登记国家知识产权局的质押登记")
    if pledge.state != PledgeState.REGISTERED or pledge.cnipa_registered_on:
        raise InputError("只有审查合格且尚未登记国家知识产权局登记号的申请可以登记", field="registration_no")
    number = (registration_no or "").strip()
    if not number or len(number) > 40:
        raise InputError("请填写国家知识产权局的质押登记号（40字以内）", field="registration_no")
    day = parse_date(registered_on, field="registered_on", label="国家知识产权局登记日")
    if day > today:
        raise InputError(f"登记日{day}晚于今天", field="registered_on")
    if pledge.registered_on and day < pledge.registered_on:
        raise InputError(f"登记日{day}早于平台审查合格日{pledge.registered_on}", field="registered_on")
    pledge.cnipa_registration_no, pledge.cnipa_registered_on = number, day
    pledge.save(update_fields=["cnipa_registration_no", "cnipa_registered_on", "updated_at"])
    for item in pledge.items.select_related("patent"):
        LegalEvent.objects.create(
            patent=item.patent,
            date=day,
            code=LegalEventCode.PLEDGE,
            source=PLEDGE_EVENT_SOURCE,
            reference=f"finance.pledge:{pledge.pk}",
            description=f"质押登记号{number}；出质人{pledge.pledgor.name}；质权人{pledge.pledgee.name}",
        )
    audit.record(AuditAction.UPDATE, obj=pledge, actor=by, reason=f"国家知识产权局质押登记号{number}，登记日{day}")
    _tell_parties(pledge, f"专利权质押已在国家知识产权局登记，登记号{number}")
    return pledge


@transaction.atomic
def refuse_pledge(*, pledge: Pledge, by, reason: str = "", today: dt.date | None = None) -> Pledge:
    """Refuse registration; without a typed reason the failing rules are the reason."""
    _require_reviewer(by)
    checks = check_pledge(pledge, on=today or timezone.localdate())
    reason = (reason or "").strip() or "；".join(f"{RULES[c.code][0]}：{c.reason}" for c in checks)
    if not reason:
        raise InputError("该申请符合全部登记条件；如仍不予登记，请填写理由", field="reason")
    run_transition(pledge, "refuse", by=by, reason=reason)
    pledge.refusal_reason = reason
    pledge.checks = [c.as_dict() for c in checks]
    pledge.save()
    _tell_parties(pledge, "专利权质押不予登记")
    return pledge


CHANGEABLE = {
    "debt_amount": "被担保债权数额",
    "debt_end": "债务履行期止",
    "security_scope": "担保范围",
    "loan_rate": "贷款年利率",
}


@transaction.atomic
def change_pledge(*, pledge: Pledge, by, changes: dict, reason: str, today: dt.date | None = None) -> PledgeChange:
    """Change registration of debt amount, term or scope; the debt term is checked against expiry again."""
    today = today or timezone.localdate()
    if not (is_reviewer(by) or (is_bank_user(by) and by.organization_id == pledge.pledgee_id)):
        raise PermissionDenied("只有质权人银行或登记机关可以办理变更登记")
    if not (reason or "").strip():
        raise InputError("请填写变更原因", field="reason")
    changes = {k: v for k, v in changes.items() if k in CHANGEABLE and v not in (None, "")}
    if not changes:
        raise InputError("没有需要变更的内容", field="changes")
    before = {k: str(getattr(pledge, k)) for k in changes}
    for k, v in changes.items():
        setattr(pledge, k, v)
    pledge.debt_amount = _money(pledge.debt_amount, "被担保债权数额", "debt_amount")
    expiry = [c for c in check_pledge(pledge, on=today) if c.code == "term_beyond_expiry"]
    if expiry:
        raise InputError("不能变更：" + expiry[0].reason, field="debt_end")
    run_transition(pledge, "change", by=by, reason=reason)
    pledge.save()
    after = {k: str(v) for k, v in changes.items()}
    return PledgeChange.objects.create(
        pledge=pledge, changed_on=today, before=before, after=after, reason=reason, created_by=by
    )


def _release(pledge: Pledge, today: dt.date, description: str) -> None:
    pledge.released_on = today
    if not pledge.cnipa_registered_on:
        return  # never registered with CNIPA: no pledge existed, no legal event to close
    for item in pledge.items.select_related("patent"):
        LegalEvent.objects.create(
            patent=item.patent,
            date=today,
            code=LegalEventCode.PLEDGE_RELEASE,
            source=PLEDGE_EVENT_SOURCE,
            reference=f"finance.pledge:{pledge.pk}",
            description=f"质押登记号{pledge.cnipa_registration_no}；{description}",
        )


@transaction.atomic
def cancel_pledge(
    *, pledge: Pledge, by, reason: str, repaid_on: dt.date | None = None, today: dt.date | None = None
) -> Pledge:
    """Cancellation (注销) after repayment: the pledge is released on each patent."""
    today = today or timezone.localdate()
    if not (is_reviewer(by) or (is_bank_user(by) and by.organization_id == pledge.pledgee_id)):
        raise PermissionDenied("只有质权人银行或登记机关可以办理注销登记")
    run_transition(pledge, "cancel", by=by, reason=reason or "债务已清偿，注销质押登记")
    pledge.repaid_on = repaid_on or pledge.repaid_on or today
    _release(pledge, today, "注销登记")
    pledge.save()
    _tell_parties(pledge, f"专利权质押已注销（{pledge.number}）")
    return pledge


@transaction.atomic
def dispose_pledge(*, pledge: Pledge, by, reason: str, today: dt.date | None = None) -> Pledge:
    """Disposal after default (拍卖、变卖或折价): recorded and the pledge released."""
    today = today or timezone.localdate()
    if not (is_reviewer(by) or (is_bank_user(by) and by.organization_id == pledge.pledgee_id)):
        raise PermissionDenied("只有质权人银行或登记机关可以登记质物处置")
    if not (reason or "").strip():
        raise InputError("请说明处置方式（拍卖、变卖或折价）和结果", field="reason")
    run_transition(pledge, "dispose", by=by, reason=reason)
    _release(pledge, today, f"质物处置：{reason}")
    pledge.save()
    _tell_parties(pledge, f"质押专利已处置（{pledge.number}）")
    return pledge


def _tell_parties(pledge: Pledge, title: str) -> None:
    users = User.objects.filter(is_active=True, organization_id__in=[pledge.pledgor_id, pledge.pledgee_id])
    notify.notify_many(users=users, title=title, kind="finance.pledge", url=f"/finance/pledges/{pledge.pk}/")


def act(*, pledge: Pledge, action: str, by, **kwargs) -> Pledge:
    """Run a named pledge action with a Chinese error for transitions not allowed now."""
    funcs = {
        "confirm": confirm_pledge,
        "defect": issue_defect,
        "resubmit": resubmit_pledge,
        "register": register_pledge,
        "refuse": refuse_pledge,
        "cancel": cancel_pledge,
        "dispose": dispose_pledge,
    }
    if action not in funcs:
        raise InputError(f"未知的操作“{action}”", field="action")
    try:
        return funcs[action](pledge=pledge, by=by, **kwargs)
    except TransitionNotAllowed as exc:
        raise InputError(str(exc), field="action")


# ---------------------------------------------------------------- registry and statistics

REGISTRY_HEADERS = [
    "平台受理号",
    "状态",
    "出质人",
    "出质人所在地市",
    "质权人",
    "专利数",
    "专利申请号",
    "被担保债权（万元）",
    "债务履行期起",
    "债务履行期止",
    "提交日",
    "审查期限",
    "平台审查合格日",
    "解除日",
    "国家知识产权局质押登记号",
    "国家知识产权局登记日",
]


def registry_rows(qs):
    from ipplatform.core.regions import display_name

    for p in qs.select_related("pledgor", "pledgee").prefetch_related("items__patent"):
        nums = [i.patent.display_number for i in p.items.all()]
        yield [
            p.number,
            p.status_text,
            p.pledgor.name,
            display_name(p.city_code),
            p.pledgee.name,
            len(nums),
            nums,
            p.debt_amount,
            p.debt_start,
            p.debt_end,
            p.submitted_on,
            p.due_on,
            p.registered_on,
            p.released_on,
            p.cnipa_registration_no,
            p.cnipa_registered_on,
        ]


def registry_stats(*, qs) -> dict:
    """Registered pledges (count and amount) by bank, city, technology field and month of registration."""
    from ipplatform.core.models import TechField
    from ipplatform.core.regions import display_name

    fields = dict(TechField.objects.values_list("number", "name_zh"))
    out = {k: defaultdict(lambda: [0, Decimal("0")]) for k in ("bank", "city", "field", "month")}
    total = [0, Decimal("0")]
    for p in qs.filter(registered_on__isnull=False).select_related("pledgee").prefetch_related("items"):
        amount = p.debt_amount or Decimal("0")
        total[0] += 1
        total[1] += amount
        for key, label in (
            ("bank", p.pledgee.name),
            ("city", display_name(p.city_code, empty="未知")),
            ("month", p.registered_on.strftime("%Y-%m")),
        ):
            out[key][label][0] += 1
            out[key][label][1] += amount
        items = list(p.items.all())
        share = amount / len(items) if items else Decimal("0")
        counted = set()
        for item in items:
            label = fields.get(item.tech_field, "未能确定技术领域")
            if label not in counted:
                out["field"][label][0] += 1
                counted.add(label)
            out["field"][label][1] += share
    result = {
        k: sorted(
            ([name, c, a.quantize(Decimal("0.01"))] for name, (c, a) in v.items()),
            key=lambda r: r[0] if k == "month" else -r[1],
        )
        for k, v in out.items()
    }
    result["total"] = [total[0], total[1].quantize(Decimal("0.01"))]
    return result


STATS_NOTES = [
    "口径：已登记的专利权质押（含此后已注销、已处置的），按登记日统计；金额为被担保债权数额（万元）。",
    "按技术领域统计时，一笔质押涉及多个领域的在每个领域各计1笔，金额按专利件数平均分摊。",
]


def export_stats(*, stats: dict) -> list:
    from ipplatform.lib.xlsx import Sheet

    headers = ["分组", "笔数", "金额（万元）"]
    return [
        Sheet(title, [label] + headers[1:], stats[key], notes=STATS_NOTES)
        for key, title, label in (
            ("bank", "按银行", "质权人"),
            ("city", "按地市", "地市"),
            ("field", "按技术领域", "技术领域"),
            ("month", "按月份", "月份"),
        )
    ]
