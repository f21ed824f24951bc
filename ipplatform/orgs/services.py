"""Organisations registry: reference tables, USCC and duplicates, self-registration, applicant-name claims and the one
ownership check every service reads (holder_check)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipplatform.core import audit, notify, regions
from ipplatform.core.enums import AuditAction, OrgKind, Role, SizeClass
from ipplatform.core.inputs import InputError, parse_date
from ipplatform.core.models import Organization, User
from ipplatform.core.scopes import is_admin_or_department
from ipplatform.core.workflow import run_transition
from ipplatform.lib import uscc as uscc_lib
from ipplatform.lib.textnorm import fold, normalize_name
from ipplatform.patents.enums import LegalEventCode
from ipplatform.patents.models import Applicant, LegalEvent, Patent

from .enums import ClaimKind, ClaimState, EvidenceKind, RegistrationState
from .models import ApplicantClaim, ClaimEvidence, FormerName, Registration

DATA = Path(settings.REFERENCE_DATA_DIR) / "orgs"

# Bodies that the registry holds (kinds a user may self-register or the office may import).
REGISTRY_KINDS = [
    OrgKind.ENTERPRISE,
    OrgKind.UNIVERSITY,
    OrgKind.INSTITUTE,
    OrgKind.AGENCY,
    OrgKind.BANK,
    OrgKind.INSURER,
    OrgKind.GUARANTOR,
    OrgKind.VALUER,
    OrgKind.CERTIFIER,
    OrgKind.ASSOCIATION,
]
# The role a self-registered body's first user gets.
KIND_ROLE = {
    OrgKind.ENTERPRISE: Role.ENTERPRISE_USER,
    OrgKind.UNIVERSITY: Role.UNIVERSITY_USER,
    OrgKind.INSTITUTE: Role.UNIVERSITY_USER,
    OrgKind.AGENCY: Role.AGENCY_USER,
    OrgKind.BANK: Role.FINANCE_USER,
    OrgKind.INSURER: Role.FINANCE_USER,
    OrgKind.GUARANTOR: Role.FINANCE_USER,
    OrgKind.VALUER: Role.FINANCE_USER,
}
REVIEW_DEPARTMENTS = ("企业办", "协调管理处")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".ofd")

HOLDER_RULE = (
    "权属以专利登记簿为准：著录的申请（专利权）人，及其后经国家知识产权局登记的权利转移（专利法第十条：转让自登记之日起生效）；"
    "机构须认领该名称（现用名或曾用名）并经省局或所在市局核验，未核验或与机构名称、曾用名不符的认领不计入。"
)


def today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- reference data


@lru_cache(maxsize=1)
def industries() -> list[tuple[str, str, str]]:
    """GB/T 4754-2017 sections and divisions as (code, name, parent section)."""
    with open(DATA / "industry_gbt4754_2017.csv", encoding="utf-8") as fh:
        return [(r["code"], r["name"], r["parent"]) for r in csv.DictReader(fh)]


def industry_name(code: str) -> str:
    return next((f"{c} {n}" for c, n, _ in industries() if c == code), "")


def industry_section(code: str) -> str:
    """The section letter of a section or division code ('' when unknown)."""
    for c, _, parent in industries():
        if c == code:
            return parent or c
    return ""


@lru_cache(maxsize=1)
def size_criteria() -> list[dict]:
    """Rows of the 2017 size classification table (data/orgs/size_criteria.csv)."""
    with open(DATA / "size_criteria.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["codes"] = r["industry_codes"].split(";")
        for k in ("large_min", "medium_min", "small_min"):
            r[k] = float(r[k])
    return rows


INDICATOR_LABELS = {"employees": "从业人员（人）", "revenue": "营业收入（万元）", "assets": "资产总额（万元）"}


def criteria_for(industry_code: str) -> list[dict]:
    """The threshold rows for an industry (division rows before section rows, else 其他未列明行业)."""
    rows = size_criteria()
    section = industry_section(industry_code)
    for key in (industry_code, section):
        found = [r for r in rows if key and key in r["codes"]]
        if found:
            return found
    return [r for r in rows if "*" in r["codes"]]


def size_class_of(*, industry_code: str, employees=None, revenue=None, assets=None) -> tuple[str, str]:
    """(size class, explanation) by 统计上大中小微型企业划分办法（2017）; ('', reason) when an indicator is missing."""
    values = {"employees": employees, "revenue": revenue, "assets": assets}
    rows = criteria_for(industry_code)
    missing = [INDICATOR_LABELS[r["indicator"]] for r in rows if values.get(r["indicator"]) in (None, "")]
    sector = rows[0]["sector"]
    if missing:
        return "", f"{sector}须填写：{'、'.join(missing)}"
    for klass, key in (
        (SizeClass.LARGE, "large_min"),
        (SizeClass.MEDIUM, "medium_min"),
        (SizeClass.SMALL, "small_min"),
    ):
        if all(float(values[r["indicator"]]) >= r[key] for r in rows):
            bounds = "、".join(f"{INDICATOR_LABELS[r['indicator']]}≥{r[key]:g}" for r in rows)
            return klass, f"{sector}：{bounds}，为{SizeClass(klass).label}（统计上大中小微型企业划分办法（2017））"
    return SizeClass.MICRO, f"{sector}：未同时达到小型企业下限，为微型（统计上大中小微型企业划分办法（2017））"


# ---------------------------------------------------------------- USCC, names and duplicates


def uscc_region(code: str) -> tuple[str, str]:
    """(division code, name) of the registration authority in a USCC (characters 3–8), ('', '') when unknown."""
    code = (code or "").strip().upper()
    if len(code) < 8 or not (code[2:8].isascii() and code[2:8].isdigit()):
        return "", ""
    region = code[2:8]
    name = regions.name_of(region) or ""
    return (region, name) if name else ("", "")


def folded(name: str) -> str:
    """A name folded for duplicate detection: normalised, folded width/script/case, without spaces and brackets."""
    return re.sub(r"[\s()\[\]（）【】·.,，、]", "", fold(normalize_name(name)))


def duplicates(*, name: str = "", uscc: str = "", exclude: int | None = None) -> list[tuple[Organization, str]]:
    """Existing organisations with the same USCC or the same folded name (current or former), with the reason."""
    out: list[tuple[Organization, str]] = []
    seen = set()
    qs = Organization.objects.exclude(pk=exclude) if exclude else Organization.objects.all()
    code = (uscc or "").strip().upper()
    if code:
        for org in qs.filter(uscc=code):
            out.append((org, f"统一社会信用代码{code}与“{org.name}”相同"))
            seen.add(org.pk)
    key = folded(name)
    if key:
        head = normalize_name(name)[:2]
        for org in qs.filter(name__contains=head[:1]) if head else []:
            if org.pk not in seen and folded(org.name) == key:
                out.append((org, f"名称与“{org.name}”相同（忽略全半角、繁简、括号和空格）"))
                seen.add(org.pk)
        for former in FormerName.objects.select_related("organization").exclude(
            organization_id__in=seen | ({exclude} if exclude else set())
        ):
            if folded(former.name) == key:
                out.append((former.organization, f"名称与“{former.organization.name}”的曾用名“{former.name}”相同"))
                seen.add(former.organization_id)
    return out


def org_names(org: Organization) -> dict[str, str]:
    """Folded name -> label for the organisation's current name and recorded former names."""
    names = {folded(org.name): f"现用名“{org.name}”"}
    for f in org.former_names.all():
        names.setdefault(folded(f.name), f"曾用名“{f.name}”（至{f.used_until}）")
    return names


