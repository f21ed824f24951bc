"""Agency registry, figures from the patent records, continuing education and the credit rating; alliances and key
protected units, and the priority they give to complaints."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from ipplatform.core.enums import PROVINCE_ROLES, STAFF_ROLES, OrgKind, Role
from ipplatform.core.inputs import InputError
from ipplatform.core.models import IPCEntry, Organization
from ipplatform.core.scopes import restrict
from ipplatform.core.workflow import run_transition
from ipplatform.lib.textnorm import fold
from ipplatform.patents.enums import PatentType

from . import defaults
from .enums import NEGATIVE_INCIDENTS, AllianceState, Comparator, IncidentKind, MemberRole, Metric, UnitState
from .models import (
    Agency,
    AgencyBranch,
    AgencyIncident,
    AgencyRating,
    Agent,
    Alliance,
    AllianceAgreement,
    AllianceMember,
    KeyProtectedUnit,
    RatingGrade,
    RatingRule,
    TrainingRecord,
)

TWO = Decimal("0.01")
GRANT_MATURITY_YEARS = 3  # inventions filed at least this many years ago count for the grant rate


def today() -> dt.date:
    return timezone.localdate()


def is_registry_manager(user) -> bool:
    """Province staff (and the admin) maintain agencies, alliances and key protected units."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in PROVINCE_ROLES))


def can_see_registry(user) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES or user.role == Role.AGENCY_USER)
    )


def require_manager(user):
    if not is_registry_manager(user):
        raise PermissionDenied("只有省局工作人员可以维护该名录")


# ---------------------------------------------------------------- registry


def agencies_for(user):
    """Agencies the user may see: province all, a city bureau those in its city, an agency itself."""
    if not can_see_registry(user):
        return Agency.objects.none()
    return restrict(Agency.objects.select_related("organization"), user)


@transaction.atomic
def register_agency(
    *,
    by,
    organization: Organization,
    licence_no: str,
    agency_code: str = "",
    patent_names: str = "",
    established_on=None,
    head: str = "",
) -> Agency:
    """Put a patent agency (an organisation of kind agency) into the registry."""
    require_manager(by)
    if organization is None or organization.kind != OrgKind.AGENCY:
        raise InputError("请选择类型为“专利代理机构”的机构", field="organization")
    licence_no = (licence_no or "").strip()
    if not licence_no or len(licence_no) > 40:
        raise InputError("请填写执业许可证号（不超过40字符）", field="licence_no")
    if Agency.objects.filter(licence_no=licence_no).exclude(organization=organization).exists():
        raise InputError(f"执业许可证号{licence_no}已被其他机构使用", field="licence_no")
    code = (agency_code or "").strip()
    if code and not (code.isascii() and code.isdigit() and 4 <= len(code) <= 10):
        raise InputError("代理机构代码应为4—10位数字", field="agency_code")
    agency, _ = Agency.objects.update_or_create(
        organization=organization,
        defaults={
            "licence_no": licence_no,
            "agency_code": code,
            "patent_names": (patent_names or "").strip()[:400],
            "established_on": established_on,
            "head": (head or "").strip()[:60],
        },
    )
    return agency


def add_branch(
    *, by, agency: Agency, name: str, region_code: str, address: str = "", head: str = "", filed_on=None
) -> AgencyBranch:
    require_manager(by)
    if not (name or "").strip():
        raise InputError("请填写分支机构名称", field="name")
    if not (len(region_code or "") == 6 and region_code.isascii() and region_code.isdigit()):
        raise InputError("所在地应为6位区划代码", field="region_code")
    return AgencyBranch.objects.create(
        agency=agency,
        name=name.strip()[:200],
        region_code=region_code,
        address=(address or "").strip()[:300],
        head=(head or "").strip()[:60],
        filed_on=filed_on,
    )


def add_agent(*, by, agency: Agency, name: str, qualification_no: str, practice_no: str = "", branch=None) -> Agent:
    """Record an agent of the agency (province staff, or the agency's own user)."""
    if not (is_registry_manager(by) or by.organization_id == agency.organization_id):
        raise PermissionDenied("只有省局工作人员或本机构可以登记代理师")
    if not (name or "").strip():
        raise InputError("请填写代理师姓名", field="name")
    q = (qualification_no or "").strip()
    if not q or len(q) > 40:
        raise InputError("请填写专利代理师资格证号（不超过40字符）", field="qualification_no")
    if Agent.objects.filter(qualification_no=q).exists():
        raise InputError(f"资格证号{q}已登记", field="qualification_no")
    return Agent.objects.create(
        agency=agency,
        name=name.strip()[:60],
        qualification_no=q,
        practice_no=(practice_no or "").strip()[:40],
        branch=branch,
    )


