"""Organisations registry: self-registration, former names, applicant-name claims with evidence, fee reductions and custody."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from .enums import ClaimKind, ClaimState, CustodyService, CustodyState, EvidenceKind, RegistrationState

ORG = "core.Organization"


class Registration(models.Model):
    """A body's self-registration, verified by the city bureau of its region (organisations created by the office have none)."""

    organization = models.OneToOneField(ORG, verbose_name="机构", on_delete=models.CASCADE, related_name="registration")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="注册人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("注册时间", auto_now_add=True)
    state = FSMField("状态", default=RegistrationState.PENDING, choices=RegistrationState.choices, protected=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("核验时间", null=True, blank=True)
    note = models.CharField("核验意见", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "机构注册"
        ordering = ["-submitted_at"]

    scope_paths = {"organization": "organization", "owner": "submitted_by"}

    def __str__(self):
        return f"{self.organization.name}（{self.get_state_display()}）"

    @transition(field=state, source=RegistrationState.PENDING, target=RegistrationState.VERIFIED)
    def verify(self, *, by=None, reason=""):
        self.decided_by, self.note = by, reason[:300]

    @transition(field=state, source=RegistrationState.PENDING, target=RegistrationState.REJECTED)
    def reject(self, *, by=None, reason=""):
        self.decided_by, self.note = by, reason[:300]


class FormerName(models.Model):
    """A name the organisation used before (曾用名), with the period it was used."""

    organization = models.ForeignKey(ORG, verbose_name="机构", on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField("曾用名", max_length=200)
    name_norm = models.CharField("规范名称", max_length=200, db_index=True, editable=False)
    used_from = models.DateField("启用日期", null=True, blank=True)
    used_until = models.DateField("变更日期", help_text="名称变更核准日")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "曾用名"
        ordering = ["organization", "-used_until"]
        constraints = [models.UniqueConstraint(fields=["organization", "name_norm"], name="orgs_former_name_unique")]

    scope_paths = {"organization": "organization"}

    def __str__(self):
        return f"{self.name}（至{self.used_until}）"


class ApplicantClaim(models.Model):
    """An organisation's claim that an applicant name of the patent records is its own (current name or a former name).

    Only verified claims count for ownership (orgs.services.holder_check)."""

    organization = models.ForeignKey(
        ORG, verbose_name="机构", on_delete=models.CASCADE, related_name="applicant_claims"
    )
    name = models.CharField("申请人名称", max_length=300, help_text="与专利著录的申请（专利权）人名称一致")
    name_norm = models.CharField("规范名称", max_length=300, db_index=True, editable=False)
    kind = models.CharField("名称类别", max_length=10, choices=ClaimKind.choices, default=ClaimKind.CURRENT)
    applicant = models.ForeignKey(
        "patents.Applicant",
        verbose_name="对应申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    state = FSMField("状态", default=ClaimState.SUBMITTED, choices=ClaimState.choices, protected=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("申报时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("核验时间", null=True, blank=True)
    decision_note = models.CharField("核验意见", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请人名称认领"
        ordering = ["organization", "-submitted_at"]

    scope_paths = {"organization": "organization", "owner": "submitted_by"}

    def __str__(self):
        return f"{self.organization.name} ← {self.name}（{self.get_state_display()}）"

    @transition(field=state, source=ClaimState.SUBMITTED, target=ClaimState.VERIFIED)
    def verify(self, *, by=None, reason=""):
        self.decided_by, self.decision_note = by, reason[:300]

    @transition(field=state, source=ClaimState.SUBMITTED, target=ClaimState.REJECTED)
    def reject(self, *, by=None, reason=""):
        self.decided_by, self.decision_note = by, reason[:300]

    @transition(field=state, source=[ClaimState.SUBMITTED, ClaimState.VERIFIED], target=ClaimState.REVOKED)
    def revoke(self, *, by=None, reason=""):
        self.decided_by, self.decision_note = by, reason[:300]


def _evidence_path(instance, filename):
    return f"orgs/claims/{instance.claim.organization_id}/{instance.sha256[:16]}-{filename[-80:]}"


class ClaimEvidence(models.Model):
    """A file proving a claim: business licence, name-change notice, transfer notice."""

    claim = models.ForeignKey(ApplicantClaim, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("材料类别", max_length=12, choices=EvidenceKind.choices)
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to=_evidence_path, max_length=300)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "认领证明材料"
        ordering = ["uploaded_at", "pk"]

    scope_paths = {"organization": "claim__organization"}

    def __str__(self):
        return self.name


class Custody(models.Model):
    """Custody (托管) of a small enterprise's patents by a patent agency under a contract."""

    enterprise = models.ForeignKey(ORG, verbose_name="委托企业", on_delete=models.PROTECT, related_name="custodies")
    agency = models.ForeignKey(ORG, verbose_name="托管机构", on_delete=models.PROTECT, related_name="custodies_held")
    contract_no = models.CharField("托管合同编号", max_length=60)
    start = models.DateField("托管期限起")
    end = models.DateField("托管期限止")
    services = models.JSONField("托管服务", default=list)
    all_patents = models.BooleanField("托管全部有效专利", default=True)
    patents = models.ManyToManyField("patents.Patent", verbose_name="托管专利", blank=True, related_name="custodies")
    fee = models.DecimalField("托管费（元/年）", max_digits=12, decimal_places=2, null=True, blank=True)
    city_code = models.CharField("企业所在市", max_length=6, db_index=True)
    state = FSMField("状态", default=CustodyState.PROPOSED, choices=CustodyState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专利托管"
        ordering = ["-created_at"]

    scope_paths = {"region": "city_code", "organization": ["enterprise", "agency"], "owner": "created_by"}

    def __str__(self):
        return f"{self.agency.name} 托管 {self.enterprise.name}（{self.contract_no}）"

    @property
    def service_labels(self) -> list[str]:
        labels = dict(CustodyService.choices)
        return [labels.get(s, s) for s in self.services]

    @transition(field=state, source=CustodyState.PROPOSED, target=CustodyState.ACTIVE)
    def accept(self, *, by=None, reason=""):
        pass

    @transition(field=state, source=CustodyState.PROPOSED, target=CustodyState.DECLINED)
    def decline(self, *, by=None, reason=""):
        pass

    @transition(field=state, source=CustodyState.ACTIVE, target=CustodyState.ENDED)
    def expire(self, *, by=None, reason=""):
        pass

    @transition(field=state, source=CustodyState.ACTIVE, target=CustodyState.TERMINATED)
    def terminate(self, *, by=None, reason=""):
        pass


class FeeReduction(models.Model):
    """A recorded annual-fee reduction (专利费用减缴) for a patent: the share payable for the years it covers."""

    patent = models.ForeignKey(
        "patents.Patent", verbose_name="专利", on_delete=models.CASCADE, related_name="fee_reductions"
    )
    percent_payable = models.PositiveSmallIntegerField("缴纳比例（%）", help_text="如减缴85%则填15")
    first_year = models.PositiveSmallIntegerField("起始年度", default=1)
    last_year = models.PositiveSmallIntegerField("截止年度", default=10)
    basis = models.CharField("依据", max_length=200, help_text="如 专利收费减缴办法（财税〔2016〕78号）第三条，减缴85%")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年费减缴"
        ordering = ["patent", "first_year"]

    def __str__(self):
        return f"{self.patent_id} 第{self.first_year}-{self.last_year}年 缴{self.percent_payable}%"
