"""Programme engine services: who may do what, forms, patent claims, expert draws, payment batches and exports.
State changes go through flows.py, which records each step."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from ipplatform.core import audit
from ipplatform.core.enums import PROVINCE_ROLES, AuditAction, Role
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization
from ipplatform.core.scopes import region_in_scope, restrict
from ipplatform.core.storage import shared_dir
from ipplatform.lib.xlsx import Sheet
from ipplatform.patents.enums import PatentType
from ipplatform.patents.legalstate import fee_status, grant_date_of
from ipplatform.patents.models import Patent

from . import eligibility, hooks
from .enums import Actor, AppStatus, ClaimKind
from .models import Application, Attachment, Call, ClaimItem, PaymentBatch, Policy, ProgrammeType, ReviewAssignment

APPLICANT_ROLES = frozenset({Role.ENTERPRISE_USER, Role.UNIVERSITY_USER, Role.AGENCY_USER, Role.FINANCE_USER})
BUREAU_ROLES = frozenset({Role.CITY_OFFICER, Role.COUNTY_OFFICER})
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
RECENT_COAPPLICANT_YEARS = 3


def today() -> dt.date:
    """The working date (local)."""
    return timezone.localdate()


# ---------------------------------------------------------------- roles


def is_office(user) -> bool:
    """Provincial office staff (and the admin) run calls, formal checks, decisions and payments."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in PROVINCE_ROLES))


def is_applicant(user) -> bool:
    """A user who acts for an organisation that may apply."""
    return bool(user.is_authenticated and user.role in APPLICANT_ROLES and user.organization_id)


def acts_for_body(user) -> bool:
    """A user who may apply for its own body: an applicant, or a city/county bureau for the schemes open to bureaus
    (试点示范考核); the schemes' eligibility rules say which bodies each admits."""
    return bool(is_applicant(user) or (user.is_authenticated and user.role in BUREAU_ROLES and user.organization_id))


def can_act(user, *, application: Application, actor: str) -> bool:
    """May `user` act at a stage whose actor is `actor` for this application (the city stage: the bureaus of the
    applicant's area; the office stages: the provincial office)."""
    if actor == Actor.CITY:
        return user.is_superuser or (user.role in BUREAU_ROLES and region_in_scope(user, application.region_code))
    if actor == Actor.OFFICE:
        return is_office(user)
    return False


def is_owner(user, application: Application) -> bool:
    """The applicant organisation's own users."""
    return acts_for_body(user) and user.organization_id == application.organization_id


def require_owner(user, application: Application) -> None:
    """Refuse unless the user acts for the applicant."""
    if not is_owner(user, application):
        raise PermissionDenied("只有申报单位本单位用户可以办理此操作")


def require_office(user) -> None:
    """Refuse unless provincial office staff."""
    if not is_office(user):
        raise PermissionDenied("仅省知识产权局可以办理此操作")


def applications_for(user):
    """Applications the user may see (core.scopes: a bureau its area, an organisation its own, the office all)."""
    qs = Application.objects.select_related("call__programme", "organization")
    if not is_office(user):
        if user.role in BUREAU_ROLES:  # a bureau sees its area's submitted applications and its own drafts
            qs = qs.exclude(Q(status=AppStatus.DRAFT) & ~Q(organization_id=user.organization_id))
    return restrict(qs, user)


# ---------------------------------------------------------------- calls


def policy_for(*, programme: ProgrammeType, year: int) -> Policy | None:
    """The policy in force for a call year: the latest policy year not after it."""
    return programme.policies.filter(year__lte=year).order_by("-year").first()


