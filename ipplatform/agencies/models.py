"""Patent agencies and agents (专利代理), industry IP protection alliances and key protected units (重点保护单位)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from .enums import AllianceState, Comparator, IncidentKind, MemberRole, Metric, UnitState

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------- agencies and agents


class Agency(models.Model):
    """A licensed patent agency: its platform organisation, licence, CNIPA agency code."""

    organization = models.OneToOneField(
        "core.Organization", verbose_name="机构", on_delete=models.PROTECT, related_name="agency_profile"
    )
    licence_no = models.CharField("执业许可证号", max_length=40, unique=True)
    agency_code = models.CharField(
        "代理机构代码", max_length=10, blank=True, db_index=True, help_text="专利著录项目中的代理机构代码，如 37100"
    )
    patent_names = models.CharField(
        "著录项目中的名称",
        max_length=400,
        blank=True,
        help_text="专利数据中出现的机构名称（含曾用名），分号分隔；留空则用机构名称",
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    head = models.CharField("负责人", max_length=60, blank=True)
    is_active = models.BooleanField("执业中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_paths = {"organization": "organization"}

    class Meta:
        verbose_name = verbose_name_plural = "专利代理机构"
        ordering = ["organization__name"]

    def __str__(self):
        return self.organization.name

    def names(self) -> list[str]:
        extra = [x.strip() for x in self.patent_names.replace("；", ";").split(";") if x.strip()]
        return list(dict.fromkeys([self.organization.name, *extra]))


class AgencyBranch(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="branches")
    name = models.CharField("分支机构名称", max_length=200)
    region_code = models.CharField("所在地区划代码", max_length=6)
    address = models.CharField("地址", max_length=300, blank=True)
    head = models.CharField("负责人", max_length=60, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代理机构分支机构"
        ordering = ["agency", "region_code", "name"]

    def __str__(self):
        return self.name


class Agent(models.Model):
    """A patent attorney (专利代理师) practising at an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agents")
    branch = models.ForeignKey(
        AgencyBranch,
        verbose_name="执业分支机构",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
    )
    name = models.CharField("姓名", max_length=60)
    qualification_no = models.CharField("资格证号", max_length=40, unique=True)
    practice_no = models.CharField("执业证号", max_length=40, blank=True)
    user = models.OneToOneField(
        USER, verbose_name="平台账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="patent_agent"
    )
    is_active = models.BooleanField("执业中", default=True)

    scope_paths = {"organization": "agency__organization"}

    class Meta:
        verbose_name = verbose_name_plural = "专利代理师"
        ordering = ["agency", "name"]

    def __str__(self):
        return f"{self.name}（{self.qualification_no}）"


class TrainingRecord(models.Model):
    """Continuing education of an agent (继续教育): course, date and hours."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField("课程/培训", max_length=200)
    provider = models.CharField("主办单位", max_length=200, blank=True)
    on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    certificate_no = models.CharField("证明编号", max_length=60, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "agent__agency__organization"}

    class Meta:
        verbose_name = verbose_name_plural = "继续教育记录"
        ordering = ["-on"]


class AgencyIncident(models.Model):
    """A recorded penalty, abnormal-application finding, upheld complaint, discipline or honour of an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField("类别", max_length=12, choices=IncidentKind.choices)
    on = models.DateField("日期")
    description = models.CharField("内容", max_length=500)
    document_no = models.CharField("文号", max_length=100, blank=True)
    evidence_url = models.CharField("依据链接", max_length=300, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "agency__organization"}

    class Meta:
        verbose_name = verbose_name_plural = "代理机构信用记录"
        ordering = ["-on"]


