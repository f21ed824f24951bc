"""Interest and insurance premium subsidies (policy rules as data), public notice, payment batches; risk compensation fund."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django_fsm import TransitionNotAllowed

from ipplatform.orgs.services import holder_check
from ipplatform.core import notify
from ipplatform.core.api import InputError
from ipplatform.core.regions import name_of
from ipplatform.core.workflow import run_transition
from ipplatform.lib.workdays import add_working_days
from ipplatform.lib.xlsx import Sheet

from .enums import DefaultState, PledgeState, RuleMode, SubsidyKind, SubsidyState
from .models import (
    CoveredLoan, DefaultReport, FundContribution, PaymentBatch, Pledge, RiskFund, SubsidyApplication, SubsidyObjection, SubsidyRule,
)
from .services import is_city_reviewer, is_enterprise_user, is_reviewer, reviewers

PROVINCE = "370000"
NOTICE_WORKING_DAYS = 5
DAY_COUNT = 360  # interest day count used by banks in China (实际天数/360)
CENT = Decimal("0.01")
COUNTED_STATES = (SubsidyState.NOTICE, SubsidyState.APPROVED, SubsidyState.PAID)


def _dec(value, label: str, field: str, *, required=True) -> Decimal | None:
    from ipplatform.core.inputs import MAX_MONEY, parse_decimal

    return parse_decimal(value, field=field, label=label, min_value=0, max_value=MAX_MONEY, places=4, required=required,
                         rounding=True)


# ---------------------------------------------------------------- rules


def select_rule(*, kind: str, region_code: str, year: int) -> SubsidyRule | None:
    """The current rule of the applicant's city for the year, else the province-wide rule."""
    city = (region_code or "")[:4] + "00" if region_code else ""
    for code in ([city] if city and city != PROVINCE else []) + [PROVINCE]:
        rule = SubsidyRule.objects.filter(kind=kind, region_code=code, year=year, is_current=True).order_by("-version").first()
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
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InputError("政策年度应为整数", field="year")
    mode = data.get("mode")
    if mode not in RuleMode.values:
        raise InputError("请选择计算方式", field="mode")
    if (kind == SubsidyKind.PREMIUM) != (mode == RuleMode.PREMIUM_SHARE):
        raise InputError("保费补助应“按实缴保费比例”计算；贴息应按利息或LPR计算", field="mode")
    share = _dec(data.get("share"), "补助比例", "share")
    if not 0 < share <= 1:
        raise InputError("补助比例应在0到1之间（如0.5表示50%）", field="share")
    lpr = _dec(data.get("lpr_rate"), "基准利率/LPR", "lpr_rate", required=mode == RuleMode.LPR_SHARE)
    cap = _dec(data.get("cap_per_enterprise"), "每家企业年度上限", "cap_per_enterprise")
    if not (data.get("name") or "").strip():
        raise InputError("请填写政策名称", field="name")
    last = SubsidyRule.objects.filter(kind=kind, region_code=region, year=year).order_by("-version").first()
    SubsidyRule.objects.filter(kind=kind, region_code=region, year=year, is_current=True).update(is_current=False)
    return SubsidyRule.objects.create(
        kind=kind, region_code=region, year=year, version=(last.version + 1) if last else 1, name=data["name"].strip(),
        basis=(data.get("basis") or "").strip(), mode=mode, share=share, lpr_rate=lpr, cap_per_enterprise=cap,
        sme_only=bool(data.get("sme_only")), first_pledge_only=bool(data.get("first_pledge_only")),
        require_repaid=bool(data.get("require_repaid")),
        require_registered_before_disbursement=bool(data.get("require_registered_before_disbursement")), created_by=by)


def rule_text(rule: SubsidyRule) -> str:
    """The rule in words."""
    region = "全省" if rule.region_code == PROVINCE else (name_of(rule.region_code) or rule.region_code)
    pct = f"{(rule.share * 100).normalize():f}%"
    if rule.mode == RuleMode.INTEREST_SHARE:
        how = f"按实付利息的{pct}补贴"
    elif rule.mode == RuleMode.LPR_SHARE:
        how = f"按贷款本金×LPR {rule.lpr_rate}%×计息天数/{DAY_COUNT}的{pct}补贴，且不超过实付利息"
    else:
        how = f"按实缴保费的{pct}补助"
    conds = [c for c, on in (("仅限小微企业", rule.sme_only), ("仅限首次质押融资", rule.first_pledge_only),
                             ("须已还本付息", rule.require_repaid), ("须放款前完成质押登记", rule.require_registered_before_disbursement)) if on]
    return f"{region}{rule.year}年{rule.name}（第{rule.version}版）：{how}；每家企业每年最高{rule.cap_per_enterprise}万元" + (
        "；" + "，".join(conds) if conds else "")