@transaction.atomic
def create_call(
    *,
    by,
    programme: ProgrammeType,
    year: int,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    budget: Decimal,
    guide: str = "",
    quotas: dict | None = None,
    is_demo: bool = False,
) -> Call:
    """Open a call (年度申报) of a programme with its budget and the policy of its year."""
    require_office(by)
    if closes_on < opens_on:
        raise InputError("申报截止日期不能早于开始日期", field="closes_on")
    if Decimal(budget) < 0:
        raise InputError("预算不能为负数", field="budget")
    call = Call.objects.create(
        programme=programme,
        policy=policy_for(programme=programme, year=year),
        year=year,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        budget=Decimal(budget),
        guide=guide,
        quotas=quotas or {},
        is_demo=is_demo,
        created_by=by,
    )
    audit.record(AuditAction.CREATE, obj=call, actor=by, after=audit.snapshot(call))
    return call


def calls_for_applicant(*, user, on: dt.date | None = None) -> list[tuple[Call, list[str]]]:
    """Calls open on `on`, each with the reasons the user's organisation may not apply (empty: eligible)."""
    on = on or today()
    org = user.organization if user.is_authenticated else None
    out = []
    for call in Call.objects.filter(opens_on__lte=on, closes_on__gte=on, programme__is_active=True).select_related(
        "programme"
    ):
        out.append((call, eligibility.refusals(programme=call.programme, org=org, on=on)))
    return out


def committed(call: Call) -> Decimal:
    """Money decided in a call (approved or paid, less nothing: clawbacks return to the budget only when recovered)."""
    return call.applications.filter(status__in=[AppStatus.APPROVED, AppStatus.PAID, AppStatus.CLAWED_BACK]).aggregate(
        s=Sum("amount")
    )["s"] or Decimal("0")


# ---------------------------------------------------------------- the application form


def _clean_value(spec: dict, raw):
    kind, label = spec.get("type", "text"), spec["label"]
    if raw in (None, ""):
        return None
    raw = raw.strip() if isinstance(raw, str) else raw
    if kind in ("text", "textarea"):
        limit = int(spec.get("max_length", 2000 if kind == "textarea" else 200))
        if len(raw) > limit:
            raise InputError(f"“{label}”不能超过{limit}字", field=spec["name"])
        return raw
    if kind in ("integer", "decimal"):
        try:
            value = int(raw) if kind == "integer" else Decimal(str(raw))
        except (ValueError, InvalidOperation):
            raise InputError(f"“{label}”应为{'整数' if kind == 'integer' else '数字'}", field=spec["name"])
        if "min" in spec and value < Decimal(str(spec["min"])):
            raise InputError(f"“{label}”不能小于{spec['min']}", field=spec["name"])
        if "max" in spec and value > Decimal(str(spec["max"])):
            raise InputError(f"“{label}”不能大于{spec['max']}", field=spec["name"])
        return value if kind == "integer" else str(value)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise InputError(f"“{label}”的日期格式应为YYYY-MM-DD", field=spec["name"])
    if kind == "choice":
        if raw not in spec.get("choices", []):
            raise InputError(f"“{label}”须从{'、'.join(spec.get('choices', []))}中选择", field=spec["name"])
        return raw
    if kind == "bool":
        return str(raw).lower() in ("1", "true", "on", "yes", "是")
    raise InputError(f"申报表字段“{label}”的类型“{kind}”无效，请联系省局", field=spec["name"])


def clean_form(*, programme: ProgrammeType, raw: dict) -> dict:
    """The form answers typed and checked against the programme's field definitions (missing answers allowed)."""
    return {spec["name"]: _clean_value(spec, raw.get(spec["name"])) for spec in programme.form_fields}


def missing(*, application: Application) -> list[str]:
    """What must still be filled in or attached before submission."""
    programme = application.call.programme
    out = [
        f"请填写“{s['label']}”"
        for s in programme.form_fields
        if s.get("required") and application.data.get(s["name"]) in (None, "")
    ]
    codes = set(application.files.values_list("code", flat=True))
    out += [f"请上传附件“{a['label']}”" for a in programme.attachments if a.get("required") and a["code"] not in codes]
    if programme.claims_patents and not application.items.filter(ok=True).exists():
        out.append("请至少申报一件专利")
    return out


