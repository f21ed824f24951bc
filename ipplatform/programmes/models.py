"""Programme engine: programme types, their policies and calls are data; applications move through the stages their
type lists (flows.py records every step)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from .enums import AppStatus, BatchState, CheckKind, CheckState, ClaimKind, ObjectionState

USER = settings.AUTH_USER_MODEL


class ProgrammeType(models.Model):
    """A scheme (专利资助, 省专利奖, …) described as data: its form, eligibility, stages, review and decision outputs.

    - form_fields: [{"name", "label", "type": text|textarea|integer|decimal|date|choice|bool, "required", "choices",
      "max_length", "min", "max"}]; attachments: [{"code", "label", "required", "exts": [".pdf"]}]
    - eligibility: [{"rule": "org_kinds"|"region"|"size"|"not_dishonest"|"patents_held"|"no_recent_award", ...}]
    - stages: [{"code", "label", "actor": city|office|expert}] in order; a stage with "notice": true is the 公示
    - review: {"criteria": [{"code", "label", "weight", "min", "max"}], "experts": n, "trim": k, "dispersion": sd,
      "blind": bool, "expert_use": "awards"}
    - decision: {"kind": "funding"|"award", "levels": [...], "certificate": bool, "org_status": {"label", "years"}}
    """

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    claims_patents = models.BooleanField(
        "按件申报专利", default=False, help_text="专利资助：申请书逐件列明所申报的专利"
    )
    form_fields = models.JSONField("申报表字段", default=list, blank=True)
    attachments = models.JSONField("附件要求", default=list, blank=True)
    eligibility = models.JSONField("申报条件", default=list, blank=True)
    stages = models.JSONField("办理环节", default=list)
    review = models.JSONField("评审表", default=dict, blank=True)
    decision = models.JSONField("决定产出", default=dict, blank=True)
    notice_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目类型"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def stage(self, code: str) -> dict | None:
        return next((s for s in self.stages if s["code"] == code), None)

    def next_stage(self, code: str) -> dict | None:
        codes = [s["code"] for s in self.stages]
        i = codes.index(code)
        return self.stages[i + 1] if i + 1 < len(codes) else None

    @property
    def first_stage(self) -> str:
        return self.stages[0]["code"]


class Policy(models.Model):
    """The amounts and caps of a programme for one policy year (专利资助: per patent type and claim kind)."""

    programme = models.ForeignKey(
        ProgrammeType, verbose_name="项目类型", on_delete=models.PROTECT, related_name="policies"
    )
    year = models.PositiveSmallIntegerField("政策年度")
    title = models.CharField("政策名称", max_length=200)
    basis = models.CharField("依据", max_length=300, blank=True)
    amounts = models.JSONField("资助标准（元）", default=dict, blank=True, help_text='{"invention:grant": "5000", …}')
    cap_per_applicant = models.DecimalField(
        "每单位年度上限（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    event_from = models.DateField("专利申请/授权日起", null=True, blank=True)
    event_to = models.DateField("专利申请/授权日止", null=True, blank=True)
    is_simulated = models.BooleanField("模拟数据", default=False, help_text="金额并非出自真实政策文本（演示）")

    class Meta:
        verbose_name = verbose_name_plural = "资助政策"
        ordering = ["programme", "-year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="programmes_policy_year")]

    def __str__(self):
        return f"{self.year}年 {self.title}"

    def amount_for(self, patent_type: str, kind: str) -> Decimal | None:
        value = self.amounts.get(f"{patent_type}:{kind}")
        return Decimal(str(value)) if value not in (None, "") else None


class Call(models.Model):
    """One round of a programme (年度申报): open and close dates, budget, guide, policy and award quotas."""

    programme = models.ForeignKey(
        ProgrammeType, verbose_name="项目类型", on_delete=models.PROTECT, related_name="calls"
    )
    policy = models.ForeignKey(
        Policy, verbose_name="适用政策", null=True, blank=True, on_delete=models.PROTECT, related_name="calls"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    opens_on = models.DateField("申报开始")
    closes_on = models.DateField("申报截止")
    budget = models.DecimalField("预算（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    guide = models.TextField("申报指南", blank=True)
    quotas = models.JSONField("奖项名额", default=dict, blank=True, help_text='{"一等奖": 3, …}')
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示截止", null=True, blank=True)
    notice_closed = models.BooleanField("公示已结束", default=False)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度申报"
        ordering = ["-year", "-opens_on", "pk"]

    def __str__(self):
        return self.title

    def is_open(self, on) -> bool:
        return self.opens_on <= on <= self.closes_on


class Application(models.Model):
    """One application to a call by an organisation; `stage` is a code of its programme type's stages."""

    call = models.ForeignKey(Call, verbose_name="年度申报", on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(
        "core.Organization", verbose_name="申报单位", on_delete=models.PROTECT, related_name="programme_applications"
    )
    region_code = models.CharField("属地区划代码", max_length=6, db_index=True)
    title = models.CharField("项目名称", max_length=200)
    data = models.JSONField("申报内容", default=dict, blank=True)
    status = models.CharField("状态", max_length=12, choices=AppStatus.choices, default=AppStatus.DRAFT, db_index=True)
    stage = models.CharField("当前环节", max_length=30, blank=True)
    returned_from = models.CharField("退回环节", max_length=30, blank=True)
    return_reason = models.TextField("补正要求", blank=True)
    ipc = models.CharField("技术领域（IPC）", max_length=20, blank=True)
    score = models.DecimalField("评审得分", max_digits=6, decimal_places=2, null=True, blank=True)
    score_flagged = models.BooleanField("评分分歧较大", default=False)
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    level = models.CharField("奖励等级", max_length=20, blank=True)
    amount = models.DecimalField("核定金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)
    decision_note = models.TextField("决定说明", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # the record of another app the application is about (hooks.subject: e.g. "finance.pledge:12"), and its label
    subject_ref = models.CharField("所涉事项", max_length=60, blank=True, db_index=True)
    subject_label = models.CharField("所涉事项名称", max_length=200, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # a city or county bureau sees its area's applications (by the bureau region recorded at submission and by the
    # applicant's own region), an enterprise its own; the provincial office all
    scope_paths = {"organization": "organization", "region": "region_code"}

    class Meta:
        verbose_name = verbose_name_plural = "项目申报"
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.organization.name}：{self.title}"

    @property
    def stage_label(self) -> str:
        found = self.call.programme.stage(self.stage) if self.stage else None
        return found["label"] if found else "—"

    @property
    def requested(self) -> Decimal:
        """The amount asked: 专利资助 the sum of the checked claims; other funding schemes the fixed amount of the
        decision config, or the form's amount field cut to the scheme's maximum (and to another field, e.g. spent)."""
        programme = self.call.programme
        if programme.claims_patents:
            return sum((i.amount for i in self.items.all() if i.ok), Decimal("0"))
        cfg = programme.decision
        if cfg.get("amount"):
            return Decimal(str(cfg["amount"]))
        if not cfg.get("amount_field"):
            return Decimal("0")
        amount = Decimal(str(self.data.get(cfg["amount_field"]) or 0))
        if cfg.get("not_above_field"):
            amount = min(amount, Decimal(str(self.data.get(cfg["not_above_field"]) or 0)))
        if cfg.get("max_amount"):
            amount = min(amount, Decimal(str(cfg["max_amount"])))
        return amount


class ClaimItem(models.Model):
    """One patent claimed in a 专利资助 application, with the result of the check against the patent records."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey(
        "patents.Patent", verbose_name="专利", on_delete=models.PROTECT, related_name="subsidy_claims"
    )
    kind = models.CharField("资助类别", max_length=12, choices=ClaimKind.choices)
    amount = models.DecimalField("资助标准（元）", max_digits=12, decimal_places=2, default=Decimal("0"))
    ok = models.BooleanField("核验通过", default=False)
    check_note = models.TextField("核验结果", blank=True)
    programme = models.ForeignKey(ProgrammeType, on_delete=models.PROTECT, related_name="+")
    # True while the application holds the claim: one patent is funded once per kind and programme (withdrawn or
    # rejected applications release it)
    live = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "申报专利"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "patent", "kind"], condition=models.Q(live=True), name="programmes_one_live_claim"
            )
        ]


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    code = models.CharField("附件类别", max_length=40)
    label = models.CharField("附件名称", max_length=100)
    path = models.CharField("存储路径", max_length=300)
    filename = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "application__organization", "region": "application__region_code"}

    class Meta:
        verbose_name = verbose_name_plural = "申报附件"


class ReviewAssignment(models.Model):
    """One expert's review of one application: criteria scores and the weighted total."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(
        "experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="programme_reviews"
    )
    blind = models.BooleanField("盲评", default=False)
    scores = models.JSONField("分项得分", default=dict, blank=True)
    total = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField("评审意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    scope_paths = {"owner": "expert__user"}  # an expert sees own assignments; the office all

    class Meta:
        verbose_name = verbose_name_plural = "专家评审"
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="programmes_one_review")]


class Objection(models.Model):
    """An objection raised during the 公示 of a call against one application."""

    application = models.ForeignKey(
        Application, verbose_name="被异议申报", on_delete=models.PROTECT, related_name="objections"
    )
    name = models.CharField("异议人", max_length=60)
    contact = models.CharField("联系方式", max_length=60)
    text = models.TextField("异议内容")
    state = models.CharField("状态", max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    response = models.TextField("处理意见", blank=True)
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "application__organization", "region": "application__region_code"}

    class Meta:
        verbose_name = verbose_name_plural = "公示异议"
        ordering = ["-created_at"]


class OrgStatus(models.Model):
    """A status a decision confers on an organisation until a date (e.g. 明星企业)."""

    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="programme_statuses")
    label = models.CharField("称号", max_length=60)
    valid_until = models.DateField("有效期至")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="statuses")
    revoked = models.BooleanField("已撤销", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "认定称号"


class PaymentBatch(models.Model):
    """A payment batch of a call: one line per institution (集中兑付), exported for the finance office, then confirmed."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="batches")
    number = models.CharField("批次号", max_length=40, unique=True)
    state = models.CharField("状态", max_length=10, choices=BatchState.choices, default=BatchState.DRAFT)
    total = models.DecimalField("合计（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_on = models.DateField("兑付日期", null=True, blank=True)
    voucher = models.CharField("财务凭证号", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "兑付批次"
        ordering = ["-pk"]

    def __str__(self):
        return self.number


class PaymentLine(models.Model):
    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="lines")
    organization = models.ForeignKey(
        "core.Organization", verbose_name="收款单位", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    applications = models.ManyToManyField(Application, related_name="payment_lines")

    class Meta:
        ordering = ["organization__name"]


class Clawback(models.Model):
    """Money recovered after a later check (验收、年度复核) found an award undeserved."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="clawbacks")
    amount = models.DecimalField("追回金额（元）", max_digits=14, decimal_places=2)
    reason = models.TextField("追回原因")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "资金追回"


class CheckRound(models.Model):
    """A 验收 or 年度复核 round the office opens for the decided applications of a call: each applicant reports by
    the due date, the office records pass or fail with its reason (a failure may lead to 追回)."""

    call = models.ForeignKey(Call, verbose_name="年度申报", on_delete=models.PROTECT, related_name="check_rounds")
    kind = models.CharField("类型", max_length=12, choices=CheckKind.choices)
    title = models.CharField("名称", max_length=200)
    due_on = models.DateField("报告截止")
    opened_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "验收与复核"
        ordering = ["-due_on", "-pk"]

    def __str__(self):
        return self.title


class CheckReport(models.Model):
    """One decided application's report in a check round and the office's result."""

    round = models.ForeignKey(CheckRound, verbose_name="验收/复核", on_delete=models.PROTECT, related_name="reports")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="check_reports")
    state = models.CharField("状态", max_length=10, choices=CheckState.choices, default=CheckState.PENDING)
    data = models.JSONField("报告内容", default=dict, blank=True)
    file_path = models.CharField("报告附件路径", max_length=300, blank=True)
    filename = models.CharField("报告附件", max_length=200, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    result_reason = models.TextField("结论说明", blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("结论时间", null=True, blank=True)

    scope_paths = {"organization": "application__organization", "region": "application__region_code"}

    class Meta:
        verbose_name = verbose_name_plural = "验收/复核报告"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["round", "application"], name="programmes_one_check_report")]