class RatingRule(models.Model):
    """One rule of the agency credit rating (base 100 points), editable as data."""

    code = models.CharField("规则代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    metric = models.CharField("指标", max_length=20, choices=Metric.choices)
    comparator = models.CharField("条件", max_length=4, choices=Comparator.choices)
    threshold = models.DecimalField("阈值", max_digits=8, decimal_places=2, default=0)
    param = models.DecimalField(
        "参数", max_digits=8, decimal_places=2, null=True, blank=True, help_text="如继续教育每年应修学时"
    )
    points = models.DecimalField("分值", max_digits=6, decimal_places=2, help_text="负数为扣分，正数为加分")
    cap = models.DecimalField("累计上限（绝对值）", max_digits=6, decimal_places=2, null=True, blank=True)
    incident_kind = models.CharField("记录类别", max_length=12, choices=IncidentKind.choices, blank=True)
    basis = models.CharField("依据", max_length=300)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "代理机构信用评价规则"
        ordering = ["code"]

    def __str__(self):
        return self.name


class RatingGrade(models.Model):
    grade = models.CharField("等级", max_length=3, unique=True)
    min_score = models.DecimalField("最低分", max_digits=6, decimal_places=2)
    meaning = models.CharField("含义", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代理机构信用等级"
        ordering = ["-min_score"]

    def __str__(self):
        return f"{self.grade}（≥{self.min_score}）"


class AgencyRating(models.Model):
    """A computed rating: score, grade and each rule's effect, kept as a dated record."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField("评价年度")
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    grade = models.CharField("等级", max_length=3)
    details = models.JSONField("计分明细", default=list)
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_paths = {"organization": "agency__organization"}

    class Meta:
        verbose_name = verbose_name_plural = "代理机构信用评价"
        ordering = ["-computed_at"]


# ---------------------------------------------------------------- alliances and key protected units


class Alliance(FSMModelMixin, models.Model):
    """An industry IP protection alliance (产业知识产权保护联盟)."""

    name = models.CharField("联盟名称", max_length=200, unique=True)
    field = models.CharField("产业领域", max_length=100)
    industry = models.CharField("国民经济行业门类", max_length=1, blank=True)
    region_code = models.CharField("所在地区划代码", max_length=6)
    lead = models.ForeignKey(
        "core.Organization", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_alliances"
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    shared_resources = models.TextField("共享资源", blank=True, help_text="专利池、专题数据库、维权基金、专家等")
    description = models.TextField("简介", blank=True)
    state = FSMField("状态", default=AllianceState.ACTIVE, choices=AllianceState.choices, protected=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"region": "region_code", "organization": ["lead", "members__organization"], "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "产业知识产权保护联盟"
        ordering = ["region_code", "name"]

    def __str__(self):
        return self.name

    @transition(field=state, source=AllianceState.ACTIVE, target=AllianceState.DISSOLVED)
    def dissolve(self, *, by=None, reason=""):
        """解散"""

    @transition(field=state, source=AllianceState.DISSOLVED, target=AllianceState.ACTIVE)
    def reactivate(self, *, by=None, reason=""):
        """恢复运行"""


class AllianceMember(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "core.Organization", verbose_name="成员单位", on_delete=models.PROTECT, related_name="alliance_memberships"
    )
    role = models.CharField("角色", max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    left_reason = models.CharField("退出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "联盟成员"
        ordering = ["alliance", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "organization", "joined_on"], name="alliance_member_once")
        ]

    def active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class AllianceAgreement(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField("协议名称", max_length=200)
    signed_on = models.DateField("签署日期")
    parties = models.CharField("签署方", max_length=500, blank=True)
    summary = models.TextField("主要内容", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "联盟协议"
        ordering = ["-signed_on"]


class KeyProtectedUnit(FSMModelMixin, models.Model):
    """A key protected unit (知识产权重点保护单位) designated by the office for a period on a stated basis."""

    organization = models.ForeignKey(
        "core.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="key_protection"
    )
    batch = models.CharField("批次", max_length=100, help_text="如“2026年度第一批”")
    basis = models.CharField("认定依据", max_length=500)
    document_no = models.CharField("认定文号", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    state = FSMField("状态", default=UnitState.DESIGNATED, choices=UnitState.choices, protected=True)
    is_demo = models.BooleanField("演示数据", default=False)
    designated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "organization", "owner": "designated_by"}

    class Meta:
        verbose_name = verbose_name_plural = "知识产权重点保护单位"
        ordering = ["-valid_from", "organization__name"]

    def __str__(self):
        return f"{self.organization.name}（{self.batch}）"

    def in_force(self, day: dt.date) -> bool:
        return self.state == UnitState.DESIGNATED and self.valid_from <= day <= self.valid_to

    @transition(field=state, source=UnitState.DESIGNATED, target=UnitState.REVOKED)
    def revoke(self, *, by=None, reason=""):
        """撤销认定"""
