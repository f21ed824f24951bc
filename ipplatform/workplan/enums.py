from django.db import models


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "按月报送"
    QUARTERLY = "quarterly", "按季度报送"


class UnitRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    COOP = "coop", "配合单位"


class TaskState(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    COMPLETED = "completed", "已完成"


class ImportState(models.TextChoices):
    PREVIEW = "preview", "待确认"
    COMMITTED = "committed", "已导入"
    CANCELLED = "cancelled", "已取消"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", "已报送"
    ACCEPTED = "accepted", "已审阅"
    RETURNED = "returned", "退回补充"


class MilestoneState(models.TextChoices):
    PENDING = "pending", "进行中"
    DONE = "done", "已完成"


class ReminderState(models.TextChoices):
    SENT = "sent", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"


class Health(models.TextChoices):
    """Computed supervision status of a task or of one unit's part of it."""

    ON_TRACK = "on_track", "正常推进"
    LATE = "late", "滞后"
    NOT_STARTED = "not_started", "未启动"
    COMPLETED = "completed", "已完成"


HEALTH_CSS = {
    Health.ON_TRACK: "status-ok",
    Health.LATE: "status-bad",
    Health.NOT_STARTED: "status-warn",
    Health.COMPLETED: "status-ok",
}
