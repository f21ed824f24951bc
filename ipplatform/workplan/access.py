"""Who may do what in work-plan supervision, and which tasks, reports and 督办 records each user sees."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from ipplatform.core.enums import Role
from ipplatform.core.scopes import restrict

from .enums import UnitRole
from .models import Assignment, Plan, ProgressReport, Reminder, Task

SUPERVISING_DEPARTMENT = "办公室"


def is_supervisor(user) -> bool:
    """Province leadership, administrators and 办公室 see and supervise every task."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in (Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER):
        return True
    org = user.organization
    return user.role == Role.DEPARTMENT_STAFF and org is not None and org.name == SUPERVISING_DEPARTMENT


def can_import(user) -> bool:
    """Only administrators import plans and resolve units."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.PROVINCE_ADMIN)


def require_supervisor(user) -> None:
    """403 unless the user supervises the plan."""
    if not is_supervisor(user):
        raise PermissionDenied("仅局领导、系统管理员和办公室可以使用督导功能")


def require_importer(user) -> None:
    """403 unless the user may import plans."""
    if not can_import(user):
        raise PermissionDenied("仅系统管理员可以导入工作要点和落实责任单位")


def visible_tasks(user, plan: Plan | None = None):
    """Tasks the user may see: all for supervisors, else the tasks of the user's unit (city bureaus: of their city)."""
    qs = Task.objects.all()
    if plan is not None:
        qs = qs.filter(plan=plan)
    if not is_supervisor(user):
        qs = restrict(qs, user)
    return qs.select_related("section", "plan").order_by("plan", "number")


def get_task(user, pk) -> Task:
    """One task, 404 if missing, 403 if outside the user's scope."""
    task = Task.objects.select_related("plan", "section").filter(pk=pk).first()
    if task is None:
        raise Http404("工作任务不存在")
    if not is_supervisor(user) and not restrict(Task.objects.filter(pk=pk), user).exists():
        raise PermissionDenied("无权访问该工作任务：不是贵单位承担的任务")
    return task


def user_assignment(user, task: Task) -> Assignment | None:
    """The user's own unit's assignment on a task, if any."""
    if not user.is_authenticated or user.organization_id is None:
        return None
    return task.assignments.filter(organization_id=user.organization_id).first()


def is_lead_of(user, task: Task) -> bool:
    a = user_assignment(user, task)
    return a is not None and a.role == UnitRole.LEAD


def visible_reports(user, task: Task | None = None):
    """Reports the user may read: supervisors all; a unit its own; the lead unit those of its co-operators."""
    qs = ProgressReport.objects.all()
    if task is not None:
        qs = qs.filter(task=task)
    if not is_supervisor(user):
        own = Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
        lead_tasks = (
            Assignment.objects.filter(organization_id=user.organization_id, role=UnitRole.LEAD).values("task_id")
            if user.organization_id
            else []
        )
        qs = qs.filter(own | Q(task_id__in=lead_tasks) | Q(submitted_by=user))
    return qs.select_related("organization", "task", "submitted_by").order_by(
        "-period_end", "organization__region_code", "organization__name"
    )


def get_report(user, pk) -> ProgressReport:
    """One report, 404/403 like get_task."""
    report = ProgressReport.objects.select_related("task", "organization").filter(pk=pk).first()
    if report is None:
        raise Http404("进展报告不存在")
    if not visible_reports(user).filter(pk=pk).exists():
        raise PermissionDenied("无权查看该进展报告：仅报送单位、牵头单位和督导部门可以查看")
    return report


def visible_reminders(user):
    """督办 records: supervisors all, units their own."""
    qs = Reminder.objects.select_related("task", "organization", "sent_by", "acknowledged_by")
    if is_supervisor(user):
        return qs
    return qs.filter(organization_id=user.organization_id) if user.organization_id else qs.none()


def todo_for(*, user, today=None) -> list:
    """The workbench's to-do items: 督办 addressed to the user's unit and not yet signed for, by their reply date."""
    from django.urls import reverse
    from django.utils import timezone

    from ipplatform.core.workbench import Item

    if not user.organization_id:
        return []
    today = today or timezone.localdate()
    pending = Reminder.objects.filter(organization_id=user.organization_id, acknowledged_at__isnull=True)
    url = reverse("workplan:reminders")
    return [
        Item(url, f"督办待签收：{r.task}", r.reply_by, bool(r.reply_by and r.reply_by < today))
        for r in pending.select_related("task").order_by("reply_by", "pk")
    ]
