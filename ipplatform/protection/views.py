"""Pages of rights-protection assistance and enforcement (thin: rules live in services/evidence/documents/stats)."""

from __future__ import annotations

import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipplatform.core import audit, regions
from ipplatform.core.decorators import input_errors_as_messages
from ipplatform.core.downloads import DOCX, XLSX, attachment
from ipplatform.core.enums import AuditAction, OrgKind, Role
from ipplatform.core.inputs import InputError, is_id, parse_date, parse_datetime
from ipplatform.core.models import Organization, User
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.tables import Table, col
from ipplatform.core.tabs import select as select_tab
from ipplatform.core.tabs import url as tab_url
from ipplatform.core.workflow import history
from ipplatform.lib import workdays
from ipplatform.lib.xlsx import Sheet, workbook_bytes
from ipplatform.patents import legalstate

from . import documents, law, services
from . import evidence as ev
from . import stats as stats_mod
from .access import (
    cases_for,
    get_case,
    intakes_for,
    is_case_worker,
    require_case_worker,
)
from .defaults import PLACEHOLDERS
from .enums import (
    POLICE_TRANSFER_DOCUMENTS,
    TERMINAL_STATES,
    CaseState,
    CaseType,
    Channel,
    DeadlineStatus,
    EvidenceKind,
    EvidenceStage,
    IntakeKind,
    IntakeState,
    Outcome,
    TransferKind,
)
from .models import (
    AgencyTransfer,
    Case,
    CaseDeadline,
    Consultation,
    DeadlineRule,
    DocumentTemplate,
    Intake,
    IntakeAttachment,
)

_input_errors_to_messages = input_errors_as_messages(fallback="protection:case_list")


CASE_WORKERS = Gate(is_case_worker, "只有执法办案人员可以使用此功能")


def _staff_required(request):
    CASE_WORKERS.require(request.user)


def _user(pk):
    """The user with this id, or None for an empty or malformed id (the service then says who is missing)."""
    return User.objects.filter(pk=pk).first() if is_id(pk or "") else None


def _city_choices():
    return regions.cities(regions.REVISION_2015)


# ---------------------------------------------------------------- public intake and tracking


INTAKE_FIELDS = [
    "subject",
    "description",
    "requester_name",
    "requester_phone",
    "requester_email",
    "requester_address",
    "respondent_name",
    "respondent_address",
    "infringement_place",
    "patent_no",
    "region_code",
]


def intake_public(request, staff: bool = False):
    """12330 web form (no login needed); staff use the same form to record phone, letter and walk-in requests."""
    if staff:
        _staff_required(request)
    values = {k: request.POST.get(k, "") for k in INTAKE_FIELDS}
    values.update(
        kind=request.POST.get("kind", IntakeKind.COMPLAINT),
        channel=request.POST.get("channel", Channel.PHONE if staff else Channel.WEB),
        confidential=bool(request.POST.get("confidential")),
    )
    if not request.POST and request.user.is_authenticated and not staff:
        values["requester_name"] = request.user.display_name
        values["requester_phone"] = request.user.phone
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("website"):  # a field hidden from people: only form-filling robots fill it
                raise InputError("提交未成功，请刷新页面后重新填写", field="website")
            intake, code = services.submit_intake(
                channel=values["channel"] if staff else Channel.WEB,
                kind=values["kind"],
                confidential=values["confidential"],
                user=request.user if not staff else None,
                recorded_by=request.user if staff else None,
                attachments=request.FILES.getlist("attachments"),
                **{k: values[k] for k in INTAKE_FIELDS},
            )
        except InputError as exc:
            error = exc
        else:
            request.session["protection_receipt"] = {
                "tracking_no": intake.tracking_no,
                "code": code,
                "org": intake.handling_org.name if intake.handling_org else "省局法律事务处",
                "note": intake.routing_note,
            }
            if staff:
                messages.success(request, f"已登记：查询编号{intake.tracking_no}，查询码{code}（请告知来电/来访人）")
                return redirect("protection:intake_detail", pk=intake.pk)
            return redirect("protection:intake_done")
    return render(
        request,
        "protection/intake_form.html",
        {
            "values": values,
            "error": error,
            "staff": staff,
            "kinds": IntakeKind.choices,
            "channels": Channel.choices,
            "cities": _city_choices(),
            "max_files": ev.INTAKE_MAX_FILES,
            "max_mb": ev.intake_max_bytes() // 1048576,
            "accept": ev.INTAKE_ACCEPT,
        },
    )


