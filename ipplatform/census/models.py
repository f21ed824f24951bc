"""The enterprise IP census (企业知识产权状况普查): versioned questionnaires, rounds sent to enterprises, responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from .enums import QType, ResponseSource, ResponseState, RoundState

USER = settings.AUTH_USER_MODEL


class Questionnaire(models.Model):
    """One version of a questionnaire; a published version is never edited (a change is a new version)."""

    code = models.CharField("问卷代码", max_length=40)
    version = models.PositiveSmallIntegerField("版本")
    title = models.CharField("标题", max_length=200)
    description = models.TextField("填报说明", blank=True)
    is_published = models.BooleanField("已发布", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "普查问卷"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="census_questionnaire_version")]

    def __str__(self):
        return f"{self.title}（第{self.version}版）"

    def questions(self):
        return (
            Question.objects.filter(section__questionnaire=self)
            .select_related("section")
            .order_by("section__order", "order")
        )


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("部分", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "问卷部分"
        ordering = ["questionnaire", "order"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """A question with its type and validation (required, range, length, choices, not above another answer)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("序号")
    code = models.CharField("代码", max_length=40, help_text="问卷内唯一；industry 与 size 用于按行业、规模汇总")
    text = models.CharField("题目", max_length=300)
    qtype = models.CharField("题型", max_length=8, choices=QType.choices)
    required = models.BooleanField("必填", default=True)
    choices = models.JSONField("选项", default=list, blank=True)
    min_value = models.DecimalField("最小值", max_digits=16, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField("最大值", max_digits=16, decimal_places=2, null=True, blank=True)
    max_length = models.PositiveIntegerField("最大长度", null=True, blank=True)
    not_above = models.CharField(
        "不大于（题目代码）", max_length=40, blank=True, help_text="如研发人员数不大于从业人员数"
    )
    unit = models.CharField("单位", max_length=20, blank=True)
    help = models.CharField("填报提示", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问卷题目"
        ordering = ["section", "order"]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def label(self) -> str:
        return f"{self.text}（{self.unit}）" if self.unit else self.text


class CensusRound(FSMModelMixin, models.Model):
    """A census round: a questionnaire version sent by the province or a city bureau to a set of enterprises."""

    title = models.CharField("普查名称", max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷", on_delete=models.PROTECT, related_name="rounds"
    )
    issuer = models.ForeignKey("core.Organization", verbose_name="发起单位", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField("范围", max_length=6, help_text="370000 为全省，市代码为本市")
    deadline = models.DateField("填报截止日")
    state = FSMField("状态", default=RoundState.DRAFT, choices=RoundState.choices, protected=True)
    sent_at = models.DateTimeField("发出时间", null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "普查批次"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @transition(field=state, source=RoundState.DRAFT, target=RoundState.SENT)
    def send(self, *, by=None, reason=""):
        """发出"""

    @transition(field=state, source=RoundState.SENT, target=RoundState.CLOSED)
    def close(self, *, by=None, reason=""):
        """结束填报"""

    @transition(field=state, source=RoundState.CLOSED, target=RoundState.SENT)
    def reopen(self, *, by=None, reason=""):
        """重新开放填报"""


class CensusResponse(FSMModelMixin, models.Model):
    """One enterprise's answers in a round."""

    round = models.ForeignKey(CensusRound, on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey(
        "core.Organization", verbose_name="企业", on_delete=models.PROTECT, related_name="census_responses"
    )
    city_code = models.CharField("所在市", max_length=6, db_index=True)
    answers = models.JSONField("答案", default=dict, blank=True)
    industry = models.CharField("行业门类", max_length=1, blank=True)
    size_class = models.CharField("企业规模", max_length=4, blank=True)
    state = FSMField("状态", default=ResponseState.PENDING, choices=ResponseState.choices, protected=True)
    source = models.CharField("填报方式", max_length=6, choices=ResponseSource.choices, blank=True, default="")
    saved_at = models.DateTimeField("最近保存", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_paths = {"region": "city_code", "organization": "organization"}

    class Meta:
        verbose_name = verbose_name_plural = "普查填报"
        ordering = ["round", "city_code", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["round", "organization"], name="census_response_once")]

    def __str__(self):
        return f"{self.round} — {self.organization.name}"

    @transition(field=state, source=[ResponseState.PENDING, ResponseState.RETURNED], target=ResponseState.SUBMITTED)
    def submit(self, *, by=None, reason=""):
        """提交"""

    @transition(field=state, source=ResponseState.SUBMITTED, target=ResponseState.RETURNED)
    def return_for_correction(self, *, by=None, reason=""):
        """退回修改"""