def _require_editable(user, application: Application) -> None:
    require_owner(user, application)
    application.status = Application.objects.values_list("status", flat=True).get(pk=application.pk)  # not a stale copy
    if application.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
        raise InputError(f"申报处于“{application.get_status_display()}”状态，不能修改")


@transaction.atomic
def start_application(*, by, call: Call, title: str = "", on: dt.date | None = None) -> Application:
    """A draft application of the user's organisation to an open call it is eligible for."""
    on = on or today()
    if not acts_for_body(by):
        raise PermissionDenied("只有企业、高校、科研院所等单位用户（试点示范考核：市、县知识产权局）可以申报")
    if not call.is_open(on):
        raise InputError(f"“{call.title}”的申报时间为{call.opens_on}至{call.closes_on}，当前不在申报期内")
    reasons = eligibility.refusals(programme=call.programme, org=by.organization, on=on)
    if reasons:
        raise InputError("不符合申报条件：" + "；".join(reasons))
    app = Application.objects.create(
        call=call,
        organization=by.organization,
        region_code=by.organization.region_code,
        title=(title or f"{by.organization.name}{call.title}")[:200],
        created_by=by,
    )
    audit.record(AuditAction.CREATE, obj=app, actor=by, after={"call": call.pk, "organization": app.organization_id})
    return app


@transaction.atomic
def save_form(*, by, application: Application, raw: dict, title: str = "") -> Application:
    """Save the form answers of a draft (or of an application returned for correction)."""
    _require_editable(by, application)
    before = dict(application.data)
    application.data = clean_form(programme=application.call.programme, raw=raw)
    if title.strip():
        application.title = title.strip()[:200]
    number = application.data.get("patent_number")
    if number:
        # the nominated patent fixes the technical field the experts are drawn from
        key = number.upper().removeprefix("CN").replace(".", "")
        patent = Patent.objects.filter(Q(pk=key) | Q(application_number=key)).first()
        if patent is None:
            raise InputError(f"专利数据库中没有申请号为“{number}”的专利", field="patent_number")
        application.ipc = (patent.ipc_main or "")[:20]
    found = hooks.subject(application)
    if found is not None:
        application.subject_ref, application.subject_label = found[0][:60], found[1][:200]
    application.save(update_fields=["data", "title", "ipc", "subject_ref", "subject_label"])
    # the form's keys are the programme type's field codes: the record names each answer by its label, as users read it
    labels = {spec["name"]: spec.get("label") or spec["name"] for spec in application.call.programme.form_fields}
    audit.record(
        AuditAction.UPDATE,
        obj=application,
        actor=by,
        before={labels.get(k, k): v for k, v in before.items()},
        after={labels.get(k, k): v for k, v in application.data.items()},
    )
    return application


def store_upload(upload, *, application: Application, label: str, exts: list[str] | None) -> str:
    """Store an uploaded file of an application under the shared folder (type and size checked); its relative path."""
    ext = Path(upload.name).suffix.lower()
    if exts and ext not in exts:
        raise InputError(f"“{label}”只接受{'、'.join(exts)}文件", field="file")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise InputError("附件不能超过20MB", field="file")
    relative = f"programmes/{application.pk}/{uuid.uuid4().hex}{ext}"
    target = shared_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return relative


@transaction.atomic
def attach(*, by, application: Application, code: str, upload) -> Attachment:
    """Store an attachment the programme asks for (type and size checked)."""
    _require_editable(by, application)
    spec = next((a for a in application.call.programme.attachments if a["code"] == code), None)
    if spec is None:
        raise InputError("本项目不要求该类附件", field="code")
    relative = store_upload(upload, application=application, label=spec["label"], exts=spec.get("exts"))
    item = Attachment.objects.create(
        application=application,
        code=code,
        label=spec["label"],
        path=relative,
        filename=Path(upload.name).name[:200],
        size=upload.size,
        uploaded_by=by,
    )
    audit.record(AuditAction.CREATE, obj=item, actor=by, after={"application": application.pk, "file": item.filename})
    return item


