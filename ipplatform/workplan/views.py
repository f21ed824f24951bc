"""Pages of work-plan supervision; business rules live in the modules listed in services.py."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from ipplatform.core import audit, downloads, workflow
from ipplatform.core.downloads import DOCX, XLSX
from ipplatform.core.enums import AuditAction, OrgKind
from ipplatform.core.inputs import InputError, back_url, is_id, parse_date
from ipplatform.core.models import Organization
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.tables import Table, col
from ipplatform.core.tabs import select as select_tab
from ipplatform.core.tabs import url as tab_url

from . import documents, links, periods, services
from .enums import (
    HEALTH_CSS,
    Frequency,
    Health,
    MilestoneState,
    ReminderState,
    ReportState,
    UnitRole,
)
from .models import Assignment, Milestone, Plan, PlanImport, ReportAttachment


def _error_text(exc: InputError) -> str:
    if exc.line and f"第{exc.line}行" not in exc.message:
        return f"{exc.message}（第{exc.line}行）"
    return exc.message


def post_action(view):
    """A POST action: bad input and refused transitions come back as a message on the page it came from."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        back = back_url(request, reverse("workplan:index"))
        try:
            return view(request, *args, **kwargs) or redirect(back)
        except InputError as exc:
            messages.error(request, _error_text(exc))
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
        return redirect(back)

    return login_required(require_POST(wrapper))


def _page(request, template: str, context: dict):
    """Render a work-plan page; every page's tabs show the import tab only to those who may import."""
    context.setdefault("can_import", services.can_import(request.user))
    return render(request, template, context)


def _plan(request) -> Plan | None:
    pk = request.GET.get("plan") or request.POST.get("plan")
    if pk:
        if not is_id(pk):
            raise Http404("年度工作要点不存在")
        return get_object_or_404(Plan, pk=pk)
    return Plan.objects.order_by("-year").first()


def _as_of(request, plan: Plan) -> dt.date:
    value = request.GET.get("as_of")
    if not value:
        return services.default_as_of(plan)
    try:
        return parse_date(value, field="as_of", label="截至日期")
    except InputError as exc:
        messages.error(request, f"{exc.message}，已按默认日期统计")
        return services.default_as_of(plan)


def _history(obj) -> list[dict]:
    """Workflow history with Chinese state names and people by name and unit."""
    return [
        {
            "at": h.at,
            "actor_name": h.actor_label,
            "source": h.source_label,
            "target": h.target_label,
            "reason": h.reason,
        }
        for h in workflow.history(obj)
    ]


# ---------------------------------------------------------------- task list


# The task list's columns; status sorts worst first (滞后, 未启动, 正常推进, 已完成).
HEALTH_ORDER = {Health.LATE: 0, Health.NOT_STARTED: 1, Health.ON_TRACK: 2, Health.COMPLETED: 3}
TASK_COLUMNS = [
    col("number", "序号", "task.number", num=True),
    col("task", "任务"),
    col("lead", "牵头单位", "lead.display_name", "task.number"),
    col("percent", "进度", "percent", "task.number"),
    col("health", "状态", "health_rank", "task.number"),
    col("due", "应报期"),
    col("action", "操作"),
]
TASK_COLUMNS_FOR_UNITS = [*TASK_COLUMNS[:3], col("role", "本单位职责", "my_role", "task.number"), *TASK_COLUMNS[3:]]


@login_required
def index(request):
    plan = _plan(request)
    ctx = {
        "plan": plan,
        "plans": Plan.objects.all(),
        "supervisor": services.is_supervisor(request.user),
        "can_import": services.can_import(request.user),
        "health_css": HEALTH_CSS,
    }
    if plan is not None:
        data = services.board(plan=plan, user=request.user)
        org_id = request.user.organization_id
        rows = data["rows"]
        for r in rows:
            r["my_role"] = next(
                (a.get_role_display() for a in [r["lead"], *r["coops"]] if a and a.organization_id == org_id), ""
            )
            r["i_missing"] = any(a.organization_id == org_id for a in r["missing"])
            r["health_rank"] = HEALTH_ORDER.get(r["health"], len(HEALTH_ORDER))
        everything = rows
        q = (request.GET.get("q") or "").strip()
        if q:
            rows = [r for r in rows if q in r["task"].lead or q in r["task"].body or q in r["task"].units_text]
        if request.GET.get("health") in Health.values:
            rows = [r for r in rows if r["health"] == request.GET["health"]]
        table = Table(
            request,
            rows,
            columns=TASK_COLUMNS if ctx["supervisor"] else TASK_COLUMNS_FOR_UNITS,
            default_sort="number",
            unfiltered=everything,
            default_per_page=100,
            noun="任务",
            unit="项",
            name="tasks",
            row_id=lambda r: r["task"].pk,
        )
        if request.GET.get("export") == "xlsx":
            audit.record(
                AuditAction.EXPORT,
                object_type="workplan.task",
                object_repr=f"{plan.year}年工作任务清单导出",
                reason=request.GET.urlencode(),
            )
            return downloads.attachment(
                documents.tasks_workbook(plan=plan, rows=table.export_queryset(), as_of=data["as_of"]),
                f"{plan.year}年工作要点任务清单.xlsx",
                XLSX,
            )
        ctx.update(
            data=data,
            rows=rows,
            table=table,
            q=q,
            health=request.GET.get("health", ""),
            reminders_open=services.visible_reminders(request.user)
            .filter(task__plan=plan, state=ReminderState.SENT, organization_id=org_id)
            .count()
            if org_id
            else 0,
        )
    return _page(request, "workplan/index.html", ctx)


