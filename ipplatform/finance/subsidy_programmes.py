"""质押融资贴息 and 专利保险补贴 on the programme engine (ipplatform.programmes): the two programme types as data, and
the hooks through which the engine applies finance's rules (programmes.hooks; registered in FinanceConfig.ready).

An application to one of these programmes is an engine ``Application`` (属地初审, 公示 of N working days with the
public objection page, 资助决定 within the call's budget, 集中兑付 one line per institution, 追回). Its form holds the
financed facts in 万元; the pledge it subsidises is found by its registration number among the applicant's own pledges
and recorded as ``subject_ref = "finance.pledge:<id>"``; the insurance policy as ``"finance.insurance:<保单号>"``.
The amount is computed by ``subsidies.compute_amount`` (the one amount rule) and decided in 元 (万元 × 10000).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse

from ipplatform.core.inputs import InputError
from ipplatform.programmes import defaults as programme_defaults
from ipplatform.programmes import hooks
from ipplatform.programmes.defaults import BANK_FIELDS
from ipplatform.programmes.enums import AppStatus
from ipplatform.programmes.models import Application, ProgrammeType

from . import subsidies
from .enums import SubsidyKind
from .models import Pledge

PLEDGE_INTEREST = "pledge_interest"
PATENT_INSURANCE = "patent_insurance"
KIND_OF = {PLEDGE_INTEREST: SubsidyKind.INTEREST, PATENT_INSURANCE: SubsidyKind.PREMIUM}
CODES = tuple(KIND_OF)
YUAN_PER_WAN = Decimal("10000")
# what counts against the per-enterprise yearly cap (as the engine's own cap: decided money, also if later recovered)
GRANTED = (AppStatus.APPROVED, AppStatus.PAID, AppStatus.CLAWED_BACK)


def _money(name: str, label: str, *, required: bool) -> dict:
    return {"name": name, "label": label, "type": "decimal", "required": required, "min": 0, "max": 1000000}


STAGES = [
    {"code": "city_check", "label": "属地初审", "actor": "city"},
    {"code": "notice", "label": "公示", "actor": "office", "notice": True},
    {"code": "decision", "label": "资助决定", "actor": "office"},
    {"code": "payment", "label": "集中兑付", "actor": "office"},
]
ELIGIBILITY = [
    {"rule": "org_kinds", "kinds": ["enterprise", "university", "institute"]},
    {"rule": "region", "prefix": "37"},
    {"rule": "not_dishonest"},
]

PROGRAMMES = [
    {
        "code": PLEDGE_INTEREST,
        "name": "质押融资贴息",
        "description": "对以专利权质押取得贷款的本省企业按实付利息或LPR计息给予贴息：金额按企业所在地市（否则全省）当年的"
        "补助政策规则计算（质押融资 → 补助政策规则），属地初审、公示5个工作日、在预算内决定，与其他项目一并集中兑付。",
        "form_fields": [
            {
                "name": "pledge_no",
                "label": "质押登记号（国家知识产权局登记号或平台受理号）",
                "type": "text",
                "required": True,
                "max_length": 40,
            },
            _money("loan_amount", "贷款金额（万元，空则取质押登记的债权数额）", required=False),
            {"name": "loan_start", "label": "计息起始日（空则取放款日）", "type": "date", "required": False},
            {"name": "loan_end", "label": "计息截止日（空则取还清日）", "type": "date", "required": False},
            _money("interest_paid", "实付利息（万元）", required=True),
        ]
        + BANK_FIELDS,
        "attachments": [
            {"code": "interest", "label": "银行出具的利息支付凭证", "required": False, "exts": [".pdf", ".jpg", ".png"]}
        ],
        "eligibility": ELIGIBILITY,
        "stages": STAGES,
        "decision": {"kind": "funding"},
        "notice_days": 5,
    },
    {
        "code": PATENT_INSURANCE,
        "name": "专利保险补贴",
        "description": "对投保专利保险的本省企业按实缴保费给予补贴：金额按当年的补助政策规则计算，属地初审、公示5个工作日、"
        "在预算内决定，与其他项目一并集中兑付。",
        "form_fields": [
            {"name": "insurer", "label": "保险机构", "type": "text", "required": True, "max_length": 100},
            {"name": "policy_number", "label": "保单号", "type": "text", "required": True, "max_length": 60},
            _money("premium_paid", "实缴保费（万元）", required=True),
        ]
        + BANK_FIELDS,
        "attachments": [{"code": "policy", "label": "保险单及保费发票", "required": False, "exts": [".pdf", ".jpg"]}],
        "eligibility": ELIGIBILITY,
        "stages": STAGES,
        "decision": {"kind": "funding"},
        "notice_days": 5,
    },
]


@transaction.atomic
def ensure_programme_types(*, refresh: bool = False) -> dict[str, ProgrammeType]:
    """Create the two programme types when missing (refresh=True: rewrite them from the definitions above)."""
    return programme_defaults.ensure_types(PROGRAMMES, refresh=refresh)


def subsidy_applications():
    """The engine's applications of the two finance programmes (scope them with programmes.services.applications_for
    or core.scopes.restrict)."""
    return Application.objects.filter(call__programme__code__in=CODES)


# ---------------------------------------------------------------- the case an application makes


def _wan(application: Application, name: str) -> Decimal | None:
    value = application.data.get(name)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"申报表中的“{name}”不是数字", field=name)


def _date(application: Application, name: str) -> dt.date | None:
    value = application.data.get(name)
    return dt.date.fromisoformat(value) if value else None


def pledge_of(application: Application) -> Pledge | None:
    """The applicant's own pledge named on the form (by CNIPA registration number or platform number)."""
    number = (application.data.get("pledge_no") or "").strip()
    if not number:
        return None
    return (
        Pledge.objects.filter(pledgor_id=application.organization_id)
        .filter(Q(cnipa_registration_no=number) | Q(number=number))
        .order_by("-pk")
        .first()
    )


