"""Supervision figures: the health of every task and unit at a date, and the plan's headline targets."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from ipplatform.analytics import services as analytics_services
from ipplatform.core.enums import OrgKind

from . import periods
from .access import is_supervisor, visible_tasks
from .enums import HEALTH_CSS, Health, ReminderState, TaskState, UnitRole
from .models import Milestone, Plan, ProgressReport, Reminder

log = logging.getLogger(__name__)

LATE_MARGIN = 25  # percentage points behind the year's elapsed share that count as 滞后


def default_as_of(plan: Plan) -> dt.date:
    """Today within the plan year; the year's end for past plans, its start for future ones."""
    today = timezone.localdate()
    return min(max(today, dt.date(plan.year, 1, 1)), dt.date(plan.year, 12, 31))


def _health(
    *, state: str, percent: int | None, reported: bool, overdue: int, done_milestones: int, expected: float
) -> str:
    if state == TaskState.COMPLETED:
        return Health.COMPLETED
    if not reported and not done_milestones:
        return Health.LATE if overdue else Health.NOT_STARTED
    if overdue or (percent is not None and percent + LATE_MARGIN < expected):
        return Health.LATE
    return Health.ON_TRACK


def board(
    *, plan: Plan, user, as_of: dt.date | None = None, section: int | None = None, organization_id: int | None = None
) -> dict:
    """Supervision figures at a date: per task, per unit, missing reports of the due period, overdue milestones, open 督办."""
    as_of = as_of or default_as_of(plan)
    expected = periods.year_fraction(plan.year, as_of) * 100
    tasks = list(visible_tasks(user, plan).prefetch_related("assignments__organization"))
    if section:
        tasks = [t for t in tasks if t.section.number == section]
    if organization_id:
        tasks = [t for t in tasks if any(a.organization_id == organization_id for a in t.assignments.all())]
    task_ids = [t.pk for t in tasks]
    reports = list(
        ProgressReport.objects.filter(task_id__in=task_ids, period_start__lte=as_of).select_related("organization")
    )
    milestones = list(Milestone.objects.filter(task_id__in=task_ids).select_related("organization", "task"))
    reminders = list(Reminder.objects.filter(task_id__in=task_ids).select_related("organization", "task"))
    latest: dict[tuple[int, int], ProgressReport] = {}
    period_done: set[tuple[int, int, str]] = set()
    for r in reports:
        key = (r.task_id, r.organization_id)
        if key not in latest or r.period_end > latest[key].period_end:
            latest[key] = r
        period_done.add((r.task_id, r.organization_id, r.period_key))
    miles_by_task: dict[int, list[Milestone]] = {}
    for m in milestones:
        miles_by_task.setdefault(m.task_id, []).append(m)
    rems_by_task: dict[int, list[Reminder]] = {}
    for r in reminders:
        rems_by_task.setdefault(r.task_id, []).append(r)
    rows, unit_rows, missing, overdue_list = [], {}, [], []
    unconfirmed_total = 0
    for t in tasks:
        all_assigns = list(t.assignments.all())
        # unconfirmed “各有关…” expansions are not counted, unless the unit has reported on the task (that confirms it)
        assigns = [a for a in all_assigns if a.confirmed or (t.pk, a.organization_id) in latest]
        unconfirmed_total += len(all_assigns) - len(assigns)
        due = periods.due_period(plan.year, t.frequency, as_of)
        t_miles = miles_by_task.get(t.pk, [])
        t_overdue = [m for m in t_miles if m.due_date < as_of and (m.done_on is None or m.done_on > as_of)]
        overdue_list.extend(t_overdue)
        lead = next((a for a in assigns if a.role == UnitRole.LEAD), None)
        lead_report = latest.get((t.pk, lead.organization_id)) if lead and lead.organization_id else None
        unit_latest = [latest[(t.pk, a.organization_id)] for a in assigns if (t.pk, a.organization_id) in latest]
        percent = (
            lead_report.percent
            if lead_report
            else (round(sum(r.percent for r in unit_latest) / len(unit_latest)) if unit_latest else None)
        )
        task_missing = []
        if due and t.state != TaskState.COMPLETED:
            for a in assigns:
                if a.organization_id and (t.pk, a.organization_id, due.key) not in period_done:
                    task_missing.append(a)
                    missing.append({"task": t, "assignment": a, "period": due})
        health = _health(
            state=t.state,
            percent=percent,
            reported=bool(unit_latest),
            overdue=len(t_overdue),
            done_milestones=sum(1 for m in t_miles if m.done_on and m.done_on <= as_of),
            expected=expected,
        )
        open_rem = [r for r in rems_by_task.get(t.pk, []) if r.state == ReminderState.SENT]
        counted = {a.pk for a in assigns}
        missing_ids = {a.pk for a in task_missing}
        rows.append(
            {
                "task": t,
                "lead": lead,
                "coops": [a for a in assigns if a.role == UnitRole.COOP],
                "percent": percent,
                "health": health,
                "health_label": Health(health).label,
                "css": HEALTH_CSS[health],
                "last_report": max((r.submitted_at for r in unit_latest), default=None),
                "missing": task_missing,
                "overdue": t_overdue,
                "open_reminders": open_rem,
                "due": due,
                "unresolved": [a for a in assigns if a.organization_id is None],
                "unconfirmed": [a for a in all_assigns if a.pk not in counted],
            }
        )
        for a in assigns:
            if a.organization_id is None:
                continue
            u = unit_rows.setdefault(
                a.organization_id,
                {
                    "org": a.organization,
                    "lead": 0,
                    "coop": 0,
                    Health.ON_TRACK: 0,
                    Health.LATE: 0,
                    Health.NOT_STARTED: 0,
                    Health.COMPLETED: 0,
                    "missing": 0,
                    "overdue": 0,
                    "open_reminders": 0,
                },
            )
            u["lead" if a.role == UnitRole.LEAD else "coop"] += 1
            mine = latest.get((t.pk, a.organization_id))
            my_miles = [m for m in t_miles if m.organization_id == a.organization_id]
            my_overdue = [m for m in t_overdue if m.organization_id == a.organization_id]
            u[
                _health(
                    state=t.state,
                    percent=mine.percent if mine else None,
                    reported=mine is not None,
                    overdue=len(my_overdue),
                    done_milestones=sum(1 for m in my_miles if m.done_on and m.done_on <= as_of),
                    expected=expected,
                )
            ] += 1
            u["missing"] += 1 if a.pk in missing_ids else 0
            u["overdue"] += len(my_overdue)
            u["open_reminders"] += sum(1 for r in open_rem if r.organization_id == a.organization_id)
    sections = []
    for s in plan.sections.all():
        srows = [r for r in rows if r["task"].section_id == s.pk]
        if srows:
            sections.append(
                {
                    "section": s,
                    "rows": srows,
                    "counts": {h: sum(1 for r in srows if r["health"] == h) for h in Health.values},
                }
            )
    counts = {h: sum(1 for r in rows if r["health"] == h) for h in Health.values}
    units = sorted(
        unit_rows.values(), key=lambda u: (u["org"].kind != OrgKind.DEPARTMENT, u["org"].region_code, u["org"].pk)
    )
    return {
        "plan": plan,
        "as_of": as_of,
        "expected": round(expected),
        "rows": rows,
        "sections": sections,
        "units": units,
        "counts": counts,
        "missing": missing,
        "overdue": overdue_list,
        "reminders": reminders,
        "health_labels": dict(Health.choices),
        "unconfirmed_total": unconfirmed_total,
    }


