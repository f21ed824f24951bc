"""Business rules of rights-protection assistance and enforcement (views, API and commands call these)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from ipplatform.core import audit, regions
from ipplatform.core.enums import AuditAction, OrgKind, Role
from ipplatform.core.inputs import MAX_MONEY, InputError, is_id, parse_date, parse_decimal
from ipplatform.core.labels import transition_label
from ipplatform.core.models import Division, Organization, User
from ipplatform.core.notify import notify, notify_many
from ipplatform.core.workflow import run_transition

from . import deadlines as dl
from . import evidence, law
from .access import cases_for, is_case_worker, require_case_worker
from .defaults import EXTEND_ONCE, NAMED_REPORT_ONLY
from .enums import (
    CASE_NO_PREFIX,
    INITIAL_STATE,
    POLICE_TRANSFER_DOCUMENTS,
    CaseType,
    Channel,
    DeadlineStatus,
    IntakeKind,
    IntakeState,
    Outcome,
    RuleKind,
)
from .enums import (
    CaseState as S,
)
from .models import AgencyHead, Case, CaseDeadline, DeadlineExtension, DeadlineRule, Intake, Suspension


def today() -> dt.date:
    """Today's date in the platform's time zone."""
    return timezone.localdate()


# ---------------------------------------------------------------- routing


def _divisions():
    latest = (
        Division.objects.filter(code__startswith=regions.province_prefix())
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    rows = Division.objects.filter(
        revision__in={latest, regions.REVISION_2015}, code__startswith=regions.province_prefix()
    )
    return [
        (code, name, level)
        for code, name, level in rows.values_list("code", "name", "level")
        if level in ("city", "county")
    ]


def resolve_region(text: str) -> str:
    """The most specific Shandong division (county before city) named in an address; '' when none is named."""
    text = (text or "").strip()
    if not text:
        return ""
    if re.fullmatch(r"37\d{4}", text):
        return text
    best_city, best_county = "", ""
    divs = _divisions()
    for code, name, level in divs:
        short = re.sub(r"(市|地区)$", "", name) if level == "city" else name
        if level == "city" and (name in text or (len(short) >= 2 and short in text)):
            best_city = best_city or code
    for code, name, level in divs:
        if level != "county" or len(name) < 2 or name in ("市辖区",):
            continue
        if name in text and (not best_city or regions.city_code_of(code) == best_city):
            best_county = code
            break
    return best_county or best_city


def route(
    *, respondent_address: str = "", infringement_place: str = "", region_code: str = ""
) -> tuple[str, Organization | None, str]:
    """(region code, competent city bureau, reason): by the respondent's domicile, else the place of infringement."""
    for label, value in (
        ("指定地区", region_code),
        ("被投诉方住所地", respondent_address),
        ("侵权行为地", infringement_place),
    ):
        code = resolve_region(value)
        if not code:
            continue
        current = regions.to_current(code)
        city = regions.city_code_of(current) or current
        org = Organization.objects.filter(kind=OrgKind.CITY_BUREAU, region_code=city, is_active=True).first()
        name = regions.name_of(code) or code
        return current, org, f"按{label}（{name}）分派至{org.name if org else '省局'}"
    return "", None, "未能识别管辖地，由省局法律事务处分派"


# ---------------------------------------------------------------- intake


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _tracking_no() -> str:
    return f"12330{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def submit_intake(
    *,
    channel: str,
    kind: str,
    subject: str,
    description: str,
    requester_name: str,
    requester_phone: str,
    requester_email: str = "",
    requester_address: str = "",
    respondent_name: str = "",
    respondent_address: str = "",
    infringement_place: str = "",
    patent_no: str = "",
    region_code: str = "",
    confidential: bool = False,
    user=None,
    recorded_by=None,
    attachments: list | None = None,
) -> tuple[Intake, str]:
    """Record a 12330 request (with the requester's files), route it to the competent bureau; returns the intake and
    its one-time verification code."""
    errors = [
        ("subject", subject, "事项"),
        ("description", description, "情况说明"),
        ("requester_name", requester_name, "姓名/单位"),
        ("requester_phone", requester_phone, "联系电话"),
    ]
    for field, value, label in errors:
        if not (value or "").strip():
            raise InputError(f"请填写“{label}”", field=field)
    if channel not in Channel.values:
        raise InputError(f"来源渠道“{channel}”无效", field="channel")
    if kind not in IntakeKind.values:
        raise InputError(f"诉求类别“{kind}”无效", field="kind")
    if not re.fullmatch(r"[0-9+\-() ]{5,40}", requester_phone.strip()):
        raise InputError("联系电话格式不正确：只能包含数字、空格、+、-、括号，至少5位", field="requester_phone")
    if kind in (IntakeKind.COMPLAINT, IntakeKind.REPORT, IntakeKind.ASSISTANCE) and not (respondent_name or "").strip():
        raise InputError("投诉、举报和维权援助申请须填写“被投诉/举报对象”", field="respondent_name")
    evidence.check_intake_files(attachments or [])
    region, org, note = route(
        respondent_address=respondent_address, infringement_place=infringement_place, region_code=region_code
    )
    code = secrets.token_hex(3).upper()
    with transaction.atomic():
        for _ in range(5):
            try:
                with transaction.atomic():
                    intake = Intake.objects.create(
                        tracking_no=_tracking_no(),
                        code_hash=_hash_code(code),
                        channel=channel,
                        kind=kind,
                        subject=subject.strip(),
                        description=description.strip(),
                        requester_name=requester_name.strip(),
                        requester_phone=requester_phone.strip(),
                        requester_email=requester_email.strip(),
                        requester_address=requester_address.strip(),
                        requester_user=user if user is not None and user.is_authenticated else None,
                        confidential=confidential or kind == IntakeKind.REPORT,
                        respondent_name=respondent_name.strip(),
                        respondent_address=respondent_address.strip(),
                        infringement_place=infringement_place.strip(),
                        patent_no=patent_no.strip().upper(),
                        region_code=region,
                        city_code=regions.city_code_of(region) if region else "",
                        routing_note=note,
                        handling_org=org,
                        recorded_by=recorded_by,
                    )
                break
            except IntegrityError:
                continue
        if attachments:
            evidence.add_intake_files(intake=intake, uploads=attachments)
        if org is not None:
            run_transition(intake, "route", by=recorded_by, reason=note)
            intake.save()
            for officer in User.objects.filter(organization=org, is_active=True):
                notify(
                    user=officer,
                    title=f"新的12330{intake.get_kind_display()}：{intake.subject}",
                    body=note,
                    url=f"/protection/intakes/{intake.pk}/",
                    kind="protection",
                    dedupe_key=f"protection:intake:{intake.pk}",
                )
    return intake, code


TRACK_MAX_FAILURES = 10  # wrong codes per tracking number within TRACK_LOCK_SECONDS
TRACK_LOCK_SECONDS = 600


def track(*, tracking_no: str, code: str) -> Intake:
    """The intake for a public progress query; the same Chinese error for a wrong number or code; guessing is throttled."""
    from django.core.cache import caches

    cache = caches["shared"]  # one counter for every worker process
    tracking_no = (tracking_no or "").strip()
    key = f"protection:track-failures:{hashlib.sha256(tracking_no.encode()).hexdigest()[:32]}"
    if cache.get(key, 0) >= TRACK_MAX_FAILURES:
        raise InputError(
            f"该查询编号连续输错查询码{TRACK_MAX_FAILURES}次，请{TRACK_LOCK_SECONDS // 60}分钟后再试", field="code"
        )
    intake = Intake.objects.filter(tracking_no=tracking_no).first()
    if intake is None or not secrets.compare_digest(intake.code_hash, _hash_code(code or "")):
        cache.add(key, 0, TRACK_LOCK_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, TRACK_LOCK_SECONDS)
        raise InputError("查询编号或查询码不正确，请核对后重试", field="tracking_no")
    return intake


