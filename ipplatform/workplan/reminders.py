"""督办: reminding units of a task, reminding every unit that has not reported, and the unit's acknowledgement."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipplatform.core.inputs import InputError, is_id, parse_date
from ipplatform.core.models import Organization, User
from ipplatform.core.notify import notify
from ipplatform.core.workflow import run_transition

from .access import is_lead_of, is_supervisor, require_supervisor
from .board import board
from .enums import ReminderState
from .models import Plan, Reminder, Task


def send_reminder(*, task: Task, by, organization_ids, message: str, reply_by=None) -> list[Reminder]:
    """督办: remind units of a task; each unit's users are notified and must acknowledge."""
    if not (is_supervisor(by) or is_lead_of(by, task)):
        raise PermissionDenied("只有督导部门或牵头单位可以督办")
    message = (message or "").strip()
    if not message:
        raise InputError("督办事项不能为空", field="message")
    ids = [int(i) for i in organization_ids or [] if is_id(i)]
    units = list(
        Organization.objects.filter(pk__in=task.assignments.filter(organization_id__in=ids).values("organization_id"))
    )
    if not units:
        raise InputError("请至少选择一个该任务的责任单位", field="organization")
    due = parse_date(reply_by, field="reply_by", label="签收期限") if reply_by else None
    out = []
    with transaction.atomic():
        for org in units:
            r = Reminder.objects.create(
                task=task, organization=org, message=message, reply_by=due, sent_by=by, sent_at=timezone.now()
            )
            out.append(r)
    for r in out:
        for u in User.objects.filter(organization_id=r.organization_id, is_active=True):
            notify(
                user=u,
                title=f"督办：任务{task.number}“{task.lead[:24]}”",
                body=message + (f"（请于{due}前签收）" if due else ""),
                url=f"/workplan/reminders/{r.pk}/",
                kind="督办",
                dedupe_key=f"workplan-reminder-{r.pk}",
            )
    return out


def remind_missing(*, plan: Plan, by, as_of: dt.date | None = None, message: str = "", reply_by=None) -> int:
    """督办 every unit that has not reported for the due period (one reminder per task and unit, one notice per unit)."""
    require_supervisor(by)
    data = board(plan=plan, user=by, as_of=as_of)
    due = parse_date(reply_by, field="reply_by", label="签收期限") if reply_by else None
    open_pairs = set(
        Reminder.objects.filter(task__plan=plan, state=ReminderState.SENT).values_list("task_id", "organization_id")
    )
    per_unit: dict[int, list] = {}
    with transaction.atomic():
        for item in data["missing"]:
            task, org_id = item["task"], item["assignment"].organization_id
            if (task.pk, org_id) in open_pairs:
                continue
            text = (message or "").strip() or f"贵单位尚未报送{item['period'].label}的进展，请尽快报送并说明情况。"
            Reminder.objects.create(
                task=task, organization_id=org_id, message=text, reply_by=due, sent_by=by, sent_at=timezone.now()
            )
            per_unit.setdefault(org_id, []).append(task.number)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    for org_id, numbers in per_unit.items():
        for u in User.objects.filter(organization_id=org_id, is_active=True):
            notify(
                user=u,
                title=f"督办：{len(numbers)}项任务未按期报送进展",
                body=f"任务{'、'.join(map(str, numbers))}" + (f"，请于{due}前签收" if due else ""),
                url="/workplan/reminders/?state=sent",
                kind="督办",
                dedupe_key=f"workplan-missing-{plan.pk}-{org_id}-{stamp}",
            )
    return sum(len(v) for v in per_unit.values())


def acknowledge_reminder(*, reminder: Reminder, user, response: str) -> Reminder:
    """The reminded unit acknowledges with its answer (recorded with who and when)."""
    if user.organization_id != reminder.organization_id:
        raise PermissionDenied("只有被督办单位可以签收")
    response = (response or "").strip()
    if not response:
        raise InputError("请填写签收答复（落实措施或说明）", field="response")
    with transaction.atomic():
        run_transition(reminder, "acknowledge", by=user, reason=response)
        reminder.acknowledged_by, reminder.acknowledged_at, reminder.response = user, timezone.now(), response
        reminder.save()
    if reminder.sent_by_id:
        notify(
            user=reminder.sent_by,
            title=f"{reminder.organization.name}已签收督办",
            body=response,
            url=f"/workplan/reminders/{reminder.pk}/",
            kind="督办",
            dedupe_key=f"workplan-ack-{reminder.pk}",
        )
    return reminder