# ---------------------------------------------------------------- roles


def is_office_reviewer(user) -> bool:
    """Province administrators and the office departments that keep the registry."""
    return is_admin_or_department(user, REVIEW_DEPARTMENTS)


def can_verify(user, org: Organization) -> bool:
    """The office, or a city bureau for a body registered in its city."""
    if is_office_reviewer(user):
        return True
    if not (getattr(user, "is_authenticated", False) and user.role == Role.CITY_OFFICER and user.organization):
        return False
    city = regions.city_code_of(user.organization.region_code)
    return bool(city) and regions.city_code_of(org.region_code) == city


def is_member(user, org: Organization) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.organization_id == org.pk)


def can_act_for(user, org: Organization) -> bool:
    """The body's own users, or those who verify it (its city bureau, the office): who may edit it and record for it."""
    return is_member(user, org) or can_verify(user, org)


def is_verified(org: Organization) -> bool:
    """Organisations created by the office are verified; self-registered ones once their city bureau verified them."""
    reg = Registration.objects.filter(organization=org).first()
    return reg is None or reg.state == RegistrationState.VERIFIED


def reviewers_for(org: Organization):
    """Users notified of registrations and claims: the city bureau of the body, else the office."""
    city = org.region_code[:4]
    qs = (
        User.objects.filter(is_active=True, role=Role.CITY_OFFICER, organization__region_code__startswith=city)
        if city
        else User.objects.none()
    )
    if not qs.exists():
        qs = User.objects.filter(is_active=True).filter(
            Q(role=Role.PROVINCE_ADMIN) | Q(role=Role.DEPARTMENT_STAFF, organization__name__in=REVIEW_DEPARTMENTS)
        )
    return qs