def attachment_names(intake: Intake) -> list[str]:
    """The names of the files the requester attached (all the tracking page shows of them)."""
    return list(intake.attachments.order_by("seq").values_list("file_name", flat=True))


def attachments_for(*, user, intake: Intake | None) -> list:
    """The requester's files with size, type and digest for the officers handling the request; nothing for others."""
    if intake is None or not is_case_worker(user):
        return []
    return list(intake.attachments.order_by("seq"))


def public_progress(intake: Intake) -> list[dict]:
    """Milestones a requester may see (no officer names, no internal notes)."""
    from ipplatform.core.workflow import history

    steps = [{"at": intake.created_at, "label": f"已登记（{intake.get_channel_display()}）"}]
    for h in history(intake):
        steps.append(
            {
                "at": h.at,
                "label": IntakeState(h.target).label
                + (f"：{intake.handling_org.name}" if h.target == IntakeState.ROUTED and intake.handling_org else ""),
            }
        )
    for case in intake.cases.all():
        for h in history(case):
            steps.append({"at": h.at, "label": f"案件{case.case_no}：{S(h.target).label}"})
    return sorted(steps, key=lambda s: s["at"])


def reroute_intake(*, intake: Intake, by, region_code: str, reason: str) -> Intake:
    """Send an intake to another competent bureau (province staff or the current bureau)."""
    require_case_worker(by)
    region, org, note = route(region_code=region_code)
    if org is None:
        raise InputError(f"区划代码“{region_code}”不是山东省内的市或县", field="region_code")
    with transaction.atomic():
        intake.region_code, intake.city_code, intake.handling_org = region, regions.city_code_of(region), org
        intake.routing_note = f"{note}（{reason}）"
        run_transition(intake, "route", by=by, reason=reason or note)
        intake.save()
    return intake


def close_intake(*, intake: Intake, by, action: str, reply: str) -> Intake:
    """Answer a consultation ('answer') or tell the requester the matter is out of scope ('refer_out')."""
    require_case_worker(by)
    if action not in ("answer", "refer_out"):
        raise InputError("未知的处理方式", field="action")
    if not reply.strip():
        raise InputError("请填写答复内容（申请人可在进度查询中看到）", field="reply")
    with transaction.atomic():
        intake.public_reply = reply.strip()
        run_transition(intake, action, by=by, reason=reply.strip())
        intake.save()
    return intake


# ---------------------------------------------------------------- cases


def _next_case_no(case_type: str, year: int) -> str:
    prefix = f"{CASE_NO_PREFIX[case_type]}〔{year}〕"
    last = (
        Case.objects.filter(case_no__startswith=prefix).order_by("-case_no").values_list("case_no", flat=True).first()
    )
    n = int(re.search(r"〕(\d+)号", last).group(1)) + 1 if last else 1
    return f"{prefix}{n:04d}号"


def create_case(
    *,
    case_type: str,
    title: str,
    by,
    region_code: str = "",
    respondent_name: str = "",
    respondent_address: str = "",
    requester_name: str = "",
    requester_contact: str = "",
    requester_user=None,
    reporter_confidential: bool = False,
    patent_no: str = "",
    summary: str = "",
    platform: str = "",
    intake: Intake | None = None,
    parent: Case | None = None,
    received_on: dt.date | None = None,
    handler=None,
    crime_suspected: bool = False,
) -> Case:
    """Open a case of any type; its first time limits start on the day received."""
    if case_type not in CaseType.values:
        raise InputError(f"案件类型“{case_type}”无效", field="case_type")
    if not (title or "").strip():
        raise InputError("请填写案由", field="title")
    region, org, _note = route(region_code=region_code, respondent_address=respondent_address)
    if org is None and by is not None and by.organization and by.organization.kind == OrgKind.CITY_BUREAU:
        region, org = by.organization.region_code, by.organization
    if org is None:
        raise InputError("无法确定管辖地：请选择管辖市或填写被请求人住所地（含市、县名称）", field="region_code")
    if by is not None and intake is None and parent is None:
        from ipplatform.core.scopes import require_region_in_scope

        require_region_in_scope(by, region, "案件")
    received_on = received_on or today()
    dept = Organization.objects.filter(kind=OrgKind.DEPARTMENT, name="法律事务处").first()
    with transaction.atomic():
        for _ in range(5):
            try:
                with transaction.atomic():
                    case = Case.objects.create(
                        case_no=_next_case_no(case_type, received_on.year),
                        case_type=case_type,
                        state=INITIAL_STATE[case_type],
                        title=title.strip(),
                        summary=summary.strip(),
                        intake=intake,
                        parent=parent,
                        region_code=region,
                        city_code=regions.city_code_of(region) or region,
                        handling_org=org,
                        department=dept,
                        handler=handler,
                        requester_user=requester_user,
                        requester_name=requester_name.strip(),
                        requester_contact=requester_contact.strip(),
                        reporter_confidential=reporter_confidential,
                        respondent_name=respondent_name.strip(),
                        respondent_address=respondent_address.strip(),
                        patent_no=patent_no.strip().upper(),
                        platform=platform.strip(),
                        crime_suspected=crime_suspected,
                        received_on=received_on,
                        created_by=by,
                    )
                break
            except IntegrityError:
                continue
        _open_deadlines(case, "create", anchor=received_on)
        _mark_priority(case)
    return case


def _mark_priority(case: Case) -> None:
    """Complaints of key protected units and alliance members are handled first: flag the case and tell its bureau."""
    from ipplatform.agencies.services import protection_priority

    org = case.requester_user.organization if case.requester_user_id and case.requester_user.organization_id else None
    basis = protection_priority(org=org, name=case.requester_name, on=case.received_on)
    if not basis:
        return
    case.priority, case.priority_basis = True, "；".join(basis)[:300]
    case.save(update_fields=["priority", "priority_basis"])
    notify_many(
        users=User.objects.filter(organization=case.handling_org, is_active=True),
        title=f"优先办理：{case.case_no}",
        body=f"请求人{case.requester_name}：{case.priority_basis}",
        url=f"/protection/cases/{case.pk}/",
        kind="protection",
        dedupe_key=f"protection:priority:{case.pk}",
    )


def convert_intake(*, intake: Intake, by, case_type: str, reason: str = "") -> Case:
    """Turn a complaint, report or assistance request into a case handled by the routed bureau."""
    require_case_worker(by)
    if intake.kind in (IntakeKind.CONSULTATION, IntakeKind.OUT_OF_SCOPE):
        raise InputError("咨询和不属于受理范围的登记不能转为案件，请直接答复", field="case_type")
    with transaction.atomic():
        case = create_case(
            case_type=case_type,
            title=intake.subject,
            by=by,
            region_code=intake.region_code,
            respondent_name=intake.respondent_name,
            respondent_address=intake.respondent_address,
            requester_name=intake.requester_name,
            requester_contact=intake.requester_phone,
            requester_user=intake.requester_user,
            reporter_confidential=intake.confidential,
            patent_no=intake.patent_no,
            summary=intake.description,
            intake=intake,
            received_on=timezone.localtime(intake.created_at).date(),
            handler=by if by.role in (Role.CITY_OFFICER, Role.COUNTY_OFFICER) else None,
        )
        run_transition(
            intake, "convert", by=by, reason=reason or f"转为{case.get_case_type_display()}案件{case.case_no}"
        )
        intake.save()
    return case


TRANSITION_LABELS = {
    name: transition_label(Case, name) for name in dir(Case) if hasattr(getattr(Case, name, None), "_django_fsm")
}


_SHARED = ["suspend", "resume", "withdraw", "close"]
TRANSITION_ORDER = [n for n in Case.__dict__ if hasattr(Case.__dict__[n], "_django_fsm") and n not in _SHARED] + _SHARED


def available_transitions(case: Case) -> list[tuple[str, str]]:
    """(name, Chinese label) of the transitions the case may take now, in procedural order (suspension etc. last)."""
    names = {t.name for t in case.get_available_state_transitions()}
    return [(name, TRANSITION_LABELS.get(name, name)) for name in TRANSITION_ORDER if name in names]


