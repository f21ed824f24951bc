"""Patent records: applications with their publications, parties, classes and dated legal events.

A record's identifier (`Patent.id`) is its normalised application number (digits and check character,
no CN, no dot), or its publication number where no application number is known."""

from __future__ import annotations

import datetime as dt

from django.db import models

from . import legalstate
from .enums import (
    NO_STATUS_EVENTS,
    TERMINATING_EVENTS,
    EntityType,
    LegalEventCode,
    LegalStatus,
    PatentType,
    RegionMethod,
)

VALIDITY_PRESUMPTION = "法律状态事件缺失时推定：已授权且在保护期内视为有效（未考虑未缴年费等终止事件）"


SOURCE_LABELS = {
    "cnipa": "国家知识产权局专利检索系统导出",
    "cnki": "中国知网专利数据库",
    "cnki_listing": "中国知网专利数据库",
    "cnki_spider": "中国知网专利数据库",
    "sipo_jsonl": "国家知识产权局专利公布公告",
    "jsonl": "国家知识产权局专利公布公告",
    "csv": "导入的专利清单",
    "synthetic": "模拟数据（合成记录）",
    "manual": "人工录入",
}
NO_NUMBER = "未载明申请号"  # records from listings without application or publication number (CNKI)


class Applicant(models.Model):
    """An applicant or patentee as an entity, under its normalised name."""

    name = models.CharField("名称", max_length=300, unique=True)
    entity_type = models.CharField(
        "类型", max_length=12, choices=EntityType.choices, default=EntityType.UNKNOWN, db_index=True
    )
    entity_type_manual = models.BooleanField("类型经人工确认", default=False)
    country = models.CharField("国家/地区", max_length=2, default="CN")
    region_code = models.CharField("区划代码（申请时）", max_length=6, blank=True, db_index=True)
    region_method = models.CharField("归属方法", max_length=20, choices=RegionMethod.choices, default=RegionMethod.NONE)
    region_confidence = models.FloatField("归属置信度", default=0)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name="对应平台机构",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applicants",
    )
    patent_count = models.PositiveIntegerField("专利数", default=0)
    address = models.CharField("地址（最近一次）", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请人/专利权人"
        ordering = ["name"]

    scope_paths = {"region": "region_code"}

    def __str__(self):
        return self.name


class Patent(models.Model):
    id = models.CharField(
        "记录号", max_length=32, primary_key=True, help_text="规范化申请号（无CN、无点，含校验位）；缺申请号时为公开号"
    )
    application_number = models.CharField("申请号", max_length=20, blank=True, db_index=True)
    application_number_valid = models.BooleanField("申请号校验通过", null=True)
    # No single-column indexes on the few-valued columns (type, applicant type, status, source, updated_at): no query
    # selects by them alone, each cost every imported row a B-tree insert (without these five and two more: 58 → 40 µs
    # per row at 200,000 rows), and without statistics SQLite may prefer them to a selective index.
    patent_type = models.CharField("专利类型", max_length=10, choices=PatentType.choices)
    title = models.CharField("名称", max_length=500)
    abstract = models.TextField("摘要", blank=True)
    first_claim = models.TextField("主权项", blank=True)
    claims_count = models.PositiveIntegerField("权利要求数", null=True, blank=True)
    ipc_main = models.CharField("主分类号", max_length=30, blank=True, db_index=True)
    ipc_all = models.JSONField("分类号", default=list, blank=True, help_text="规范化分类号列表，如 ['H01M10/05']")
    ipc_version = models.CharField("IPC版本", max_length=20, blank=True)
    locarno = models.CharField(
        "洛迦诺分类号",
        max_length=20,
        blank=True,
        help_text="外观设计的洛迦诺分类（如 21-01；来源带中国细分号时原样保留，如 21-01-C0293）",
    )
    applicants_text = models.TextField("申请（专利权）人", blank=True, help_text="按顺序，分号分隔")
    inventors = models.JSONField("发明（设计）人", default=list, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    postcode = models.CharField("邮编", max_length=6, blank=True)
    agency = models.CharField("专利代理机构", max_length=200, blank=True)
    agency_code = models.CharField("代理机构代码", max_length=10, blank=True)
    agents = models.JSONField("代理人", default=list, blank=True)
    application_date = models.DateField("申请日", null=True, blank=True, db_index=True)
    publication_number = models.CharField("公开（公告）号", max_length=20, blank=True, db_index=True)
    publication_date = models.DateField("公开（公告）日", null=True, blank=True, db_index=True)
    grant_date = models.DateField("授权日", null=True, blank=True, db_index=True)
    priority = models.TextField("优先权", blank=True)
    division_parent = models.CharField("分案原申请号", max_length=20, blank=True)
    pct_application = models.CharField("国际申请", max_length=100, blank=True)
    pct_publication = models.CharField("国际公布", max_length=100, blank=True)
    pct_entry_date = models.DateField("进入国家日期", null=True, blank=True)
    cited_references = models.TextField("参考文献", blank=True)
    citation_count = models.PositiveIntegerField("被引次数", null=True, blank=True)
    family_size = models.PositiveIntegerField("同族数", null=True, blank=True)
    examiner = models.CharField("审查员", max_length=60, blank=True)
    # Region of the first applicant, as filed (historical codes kept: a 2015 莱芜 address stays 371200).
    first_applicant = models.ForeignKey(
        Applicant,
        verbose_name="第一申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="first_patents",
    )
    applicant_type = models.CharField(
        "第一申请人类型", max_length=12, choices=EntityType.choices, default=EntityType.UNKNOWN
    )
    region_code = models.CharField("区划代码", max_length=6, blank=True, db_index=True)
    city_code = models.CharField("地市代码", max_length=6, blank=True, db_index=True)
    province_code = models.CharField("省级代码", max_length=6, blank=True, db_index=True)
    region_method = models.CharField("归属方法", max_length=20, choices=RegionMethod.choices, default=RegionMethod.NONE)
    region_confidence = models.FloatField("归属置信度", default=0)
    region_note = models.CharField("归属说明", max_length=60, blank=True, help_text="未归属的原因或冲突说明")
    term_compensation_days = models.PositiveIntegerField(
        "期限补偿天数", default=0, help_text="国家知识产权局登记的专利权期限补偿天数（专利法第四十二条第二款、第三款）"
    )
    legal_status = models.CharField(
        "当前法律状态", max_length=10, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN
    )
    is_synthetic = models.BooleanField("模拟数据", default=False, db_index=True)
    source = models.CharField("来源", max_length=20, help_text="cnipa / cnki / sipo_jsonl / csv / synthetic / manual")
    source_file = models.CharField("来源文件", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "专利"
        ordering = ["-application_date", "id"]

    scope_paths = {"region": "region_code"}

    def __str__(self):
        return f"{self.display_number} {self.title}" if self.number_kind else self.title

    @property
    def display_number(self) -> str:
        """申请号 where known, else 公开号; never the internal id of a record that has neither."""
        return self.application_number or self.publication_number or NO_NUMBER

    @property
    def source_label(self) -> str:
        """Where the record came from, as users name it."""
        return SOURCE_LABELS.get(self.source, "其他来源")

    @property
    def number_kind(self) -> str:
        """What `display_number` is: 申请号 or 公开号 (empty when the record has neither)."""
        return "申请号" if self.application_number else "公开号" if self.publication_number else ""

    @property
    def labelled_number(self) -> str:
        """The number for a column headed 申请号: a publication number says that it is one."""
        if self.application_number or not self.publication_number:
            return self.display_number
        return f"{self.publication_number}（公开号）"

    @property
    def term_end(self) -> dt.date | None:
        return legalstate.term_end_of(patent=self)

    def events_until(self, day: dt.date):
        return [e for e in self.legal_events.all() if e.date <= day]

    def valid_at(self, day: dt.date) -> bool:
        """In force on `day`: granted on or before it, within term, and no terminating event by then.

        With no recorded events beyond grant, the presumption VALIDITY_PRESUMPTION applies."""
        grant = self.grant_date
        if grant is None:
            # Utility models and designs are published only on grant (授权公告): the publication is the grant.
            if self.patent_type in (PatentType.UTILITY, PatentType.DESIGN) and self.publication_date:
                grant = self.publication_date
        if grant is None or grant > day:
            return False
        end = self.term_end
        if end is not None and day >= end:
            return False
        return not any(e.code in TERMINATING_EVENTS for e in self.events_until(day))

    def source_status(self):
        """The latest status read from a source's status column (with its source and 状态截至 date), or None."""
        found = [e for e in self.legal_events.all() if e.date_is_as_of]
        return max(found, key=lambda e: (e.date, e.pk or 0)) if found else None

    def validity_is_presumed(self) -> bool:
        return not any(e.code not in NO_STATUS_EVENTS for e in self.legal_events.all())


class PatentApplicant(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="applicant_links")
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="patent_links")
    order = models.PositiveSmallIntegerField("顺序")

    class Meta:
        ordering = ["patent", "order"]
        unique_together = [("patent", "order")]
        indexes = [models.Index(fields=["applicant", "patent"])]


class Publication(models.Model):
    """One publication of an application: A 发明公开, B 发明授权, U 实用新型, S 外观设计 (older numbering too)."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="publications")
    number = models.CharField("公开（公告）号", max_length=20, unique=True)
    kind = models.CharField("文献类型", max_length=4, blank=True)
    date = models.DateField("日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公开公告"
        ordering = ["date", "number"]

    def __str__(self):
        return self.number


class LegalEvent(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="legal_events")
    date = models.DateField("日期", db_index=True)
    code = models.CharField("事件", max_length=30, choices=LegalEventCode.choices, db_index=True)
    description = models.TextField("说明", blank=True)
    source = models.CharField("来源", max_length=40, blank=True, help_text="导入文件、质押登记、交易登记等")
    reference = models.CharField("关联记录", max_length=100, blank=True, help_text="如 finance.pledge:12")
    date_is_as_of = models.BooleanField(
        "事件日期未知",
        default=False,
        help_text="来源只给出状态、未给出事件日期：日期为来源的状态截至日（导出日期），不是事件发生日",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律状态事件"
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date} {self.get_code_display()}"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    ROLLED_BACK = "rolled_back", "有错误，未导入"
    FAILED = "failed", "中断"


class ImportRun(models.Model):
    """One file imported (command line or web upload): counts, mode and the downloadable error report."""

    audit_exclude = True  # the import itself is recorded as one IMPORT audit event per file
    file_name = models.CharField("文件", max_length=300)
    file_sha256 = models.CharField("文件SHA-256", max_length=64, blank=True)
    file_size = models.BigIntegerField("文件大小（字节）", default=0)
    format = models.CharField("格式", max_length=20, blank=True)
    encoding = models.CharField("编码", max_length=20, blank=True)
    mode = models.CharField("模式", max_length=20, default="lenient")
    mapping = models.ForeignKey(
        "ColumnMapping", verbose_name="列映射", null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField("状态", max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    read = models.PositiveIntegerField("读取行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    duplicates = models.PositiveIntegerField("重复行", default=0)
    skipped = models.PositiveIntegerField("跳过", default=0)
    rejected = models.PositiveIntegerField("拒绝", default=0)
    attributed = models.PositiveIntegerField("已归属地区", default=0)
    message = models.TextField("说明", blank=True)
    error_file = models.CharField("错误报告", max_length=300, blank=True, help_text="相对于 DATA_DIR 的路径")
    errors_preview = models.JSONField("错误预览（前200条）", default=list, blank=True)
    job = models.ForeignKey("core.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey("core.User", verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL)
    started_at = models.DateTimeField("开始", auto_now_add=True)
    finished_at = models.DateTimeField("结束", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专利导入记录"
        ordering = ["-started_at", "-pk"]

    scope_paths = {"owner": "created_by"}

    def __str__(self):
        return f"导入#{self.pk} {self.file_name}"

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def format_label(self) -> str:
        from .readers import FORMAT_LABELS

        return FORMAT_LABELS.get(self.format, self.format or "—")

    @property
    def mode_label(self) -> str:
        return {"lenient": "提交正确行", "all-or-nothing": "全部正确才导入"}.get(self.mode, self.mode)


class ColumnMapping(models.Model):
    """A saved mapping from a generic CSV/XLSX file's column headers to patent fields."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.CharField("说明", max_length=300, blank=True)
    columns = models.JSONField("列映射", default=dict, help_text="{字段: 文件中的列标题}")
    date_format = models.CharField(
        "日期格式", max_length=30, blank=True, help_text="留空则自动识别（如 2015-03-01、2015.03.01、20150301）"
    )
    list_separator = models.CharField("多值分隔符", max_length=5, default=";")
    source_label = models.CharField("来源标记", max_length=20, default="csv")
    created_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "列映射"
        ordering = ["name"]

    def __str__(self):
        return self.name