def intake_done(request):
    receipt = request.session.pop("protection_receipt", None)
    if not receipt:
        return redirect("protection:track")
    return render(request, "protection/intake_done.html", {"receipt": receipt})


def track(request):
    """Public progress page: tracking number plus verification code."""
    intake, error, steps = None, None, []
    if request.method == "POST":
        try:
            intake = services.track(tracking_no=request.POST.get("tracking_no", ""), code=request.POST.get("code", ""))
            steps = services.public_progress(intake)
        except InputError as exc:
            error = exc
    return render(
        request,
        "protection/track.html",
        {
            "intake": intake,
            "error": error,
            "steps": steps,
            "file_names": services.attachment_names(intake) if intake else [],
            "tracking_no": request.POST.get("tracking_no", ""),
        },
    )


# ---------------------------------------------------------------- intake handling (staff)


@login_required
def intake_list(request):
    qs = intakes_for(request.user).select_related("handling_org")
    f = request.GET
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("q"):
        term = f["q"].strip()
        qs = qs.filter(Q(tracking_no__icontains=term) | Q(subject__icontains=term) | Q(respondent_name__icontains=term))
    page = Paginator(qs, 30).get_page(f.get("page"))
    on = services.today()
    for i in page:
        i.acceptance = law.complaint_decision(intake=i, on=on)
    return render(
        request,
        "protection/intake_list.html",
        {
            "page": page,
            "states": IntakeState.choices,
            "kinds": IntakeKind.choices,
            "staff": is_case_worker(request.user),
        },
    )


@login_required
def intake_new(request):
    return intake_public(request, staff=True)


@login_required
def intake_detail(request, pk):
    intake = get_object_or_404(Intake.objects.select_related("handling_org"), pk=pk)
    if not intakes_for(request.user).filter(pk=pk).exists():
        raise PermissionDenied("无权访问该登记：超出您的数据范围")
    return render(
        request,
        "protection/intake_detail.html",
        {
            "intake": intake,
            "history": history(intake),
            "staff": is_case_worker(request.user),
            "case_types": CaseType.choices,
            "cities": _city_choices(),
            "cases": intake.cases.all(),
            "acceptance": law.complaint_decision(intake=intake, on=services.today()),
            "files": services.attachments_for(user=request.user, intake=intake),
        },
    )


@login_required
def intake_attachment(request, pk):
    """A file the requester attached to a 12330 request: only for the officers handling it (recorded as an export)."""
    attachment = get_object_or_404(IntakeAttachment.objects.select_related("intake"), pk=pk)
    intake = attachment.intake
    if not is_case_worker(request.user) or not intakes_for(request.user).filter(pk=intake.pk).exists():
        raise PermissionDenied("只有承办该登记的执法办案人员可以查看请求人提交的附件")
    audit.record(
        AuditAction.EXPORT, obj=intake, reason=f"查看12330登记附件第{attachment.seq}号：{attachment.file_name}"
    )
    return FileResponse(ev.open_attachment(attachment), as_attachment=True, filename=attachment.file_name)


