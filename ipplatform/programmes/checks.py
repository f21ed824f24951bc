"""验收 / 年度复核 after a decision: the office opens a check round for a call's decided applications, each applicant
reports (form + attachment) by the due date, the office records pass or fail with its reason; a failure may lead to
flows.claw_back. Every step is recorded on the application's history (flows._step) and in the audit trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError
from ipplatform.core.models import User
from ipplatform.core.notify import notify_many

from . import flows, services
from .enums import AppStatus, CheckKind, CheckState
from .models import Call, CheckReport, CheckRound

DEFAULT_FIELDS = [
    {"name": "progress", "label": "目标任务完成情况", "type": "textarea", "required": True, "max_length": 2000},
]
REPORT_EXTS = [".pdf", ".docx"]
REMIND_DAYS = 7  # reminders go out this many days before the due date (and on it)


def check_fields(programme) -> list[dict]:
    """The report form of the scheme's checks (decision.checks.form_fields), or the default one-field form."""
    return (programme.decision.get("checks") or {}).get("form_fields") or DEFAULT_FIELDS


@transaction.atomic
def open_round(*, call: Call, by, kind: str, due_on: dt.date, on: dt.date | None = None) -> CheckRound:
    """Open a 验收 / 年度复核 round for every approved or paid application of the call, each with a pending report."""
    on = on or services.today()
    services.require_office(by)
    if kind not in CheckKind.values:
        raise InputError("请选择验收或年度复核", field="kind")
    if due_on <= on:
        raise InputError(f"报告截止日期应晚于今天（{on}）", field="due_on")
    apps = list(call.applications.filter(status__in=[AppStatus.APPROVED, AppStatus.PAID]).select_related("call"))
    if not apps:
        raise InputError("该年度申报没有已批准的项目，无需验收或复核")
    label = CheckKind(kind).label
    rnd = CheckRound.objects.create(
        call=call, kind=kind, title=f"{call.title}{label}（{on.year}年）", due_on=due_on, opened_by=by
    )
    for app in apps:
        CheckReport.objects.create(round=rnd, application=app)
        flows._step(app, by=by, name=f"启动{label}", source=flows._where(app), reason=f"报告截止{due_on}")
    audit.record(AuditAction.CREATE, obj=rnd, actor=by, after={"applications": len(apps), "due_on": due_on})
    return rnd


@transaction.atomic
def submit_report(*, report: CheckReport, by, raw: dict, upload=None, on: dt.date | None = None) -> CheckReport:
    """The applicant's report: the round's form (checked like the application form) and the report file."""
    on = on or services.today()
    report = (
        CheckReport.objects.select_for_update()
        .select_related("round", "application__call__programme")
        .get(pk=report.pk)
    )
    app = report.application
    services.require_owner(by, app)
    if report.state not in (CheckState.PENDING, CheckState.SUBMITTED):
        raise InputError(f"该报告已有结论（{report.get_state_display()}），不能再修改")
    fields = check_fields(app.call.programme)
    data = {spec["name"]: services._clean_value(spec, raw.get(spec["name"])) for spec in fields}
    gaps = [f"请填写“{s['label']}”" for s in fields if s.get("required") and data.get(s["name"]) in (None, "")]
    if upload is None and not report.file_path:
        gaps.append("请上传报告附件")
    if gaps:
        raise InputError("不能提交：" + "；".join(gaps))
    if upload is not None:
        report.file_path = services.store_upload(upload, application=app, label="报告附件", exts=REPORT_EXTS)
        report.filename = Path(upload.name).name[:200]
    late = on > report.round.due_on
    source = flows._where(app)
    report.data, report.state, report.submitted_at = data, CheckState.SUBMITTED, timezone.now()
    report.save()
    label = report.round.get_kind_display()
    flows._step(app, by=by, name=f"提交{label}报告", source=source, reason="逾期提交" if late else "")
    return report


@transaction.atomic
def record_result(*, report: CheckReport, by, passed: bool, reason: str) -> CheckReport:
    """The office's result of one report; a failure keeps the application as it is for the office to decide on 追回."""
    services.require_office(by)
    report = CheckReport.objects.select_for_update().select_related("round", "application").get(pk=report.pk)
    if report.state != CheckState.SUBMITTED:
        raise InputError(f"报告处于“{report.get_state_display()}”状态，只有已提交的报告可以作出结论")
    if not reason.strip():
        raise InputError("请写明结论说明", field="reason")
    report.state = CheckState.PASSED if passed else CheckState.FAILED
    report.result_reason, report.decided_by, report.decided_at = reason.strip(), by, timezone.now()
    report.save()
    label = report.round.get_kind_display()
    app = report.application
    flows._step(
        app, by=by, name=f"{label}{'通过' if passed else '不通过'}", source=flows._where(app), reason=reason.strip()
    )
    return report


def reports_for(user):
    """Check reports the user may see (an applicant its own, a bureau its area, the office all)."""
    from ipplatform.core.scopes import restrict

    return restrict(CheckReport.objects.select_related("round__call__programme", "application__organization"), user)


def send_reminders(*, on: dt.date | None = None) -> int:
    """Remind the applicants whose report is still pending within REMIND_DAYS of the due date (once per report and
    day count, core.notify dedupe); returns the number of notifications sent."""
    on = on or services.today()
    sent = 0
    pending = CheckReport.objects.filter(
        state=CheckState.PENDING, round__due_on__gte=on, round__due_on__lte=on + dt.timedelta(days=REMIND_DAYS)
    ).select_related("round", "application")
    for report in pending:
        days = (report.round.due_on - on).days
        users = User.objects.filter(organization_id=report.application.organization_id, is_active=True)
        sent += notify_many(
            users=users,
            title=f"{report.round.get_kind_display()}报告将于{report.round.due_on}截止",
            body=f"“{report.application.title}”的{report.round.title}报告尚未提交，还剩{days}天。",
            url=reverse("programmes:check_report", args=[report.pk]),
            kind="programme_check",
            dedupe_key=f"programme_check:{report.pk}:{'due' if days == 0 else 'week'}",
        )
    return sent