# ---------------------------------------------------------------- import


@login_required
@gated(Gate(services.can_import, "仅系统管理员可以导入工作要点和落实责任单位"))
def import_start(request):
    error, values = None, {"year": "", "title": "", "frequency": Frequency.MONTHLY}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("year", "title", "frequency")}
        values["frequency"] = values["frequency"] or Frequency.MONTHLY
        try:
            if request.POST.get("builtin"):
                imp = services.stage_builtin(user=request.user, frequency=values["frequency"])
            elif request.FILES.get("file"):
                upload = request.FILES["file"]
                imp = services.stage_import(
                    user=request.user,
                    year=values["year"],
                    title=values["title"],
                    name=upload.name,
                    data=upload.read(),
                    frequency=values["frequency"],
                )
            elif (request.POST.get("text") or "").strip():
                imp = services.stage_import(
                    user=request.user,
                    year=values["year"],
                    title=values["title"],
                    name="粘贴文本.txt",
                    data=request.POST["text"].encode("utf-8"),
                    frequency=values["frequency"],
                )
            else:
                raise InputError("请上传文件、粘贴工作要点全文，或选择导入内置的2015年工作要点", field="file")
            return redirect("workplan:import_preview", pk=imp.pk)
        except InputError as exc:
            error = exc
    recent = PlanImport.objects.select_related("plan", "created_by")[:10]
    return _page(
        request,
        "workplan/import.html",
        {
            "error": error,
            "values": values,
            "frequencies": Frequency.choices,
            "recent": recent,
            "builtin_exists": Plan.objects.filter(year=2015).exists(),
        },
    )


@login_required
def import_template(request):
    services.require_importer(request.user)
    return downloads.attachment(services.excel_template(), "工作要点导入模板.xlsx", XLSX)


@login_required
def import_preview(request, pk: int):
    services.require_importer(request.user)
    imp = get_object_or_404(PlanImport, pk=pk)
    view = services.preview(imp)
    units = [o for o in services.unit_candidates()]
    return _page(
        request,
        "workplan/import_preview.html",
        {
            "imp": imp,
            "view": view,
            "units": units,
            "history": _history(imp),
            "create_kinds": [(OrgKind.DEPARTMENT, OrgKind.DEPARTMENT.label), (OrgKind.OTHER, OrgKind.OTHER.label)],
        },
    )


@post_action
def import_resolve(request, pk: int):
    imp = get_object_or_404(PlanImport, pk=pk)
    name = request.POST.get("name", "")
    action = request.POST.get("action", "map")
    if action == "create":
        org = services.resolve_unit(
            imp=imp,
            name=name,
            by=request.user,
            create_kind=request.POST.get("create_kind", ""),
            create_name=request.POST.get("create_name", ""),
        )
        messages.success(request, f"已新建机构“{org.name}”并对应“{name}”")
    elif action == "clear":
        services.resolve_unit(imp=imp, name=name, by=request.user)
        messages.success(request, f"已取消“{name}”的对应")
    else:
        org = services.resolve_unit(
            imp=imp, name=name, by=request.user, organization_id=request.POST.get("organization")
        )
        if org is None:
            raise InputError(f"请为“{name}”选择对应的机构", field="organization")
        messages.success(request, f"“{name}”已对应到“{org.name}”")
    return redirect("workplan:import_preview", pk=imp.pk)