# ---------------------------------------------------------------- organisations


def _text(data: dict, key: str, label: str, *, max_length: int, required: bool = False) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        raise InputError(f"请填写{label}", field=key)
    if len(value) > max_length:
        raise InputError(f"{label}不能超过{max_length}个字符（现为{len(value)}个）", field=key)
    return value


def clean_org_data(data: dict, *, exclude: int | None = None, check_duplicates: bool = True) -> dict:
    """Validate the fields of an organisation (kind, name, USCC with check character, region, size, industry, contacts)."""
    kind = str(data.get("kind") or "").strip()
    if kind not in [k.value for k in REGISTRY_KINDS]:
        raise InputError(
            "请选择机构类型（企业、高校、科研院所、代理机构、银行、保险、担保、评估、认证机构或行业协会）", field="kind"
        )
    name = normalize_name(_text(data, "name", "机构名称", max_length=200, required=True))
    code = _text(data, "uscc", "统一社会信用代码", max_length=18, required=True).upper()
    reason = uscc_lib.validate(code)
    if reason:
        raise InputError(reason, field="uscc")
    region = _text(data, "region_code", "所在地区", max_length=6)
    proposed, _ = uscc_region(code)
    region = region or proposed
    if not region or not regions.name_of(region):
        raise InputError("请选择所在地区（统一社会信用代码中的登记管理机关代码未能确定地区）", field="region_code")
    if not region.startswith("37"):
        raise InputError(f"所在地区{region}不在山东省，本平台只登记山东省内机构", field="region_code")
    size = str(data.get("size_class") or "").strip()
    if size and size not in SizeClass.values:
        raise InputError("企业规模应为大型、中型、小型或微型", field="size_class")
    industry = str(data.get("industry_code") or "").strip().upper()
    if industry and not industry_name(industry):
        raise InputError(f"国民经济行业分类代码“{industry}”不在GB/T 4754-2017门类/大类中", field="industry_code")
    figures = {}
    for key, label in INDICATOR_LABELS.items():
        raw = str(data.get(key) or "").strip()
        if raw:
            try:
                figures[key] = float(raw)
                if figures[key] < 0:
                    raise ValueError
            except ValueError:
                raise InputError(f"{label}应为不小于0的数字", field=key)
    if figures:
        if not industry:
            raise InputError("按从业人员、营业收入、资产总额划分规模须先选择国民经济行业", field="industry_code")
        computed, why = size_class_of(industry_code=industry, **figures)
        if not computed:
            raise InputError(why, field="size_class")
        if size and size != computed:
            raise InputError(f"所选规模与划分标准不符：{why}", field="size_class")
        size = computed
    email = _text(data, "contact_email", "联系邮箱", max_length=254)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise InputError("联系邮箱格式不正确", field="contact_email")
    phone = _text(data, "contact_phone", "联系电话", max_length=40)
    if phone and not re.fullmatch(r"[0-9+\-() ]{7,40}", phone):
        raise InputError("联系电话只能包含数字、+、-、括号和空格", field="contact_phone")
    out = {
        "kind": kind,
        "name": name,
        "uscc": code,
        "region_code": region,
        "size_class": size,
        "industry_code": industry,
        "address": _text(data, "address", "地址", max_length=300),
        "contact_person": _text(data, "contact_person", "联系人", max_length=60),
        "contact_phone": phone,
        "contact_email": email,
        "short_name": _text(data, "short_name", "简称", max_length=60),
    }
    out["is_sme"] = size in (SizeClass.SMALL, SizeClass.MICRO)
    if check_duplicates:
        dups = duplicates(name=name, uscc=code, exclude=exclude)
        if dups:
            raise InputError(
                "与已登记机构重复：" + "；".join(reason for _, reason in dups),
                field="uscc" if "代码" in dups[0][1] else "name",
            )
    return out


