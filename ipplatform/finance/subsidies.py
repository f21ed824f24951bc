"""Interest and insurance premium subsidies: the policy rules as data and the one amount rule (the applications,
their 公示, objections and payment run on the programme engine: finance.subsidy_programmes); risk compensation fund."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ipplatform.core import audit, notify
from ipplatform.core.inputs import MAX_MONEY, MAX_YEAR, MIN_YEAR, InputError, parse_decimal, parse_int
from ipplatform.core.regions import city_code_of, display_name, name_of
from ipplatform.core.workflow import run_transition
from ipplatform.orgs.services import holder_check

from .enums import DefaultState, PledgeState, RuleMode, SubsidyKind
from .models import CoveredLoan, DefaultReport, FundContribution, Pledge, RiskFund, SubsidyRule
from .services import is_reviewer, reviewers

PROVINCE = "370000"
DAY_COUNT = 360  # interest day count used by banks in China (实际天数/360)
CENT = Decimal("0.01")


def _dec(value, label: str, field: str, *, required=True) -> Decimal | None:
    return parse_decimal(
        value, field=field, label=label, min_value=0, max_value=MAX_MONEY, places=4, required=required, rounding=True
    )


# ---------------------------------------------------------------- rules


def select_rule(*, kind: str, region_code: str, year: int) -> SubsidyRule | None:
    """The current rule of the applicant's city for the year, else the province-wide rule."""
    city = city_code_of(region_code)
    for code in ([city] if city and city != PROVINCE else []) + [PROVINCE]:
        rule = (
            SubsidyRule.objects.filter(kind=kind, region_code=code, year=year, is_current=True)
            .order_by("-version")
            .first()
        )
        if rule:
            return rule
    return None


@transaction.atomic
def save_rule(*, by, data: dict, based_on: SubsidyRule | None = None) -> SubsidyRule:
    """Publish a rule: a new version for the same kind, region and year becomes current."""
    if not is_reviewer(by):
        raise PermissionDenied("只有协调管理处或系统管理员可以维护补助政策")
    kind, region, year = data.get("kind"), (data.get("region_code") or "").strip(), data.get("year")
    if kind not in SubsidyKind.values:
        raise InputError("请选择补助类型", field="kind")
    if not (len(region) == 6 and region.isascii() and region.isdigit()):
        raise InputError("适用地区应为6位区划代码（全省为370000）", field="region_code")
    year = parse_int(year, field="year", label="政策年度", min_value=MIN_YEAR, max_value=MAX_YEAR)
    mode = data.get("mode")
    if mode not in RuleMode.values:
        raise InputError("请选择计算方式", field="mode")
    if (kind == SubsidyKind.PREMIUM) != (mode == RuleMode.PREMIUM_SHARE):
        raise InputError("保费补助应“按实缴保费比例”计算；贴息应按利息或LPR计算", field="mode")
    share = _dec(data.get("share"), "补助比例", "share")
    if not 0 < share <= 1:
        raise InputError("补助比例应在0到1之间（如0.5表示50%）", field="share")
    # A rate is a percentage: bounded 0–100 like the pledge's loan rate, three decimals as stored.
    lpr = parse_decimal(
        data.get("lpr_rate"),
        field="lpr_rate",
        label="基准利率/LPR（%）",
        min_value=0,
        max_value=100,
        places=3,
        rounding=True,
        required=mode == RuleMode.LPR_SHARE,
    )
    cap = _dec(data.get("cap_per_enterprise"), "每家企业年度上限", "cap_per_enterprise")
    if not (data.get("name") or "").strip():
        raise InputError("请填写政策名称", field="name")
    last = SubsidyRule.objects.filter(kind=kind, region_code=region, year=year).order_by("-version").first()
    superseded = SubsidyRule.objects.filter(kind=kind, region_code=region, year=year, is_current=True)
    audit.update_recorded(superseded, by=by, reason=f"由新版本政策“{data['name'].strip()}”取代", is_current=False)
    return SubsidyRule.objects.create(
        kind=kind,
        region_code=region,
        year=year,
        version=(last.version + 1) if last else 1,
        name=data["name"].strip(),
        basis=(data.get("basis") or "").strip(),
        mode=mode,
        share=share,
        lpr_rate=lpr,
        cap_per_enterprise=cap,
        sme_only=bool(data.get("sme_only")),
        first_pledge_only=bool(data.get("first_pledge_only")),
        require_repaid=bool(data.get("require_repaid")),
        require_registered_before_disbursement=bool(data.get("require_registered_before_disbursement")),
        created_by=by,
    )


