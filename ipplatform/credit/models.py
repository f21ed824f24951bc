"""Enterprise IP credit: rules as data, events with evidence, scores with reasons; the serious-dishonesty list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from .enums import EventKind, EventSource, EventState, ListState

USER = settings.AUTH_USER_MODEL


class CreditRule(models.Model):
    """One rule of the 100-point credit score: points per event of a kind, its cap and how long an event counts."""

    code = models.CharField("规则代码", max_length=40, unique=True)
    event_kind = models.CharField("事件类别", max_length=20, choices=EventKind.choices)
    name = models.CharField("名称", max_length=100)
    points = models.DecimalField("每件分值", max_digits=6, decimal_places=2, help_text="负数为扣分，正数为加分")
    cap = models.DecimalField("累计上限（绝对值）", max_digits=6, decimal_places=2, null=True, blank=True)
    years = models.PositiveSmallIntegerField("计分年限", default=3, help_text="事件发生后计入信用分的年数")
    legal_basis = models.TextField("依据")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识产权信用评分规则"
        ordering = ["code"]

    def __str__(self):
        return self.name


class CreditEvent(FSMModelMixin, models.Model):
    """A fact that moves an organisation's credit score, with its evidence; withdrawn (never deleted) if overturned."""

    organization = models.ForeignKey(
        "core.Organization", verbose_name="主体", on_delete=models.PROTECT, related_name="credit_events"
    )
    kind = models.CharField("类别", max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField("发生/决定日期")
    description = models.CharField("内容", max_length=500)
    document_no = models.CharField("文书编号", max_length=100, blank=True)
    evidence_url = models.CharField("证据链接", max_length=300, blank=True)
    source = models.CharField("来源", max_length=12, choices=EventSource.choices, default=EventSource.MANUAL)
    source_ref = models.CharField("来源编号", max_length=100, blank=True, db_index=True)
    state = FSMField("状态", default=EventState.VALID, choices=EventState.choices, protected=True)
    is_demo = models.BooleanField("演示数据", default=False)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "organization"}

    class Meta:
        verbose_name = verbose_name_plural = "知识产权信用事件"
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return f"{self.organization.name} {self.get_kind_display()} {self.occurred_on}"

    @transition(field=state, source=EventState.VALID, target=EventState.WITHDRAWN)
    def withdraw(self, *, by=None, reason=""):
        """撤销（依据的决定被撤销、变更或确认有误）"""


class CreditScore(models.Model):
    """A computed score with each reason (rule, event, points, evidence); the newest per organisation is current."""

    audit_exclude = True  # derived; the events and the rules are the record
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="credit_scores")
    score = models.DecimalField("信用分", max_digits=6, decimal_places=2)
    reasons = models.JSONField("计分理由", default=list)
    trigger = models.CharField("触发原因", max_length=200, blank=True)
    computed_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "organization"}

    class Meta:
        verbose_name = verbose_name_plural = "知识产权信用分"
        ordering = ["-computed_at", "-pk"]


class DishonestyEntry(FSMModelMixin, models.Model):
    """An entry of the serious-dishonesty list (严重失信主体名单): basis, publication, appeal, repair and exit."""

    organization = models.ForeignKey(
        "core.Organization", verbose_name="主体", on_delete=models.PROTECT, related_name="dishonesty_entries"
    )
    reason = models.TextField("列入事由")
    legal_basis = models.TextField("法律依据")
    decision_no = models.CharField("列入决定文号", max_length=100, blank=True)
    event = models.ForeignKey(
        CreditEvent,
        verbose_name="所依据的信用事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="list_entries",
    )
    proposed_on = models.DateField("告知日期")
    listed_on = models.DateField("列入日期", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    publication_url = models.CharField("公示链接", max_length=300, blank=True)
    ends_on = models.DateField("列入期满日", null=True, blank=True)
    repair_from = models.DateField("可申请信用修复日", null=True, blank=True)
    exited_on = models.DateField("移出日期", null=True, blank=True)
    appeal_text = models.TextField("异议/申辩内容", blank=True)
    repair_text = models.TextField("信用修复申请内容", blank=True)
    state = FSMField("状态", default=ListState.PROPOSED, choices=ListState.choices, protected=True, db_index=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "organization", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "严重失信主体名单"
        ordering = ["-proposed_on", "-pk"]

    def __str__(self):
        return f"{self.organization.name}（{self.get_state_display()}）"

    @transition(field=state, source=ListState.PROPOSED, target=ListState.LISTED)
    def publish(self, *, by=None, reason=""):
        """作出列入决定并公示"""

    @transition(field=state, source=ListState.PROPOSED, target=ListState.DROPPED)
    def drop(self, *, by=None, reason=""):
        """陈述申辩成立，不予列入"""

    @transition(field=state, source=ListState.LISTED, target=ListState.APPEALING)
    def appeal(self, *, by=None, reason=""):
        """提出异议"""

    @transition(field=state, source=ListState.APPEALING, target=ListState.LISTED)
    def uphold(self, *, by=None, reason=""):
        """复核维持"""

    @transition(field=state, source=[ListState.LISTED, ListState.APPEALING], target=ListState.REVOKED)
    def revoke(self, *, by=None, reason=""):
        """撤销列入（依据错误或所依据的决定被撤销）"""

    @transition(field=state, source=ListState.LISTED, target=ListState.REPAIR_REQUESTED)
    def request_repair(self, *, by=None, reason=""):
        """申请信用修复"""

    @transition(field=state, source=ListState.REPAIR_REQUESTED, target=ListState.REPAIRED)
    def approve_repair(self, *, by=None, reason=""):
        """准予信用修复，提前移出"""

    @transition(field=state, source=ListState.REPAIR_REQUESTED, target=ListState.LISTED)
    def refuse_repair(self, *, by=None, reason=""):
        """不予信用修复"""

    @transition(field=state, source=[ListState.LISTED, ListState.REPAIR_REQUESTED], target=ListState.EXPIRED)
    def expire(self, *, by=None, reason=""):
        """列入期满移出"""
