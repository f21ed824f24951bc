"""Annual-fee monitoring (年费监控): due dates, grace periods and surcharges from patents.legalstate, recorded fee
reductions, reminders to holders (and to their custodian agency), lapse-risk lists for city bureaus."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from ipplatform.core import notify
from ipplatform.core.enums import Role
from ipplatform.core.models import Organization, User
from ipplatform.patents import legalstate
from ipplatform.patents.enums import LegalEventCode
from ipplatform.patents.models import Patent

from .enums import ClaimState, CustodyState
from .models import Custody, FeeReduction
from .services import can_act_for, portfolio_patents, today

REMIND_BEFORE_DAYS = 30  # first reminder this many days before a due date
GRACE_REMINDER_MONTHS = (1, 3, 5)  # reminders in the grace period, after these whole months (surcharge 5 %, 15 %, 25 %)


@dataclass
class FeeRow:
    patent: Patent
    status: legalstate.FeeStatus
    due: dt.date | None  # the due date that matters now: unpaid in grace, else the next one
    days_left: int | None
    risk: str  # lapsed / in_grace / due_soon / ok / unknown
    reduction: FeeReduction | None
    term_end: dt.date | None

    RISK_LABELS = {
        "lapsed": "已因未缴年费终止",
        "in_grace": "滞纳期内未缴",
        "due_soon": "即将到期",
        "ok": "正常",
        "unknown": "无缴费记录（推定已缴）",
        "not_granted": "未授权",
        "not_in_force": "已终止（届满或其他事件）",
    }

    @property
    def risk_label(self) -> str:
        return self.RISK_LABELS[self.risk]

    @property
    def year_no(self) -> int | None:
        """The patent year (第N年度) the due date opens, counted from the filing date."""
        if not self.due or not self.patent.application_date:
            return None
        return self.due.year - self.patent.application_date.year + 1

    @property
    def reduction_text(self) -> str:
        r = self.reduction
        return f"缴纳{r.percent_payable}%（第{r.first_year}-{r.last_year}年度；{r.basis}）" if r else ""


def reduction_for(*, patent: Patent, year_no: int | None) -> FeeReduction | None:
    """The recorded fee reduction covering the patent year, if any."""
    if year_no is None:
        return None
    return next((r for r in patent.fee_reductions.all() if r.first_year <= year_no <= r.last_year), None)


def fee_row(*, patent: Patent, on: dt.date | None = None, horizon_days: int = REMIND_BEFORE_DAYS) -> FeeRow:
    """The fee position of one patent on a day (legalstate.fee_status), with the risk class and any reduction."""
    on = on or today()
    status = legalstate.fee_status(patent=patent, on=on)
    end = legalstate.term_end_of(patent=patent)
    if status.state == "not_granted":
        risk, due = "not_granted", None
    elif status.state not in ("lapsed", "in_grace") and not patent.valid_at(on):
        risk, due = "not_in_force", None
    elif status.state == "lapsed":
        risk, due = "lapsed", status.due
    elif status.state == "in_grace":
        risk, due = "in_grace", status.due
    else:
        due = status.next_due
        soon = due is not None and (due - on).days <= horizon_days
        risk = "due_soon" if soon else ("unknown" if status.state == "no_records" else "ok")
    row = FeeRow(patent, status, due, (due - on).days if due else None, risk, None, end)
    row.reduction = reduction_for(patent=patent, year_no=row.year_no)
    return row


def fee_rows(*, patents, on: dt.date | None = None, horizon_days: int = REMIND_BEFORE_DAYS) -> list[FeeRow]:
    return [fee_row(patent=p, on=on, horizon_days=horizon_days) for p in patents]


def _with_events(patents):
    ids = [p.pk for p in patents]
    return list(Patent.objects.filter(pk__in=ids).prefetch_related("legal_events", "fee_reductions"))


def org_fee_rows(*, org: Organization, on: dt.date | None = None) -> list[FeeRow]:
    """Fee rows of the patents the organisation holds (verified claims): in force, or lapsed for fees (expired and
    otherwise ended patents and applications are left out)."""
    rows = fee_rows(patents=_with_events(portfolio_patents(org, on=on)), on=on)
    order = {"in_grace": 0, "due_soon": 1, "lapsed": 2, "ok": 3, "unknown": 4}
    return sorted([r for r in rows if r.risk in order], key=lambda r: (order[r.risk], r.due or dt.date.max))


def can_choose_region(user) -> bool:
    """Province staff choose the city of the lapse-risk list; city and county officers see only their own area."""
    return user.role not in (Role.CITY_OFFICER, Role.COUNTY_OFFICER)


def own_region_prefix(user) -> str:
    """The area a city or county officer's lapse-risk list is fixed to: the city's 4-digit or the county's 6-digit
    code prefix."""
    code = (user.organization.region_code or "") if user.organization else ""
    return code[:4] if user.role == Role.CITY_OFFICER else code


def registered_holders(*, region_prefix: str = ""):
    """Organisations with verified claims (their portfolios are monitored), optionally in a region."""
    qs = Organization.objects.filter(applicant_claims__state=ClaimState.VERIFIED).distinct()
    return qs.filter(region_code__startswith=region_prefix) if region_prefix else qs


def lapse_risk(*, region_prefix: str = "", on: dt.date | None = None) -> list[tuple[Organization | None, FeeRow]]:
    """Patents at risk of lapsing for fees (in the grace period, or due within the horizon) in a region: those of
    registered holders there, and any patent there with fee payment records."""
    on = on or today()
    seen, out = set(), []
    for org in registered_holders(region_prefix=region_prefix):
        for row in org_fee_rows(org=org, on=on):
            if row.risk in ("in_grace", "due_soon") and row.patent.pk not in seen:
                seen.add(row.patent.pk)
                out.append((org, row))
    recorded = Patent.objects.filter(legal_events__code=LegalEventCode.FEE_PAID).exclude(pk__in=seen).distinct()
    if region_prefix:
        recorded = recorded.filter(region_code__startswith=region_prefix)
    for row in fee_rows(patents=recorded.prefetch_related("legal_events", "fee_reductions"), on=on):
        if row.risk in ("in_grace", "due_soon"):
            out.append((None, row))
    out.sort(key=lambda pair: (0 if pair[1].risk == "in_grace" else 1, pair[1].due or dt.date.max))
    return out


def custodians(*, org: Organization, patent: Patent, on: dt.date) -> list[Organization]:
    """Agencies holding the patent in custody for the organisation on the day."""
    qs = Custody.objects.filter(enterprise=org, state=CustodyState.ACTIVE, start__lte=on, end__gte=on).select_related(
        "agency"
    )
    return [c.agency for c in qs if c.all_patents or c.patents.filter(pk=patent.pk).exists()]


def _phase(row: FeeRow, on: dt.date) -> str:
    """Which reminder is due today for the row ('' when none): before the due date, or after 1/3/5 months of grace."""
    if row.risk == "due_soon" and row.days_left is not None and 0 <= row.days_left <= REMIND_BEFORE_DAYS:
        return "before"
    if row.risk == "in_grace":
        passed = [m for m in GRACE_REMINDER_MONTHS if on > legalstate.add_months(row.due, m)]
        return f"grace{passed[-1]}" if passed else "grace0"
    return ""


def reminder_text(row: FeeRow) -> tuple[str, str]:
    num = row.patent.display_number
    if row.risk == "in_grace":
        title = f"年费滞纳提醒：{num} {row.due}到期的年费未缴，滞纳期至{row.status.grace_end}"
        body = row.status.text
    else:
        title = f"年费缴纳提醒：{num} 第{row.year_no}年度年费应于{row.due}前缴纳"
        body = (
            f"{row.patent.title}：{legalstate.RULES['fee_due'].text}（{legalstate.RULES['fee_due'].article}）。"
            f"逾期可在六个月滞纳期内补缴并加收滞纳金（{legalstate.RULES['fee_grace'].article}）。"
        )
    if row.reduction:
        body += f" 已登记费用减缴：{row.reduction_text}。"
    return title, body


def send_fee_reminders(*, on: dt.date | None = None) -> int:
    """Notify holders' users (and their custodian agencies' users) before due dates and during the grace period."""
    on = on or today()
    sent = 0
    for org in registered_holders():
        for row in org_fee_rows(org=org, on=on):
            phase = _phase(row, on)
            if not phase:
                continue
            title, body = reminder_text(row)
            agencies = custodians(org=org, patent=row.patent, on=on)
            users = User.objects.filter(is_active=True).filter(
                Q(organization=org) | Q(organization__in=agencies, role=Role.AGENCY_USER)
            )
            for user in users:
                who = "" if user.organization_id == org.pk else f"（托管企业：{org.name}）"
                made = notify.notify(
                    user=user,
                    title=title + who,
                    body=body,
                    kind="orgs.fee",
                    url="/orgs/fees/",
                    dedupe_key=f"fee-{row.patent.pk}-{row.due}-{phase}",
                )
                sent += made is not None
    return sent


def record_reduction(
    *, by, org: Organization, patent_id, percent_payable, first_year, last_year, basis: str
) -> FeeReduction:
    """Record an annual-fee reduction (专利费用减缴) approved by CNIPA for one of the holder's own patents."""
    from django.core.exceptions import PermissionDenied

    from ipplatform.core import audit
    from ipplatform.core.enums import AuditAction
    from ipplatform.core.inputs import InputError, clean_text, parse_int

    if not can_act_for(by, org):
        raise PermissionDenied("只有专利权人本单位、其所在地市局或省局可以登记费用减缴")
    pk = str(patent_id if patent_id is not None else "").strip()
    if not pk:
        raise InputError("请选择专利", field="patent")
    patent = next((p for p in portfolio_patents(org) if str(p.pk) == pk), None)
    if patent is None:
        raise InputError(f"所选专利不在“{org.name}”经核验认领的专利中", field="patent")
    percent = parse_int(percent_payable, field="percent_payable", label="缴纳比例（%）", min_value=1, max_value=99)
    first = parse_int(first_year, field="first_year", label="起始年度", min_value=1, max_value=20)
    last = parse_int(last_year, field="last_year", label="截止年度", min_value=1, max_value=20)
    if last < first:
        raise InputError(f"截止年度（第{last}年）早于起始年度（第{first}年）", field="last_year")
    text = clean_text(basis, field="basis", label="依据", max_length=200, required=True)
    clash = patent.fee_reductions.filter(first_year__lte=last, last_year__gte=first).first()
    if clash is not None:
        raise InputError(
            f"该专利第{clash.first_year}至{clash.last_year}年度已登记减缴（缴纳{clash.percent_payable}%），与所填年度重叠",
            field="first_year",
        )
    reduction = FeeReduction.objects.create(
        patent=patent, percent_payable=percent, first_year=first, last_year=last, basis=text, recorded_by=by
    )
    audit.record(
        AuditAction.CREATE,
        obj=reduction,
        actor=by,
        reason=f"{org.name}：{patent.display_number} 第{first}至{last}年度缴纳{percent}%（{text}）",
    )
    return reduction