@login_required
@require_POST
@_input_errors_to_messages
def intake_action(request, pk):
    intake = get_object_or_404(Intake, pk=pk)
    if not intakes_for(request.user).filter(pk=pk).exists():
        raise PermissionDenied("无权办理该登记")
    action = request.POST.get("action")
    if action == "convert":
        case = services.convert_intake(
            intake=intake,
            by=request.user,
            case_type=request.POST.get("case_type", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, f"已立为案件{case.case_no}")
        return redirect("protection:case_detail", pk=case.pk)
    if action == "reroute":
        services.reroute_intake(
            intake=intake,
            by=request.user,
            region_code=request.POST.get("region_code", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "已改派")
    else:
        services.close_intake(intake=intake, by=request.user, action=action, reply=request.POST.get("reply", ""))
        messages.success(request, "已答复")
    return redirect("protection:intake_detail", pk=pk)


# ---------------------------------------------------------------- cases


CASE_HEADERS = [
    "案号",
    "类型",
    "案由",
    "状态",
    "管辖市",
    "承办单位",
    "承办人",
    "请求人/举报人",
    "被请求人",
    "专利号",
    "收到日期",
    "受理/立案日期",
    "决定日期",
    "办结日期",
    "处理结果",
]


def _case_row(case, user, names):
    return [
        case.case_no,
        case.get_case_type_display(),
        case.title,
        case.get_state_display(),
        names.get(case.city_code, case.city_code),
        case.handling_org.name,
        case.handler.display_name if case.handler else "",
        services.requester_display(case, user),
        case.respondent_name,
        case.patent_no,
        case.received_on,
        case.accepted_on,
        case.decided_on,
        case.closed_on,
        case.get_outcome_display() if case.outcome else "",
    ]


def _filtered_cases(request):
    qs = cases_for(request.user).select_related("handling_org", "handler")
    f = request.GET
    for key in ("case_type", "state", "city_code"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    if f.get("handler"):
        qs = qs.filter(handler_id=f["handler"]) if is_id(f["handler"]) else qs
    if f.get("q"):
        term = f["q"].strip()
        qs = qs.filter(
            Q(case_no__icontains=term)
            | Q(title__icontains=term)
            | Q(respondent_name__icontains=term)
            | Q(patent_no__icontains=term)
        )
    if f.get("open") == "1":
        qs = qs.exclude(state__in=TERMINAL_STATES)
    if f.get("priority") == "1":
        qs = qs.filter(priority=True)
    return qs.order_by("-priority", "-created_at")


CASE_COLUMNS = [
    col("case_no", "案号", "case_no"),
    col("type", "类型", "case_type"),
    col("title", "案由", "title"),
    col("state", "状态", "state"),
    col("city", "管辖市", "city_code", optional=True),
    col("handler", "承办人", "handler__real_name", optional=True),
    col("requester", "请求人/举报人", optional=True),
    col("respondent", "被请求人", "respondent_name", optional=True),
    col("received", "收到日期", "received_on"),
]


@login_required
def case_list(request):
    table = Table(
        request,
        _filtered_cases(request),
        columns=CASE_COLUMNS,
        unfiltered=cases_for(request.user),
        unscoped=Case.objects.all(),
        noun="案件",
        unit="件",
        name="cases",
    )
    qs = table.export_queryset()
    names = regions.division_names(regions.REVISION_2015)
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT,
            object_type="protection.case",
            object_repr="维权执法案件导出",
            reason=request.GET.urlencode(),
        )
        data = workbook_bytes(
            [
                Sheet(
                    "维权执法案件",
                    CASE_HEADERS,
                    (_case_row(c, request.user, names) for c in qs.iterator()),
                    notes=[
                        f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}；举报人身份保密的案件不显示举报人信息（对非办案人员）"
                    ],
                )
            ]
        )
        return attachment(data, "维权执法案件.xlsx", XLSX)
    page = table.page
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "protection/case_list.html",
        {
            "table": table,
            "page": page,
            "names": names,
            "case_types": CaseType.choices,
            "states": CaseState.choices,
            "cities": _city_choices(),
            "staff": is_case_worker(request.user),
            "query": query.urlencode(),
            "rows": [(c, services.requester_display(c, request.user)) for c in page],
            "my_intakes": []
            if is_case_worker(request.user)
            else Intake.objects.filter(requester_user=request.user).select_related("handling_org")[:50],
        },
    )