# ---------------------------------------------------------------- 专利资助: patent claims


def check_claim(
    *, application: Application, patent: Patent, kind: str, on: dt.date | None = None, recheck: bool = False
) -> tuple[Decimal | None, list[str]]:
    """The amount for claiming `patent` under `kind` in this application, and the reasons it is refused (checked
    against the policy of the call year, the patent records, the claimant's verified names and earlier claims)."""
    from ipplatform.orgs.services import holder_check

    on = on or today()
    call, reasons = application.call, []
    policy = call.policy
    num = patent.display_number
    if policy is None:
        return None, [f"“{call.title}”未配置资助政策"]
    amount = policy.amount_for(patent.patent_type, kind)
    type_label, kind_label = PatentType(patent.patent_type).label, ClaimKind(kind).label
    if amount is None:
        reasons.append(f"{policy.year}年度政策不支持{type_label}专利的{kind_label}")
    if kind == ClaimKind.GRANT:
        granted = grant_date_of(patent=patent)
        event = granted
        if granted is None or granted > on:
            reasons.append(f"{num}尚未授权")
        else:
            fee = fee_status(patent=patent, on=on)
            if fee.state in ("lapsed", "in_grace"):
                reasons.append(f"{num}：{fee.text}")
            elif not patent.valid_at(on):
                reasons.append(f"{num}已失效")
    else:
        event = patent.application_date
    if (
        event
        and policy.event_from
        and event < policy.event_from
        or event
        and policy.event_to
        and event > policy.event_to
    ):
        reasons.append(
            f"{num}的{'授权' if kind == ClaimKind.GRANT else '申请'}日{event}不在政策支持期间"
            f"（{policy.event_from or '不限'}至{policy.event_to or '不限'}）内"
        )
    holder = holder_check(org=application.organization, patent=patent, on=on)
    if not holder.ok:
        reasons.append(holder.reason)
    taken = (
        ClaimItem.objects.filter(programme=call.programme, patent=patent, kind=kind, live=True)
        .exclude(application=application)
        .select_related("application__call")
        .first()
    )
    if taken is not None:
        reasons.append(
            f"{num}的{kind_label}已在“{taken.application.call.title}”中申报（申报编号{taken.application_id}），"
            "同一专利不得重复申请资助"
        )
    elif not recheck and application.items.filter(patent=patent, kind=kind).exists():
        reasons.append(f"{num}已列入本申报")
    return amount, reasons


@transaction.atomic
def add_claim(*, by, application: Application, patent_number: str, kind: str, on: dt.date | None = None) -> ClaimItem:
    """Add one patent to a 专利资助 application after checking it; a refused claim is not stored."""
    _require_editable(by, application)
    if not application.call.programme.claims_patents:
        raise InputError("本项目不按件申报专利")
    if kind not in ClaimKind.values:
        raise InputError("资助类别无效", field="kind")
    number = (patent_number or "").strip().upper().removeprefix("CN").replace(".", "")
    patent = Patent.objects.filter(Q(pk=number) | Q(application_number=number) | Q(publication_number=number)).first()
    if patent is None:
        raise InputError(f"专利数据库中没有申请号为“{patent_number}”的专利", field="patent")
    amount, reasons = check_claim(application=application, patent=patent, kind=kind, on=on)
    if reasons:
        raise InputError("；".join(reasons), field="patent")
    try:
        with transaction.atomic():
            item = ClaimItem.objects.create(
                application=application,
                patent=patent,
                kind=kind,
                amount=amount,
                ok=True,
                programme=application.call.programme,
                check_note=f"核验通过：{PatentType(patent.patent_type).label}{ClaimKind(kind).label}{amount}元",
            )
    except IntegrityError:
        raise InputError(f"{patent.display_number}已被其他申报占用，同一专利不得重复申请资助", field="patent")
    audit.record(
        AuditAction.CREATE,
        obj=application,
        actor=by,
        after={"patent": patent.pk, "kind": kind, "amount": amount},
        reason="申报专利",
    )
    return item


