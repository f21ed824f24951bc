"""Derived statistics tables (rebuilt from the patent store) and the editable settings of the statistics module."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .enums import Divisions, Measure, ReportStatus


class PatentFact(models.Model):
    """One patent reduced to what statistics need: area, type, applicant type and its three dates."""

    audit_exclude = True
    patent_id = models.CharField("记录号", max_length=32, primary_key=True)
    area = models.CharField("地市（申请时）", max_length=6, db_index=True)
    patent_type = models.CharField("专利类型", max_length=10)
    applicant_type = models.CharField("第一申请人类型", max_length=12)
    is_synthetic = models.BooleanField("模拟数据", default=False)
    app_date = models.DateField("申请日", null=True, db_index=True)
    grant_date = models.DateField("授权日", null=True, db_index=True)
    end_date = models.DateField("权利终止日", null=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "统计事实（派生）"


class _Bucket(models.Model):
    audit_exclude = True
    measure = models.CharField("指标", max_length=5, choices=Measure.choices)
    area = models.CharField("地市", max_length=6)
    patent_type = models.CharField("专利类型", max_length=10)
    applicant_type = models.CharField("第一申请人类型", max_length=12)
    is_synthetic = models.BooleanField("模拟数据", default=False)
    n = models.BigIntegerField("件数", default=0)

    class Meta:
        abstract = True


class YearBucket(_Bucket):
    """Counts per calendar year (derived from PatentFact)."""

    year = models.PositiveSmallIntegerField("年份")

    class Meta:
        verbose_name = verbose_name_plural = "年度统计（派生）"
        indexes = [models.Index(fields=["measure", "year"]), models.Index(fields=["area", "measure", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "patent_type", "applicant_type", "is_synthetic", "year"],
                name="analytics_yearbucket_key",
            )
        ]


class MonthBucket(_Bucket):
    """Counts per calendar month, YYYYMM (derived from PatentFact)."""

    month = models.PositiveIntegerField("月份")

    class Meta:
        verbose_name = verbose_name_plural = "月度统计（派生）"
        indexes = [models.Index(fields=["measure", "month"]), models.Index(fields=["area", "measure", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "patent_type", "applicant_type", "is_synthetic", "month"],
                name="analytics_monthbucket_key",
            )
        ]


class IndexWeight(models.Model):
    """Weight of one indicator in the composite regional index (区域知识产权发展状况评价); edited by administrators."""

    key = models.CharField("指标代码", max_length=40, unique=True)
    label = models.CharField("指标", max_length=60)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "综合指数权重"
        ordering = ["order", "key"]

    def __str__(self):
        return f"{self.label} {self.weight}"


class StatReport(models.Model):
    """A generated yearly statistical report (年度专利统计分析报告), stored as a Word file."""

    year = models.PositiveSmallIntegerField("统计年度")
    city_code = models.CharField("地市", max_length=6, blank=True, help_text="空为全省")
    divisions = models.CharField("区划口径", max_length=8, choices=Divisions.choices, default=Divisions.Y2015)
    include_synthetic = models.BooleanField("含模拟数据", default=False)
    status = models.CharField("状态", max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    file_path = models.CharField("文件", max_length=300, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    error = models.TextField("错误", blank=True)
    job = models.ForeignKey("core.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度统计分析报告"
        ordering = ["-created_at"]

    scope_paths = {"region": "city_code", "owner": "created_by"}

    def __str__(self):
        return f"{self.scope_label}{self.year}年度专利统计分析报告"

    @property
    def scope_label(self) -> str:
        from ipplatform.core.regions import name_of

        return (name_of(self.city_code) or self.city_code) if self.city_code else "全省"


class StatsPolicy(models.Model):
    """The office's statistics settings (one row): the record coverage that supports a status or ranking."""

    coverage_threshold = models.DecimalField(
        "覆盖率阈值（%）",
        max_digits=5,
        decimal_places=1,
        default=80,
        help_text="平台记录数 ÷ 官方统计数低于此值时，不据记录判定目标状态、不排名",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "统计口径设置"

    def __str__(self):
        return f"覆盖率阈值 {self.coverage_threshold}%"