HEAD_APPROVED = ("approve_transfer", "reject_transfer")


def transition_bar(*, case: Case, name: str, user) -> str:
    """Why `user` may not take the transition `name` on the case now ("" when allowed): the one check behind the
    action buttons of the case page and behind transition()."""
    try:
        require_case_worker(user, case)
    except PermissionDenied as exc:
        return str(exc)
    return _step_bar(case=case, name=name, user=user)


def _step_bar(*, case: Case, name: str, user) -> str:
    """transition_bar() for a user already known to handle the case."""
    method = getattr(case, name, None)
    label = TRANSITION_LABELS.get(name, name)
    if method is None or not hasattr(method, "_django_fsm"):
        return f"未知的办理操作“{name}”"
    if name in ("decide_penalty", "decide_no_penalty") and case.transfer_required():
        return "本案涉嫌犯罪，依法应当移送公安机关，不得以行政处罚代替移送：请先办理移送"
    if name == "decide_penalty" and case.state in (S.PRE_DECISION, S.HEARING):
        hearing = law.hearing_bar(case=case, on=getattr(case, "_on", None) or today())
        if hearing:
            return hearing
    if not can_proceed(method):
        return f"{case.get_case_type_display()}在“{case.get_state_display()}”状态下不能执行“{label}”"
    if name in HEAD_APPROVED:
        try:
            require_head(user=user, case=case, what="批准或不批准移送")
        except InputError as exc:
            return exc.message
    return ""


def allowed_transitions(*, case: Case, user) -> list[tuple[str, str]]:
    """(name, Chinese label) of the transitions this user may take on the case now (see transition_bar)."""
    try:
        require_case_worker(user, case)
    except PermissionDenied:
        return []
    return [(n, label) for n, label in available_transitions(case) if not _step_bar(case=case, name=n, user=user)]


def _check_rules(case: Case, name: str, on: dt.date, data: dict) -> None:
    """Statutory rules checked before a transition (each raises InputError in Chinese)."""
    if name == "decide_penalty":
        amount = parse_decimal(
            data.get("penalty_amount") or "0",
            field="penalty_amount",
            label="罚款金额（元）",
            min_value=0,
            max_value=MAX_MONEY,
            places=2,
            rounding=True,
        )
        if data.get("illegal_gains") not in (None, ""):
            case.illegal_gains = parse_decimal(
                data["illegal_gains"],
                field="illegal_gains",
                label="违法所得（元）",
                min_value=0,
                max_value=MAX_MONEY,
                places=2,
                rounding=True,
            )
        cap = law.fine_cap(illegal_gains=case.illegal_gains)
        if amount > cap:
            basis = (
                f"违法所得{case.illegal_gains}元的5倍"
                if cap != law.FINE_FLAT_CAP
                else "没有违法所得或违法所得在5万元以下的，25万元"
            )
            raise InputError(
                f"罚款{amount}元超过法定上限{cap}元（{basis}）" + law.cite("fine_cap"), field="penalty_amount"
            )
        bar = law.limitation_bar(violation_ended_on=case.violation_ended_on, discovered_on=case.received_on)
        if bar:
            raise InputError(bar, field="violation_ended_on")
        case.penalty_amount = amount
    if name == "file_case" and data.get("violation_ended_on"):
        case.violation_ended_on = parse_date(
            data["violation_ended_on"], field="violation_ended_on", label="违法行为发生（终了）日期", required=False
        )
        if case.violation_ended_on > on:
            raise InputError("违法行为发生（终了）日期不能晚于立案日期", field="violation_ended_on")
    if name == "forward_counter":
        delivered = parse_date(
            data.get("delivered_on"), field="delivered_on", label="声明到达权利人日期", required=False
        )
        if delivered is None:
            raise InputError(
                "请填写不侵权声明到达权利人的日期：15日等待期自到达之日起算" + law.cite("ecommerce_wait"),
                field="delivered_on",
            )
        if delivered < on - dt.timedelta(days=30) or delivered > on + dt.timedelta(days=30):
            raise InputError("声明到达日期应在转送日期前后30日内，请核对", field="delivered_on")
        case.counter_delivered_on = delivered
    if name == "decide":
        outcome = data.get("outcome")
        if outcome not in (Outcome.STOP_INFRINGEMENT, Outcome.DISMISS):
            raise InputError("请选择处理决定：责令停止侵权或驳回请求", field="outcome")
        ids = [int(x) for x in (data.get("panel") or []) if is_id(x)]
        members = list(User.objects.filter(pk__in=ids, organization=case.handling_org, is_active=True))
        if len(members) != len(set(ids)):
            raise InputError("合议组成员须为本机关在职执法人员", field="panel")
        bar = law.panel_bar(members=len(members))
        if bar:
            raise InputError(bar, field="panel")
        case.outcome = outcome
        case._panel = members
    if name == "schedule_hearing":
        hearing = parse_date(data.get("hearing_date"), field="hearing_date", label="口头审理日期", required=False)
        if hearing is None:
            raise InputError("请填写口头审理日期", field="hearing_date")
        rule = DeadlineRule.objects.filter(code="INF_HEARING_NOTICE", is_active=True).first()
        if rule is not None:
            earliest = dl.earliest_after_notice(on, rule.amount)
            if hearing < earliest:
                raise InputError(
                    f"口头审理应至少提前{rule.amount}个工作日通知：{on}通知的，最早可定于{earliest}（{rule.legal_basis[:24]}…）",
                    field="hearing_date",
                )
        case.hearing_at = timezone.make_aware(dt.datetime.combine(hearing, dt.time(9, 0)))
    if name in ("become_final", "lift_measures"):
        code = "INF_SUE" if name == "become_final" else "EC_WAIT"
        d = case.deadlines.filter(rule__code=code, status=DeadlineStatus.OPEN).first()
        if d is not None and on <= d.due:
            what = "起诉期" if name == "become_final" else "等待期"
            raise InputError(f"{what}尚未届满（届满日{d.due}），{d.due}之后才能执行此操作", field="transition")
    if name == "request_hearing":
        d = case.deadlines.filter(rule__code="CF_HEARING_REQ", status=DeadlineStatus.OPEN).first()
        if d is not None and on > d.due:
            raise InputError(
                f"听证申请已超过期限（应于{d.due}前提出）" + law.cite("hearing_request"), field="transition"
            )
    if name == "transfer_to_police":
        docs = set(data.get("documents") or [])
        missing = [label for key, label in POLICE_TRANSFER_DOCUMENTS if key not in docs]
        if missing:
            raise InputError("移送材料不齐全，缺少：" + "、".join(missing), field="documents")
        case.transfer_documents = sorted(docs)
    if name == "suspend" and not (data.get("basis") or "").strip():
        raise InputError("中止须填写依据（如无效宣告请求受理通知书文号）", field="basis")