@transaction.atomic
def remove_claim(*, by, item: ClaimItem) -> None:
    """Drop a patent from a draft or returned application."""
    _require_editable(by, item.application)
    audit.record(
        AuditAction.DELETE,
        obj=item.application,
        actor=by,
        before={"patent": item.patent_id, "kind": item.kind},
        reason="撤下申报专利",
    )
    item.delete()


def recheck_claims(*, application: Application, on: dt.date | None = None) -> list[str]:
    """Check every claimed patent again (before submission and at the formal check); returns the refusals."""
    out = []
    for item in application.items.select_related("patent"):
        amount, reasons = check_claim(application=application, patent=item.patent, kind=item.kind, on=on, recheck=True)
        if reasons:
            out += reasons
        elif amount != item.amount:
            item.amount = amount
            item.save(update_fields=["amount"])
    return out


def cap_left(*, application: Application) -> Decimal | None:
    """What the applicant may still receive this policy year under the per-applicant cap (None: no cap)."""
    policy = application.call.policy
    if policy is None or policy.cap_per_applicant is None:
        return None
    used = Application.objects.filter(
        organization=application.organization,
        call__programme=application.call.programme,
        call__year=application.call.year,
        status__in=[AppStatus.APPROVED, AppStatus.PAID, AppStatus.CLAWED_BACK],
    ).exclude(pk=application.pk).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return max(policy.cap_per_applicant - used, Decimal("0"))


# ---------------------------------------------------------------- experts


def coapplicant_orgs(*, org: Organization, on: dt.date | None = None) -> set[int]:
    """Organisations that applied for a patent together with `org` in the last three years (a conflict for review)."""
    from ipplatform.orgs.services import verified_names
    from ipplatform.patents.models import Applicant

    on = on or today()
    names = [c.name for c in verified_names(org).values()]
    if not names:
        return set()
    since = on.replace(year=on.year - RECENT_COAPPLICANT_YEARS)
    patents = Patent.objects.filter(applicant_links__applicant__name__in=names, application_date__gte=since)
    return set(
        Applicant.objects.filter(patent_links__patent__in=patents, organization__isnull=False)
        .exclude(organization=org)
        .values_list("organization_id", flat=True)
    )


def draw_experts(*, application: Application, count: int, use: str = "", on: dt.date | None = None) -> list:
    """Experts from the one pool (experts.services.candidates) in the application's field, without those employed by or
    in conflict with the applicant or its recent co-applicants, and without experts already assigned."""
    from ipplatform.experts.services import candidates

    exclude = {application.organization_id} | coapplicant_orgs(org=application.organization, on=on)
    taken = set(application.reviews.values_list("expert_id", flat=True))
    found = [
        e
        for e in candidates(ipc=(application.ipc or "")[:4], exclude_orgs=exclude, use=use, on=on)
        if e.pk not in taken
    ]
    if len(found) < count and application.ipc:
        # too few in the narrow field: widen to the IPC section, still without conflicts
        found += [
            e
            for e in candidates(ipc=application.ipc[:1], exclude_orgs=exclude, use=use, on=on)
            if e.pk not in taken and e not in found
        ]
    return sorted(found, key=lambda e: (e.programme_reviews.count(), e.pk))[:count]


def reviews_for(user):
    """Review assignments the user may see (an expert: own; the office: all)."""
    return restrict(ReviewAssignment.objects.select_related("application__call__programme", "expert"), user)


# ---------------------------------------------------------------- payment batches and exports