@transaction.atomic
def self_register(*, data: dict, username: str, password: str, real_name: str) -> tuple[Organization, User]:
    """A body's own user registers it; the account works at once, the registration waits for the city bureau."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    fields = clean_org_data(data)
    username = (username or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.@-]{3,60}", username):
        raise InputError("用户名须为3-60位字母、数字或 _ . @ -", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise InputError(f"用户名“{username}”已被使用", field="username")
    try:
        validate_password(password or "")
    except ValidationError as exc:
        raise InputError("密码不符合要求：" + "；".join(exc.messages), field="password")
    org = Organization(**fields)
    org.full_clean()
    org.save()
    role = KIND_ROLE.get(org.kind, Role.PUBLIC)
    user = User(
        username=username,
        role=role,
        organization=org if role != Role.PUBLIC else None,
        real_name=_text({"n": real_name}, "n", "姓名", max_length=60, required=True),
    )
    user.set_password(password)
    user.save()
    reg = Registration.objects.create(organization=org, submitted_by=user)
    notify.notify_many(
        users=reviewers_for(org),
        title=f"机构注册待核验：{org.name}",
        kind="orgs.registration",
        url=f"/orgs/{org.pk}/",
        dedupe_key=f"orgs-reg-{reg.pk}",
    )
    return org, user


@transaction.atomic
def decide_registration(*, registration: Registration, by, approve: bool, reason: str = "") -> Registration:
    """The city bureau (or the office) verifies or rejects a self-registration, with the reason."""
    if not can_verify(by, registration.organization):
        raise PermissionDenied("只有机构所在市知识产权局或省局可以核验")
    if not approve and not (reason or "").strip():
        raise InputError("不予通过须说明理由", field="reason")
    run_transition(
        registration, "verify" if approve else "reject", by=by, reason=(reason or "").strip() or "信息与营业执照一致"
    )
    registration.decided_at = timezone.now()
    registration.save()
    org = registration.organization
    if not approve:
        org.is_active = False
        org.save(update_fields=["is_active"])
    notify.notify_many(
        users=org.users.filter(is_active=True),
        title=f"机构注册{'已核验' if approve else '未通过'}：{org.name}",
        body=registration.note,
        kind="orgs.registration",
        url=f"/orgs/{org.pk}/",
    )
    return registration


@transaction.atomic
def update_organization(*, org: Organization, data: dict, by) -> Organization:
    """The body's own user or a reviewer edits its record (a name change records the old name as 曾用名)."""
    if not can_act_for(by, org):
        raise PermissionDenied("只能修改本单位的信息")
    data = dict(data, kind=org.kind)
    fields = clean_org_data(data, exclude=org.pk)
    old = org.name
    for k, v in fields.items():
        setattr(org, k, v)
    org.full_clean()
    org.save()
    if folded(old) != folded(org.name):
        changed = (
            parse_date(data.get("renamed_on"), field="renamed_on", label="名称变更日期", required=False) or today()
        )
        add_former_name(org=org, name=old, used_until=changed, by=by)
    return org


def add_former_name(*, org: Organization, name: str, used_until, used_from=None, by=None) -> FormerName:
    """Record a former name (曾用名) of the organisation with the date it changed."""
    name = normalize_name(name or "")
    if not name:
        raise InputError("请填写曾用名", field="former_name")
    if len(name) > 200:
        raise InputError("曾用名不能超过200个字符", field="former_name")
    if folded(name) == folded(org.name):
        raise InputError("曾用名与现用名相同", field="former_name")
    used_until = parse_date(used_until, field="used_until", label="名称变更日期")
    if used_until > today():
        raise InputError("名称变更日期不能晚于今天", field="used_until")
    if used_from and used_from > used_until:
        raise InputError("启用日期不能晚于变更日期", field="used_from")
    former, _ = FormerName.objects.update_or_create(
        organization=org,
        name_norm=folded(name),
        defaults={"name": name, "used_until": used_until, "used_from": used_from, "recorded_by": by},
    )
    return former


# ---------------------------------------------------------------- applicant-name claims


def _store_evidence(*, claim: ApplicantClaim, upload, kind: str, by) -> ClaimEvidence:
    name = upload.name.rsplit("/", 1)[-1]
    if not name.lower().endswith(EVIDENCE_SUFFIXES):
        raise InputError(f"证明材料“{name}”类型不支持，可上传：{'、'.join(EVIDENCE_SUFFIXES)}", field="evidence")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise InputError(f"证明材料“{name}”超过10MB", field="evidence")
    if kind not in EvidenceKind.values:
        raise InputError("请选择证明材料类别", field="evidence_kind")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    ev = ClaimEvidence(
        claim=claim, kind=kind, name=name[:200], size=upload.size, sha256=digest.hexdigest(), uploaded_by=by
    )
    ev.file.save(name[-80:], upload, save=False)
    ev.save()
    return ev


def required_evidence(kind: str) -> list[str]:
    """Evidence kinds a claim needs: the licence always, the name-change notice for a former name."""
    return [EvidenceKind.LICENCE] + ([EvidenceKind.NAME_CHANGE] if kind == ClaimKind.FORMER else [])