def transition(*, case: Case, name: str, by, reason: str, on: dt.date | None = None, **data) -> Case:
    """Move a case one step (who and why recorded), updating its time limits; illegal steps raise a Chinese error."""
    require_case_worker(by, case)
    if not (reason or "").strip():
        raise InputError("请填写办理意见或理由", field="reason")
    on = on or today()
    case._on = on  # the day the FSM conditions and the hearing window judge
    bar = transition_bar(case=case, name=name, user=by)
    if bar:
        raise InputError(bar, field="approved_by" if name in HEAD_APPROVED and hasattr(case, name) else "transition")
    _check_rules(case, name, on, data)
    with transaction.atomic():
        try:
            run_transition(case, name, by=by, reason=reason.strip())
        except TransitionNotAllowed as exc:
            raise InputError(str(exc), field="transition")
        if name == "execute" and case.published_on:
            run_transition(case, "publicize", by=by, reason=f"执行完毕；处罚信息已于{case.published_on}公示")
        if name in ("accept", "file_case"):
            case.accepted_on = on
        if name == "notify_pre_decision":
            case.pre_decision_on = on
        if name == "serve_decision":
            case.served_on = on
        if name in (
            "decide",
            "mediate",
            "decide_penalty",
            "decide_no_penalty",
            "decide_transfer",
            "lift_measures",
            "maintain_measures",
            "approve_transfer",
            "reject_transfer",
            "refuse",
            "decline_filing",
        ):
            case.decided_on = on
        if case.is_terminal:
            case.closed_on = on
        case.save()
        if name == "decide":
            case.panel_members.set(case._panel)
        if name == "suspend":
            Suspension.objects.create(
                case=case, begin=on, reason=reason.strip(), basis=data.get("basis", "").strip(), created_by=by
            )
        if name == "resume":
            sus = case.suspensions.filter(end__isnull=True).order_by("-begin").first()
            if sus is not None:
                sus.end, sus.resumed_by = on, by
                sus.save()
            recompute_deadlines(case=case)
        _close_deadlines(case, name, on)
        if not case.is_terminal:
            _open_deadlines(case, name, anchor=case.counter_delivered_on if name == "forward_counter" else on)
        else:
            ended = f"案件{case.get_state_display()}（{TRANSITION_LABELS.get(name, name)}）"
            audit.update_recorded(
                case.deadlines.filter(status=DeadlineStatus.OPEN),
                by=by,
                reason=f"{ended}，未届满的期限终止",
                status=DeadlineStatus.CANCELLED,
                closed_at=timezone.now(),
                closed_by=name,
            )
            audit.update_recorded(
                case.suspensions.filter(end__isnull=True), by=by, reason=f"{ended}，中止随之结束", end=on
            )
        if name == "decide_transfer":
            child = create_case(
                case_type=CaseType.POLICE_TRANSFER,
                title=f"{case.title}（涉嫌犯罪移送）",
                by=by,
                region_code=case.region_code,
                respondent_name=case.respondent_name,
                respondent_address=case.respondent_address,
                patent_no=case.patent_no,
                summary=reason.strip(),
                parent=case,
                received_on=on,
                handler=case.handler,
                requester_name=case.requester_name,
                reporter_confidential=case.reporter_confidential,
            )
            case.crime_suspected = True
            case.save(update_fields=["crime_suspected"])
            audit.record(AuditAction.OTHER, obj=child, actor=by, reason=f"由{case.case_no}移送程序生成")
    return case


# ---------------------------------------------------------------- the party's hearing and the penalty (行政处罚法)


def is_head(*, user, organization) -> bool:
    """True when the user is a registered head (正职负责人 or 主持工作的负责人) of the enforcement body."""
    return bool(user) and AgencyHead.objects.filter(organization=organization, user=user, is_active=True).exists()


def heads_of(organization):
    """Users registered as heads of the body (who may approve extensions and transfers)."""
    return User.objects.filter(
        pk__in=AgencyHead.objects.filter(organization=organization, is_active=True).values("user_id")
    )


def can_approve_extension(*, user, case: Case, requested_by) -> bool:
    """A time limit is extended only on the approval of a registered head of the handling body who is not the
    officer asking for the extension (行政强制法 art 25; 专利行政执法办法 art 21)."""
    return user is not None and user != requested_by and is_head(user=user, organization=case.handling_org)


def extension_approvers(*, case: Case, requested_by):
    """The users `requested_by` may name as approver of an extension (see can_approve_extension)."""
    return heads_of(case.handling_org).exclude(pk=requested_by.pk)


def can_record_hearing(*, user, case: Case) -> bool:
    """Only the presiding officer records the hearing, once it is due and not yet recorded."""
    panel = hearing_panel(case)
    return bool(panel and panel["can_record"] and user.pk == case.hearing_presider_id)


def require_head(*, user, case: Case, what: str) -> None:
    """Only the head of the handling body may approve (移送规定 art 5; 专利行政执法办法 art 21)."""
    if not is_head(user=user, organization=case.handling_org):
        heads = (
            "、".join(
                h.user.display_name
                for h in AgencyHead.objects.filter(organization=case.handling_org, is_active=True).select_related(
                    "user"
                )
            )
            or "（未登记负责人，请系统管理员在后台登记）"
        )
        raise InputError(
            f"{what}须由{case.handling_org.name}的正职负责人或主持工作的负责人审批（负责人：{heads}）"
            + law.cite("head_approval"),
            field="approved_by",
        )


INVESTIGATION_STEPS = ("file_case", "begin_investigation", "submit_report")


def investigators(case: Case) -> set[int]:
    """Ids of the officers who investigated: the handler, those who took the investigation steps, and every officer
    named in the full-process record."""
    from ipplatform.core.models import StateTransition

    ids = {case.handler_id} if case.handler_id else set()
    ids.update(
        StateTransition.objects.filter(
            object_id=str(case.pk),
            transition__in=INVESTIGATION_STEPS,
            actor_id__isnull=False,
            content_type__model="case",
            content_type__app_label="protection",
        ).values_list("actor_id", flat=True)
    )
    for officer_ids in case.evidence.values_list("officer_ids", flat=True):
        ids.update(int(i) for i in officer_ids or [] if is_id(i))
    return ids


def record_waiver(*, case: Case, by, note: str, on: dt.date | None = None) -> Case:
    """Record the party's written waiver of statement, defence and hearing (then a penalty may be decided at once)."""
    require_case_worker(by, case)
    on = on or today()
    if case.case_type != CaseType.COUNTERFEIT or case.state not in (S.PRE_DECISION, S.HEARING):
        raise InputError("只有在已告知陈述申辩和听证权利之后，才能登记当事人的书面放弃", field="waiver")
    if not (note or "").strip():
        raise InputError(
            "请填写书面放弃材料的名称或编号（如当事人签名的《放弃陈述申辩和听证权利声明》）", field="waiver_note"
        )
    case.waiver_on, case.waiver_note = on, note.strip()[:200]
    case.save(update_fields=["waiver_on", "waiver_note", "updated_at"])
    audit.record(AuditAction.UPDATE, obj=case, actor=by, reason=f"当事人书面放弃陈述申辩和听证：{case.waiver_note}")
    return case


def schedule_penalty_hearing(*, case: Case, by, hearing_date, presider, on: dt.date | None = None) -> Case:
    """Notify the hearing: at least 7 working days ahead, presided by an officer who did not investigate the case."""
    require_case_worker(by, case)
    on = on or today()
    if case.case_type != CaseType.COUNTERFEIT or case.state != S.HEARING:
        raise InputError("当事人要求听证后才能安排听证", field="hearing_date")
    day = parse_date(hearing_date, field="hearing_date", label="听证日期", required=False)
    if day is None:
        raise InputError("请填写听证日期", field="hearing_date")
    earliest = law.earliest_hearing(notice_on=on)
    if day < earliest:
        raise InputError(
            f"听证应在举行7个工作日前通知当事人：{on}通知的，最早可定于{earliest}" + law.cite("hearing_notice"),
            field="hearing_date",
        )
    if presider is None:
        raise InputError("请指定听证主持人", field="presider")
    if presider.pk in investigators(case):
        raise InputError(
            f"{presider.display_name}参与了本案调查，不能主持听证" + law.cite("hearing_presider"), field="presider"
        )
    if not is_case_worker(presider) or presider.organization_id != case.handling_org_id:
        raise InputError("听证主持人须为本执法机关的执法人员", field="presider")
    case.hearing_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    case.hearing_notice_on, case.hearing_presider = on, presider
    case.save(update_fields=["hearing_at", "hearing_notice_on", "hearing_presider", "updated_at"])
    audit.record(AuditAction.UPDATE, obj=case, actor=by, reason=f"听证通知：{day}举行，主持人{presider.display_name}")
    return case