@post_action
def import_narrow(request, pk: int):
    imp = get_object_or_404(PlanImport, pk=pk)
    via = request.POST.get("via", "")
    orgs = services.narrow_collective(
        imp=imp,
        task_number=request.POST.get("task", ""),
        via=via,
        organization_ids=request.POST.getlist("organization"),
        by=request.user,
    )
    messages.success(
        request,
        f"第{request.POST.get('task')}项任务的“{via}”限定为{len(orgs)}个单位"
        + (f"：{'、'.join(o.name for o in orgs)}" if orgs else ""),
    )
    return redirect(f"{reverse('workplan:import_preview', args=[imp.pk])}#task-{request.POST.get('task')}")


@post_action
def import_commit(request, pk: int):
    imp = get_object_or_404(PlanImport, pk=pk)
    plan = services.commit_import(imp=imp, by=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, f"已导入“{plan.title}”：{plan.sections.count()}个部分，{plan.tasks.count()}项任务")
    return redirect(f"{reverse('workplan:board')}?plan={plan.pk}")


@post_action
def import_cancel(request, pk: int):
    imp = get_object_or_404(PlanImport, pk=pk)
    services.cancel_import(imp=imp, by=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, "已取消本次导入")
    return redirect("workplan:import")


# ---------------------------------------------------------------- task


@login_required
def task_detail(request, pk: int):
    task = services.get_task(request.user, pk)
    user = request.user
    mine = services.user_assignment(user, task)
    supervisor = services.is_supervisor(user)
    assignments = list(task.assignments.select_related("organization"))
    reports = list(services.visible_reports(user, task).prefetch_related("attachments"))
    reminders = [
        r
        for r in task.reminders.select_related("organization", "sent_by", "acknowledged_by")
        if supervisor or r.organization_id == user.organization_id or (mine and mine.role == UnitRole.LEAD)
    ]
    data = services.board(plan=task.plan, user=user)
    row = next((r for r in data["rows"] if r["task"].pk == task.pk), None)
    milestones = list(task.milestones.select_related("organization"))
    steps = _history(task)
    tabs, tab = select_tab(
        request,
        [
            ("overview", "概况"),
            ("reports", "进展报告", len(reports)),
            ("milestones", "任务节点", len(milestones)),
            ("reminders", "督办", len(reminders)),
            ("history", "流转记录", len(steps)),
        ],
    )
    grouped_via: dict[str, list] = {}
    for a in assignments:
        if a.via:
            grouped_via.setdefault(a.via, []).append(a)
    return _page(
        request,
        "workplan/task_detail.html",
        {
            "task": task,
            "mine": mine,
            "supervisor": supervisor,
            "is_lead": mine is not None and mine.role == UnitRole.LEAD,
            "can_import": services.can_import(user),
            "assignments": assignments,
            "named": [a for a in assignments if not a.via],
            "grouped_via": grouped_via,
            "milestones": milestones,
            "tabs": tabs,
            "tab": tab,
            "reports": reports,
            "reminders": reminders,
            "row": row,
            "health_css": HEALTH_CSS,
            "links": links.resolve(task.links),
            "live": links.live_figures(task.links, year=task.plan.year, user=request.user),
            "history": steps,
            "today": timezone.localdate(),
            "units": services.unit_candidates() if services.can_import(user) else [],
            "roles": UnitRole.choices,
            "frequencies": Frequency.choices,
            "MilestoneState": MilestoneState,
            "ReminderState": ReminderState,
        },
    )


@login_required
def task_report(request, pk: int):
    task = services.get_task(request.user, pk)
    supervisor = services.is_supervisor(request.user)
    mine = services.user_assignment(request.user, task)
    if mine is None and not supervisor:
        raise PermissionDenied("贵单位不是该任务的责任单位，不能报送进展")
    choices = services.reportable_periods(task)
    current = periods.period_of(min(timezone.localdate(), dt.date(task.plan.year, 12, 31)), task.frequency)
    filed = (
        set(task.reports.filter(organization_id=mine.organization_id).values_list("period_key", flat=True))
        if mine
        else set()
    )
    open_periods = [p for p in choices if p.key not in filed]
    default = open_periods[-1].key if open_periods else current.key
    values = {"period": default, "percent": "", "text": "", "figures": "", "organization": ""}
    error = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            report = services.file_report(
                task=task,
                user=request.user,
                period_key=values["period"],
                percent=values["percent"],
                text=values["text"],
                figures=values["figures"],
                files=request.FILES.getlist("files"),
                organization_id=int(values["organization"]) if is_id(values["organization"]) else None,
            )
            messages.success(request, f"已报送{report.organization.name}{report.period_key}的进展")
            return redirect(tab_url("workplan:task", task.pk, "reports"))  # the report just filed
        except InputError as exc:
            error = exc
    last = None
    if mine is not None:
        last = task.reports.filter(organization_id=mine.organization_id).order_by("-period_end").first()
        if request.method != "POST" and last is not None:
            values["percent"] = last.percent
    return _page(
        request,
        "workplan/report_form.html",
        {
            "task": task,
            "mine": mine,
            "supervisor": supervisor,
            "choices": choices,
            "values": values,
            "error": error,
            "last": last,
            "links": links.resolve(task.links),
            "live": links.live_figures(task.links, year=task.plan.year, user=request.user),
            "assignments": task.assignments.filter(organization__isnull=False).select_related("organization")
            if supervisor
            else [],
            "targets": services.targets_with_measurements(task.plan)[0] if task.links else [],
        },
    )