@login_required
def case_new(request):
    _staff_required(request)
    values = {
        k: request.POST.get(k, "")
        for k in (
            "case_type",
            "title",
            "region_code",
            "respondent_name",
            "respondent_address",
            "requester_name",
            "requester_contact",
            "patent_no",
            "summary",
            "platform",
            "received_on",
        )
    }
    error = None
    if request.method == "POST":
        try:
            received = parse_date(values["received_on"], field="received_on", label="收到日期", required=False)
            case = services.create_case(
                by=request.user,
                received_on=received,
                reporter_confidential=bool(request.POST.get("reporter_confidential")),
                crime_suspected=bool(request.POST.get("crime_suspected")),
                handler=request.user if request.user.role in (Role.CITY_OFFICER, Role.COUNTY_OFFICER) else None,
                **{k: v for k, v in values.items() if k != "received_on"},
            )
        except InputError as exc:
            error = exc  # the form is shown again with what was typed
        else:
            messages.success(request, f"已登记案件{case.case_no}")
            return redirect("protection:case_detail", pk=case.pk)
    return render(
        request,
        "protection/case_new.html",
        {"values": values, "error": error, "case_types": CaseType.choices, "cities": _city_choices()},
    )


TRANSITION_FIELDS = {
    "decide": "outcome",
    "schedule_hearing": "hearing_date",
    "decide_penalty": "penalty_amount",
    "transfer_to_police": "documents",
    "suspend": "basis",
}


def _expert_suggestions(case):
    from .expert_match import suggest_for_case

    try:
        return suggest_for_case(case=case, limit=5)
    except Exception:  # a suggestion failing must not take the case page down
        logging.getLogger(__name__).exception("expert suggestion failed for case %s", case.pk)
        return []


# transitions that end or refuse the matter (red buttons) and those that decide it (with a note for the decision)
DANGER_TRANSITIONS = frozenset({"refuse", "withdraw", "close", "decline_filing", "reject_transfer"})
DECISION_TRANSITIONS = frozenset(
    {"decide", "mediate", "decide_penalty", "decide_no_penalty", "decide_transfer", "refuse", "decline_filing"}
)


def _case_url(pk, tab: str, anchor: str = "") -> str:
    return tab_url("protection:case_detail", pk, tab, anchor)


@login_required
def case_detail(request, pk):
    case = get_case(request.user, pk)
    staff = is_case_worker(request.user)
    deadlines = list(case.deadlines.select_related("rule").order_by("status", "due"))
    for d in deadlines:
        d.board_status = services.deadline_status(d) if d.status == DeadlineStatus.OPEN else ""
        d.board_label = services.STATUS_LABELS.get(d.board_status, d.get_status_display())
    tabs, tab = select_tab(
        request,
        [
            ("overview", "概况"),
            *([("handle", "办理")] if staff else []),
            ("evidence", "材料/证据"),
            ("history", "流转记录"),
            *([("documents", "文书")] if staff else []),
        ],
    )
    ctx = {
        "case": case,
        "staff": staff,
        "tabs": tabs,
        "tab": tab,
        "danger_transitions": DANGER_TRANSITIONS,
        "decision_transitions": DECISION_TRANSITIONS,
        "intake_files": services.attachments_for(user=request.user, intake=case.intake),
        "history": history(case),
        "deadlines": deadlines,
        "extendable": [d for d in deadlines if d.status == DeadlineStatus.OPEN and d.rule.max_extension],
        "transitions": services.allowed_transitions(case=case, user=request.user),
        "requester": services.requester_display(case, request.user),
        "evidence": case.evidence.all(),
        "suspensions": case.suspensions.all(),
        "templates": [t for t in DocumentTemplate.objects.all() if t.applies_to(case.case_type)],
        "transfers": case.agency_transfers.select_related("to_org"),
        "targets": services.transfer_targets(),
        "consultations": case.consultations.select_related("expert"),
        "experts": services.experts(),
        "expert_suggestions": _expert_suggestions(case) if staff else [],
        "stages": EvidenceStage.choices,
        "evidence_kinds": EvidenceKind.choices,
        "transfer_kinds": TransferKind.choices,
        "police_docs": POLICE_TRANSFER_DOCUMENTS,
        "outcomes": [(Outcome.STOP_INFRINGEMENT, "责令停止侵权"), (Outcome.DISMISS, "驳回请求")],
        "approvers": services.extension_approvers(case=case, requested_by=request.user) if staff else [],
        "officers": User.objects.filter(organization=case.handling_org, is_active=True) if staff else [],
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "children": case.children.all(),
        "handlers": User.objects.filter(organization=case.handling_org, is_active=True) if staff else [],
        "cities": _city_choices(),
        "hearing": services.hearing_panel(case) if staff else None,
        "can_record_hearing": staff and services.can_record_hearing(user=request.user, case=case),
        "payment": services.payment_panel(case) if staff else None,
        "measure_choices": services.measure_choices(case) if staff else [],
        "party_orgs": Organization.objects.filter(
            kind__in=[OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.AGENCY], is_active=True
        ).order_by("name")
        if staff
        else [],
    }
    return render(request, "protection/case_detail.html", ctx)