def match_reason(org: Organization, name: str) -> tuple[bool, str]:
    """Whether a claimed applicant name is the organisation's current name or a recorded former name, and why."""
    names = org_names(org)
    key = folded(name)
    if key in names:
        return True, f"与{names[key]}一致"
    former = "、".join(f"“{f.name}”" for f in org.former_names.all()) or "无"
    return False, f"申请人名称“{name}”与机构现用名“{org.name}”及登记的曾用名（{former}）均不一致"


@transaction.atomic
def submit_claim(
    *, org: Organization, name: str, kind: str, by, files: list[tuple[str, object]] = (), note: str = ""
) -> ApplicantClaim:
    """The organisation claims an applicant name with evidence files [(evidence kind, upload)]; it waits for verification."""
    if not can_act_for(by, org):
        raise PermissionDenied("只能为本单位认领申请人名称")
    name = normalize_name(name or "")
    if not name:
        raise InputError("请填写申请人名称", field="name")
    if len(name) > 300:
        raise InputError("申请人名称不能超过300个字符", field="name")
    if kind not in ClaimKind.values:
        raise InputError("请选择名称类别（现用名称或曾用名）", field="kind")
    key = folded(name)
    for other in ApplicantClaim.objects.filter(state__in=[ClaimState.SUBMITTED, ClaimState.VERIFIED]).select_related(
        "organization"
    ):
        if folded(other.name) == key:
            who = "本单位" if other.organization_id == org.pk else f"“{other.organization.name}”"
            raise InputError(
                f"申请人名称“{name}”已由{who}认领（{other.get_state_display()}），不能重复认领", field="name"
            )
    kinds = {k for k, _ in files}
    missing = [EvidenceKind(k).label for k in required_evidence(kind) if k not in kinds]
    if missing:
        raise InputError("请上传证明材料：" + "、".join(missing), field="evidence")
    applicant = Applicant.objects.filter(name=name).first()
    claim = ApplicantClaim.objects.create(
        organization=org,
        name=name,
        name_norm=key,
        kind=kind,
        applicant=applicant,
        note=(note or "")[:300],
        submitted_by=by,
    )
    for ev_kind, upload in files:
        _store_evidence(claim=claim, upload=upload, kind=ev_kind, by=by)
    notify.notify_many(
        users=reviewers_for(org),
        title=f"申请人名称认领待核验：{org.name} ← {name}",
        kind="orgs.claim",
        url=f"/orgs/claims/{claim.pk}/",
        dedupe_key=f"orgs-claim-{claim.pk}",
    )
    return claim


def verification_problems(claim: ApplicantClaim) -> list[str]:
    """What prevents verification: the body not verified, a name that is not the body's, evidence missing."""
    org = claim.organization
    problems = []
    if not is_verified(org):
        problems.append(f"机构“{org.name}”的注册尚未核验")
    ok, reason = match_reason(org, claim.name)
    if not ok:
        problems.append(reason + "；如为曾用名，请先登记曾用名并上传名称变更核准通知书")
    have = set(claim.evidence.values_list("kind", flat=True))
    missing = [EvidenceKind(k).label for k in required_evidence(claim.kind) if k not in have]
    if missing:
        problems.append("缺少证明材料：" + "、".join(missing))
    if claim.kind == ClaimKind.FORMER and ok and folded(claim.name) == folded(org.name):
        problems.append("认领为曾用名，但该名称是机构现用名")
    return problems


@transaction.atomic
def decide_claim(*, claim: ApplicantClaim, by, approve: bool, reason: str = "") -> ApplicantClaim:
    """The office or the city bureau verifies (only when the name and evidence match) or rejects a claim."""
    if not can_verify(by, claim.organization):
        raise PermissionDenied("只有机构所在市知识产权局或省局可以核验认领")
    if approve:
        problems = verification_problems(claim)
        if problems:
            raise InputError("不能核验通过：" + "；".join(problems), field="action")
        run_transition(
            claim, "verify", by=by, reason=(reason or "").strip() or match_reason(claim.organization, claim.name)[1]
        )
        applicant = claim.applicant or Applicant.objects.filter(name=claim.name).first()
        if applicant is not None:
            claim.applicant = applicant
            link_applicant(applicant, claim.organization, by=by, reason=f"认领“{claim.name}”核验通过")
    else:
        if not (reason or "").strip():
            raise InputError("不予通过须说明理由", field="reason")
        run_transition(claim, "reject", by=by, reason=reason.strip())
    claim.decided_at = timezone.now()
    claim.save()
    notify.notify_many(
        users=claim.organization.users.filter(is_active=True),
        kind="orgs.claim",
        url=f"/orgs/claims/{claim.pk}/",
        title=f"申请人名称认领{'已核验' if approve else '未通过'}：{claim.name}",
        body=claim.decision_note,
    )
    return claim


