from django.conf import settings
from django.db import models


class SearchHistory(models.Model):
    """One search a user ran, numbered per user (#n references it in later queries)."""

    audit_exclude = True  # one row per search: usage data, not a business change
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="search_history")
    number = models.PositiveIntegerField("序号")
    query = models.TextField("检索式")
    city_code = models.CharField("地市范围", max_length=6, blank=True)
    total = models.PositiveIntegerField("命中数")
    created_at = models.DateTimeField("检索时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检索历史"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["user", "number"], name="search_history_user_number")]

    def __str__(self):
        return f"#{self.number} {self.query}"


class SavedSearch(models.Model):
    """A saved query; `last_run_at` marks what the user has seen, so new hits can be counted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField("名称", max_length=100)
    query = models.TextField("检索式")
    city_code = models.CharField("地市范围", max_length=6, blank=True)
    created_at = models.DateTimeField("保存时间", auto_now_add=True)
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)
    last_total = models.PositiveIntegerField("上次命中数", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "保存的检索式"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_user_name")]

    scope_paths = {"owner": "user", "personal": True}  # a saved search is the user's own, whatever the role

    def __str__(self):
        return self.name


class PatentEmbedding(models.Model):
    """The sentence embedding of one record's passage (title, abstract, first claim), int8-quantised.

    Current while `text_hash` equals the digest of the record's passage; the vector index is built from these rows."""

    audit_exclude = True  # derived data, recomputed from the record
    patent = models.OneToOneField(
        "patents.Patent", primary_key=True, on_delete=models.CASCADE, related_name="embedding"
    )
    model = models.CharField("模型", max_length=100)
    text_hash = models.CharField("文本摘要值", max_length=16)
    vector = models.BinaryField("向量（int8）")
    created_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "语义向量"

    def __str__(self):
        return f"{self.patent_id} {self.model}"