def add_training(
    *, by, agent: Agent, course: str, on: dt.date, hours, provider: str = "", certificate_no: str = ""
) -> TrainingRecord:
    """Record continuing-education hours of an agent."""
    if not (is_registry_manager(by) or by.organization_id == agent.agency.organization_id):
        raise PermissionDenied("只有省局工作人员或本机构可以登记继续教育")
    if not (course or "").strip():
        raise InputError("请填写课程或培训名称", field="course")
    try:
        h = Decimal(str(hours))
    except Exception:
        raise InputError(f"学时“{hours}”不是数字", field="hours")
    if not Decimal("0") < h <= Decimal("200"):
        raise InputError("学时应大于0且不超过200", field="hours")
    if on is None or on > today():
        raise InputError("培训日期不能为空或晚于今天", field="on")
    return TrainingRecord.objects.create(
        agent=agent,
        course=course.strip()[:200],
        on=on,
        hours=h,
        provider=(provider or "").strip()[:200],
        certificate_no=(certificate_no or "").strip()[:60],
        recorded_by=by,
    )


def training_hours(*, agency: Agency, year: int) -> list[dict]:
    """Each active agent's continuing-education hours in `year` against the required hours (rule parameter)."""
    required = required_training_hours()
    sums = dict(
        TrainingRecord.objects.filter(agent__agency=agency, on__year=year)
        .values("agent")
        .annotate(h=Sum("hours"))
        .values_list("agent", "h")
    )
    out = []
    for a in agency.agents.filter(is_active=True).order_by("name"):
        h = sums.get(a.pk) or Decimal("0")
        out.append({"agent": a, "hours": h, "required": required, "met": h >= required})
    return out


# ---------------------------------------------------------------- figures from the patent records


def agency_patents(agency: Agency):
    """Patent records whose agency field names this agency (name or former names, or its agency code)."""
    from ipplatform.patents.models import Patent

    q = Q(agency__in=agency.names())
    if agency.agency_code:
        q |= Q(agency_code=agency.agency_code)
    return Patent.objects.filter(q)


def figures(*, agency: Agency, on: dt.date | None = None) -> dict:
    """Volume per application year and type, invention grant rate and top IPC subclasses, with what they are computed from."""
    on = on or today()
    qs = agency_patents(agency)
    total = qs.count()
    by_year = {}
    for row in (
        qs.exclude(application_date__isnull=True)
        .annotate(y=ExtractYear("application_date"))
        .values("y", "patent_type")
        .annotate(n=Count("id"))
    ):
        by_year.setdefault(row["y"], Counter())[row["patent_type"]] += row["n"]
    years = [
        {
            "year": y,
            "invention": c[PatentType.INVENTION],
            "utility": c[PatentType.UTILITY],
            "design": c[PatentType.DESIGN],
            "total": sum(c.values()),
        }
        for y, c in sorted(by_year.items())
    ]
    cutoff = (
        on.replace(year=on.year - GRANT_MATURITY_YEARS)
        if not (on.month == 2 and on.day == 29)
        else dt.date(on.year - GRANT_MATURITY_YEARS, 2, 28)
    )
    mature = qs.filter(patent_type=PatentType.INVENTION, application_date__lte=cutoff)
    mature_n = mature.count()
    granted = mature.filter(grant_date__isnull=False).count()
    rate = (Decimal(granted * 100) / mature_n).quantize(TWO, ROUND_HALF_UP) if mature_n else None
    subclasses = Counter()
    for ipc in qs.exclude(ipc_main="").values_list("ipc_main", flat=True).iterator():
        subclasses[ipc[:4]] += 1
    titles = dict(
        IPCEntry.objects.filter(code__in=[c for c, _ in subclasses.most_common(10)]).values_list("code", "title_zh")
    )
    fields = [{"code": c, "title": titles.get(c, ""), "count": n} for c, n in subclasses.most_common(10)]
    synthetic = qs.filter(is_synthetic=True).count()
    return {
        "total": total,
        "years": years,
        "grant_rate": rate,
        "mature": mature_n,
        "granted": granted,
        "cutoff": cutoff,
        "fields": fields,
        "synthetic": synthetic,
        "source": (
            f"计算自平台专利著录项目中“专利代理机构”字段等于{'、'.join(agency.names())}"
            + (f"或代理机构代码为{agency.agency_code}" if agency.agency_code else "")
            + f"的{total}件记录"
            + (f"（其中模拟数据{synthetic}件）" if synthetic else "")
            + f"；授权率 = 申请日不晚于{cutoff}的发明专利中已有授权日的件数 ÷ 该类申请件数（{granted}/{mature_n}），较新的申请多数仍在审中，不计入"
        ),
    }