@login_required
@require_POST
@_input_errors_to_messages
def case_transition(request, pk):
    case = get_case(request.user, pk)
    name = request.POST.get("transition", "")
    data = {
        k: request.POST.get(k, "")
        for k in (
            "outcome",
            "hearing_date",
            "penalty_amount",
            "basis",
            "illegal_gains",
            "violation_ended_on",
            "delivered_on",
        )
    }
    data["documents"] = request.POST.getlist("documents")
    data["panel"] = request.POST.getlist("panel")
    if request.POST.get("outcome_note"):
        case.outcome_note = request.POST["outcome_note"].strip()
    services.transition(case=case, name=name, by=request.user, reason=request.POST.get("reason", ""), **data)
    messages.success(request, f"已办理：{services.TRANSITION_LABELS.get(name, name)}")
    return redirect(_case_url(pk, "handle", "actions"))


@login_required
@require_POST
@_input_errors_to_messages
def case_hearing(request, pk):
    """The party's hearing in a 假冒专利 case: written waiver, hearing notice, hearing record; the penalty's publication."""
    case = get_case(request.user, pk)
    action, p = request.POST.get("action", ""), request.POST
    if action == "waiver":
        services.record_waiver(case=case, by=request.user, note=p.get("waiver_note", ""))
        messages.success(request, "已登记当事人书面放弃陈述申辩和听证权利")
    elif action == "schedule":
        services.schedule_penalty_hearing(
            case=case, by=request.user, hearing_date=p.get("hearing_date"), presider=_user(p.get("presider"))
        )
        messages.success(request, "已发出听证通知")
    elif action == "record":
        services.record_penalty_hearing(case=case, by=request.user, record=p.get("record", ""))
        messages.success(request, "已登记听证笔录，可依据笔录作出决定")
    elif action == "measure":
        services.record_measure(case=case, by=request.user, measure=p.get("measure", ""), note=p.get("note", ""))
        messages.success(request, "已登记执法措施或公示")
        return redirect(_case_url(pk, "handle", "measures"))
    elif action == "demand":
        services.record_demand(case=case, by=request.user)
        messages.success(request, "已登记催告书送达")
        return redirect(_case_url(pk, "handle", "payment"))
    elif action == "court":
        services.apply_to_court(case=case, by=request.user)
        messages.success(request, "已登记申请人民法院强制执行")
        return redirect(reverse("protection:case_detail", args=[pk]) + "#payment")
    elif action == "publish":
        services.publish_penalty(case=case, by=request.user)
        messages.success(request, "已登记处罚信息公示")
    else:
        raise InputError("未知的操作", field="action")
    return redirect(_case_url(pk, "handle", "hearing"))


@login_required
@require_POST
@_input_errors_to_messages
def case_assign(request, pk):
    case = get_case(request.user, pk)
    services.assign_handler(case=case, by=request.user, handler=_user(request.POST.get("handler")))
    messages.success(request, "已指定承办人")
    return redirect("protection:case_detail", pk=pk)