def record_penalty_hearing(*, case: Case, by, record: str, on: dt.date | None = None) -> Case:
    """Record the hearing held (the record the decision must rest on, 行政处罚法 arts 64(8), 65)."""
    require_case_worker(by, case)
    on = on or today()
    if case.state != S.HEARING or not case.hearing_notice_on or not case.hearing_at:
        raise InputError("请先发出听证通知（时间、地点、主持人）", field="record")
    if on < timezone.localtime(case.hearing_at).date():
        raise InputError(
            f"听证定于{timezone.localtime(case.hearing_at).date()}举行，不能在此前登记听证笔录", field="record"
        )
    if by.pk != case.hearing_presider_id:
        raise InputError("听证笔录由听证主持人登记", field="record")
    if len((record or "").strip()) < 10:
        raise InputError("请填写听证笔录（当事人陈述、申辩意见，调查人员意见，质证情况等）", field="record")
    case.hearing_held_on, case.hearing_record = on, record.strip()
    case.save(update_fields=["hearing_held_on", "hearing_record", "updated_at"])
    audit.record(AuditAction.UPDATE, obj=case, actor=by, reason=f"{on}举行听证，已制作听证笔录")
    return case


def publish_penalty(*, case: Case, by, on: dt.date | None = None) -> Case:
    """Record the publication of the penalty (due within 20 working days of the decision, not after execution)."""
    require_case_worker(by, case)
    on = on or today()
    if case.outcome != Outcome.PENALTY or not case.decided_on:
        raise InputError("只有已作出的行政处罚决定需要公示", field="transition")
    if case.published_on:
        raise InputError(f"已于{case.published_on}公示", field="transition")
    with transaction.atomic():
        case.published_on = on
        case.save(update_fields=["published_on", "updated_at"])
        _close_deadlines(case, "publish_penalty", on)
        if case.state == S.EXECUTED:
            run_transition(case, "publicize", by=by, reason="执行完毕，处罚信息已公示")
            case.save()
    audit.record(AuditAction.UPDATE, obj=case, actor=by, reason=f"{on}公示行政处罚信息")
    return case


# measure: (label, case type, rule that must be open first or "", rule shown on the rules page)
MEASURES = {
    "seize": ("查封、扣押", CaseType.COUNTERFEIT, "", "seizure_period"),
    "release_seizure": ("解除查封、扣押", CaseType.COUNTERFEIT, "CF_SEIZURE", "seizure_period"),
    "preserve": ("先行登记保存", CaseType.COUNTERFEIT, "", "preservation_decision"),
    "decide_preserved": (
        "对先行登记保存物品作出处理决定",
        CaseType.COUNTERFEIT,
        "CF_PRESERVE",
        "preservation_decision",
    ),
    "hand_over_goods": ("涉案物品及有关材料移交公安机关", CaseType.POLICE_TRANSFER, "PT_GOODS", "goods_handover"),
    "tell_reporter": ("告知实名举报人立案结果", CaseType.COUNTERFEIT, "CF_REPORTER", "reporter_notice"),
    "publish_notice": ("平台公示通知", CaseType.ECOMMERCE, "", "ecommerce_publish"),
    "publish_counter": ("平台公示不侵权声明", CaseType.ECOMMERCE, "", "ecommerce_publish"),
    "publish_outcome": ("平台公示处理结果", CaseType.ECOMMERCE, "", "ecommerce_publish"),
}


def record_measure(*, case: Case, by, measure: str, note: str, on: dt.date | None = None) -> Case:
    """Record an enforcement measure or a platform publication on the case, opening or closing its statutory time limit."""
    require_case_worker(by, case)
    on = on or today()
    if measure not in MEASURES:
        raise InputError(f"未知的措施“{measure}”", field="measure")
    label, case_type, needs_open, rule_code = MEASURES[measure]
    if case.case_type != case_type:
        raise InputError(f"“{label}”不适用于{case.get_case_type_display()}", field="measure")
    if case.is_terminal:
        raise InputError(f"案件已{case.get_state_display()}，不能再登记“{label}”", field="measure")
    note = (note or "").strip()
    if not note or len(note) > 200:
        raise InputError(f"请填写“{label}”的文书名称、编号或公示网址（200字以内）", field="note")
    if needs_open and not case.deadlines.filter(rule__code=needs_open, status=DeadlineStatus.OPEN).exists():
        raise InputError(
            f"本案没有待办的“{DeadlineRule.objects.get(code=needs_open).name}”，不能登记“{label}”", field="measure"
        )
    if measure in ("seize", "preserve"):
        code = "CF_SEIZURE" if measure == "seize" else "CF_PRESERVE"
        if case.deadlines.filter(rule__code=code, status=DeadlineStatus.OPEN).exists():
            raise InputError(
                f"本案已有未了结的“{label}”，请先解除或作出处理决定" + law.cite(rule_code), field="measure"
            )
    if measure == "publish_outcome" and not case.outcome:
        raise InputError("本案尚无处理结果，不能登记公示处理结果" + law.cite(rule_code), field="measure")
    if measure == "hand_over_goods" and case.state != S.POLICE_ACCEPTED:
        raise InputError("公安机关立案后方可移交涉案物品", field="measure")
    with transaction.atomic():
        case.measures = [
            *case.measures,
            {"measure": measure, "label": label, "on": on.isoformat(), "by": by.display_name, "note": note},
        ]
        case.save(update_fields=["measures", "updated_at"])
        _close_deadlines(case, measure, on)
        _open_deadlines(case, measure, anchor=on)
        audit.record(AuditAction.UPDATE, obj=case, actor=by, reason=f"{on}{label}：{note}")
    return case


def measure_choices(case: Case) -> list[tuple[str, str]]:
    """The measures the case page offers for this case type."""
    return [(k, v[0]) for k, v in MEASURES.items() if v[1] == case.case_type]


def _penalty_unpaid(case: Case) -> bool:
    return (
        case.case_type == CaseType.COUNTERFEIT
        and case.outcome == Outcome.PENALTY
        and case.state == S.SERVED
        and bool(case.served_on)
    )


def record_demand(*, case: Case, by, on: dt.date | None = None) -> Case:
    """Record the service of the 催告书 (行政强制法 art 54): only once the fine is overdue and unpaid."""
    require_case_worker(by, case)
    on = on or today()
    if not _penalty_unpaid(case):
        raise InputError("只有已送达且尚未执行完毕的行政处罚决定可以催告", field="demand_served_on")
    due = law.payment_due(served_on=case.served_on)
    if on <= due:
        raise InputError(
            f"缴纳罚款期限至{due}届满，届满后当事人仍未履行的方可催告" + law.cite("payment_period"),
            field="demand_served_on",
        )
    if case.demand_served_on:
        raise InputError(f"催告书已于{case.demand_served_on}送达", field="demand_served_on")
    case.demand_served_on = on
    case.save(update_fields=["demand_served_on", "updated_at"])
    audit.record(AuditAction.UPDATE, obj=case, actor=by, reason=f"{on}催告书送达当事人")
    return case


def apply_to_court(*, case: Case, by, on: dt.date | None = None) -> Case:
    """Record the application to the court for enforcement, refused outside the 3-month window or before the 催告 has run."""
    require_case_worker(by, case)
    on = on or today()
    if not _penalty_unpaid(case):
        raise InputError("只有已送达且尚未执行完毕的行政处罚决定可以申请强制执行", field="court_applied_on")
    if case.court_applied_on:
        raise InputError(f"已于{case.court_applied_on}申请人民法院强制执行", field="court_applied_on")
    bar = law.court_application_bar(served_on=case.served_on, demand_served_on=case.demand_served_on, on=on)
    if bar:
        raise InputError(bar, field="court_applied_on")
    case.court_applied_on = on
    case.save(update_fields=["court_applied_on", "updated_at"])
    audit.record(AuditAction.UPDATE, obj=case, actor=by, reason=f"{on}申请人民法院强制执行")
    return case