# ---------------------------------------------------------------- eligibility and amount


def eligibility(*, application: SubsidyApplication, rule: SubsidyRule) -> list[str]:
    """Reasons the application does not meet the rule (empty: eligible)."""
    from ipplatform.credit.services import eligibility_block

    reasons = []
    org = application.applicant
    pledge = application.pledge
    blocked = eligibility_block(org=org)
    if blocked:
        reasons.append(blocked)
    if rule.sme_only and not org.is_sme:
        reasons.append(f"{rule_text(rule).split('：')[0]}仅限小微企业，“{org.name}”未登记为小微企业")
    if application.kind == SubsidyKind.INTEREST:
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
            reasons.append(f"质押{pledge.display_number}尚未在国家知识产权局登记：质权自登记时设立（民法典第四百四十四条），平台审查合格不等于登记")
        if rule.first_pledge_only and pledge.cnipa_registered_on:
            earlier = (Pledge.objects.filter(pledgor=org, cnipa_registered_on__lt=pledge.cnipa_registered_on).exclude(pk=pledge.pk)
                       .order_by("cnipa_registered_on").first())
            if earlier:
                reasons.append(f"仅限首次质押融资：该企业已于{earlier.cnipa_registered_on}在国家知识产权局办理过质押登记（{earlier.display_number}）")
        if rule.require_repaid and not pledge.repaid_on:
            reasons.append("须已还本付息：该笔贷款尚未登记还清日期")
        if rule.require_registered_before_disbursement:
            if not pledge.disbursed_on:
                reasons.append("须放款前完成质押登记：未填写放款日")
            elif pledge.cnipa_registered_on and pledge.cnipa_registered_on > pledge.disbursed_on:
                reasons.append(f"须放款前完成质押登记：国家知识产权局登记日{pledge.cnipa_registered_on}晚于放款日{pledge.disbursed_on}")
    return reasons


def used_amount(*, application: SubsidyApplication, rule: SubsidyRule) -> Decimal:
    """What the enterprise has already been granted (in notice, approved or paid) under rules of the same kind and year."""
    total = (SubsidyApplication.objects.filter(applicant=application.applicant, kind=application.kind, year=rule.year, state__in=COUNTED_STATES)
             .exclude(pk=application.pk).aggregate(s=Sum("amount"))["s"])
    return Decimal(str(total or 0)).quantize(CENT, ROUND_HALF_UP)


def compute_amount(*, application: SubsidyApplication, rule: SubsidyRule) -> tuple[Decimal, str]:
    """The subsidy and the computation in words (万元, rounded to 0.01)."""
    steps = [rule_text(rule)]
    share = f"{rule.share.normalize():f}"
    if rule.mode == RuleMode.INTEREST_SHARE:
        base = application.interest_paid or Decimal("0")
        raw = base * rule.share
        steps.append(f"实付利息{base}万元 × {share} = {raw.quantize(CENT, ROUND_HALF_UP)}万元")
    elif rule.mode == RuleMode.LPR_SHARE:
        days = (application.loan_end - application.loan_start).days if application.loan_start and application.loan_end else 0
        lpr_interest = (application.loan_amount or Decimal("0")) * rule.lpr_rate / 100 * Decimal(days) / DAY_COUNT
        raw = lpr_interest * rule.share
        steps.append(f"贷款本金{application.loan_amount}万元 × LPR {rule.lpr_rate}% × {days}天/{DAY_COUNT} = {lpr_interest.quantize(CENT, ROUND_HALF_UP)}万元；"
                     f"× {share} = {raw.quantize(CENT, ROUND_HALF_UP)}万元")
        if application.interest_paid is not None and raw > application.interest_paid:
            raw = application.interest_paid
            steps.append(f"不超过实付利息，取{raw}万元")
    else:
        base = application.premium_paid or Decimal("0")
        raw = base * rule.share
        steps.append(f"实缴保费{base}万元 × {share} = {raw.quantize(CENT, ROUND_HALF_UP)}万元")
    raw = raw.quantize(CENT, ROUND_HALF_UP)
    used = used_amount(application=application, rule=rule)
    room = max(rule.cap_per_enterprise - used, Decimal("0"))
    if raw > room:
        steps.append(f"年度上限{rule.cap_per_enterprise}万元，本年已获{used}万元，剩余额度{room}万元，核定为{room}万元")
        raw = room
    steps.append(f"核定补助{raw}万元")
    return raw, "\n".join(steps)


