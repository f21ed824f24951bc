"""Patent finance: pledge registration, patent value assessment, interest / premium subsidies, risk fund."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from .enums import DefaultState, PledgeState, RuleMode, Scenario, SubsidyKind, ValuationState

MONEY = {"max_digits": 14, "decimal_places": 2}


# ---------------------------------------------------------------- value assessment


class ValueModelVersion(models.Model):
    """Weights of the 专利价值度 model for one scenario; a change creates a new version, old ones stay."""

    scenario = models.CharField("应用场景", max_length=12, choices=Scenario.choices, db_index=True)
    version = models.PositiveIntegerField("版本")
    alpha = models.DecimalField("α 法律价值度权重", max_digits=5, decimal_places=3)
    beta = models.DecimalField("β 技术价值度权重", max_digits=5, decimal_places=3)
    gamma = models.DecimalField("γ 经济价值度权重", max_digits=5, decimal_places=3)
    weights = models.JSONField("子指标权重", help_text="{指标代码: 组内权重}，各组内合计为1")
    note = models.CharField("修订说明", max_length=300, blank=True)
    is_current = models.BooleanField("现行版本", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "价值度模型权重"
        unique_together = [("scenario", "version")]
        ordering = ["scenario", "-version"]

    def __str__(self):
        return f"{self.get_scenario_display()} 第{self.version}版"


class Valuation(models.Model):
    """A value assessment of one patent or a portfolio, by an appraiser, under one model version."""

    title = models.CharField("评估名称", max_length=200)
    scenario = models.CharField("应用场景", max_length=12, choices=Scenario.choices)
    model_version = models.ForeignKey(
        ValueModelVersion, verbose_name="模型版本", on_delete=models.PROTECT, related_name="valuations"
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name="委托单位（专利权人）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="valuations",
    )
    valuer_org = models.ForeignKey(
        "core.Organization",
        verbose_name="评估机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="valuations_made",
    )
    region_code = models.CharField("区划代码", max_length=6, blank=True, db_index=True)
    state = models.CharField("状态", max_length=10, choices=ValuationState.choices, default=ValuationState.DRAFT)
    as_of = models.DateField("评估基准日")
    lvd = models.DecimalField("法律价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    tvd = models.DecimalField("技术价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    evd = models.DecimalField("经济价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    pvd = models.DecimalField("专利价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    composite_index = models.FloatField("数据指标综合指数", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="finance_valuations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "专利价值度评估"
        ordering = ["-created_at"]

    scope_paths = {"region": "region_code", "organization": ["organization", "valuer_org"], "owner": "created_by"}

    def __str__(self):
        return f"评估#{self.pk} {self.title}"


class ValuationItem(models.Model):
    """One patent of a valuation: the appraiser's scores and the indicators computed from the data."""

    valuation = models.ForeignKey(Valuation, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey(
        "patents.Patent", verbose_name="专利", on_delete=models.PROTECT, related_name="valuation_items"
    )
    scores = models.JSONField("评分", default=dict, blank=True, help_text="{指标代码: 0-10}")
    comments = models.JSONField("评分说明", default=dict, blank=True)
    indicators = models.JSONField("数据指标", default=dict, blank=True)
    lvd = models.DecimalField("法律价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    tvd = models.DecimalField("技术价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    evd = models.DecimalField("经济价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    pvd = models.DecimalField("专利价值度", max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评估专利"
        unique_together = [("valuation", "patent")]
        ordering = ["pk"]


class ValuationReport(models.Model):
    """A stored Word report of a valuation; each generation is a new version."""

    valuation = models.ForeignKey(Valuation, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveIntegerField("版本")
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件内容")
    sha256 = models.CharField("SHA-256", max_length=64)
    pvd = models.DecimalField("专利价值度", max_digits=6, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = True  # binary content; the generation itself is recorded as an EXPORT audit event

    class Meta:
        verbose_name = verbose_name_plural = "价值评估报告"
        unique_together = [("valuation", "version")]
        ordering = ["valuation", "-version"]

    def __str__(self):
        return f"{self.filename}（第{self.version}版）"


# ---------------------------------------------------------------- pledge registration


class Pledge(FSMModelMixin, models.Model):
    """A patent pledge (专利权质押) registration: pledgor, pledgee bank, debt, patents, and its workflow."""

    number = models.CharField(
        "平台受理号", max_length=30, blank=True, db_index=True, help_text="平台审查合格后的受理编号（不是质押登记号）"
    )
    cnipa_registration_no = models.CharField("国家知识产权局质押登记号", max_length=40, blank=True, db_index=True)
    cnipa_registered_on = models.DateField(
        "国家知识产权局登记日",
        null=True,
        blank=True,
        help_text="质权自国家知识产权局办理出质登记时设立（民法典第四百四十四条；专利权质押登记办法第三条）",
    )
    pledgor = models.ForeignKey(
        "core.Organization", verbose_name="出质人", on_delete=models.PROTECT, related_name="pledges_given"
    )
    pledgee = models.ForeignKey(
        "core.Organization", verbose_name="质权人（银行）", on_delete=models.PROTECT, related_name="pledges_taken"
    )
    city_code = models.CharField("出质人所在地市", max_length=6, blank=True, db_index=True)
    contract_number = models.CharField("质押合同编号", max_length=60, blank=True)
    contract_date = models.DateField("合同签订日", null=True, blank=True)
    debt_amount = models.DecimalField("被担保债权数额（万元）", null=True, blank=True, **MONEY)
    debt_start = models.DateField("债务履行期起", null=True, blank=True)
    debt_end = models.DateField("债务履行期止", null=True, blank=True)
    loan_rate = models.DecimalField("贷款年利率（%）", max_digits=6, decimal_places=3, null=True, blank=True)
    disbursed_on = models.DateField("放款日", null=True, blank=True)
    repaid_on = models.DateField("还清日", null=True, blank=True)
    security_scope = models.TextField("担保范围", blank=True)
    valuation = models.ForeignKey(
        Valuation, verbose_name="价值评估报告", null=True, blank=True, on_delete=models.SET_NULL, related_name="pledges"
    )
    co_owner_consent = models.BooleanField("共有人同意出质", default=False)
    risks_confirmed = models.BooleanField("当事人确认知悉无效请求/同日申请风险", default=False)
    pledgor_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pledgor_confirmed_at = models.DateTimeField("出质人确认时间", null=True, blank=True)
    state = FSMField(
        "状态", max_length=12, choices=PledgeState.choices, default=PledgeState.DRAFT, protected=True, db_index=True
    )
    submitted_on = models.DateField("提交（补正）日", null=True, blank=True)
    due_on = models.DateField("审查期限", null=True, blank=True, help_text="提交或补正后3个工作日")
    registered_on = models.DateField("平台审查合格日", null=True, blank=True, db_index=True)
    released_on = models.DateField("解除日", null=True, blank=True)
    defect_notice = models.TextField("补正通知内容", blank=True)
    refusal_reason = models.TextField("不予登记理由", blank=True)
    checks = models.JSONField("审查结果", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="finance_pledges"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "专利权质押登记"
        ordering = ["-created_at"]

    scope_paths = {"region": "city_code", "organization": ["pledgor", "pledgee"], "owner": "created_by"}

    def __str__(self):
        return f"质押#{self.pk} {self.cnipa_registration_no or self.number or ''}".strip()

    @property
    def status_text(self) -> str:
        """The state in words, saying whether CNIPA has registered the pledge (only then does it exist)."""
        if self.state == PledgeState.REGISTERED:
            return (
                f"已在国家知识产权局登记（{self.cnipa_registration_no}）"
                if self.cnipa_registered_on
                else "审查合格，待国家知识产权局登记"
            )
        return self.get_state_display()

    @property
    def display_number(self) -> str:
        """CNIPA's registration number once registered, else the platform's application number."""
        if self.cnipa_registration_no:
            return self.cnipa_registration_no
        return f"受理号{self.number}" if self.number else f"待审查#{self.pk}"

    labelled_number = display_number  # the name templates share with patents.Patent

    @property
    def is_demo(self) -> bool:
        """A demo transaction (load_demo numbers its contracts DEMO-…): pages mark it 演示数据."""
        return (self.contract_number or "").startswith("DEMO-")

    # Transitions: call through core.workflow.run_transition / obj.x(by=..., reason=...), then save.
    @transition(field=state, source=PledgeState.DRAFT, target=PledgeState.SUBMITTED)
    def submit(self, *, by=None, reason=""):
        """The pledgor confirmed; the application goes to the office."""

    @transition(field=state, source=[PledgeState.SUBMITTED, PledgeState.RESUBMITTED], target=PledgeState.DEFECT)
    def notify_defect(self, *, by=None, reason=""):
        """Defect notice (补正通知)."""

    @transition(field=state, source=PledgeState.DEFECT, target=PledgeState.RESUBMITTED)
    def resubmit(self, *, by=None, reason=""):
        """Corrected application."""

    @transition(field=state, source=[PledgeState.SUBMITTED, PledgeState.RESUBMITTED], target=PledgeState.REGISTERED)
    def register(self, *, by=None, reason=""):
        """Registration: the pledge takes effect."""

    @transition(
        field=state,
        source=[PledgeState.SUBMITTED, PledgeState.RESUBMITTED, PledgeState.DEFECT],
        target=PledgeState.REFUSED,
    )
    def refuse(self, *, by=None, reason=""):
        """Refusal with reasons."""

    @transition(field=state, source=PledgeState.REGISTERED, target=PledgeState.REGISTERED)
    def change(self, *, by=None, reason=""):
        """Change registration (变更登记)."""

    @transition(field=state, source=PledgeState.REGISTERED, target=PledgeState.CANCELLED)
    def cancel(self, *, by=None, reason=""):
        """Cancellation (注销) after the debt is repaid."""

    @transition(field=state, source=PledgeState.REGISTERED, target=PledgeState.DISPOSED)
    def dispose(self, *, by=None, reason=""):
        """Disposal of the pledged patents after default."""


class PledgePatent(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey(
        "patents.Patent", verbose_name="专利", on_delete=models.PROTECT, related_name="pledge_items"
    )
    tech_field = models.PositiveSmallIntegerField("WIPO技术领域", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "出质专利"
        unique_together = [("pledge", "patent")]
        ordering = ["pk"]


class PledgeChange(models.Model):
    """A change registration: what changed, before and after."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="changes")
    changed_on = models.DateField("变更日")
    before = models.JSONField("变更前")
    after = models.JSONField("变更后")
    reason = models.TextField("变更原因")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "质押变更登记"
        ordering = ["changed_on", "pk"]


# ---------------------------------------------------------------- subsidies


class SubsidyRule(models.Model):
    """A subsidy policy as data: one region's rule for one year and kind, versioned."""

    kind = models.CharField("补助类型", max_length=10, choices=SubsidyKind.choices)
    region_code = models.CharField("适用地区", max_length=6, help_text="370000 全省；地市代码如 370200 青岛")
    year = models.PositiveSmallIntegerField("政策年度")
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("政策名称", max_length=200)
    basis = models.CharField("政策依据（文号）", max_length=300, blank=True)
    mode = models.CharField("计算方式", max_length=16, choices=RuleMode.choices)
    share = models.DecimalField("补助比例", max_digits=5, decimal_places=4, help_text="如 0.5 表示 50%")
    lpr_rate = models.DecimalField("基准利率/LPR（%）", max_digits=6, decimal_places=3, null=True, blank=True)
    cap_per_enterprise = models.DecimalField("每家企业年度上限（万元）", **MONEY)
    sme_only = models.BooleanField("仅限小微企业", default=False)
    first_pledge_only = models.BooleanField("仅限首次质押", default=False)
    require_repaid = models.BooleanField("须已还本付息", default=False)
    require_registered_before_disbursement = models.BooleanField("须放款前完成质押登记", default=False)
    is_current = models.BooleanField("现行版本", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "补助政策规则"
        unique_together = [("kind", "region_code", "year", "version")]
        ordering = ["-year", "kind", "region_code", "-version"]

    def __str__(self):
        return f"{self.name}（{self.year}年 第{self.version}版）"


# ---------------------------------------------------------------- risk compensation fund


class RiskFund(models.Model):
    name = models.CharField("资金名称", max_length=200)
    region_code = models.CharField("地区", max_length=6, default="370000")
    sharing_ratio = models.DecimalField(
        "资金分担比例", max_digits=5, decimal_places=4, help_text="本金损失中由风险补偿资金承担的比例"
    )
    cap_per_loan = models.DecimalField("单笔补偿上限（万元）", **MONEY)
    established_on = models.DateField("设立日期")

    class Meta:
        verbose_name = verbose_name_plural = "质押融资风险补偿资金"

    def __str__(self):
        return self.name


class FundContribution(models.Model):
    fund = models.ForeignKey(RiskFund, on_delete=models.CASCADE, related_name="contributions")
    date = models.DateField("到账日期")
    amount = models.DecimalField("金额（万元）", **MONEY)
    source = models.CharField("资金来源", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "风险补偿资金注资"
        ordering = ["date", "pk"]


class CoveredLoan(models.Model):
    fund = models.ForeignKey(RiskFund, on_delete=models.PROTECT, related_name="loans")
    pledge = models.OneToOneField(
        Pledge, verbose_name="质押登记", on_delete=models.PROTECT, related_name="covered_loan"
    )
    bank = models.ForeignKey("core.Organization", verbose_name="贷款银行", on_delete=models.PROTECT, related_name="+")
    principal = models.DecimalField("贷款本金（万元）", **MONEY)
    covered_on = models.DateField("纳入日期")

    class Meta:
        verbose_name = verbose_name_plural = "风险补偿覆盖贷款"
        ordering = ["-covered_on", "pk"]

    scope_paths = {"region": "pledge__city_code", "organization": ["bank", "pledge__pledgor"]}


class DefaultReport(FSMModelMixin, models.Model):
    """A bank's report of a default on a covered loan, and the compensation computed from it."""

    loan = models.ForeignKey(CoveredLoan, on_delete=models.PROTECT, related_name="defaults")
    reported_on = models.DateField("报告日期")
    outstanding_principal = models.DecimalField("逾期未偿本金（万元）", **MONEY)
    recovered = models.DecimalField("处置质物已回收（万元）", default=Decimal("0"), **MONEY)
    compensation = models.DecimalField("补偿金额（万元）", null=True, blank=True, **MONEY)
    computation = models.TextField("计算过程", blank=True)
    state = FSMField("状态", max_length=10, choices=DefaultState.choices, default=DefaultState.REPORTED, protected=True)
    paid_on = models.DateField("拨付日", null=True, blank=True)
    description = models.TextField("情况说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "贷款违约报告"
        ordering = ["-reported_on", "pk"]

    scope_paths = {"region": "loan__pledge__city_code", "organization": ["loan__bank"], "owner": "created_by"}

    @transition(field=state, source=DefaultState.REPORTED, target=DefaultState.APPROVED)
    def approve(self, *, by=None, reason=""):
        """Compensation approved."""

    @transition(field=state, source=DefaultState.REPORTED, target=DefaultState.REJECTED)
    def reject(self, *, by=None, reason=""):
        """Not compensable."""

    @transition(field=state, source=DefaultState.APPROVED, target=DefaultState.PAID)
    def pay(self, *, by=None, reason=""):
        """Compensation paid from the fund."""