def payment_panel(case: Case, *, on: dt.date | None = None) -> dict | None:
    """What the case page shows of the fine's payment, the 3 %/day surcharge and enforcement (None when not applicable)."""
    if not (
        case.case_type == CaseType.COUNTERFEIT
        and case.outcome == Outcome.PENALTY
        and case.served_on
        and case.penalty_amount
    ):
        return None
    on = on or today()
    dates = law.enforcement_dates(served_on=case.served_on, demand_served_on=case.demand_served_on)
    unpaid = case.state == S.SERVED
    days, surcharge = (
        law.late_surcharge(fine=case.penalty_amount, due=dates["payment_due"], on=on) if unpaid else (0, Decimal("0"))
    )
    return {
        **dates,
        "unpaid": unpaid,
        "late_days": days,
        "surcharge": surcharge,
        "capped": surcharge == case.penalty_amount,
        "can_demand": unpaid and on > dates["payment_due"] and not case.demand_served_on,
        "court_bar": law.court_application_bar(served_on=case.served_on, demand_served_on=case.demand_served_on, on=on)
        if unpaid and not case.court_applied_on
        else "",
    }


def hearing_panel(case: Case, *, on: dt.date | None = None) -> dict | None:
    """What the case page shows of the party's hearing and the penalty's publication (None when not applicable)."""
    if case.case_type != CaseType.COUNTERFEIT or not (
        case.pre_decision_on or case.state in (S.PRE_DECISION, S.HEARING)
    ):
        return None
    on = on or today()
    publish = case.deadlines.filter(rule__code="CF_PUBLISH").order_by("-pk").first()
    hearing_day = timezone.localtime(case.hearing_at).date() if case.hearing_at and case.hearing_notice_on else None
    excluded = investigators(case)
    return {
        "told_on": case.pre_decision_on,
        "window_end": law.hearing_request_period_end(case=case),
        "bar": law.hearing_bar(case=case, on=on) if case.state in (S.PRE_DECISION, S.HEARING) else "",
        "requested": case.state == S.HEARING or bool(case.hearing_notice_on),
        "can_waive": case.state in (S.PRE_DECISION, S.HEARING) and not case.waiver_on,
        "can_schedule": case.state == S.HEARING and not case.hearing_held_on,
        "can_record": case.state == S.HEARING and bool(hearing_day) and not case.hearing_held_on,
        "hearing_day": hearing_day,
        "earliest": law.earliest_hearing(notice_on=on),
        "presiders": [
            u
            for u in User.objects.filter(organization=case.handling_org, is_active=True).order_by("username")
            if u.pk not in excluded
        ],
        "can_publish": case.outcome == Outcome.PENALTY and bool(case.decided_on) and not case.published_on,
        "publish_due": publish.due if publish else None,
    }


def _rules_for(case: Case):
    return DeadlineRule.objects.filter(case_type=case.case_type, is_active=True, kind=RuleKind.DEADLINE)


def _compute(deadline: CaseDeadline, suspensions) -> tuple[dt.date, dt.datetime | None]:
    total = deadline.amount + deadline.extension
    if deadline.unit == "hour":
        due_at = deadline.anchor_at + dt.timedelta(hours=total)
        return timezone.localtime(due_at).date(), due_at
    due = dl.due_date(deadline.anchor, total, deadline.unit, [p for p in suspensions if p[1] is not None])
    return due, None


def _suspension_periods(case: Case) -> list[tuple[dt.date, dt.date | None]]:
    return list(case.suspensions.values_list("begin", "end"))


def _open_deadlines(case: Case, event: str, *, anchor: dt.date) -> None:
    now = timezone.now()
    anchor_at = (
        now if anchor == timezone.localdate(now) else timezone.make_aware(dt.datetime.combine(anchor, dt.time(9, 0)))
    )
    for rule in _rules_for(case):
        if event not in rule.opens() or (rule.code in NAMED_REPORT_ONLY and not law.named_reporter(case)):
            continue
        audit.update_recorded(
            case.deadlines.filter(rule=rule, status=DeadlineStatus.OPEN),
            by=None,
            reason=f"“{rule.name}”因{TRANSITION_LABELS.get(event, event)}重新起算",
            status=DeadlineStatus.SUPERSEDED,
            closed_at=now,
            closed_by=event,
        )
        d = CaseDeadline(
            case=case,
            rule=rule,
            name=rule.name,
            amount=rule.amount,
            unit=rule.unit,
            anchor=anchor,
            anchor_at=anchor_at,
            due=anchor,
        )
        d.due, d.due_at = _compute(d, [])
        d.save()


def _close_deadlines(case: Case, event: str, on: dt.date) -> None:
    now = timezone.now()
    for d in case.deadlines.filter(status=DeadlineStatus.OPEN).select_related("rule"):
        if event in d.rule.closes():
            d.status = (
                DeadlineStatus.SUPERSEDED
                if event in d.rule.opens() or event == "request_correction"
                else DeadlineStatus.MET
            )
            d.closed_at, d.closed_by = now, event
            d.save()


def recompute_deadlines(*, case: Case) -> int:
    """Recompute the due dates of a case's open time limits (after a suspension ends or an extension, or on a
    calendar that has learnt a year's holidays); returns how many moved."""
    periods = _suspension_periods(case)
    moved = 0
    for d in case.deadlines.filter(status=DeadlineStatus.OPEN):
        due, due_at = _compute(d, periods)
        if due is not None and (due != d.due or due_at != d.due_at):
            d.due, d.due_at = due, due_at
            d.save(update_fields=["due", "due_at"])
            moved += 1
    return moved


def recompute_open_deadlines(*, progress=None) -> dict:
    """Recount every open time limit on the calendar as it stands (daily, and after chinese-calendar is updated with
    a year's official arrangement): a date counted before that year's holidays were loaded moves to the right day.
    Only deadlines whose date changes are written, each with its audit record."""
    cases = list(Case.objects.filter(deadlines__status=DeadlineStatus.OPEN).distinct().order_by("pk"))
    moved = 0
    for i, case in enumerate(cases, 1):
        with transaction.atomic():
            moved += recompute_deadlines(case=case)
        if progress:
            progress(i, len(cases), case.case_no)
    return {
        "cases": len(cases),
        "moved": moved,
        "summary": f"在办案件{len(cases)}件，{moved}项期限的届满日按现行日历调整",
    }


def extend_deadline(
    *, deadline: CaseDeadline, by, amount: int, approved_by, approval_ref: str, reason: str
) -> CaseDeadline:
    """Extend a time limit within its rule's maximum, with a named approver other than the requester."""
    require_case_worker(by, deadline.case)
    rule = deadline.rule
    if deadline.status != DeadlineStatus.OPEN:
        raise InputError("该期限已完成或终止，不能延长", field="deadline")
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        raise InputError("延长期限必须是整数", field="amount")
    if amount <= 0:
        raise InputError("延长期限必须大于0", field="amount")
    if rule.code in EXTEND_ONCE and deadline.extension:
        raise InputError(
            f"“{rule.name}”只能延长一次，已延长{deadline.extension}{rule.get_unit_display()}（{rule.legal_basis[:30]}…）",
            field="amount",
        )
    if deadline.extension + amount > rule.max_extension:
        left = rule.max_extension - deadline.extension
        raise InputError(
            f"“{rule.name}”最多可延长{rule.max_extension}{rule.get_unit_display()}，还可延长{left}{rule.get_unit_display()}（{rule.legal_basis[:30]}…）",
            field="amount",
        )
    if not can_approve_extension(user=approved_by, case=deadline.case, requested_by=by):
        if approved_by is None or approved_by == by:
            raise InputError("延长期限须由负责人批准：请选择申请人以外的批准人", field="approved_by")
        require_head(user=approved_by, case=deadline.case, what="延长期限")  # refuses, naming the body's heads
    if not (approval_ref or "").strip() or not (reason or "").strip():
        raise InputError("请填写审批文号和延长理由", field="approval_ref")
    with transaction.atomic():
        old = deadline.due
        deadline.extension += amount
        deadline.due, deadline.due_at = _compute(deadline, _suspension_periods(deadline.case))
        deadline.save()
        DeadlineExtension.objects.create(
            deadline=deadline,
            amount=amount,
            reason=reason.strip(),
            approval_ref=approval_ref.strip(),
            approved_by=approved_by,
            requested_by=by,
            old_due=old,
            new_due=deadline.due,
        )
    return deadline