# ---------------------------------------------------------------- applications


@transaction.atomic
def create_application(*, by, kind: str, data: dict) -> SubsidyApplication:
    """An enterprise files a subsidy application; the amount is computed with the rule in force."""
    if not is_enterprise_user(by):
        raise PermissionDenied("只有企业用户可以申请贴息或保费补助")
    if kind not in SubsidyKind.values:
        raise InputError("请选择补助类型", field="kind")
    org = by.organization
    try:
        year = int(data.get("year") or timezone.localdate().year)
    except ValueError:
        raise InputError("申报年度应为整数", field="year")
    app = SubsidyApplication(kind=kind, applicant=org, region_code=org.region_code, year=year, created_by=by,
                             bank_account=(data.get("bank_account") or "").strip())
    if not app.bank_account:
        raise InputError("请填写收款账户（开户行及账号）", field="bank_account")
    if kind == SubsidyKind.INTEREST:
        pledge = data.get("pledge")
        if pledge is None:
            raise InputError("请选择已登记的质押", field="pledge")
        app.pledge = pledge
        app.loan_amount = _dec(data.get("loan_amount") or pledge.debt_amount, "贷款金额", "loan_amount")
        app.loan_start = data.get("loan_start") or pledge.disbursed_on or pledge.debt_start
        app.loan_end = data.get("loan_end") or pledge.repaid_on or pledge.debt_end
        if not (app.loan_start and app.loan_end) or app.loan_end < app.loan_start:
            raise InputError("计息起止日期不完整或截止日早于起始日", field="loan_end")
        app.interest_paid = _dec(data.get("interest_paid"), "实付利息", "interest_paid")
    else:
        app.insurer = data.get("insurer")
        app.policy_number = (data.get("policy_number") or "").strip()
        if not app.policy_number:
            raise InputError("请填写保单号", field="policy_number")
        app.premium_paid = _dec(data.get("premium_paid"), "实缴保费", "premium_paid")
    app.save()
    return app


def recompute(application: SubsidyApplication) -> list[str]:
    """Select the rule, check eligibility and compute the amount; returns the reasons it is not eligible."""
    rule = select_rule(kind=application.kind, region_code=application.region_code, year=application.year)
    if rule is None:
        application.rule, application.amount = None, None
        application.computation = f"{application.year}年没有适用于{name_of(application.region_code[:4] + '00') or '该地区'}的{application.get_kind_display()}政策"
        return [application.computation]
    application.rule = rule
    reasons = eligibility(application=application, rule=rule)
    if reasons:
        application.amount = Decimal("0")
        application.computation = rule_text(rule) + "\n不符合条件：" + "；".join(reasons)
    else:
        application.amount, application.computation = compute_amount(application=application, rule=rule)
    return reasons


@transaction.atomic
def submit_application(*, application: SubsidyApplication, by) -> list[str]:
    """Submit for review (the computed amount and any ineligibility are shown to the reviewer)."""
    if by.organization_id != application.applicant_id:
        raise PermissionDenied("只有申请企业可以提交")
    reasons = recompute(application)
    if application.rule is None:
        raise InputError(application.computation, field="year")
    _run(application, "submit", by=by, reason="企业提交申请")
    application.save()
    notify.notify_many(users=reviewers(), title=f"{application.get_kind_display()}申请待审核（{application.applicant.name}）",
                       kind="finance.subsidy", url=f"/finance/subsidies/{application.pk}/")
    return reasons


def can_review(user, application: SubsidyApplication) -> bool:
    """Province reviewers, or the bureau of the applicant's city."""
    if is_reviewer(user):
        return True
    return is_city_reviewer(user) and application.region_code[:4] == (user.organization.region_code or "")[:4]


def _run(obj, name, *, by, reason):
    try:
        run_transition(obj, name, by=by, reason=reason)
    except TransitionNotAllowed as exc:
        raise InputError(str(exc), field="action")


