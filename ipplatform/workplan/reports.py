"""Milestones and progress reports of a task, their review, and completing or reopening the task."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError, parse_date
from ipplatform.core.models import Organization, User
from ipplatform.core.notify import notify
from ipplatform.core.workflow import run_transition

from . import periods
from .access import is_lead_of, is_supervisor, require_supervisor, user_assignment
from .enums import Frequency, ReportState, TaskState, UnitRole
from .models import Milestone, ProgressReport, ReportAttachment, Task

MAX_ATTACHMENT = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
    ".zip",
    ".ofd",
    ".wps",
    ".et",
}


def _acting_unit(user, task: Task, organization_id=None) -> Organization:
    """The unit a user acts for on a task: its own assigned unit; supervisors may act for any assigned unit."""
    if organization_id and is_supervisor(user):
        a = task.assignments.filter(organization_id=organization_id).select_related("organization").first()
        if a is None:
            raise InputError("所选单位不是该任务的责任单位", field="organization")
        return a.organization
    a = user_assignment(user, task)
    if a is None:
        if is_supervisor(user):
            lead = (
                task.assignments.filter(role=UnitRole.LEAD, organization__isnull=False)
                .select_related("organization")
                .first()
            )
            if lead is not None:
                return lead.organization
        raise PermissionDenied("贵单位不是该任务的责任单位")
    return a.organization


def add_milestone(*, task: Task, user, title: str, due_date, organization_id=None) -> Milestone:
    """Add a dated milestone of the user's unit to a task."""
    org = _acting_unit(user, task, organization_id)
    title = (title or "").strip()
    if not title:
        raise InputError("节点名称不能为空", field="title")
    due = parse_date(due_date, field="due_date", label="计划完成日期")
    if not (task.plan.year - 1 <= due.year <= task.plan.year + 1):
        raise InputError(f"计划完成日期{due}不在{task.plan.year}年度前后一年之内", field="due_date")
    with transaction.atomic():
        m = Milestone.objects.create(task=task, organization=org, title=title[:200], due_date=due, created_by=user)
        _start_task(task, by=user, reason=f"分解节点“{title[:30]}”")
    return m


def finish_milestone(*, milestone: Milestone, user, done_on=None, reason: str = "") -> Milestone:
    """Mark a milestone reached (its unit or a supervisor)."""
    if not (is_supervisor(user) or user.organization_id == milestone.organization_id):
        raise PermissionDenied("只有节点所属单位或督导部门可以更新该节点")
    done = parse_date(done_on or timezone.localdate(), field="done_on", label="实际完成日期")
    with transaction.atomic():
        run_transition(milestone, "finish", by=user, reason=reason or f"{done}完成")
        milestone.done_on = done
        milestone.save()
    return milestone


def _start_task(task: Task, *, by, reason: str) -> None:
    fresh = Task.objects.select_for_update().get(pk=task.pk)
    if fresh.state == TaskState.NOT_STARTED:
        run_transition(fresh, "start", by=by, reason=reason)
        fresh.save()


# ---------------------------------------------------------------- progress reports

FIGURE_RE = re.compile(r"^(?P<name>[^:：=,，\t]+)[:：=,，\t]\s*(?P<value>-?[\d,，]+(?:\.\d+)?)\s*(?P<unit>\S*)$")


def parse_figures(text: str) -> list[dict]:
    """'专利质押融资金额：12.5 亿元' per line -> [{name, value, unit}]; InputError names the bad line."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = FIGURE_RE.match(line)
        if not m:
            raise InputError(
                f"报送数据第{n}行“{line[:30]}”格式不正确，应为“指标名称：数值 单位”，如“质押融资金额：12.5 亿元”",
                field="figures",
                line=n,
            )
        digits = m.group("value").replace(",", "").replace("，", "")
        if len(digits) > 16 or not digits.lstrip("-").replace(".", "", 1).isascii():
            raise InputError(f"报送数据第{n}行的数值“{digits[:20]}”超出范围或不是阿拉伯数字", field="figures", line=n)
        value = float(digits)
        out.append(
            {
                "name": m.group("name").strip(),
                "value": int(value) if value.is_integer() else value,
                "unit": m.group("unit"),
            }
        )
    return out


def figures_text(figures) -> str:
    return "\n".join(f"{f['name']}：{f['value']} {f.get('unit', '')}".rstrip() for f in figures or [])


def reportable_periods(task: Task, *, today: dt.date | None = None) -> list[periods.Period]:
    """Periods a report may be filed for now: those of the plan year that have started."""
    today = today or timezone.localdate()
    return [p for p in periods.periods_of(task.plan.year, task.frequency) if p.start <= today]


def file_report(
    *, task: Task, user, period_key: str, percent, text: str, figures: str = "", files=(), organization_id=None
) -> ProgressReport:
    """File (or, after it was returned, revise) the unit's progress report for one period."""
    org = _acting_unit(user, task, organization_id)
    period = periods.parse_key(period_key)
    if period is None or period.start.year != task.plan.year:
        raise InputError(
            f"报送期“{period_key}”无效：应为{task.plan.year}年度的月份（如{task.plan.year}-03）或季度（如{task.plan.year}-Q1）",
            field="period",
        )
    expected = periods.period_of(period.start, task.frequency)
    if expected.key != period.key:
        raise InputError(
            f"该任务{task.get_frequency_display()}，报送期应为“{expected.key}”一类的格式，而不是“{period_key}”",
            field="period",
        )
    if period.start > timezone.localdate():
        raise InputError(f"{period.label}尚未开始，不能提前报送", field="period")
    try:
        pct = int(str(percent).strip().rstrip("%％"))
    except (TypeError, ValueError):
        raise InputError(f"完成进度“{percent}”不是整数，应为0—100", field="percent")
    if not 0 <= pct <= 100:
        raise InputError(f"完成进度{pct}超出范围，应为0—100", field="percent")
    text = (text or "").strip()
    if not text:
        raise InputError("进展情况不能为空：请说明本期完成的工作、存在的问题和下步打算", field="text")
    figs = parse_figures(figures)
    checked = [_check_file(f) for f in files or []]
    with transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update()
            .filter(task=task, organization=org, period_key=period.key)
            .first()
        )
        if report is not None and report.state != ReportState.RETURNED:
            raise InputError(
                f"{org.name}已报送{period.label}的进展（{report.get_state_display()}），如需修改请联系牵头单位退回",
                field="period",
            )
        if report is None:
            report = ProgressReport(
                task=task, organization=org, period_key=period.key, period_start=period.start, period_end=period.end
            )
        else:
            run_transition(report, "resubmit", by=user, reason="修改后重新报送")
        report.percent, report.text, report.figures = pct, text, figs
        report.submitted_by, report.submitted_at = user, timezone.now()
        report.save()
        for upload, digest, data in checked:
            att = ReportAttachment(report=report, name=upload.name[:200], size=len(data), sha256=digest)
            att.file.save(Path(upload.name).name[-100:], ContentFile(data), save=False)
            att.save()
        _start_task(task, by=user, reason=f"{org.name}报送{period.label}进展")
    lead = task.assignments.filter(role=UnitRole.LEAD).exclude(organization=org).first()
    if lead is not None and lead.organization_id:
        for u in User.objects.filter(organization_id=lead.organization_id, is_active=True):
            notify(
                user=u,
                title=f"{org.name}报送了任务{task.number}的进展",
                body=f"{period.label}：完成{pct}%",
                url=f"/workplan/reports/{report.pk}/",
                kind="工作要点",
                dedupe_key=f"workplan-report-{report.pk}-{report.submitted_at:%Y%m%d%H%M%S}",
            )
    return report


