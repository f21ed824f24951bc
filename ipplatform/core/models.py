from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from ipplatform.lib import uscc

from .enums import ROLE_ORG_KINDS, ROLE_SCOPE, AuditAction, JobStatus, OrgKind, Role, ScopeLevel, SizeClass


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only record."""


class AppendOnlyModel(models.Model):
    """Rows are written once: updates and deletes are refused here and by database triggers."""

    audit_exclude = True  # these rows are themselves the record

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}不可删除")


# ---------------------------------------------------------------- reference data


class Division(models.Model):
    """A GB/T 2260 administrative division in one revision (e.g. 201512)."""

    LEVELS = [("province", "省级"), ("city", "地级"), ("county", "县级")]
    revision = models.CharField("版本", max_length=6, db_index=True)
    code = models.CharField("区划代码", max_length=6, db_index=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=10, choices=LEVELS)
    parent_code = models.CharField("上级代码", max_length=6, blank=True)
    source = models.CharField("来源", max_length=16, default="mca")

    class Meta:
        verbose_name = verbose_name_plural = "行政区划代码"
        unique_together = [("revision", "code")]
        ordering = ["revision", "code"]

    def __str__(self):
        return f"{self.code} {self.name}（{self.revision}）"


class DivisionChange(models.Model):
    """A later change of divisions (e.g. 莱芜 371200 merged into 济南 370100 in 2019)."""

    old_code = models.CharField("原代码", max_length=6, db_index=True)
    old_name = models.CharField("原名称", max_length=64)
    new_code = models.CharField("现代码", max_length=6)
    new_name = models.CharField("现名称", max_length=64)
    effective = models.DateField("生效日期")
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "区划变更"
        unique_together = [("old_code", "new_code")]

    def __str__(self):
        return f"{self.old_name}{self.old_code} → {self.new_name}{self.new_code}（{self.effective}）"


class Population(models.Model):
    """Resident population of a division in a year, with its source (shown wherever it is used)."""

    region_code = models.CharField("区划代码", max_length=6, db_index=True)
    region_name = models.CharField("地区", max_length=64)
    year = models.PositiveSmallIntegerField("年份")
    population = models.PositiveBigIntegerField("常住人口（人）")
    boundary = models.CharField("口径边界", max_length=20, help_text="如“2010年区划”“2020年区划”")
    source = models.CharField("数据来源", max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "常住人口"
        unique_together = [("region_code", "year")]
        ordering = ["region_code", "year"]

    def __str__(self):
        return f"{self.region_name} {self.year}年 {self.population}"


EN_MARK = "（英文）"  # after an English IPC title shown where the Chinese edition has no entry


class IPCEntry(models.Model):
    """One IPC symbol (section to subgroup) with Chinese and English titles."""

    LEVELS = [("section", "部"), ("class", "大类"), ("subclass", "小类"), ("main_group", "大组"), ("subgroup", "小组")]
    code = models.CharField("分类号", max_length=20, primary_key=True)
    level = models.CharField("级别", max_length=12, choices=LEVELS, db_index=True)
    parent = models.CharField("上级", max_length=20, blank=True, db_index=True)
    title_zh = models.TextField("中文含义", blank=True)
    title_en = models.TextField("英文含义", blank=True)
    title_source = models.CharField(
        "中文来源",
        max_length=20,
        default="zh_2026_01",
        help_text="zh_2026_01 = 2026.01 中文版；en_only = 中文版缺失，仅有英文",
    )

    class Meta:
        verbose_name = verbose_name_plural = "国际专利分类（IPC）"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        """The Chinese title; the English one only where the Chinese edition lacks the entry, marked as such."""
        return self.title_zh or (f"{self.title_en}{EN_MARK}" if self.title_en else "")


class TechField(models.Model):
    """One of WIPO's 35 technology fields (Schmoch concordance)."""

    number = models.PositiveSmallIntegerField("序号", primary_key=True)
    sector_en = models.CharField("领域大类（英）", max_length=60)
    sector_zh = models.CharField("领域大类", max_length=30)
    name_en = models.CharField("技术领域（英）", max_length=120)
    name_zh = models.CharField("技术领域", max_length=60)

    class Meta:
        verbose_name = verbose_name_plural = "WIPO技术领域"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name_zh}"


class TechFieldPattern(models.Model):
    audit_exclude = True
    field = models.ForeignKey(TechField, on_delete=models.CASCADE, related_name="patterns")
    ipc_prefix = models.CharField("IPC前缀", max_length=20, help_text="规范化的分类号前缀，如 H01L 或 H04N5/")

    class Meta:
        verbose_name = verbose_name_plural = "技术领域对照"
        unique_together = [("field", "ipc_prefix")]


# ---------------------------------------------------------------- organisations and users


