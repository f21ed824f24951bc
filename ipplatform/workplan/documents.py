"""Excel exports of the supervision board and Word summary reports (half-year, year-end) built from the progress reports."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipplatform.core.inputs import InputError
from ipplatform.lib import worddoc
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import services
from .enums import Health
from .models import Plan, ProgressReport

SUMMARY_KINDS = {"half": "上半年", "year": "全年"}


def _names(assignments) -> str:
    return "、".join(a.display_name for a in assignments)


def board_workbook(*, plan: Plan, user, as_of: dt.date | None = None) -> bytes:
    """The supervision board as an Excel workbook: tasks, units, missing reports, overdue milestones, 督办, targets."""
    data = services.board(plan=plan, user=user, as_of=as_of)
    note = (
        f"{plan.title}；统计截至{data['as_of']}；年度时间进度{data['expected']}%；"
        f"状态口径：有逾期节点或进度落后时间进度{services.LATE_MARGIN}个百分点以上为“滞后”"
    )
    tasks = Sheet(
        "任务督导",
        [
            "序号",
            "部分",
            "任务",
            "牵头单位",
            "配合单位",
            "报送周期",
            "完成进度（%）",
            "督导状态",
            "最近报送",
            "应报期",
            "未报送单位",
            "逾期节点",
            "未签收督办",
            "待落实单位",
        ],
        (
            [
                r["task"].number,
                str(r["task"].section),
                r["task"].lead,
                r["lead"].display_name if r["lead"] else "",
                _names(r["coops"]),
                r["task"].get_frequency_display(),
                r["percent"],
                r["health_label"],
                timezone.localtime(r["last_report"]).strftime("%Y-%m-%d") if r["last_report"] else "",
                r["due"].label if r["due"] else "",
                _names(r["missing"]),
                "；".join(f"{m.title}（{m.due_date}）" for m in r["overdue"]),
                len(r["open_reminders"]),
                _names(r["unresolved"]),
            ]
            for r in data["rows"]
        ),
        notes=[note],
    )
    units = Sheet(
        "单位督导",
        ["单位", "牵头任务", "配合任务", "正常推进", "滞后", "未启动", "已完成", "未报送", "逾期节点", "未签收督办"],
        (
            [
                u["org"].name,
                u["lead"],
                u["coop"],
                u[Health.ON_TRACK],
                u[Health.LATE],
                u[Health.NOT_STARTED],
                u[Health.COMPLETED],
                u["missing"],
                u["overdue"],
                u["open_reminders"],
            ]
            for u in data["units"]
        ),
        notes=[note],
    )
    missing = Sheet(
        "未报送",
        ["任务序号", "任务", "单位", "职责", "应报期"],
        (
            [
                m["task"].number,
                m["task"].lead,
                m["assignment"].display_name,
                m["assignment"].get_role_display(),
                m["period"].label,
            ]
            for m in data["missing"]
        ),
        notes=[note],
    )
    overdue = Sheet(
        "逾期节点",
        ["任务序号", "节点", "单位", "计划完成日期", "逾期天数"],
        (
            [m.task.number, m.title, m.organization.name, m.due_date, (data["as_of"] - m.due_date).days]
            for m in data["overdue"]
        ),
        notes=[note],
    )
    reminders = Sheet(
        "督办",
        ["任务序号", "单位", "督办事项", "督办时间", "签收期限", "状态", "签收时间", "签收答复"],
        (
            [
                r.task.number,
                r.organization.name,
                r.message,
                timezone.localtime(r.sent_at).strftime("%Y-%m-%d %H:%M"),
                r.reply_by,
                r.get_state_display(),
                timezone.localtime(r.acknowledged_at).strftime("%Y-%m-%d %H:%M") if r.acknowledged_at else "",
                r.response,
            ]
            for r in data["reminders"]
        ),
    )
    targets, target_note = services.targets_with_measurements(plan)
    target_sheet = Sheet(
        "年度目标",
        ["指标", "目标", "单位", "实测值", "状态", "口径", "原文"],
        ([t["label"], t["target"], t["unit"], t["value"], t["status"], t["basis"], t["text"]] for t in targets),
        notes=[target_note] if target_note else [],
    )
    return workbook_bytes([tasks, units, missing, overdue, reminders, target_sheet])


def reports_workbook(*, reports) -> bytes:
    """Progress reports as a table (one row a report)."""
    return workbook_bytes(
        [
            Sheet(
                "进展报告",
                [
                    "任务序号",
                    "任务",
                    "单位",
                    "报送期",
                    "完成进度（%）",
                    "进展情况",
                    "报送数据",
                    "状态",
                    "报送人",
                    "报送时间",
                    "附件数",
                ],
                (
                    [
                        r.task.number,
                        r.task.lead,
                        r.organization.name,
                        r.period_key,
                        r.percent,
                        r.text,
                        services.figures_text(r.figures),
                        r.get_state_display(),
                        r.submitted_by.display_name if r.submitted_by else "",
                        timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
                        r.attachments.count(),
                    ]
                    for r in reports
                ),
            )
        ]
    )


def summary_window(plan: Plan, kind: str) -> tuple[dt.date, dt.date]:
    """The period a summary covers: January–June or the whole year."""
    if kind not in SUMMARY_KINDS:
        raise InputError(f"总结类型“{kind}”无效，应为 half（上半年）或 year（全年）", field="kind")
    return dt.date(plan.year, 1, 1), (dt.date(plan.year, 6, 30) if kind == "half" else dt.date(plan.year, 12, 31))


def summary_document(*, plan: Plan, user, kind: str) -> bytes:
    """The half-year or year-end summary of the plan's implementation, as Word, built from the filed reports."""
    start, end = summary_window(plan, kind)
    data = services.board(plan=plan, user=user, as_of=end)
    label = SUMMARY_KINDS[kind]
    doc = worddoc.new_document(
        f"{plan.year}年全省知识产权工作要点{label}落实情况",
        subtitle=f"山东省知识产权局办公室 · 统计截至{end:%Y年%m月%d日} · 生成于{timezone.localdate():%Y年%m月%d日}",
    )
    counts = data["counts"]
    total = len(data["rows"])
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph(
        f"{plan.title}共{plan.sections.count()}个部分、{total}项任务。截至{end:%m月%d日}，已完成{counts[Health.COMPLETED]}项，"
        f"正常推进{counts[Health.ON_TRACK]}项，滞后{counts[Health.LATE]}项，未启动{counts[Health.NOT_STARTED]}项；"
        f"应报期未报送{len(data['missing'])}家次，逾期未完成节点{len(data['overdue'])}个，督办{len(data['reminders'])}次。"
    )
    targets, note = services.targets_with_measurements(plan)
    if targets:
        worddoc.add_table(
            doc,
            ["年度目标", "目标值", "实测值", "状态", "口径"],
            [
                [
                    t["label"],
                    f"{t['target']:g}{t['unit']}",
                    "" if t["value"] is None else f"{t['value']}{t['measured_unit']}",
                    t["status"] or "—",
                    t["basis"] or note,
                ]
                for t in targets
            ],
            caption="主要目标完成情况",
        )
    worddoc.add_table(
        doc,
        ["部分", "任务数", "已完成", "正常推进", "滞后", "未启动"],
        [
            [
                f"{s['section'].numeral}、{s['section'].title[:24]}",
                len(s["rows"]),
                s["counts"][Health.COMPLETED],
                s["counts"][Health.ON_TRACK],
                s["counts"][Health.LATE],
                s["counts"][Health.NOT_STARTED],
            ]
            for s in data["sections"]
        ],
        caption="各部分任务推进情况",
    )
    doc.add_heading("二、各项任务落实情况", level=1)
    reports = list(
        ProgressReport.objects.filter(task__plan=plan, period_end__gte=start, period_end__lte=end)
        .select_related("organization")
        .order_by("task_id", "organization_id", "-period_end")
    )
    latest: dict[tuple[int, int], ProgressReport] = {}
    for r in reports:
        latest.setdefault((r.task_id, r.organization_id), r)
    for s in data["sections"]:
        doc.add_heading(f"{s['section'].numeral}、{s['section'].title}", level=2)
        for row in s["rows"]:
            t = row["task"]
            p = doc.add_paragraph()
            p.add_run(f"{t.number}. {t.lead}").bold = True
            p.add_run(
                f"（牵头：{row['lead'].display_name if row['lead'] else '未明确'}；"
                f"进度：{'' if row['percent'] is None else str(row['percent']) + '%'}；{row['health_label']}）"
            )
            unit_reports = [
                latest[(t.pk, a.organization_id)]
                for a in [row["lead"], *row["coops"]]
                if a and (t.pk, a.organization_id) in latest
            ]
            if not unit_reports:
                doc.add_paragraph("本期内无进展报告。")
            for r in unit_reports:
                figures = "；".join(f"{f['name']}{f['value']}{f.get('unit', '')}" for f in r.figures or [])
                doc.add_paragraph(
                    f"{r.organization.name}（{r.period_key}，{r.percent}%）：{r.text}"
                    + (f" 主要数据：{figures}。" if figures else "")
                )
            done = [m for m in t.milestones.all() if m.done_on and start <= m.done_on <= end]
            if done:
                doc.add_paragraph(
                    "已完成节点："
                    + "；".join(
                        f"{m.title}（{m.organization.short_name or m.organization.name}，{m.done_on}）" for m in done
                    )
                )
            if row["overdue"]:
                doc.add_paragraph("逾期节点：" + "；".join(f"{m.title}（计划{m.due_date}）" for m in row["overdue"]))
    doc.add_heading("三、存在的问题与督办情况", level=1)
    late = [r for r in data["rows"] if r["health"] == Health.LATE]
    doc.add_paragraph(
        "滞后任务：" + ("；".join(f"{r['task'].number}. {r['task'].lead}" for r in late) if late else "无。")
    )
    if data["missing"]:
        by_unit: dict[str, int] = {}
        for m in data["missing"]:
            by_unit[m["assignment"].display_name] = by_unit.get(m["assignment"].display_name, 0) + 1
        worddoc.add_table(
            doc, ["单位", "未报送任务数"], sorted(by_unit.items(), key=lambda kv: -kv[1]), caption="应报期未报送情况"
        )
    if data["reminders"]:
        worddoc.add_table(
            doc,
            ["任务", "单位", "督办时间", "状态", "签收答复"],
            [
                [
                    r.task.number,
                    r.organization.name,
                    timezone.localtime(r.sent_at).strftime("%Y-%m-%d"),
                    r.get_state_display(),
                    r.response,
                ]
                for r in data["reminders"]
            ],
            caption="督办及签收情况",
        )
    doc.add_heading("四、下一步工作", level=1)
    doc.add_paragraph(
        "对滞后和未启动任务，由牵头单位制定整改措施并明确完成时限；办公室按月跟踪，对未按期报送和逾期节点继续督办。"
        if kind == "half"
        else "对未完成任务，结转下一年度工作要点继续推进，由牵头单位说明原因并提出措施。"
    )
    return worddoc.to_bytes(doc)


def tasks_workbook(*, plan: Plan, rows: list[dict], as_of: dt.date) -> bytes:
    """The task list as the user sees it (filtered, sorted, or only the ticked tasks), one row a task."""
    return workbook_bytes(
        [
            Sheet(
                "工作任务",
                ["序号", "任务", "所属部分", "牵头单位", "进度（%）", "状态", "应报期", "未报送单位数"],
                (
                    [
                        r["task"].number,
                        r["task"].lead,
                        f"{r['task'].section.numeral}、{r['task'].section.title}",
                        r["lead"].display_name if r["lead"] else "",
                        r["percent"],
                        r["health_label"],
                        r["due"].label if r["due"] else "",
                        len(r["missing"]),
                    ]
                    for r in rows
                ),
                notes=[
                    f"{plan.title}；统计截至{as_of:%Y-%m-%d}；状态口径：有逾期节点或进度落后时间进度"
                    f"{services.LATE_MARGIN}个百分点以上为“滞后”"
                ],
            )
        ]
    )