@post_action
def milestone_add(request, pk: int):
    task = services.get_task(request.user, pk)
    m = services.add_milestone(
        task=task, user=request.user, title=request.POST.get("title", ""), due_date=request.POST.get("due_date", "")
    )
    messages.success(request, f"已添加节点“{m.title}”")


@post_action
def milestone_finish(request, pk: int):
    m = get_object_or_404(Milestone.objects.select_related("task"), pk=pk)
    services.get_task(request.user, m.task_id)
    services.finish_milestone(
        milestone=m,
        user=request.user,
        done_on=request.POST.get("done_on") or None,
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, f"节点“{m.title}”已完成")


@post_action
def task_complete(request, pk: int):
    task = services.get_task(request.user, pk)
    if request.POST.get("action") == "reopen":
        services.reopen_task(task=task, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "任务已重新打开")
    else:
        services.complete_task(task=task, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "任务已确认完成")


@post_action
def task_remind(request, pk: int):
    task = services.get_task(request.user, pk)
    sent = services.send_reminder(
        task=task,
        by=request.user,
        organization_ids=request.POST.getlist("organization"),
        message=request.POST.get("message", ""),
        reply_by=request.POST.get("reply_by") or None,
    )
    messages.success(request, f"已向{len(sent)}个单位发出督办：{'、'.join(r.organization.name for r in sent)}")


@post_action
def task_units(request, pk: int):
    task = services.get_task(request.user, pk)
    action = request.POST.get("action")
    if action == "add":
        a = services.add_assignment(
            task=task,
            user=request.user,
            organization_id=request.POST.get("organization"),
            role=request.POST.get("role", UnitRole.COOP),
        )
        messages.success(request, f"已添加责任单位“{a.organization.name}”")
    elif action == "confirm":
        n = services.confirm_collective(task=task, user=request.user, via=request.POST.get("via", ""))
        messages.success(request, f"已确认{n}个单位，督导看板开始计入")
    elif action == "frequency":
        services.set_frequency(task=task, user=request.user, frequency=request.POST.get("frequency", ""))
        messages.success(request, f"报送周期已改为{task.get_frequency_display()}")
    elif action in ("remove", "map"):
        pk = request.POST.get("assignment", "")
        a = get_object_or_404(Assignment, pk=int(pk) if is_id(pk) else 0, task=task)
        if action == "remove":
            services.remove_assignment(assignment=a, user=request.user)
            messages.success(request, f"已移除责任单位“{a.display_name}”")
        else:
            services.map_assignment(assignment=a, user=request.user, organization_id=request.POST.get("organization"))
            messages.success(request, f"“{a.unit_name}”已落实为“{a.organization.name}”")
    else:
        raise InputError(f"操作“{action}”无效", field="action")


# ---------------------------------------------------------------- reports


@login_required
def report_list(request):
    plan = _plan(request)
    reports = (
        services.visible_reports(request.user).filter(task__plan=plan)
        if plan
        else services.visible_reports(request.user).none()
    )
    if request.GET.get("period"):
        reports = reports.filter(period_key=request.GET["period"].strip())
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT,
            object_type="workplan.progressreport",
            object_repr="进展报告导出",
            reason=request.GET.urlencode(),
        )
        return downloads.attachment(
            documents.reports_workbook(reports=reports.prefetch_related("attachments")),
            f"{plan.year if plan else ''}工作要点进展报告.xlsx",
            XLSX,
        )
    return _page(
        request,
        "workplan/report_list.html",
        {
            "plan": plan,
            "plans": Plan.objects.all(),
            "reports": reports[:500],
            "total": reports.count(),
            "period": request.GET.get("period", ""),
        },
    )


@login_required
def report_detail(request, pk: int):
    report = services.get_report(request.user, pk)
    can_review = report.state == ReportState.SUBMITTED and services.can_review(request.user, report)
    return _page(
        request,
        "workplan/report_detail.html",
        {
            "report": report,
            "can_review": can_review,
            "history": _history(report),
            "figures": report.figures or [],
            "attachments": report.attachments.all(),
        },
    )