@login_required
@require_POST
@_input_errors_to_messages
def case_respondent(request, pk):
    case = get_case(request.user, pk)
    services.link_respondent(
        case=case,
        by=request.user,
        organization=Organization.objects.filter(pk=request.POST.get("respondent_org") or 0).first(),
    )
    messages.success(request, "已关联被请求人机构，其用户可在当事人视图查看本案（不含举报人信息）")
    return redirect("protection:case_detail", pk=pk)


@login_required
@require_POST
@_input_errors_to_messages
def case_jurisdiction(request, pk):
    case = get_case(request.user, pk)
    services.transfer_jurisdiction(
        case=case,
        by=request.user,
        region_code=request.POST.get("region_code", ""),
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, f"已移送{case.handling_org.name}办理")
    if not cases_for(request.user).filter(pk=pk).exists():
        return redirect("protection:case_list")
    return redirect("protection:case_detail", pk=pk)


@login_required
@require_POST
@_input_errors_to_messages
def case_extend(request, pk):
    case = get_case(request.user, pk)
    deadline = get_object_or_404(CaseDeadline, pk=request.POST.get("deadline") or 0, case=case)
    services.extend_deadline(
        deadline=deadline,
        by=request.user,
        amount=request.POST.get("amount"),
        approved_by=_user(request.POST.get("approved_by")),
        approval_ref=request.POST.get("approval_ref", ""),
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, f"“{deadline.name}”已延长")
    return redirect(_case_url(pk, "overview", "deadlines"))


