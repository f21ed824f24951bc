from django.db import models


class AppStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "办理中"
    RETURNED = "returned", "退回补正"
    WITHDRAWN = "withdrawn", "已撤回"
    REJECTED = "rejected", "未通过"
    APPROVED = "approved", "已批准"
    NOT_AWARDED = "not_awarded", "未获奖"
    PAID = "paid", "已兑付"
    CLAWED_BACK = "clawed_back", "已追回"


# Statuses in which an application still holds its place (its patent claims count as taken, its amount as committed).
LIVE_STATUSES = (AppStatus.DRAFT, AppStatus.ACTIVE, AppStatus.RETURNED, AppStatus.APPROVED, AppStatus.PAID)


class Actor(models.TextChoices):
    """Who acts at a stage (ProgrammeType.stages[*]['actor'])."""

    CITY = "city", "市、县知识产权局（属地）"
    OFFICE = "office", "省知识产权局"
    EXPERT = "expert", "评审专家"


class ClaimKind(models.TextChoices):
    APPLICATION = "application", "申请资助"
    GRANT = "grant", "授权资助"


class ObjectionState(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class BatchState(models.TextChoices):
    DRAFT = "draft", "待报送"
    EXPORTED = "exported", "已报送财务"
    PAID = "paid", "已兑付"


class CheckKind(models.TextChoices):
    ACCEPTANCE = "acceptance", "验收"
    ANNUAL = "annual", "年度复核"


class CheckState(models.TextChoices):
    PENDING = "pending", "待提交"
    SUBMITTED = "submitted", "已提交"
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"