def rule_region(rule: SubsidyRule) -> str:
    """Where a subsidy rule applies, for users: 全省 for the province-wide rule, else the division's name."""
    return "全省" if rule.region_code == PROVINCE else display_name(rule.region_code)


def rule_text(rule: SubsidyRule) -> str:
    """The rule in words."""
    region = rule_region(rule)
    pct = f"{(rule.share * 100).normalize():f}%"
    if rule.mode == RuleMode.INTEREST_SHARE:
        how = f"按实付利息的{pct}补贴"
    elif rule.mode == RuleMode.LPR_SHARE:
        how = f"按贷款本金×LPR {rule.lpr_rate}%×计息天数/{DAY_COUNT}的{pct}补贴，且不超过实付利息"
    else:
        how = f"按实缴保费的{pct}补助"
    conds = [
        c
        for c, on in (
            ("仅限小微企业", rule.sme_only),
            ("仅限首次质押融资", rule.first_pledge_only),
            ("须已还本付息", rule.require_repaid),
            ("须放款前完成质押登记", rule.require_registered_before_disbursement),
        )
        if on
    ]
    return (
        f"{region}{rule.year}年{rule.name}（第{rule.version}版）：{how}；每家企业每年最高{rule.cap_per_enterprise}万元"
        + ("；" + "，".join(conds) if conds else "")
    )


# ---------------------------------------------------------------- eligibility and amount


@dataclass
class SubsidyCase:
    """What the rule is applied to: the applicant, the policy year and the financed facts (amounts in 万元). The
    applications themselves are the programme engine's (finance.subsidy_programmes builds a case from one)."""

    kind: str
    applicant: object
    region_code: str
    year: int
    pledge: Pledge | None = None
    loan_amount: Decimal | None = None
    loan_start: dt.date | None = None
    loan_end: dt.date | None = None
    interest_paid: Decimal | None = None
    premium_paid: Decimal | None = None
    used: Decimal = Decimal("0")  # already granted to the applicant this year under the same kind (万元)


def eligibility(*, case: SubsidyCase, rule: SubsidyRule) -> list[str]:
    """Reasons the case does not meet the rule (empty: eligible)."""
    # the serious-dishonesty list is the engine's eligibility rule `not_dishonest` of both programme types
    reasons = []
    org = case.applicant
    pledge = case.pledge
    if rule.sme_only and not org.is_sme:
        reasons.append(f"{rule_text(rule).split('：')[0]}仅限小微企业，“{org.name}”未登记为小微企业")
    if case.kind == SubsidyKind.INTEREST:
        if pledge is None:
            reasons.append("贴息申请须关联已登记的专利权质押")
            return reasons
        if pledge.pledgor_id != org.pk:
            reasons.append(f"质押登记{pledge.display_number}的出质人不是申请企业")
        for item in pledge.items.select_related("patent"):
            ownership = holder_check(org=org, patent=item.patent, on=pledge.cnipa_registered_on or pledge.registered_on)
            if not ownership.ok:
                reasons.append(f"出质专利须为申请企业所有：{ownership.reason}（{ownership.rule}）")
        if pledge.cnipa_registered_on is None or pledge.state == PledgeState.REFUSED:
            reasons.append(
                f"质押{pledge.display_number}尚未在国家知识产权局登记：质权自登记时设立（民法典第四百四十四条），平台审查合格不等于登记"
            )
        if rule.first_pledge_only and pledge.cnipa_registered_on:
            earlier = (
                Pledge.objects.filter(pledgor=org, cnipa_registered_on__lt=pledge.cnipa_registered_on)
                .exclude(pk=pledge.pk)
                .order_by("cnipa_registered_on")
                .first()
            )
            if earlier:
                reasons.append(
                    f"仅限首次质押融资：该企业已于{earlier.cnipa_registered_on}在国家知识产权局办理过质押登记（{earlier.display_number}）"
                )
        if rule.require_repaid and not pledge.repaid_on:
            reasons.append("须已还本付息：该笔贷款尚未登记还清日期")
        if rule.require_registered_before_disbursement:
            if not pledge.disbursed_on:
                reasons.append("须放款前完成质押登记：未填写放款日")
            elif pledge.cnipa_registered_on and pledge.cnipa_registered_on > pledge.disbursed_on:
                reasons.append(
                    f"须放款前完成质押登记：国家知识产权局登记日{pledge.cnipa_registered_on}晚于放款日{pledge.disbursed_on}"
                )
    return reasons