def _check_file(upload) -> tuple:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise InputError(
            f"附件“{upload.name}”的类型{suffix or '（无扩展名）'}不允许，可上传：{'、'.join(sorted(ATTACHMENT_TYPES))}",
            field="files",
        )
    if upload.size > MAX_ATTACHMENT:
        raise InputError(f"附件“{upload.name}”超过20MB", field="files")
    data = upload.read()
    return upload, hashlib.sha256(data).hexdigest(), data


def can_review(user, report: ProgressReport) -> bool:
    """Supervisors review any report; the lead unit reviews its co-operators' reports, not its own."""
    return is_supervisor(user) or (is_lead_of(user, report.task) and report.organization_id != user.organization_id)


def review_report(*, report: ProgressReport, user, decision: str, note: str = "") -> ProgressReport:
    """The lead unit or a supervisor accepts a report or returns it for more detail."""
    if not can_review(user, report):
        raise PermissionDenied("只有牵头单位（审阅配合单位的报告）或督导部门可以审阅进展报告")
    if decision not in ("accept", "return_for_revision"):
        raise InputError(f"审阅操作“{decision}”无效", field="decision")
    note = (note or "").strip()
    if decision == "return_for_revision" and not note:
        raise InputError("退回补充时须说明需要补充的内容", field="note")
    with transaction.atomic():
        run_transition(report, decision, by=user, reason=note or "已审阅")
        report.review_note = note
        report.save()
    if decision == "return_for_revision":
        for u in User.objects.filter(organization_id=report.organization_id, is_active=True):
            notify(
                user=u,
                title=f"任务{report.task.number}的进展报告被退回补充",
                body=note,
                url=f"/workplan/reports/{report.pk}/",
                kind="工作要点",
                dedupe_key=f"workplan-return-{report.pk}-{timezone.now():%Y%m%d%H%M%S}",
            )
    return report


def complete_task(*, task: Task, user, reason: str) -> Task:
    """The lead unit (or a supervisor) declares the task completed."""
    if not (is_supervisor(user) or is_lead_of(user, task)):
        raise PermissionDenied("只有牵头单位或督导部门可以确认任务完成")
    if not (reason or "").strip():
        raise InputError("请填写完成情况说明", field="reason")
    with transaction.atomic():
        run_transition(task, "complete", by=user, reason=reason.strip())
        task.completed_on = timezone.localdate()
        task.save()
    return task


def reopen_task(*, task: Task, user, reason: str) -> Task:
    """A supervisor reopens a task found not done."""
    require_supervisor(user)
    if not (reason or "").strip():
        raise InputError("请填写重新打开的理由", field="reason")
    with transaction.atomic():
        run_transition(task, "reopen", by=user, reason=reason.strip())
        task.completed_on = None
        task.save()
    return task


def set_frequency(*, task: Task, user, frequency: str) -> Task:
    """Change how often a task is reported (monthly/quarterly) while nothing has been filed."""
    require_supervisor(user)
    if frequency not in Frequency.values:
        raise InputError(f"报送周期“{frequency}”无效，应为按月或按季度", field="frequency")
    if frequency != task.frequency and task.reports.exists():
        raise InputError(f"该任务已有{task.get_frequency_display()}的进展报告，不能再改变报送周期", field="frequency")
    old = task.get_frequency_display()
    task.frequency = frequency
    task.save(update_fields=["frequency"])
    audit.record(
        AuditAction.UPDATE,
        obj=task,
        actor=user,
        before={"frequency": old},
        after={"frequency": task.get_frequency_display()},
        reason="调整报送周期",
    )
    return task