@login_required
@require_POST
@_input_errors_to_messages
def case_evidence(request, pk):
    case = get_case(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        raise InputError("请选择要上传的文件", field="file")
    captured = parse_datetime(request.POST.get("captured_at"), field="captured_at", label="采集时间")
    officers = [u for u in (_user(x) for x in request.POST.getlist("officers")) if u is not None]
    officers += [n.strip() for n in re.split(r"[,，、;；\s]+", request.POST.get("officers_extra", "")) if n.strip()]
    r = ev.add_record(
        case=case,
        by=request.user,
        upload=upload,
        file_name=upload.name,
        stage=request.POST.get("stage", ""),
        kind=request.POST.get("kind", ""),
        title=request.POST.get("title", ""),
        captured_at=captured,
        officers=officers,
        device=request.POST.get("device", ""),
        location=request.POST.get("location", ""),
        approved_by=request.POST.get("approved_by", ""),
        note=request.POST.get("note", ""),
        algorithm=request.POST.get("algorithm", "sha256"),
    )
    messages.success(request, f"已记入全过程记录第{r.seq}号（{r.algorithm.upper()} {r.file_hash[:16]}…）")
    return redirect(_case_url(pk, "evidence", "evidence"))


@login_required
def evidence_download(request, pk):
    from .models import EvidenceRecord

    record = get_object_or_404(EvidenceRecord, pk=pk)
    case = get_case(request.user, record.case_id)
    require_case_worker(request.user, case)
    audit.record(AuditAction.EXPORT, obj=case, reason=f"下载全过程记录第{record.seq}号：{record.title}")
    return FileResponse(ev.open_file(record), as_attachment=True, filename=record.file_name)


@login_required
@_input_errors_to_messages
def case_document(request, pk, code):
    case = get_case(request.user, pk)
    template = get_object_or_404(DocumentTemplate, code=code)
    name, data = documents.generate(case=case, template=template, by=request.user)
    return attachment(data, name, DOCX)


@login_required
@require_POST
@_input_errors_to_messages
def case_agency(request, pk):
    case = get_case(request.user, pk)
    org = Organization.objects.filter(pk=request.POST.get("to_org") or 0).first()
    services.send_to_agency(
        case=case,
        by=request.user,
        to_org=org,
        kind=request.POST.get("kind", ""),
        content=request.POST.get("content", ""),
        documents=request.POST.get("documents", ""),
    )
    messages.success(request, "已登记移送/通报")
    return redirect(_case_url(pk, "history", "agency"))


@login_required
@require_POST
@_input_errors_to_messages
def transfer_receipt(request, pk):
    transfer = get_object_or_404(AgencyTransfer, pk=pk)
    get_case(request.user, transfer.case_id)
    services.record_receipt(
        transfer=transfer,
        by=request.user,
        receipt_by=request.POST.get("receipt_by", ""),
        note=request.POST.get("note", ""),
    )
    messages.success(request, "已登记回执")
    return redirect(_case_url(transfer.case_id, "history", "agency"))


@login_required
@require_POST
@_input_errors_to_messages
def case_consult(request, pk):
    case = get_case(request.user, pk)
    services.request_consultation(
        case=case, by=request.user, expert=_user(request.POST.get("expert")), question=request.POST.get("question", "")
    )
    messages.success(request, "已向专家发出咨询")
    return redirect(_case_url(pk, "history", "experts"))


def case_party(request, pk):
    """The respondent's view of a case (also previewed by staff): never the reporter's identity."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    case = get_object_or_404(Case.objects.select_related("handling_org"), pk=pk)
    data = services.party_view(case=case, user=request.user)
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, obj=case, reason="当事人视图导出")
        return attachment(
            workbook_bytes([Sheet("案件信息", ["项目", "内容"], list(data.items()))]),
            f"{case.case_no}-当事人.xlsx",
            XLSX,
        )
    return render(request, "protection/case_party.html", {"case": case, "data": data})


# ---------------------------------------------------------------- experts


@login_required
@gated(CASE_WORKERS)
def expert_pool(request):
    services.ensure_expert_profiles()
    field = request.GET.get("field", "")
    return render(request, "protection/experts.html", {"experts": services.experts(field=field), "field": field})


@login_required
def consultation_list(request):
    qs = Consultation.objects.select_related("case", "expert", "asked_by")
    if not is_case_worker(request.user):
        qs = qs.filter(expert=request.user)
    else:
        qs = qs.filter(case__in=cases_for(request.user))
    return render(request, "protection/consultations.html", {"items": qs[:200]})


@login_required
@_input_errors_to_messages
def consultation_detail(request, pk):
    c = get_object_or_404(Consultation.objects.select_related("case", "expert"), pk=pk)
    if c.expert_id != request.user.pk and not cases_for(request.user).filter(pk=c.case_id).exists():
        raise PermissionDenied("无权查看该咨询")
    if request.method == "POST":
        if request.POST.get("action") == "declare":
            services.declare_conflict(
                consultation=c,
                by=request.user,
                has_conflict=request.POST.get("has_conflict") == "1",
                statement=request.POST.get("statement", ""),
            )
            messages.success(request, "已提交利益冲突声明")
        else:
            services.answer_consultation(consultation=c, by=request.user, answer=request.POST.get("answer", ""))
            messages.success(request, "已提交专家意见")
        return redirect("protection:consultation_detail", pk=pk)
    declarations = c.case.conflict_declarations.filter(expert=c.expert)
    party = services.party_data(c.case) if c.expert_id == request.user.pk else None
    return render(
        request,
        "protection/consultation_detail.html",
        {"c": c, "declarations": declarations, "is_expert": c.expert_id == request.user.pk, "party": party},
    )


# ---------------------------------------------------------------- boards, verification, statistics, rules


BOARD_HEADERS = ["案号", "案由", "期限", "起算日", "届满日", "剩余天数", "状态", "承办人", "承办单位", "法律依据"]


@login_required
@gated(CASE_WORKERS)
def deadline_board(request):
    f = request.GET
    rows = services.board(
        user=request.user,
        handler_id=f.get("handler") if is_id(f.get("handler") or "") else None,
        city_code=f.get("city_code", ""),
        department_id=f.get("department") if is_id(f.get("department") or "") else None,
        status=f.get("status", ""),
    )
    if f.get("export") == "xlsx":
        data = workbook_bytes(
            [
                Sheet(
                    "期限看板",
                    BOARD_HEADERS,
                    (
                        [
                            r["case"].case_no,
                            r["case"].title,
                            r["deadline"].name,
                            r["deadline"].anchor,
                            r["deadline"].due,
                            r["days_left"],
                            r["status_label"],
                            r["case"].handler.display_name if r["case"].handler else "",
                            r["case"].handling_org.name,
                            r["deadline"].rule.legal_basis,
                        ]
                        for r in rows
                    ),
                    notes=[f"统计日：{timezone.localdate()}；即将到期 = 3个工作日内届满"],
                )
            ]
        )
        return attachment(data, "期限看板.xlsx", XLSX)
    counts = {k: sum(1 for r in rows if r["status"] == k) for k in services.STATUS_LABELS}
    handlers = User.objects.filter(pk__in=cases_for(request.user).exclude(handler=None).values("handler")).order_by(
        "username"
    )
    depts = Organization.objects.filter(kind=OrgKind.DEPARTMENT, name__in=["法律事务处", "鉴定中心"])
    query = f.copy()
    return render(
        request,
        "protection/board.html",
        {
            "rows": rows,
            "counts": counts,
            "labels": services.STATUS_LABELS,
            "cities": _city_choices(),
            "handlers": handlers,
            "depts": depts,
            "query": query.urlencode(),
        },
    )


@login_required
@gated(CASE_WORKERS)
def evidence_verify(request):
    reports = (
        ev.verify_all(cases=cases_for(request.user)) if request.method == "POST" or request.GET.get("run") else None
    )
    if reports is not None:
        audit.record(
            AuditAction.OTHER,
            object_type="protection.evidencerecord",
            object_repr="全过程记录校验",
            reason=f"校验{len(reports)}个案件，{sum(1 for r in reports if not r.ok)}个异常",
        )
    return render(
        request,
        "protection/verify.html",
        {
            "reports": reports,
            "bad": [r for r in reports or [] if not r.ok],
            "records": sum(r.checked for r in reports or []),
        },
    )


@login_required
@gated(CASE_WORKERS)
def statistics(request):
    year = request.GET.get("year", "")
    year_int = int(year) if is_id(year) and len(year) == 4 else None
    data = stats_mod.statistics(user=request.user, year=year_int)
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT,
            object_type="protection.case",
            object_repr="案件统计导出",
            reason=request.GET.urlencode(),
        )
        return attachment(
            workbook_bytes(
                stats_mod.sheets(data, note=f"年份：{year_int or '全部'}；导出：{timezone.localtime():%Y-%m-%d %H:%M}")
            ),
            "维权执法案件统计.xlsx",
            XLSX,
        )
    chart = {
        "tooltip": {},
        "xAxis": {"type": "category", "data": [m for m, _ in data["by_month"]]},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": "案件数", "data": [n for _, n in data["by_month"]]}],
    }
    return render(request, "protection/stats.html", {"data": data, "year": year, "chart": chart})


@login_required
@gated(CASE_WORKERS)
def rules(request):
    labels = services.TRANSITION_LABELS
    rules = list(DeadlineRule.objects.all())
    for r in rules:  # steps in Chinese, never the internal transition names
        r.opens_text = "、".join(labels.get(n, n) for n in sorted(r.opens()) if n in labels) or (
            "立案登记" if "create" in r.opens() else "—"
        )
        r.closes_text = "、".join(labels.get(n, n) for n in sorted(r.closes()) if n in labels) or (
            "登记处罚信息公示" if "publish_penalty" in r.closes() else "—"
        )
    return render(
        request,
        "protection/rules.html",
        {
            "rules": rules,
            "calendar_last_year": workdays.last_covered_year(),
            "templates": DocumentTemplate.objects.all(),
            "law_rules": law.rules_table(),
            "patent_rules": legalstate.rules_table(),
            "placeholders": PLACEHOLDERS.items(),
            "can_edit": request.user.is_superuser or request.user.is_staff,
        },
    )