@post_action
def report_review(request, pk: int):
    report = services.get_report(request.user, pk)
    services.review_report(
        report=report, user=request.user, decision=request.POST.get("decision", ""), note=request.POST.get("note", "")
    )
    messages.success(request, f"已{report.get_state_display()}")


@login_required
def attachment(request, pk: int):
    att = get_object_or_404(ReportAttachment.objects.select_related("report"), pk=pk)
    services.get_report(request.user, att.report_id)
    audit.record(AuditAction.EXPORT, obj=att, reason="下载进展报告附件")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


# ---------------------------------------------------------------- 督办


@login_required
def reminder_list(request):
    items = services.visible_reminders(request.user)
    plan = _plan(request)
    if plan:
        items = items.filter(task__plan=plan)
    if request.GET.get("state") in ReminderState.values:
        items = items.filter(state=request.GET["state"])
    return _page(
        request,
        "workplan/reminder_list.html",
        {
            "items": items[:500],
            "plan": plan,
            "state": request.GET.get("state", ""),
            "supervisor": services.is_supervisor(request.user),
            "ReminderState": ReminderState,
        },
    )


@login_required
def reminder_detail(request, pk: int):
    item = get_object_or_404(services.visible_reminders(request.user), pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.acknowledge_reminder(reminder=item, user=request.user, response=request.POST.get("response", ""))
            messages.success(request, "已签收督办")
            return redirect("workplan:reminder", pk=item.pk)
        except (InputError, TransitionNotAllowed) as exc:
            error = exc
    return _page(
        request,
        "workplan/reminder_detail.html",
        {
            "item": item,
            "error": error,
            "history": _history(item),
            "can_ack": item.state == ReminderState.SENT and request.user.organization_id == item.organization_id,
        },
    )


# ---------------------------------------------------------------- supervision board and documents


@login_required
def board(request):
    plan = _plan(request)
    if plan is None:
        return _page(request, "workplan/board.html", {"plan": None, "can_import": services.can_import(request.user)})
    as_of = _as_of(request, plan)
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, obj=plan, reason=f"督导看板导出，截至{as_of}")
        return downloads.attachment(
            documents.board_workbook(plan=plan, user=request.user, as_of=as_of),
            f"{plan.year}年工作要点督导看板_{as_of}.xlsx",
            XLSX,
        )
    section = int(request.GET["section"]) if is_id(request.GET.get("section") or "") else None
    org = int(request.GET["unit"]) if is_id(request.GET.get("unit") or "") else None
    data = services.cached_board(plan=plan, user=request.user, as_of=as_of, section=section, organization_id=org)
    targets, target_note = services.targets_with_measurements(plan)
    return _page(
        request,
        "workplan/board.html",
        {
            "plan": plan,
            "plans": Plan.objects.all(),
            "data": data,
            "targets": targets,
            "target_note": target_note,
            "health_css": HEALTH_CSS,
            "section": section,
            "unit": org,
            "sections": plan.sections.all(),
            "all_units": Organization.objects.filter(workplan_assignments__task__plan=plan)
            .distinct()
            .order_by("kind", "region_code", "pk"),
            "Health": Health,
            "supervisor": services.is_supervisor(request.user),
            "viewer": services.viewer_key(request.user),
            "can_import": services.can_import(request.user),
            "unresolved": Assignment.objects.filter(task__plan=plan, organization__isnull=True).select_related("task"),
        },
    )


@post_action
def remind_missing(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    value = request.POST.get("as_of")
    as_of = parse_date(value, field="as_of", label="统计截至日期") if value else services.default_as_of(plan)
    n = services.remind_missing(
        plan=plan,
        by=request.user,
        as_of=as_of,
        message=request.POST.get("message", ""),
        reply_by=request.POST.get("reply_by") or None,
    )
    messages.success(request, f"已向未报送单位发出{n}条督办（已有待签收督办的不重复发送）")


@login_required
def summary(request, pk: int, kind: str):
    services.require_supervisor(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    try:
        data = documents.summary_document(plan=plan, user=request.user, kind=kind)
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('workplan:board')}?plan={plan.pk}")
    audit.record(AuditAction.EXPORT, obj=plan, reason=f"生成{documents.SUMMARY_KINDS[kind]}落实情况总结")
    return downloads.attachment(data, f"{plan.year}年工作要点{documents.SUMMARY_KINDS[kind]}落实情况.docx", DOCX)