def batch_calls(batch: PaymentBatch) -> list[Call]:
    """The calls whose applications a batch pays (its own call first; a batch may pay several programmes)."""
    others = Call.objects.filter(applications__payment_lines__batch=batch).exclude(pk=batch.call_id).distinct()
    return [batch.call, *others.order_by("pk")]


def batch_sheet(batch: PaymentBatch, *, visible=None) -> Sheet:
    """The finance office layout: one row per payee institution (集中兑付), with the applications it covers and the
    programmes they belong to. `visible` (a queryset of applications, e.g. core.scopes.restrict for a city bureau):
    only the lines that pay visible applications, and the total of those lines."""
    rows, total = [], Decimal("0")
    lines = batch.lines.select_related("organization").prefetch_related("applications__call__programme")
    if visible is not None:
        lines = lines.filter(applications__in=visible).distinct()
    n_apps = 0
    for i, line in enumerate(lines, 1):
        org = line.organization
        apps = list(line.applications.all())
        n_apps += len(apps)
        total += line.amount
        programmes = "、".join(dict.fromkeys(a.call.programme.name for a in apps))
        account = next((f"{a.data.get('bank', '')} {a.data.get('account', '')}".strip() for a in apps), "")
        rows.append(
            [
                i,
                org.name,
                org.uscc,
                org.region_code,
                programmes,
                len(apps),
                "、".join(str(a.pk) for a in apps),
                account,
                line.amount,
                "",
            ]
        )
    rows.append(["合计", "", "", "", "", n_apps, "", "", total, ""])
    calls = batch_calls(batch)
    return Sheet(
        f"兑付批次{batch.number}",
        [
            "序号",
            "收款单位",
            "统一社会信用代码",
            "区划代码",
            "项目",
            "申报件数",
            "申报编号",
            "收款账户",
            "金额（元）",
            "财务备注",
        ],
        rows,
        notes=[
            f"{'、'.join(c.title for c in calls)} · 兑付批次{batch.number} · 生成于{timezone.localdate()}",
            "金额单位：元；一家单位一笔（集中兑付）" + ("；演示数据" if any(c.is_demo for c in calls) else ""),
        ],
    )


def applications_sheet(*, call: Call | None, rows) -> Sheet:
    """Any list of applications as an Excel sheet."""
    data = [
        [
            a.pk,
            a.call.title,
            a.organization.name,
            a.region_code,
            a.title,
            a.get_status_display(),
            a.stage_label,
            a.score,
            a.rank,
            a.level,
            a.amount,
            a.submitted_at,
        ]
        for a in rows
    ]
    return Sheet(
        (call.title if call else "项目申报")[:31],
        [
            "编号",
            "年度申报",
            "申报单位",
            "属地",
            "项目名称",
            "状态",
            "当前环节",
            "评审得分",
            "排名",
            "奖励等级",
            "核定金额（元）",
            "提交时间",
        ],
        data,
    )


def next_batch_number(call: Call) -> str:
    """A batch number unique across calls: 年度-call-序号."""
    return f"{call.year}-{call.pk:03d}-{call.batches.count() + 1:02d}"


def batched(call: Call) -> Decimal:
    """Money of a call already listed in payment batches (a batch may also pay other calls)."""
    return call.applications.filter(payment_lines__isnull=False).distinct().aggregate(s=Sum("amount"))["s"] or Decimal(
        "0"
    )


def calls_with_unpaid(*, exclude: Call | None = None) -> list[Call]:
    """Calls with approved applications not yet in a batch (to pay several programmes in one 集中兑付 batch)."""
    qs = Call.objects.filter(
        applications__status=AppStatus.APPROVED, applications__amount__gt=0, applications__payment_lines__isnull=True
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.select_related("programme").distinct().order_by("-year", "pk"))


def unpaid_approved(call: Call):
    """Approved applications with an amount not yet in a batch."""
    return call.applications.filter(status=AppStatus.APPROVED, amount__gt=0, payment_lines__isnull=True).select_related(
        "organization"
    )
