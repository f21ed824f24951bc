"""The one expert pool (专家库) used by protection, navigation, awards and programme reviews."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import ConflictKind, ExpertUse


def _split(text: str) -> list[str]:
    return [
        x.strip() for x in (text or "").replace("；", ";").replace(",", ";").replace("，", ";").split(";") if x.strip()
    ]


class Expert(models.Model):
    """A member of the pool: technical fields as IPC symbols and 国民经济行业 sections, employer, uses."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
    )
    name = models.CharField("姓名", max_length=60)
    title = models.CharField("职称", max_length=60, blank=True)
    employer = models.ForeignKey(
        "core.Organization",
        verbose_name="工作单位（平台机构）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employed_experts",
    )
    employer_name = models.CharField("工作单位", max_length=200, blank=True)
    ipc_codes = models.CharField(
        "IPC领域", max_length=300, blank=True, help_text="IPC部、大类或小类，分号分隔，如 H01M;C08L"
    )
    industries = models.CharField(
        "国民经济行业", max_length=100, blank=True, help_text="GB/T 4754-2017 门类代码，分号分隔，如 C;I"
    )
    keywords = models.CharField("专业方向", max_length=300, blank=True, help_text="其他领域说明，分号分隔")
    uses = models.JSONField("用途", default=list, blank=True, help_text="protection / navigation / awards / reviews")
    region_code = models.CharField("所在地区划代码", max_length=6, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("在库", default=True)
    source = models.CharField("来源", max_length=60, blank=True, help_text="如“迁移自侵权判定专家库”")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_paths = {"region": "region_code", "owner": "user"}

    class Meta:
        verbose_name = verbose_name_plural = "专家"
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}（{self.fields}）" if self.fields else self.name

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name

    @property
    def fields(self) -> str:
        """All fields in one line (IPC, industries, keywords)."""
        from .industries import label

        return "；".join(self.ipc_list() + [label(c) for c in self.industry_list()] + _split(self.keywords))

    def ipc_list(self) -> list[str]:
        return [c.upper().replace(" ", "") for c in _split(self.ipc_codes)]

    def industry_list(self) -> list[str]:
        return [c.upper() for c in _split(self.industries)]

    def use_labels(self) -> list[str]:
        return [ExpertUse(u).label for u in self.uses if u in ExpertUse.values]


class ConflictOfInterest(models.Model):
    """A registered relation between an expert and an organisation: the expert is not chosen for its matters."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    organization = models.ForeignKey(
        "core.Organization", verbose_name="利益相关单位", on_delete=models.PROTECT, related_name="expert_conflicts"
    )
    kind = models.CharField("关系", max_length=12, choices=ConflictKind.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    since = models.DateField("起始日期", null=True, blank=True)
    until = models.DateField("截止日期", null=True, blank=True, help_text="留空表示持续")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家利益冲突登记"
        ordering = ["expert", "organization"]

    def __str__(self):
        return f"{self.expert.name} — {self.organization.name}（{self.get_kind_display()}）"

    @staticmethod
    def active_q(on: dt.date) -> Q:
        return (Q(since__isnull=True) | Q(since__lte=on)) & (Q(until__isnull=True) | Q(until__gte=on))