def compute_amount(*, case: SubsidyCase, rule: SubsidyRule) -> tuple[Decimal, str]:
    """The subsidy and the computation in words (万元, rounded to 0.01): the one place the amount rule lives."""
    steps = [rule_text(rule)]
    share = f"{rule.share.normalize():f}"
    if rule.mode == RuleMode.INTEREST_SHARE:
        base = case.interest_paid or Decimal("0")
        raw = base * rule.share
        steps.append(f"实付利息{base}万元 × {share} = {raw.quantize(CENT, ROUND_HALF_UP)}万元")
    elif rule.mode == RuleMode.LPR_SHARE:
        days = (case.loan_end - case.loan_start).days if case.loan_start and case.loan_end else 0
        lpr_interest = (case.loan_amount or Decimal("0")) * rule.lpr_rate / 100 * Decimal(days) / DAY_COUNT
        raw = lpr_interest * rule.share
        steps.append(
            f"贷款本金{case.loan_amount}万元 × LPR {rule.lpr_rate}% × {days}天/{DAY_COUNT} = {lpr_interest.quantize(CENT, ROUND_HALF_UP)}万元；"
            f"× {share} = {raw.quantize(CENT, ROUND_HALF_UP)}万元"
        )
        if case.interest_paid is not None and raw > case.interest_paid:
            raw = case.interest_paid
            steps.append(f"不超过实付利息，取{raw}万元")
    else:
        base = case.premium_paid or Decimal("0")
        raw = base * rule.share
        steps.append(f"实缴保费{base}万元 × {share} = {raw.quantize(CENT, ROUND_HALF_UP)}万元")
    raw = raw.quantize(CENT, ROUND_HALF_UP)
    used = Decimal(case.used).quantize(CENT, ROUND_HALF_UP)
    room = max(rule.cap_per_enterprise - used, Decimal("0"))
    if raw > room:
        steps.append(f"年度上限{rule.cap_per_enterprise}万元，本年已获{used}万元，剩余额度{room}万元，核定为{room}万元")
        raw = room
    steps.append(f"核定补助{raw}万元")
    return raw, "\n".join(steps)


def assess(case: SubsidyCase) -> tuple[SubsidyRule | None, Decimal, str, list[str]]:
    """Select the rule, check eligibility and compute: (rule, amount in 万元, computation, reasons not eligible)."""
    rule = select_rule(kind=case.kind, region_code=case.region_code, year=case.year)
    if rule is None:
        place = name_of(city_code_of(case.region_code) or case.region_code) or "该地区"
        text = f"{case.year}年没有适用于{place}的{SubsidyKind(case.kind).label}政策"
        return None, Decimal("0"), text, [text]
    reasons = eligibility(case=case, rule=rule)
    if reasons:
        return rule, Decimal("0"), rule_text(rule) + "\n不符合条件：" + "；".join(reasons), reasons
    amount, text = compute_amount(case=case, rule=rule)
    return rule, amount, text, []


# ---------------------------------------------------------------- risk compensation fund


def _run(obj, name, *, by, reason):
    try:
        run_transition(obj, name, by=by, reason=reason)
    except TransitionNotAllowed as exc:
        raise InputError(str(exc), field="action")


def fund_balance(fund: RiskFund) -> Decimal:
    """Contributions less compensation paid."""
    paid_in = fund.contributions.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    paid_out = DefaultReport.objects.filter(loan__fund=fund, state=DefaultState.PAID).aggregate(s=Sum("compensation"))[
        "s"
    ] or Decimal("0")
    return Decimal(str(paid_in - paid_out)).quantize(CENT)


def committed(fund: RiskFund) -> Decimal:
    """Compensation approved but not yet paid."""
    total = DefaultReport.objects.filter(loan__fund=fund, state=DefaultState.APPROVED).aggregate(s=Sum("compensation"))[
        "s"
    ]
    return Decimal(str(total or 0)).quantize(CENT)