def used_wan(application: Application) -> Decimal:
    """What the applicant has been granted this year under the same programme, other applications (万元)."""
    total = (
        Application.objects.filter(
            organization_id=application.organization_id,
            call__programme_id=application.call.programme_id,
            call__year=application.call.year,
            status__in=GRANTED,
        )
        .exclude(pk=application.pk)
        .aggregate(s=Sum("amount"))["s"]
    )
    return Decimal(total or 0) / YUAN_PER_WAN


def case_of(application: Application) -> subsidies.SubsidyCase:
    """The financed facts of an application, with the pledge's figures where the form leaves them out."""
    kind = KIND_OF[application.call.programme.code]
    org = application.organization
    case = subsidies.SubsidyCase(
        kind=kind, applicant=org, region_code=application.region_code, year=application.call.year
    )
    case.used = used_wan(application)
    if kind == SubsidyKind.INTEREST:
        pledge = pledge_of(application)
        case.pledge = pledge
        case.interest_paid = _wan(application, "interest_paid")
        case.loan_amount = _wan(application, "loan_amount") or (pledge.debt_amount if pledge else None)
        case.loan_start = _date(application, "loan_start") or (
            (pledge.disbursed_on or pledge.debt_start) if pledge else None
        )
        case.loan_end = _date(application, "loan_end") or ((pledge.repaid_on or pledge.debt_end) if pledge else None)
    else:
        case.premium_paid = _wan(application, "premium_paid")
    return case


# ---------------------------------------------------------------- the hooks


def refusals(application: Application) -> list[str]:
    """Why the application does not meet finance's rule (checked at submission and when 属地初审 passes it)."""
    if (
        application.call.programme.code == PLEDGE_INTEREST
        and application.data.get("pledge_no")
        and not pledge_of(application)
    ):
        return [f"质押登记号“{application.data['pledge_no']}”不是本单位作为出质人的质押登记"]
    case = case_of(application)
    if case.loan_start and case.loan_end and case.loan_end < case.loan_start:
        return ["计息截止日早于起始日"]
    _, _, _, reasons = subsidies.assess(case)
    return reasons


def amount(application: Application) -> tuple[Decimal, str]:
    """The amount in 元 with the computation in words (万元, as the rule states it)."""
    problems = refusals(application)
    if problems:
        raise InputError("不符合补助政策：" + "；".join(problems))
    _, wan, text, _ = subsidies.assess(case_of(application))
    yuan = (wan * YUAN_PER_WAN).quantize(Decimal("0.01"))
    return yuan, f"{text}\n折合{yuan}元"


def subject(application: Application) -> tuple[str, str] | None:
    """The record subsidised: the pledge registration or the insurance policy."""
    if application.call.programme.code == PLEDGE_INTEREST:
        pledge = pledge_of(application)
        return (f"finance.pledge:{pledge.pk}", f"质押登记{pledge.display_number}") if pledge else ("", "")
    number = (application.data.get("policy_number") or "").strip()
    if not number:
        return "", ""
    return f"finance.insurance:{number}", f"专利保险保单{number}（{application.data.get('insurer') or '保险机构未填'}）"


def link(ref: str) -> str | None:
    """The pledge page of a pledge-interest application (a policy has no page of its own)."""
    kind, _, key = ref.partition(":")
    if kind == "finance.pledge" and key.isascii() and key.isdigit():
        return reverse("finance:pledge_detail", args=[int(key)])
    return None


def register() -> None:
    """Register finance's rules for both programme types with the engine (FinanceConfig.ready)."""
    for code in CODES:
        hooks.register(code, amount=amount, refusals=refusals, subject=subject, link=link)


def applications_of_pledge(pledge: Pledge):
    """The engine's pledge-interest applications about a pledge."""
    return subsidy_applications().filter(subject_ref=f"finance.pledge:{pledge.pk}")