@transaction.atomic
def review_application(*, application: SubsidyApplication, by, decision: str, opinion: str, today: dt.date | None = None) -> SubsidyApplication:
    """Review: pass (public notice for 5 working days), return for more material, or reject."""
    today = today or timezone.localdate()
    if not can_review(by, application):
        raise PermissionDenied("您无权审核该申请")
    if decision not in ("pass", "return", "reject"):
        raise InputError("请选择审核结论", field="decision")
    if decision != "pass" and not (opinion or "").strip():
        raise InputError("退回或不通过时请填写审核意见", field="opinion")
    reasons = recompute(application)
    if decision == "pass":
        if reasons:
            raise InputError("不符合政策条件，不能通过：" + "；".join(reasons), field="decision")
        if not application.amount:
            raise InputError("核定金额为0（已达年度上限），不能通过", field="decision")
        _run(application, "publish", by=by, reason=opinion or "审核通过，进入公示")
        application.notice_start = today
        application.notice_end = add_working_days(today, NOTICE_WORKING_DAYS)
    elif decision == "return":
        _run(application, "return_for_info", by=by, reason=opinion)
    else:
        _run(application, "reject", by=by, reason=opinion)
    application.review_opinion = opinion
    application.save()
    for user in application.applicant.users.filter(is_active=True):
        notify.notify(user=user, title=f"{application.get_kind_display()}申请：{application.get_state_display()}", kind="finance.subsidy",
                      url=f"/finance/subsidies/{application.pk}/")
    return application


@transaction.atomic
def record_objection(*, application: SubsidyApplication, by, objector: str, content: str, received_on: dt.date | None = None) -> SubsidyObjection:
    """Record an objection received during the public notice."""
    if not can_review(by, application):
        raise PermissionDenied("您无权登记异议")
    if application.state != SubsidyState.NOTICE:
        raise InputError("只有公示期内的申请可以登记异议")
    if not (objector or "").strip() or not (content or "").strip():
        raise InputError("请填写异议人和异议内容", field="content")
    return SubsidyObjection.objects.create(application=application, objector=objector.strip(), content=content.strip(),
                                           received_on=received_on or timezone.localdate(), created_by=by)


@transaction.atomic
def resolve_objection(*, objection: SubsidyObjection, by, upheld: bool, resolution: str) -> SubsidyObjection:
    """Decide an objection; an upheld objection ends the application."""
    application = objection.application
    if not can_review(by, application):
        raise PermissionDenied("您无权处理异议")
    if not (resolution or "").strip():
        raise InputError("请填写处理结果", field="resolution")
    objection.upheld, objection.resolution = bool(upheld), resolution.strip()
    objection.save()
    if upheld:
        _run(application, "uphold_objection", by=by, reason=f"异议成立：{resolution}")
        application.save()
    return objection


@transaction.atomic
def approve_application(*, application: SubsidyApplication, by, reason: str = "", today: dt.date | None = None) -> SubsidyApplication:
    """Approve once the notice period has ended with every objection resolved and none upheld."""
    today = today or timezone.localdate()
    if not is_reviewer(by):
        raise PermissionDenied("只有协调管理处或系统管理员可以批准补助")
    if application.notice_end and today <= application.notice_end:
        raise InputError(f"公示期至{application.notice_end}（5个工作日）尚未结束，不能批准", field="action")
    if application.objections.filter(upheld__isnull=True).exists():
        raise InputError("尚有未处理的公示异议", field="action")
    recompute(application)  # the cap may have been used by another approval meanwhile
    _run(application, "approve", by=by, reason=reason or "公示期满无异议，予以批准")
    application.save()
    return application


@transaction.atomic
def create_batch(*, by, title: str, applications: list[SubsidyApplication], today: dt.date | None = None) -> PaymentBatch:
    """Put approved applications not yet in a batch into a new payment batch (集中兑付)."""
    today = today or timezone.localdate()
    if not is_reviewer(by):
        raise PermissionDenied("只有协调管理处或系统管理员可以编制兑付批次")
    apps = [a for a in applications if a.state == SubsidyState.APPROVED and a.batch_id is None]
    if not apps:
        raise InputError("没有可纳入批次的已批准申请", field="applications")
    prefix = f"DF{today:%Y%m}"
    seq = PaymentBatch.objects.filter(number__startswith=prefix).count() + 1
    batch = PaymentBatch.objects.create(number=f"{prefix}-{seq:03d}", title=(title or "").strip() or f"{today:%Y年%m月}集中兑付", created_by=by)
    SubsidyApplication.objects.filter(pk__in=[a.pk for a in apps]).update(batch=batch)
    return batch