@transaction.atomic
def cover_loan(*, fund: RiskFund, pledge: Pledge, by, principal=None, today: dt.date | None = None) -> CoveredLoan:
    """Bring a registered pledge loan under the fund."""
    if not (is_reviewer(by) or (by.organization_id == pledge.pledgee_id)):
        raise PermissionDenied("只有贷款银行或协调管理处可以申报纳入风险补偿")
    if pledge.state != PledgeState.REGISTERED:
        raise InputError(f"质押{pledge.display_number}不处于登记生效状态，不能纳入风险补偿", field="pledge")
    if CoveredLoan.objects.filter(pledge=pledge).exists():
        raise InputError(f"质押{pledge.display_number}已纳入风险补偿", field="pledge")
    amount = _dec(principal if principal not in (None, "") else pledge.debt_amount, "贷款本金", "principal")
    return CoveredLoan.objects.create(
        fund=fund, pledge=pledge, bank=pledge.pledgee, principal=amount, covered_on=today or timezone.localdate()
    )


def compensation_for(*, fund: RiskFund, outstanding: Decimal, recovered: Decimal) -> tuple[Decimal, str]:
    """Compensation = (outstanding principal − recovered) × sharing ratio, capped per loan."""
    loss = max(outstanding - recovered, Decimal("0"))
    amount = (loss * fund.sharing_ratio).quantize(CENT, ROUND_HALF_UP)
    text = f"本金损失 = 逾期未偿本金{outstanding} − 已回收{recovered} = {loss}万元；× 分担比例{fund.sharing_ratio} = {amount}万元"
    if amount > fund.cap_per_loan:
        amount = fund.cap_per_loan
        text += f"；单笔上限{fund.cap_per_loan}万元，核定{amount}万元"
    return amount, text


@transaction.atomic
def report_default(
    *, loan: CoveredLoan, by, outstanding, recovered=0, description: str = "", reported_on: dt.date | None = None
) -> DefaultReport:
    """The bank reports a default; the compensation is computed at once."""
    if by.organization_id != loan.bank_id:
        raise PermissionDenied("只有贷款银行可以报告违约")
    outstanding = _dec(outstanding, "逾期未偿本金", "outstanding")
    recovered = _dec(recovered or 0, "已回收金额", "recovered")
    if outstanding > loan.principal:
        raise InputError(f"逾期未偿本金{outstanding}万元超过贷款本金{loan.principal}万元", field="outstanding")
    amount, text = compensation_for(fund=loan.fund, outstanding=outstanding, recovered=recovered)
    report = DefaultReport.objects.create(
        loan=loan,
        reported_on=reported_on or timezone.localdate(),
        outstanding_principal=outstanding,
        recovered=recovered,
        compensation=amount,
        computation=text,
        description=description,
        created_by=by,
    )
    notify.notify_many(
        users=reviewers(), title=f"风险补偿：{loan.bank.name}报告贷款违约", kind="finance.fund", url="/finance/fund/"
    )
    return report


@transaction.atomic
def decide_default(*, report: DefaultReport, by, approve: bool, reason: str) -> DefaultReport:
    """Approve (balance permitting) or reject the compensation."""
    if not is_reviewer(by):
        raise PermissionDenied("只有协调管理处或系统管理员可以核定补偿")
    if approve:
        available = fund_balance(report.loan.fund) - committed(report.loan.fund)
        if report.compensation > available:
            raise InputError(f"资金可用余额{available}万元不足以支付补偿{report.compensation}万元", field="action")
        _run(report, "approve", by=by, reason=reason or "核定补偿")
    else:
        if not (reason or "").strip():
            raise InputError("请填写不予补偿的理由", field="reason")
        _run(report, "reject", by=by, reason=reason)
    report.save()
    return report


@transaction.atomic
def pay_default(*, report: DefaultReport, by, paid_on: dt.date | None = None) -> DefaultReport:
    if not is_reviewer(by):
        raise PermissionDenied("无权登记拨付")
    _run(report, "pay", by=by, reason="补偿资金已拨付")
    report.paid_on = paid_on or timezone.localdate()
    report.save()
    return report


def add_contribution(*, fund: RiskFund, by, amount, source: str, date: dt.date | None = None) -> FundContribution:
    if not is_reviewer(by):
        raise PermissionDenied("无权登记注资")
    return FundContribution.objects.create(
        fund=fund, amount=_dec(amount, "金额", "amount"), source=source or "财政注资", date=date or timezone.localdate()
    )