# ---------------------------------------------------------------- deadlines board and reminders


def deadline_status(d: CaseDeadline, *, on: dt.date | None = None, soon_days: int = 3) -> str:
    """'suspended', 'overdue', 'period_over' (a party's period ended: take the next step), 'due_soon' or 'ok'."""
    on = on or today()
    if d.case.state == S.SUSPENDED:
        return "suspended"
    if d.due < on or (d.due_at is not None and d.due_at < timezone.now()):
        return "period_over" if d.rule.party_period else "overdue"
    if d.due <= dl.due_date(on, soon_days, "wd"):
        return "due_soon"
    return "ok"


STATUS_LABELS = {
    "suspended": "中止（暂停计算）",
    "overdue": "已超期",
    "due_soon": "即将到期",
    "period_over": "期满待办理",
    "ok": "期限内",
}


def board(
    *, user, handler_id=None, city_code: str = "", department_id=None, status: str = "", on: dt.date | None = None
) -> list[dict]:
    """Open time limits in the user's scope with their status, filterable by handler, city, department and status."""
    on = on or today()
    qs = CaseDeadline.objects.filter(status=DeadlineStatus.OPEN, case__in=cases_for(user)).select_related(
        "case", "case__handler", "case__handling_org", "rule"
    )
    if handler_id:
        qs = qs.filter(case__handler_id=handler_id)
    if city_code:
        qs = qs.filter(case__city_code=city_code)
    if department_id:
        qs = qs.filter(case__department_id=department_id)
    rows = []
    for d in qs.order_by("due", "pk"):
        st = deadline_status(d, on=on)
        if status and st != status:
            continue
        rows.append(
            {
                "deadline": d,
                "case": d.case,
                "status": st,
                "status_label": STATUS_LABELS[st],
                "days_left": (d.due - on).days,
            }
        )
    return rows


@dataclass(frozen=True)
class DeadlineTodo:
    url: str
    text: str
    due: dt.date | None
    late: bool


def days_left_text(days: int) -> str:
    """How a time limit stands in words: 剩余3天, 今天到期, 已过3天 (never "剩余-3天")."""
    if days > 0:
        return f"剩余{days}天"
    return "今天到期" if days == 0 else f"已过{-days}天"


def todo_for(*, user, on: dt.date | None = None) -> list[DeadlineTodo]:
    """The workbench's to-do items: the open time limits in the user's scope that are overdue, due soon or over
    (the deadline board's statuses), for case workers only."""
    if not is_case_worker(user):
        return []
    return [
        DeadlineTodo(
            reverse("protection:case_detail", args=[r["case"].pk]),
            f"{r['status_label']}：{r['case']} · {r['deadline'].rule}（{days_left_text(r['days_left'])}）",
            r["deadline"].due,
            r["status"] in ("overdue", "period_over"),
        )
        for r in board(user=user, on=on)
        if r["status"] in ("overdue", "due_soon", "period_over")
    ]


def send_reminders(*, on: dt.date | None = None, progress=None) -> dict:
    """Notify handlers (or the bureau's officers) of time limits due soon or overdue; each reminder once per day."""
    on = on or today()
    sent = checked = 0
    open_qs = CaseDeadline.objects.filter(status=DeadlineStatus.OPEN).select_related(
        "case", "case__handler", "case__handling_org", "rule"
    )
    total = open_qs.count()
    for d in open_qs.iterator():
        checked += 1
        st = deadline_status(d, on=on)
        if st in ("due_soon", "overdue", "period_over"):
            case = d.case
            recipients = (
                [case.handler]
                if case.handler_id
                else list(User.objects.filter(organization=case.handling_org, is_active=True))
            )
            title = f"{STATUS_LABELS[st]}：{case.case_no} {d.name}（届满{d.due}）"
            for user in recipients:
                if notify(
                    user=user,
                    title=title,
                    body=case.title,
                    url=f"/protection/cases/{case.pk}/",
                    kind="protection_deadline",
                    dedupe_key=f"protection:deadline:{d.pk}:{st}:{on.isoformat()}",
                ):
                    sent += 1
        if progress:
            progress(checked, total)
    return {"summary": f"检查{checked}个期限，发送提醒{sent}条", "sent": sent, "checked": checked}


# ---------------------------------------------------------------- respondent view (reporter identity protected)


PARTY_FIELDS = [
    "case_no",
    "case_type",
    "state",
    "title",
    "respondent_name",
    "respondent_address",
    "patent_no",
    "received_on",
    "accepted_on",
    "decided_on",
    "outcome",
    "handling_org",
]


def is_respondent(user, case: Case) -> bool:
    return bool(
        user and user.is_authenticated and case.respondent_org_id and user.organization_id == case.respondent_org_id
    )


def party_view(*, case: Case, user) -> dict:
    """What the reported or respondent party may see: no reporter identity when it is confidential."""
    if not (is_respondent(user, case) or cases_for(user).filter(pk=case.pk).exists()):
        raise PermissionDenied("无权查看该案件")
    return party_data(case)


def party_data(case: Case) -> dict:
    """Case facts safe for parties and consulted experts (the reporter stays anonymous when protected)."""
    data = {
        "案号": case.case_no,
        "案件类型": case.get_case_type_display(),
        "状态": case.get_state_display(),
        "案由": case.title,
        "被请求人/当事人": case.respondent_name,
        "专利号": case.patent_no,
        "收到日期": case.received_on,
        "受理/立案日期": case.accepted_on,
        "决定日期": case.decided_on,
        "处理结果": case.get_outcome_display() if case.outcome else "",
        "承办单位": case.handling_org.name,
    }
    data["请求人/举报人"] = law.CONFIDENTIAL_LABEL if case.reporter_confidential else case.requester_name
    return data


def requester_display(case: Case, user) -> str:
    """The requester's name as this user may see it."""
    if case.reporter_confidential and not is_case_worker(user) and case.requester_user_id != getattr(user, "pk", None):
        return law.CONFIDENTIAL_LABEL
    return case.requester_name


def assign_handler(*, case: Case, by, handler) -> Case:
    """Assign the handling officer (must work at the handling bureau or province)."""
    require_case_worker(by, case)
    if handler is None or not is_case_worker(handler) or not cases_for(handler).filter(pk=case.pk).exists():
        raise InputError("承办人须为能办理本案的执法人员", field="handler")
    case.handler = handler
    case.save(update_fields=["handler", "updated_at"])
    return case


# ---------------------------------------------------------------- expert pool and consultations


def experts(*, field: str = ""):
    """Active experts of the one pool (experts.Expert) with a platform account, optionally those whose fields contain `field`."""
    from ipplatform.experts.models import Expert

    qs = Expert.objects.filter(is_active=True, user__is_active=True, user__role=Role.EXPERT).select_related(
        "user", "employer"
    )
    term = field.strip()
    if term:
        qs = qs.filter(
            Q(ipc_codes__icontains=term.replace(" ", ""))
            | Q(industries__icontains=term)
            | Q(keywords__icontains=term)
            | Q(user__expert_fields__icontains=term)
        )
    return qs.order_by("user__username")


def ensure_expert_profiles() -> int:
    """Create pool entries (experts.Expert) for users with the expert role (fields copied from their account)."""
    from ipplatform.experts.services import ensure_for_expert_accounts

    return ensure_for_expert_accounts()


