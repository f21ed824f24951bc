"""Eligibility rules as data (ProgrammeType.eligibility): each rule gives a result with a Chinese reason, so an
applicant sees why a call is not open to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ipplatform.core.enums import OrgKind, SizeClass
from ipplatform.core.models import Organization
from ipplatform.patents.enums import PatentType
from ipplatform.patents.legalstate import grant_date_of


@dataclass(frozen=True)
class Result:
    rule: str
    ok: bool
    reason: str

    @property
    def label(self) -> str:
        return LABELS.get(self.rule, self.rule)


def _labels(choices, values) -> str:
    return "、".join(str(choices(v).label) for v in values)


def _org_kinds(rule, org, on, programme):
    kinds = rule.get("kinds", [])
    ok = org.kind in kinds
    return ok, f"申报单位类型为{org.get_kind_display()}" + ("" if ok else f"，本项目仅限{_labels(OrgKind, kinds)}申报")


def _region(rule, org, on, programme):
    prefix = rule.get("prefix", "37")
    ok = bool(org.region_code) and org.region_code.startswith(prefix)
    return ok, ("注册地在本省" if ok else f"注册地（{org.region_code or '未登记'}）不在本项目受理范围内")


def _size(rule, org, on, programme):
    classes = rule.get("classes", [])
    ok = org.size_class in classes or (rule.get("or_sme") and org.is_sme)
    size = org.get_size_class_display() if org.size_class else ("小微企业" if org.is_sme else "未登记")
    return ok, f"企业规模：{size}" + ("" if ok else f"，本项目仅限{_labels(SizeClass, classes)}企业")


def _not_dishonest(rule, org, on, programme):
    from ipplatform.credit.services import eligibility_block

    block = eligibility_block(org=org, on=on)
    return not block, block or "未列入严重失信主体名单"


def held_patents(*, org, on: dt.date, types: list[str], granted: bool = True) -> list:
    """The organisation's verified portfolio (orgs.services.portfolio_patents) of these types; granted=True: granted
    on or before `on` and in force on it."""
    from ipplatform.orgs.services import portfolio_patents

    held = [p for p in portfolio_patents(org, on=on) if p.patent_type in types]
    if granted:
        held = [p for p in held if (g := grant_date_of(patent=p)) and g <= on and p.valid_at(on)]
    return held


def _patents_held(rule, org, on, programme):

    types = rule.get("types") or list(PatentType.values)
    minimum = int(rule.get("min", 1))
    held = held_patents(org=org, on=on, types=types, granted=rule.get("granted", True))
    what = _labels(PatentType, types) + ("有效专利" if rule.get("granted", True) else "专利申请")
    ok = len(held) >= minimum
    return ok, f"经核验的本单位{what}{len(held)}件" + (
        "" if ok else f"，须至少{minimum}件（以已核验的申请人名称认领为准）"
    )


def _no_recent_award(rule, org, on, programme):
    from .enums import AppStatus
    from .models import Application

    years = int(rule.get("years", 3))
    code = rule.get("programme") or programme.code
    prior = (
        Application.objects.filter(
            organization=org,
            call__programme__code=code,
            call__year__gte=on.year - years,
            status__in=[AppStatus.APPROVED, AppStatus.PAID],
        )
        .select_related("call")
        .order_by("-call__year")
        .first()
    )
    if prior is None:
        return True, f"近{years}年未获本项目支持"
    return False, f"已于{prior.call.year}年获“{prior.call.title}”支持，{years}年内不得重复申报"


def _status_held(rule, org, on, programme, application=None):
    from .models import OrgStatus

    labels = rule.get("labels", [])
    held = (
        OrgStatus.objects.filter(organization=org, label__in=labels, revoked=False, valid_until__gte=on)
        .order_by("-valid_until")
        .first()
    )
    if held:
        return True, f"持有“{held.label}”称号（有效期至{held.valid_until}）"
    return False, f"须持有{'或'.join(f'“{x}”' for x in labels)}称号（有效期内、未撤销）"


def _certified(rule, org, on, programme, application=None):
    """A management-system certificate issued by a certification body: its number, body and dates on the form and
    the certificate itself attached; checked against the application (before one exists, the requirement is told)."""
    standard = rule.get("standard", "GB/T 29490")
    years = int(rule.get("issued_within_years", 3))
    if application is None:
        return (
            True,
            f"须持有认证机构颁发的{standard}认证证书（{years}年内颁发且在有效期内），提交申报时核验证书信息和附件",
        )
    data = application.data
    if not data.get("cert_no") or not data.get("cert_body"):
        return False, f"未填写{standard}认证证书编号和认证机构"
    try:
        issued = dt.date.fromisoformat(str(data.get("cert_issued")))
        until = dt.date.fromisoformat(str(data.get("cert_valid_until")))
    except ValueError:
        return False, "未填写认证证书的颁发日期和有效期"
    if issued > on:
        return False, f"认证证书颁发日期{issued}晚于今天"
    if until < on:
        return False, f"认证证书已于{until}过期"
    if issued < on.replace(year=on.year - years):
        return False, f"认证证书颁发于{issued}，本项目只资助{years}年内取得的认证"
    if not application.files.filter(code="certificate").exists():
        return False, "未上传认证证书"
    return True, f"持有{data['cert_body']}颁发的{standard}认证证书（{data['cert_no']}，有效期至{until}）"


LABELS = {
    "account": "账号",
    "org_kinds": "申报单位类型",
    "region": "注册地",
    "size": "企业规模",
    "not_dishonest": "信用状况",
    "patents_held": "持有专利",
    "no_recent_award": "既往获奖",
    "status_held": "已获称号",
    "certified": "管理体系认证",
}
RULES = {
    "org_kinds": _org_kinds,
    "region": _region,
    "size": _size,
    "not_dishonest": _not_dishonest,
    "patents_held": _patents_held,
    "no_recent_award": _no_recent_award,
    "status_held": _status_held,
    "certified": _certified,
}
NEEDS_APPLICATION = {"certified"}  # rules that read the application's own form and files


def evaluate(*, programme, org: Organization | None, on: dt.date, application=None) -> list[Result]:
    """Every eligibility rule of the programme applied to `org` on `on`, with its reason (rules that read the
    application's form and files check it when `application` is given, e.g. at submission)."""
    if org is None:
        return [Result("account", False, "账号未关联单位，不能申报")]
    out = []
    for rule in programme.eligibility:
        check = RULES.get(rule.get("rule"))
        if check is None:
            out.append(Result(rule.get("rule", "?"), False, f"未知的申报条件“{rule.get('rule')}”，请联系省局"))
            continue
        if rule["rule"] in NEEDS_APPLICATION:
            ok, reason = check(rule, org, on, programme, application=application)
        else:
            ok, reason = check(rule, org, on, programme)
        out.append(Result(rule["rule"], ok, reason))
    return out


def refusals(*, programme, org: Organization | None, on: dt.date, application=None) -> list[str]:
    """The reasons `org` may not apply (empty: eligible)."""
    return [r.reason for r in evaluate(programme=programme, org=org, on=on, application=application) if not r.ok]