class Organization(models.Model):
    name = models.CharField("名称", max_length=200)
    short_name = models.CharField("简称", max_length=60, blank=True)
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region_code = models.CharField("所在地区划代码", max_length=6, blank=True, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    address = models.CharField("地址", max_length=300, blank=True)
    contact_person = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    is_sme = models.BooleanField("小微企业", default=False)
    size_class = models.CharField("企业规模", max_length=8, choices=SizeClass.choices, blank=True)
    industry_code = models.CharField(
        "国民经济行业分类", max_length=4, blank=True, help_text="GB/T 4754-2017 门类字母或大类两位代码"
    )
    contact_email = models.EmailField("联系邮箱", blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["kind", "region_code", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="org_unique_kind_name")]

    scope_paths = {"region": "region_code", "organization": "pk"}

    def __str__(self):
        return self.name

    def clean(self):
        if self.uscc:
            self.uscc = self.uscc.strip().upper()
            reason = uscc.validate(self.uscc)
            if reason:
                raise ValidationError({"uscc": reason})
        if self.kind == OrgKind.ENTERPRISE and not self.uscc:
            raise ValidationError({"uscc": "企业必须填写统一社会信用代码"})
        if self.kind in (OrgKind.CITY_BUREAU, OrgKind.COUNTY_BUREAU) and not self.region_code:
            raise ValidationError({"region_code": "市、县知识产权局必须关联行政区划代码"})

    @property
    def city_code(self) -> str:
        return self.region_code[:4] + "00" if self.region_code else ""


class User(AbstractUser):
    organization = models.ForeignKey(
        Organization, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.PUBLIC)
    real_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("手机", max_length=30, blank=True)
    expert_fields = models.CharField(
        "专家技术领域", max_length=300, blank=True, help_text="IPC小类或技术领域，分号分隔"
    )
    is_demo = models.BooleanField("演示账号", default=False)
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="管理员重置的密码：用户登录后须先修改（core.middleware）"
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return self.real_name or self.username

    def clean(self):
        allowed = ROLE_ORG_KINDS.get(self.role)
        if allowed and (self.organization is None or self.organization.kind not in allowed):
            kinds = "、".join(OrgKind(k).label for k in allowed)
            raise ValidationError({"organization": f"角色“{Role(self.role).label}”的用户必须属于：{kinds}"})

    @property
    def scope_level(self) -> str:
        return ROLE_SCOPE.get(self.role, ScopeLevel.OWN)

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


# ---------------------------------------------------------------- audit trail and workflow history


class AuditEvent(AppendOnlyModel):
    """Append-only, hash-chained record of logins, changes and workflow transitions."""

    seq = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField("时间", db_index=True)
    actor_id = models.BigIntegerField("用户ID", null=True, blank=True, db_index=True)
    actor_name = models.CharField("用户", max_length=150, blank=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.TextField("说明", blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-seq"]

    def __str__(self):
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"


class StateTransition(AppendOnlyModel):
    """One workflow state change of any object: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, db_index=True)
    field = models.CharField("状态字段", max_length=60, default="state")
    transition = models.CharField("操作", max_length=60)
    source = models.CharField("原状态", max_length=60)
    target = models.CharField("新状态", max_length=60)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    reason = models.TextField("理由", blank=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "流程记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    # Chinese names for pages (core.labels): the stored codes stay as recorded.
    @property
    def _model(self):
        return self.content_type.model_class()

    @property
    def source_label(self) -> str:
        from .labels import state_label

        return state_label(self._model, self.field, self.source)

    @property
    def target_label(self) -> str:
        from .labels import state_label

        return state_label(self._model, self.field, self.target)

    @property
    def transition_label(self) -> str:
        from .labels import transition_label

        return transition_label(self._model, self.transition)

    @cached_property
    def actor_label(self) -> str:
        from .labels import person_label, system_label

        if not self.actor_id:
            return system_label(self.actor_name)
        user = User.objects.select_related("organization__parent").filter(pk=self.actor_id).first()
        return person_label(user) if user else self.actor_name


# ---------------------------------------------------------------- notifications and background jobs


class Notification(models.Model):
    audit_exclude = True
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    kind = models.CharField("类别", max_length=40, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内通知"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="notification_dedupe"
            )
        ]


class BackgroundJob(models.Model):
    audit_exclude = True  # progress updates are not business changes
    kind = models.CharField("任务类型", max_length=60)
    title = models.CharField("任务", max_length=200)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.BigIntegerField("已完成", default=0)
    total = models.BigIntegerField("总量", null=True, blank=True)
    message = models.TextField("进度说明", blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # queue bookkeeping: what to run again, and the lease a living worker renews (core.jobs)
    func_path = models.CharField("任务函数", max_length=200, blank=True)
    kwargs = models.JSONField("任务参数", null=True, blank=True)
    resumable = models.BooleanField("可续做", default=False)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    worker = models.CharField("执行进程", max_length=120, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at"]

    scope_paths = {"owner": "created_by", "personal": "province"}  # a job is its starter's (and the province admin's)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, int(self.progress * 100 / self.total))


class OfficialFigure(models.Model):
    """One published patent statistic (CNIPA / provincial office) for a region, year and period, with its source.

    Reference data for reconciling the platform's record counts: never computed, only imported (one audit event per file)."""

    audit_exclude = True
    region_code = models.CharField(
        "区划代码", max_length=6, blank=True, db_index=True, help_text="000000 = 全国；空 = 新疆生产建设兵团"
    )
    region_name = models.CharField("地区", max_length=64)
    year = models.PositiveSmallIntegerField("年份")
    period = models.CharField("期间", max_length=12, help_text="全年、年末、1-9月、9月、9月末")
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止（存量为时点）")
    is_stock = models.BooleanField("存量（时点数）", default=False)
    measure = models.CharField("指标", max_length=20)
    patent_type = models.CharField("专利类型", max_length=30)
    scope = models.CharField("统计范围", max_length=40)
    value = models.DecimalField("数值", max_digits=14, decimal_places=4)
    unit = models.CharField("单位", max_length=10)
    source_url = models.CharField("来源网址", max_length=300, blank=True)
    source_title = models.CharField("来源", max_length=300)
    note = models.TextField("说明", blank=True)
    comparable = models.BooleanField(
        "可用于核对", default=True, help_text="来源注明口径不明的数据（如2015年8月表19第二列）不参与核对"
    )
    imported_from = models.CharField("导入文件", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "官方专利统计数据"
        ordering = ["region_code", "year", "period_end", "measure", "patent_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "year", "period", "measure", "patent_type", "scope", "source_url"],
                name="core_officialfigure_key",
            )
        ]

    def __str__(self):
        return f"{self.region_name} {self.year}年{self.period} {self.patent_type}{self.measure} {self.value}{self.unit}"