@transaction.atomic
def revoke_claim(*, claim: ApplicantClaim, by, reason: str) -> ApplicantClaim:
    """Withdraw a claim (the body itself or a reviewer); the applicant is unlinked."""
    if not can_act_for(by, claim.organization):
        raise PermissionDenied("无权撤销该认领")
    if not (reason or "").strip():
        raise InputError("撤销须说明理由", field="reason")
    run_transition(claim, "revoke", by=by, reason=reason.strip())
    claim.decided_at = timezone.now()
    claim.save()
    for applicant in Applicant.objects.filter(name=claim.name, organization=claim.organization):
        link_applicant(applicant, None, by=by, reason=f"认领“{claim.name}”已撤销")
    return claim


def link_applicant(applicant: Applicant, organization: Organization | None, *, by, reason: str) -> None:
    """Link a patent applicant to a body (None unlinks it) and record who did it, from which body to which, and why.

    The row is written with a queryset update on purpose: a save() would add a second, anonymous event from the
    save signal (it knows neither the actor outside a request nor the reason)."""
    before = applicant.organization_id
    after = organization.pk if organization is not None else None
    if before == after:
        return
    Applicant.objects.filter(pk=applicant.pk).update(organization=organization)
    applicant.organization = organization
    audit.record(
        AuditAction.UPDATE,
        obj=applicant,
        actor=by,
        before={"organization": before},
        after={"organization": after},
        reason=reason,
    )


def verified_names(org: Organization) -> dict[str, ApplicantClaim]:
    """Folded applicant name -> verified claim, for claims whose name is still the body's current or a former name."""
    names = org_names(org)
    return {
        folded(c.name): c for c in org.applicant_claims.filter(state=ClaimState.VERIFIED) if folded(c.name) in names
    }


# ---------------------------------------------------------------- holders of record and the ownership check


@dataclass
class Holder:
    name: str
    source: str  # 著录申请人 / 转移登记
    organization_id: int | None = None
    date: dt.date | None = None


@dataclass
class HolderResult:
    ok: bool
    holders: list[Holder]
    matched: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    reason: str = ""
    rule: str = HOLDER_RULE

    @property
    def holder_names(self) -> list[str]:
        return [h.name for h in self.holders]

    def __bool__(self) -> bool:
        return self.ok


_AFTER = re.compile(
    r"(?:变更后(?:的)?(?:专利)?(?:申请|权利|专利权)人|受让人)\s*[:：]\s*(.+?)(?=\s*(?:变更前|登记生效日|地址|$))"
)
_ARROW = re.compile(r"→\s*([^，,；;]+)")


def _applicants(patent: Patent) -> list[str]:
    names = [link.applicant.name for link in patent.applicant_links.select_related("applicant").order_by("order")]
    if not names and patent.applicants_text:
        names = [normalize_name(n) for n in re.split(r"[;；]", patent.applicants_text) if n.strip()]
    return names


def transfer_assignees(event: LegalEvent) -> tuple[list[str], int | None]:
    """The assignees of a registered transfer: the buyer of a platform deal, else the names in the event text."""
    ref = event.reference or ""
    if ref.startswith("market.deal:"):
        try:
            Deal = django_apps.get_model("market", "Deal")
            deal = Deal.objects.select_related("buyer").filter(pk=int(ref.split(":", 1)[1])).first()
        except (LookupError, ValueError):
            deal = None
        if deal is not None:
            return [deal.buyer.name], deal.buyer_id
    text = event.description or ""
    m = _AFTER.search(text) or _ARROW.search(text)
    if not m:
        return [], None
    return [normalize_name(n) for n in re.split(r"[;；、]", m.group(1)) if n.strip()], None


def holders_of_record(patent: Patent, *, on: dt.date | None = None) -> tuple[list[Holder], str]:
    """The patentees of record on a day: the applicants, then each registered transfer; (holders, problem)."""
    on = on or today()
    holders = [Holder(n, "著录申请人") for n in _applicants(patent)]
    for e in LegalEvent.objects.filter(patent=patent, code=LegalEventCode.TRANSFER, date__lte=on).order_by(
        "date", "pk"
    ):
        names, org_id = transfer_assignees(e)
        if not names:
            return (
                holders,
                f"{e.date}的权利转移登记未载明受让人（{(e.description or '无说明')[:60]}），无法确定现专利权人",
            )
        holders = [Holder(n, "转移登记", org_id, e.date) for n in names]
    return holders, ""


