"""专利导航: thematic databases (专题库) with materialised membership, check sheets and navigation reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .enums import Combine, ManualAction, ReportStatus, SubjectKind


class ThematicDatabase(models.Model):
    """A 专题库: saved query + IPC prefixes + WIPO fields, with manual include/exclude lists kept across refreshes."""

    name = models.CharField("名称", max_length=120)
    description = models.TextField("说明", blank=True)
    query = models.TextField("检索式", blank=True, help_text="平台检索语言，与专利检索页相同")
    ipc_prefixes = models.JSONField(
        "IPC分类号", default=list, blank=True, help_text="规范化分类号前缀，如 H01M 或 H01M10/"
    )
    tech_fields = models.JSONField("WIPO技术领域", default=list, blank=True, help_text="WIPO 35个技术领域的序号")
    combine = models.CharField("组合方式", max_length=12, choices=Combine.choices, default=Combine.UNION)
    preset_key = models.CharField("预置专题", max_length=40, blank=True, db_index=True)
    is_shared = models.BooleanField("全平台共享", default=False)
    auto_refresh = models.BooleanField("数据到达时自动更新", default=True)
    region_code = models.CharField("所属地区", max_length=6, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Materialisation state.
    member_count = models.PositiveIntegerField("收录量", default=0)
    refreshed_at = models.DateTimeField("最近更新", null=True, blank=True)
    data_cutoff = models.DateField("数据截止日期", null=True, blank=True)
    refresh_note = models.CharField("更新说明", max_length=300, blank=True)

    scope_paths = {"region": "region_code", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "专题库"
        ordering = ["-is_shared", "name"]

    def __str__(self):
        return self.name

    @property
    def is_preset(self) -> bool:
        return bool(self.preset_key)


class Membership(models.Model):
    """Materialised membership of a 专题库 (rule hits plus manual inclusions, minus exclusions)."""

    audit_exclude = True
    db = models.ForeignKey(ThematicDatabase, on_delete=models.CASCADE, related_name="memberships")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="navigation_memberships")
    manual = models.BooleanField("人工纳入", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "专题库收录"
        constraints = [models.UniqueConstraint(fields=["db", "patent"], name="navigation_membership_unique")]


class ManualEntry(models.Model):
    """An analyst's decision to include or exclude one record, kept across every refresh."""

    db = models.ForeignKey(ThematicDatabase, on_delete=models.CASCADE, related_name="manual_entries")
    patent_id = models.CharField("记录号", max_length=32)
    action = models.CharField("操作", max_length=10, choices=ManualAction.choices)
    note = models.CharField("理由", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专题库人工调整"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["db", "patent_id"], name="navigation_manual_unique")]

    def __str__(self):
        return f"{self.get_action_display()} {self.patent_id}"


class CheckSheet(models.Model):
    """查准率/查全率核查表: a random sample of members marked relevant or not, plus a known-relevant list for recall."""

    db = models.ForeignKey(ThematicDatabase, on_delete=models.CASCADE, related_name="check_sheets")
    sample_size = models.PositiveIntegerField("样本量")
    seed = models.BigIntegerField("随机种子")
    member_count = models.PositiveIntegerField("抽样时收录量", default=0)
    data_cutoff = models.DateField("数据截止日期", null=True, blank=True)
    recall_ids = models.JSONField("查全率标准样本", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "查准查全核查表"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.db} 核查表 #{self.pk}"


class CheckItem(models.Model):
    sheet = models.ForeignKey(CheckSheet, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="+")
    relevant = models.BooleanField("相关", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "核查样本"
        ordering = ["pk"]


class EffectTerm(models.Model):
    """One technical-effect term of the technology–effect matrix, with the synonyms searched in abstracts."""

    term = models.CharField("功效词", max_length=30, unique=True)
    synonyms = models.CharField("同义表达", max_length=500, blank=True, help_text="用顿号或逗号分隔")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "技术功效词"
        ordering = ["order", "term"]

    def __str__(self):
        return self.term


class Report(models.Model):
    """A navigation report: chosen analyses of one subject with commentary, stored with the data cut-off and query."""

    title = models.CharField("报告名称", max_length=200)
    subject_kind = models.CharField("分析对象", max_length=10, choices=SubjectKind.choices)
    subject_value = models.CharField("对象", max_length=2000)
    subject_label = models.CharField("对象名称", max_length=300, blank=True)
    db = models.ForeignKey(
        ThematicDatabase,
        verbose_name="专题库",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    query = models.TextField("检索式/定义", blank=True)
    analyses = models.JSONField("分析项", default=list)
    introduction = models.TextField("报告引言", blank=True)
    commentary = models.JSONField("分析师评述", default=dict, blank=True)
    conclusion = models.TextField("结论与建议", blank=True)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    data_cutoff = models.DateField("数据截止日期", null=True, blank=True)
    patent_count = models.PositiveIntegerField("专利数", default=0)
    has_synthetic = models.BooleanField("含模拟数据", default=False)
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    generation = models.PositiveIntegerField("生成次数", default=0)
    region_code = models.CharField("所属地区", max_length=6, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"region": "region_code", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "导航报告"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class ReportResult(models.Model):
    """The computed analyses of a report generation (kept apart so the audit trail does not copy large results)."""

    audit_exclude = True
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="result")
    data = models.JSONField("分析结果", default=dict)
    computed_at = models.DateTimeField(auto_now=True)
