"""Publicity: news and notices with a draft → review → publish flow, events with registration and attendance,
and 政务信息报送 (information items submitted by units and adopted by the office)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from .enums import AdoptionLevel, ArticleState, Category, EventKind, SubmissionState


class Article(models.Model):
    category = models.CharField("栏目", max_length=10, choices=Category.choices, db_index=True)
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文（Markdown）")
    source = models.CharField("来源", max_length=100, blank=True, help_text="媒体报道填写媒体名称")
    city_code = models.CharField(
        "所属城市", max_length=6, blank=True, db_index=True, help_text="空为省局发布；市局发布的信息显示在该市子站"
    )
    state = FSMField("状态", default=ArticleState.DRAFT, choices=ArticleState.choices, protected=True)
    publish_at = models.DateTimeField(
        "发布时间", null=True, blank=True, help_text="定时发布：审核通过后到此时间才公开；留空为审核通过即公开"
    )
    published_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撰稿人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", verbose_name="发布单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_paths = {"region": "city_code", "organization": "organization", "owner": "author"}

    class Meta:
        verbose_name = verbose_name_plural = "新闻公告"
        ordering = ["-publish_at", "-pk"]

    def __str__(self):
        return self.title

    @transition(field=state, source=ArticleState.DRAFT, target=ArticleState.REVIEW)
    def submit(self, *, by=None, reason=""):
        """The author sends the draft for review."""

    @transition(field=state, source=ArticleState.REVIEW, target=ArticleState.PUBLISHED)
    def approve(self, *, by=None, reason=""):
        """A reviewer approves: public from publish_at."""

    @transition(field=state, source=ArticleState.REVIEW, target=ArticleState.DRAFT)
    def reject(self, *, by=None, reason=""):
        """A reviewer sends the draft back with a reason."""

    @transition(field=state, source=ArticleState.PUBLISHED, target=ArticleState.WITHDRAWN)
    def withdraw(self, *, by=None, reason=""):
        """Taken off the public pages."""

    @transition(field=state, source=ArticleState.WITHDRAWN, target=ArticleState.DRAFT)
    def revise(self, *, by=None, reason=""):
        """A withdrawn article is edited again."""


def attachment_path(instance, filename):
    return f"publicity/{instance.article_id}/{filename}"


class ArticleAttachment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "附件"


class Event(models.Model):
    kind = models.CharField("类型", max_length=12, choices=EventKind.choices)
    title = models.CharField("活动名称", max_length=200)
    description = models.TextField("活动介绍", blank=True)
    city_code = models.CharField("举办城市", max_length=6, db_index=True)
    place = models.CharField("地点", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    registration_deadline = models.DateTimeField("报名截止")
    capacity = models.PositiveIntegerField("名额", default=100)
    published = models.BooleanField("公开报名", default=True)
    organizer = models.ForeignKey(
        "core.Organization", verbose_name="主办单位", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_paths = {"region": "city_code", "organization": "organizer", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "宣传活动"
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名", max_length=60)
    organization_name = models.CharField("单位", max_length=200, blank=True)
    phone = models.CharField("手机", max_length=20)
    code = models.CharField("报名号", max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField("已签到", default=False)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    scope_paths = {"region": "event__city_code", "organization": "event__organizer", "owner": "user"}

    class Meta:
        verbose_name = verbose_name_plural = "活动报名"
        constraints = [models.UniqueConstraint(fields=["event", "phone"], name="publicity_registration_once")]


class InfoSubmission(models.Model):
    """政务信息报送: an information item from a city bureau or department, adopted (or not) by the office."""

    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    unit = models.ForeignKey("core.Organization", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    state = FSMField("状态", default=SubmissionState.SUBMITTED, choices=SubmissionState.choices, protected=True)
    level = models.CharField("采用级别", max_length=10, choices=AdoptionLevel.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    article = models.ForeignKey(
        Article, verbose_name="刊发为", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = {"organization": "unit", "department": "unit", "region": "unit__region_code", "owner": "submitted_by"}

    class Meta:
        verbose_name = verbose_name_plural = "政务信息"
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.title

    @transition(field=state, source=SubmissionState.SUBMITTED, target=SubmissionState.ADOPTED)
    def adopt(self, *, by=None, reason=""):
        """The office adopts the item (counts for the unit's annual assessment)."""

    @transition(field=state, source=SubmissionState.SUBMITTED, target=SubmissionState.NOT_ADOPTED)
    def decline(self, *, by=None, reason=""):
        """The office does not adopt the item."""