def holder_check(*, org: Organization | None, patent: Patent, on: dt.date | None = None) -> HolderResult:
    """Is the organisation a patentee of record on the day, through its verified applicant-name claims? With the reason."""
    holders, problem = holders_of_record(patent, on=on)
    num = patent.display_number
    if org is None:
        return HolderResult(False, holders, reason="账号未关联机构，不能作为专利权人")
    if problem:
        return HolderResult(False, holders, reason=f"{num}：{problem}")
    if not holders:
        return HolderResult(False, holders, reason=f"{num}没有著录的专利权人")
    claims = verified_names(org)
    matched, others = [], []
    for h in holders:
        if (h.organization_id and h.organization_id == org.pk) or folded(h.name) in claims:
            matched.append(h.name)
        else:
            others.append(h.name)
    if matched:
        return HolderResult(
            True, holders, matched, others, reason=f"{num}的专利权人“{'、'.join(matched)}”已由“{org.name}”认领并核验"
        )
    names = "；".join(h.name + ("（" + str(h.date) + "转移登记）" if h.date else "") for h in holders)
    detail = ""
    pending = [
        c
        for c in org.applicant_claims.filter(state=ClaimState.SUBMITTED)
        if folded(c.name) in {folded(h.name) for h in holders}
    ]
    stale = [
        c
        for c in org.applicant_claims.filter(state=ClaimState.VERIFIED)
        if folded(c.name) in {folded(h.name) for h in holders}
    ]
    linked = Applicant.objects.filter(organization=org, name__in=[h.name for h in holders]).exists()
    if pending:
        detail = f"；“{pending[0].name}”的认领尚待核验，未核验的认领不计入"
    elif stale:
        detail = f"；“{stale[0].name}”的认领与机构现用名及曾用名不符，不计入"
    elif linked:
        detail = "；申请人与机构的关联未经认领核验，不计入"
    return HolderResult(
        False, holders, [], [h.name for h in holders], reason=f"{num}的专利权人为{names}，“{org.name}”不在其中{detail}"
    )


def portfolio_patents(org: Organization, *, on: dt.date | None = None) -> list[Patent]:
    """The patents the organisation holds on the day: applicants or assignees of record matching its verified claims."""
    claims = verified_names(org)
    names = [c.name for c in claims.values()]
    by_applicant = Patent.objects.filter(applicant_links__applicant__name__in=names) if names else Patent.objects.none()
    transfer_ids = set(
        LegalEvent.objects.filter(code=LegalEventCode.TRANSFER)
        .filter(
            Q(reference__startswith="market.deal:") | Q(description__contains=org.name) | Q(patent__in=by_applicant)
        )
        .values_list("patent_id", flat=True)
    )
    for c in claims.values():
        transfer_ids |= set(
            LegalEvent.objects.filter(code=LegalEventCode.TRANSFER, description__contains=c.name).values_list(
                "patent_id", flat=True
            )
        )
    ids = set(by_applicant.values_list("pk", flat=True)) | transfer_ids
    out = []
    qs = Patent.objects.filter(pk__in=ids).prefetch_related("legal_events", "applicant_links__applicant")
    for p in qs:
        if p.pk in transfer_ids:
            if holder_check(org=org, patent=p, on=on).ok:
                out.append(p)
        else:
            out.append(p)
    return out


def portfolio_ids(org: Organization, *, on: dt.date | None = None) -> list[str]:
    return [p.pk for p in portfolio_patents(org, on=on)]


# ---------------------------------------------------------------- bulk import by the office

IMPORT_COLUMNS = [
    ("name", "机构名称"),
    ("kind", "机构类型"),
    ("uscc", "统一社会信用代码"),
    ("region_code", "所在地区代码"),
    ("address", "地址"),
    ("size_class", "企业规模"),
    ("industry_code", "行业代码"),
    ("contact_person", "联系人"),
    ("contact_phone", "联系电话"),
    ("contact_email", "联系邮箱"),
    ("former_names", "曾用名（名称@变更日期，分号分隔）"),
]
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 10 * 1024 * 1024
KIND_BY_LABEL = {OrgKind(k).label: k.value for k in REGISTRY_KINDS} | {
    "高校": OrgKind.UNIVERSITY,
    "代理机构": OrgKind.AGENCY,
    "保险": OrgKind.INSURER,
    "担保": OrgKind.GUARANTOR,
    "评估": OrgKind.VALUER,
}
SIZE_BY_LABEL = {SizeClass(k).label: k for k in SizeClass.values} | {SizeClass(k).label[0]: k for k in SizeClass.values}


@dataclass
class ImportReport:
    file_name: str
    created: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # {"line", "field", "value", "reason"}
    rows: int = 0
    committed: bool = False

    @property
    def summary(self) -> str:
        state = "已导入" if self.committed else "未导入（有错误，按“全部正确才导入”）" if self.errors else "未导入"
        return f"{self.file_name}：读取{self.rows}行，{state}{len(self.created) if self.committed else 0}家，错误{len(self.errors)}行"