BATCH_HEADERS = ["序号", "申请编号", "补助类型", "企业名称", "统一社会信用代码", "所在地市", "收款账户", "适用政策", "核定金额（万元）"]


def batch_sheet(batch: PaymentBatch, *, user=None) -> Sheet:
    """The payment list of a batch; with `user`, only the applications inside the user's data scope."""
    from ipplatform.core.scopes import restrict

    applications = batch.applications.select_related("applicant", "rule").order_by("pk")
    if user is not None:
        applications = restrict(applications, user)
    rows, total = [], Decimal("0")
    for n, a in enumerate(applications, start=1):
        rows.append([n, a.pk, a.get_kind_display(), a.applicant.name, a.applicant.uscc, name_of(a.region_code[:4] + "00"), a.bank_account,
                     str(a.rule) if a.rule else "", a.amount])
        total += a.amount or 0
    rows.append(["合计", "", "", "", "", "", "", "", total])
    return Sheet(f"兑付批次{batch.number}", BATCH_HEADERS, rows, notes=[f"{batch.title}（{batch.number}），共{len(rows) - 1}笔，合计{total}万元"])


@transaction.atomic
def export_batch(*, batch: PaymentBatch, by) -> PaymentBatch:
    """Send the batch to the finance office (the Excel list is the attachment)."""
    if not is_reviewer(by):
        raise PermissionDenied("无权报送兑付批次")
    _run(batch, "export", by=by, reason="报送财务处兑付")
    batch.save()
    return batch


@transaction.atomic
def pay_batch(*, batch: PaymentBatch, by, paid_on: dt.date | None = None) -> PaymentBatch:
    """Record the batch as paid: every application in it becomes paid."""
    if not is_reviewer(by):
        raise PermissionDenied("无权登记兑付")
    _run(batch, "mark_paid", by=by, reason="财务处已兑付")
    batch.paid_on = paid_on or timezone.localdate()
    batch.save()
    for a in batch.applications.all():
        _run(a, "pay", by=by, reason=f"随批次{batch.number}兑付")
        a.save()
        for user in a.applicant.users.filter(is_active=True):
            notify.notify(user=user, title=f"{a.get_kind_display()}{a.amount}万元已兑付", kind="finance.subsidy", url=f"/finance/subsidies/{a.pk}/")
    return batch


# ---------------------------------------------------------------- risk compensation fund


def fund_balance(fund: RiskFund) -> Decimal:
    """Contributions less compensation paid."""
    paid_in = fund.contributions.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    paid_out = DefaultReport.objects.filter(loan__fund=fund, state=DefaultState.PAID).aggregate(s=Sum("compensation"))["s"] or Decimal("0")
    return Decimal(str(paid_in - paid_out)).quantize(CENT)


def committed(fund: RiskFund) -> Decimal:
    """Compensation approved but not yet paid."""
    total = DefaultReport.objects.filter(loan__fund=fund, state=DefaultState.APPROVED).aggregate(s=Sum("compensation"))["s"]
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
    return CoveredLoan.objects.create(fund=fund, pledge=pledge, bank=pledge.pledgee, principal=amount, covered_on=today or timezone.localdate())


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
def report_default(*, loan: CoveredLoan, by, outstanding, recovered=0, description: str = "", reported_on: dt.date | None = None) -> DefaultReport:
    """The bank reports a default; the compensation is computed at once."""
    if by.organization_id != loan.bank_id:
        raise PermissionDenied("只有贷款银行可以报告违约")
    outstanding = _dec(outstanding, "逾期未偿本金", "outstanding")
    recovered = _dec(recovered or 0, "已回收金额", "recovered")
    if outstanding > loan.principal:
        raise InputError(f"逾期未偿本金{outstanding}万元超过贷款本金{loan.principal}万元", field="outstanding")
    amount, text = compensation_for(fund=loan.fund, outstanding=outstanding, recovered=recovered)
    report = DefaultReport.objects.create(loan=loan, reported_on=reported_on or timezone.localdate(), outstanding_principal=outstanding,
                                          recovered=recovered, compensation=amount, computation=text, description=description, created_by=by)
    notify.notify_many(users=reviewers(), title=f"风险补偿：{loan.bank.name}报告贷款违约", kind="finance.fund", url="/finance/fund/")
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
    return FundContribution.objects.create(fund=fund, amount=_dec(amount, "金额", "amount"), source=source or "财政注资", date=date or timezone.localdate())