# ---------------------------------------------------------------- credit rating


def ensure_rules() -> None:
    """Seed the default rules and grades when the tables are empty (edited as data afterwards)."""
    if not RatingRule.objects.exists():
        for code, name, metric, comp, threshold, param, points, cap, kind, basis in defaults.RULES:
            RatingRule.objects.create(
                code=code,
                name=name,
                metric=metric,
                comparator=comp,
                threshold=threshold,
                param=param,
                points=points,
                cap=cap,
                incident_kind=kind,
                basis=basis,
            )
    if not RatingGrade.objects.exists():
        for grade, min_score, meaning in defaults.GRADES:
            RatingGrade.objects.create(grade=grade, min_score=min_score, meaning=meaning)


def required_training_hours() -> Decimal:
    ensure_rules()
    rule = RatingRule.objects.filter(metric=Metric.TRAINING_SHORTFALL, is_active=True).first()
    return rule.param if rule and rule.param is not None else Decimal("40")


def _metric(agency: Agency, rule: RatingRule, year: int, on: dt.date, cache: dict):
    if rule.metric == Metric.GRANT_RATE:
        if "fig" not in cache:
            cache["fig"] = figures(agency=agency, on=on)
        return cache["fig"]["grant_rate"]
    if rule.metric == Metric.TRAINING_SHORTFALL:
        rows = training_hours(agency=agency, year=year)
        if not rows:
            return None
        short = sum(1 for r in rows if r["hours"] < (rule.param if rule.param is not None else r["required"]))
        return (Decimal(short * 100) / len(rows)).quantize(TWO, ROUND_HALF_UP)
    if rule.metric == Metric.AGENTS:
        return Decimal(agency.agents.filter(is_active=True).count())
    since = dt.date(on.year - 3, on.month, 28 if on.month == 2 and on.day == 29 else on.day)
    kinds = (
        [rule.incident_kind]
        if rule.incident_kind
        else (NEGATIVE_INCIDENTS if rule.metric == Metric.INCIDENTS else [IncidentKind.HONOUR])
    )
    return Decimal(agency.incidents.filter(kind__in=kinds, on__gt=since, on__lte=on).count())


def rate(
    *, agency: Agency, year: int | None = None, on: dt.date | None = None, by=None, save: bool = True
) -> AgencyRating:
    """Score the agency on the active rules (base 100, clamped to 0..100) and grade it; each rule's effect is kept."""
    ensure_rules()
    on = on or today()
    year = year or on.year
    score, details, cache = Decimal("100"), [], {}
    for rule in RatingRule.objects.filter(is_active=True).order_by("code"):
        value = _metric(agency, rule, year, on, cache)
        effect = Decimal("0")
        if value is not None:
            if rule.comparator == Comparator.LT and value < rule.threshold:
                effect = rule.points
            elif rule.comparator == Comparator.GTE and value >= rule.threshold:
                effect = rule.points
            elif rule.comparator == Comparator.PER and value > rule.threshold:
                effect = rule.points * (value - rule.threshold)
            if rule.cap is not None and abs(effect) > rule.cap:
                effect = rule.cap if effect > 0 else -rule.cap
        effect = effect.quantize(TWO, ROUND_HALF_UP)
        score += effect
        details.append(
            {
                "rule": rule.code,
                "name": rule.name,
                "metric": rule.get_metric_display(),
                "value": None if value is None else str(value),
                "points": str(effect),
                "basis": rule.basis,
                "note": "无可计算的数据，不计分" if value is None else "",
            }
        )
    score = max(Decimal("0"), min(Decimal("100"), score)).quantize(TWO, ROUND_HALF_UP)
    grade = next((g.grade for g in RatingGrade.objects.order_by("-min_score") if score >= g.min_score), "D")
    rating = AgencyRating(agency=agency, year=year, score=score, grade=grade, details=details, computed_by=by)
    if save:
        rating.save()
    return rating