def template_sheets():
    """The Excel import template (header row and one example row)."""
    from ipplatform.lib.xlsx import Sheet

    first17 = "91370102MA3C5X8Y0"
    example = [
        "山东示例科技有限公司",
        "企业",
        first17 + uscc_lib.check_character(first17),
        "370102",
        "山东省济南市历下区",
        "小型",
        "C",
        "张三",
        "0531-88888888",
        "",
        "示例旧名有限公司@2019-05-01",
    ]
    return [
        Sheet(
            "机构导入模板",
            [label for _, label in IMPORT_COLUMNS],
            [example],
            notes=[
                "机构类型：" + "、".join(OrgKind(k).label for k in REGISTRY_KINDS),
                "企业规模：大型/中型/小型/微型",
                "行业代码：GB/T 4754-2017 门类字母或大类两位代码",
                "所在地区代码可留空，由统一社会信用代码第3-8位推定",
            ],
        )
    ]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_organizations(*, fileobj, by, commit_good_rows: bool = False) -> ImportReport:
    """Read an Excel list of bodies; every bad row is reported by line and field; all-or-nothing unless asked otherwise."""
    from openpyxl import load_workbook

    if not is_office_reviewer(by):
        raise PermissionDenied("只有省局可以批量导入机构")
    name = getattr(fileobj, "name", "") or "上传文件"
    report = ImportReport(file_name=name)
    if getattr(fileobj, "size", 0) > MAX_IMPORT_BYTES:
        raise InputError(f"文件“{name}”超过10MB", field="file")
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:
        raise InputError(f"无法读取“{name}”：请上传Excel文件（.xlsx），可下载模板填写", field="file")
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(v) for v in (next(rows, None) or [])]
    labels = {label: key for key, label in IMPORT_COLUMNS}
    index = {labels[h]: i for i, h in enumerate(header) if h in labels}
    missing = [label for key, label in IMPORT_COLUMNS[:3] if key not in index]
    if missing:
        wb.close()
        raise InputError(f"“{name}”第1行缺少列：{'、'.join(missing)}（请使用导入模板）", field="file", line=1)
    seen_uscc: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    good = []
    for line, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        report.rows += 1
        if report.rows > MAX_IMPORT_ROWS:
            report.errors.append(
                {"line": line, "field": "文件", "value": "", "reason": f"一次最多导入{MAX_IMPORT_ROWS}行，其余未读取"}
            )
            break
        data = {key: _cell(row[i]) if i < len(row) else "" for key, i in index.items()}
        data["kind"] = KIND_BY_LABEL.get(data.get("kind", ""), data.get("kind", ""))
        data["size_class"] = SIZE_BY_LABEL.get(data.get("size_class", ""), data.get("size_class", ""))
        try:
            fields = clean_org_data(data)
            formers = []
            for part in re.split(r"[;；]", data.get("former_names", "")):
                if part.strip():
                    old, _, day = part.partition("@")
                    try:
                        formers.append((old.strip(), dt.date.fromisoformat(day.strip())))
                    except ValueError:
                        raise InputError(f"曾用名“{part.strip()}”应写作 名称@YYYY-MM-DD", field="former_names")
        except InputError as exc:
            label = dict(IMPORT_COLUMNS).get(exc.field or "", exc.field or "")
            report.errors.append(
                {"line": line, "field": label, "value": data.get(exc.field or "", ""), "reason": exc.message}
            )
            continue
        key = folded(fields["name"])
        if fields["uscc"] in seen_uscc or key in seen_name:
            other = seen_uscc.get(fields["uscc"]) or seen_name.get(key)
            report.errors.append(
                {
                    "line": line,
                    "field": "统一社会信用代码" if fields["uscc"] in seen_uscc else "机构名称",
                    "value": fields["uscc"],
                    "reason": f"与本文件第{other}行重复",
                }
            )
            continue
        seen_uscc[fields["uscc"]], seen_name[key] = line, line
        good.append((fields, formers))
    wb.close()
    if report.errors and not commit_good_rows:
        return report
    with transaction.atomic():
        for fields, formers in good:
            org = Organization(**fields)
            org.full_clean()
            org.save()
            for old, day in formers:
                add_former_name(org=org, name=old, used_until=day, by=by)
            report.created.append(org)
    report.committed = True
    audit.record(
        AuditAction.IMPORT, object_type="core.organization", object_repr=name[:300], reason=report.summary, actor=by
    )
    return report
