"""Annual work plans (工作要点) as tracked tasks: sections, tasks, responsible units, milestones, progress reports, 督办."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from ipplatform.core.models import Organization

from .enums import Frequency, ImportState, MilestoneState, ReminderState, ReportState, TaskState, UnitRole

TASK_SCOPE = {"organization": "assignments__organization", "department": "assignments__organization"}


class PlanImport(models.Model):
    """An uploaded plan waiting in preview: parsed content and the administrator's unit resolutions."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    source_name = models.CharField("来源文件", max_length=200)
    source_kind = models.CharField("格式", max_length=10)
    source_text = models.TextField("原文")
    sha256 = models.CharField("SHA-256", max_length=64)
    parsed = models.JSONField("解析结果")
    resolutions = models.JSONField("单位对应", default=dict, blank=True)
    narrowed = models.JSONField(
        "统称限定",
        default=dict,
        blank=True,
        help_text="“各有关…”统称在预览中选定的单位：{“任务号|统称原文”: [机构编号…]}",
    )
    frequency = models.CharField("报送周期", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    state = FSMField("状态", default=ImportState.PREVIEW, choices=ImportState.choices, protected=True)
    plan = models.ForeignKey("Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作要点导入"
        ordering = ["-created_at"]

    scope_paths = {"owner": "created_by"}

    def __str__(self):
        return f"{self.year}年 {self.source_name}（{self.get_state_display()}）"

    @transition(field=state, source=ImportState.PREVIEW, target=ImportState.COMMITTED)
    def commit(self, *, by=None, reason=""):
        """Preview confirmed: the plan was created."""

    @transition(field=state, source=ImportState.PREVIEW, target=ImportState.CANCELLED)
    def cancel(self, *, by=None, reason=""):
        """Preview discarded."""


class Plan(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("标题", max_length=200)
    preamble = models.TextField("总体要求与目标", blank=True)
    source_name = models.CharField("来源文件", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    frequency = models.CharField("默认报送周期", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度工作要点"
        ordering = ["-year"]

    def __str__(self):
        return self.title


class PlanTarget(models.Model):
    """A headline target of the plan (e.g. 发明专利申请量增长15%), linked to the statistics service by key."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    key = models.CharField("指标代码", max_length=60)
    label = models.CharField("指标", max_length=100)
    target = models.DecimalField("目标值", max_digits=10, decimal_places=2)
    unit = models.CharField("单位", max_length=10, blank=True)
    text = models.CharField("原文", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度目标"
        unique_together = [("plan", "key")]
        ordering = ["plan", "pk"]

    def __str__(self):
        return f"{self.label} {self.target}{self.unit}"


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField("序号")
    numeral = models.CharField("序号（中文）", max_length=6)
    title = models.CharField("标题", max_length=300)
    intro = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作要点部分"
        unique_together = [("plan", "number")]
        ordering = ["plan", "number"]

    def __str__(self):
        return f"{self.numeral}、{self.title}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField("序号")
    lead = models.CharField("任务", max_length=300)
    body = models.TextField("工作内容", blank=True)
    units_text = models.CharField("责任单位（原文）", max_length=300, blank=True)
    source_line = models.PositiveIntegerField("原文行号", null=True, blank=True)
    frequency = models.CharField("报送周期", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    links = models.JSONField("关联平台功能", default=list, blank=True)
    state = FSMField("状态", default=TaskState.NOT_STARTED, choices=TaskState.choices, protected=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作任务"
        unique_together = [("plan", "number")]
        ordering = ["plan", "number"]

    scope_paths = TASK_SCOPE

    def __str__(self):
        return f"{self.number}. {self.lead}"

    @transition(field=state, source=TaskState.NOT_STARTED, target=TaskState.IN_PROGRESS)
    def start(self, *, by=None, reason=""):
        """First progress report or milestone: the task is under way."""

    @transition(field=state, source=[TaskState.NOT_STARTED, TaskState.IN_PROGRESS], target=TaskState.COMPLETED)
    def complete(self, *, by=None, reason=""):
        """The lead unit declares the task done."""

    @transition(field=state, source=TaskState.COMPLETED, target=TaskState.IN_PROGRESS)
    def reopen(self, *, by=None, reason=""):
        """Supervision finds the task not done after all."""


class Assignment(models.Model):
    """One responsible unit of a task; organization is empty while the unit name is unresolved."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="workplan_assignments"
    )
    unit_name = models.CharField("单位名称（原文）", max_length=200)
    role = models.CharField("职责", max_length=10, choices=UnitRole.choices)
    via = models.CharField("来源统称", max_length=60, blank=True, help_text="由“各市知识产权局”等统称展开时记录原文")
    confirmed = models.BooleanField(
        "已确认", default=True, help_text="“各有关…”统称展开而未经管理员选定的单位为待确认，不计入督导看板"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "责任单位"
        ordering = ["task", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organization"],
                condition=models.Q(organization__isnull=False),
                name="workplan_assignment_unique_org",
            ),
        ]

    scope_paths = {"organization": "organization", "department": "organization"}

    def __str__(self):
        return f"{self.task.number}. {self.organization or self.unit_name}（{self.get_role_display()}）"

    @property
    def display_name(self) -> str:
        return self.organization.name if self.organization else f"{self.unit_name}（待落实）"


class UnitAlias(models.Model):
    """A unit name as written in plans, mapped once by the administrator to an organisation (reused next year)."""

    name = models.CharField("名称", max_length=200, unique=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="workplan_aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "责任单位别名"

    def __str__(self):
        return f"{self.name} → {self.organization}"


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    state = FSMField("状态", default=MilestoneState.PENDING, choices=MilestoneState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务节点"
        ordering = ["task", "due_date", "pk"]

    scope_paths = {"organization": "organization", "department": "organization"}

    def __str__(self):
        return f"{self.title}（{self.due_date}）"

    @transition(field=state, source=MilestoneState.PENDING, target=MilestoneState.DONE)
    def finish(self, *, by=None, reason=""):
        """The milestone is reached."""


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    period_key = models.CharField("报送期", max_length=10, help_text="2015-03（月）或 2015-Q1（季度）")
    period_start = models.DateField("期初")
    period_end = models.DateField("期末")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    text = models.TextField("进展情况")
    figures = models.JSONField("报送数据", default=list, blank=True, help_text="[{name, value, unit}]")
    state = FSMField("状态", default=ReportState.SUBMITTED, choices=ReportState.choices, protected=True)
    review_note = models.TextField("审阅意见", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["task", "-period_end", "organization"]
        unique_together = [("task", "organization", "period_key")]

    scope_paths = {"organization": "organization", "department": "organization", "owner": "submitted_by"}

    def __str__(self):
        return f"{self.task.number}. {self.organization}（{self.period_key}）"

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.ACCEPTED)
    def accept(self, *, by=None, reason=""):
        """Reviewed by the lead unit or 办公室."""

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.RETURNED)
    def return_for_revision(self, *, by=None, reason=""):
        """Sent back for more detail."""

    @transition(field=state, source=ReportState.RETURNED, target=ReportState.SUBMITTED)
    def resubmit(self, *, by=None, reason=""):
        """Revised and filed again."""


def attachment_path(instance, filename):
    return f"workplan/{instance.report.task.plan.year}/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告附件"

    def __str__(self):
        return self.name


class Reminder(models.Model):
    """督办: a reminder to one unit about one task, which the unit must acknowledge."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    message = models.TextField("督办事项")
    reply_by = models.DateField("签收期限", null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField("督办时间")
    state = FSMField("状态", default=ReminderState.SENT, choices=ReminderState.choices, protected=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    response = models.TextField("签收答复", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办"
        ordering = ["-sent_at"]

    scope_paths = {"organization": "organization", "department": "organization", "owner": "sent_by"}

    def __str__(self):
        return f"督办：{self.task.number}. {self.task.lead[:20]} → {self.organization}"

    @transition(field=state, source=ReminderState.SENT, target=ReminderState.ACKNOWLEDGED)
    def acknowledge(self, *, by=None, reason=""):
        """The unit confirms receipt and answers."""