def request_consultation(*, case: Case, by, expert, question: str):
    """Ask a pool expert for an infringement-determination opinion."""
    from .models import Consultation

    require_case_worker(by, case)
    from ipplatform.experts.services import conflicts_with, for_user

    pool = for_user(expert) if expert is not None else None
    if expert is None or expert.role != Role.EXPERT or pool is None or not pool.is_active:
        raise InputError("请选择专家库中的在库专家", field="expert")
    parties = [case.respondent_org, case.requester_user.organization if case.requester_user_id else None]
    conflicts = conflicts_with(expert=pool, orgs=[o for o in parties if o is not None])
    if conflicts:
        raise InputError("；".join(conflicts) + "，应当回避", field="expert")
    if not (question or "").strip():
        raise InputError("请填写咨询问题", field="question")
    if case.conflict_declarations.filter(expert=expert, has_conflict=True).exists():
        raise InputError(f"专家{expert.display_name}已声明与本案存在利益冲突，应当回避", field="expert")
    c = Consultation.objects.create(case=case, expert=expert, question=question.strip(), asked_by=by)
    notify(
        user=expert,
        title=f"侵权判定咨询：{case.case_no}",
        body=question.strip()[:200],
        url=f"/protection/consultations/{c.pk}/",
        kind="protection",
        dedupe_key=f"protection:consult:{c.pk}",
    )
    return c


def declare_conflict(*, consultation, by, has_conflict: bool, statement: str):
    """The expert declares (no) conflict of interest; a conflict declines the consultation."""
    from .enums import ConsultationState
    from .models import ConflictDeclaration

    if consultation.expert_id != by.pk:
        raise PermissionDenied("只有被咨询的专家本人可以声明")
    if not (statement or "").strip():
        raise InputError("请填写声明内容（与当事人有无亲属、雇佣、代理、投资等关系）", field="statement")
    with transaction.atomic():
        ConflictDeclaration.objects.create(
            expert=by, case=consultation.case, has_conflict=has_conflict, statement=statement.strip()
        )
        if has_conflict and consultation.state == ConsultationState.REQUESTED:
            consultation.state = ConsultationState.DECLINED
            consultation.answered_at = timezone.now()
            consultation.save()
    return consultation


def answer_consultation(*, consultation, by, answer: str):
    """The expert answers; only after declaring no conflict of interest for the case."""
    from .enums import ConsultationState

    if consultation.expert_id != by.pk:
        raise PermissionDenied("只有被咨询的专家本人可以答复")
    if consultation.state != ConsultationState.REQUESTED:
        raise InputError(f"该咨询已{consultation.get_state_display()}，不能再次答复", field="answer")
    last = consultation.case.conflict_declarations.filter(expert=by).order_by("-declared_at", "-pk").first()
    if last is None or last.has_conflict:
        raise InputError("答复前须先声明与本案不存在利益冲突", field="answer")
    if not (answer or "").strip():
        raise InputError("请填写专家意见", field="answer")
    consultation.answer, consultation.state, consultation.answered_at = (
        answer.strip(),
        ConsultationState.ANSWERED,
        timezone.now(),
    )
    consultation.save()
    notify(
        user=consultation.asked_by,
        title=f"专家已答复：{consultation.case.case_no}",
        url=f"/protection/cases/{consultation.case_id}/",
        kind="protection",
        dedupe_key=f"protection:consult-answer:{consultation.pk}",
    )
    return consultation


# ---------------------------------------------------------------- cross-agency transfers and notifications


def transfer_targets():
    """Partner agencies (公安, 市场监管, 海关…) and other regions' bureaus."""
    return Organization.objects.filter(kind__in=[OrgKind.PARTNER_AGENCY, OrgKind.CITY_BUREAU], is_active=True).order_by(
        "kind", "region_code"
    )


def send_to_agency(*, case: Case, by, to_org, kind: str, content: str, documents: str = ""):
    """Record a transfer, notification or assistance request sent to another agency or region."""
    from .enums import TransferKind
    from .models import AgencyTransfer

    require_case_worker(by, case)
    if kind not in TransferKind.values:
        raise InputError("请选择移送/通报类别", field="kind")
    if to_org is None or to_org.kind not in (OrgKind.PARTNER_AGENCY, OrgKind.CITY_BUREAU):
        raise InputError("接收单位须为协作执法部门或其他地区知识产权局", field="to_org")
    if to_org.pk == case.handling_org_id:
        raise InputError("不能移送给本案承办单位自身", field="to_org")
    if not (content or "").strip():
        raise InputError("请填写移送或通报内容", field="content")
    t = AgencyTransfer.objects.create(
        case=case, kind=kind, to_org=to_org, content=content.strip(), documents=documents.strip(), sent_by=by
    )
    for user in User.objects.filter(organization=to_org, is_active=True):
        notify(
            user=user,
            title=f"{t.get_kind_display()}：{case.case_no}",
            url=f"/protection/cases/{case.pk}/",
            kind="protection",
            dedupe_key=f"protection:transfer:{t.pk}",
        )
    return t


def record_receipt(*, transfer, by, receipt_by: str, note: str = "", received_at=None):
    """Record the receiving agency's receipt (once)."""
    require_case_worker(by, transfer.case)
    if transfer.receipt_at:
        raise InputError("该移送已登记回执，不能重复登记", field="receipt_by")
    if not (receipt_by or "").strip():
        raise InputError("请填写回执签收人", field="receipt_by")
    transfer.receipt_at = received_at or timezone.now()
    transfer.receipt_by, transfer.receipt_note, transfer.recorded_receipt_by = receipt_by.strip(), note.strip(), by
    transfer.save()
    return transfer


def link_respondent(*, case: Case, by, organization) -> Case:
    """Link the respondent to its platform organisation so that its users see the respondent view (never the reporter)."""
    require_case_worker(by, case)
    if organization is None or organization.kind not in (
        OrgKind.ENTERPRISE,
        OrgKind.UNIVERSITY,
        OrgKind.INSTITUTE,
        OrgKind.AGENCY,
    ):
        raise InputError("被请求人机构须为平台上的企业、高校、科研院所或代理机构", field="respondent_org")
    case.respondent_org = organization
    case.save(update_fields=["respondent_org", "updated_at"])
    for user in User.objects.filter(organization=organization, is_active=True):
        notify(
            user=user,
            title=f"案件通知：{case.case_no}",
            body=f"{case.handling_org.name}正在办理涉及贵单位的{case.get_case_type_display()}案件",
            url=f"/protection/cases/{case.pk}/party/",
            kind="protection",
            dedupe_key=f"protection:respondent:{case.pk}:{organization.pk}",
        )
    return case


def transfer_jurisdiction(*, case: Case, by, region_code: str, reason: str) -> Case:
    """Hand a case to the competent bureau of another region (移送管辖); the transfer awaits the receiver's receipt."""
    from .enums import TransferKind
    from .models import AgencyTransfer

    require_case_worker(by, case)
    if case.is_terminal:
        raise InputError("已办结的案件不能移送管辖", field="region_code")
    if not (reason or "").strip():
        raise InputError("请填写移送管辖的理由", field="reason")
    region, org, _note = route(region_code=region_code)
    if org is None:
        raise InputError(f"“{region_code}”不是山东省内的市或县，无法确定接收的知识产权局", field="region_code")
    if org.pk == case.handling_org_id:
        raise InputError(f"本案已由{org.name}承办", field="region_code")
    with transaction.atomic():
        old = case.handling_org
        AgencyTransfer.objects.create(
            case=case,
            kind=TransferKind.TRANSFER,
            to_org=org,
            content=f"移送管辖：{reason.strip()}",
            documents="案卷及全过程记录",
            sent_by=by,
        )
        case.region_code, case.city_code, case.handling_org, case.handler = (
            region,
            regions.city_code_of(region) or region,
            org,
            None,
        )
        case.save(update_fields=["region_code", "city_code", "handling_org", "handler", "updated_at"])
        audit.record(
            AuditAction.OTHER, obj=case, actor=by, reason=f"移送管辖：{old.name} → {org.name}（{reason.strip()}）"
        )
    for user in User.objects.filter(organization=org, is_active=True):
        notify(
            user=user,
            title=f"移送管辖：{case.case_no}",
            body=reason.strip(),
            url=f"/protection/cases/{case.pk}/",
            kind="protection",
            dedupe_key=f"protection:jurisdiction:{case.pk}:{org.pk}",
        )
    return case