def record_incident(
    *,
    by,
    agency: Agency,
    kind: str,
    on: dt.date,
    description: str,
    document_no: str = "",
    evidence_url: str = "",
    is_demo: bool = False,
) -> AgencyIncident:
    require_manager(by)
    if kind not in IncidentKind.values:
        raise InputError("请选择记录类别", field="kind")
    if not (description or "").strip():
        raise InputError("请填写记录内容", field="description")
    if on is None or on > today():
        raise InputError("日期不能为空或晚于今天", field="on")
    return AgencyIncident.objects.create(
        agency=agency,
        kind=kind,
        on=on,
        description=description.strip()[:500],
        document_no=(document_no or "").strip()[:100],
        evidence_url=(evidence_url or "").strip()[:300],
        is_demo=is_demo,
        recorded_by=by,
    )


# ---------------------------------------------------------------- alliances


def alliances_for(user):
    if not user.is_authenticated:
        return Alliance.objects.none()
    return restrict(Alliance.objects.select_related("lead"), user)


@transaction.atomic
def create_alliance(
    *,
    by,
    name: str,
    field: str,
    region_code: str,
    lead: Organization,
    established_on=None,
    shared_resources: str = "",
    description: str = "",
    industry: str = "",
) -> Alliance:
    """Register an alliance; its lead body becomes its first member."""
    from ipplatform.experts import industries

    require_manager(by)
    if not (name or "").strip():
        raise InputError("请填写联盟名称", field="name")
    if Alliance.objects.filter(name=name.strip()).exists():
        raise InputError(f"联盟“{name.strip()}”已登记", field="name")
    if not (field or "").strip():
        raise InputError("请填写产业领域", field="field")
    if not (len(region_code or "") == 6 and region_code.isascii() and region_code.isdigit()):
        raise InputError("所在地应为6位区划代码", field="region_code")
    if lead is None:
        raise InputError("请选择牵头单位", field="lead")
    if industry and not industries.parse(industry):
        raise InputError(f"国民经济行业门类“{industry}”不存在", field="industry")
    a = Alliance.objects.create(
        name=name.strip()[:200],
        field=field.strip()[:100],
        region_code=region_code,
        lead=lead,
        established_on=established_on,
        shared_resources=(shared_resources or "").strip(),
        description=(description or "").strip(),
        industry=industries.parse(industry) if industry else "",
        created_by=by,
    )
    AllianceMember.objects.create(
        alliance=a, organization=lead, role=MemberRole.LEAD, joined_on=established_on or today()
    )
    return a


def can_manage_alliance(user, alliance: Alliance) -> bool:
    """Province registry staff and the alliance's lead body manage its members and agreements."""
    return is_registry_manager(user) or (user.organization_id is not None and user.organization_id == alliance.lead_id)


def can_remove_member(user, member: AllianceMember) -> bool:
    """A current member other than the lead body can be taken out by those who manage the alliance."""
    return member.left_on is None and member.role != MemberRole.LEAD and can_manage_alliance(user, member.alliance)


def add_member(
    *, by, alliance: Alliance, organization: Organization, role: str = MemberRole.MEMBER, joined_on=None
) -> AllianceMember:
    if not can_manage_alliance(by, alliance):
        raise PermissionDenied("只有省局工作人员或联盟牵头单位可以登记成员")
    if alliance.state != AllianceState.ACTIVE:
        raise InputError("联盟已解散，不能再加入成员", field="organization")
    if organization is None:
        raise InputError("请选择成员单位", field="organization")
    if role not in MemberRole.values:
        raise InputError("请选择成员角色", field="role")
    if alliance.members.filter(organization=organization, left_on__isnull=True).exists():
        raise InputError(f"“{organization.name}”已是联盟成员", field="organization")
    return AllianceMember.objects.create(
        alliance=alliance, organization=organization, role=role, joined_on=joined_on or today()
    )


def remove_member(*, by, member: AllianceMember, reason: str, on=None) -> AllianceMember:
    if not can_manage_alliance(by, member.alliance):
        raise PermissionDenied("只有省局工作人员或联盟牵头单位可以办理退出")
    if member.role == MemberRole.LEAD:
        raise InputError("牵头单位不能退出；请先变更牵头单位或解散联盟", field="member")
    if not (reason or "").strip():
        raise InputError("请填写退出原因", field="reason")
    member.left_on, member.left_reason = on or today(), reason.strip()[:200]
    member.save()
    return member