def viewer_key(user) -> list:
    """What decides which tasks board() shows the user: everything for supervisors, else the user's own scope."""
    return ["all"] if is_supervisor(user) else [user.pk, user.role, user.organization_id]


def cached_board(
    *, plan: Plan, user, as_of: dt.date | None = None, section: int | None = None, organization_id: int | None = None
) -> dict:
    """board() from core.cache namespace "workplan" (invalidated by every save or delete of the work plan's records
    and of organisations), keyed by plan, date, filters and the viewer's scope (viewer_key)."""
    from ipplatform.core.cache import cached

    parts = {
        "fn": "board",
        "plan": plan.pk,
        "as_of": as_of or default_as_of(plan),
        "section": section,
        "unit": organization_id,
        "viewer": viewer_key(user),
    }
    return cached(
        "workplan",
        parts,
        lambda: board(plan=plan, user=user, as_of=as_of, section=section, organization_id=organization_id),
    )


TARGET_STATUS_LABELS = {
    "met": "已达成",
    "on_track": "预计可达成",
    "behind": "落后",
    "no_data": "无数据",
    "insufficient": "数据不足",
}


def targets_with_measurements(plan: Plan, *, city_code: str | None = None) -> tuple[list[dict], str]:
    """The plan's headline targets with the statistics service's measured values (targets alone when it fails)."""
    measured: dict[str, dict] = {}
    note = ""
    try:
        measured = {row["key"]: row for row in analytics_services.target_status(year=plan.year, city_code=city_code)}
    except Exception:  # the statistics service must never break the board: show the targets without values
        log.exception("analytics.target_status failed")
        note = "统计服务暂时不可用：仅显示目标值"
    out = []
    for t in plan.targets.all():
        m = measured.get(t.key)
        out.append(
            {
                "key": t.key,
                "label": t.label,
                "target": t.target,
                "unit": t.unit,
                "text": t.text,
                "value": m.get("value") if m else None,
                "status": m.get("status") if m else "",
                "status_label": TARGET_STATUS_LABELS.get(m.get("status"), m.get("status") or "") if m else "",
                "basis": m.get("basis", "") if m else "",
                "measured_unit": m.get("unit", t.unit) if m else t.unit,
            }
        )
    return out, note