def add_agreement(
    *, by, alliance: Alliance, title: str, signed_on, parties: str = "", summary: str = ""
) -> AllianceAgreement:
    if not can_manage_alliance(by, alliance):
        raise PermissionDenied("只有省局工作人员或联盟牵头单位可以登记协议")
    if not (title or "").strip() or signed_on is None:
        raise InputError("请填写协议名称和签署日期", field="title")
    return AllianceAgreement.objects.create(
        alliance=alliance,
        title=title.strip()[:200],
        signed_on=signed_on,
        parties=(parties or "").strip()[:500],
        summary=(summary or "").strip(),
    )


def change_alliance_state(*, by, alliance: Alliance, name: str, reason: str) -> Alliance:
    require_manager(by)
    if not (reason or "").strip():
        raise InputError("请填写理由", field="reason")
    with transaction.atomic():
        run_transition(alliance, name, by=by, reason=reason.strip())
        alliance.save()
    return alliance


# ---------------------------------------------------------------- key protected units


def units_for(user):
    if not user.is_authenticated:
        return KeyProtectedUnit.objects.none()
    return restrict(KeyProtectedUnit.objects.select_related("organization"), user)


def designate(
    *,
    by,
    organization: Organization,
    batch: str,
    basis: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    document_no: str = "",
    is_demo: bool = False,
) -> KeyProtectedUnit:
    """Designate a key protected unit for a period (default three years) on a stated basis."""
    require_manager(by)
    if organization is None:
        raise InputError("请选择单位", field="organization")
    if not (batch or "").strip():
        raise InputError("请填写批次", field="batch")
    if not (basis or "").strip():
        raise InputError("请填写认定依据", field="basis")
    if valid_from is None:
        raise InputError("请填写有效期起", field="valid_from")
    if valid_to is None:
        y = valid_from.year + defaults.KEY_UNIT_TERM_YEARS
        valid_to = (
            dt.date(y, 2, 28) if valid_from.month == 2 and valid_from.day == 29 else valid_from.replace(year=y)
        ) - dt.timedelta(days=1)
    if valid_to < valid_from:
        raise InputError("有效期止早于有效期起", field="valid_to")
    overlap = KeyProtectedUnit.objects.filter(
        organization=organization, state=UnitState.DESIGNATED, valid_to__gte=valid_from, valid_from__lte=valid_to
    )
    if overlap.exists():
        raise InputError(
            f"“{organization.name}”在该期间已是重点保护单位（{overlap.first().batch}）", field="organization"
        )
    return KeyProtectedUnit.objects.create(
        organization=organization,
        batch=batch.strip()[:100],
        basis=basis.strip()[:500],
        valid_from=valid_from,
        valid_to=valid_to,
        document_no=(document_no or "").strip()[:100],
        is_demo=is_demo,
        designated_by=by,
    )


def revoke_unit(*, by, unit: KeyProtectedUnit, reason: str) -> KeyProtectedUnit:
    require_manager(by)
    if not (reason or "").strip():
        raise InputError("请填写撤销理由", field="reason")
    with transaction.atomic():
        run_transition(unit, "revoke", by=by, reason=reason.strip())
        unit.save()
    return unit


def _orgs_named(name: str):
    key = fold(name or "")
    if not key:
        return []
    return [o for o in Organization.objects.filter(name__icontains=(name or "").strip()[:60]) if fold(o.name) == key]


def protection_priority(*, org: Organization | None = None, name: str = "", on: dt.date | None = None) -> list[str]:
    """Why a complaint by `org` (or an organisation named exactly `name`) is handled first: key-unit designations in
    force and active alliance memberships, in words; empty when none."""
    on = on or today()
    orgs = [org] if org is not None else _orgs_named(name)
    out = []
    for o in orgs:
        for u in KeyProtectedUnit.objects.filter(
            organization=o, state=UnitState.DESIGNATED, valid_from__lte=on, valid_to__gte=on
        ):
            out.append(f"知识产权重点保护单位（{u.batch}，有效期{u.valid_from}至{u.valid_to}）")
        for m in (
            AllianceMember.objects.filter(organization=o, joined_on__lte=on, alliance__state=AllianceState.ACTIVE)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
            .select_related("alliance")
        ):
            out.append(f"{m.alliance.name}{m.get_role_display()}")
    return out
