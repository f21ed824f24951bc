"""Patent technology market: listings with a data room, demands, open licences, deals and market events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from .enums import (
    AccessState,
    DealState,
    DealType,
    DeclarationState,
    DemandState,
    EventKind,
    FeeMethod,
    ListingState,
    Maturity,
    ParticipantRole,
)

ORG = "core.Organization"


class Listing(models.Model):
    """A patent offered for assignment or licence by its holder (挂牌)."""

    patent = models.ForeignKey(
        "patents.Patent", verbose_name="专利", on_delete=models.PROTECT, related_name="market_listings"
    )
    holder = models.ForeignKey(ORG, verbose_name="权利人", on_delete=models.PROTECT, related_name="market_listings")
    deal_type = models.CharField("交易方式", max_length=12, choices=DealType.choices)
    title = models.CharField("挂牌标题", max_length=200)
    summary = models.TextField("通俗说明", help_text="用非专业语言说明技术解决什么问题、效果如何")
    application_fields = models.CharField("应用领域", max_length=300)
    maturity = models.CharField("技术成熟度", max_length=12, choices=Maturity.choices)
    asking_price = models.DecimalField("挂牌价格（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    negotiable = models.BooleanField("价格面议", default=False)
    fee_standard = models.CharField("许可费标准", max_length=300, blank=True)
    licence_years = models.PositiveSmallIntegerField("许可期限（年）", null=True, blank=True)
    pledgee_consent = models.BooleanField("质权人已同意", default=False)
    pledgee_consent_note = models.CharField("质权人同意说明", max_length=300, blank=True)
    trading_center = models.ForeignKey(
        ORG,
        verbose_name="展示交易中心",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="center_listings",
    )
    city_code = models.CharField("地市代码", max_length=6, blank=True, db_index=True)
    ipc_main = models.CharField("主分类号", max_length=30, blank=True)
    tech_field = models.ForeignKey(
        "core.TechField", verbose_name="技术领域", null=True, blank=True, on_delete=models.SET_NULL
    )
    contact_person = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    state = FSMField("状态", default=ListingState.PUBLISHED, choices=ListingState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="挂牌人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("挂牌时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_paths = {"region": "city_code", "organization": "holder", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "挂牌专利"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title}（{self.get_deal_type_display()}）"

    @transition(field=state, source=ListingState.PUBLISHED, target=ListingState.SUSPENDED)
    def suspend(self, *, by=None, reason=""):
        """Pause the listing (e.g. while a deal is in contract)."""

    @transition(field=state, source=ListingState.SUSPENDED, target=ListingState.PUBLISHED)
    def resume(self, *, by=None, reason=""):
        """Show the listing again."""

    @transition(field=state, source=[ListingState.PUBLISHED, ListingState.SUSPENDED], target=ListingState.CLOSED)
    def close(self, *, by=None, reason=""):
        """Close after a completed deal."""

    @transition(field=state, source=[ListingState.PUBLISHED, ListingState.SUSPENDED], target=ListingState.WITHDRAWN)
    def withdraw(self, *, by=None, reason=""):
        """Withdraw the listing."""


def _document_path(instance, filename):
    return f"market/listings/{instance.listing_id}/{filename}"


class ListingDocument(models.Model):
    """A file in a listing's data room (visible to the holder and approved parties only)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField("文件名", max_length=200)
    description = models.CharField("说明", max_length=300, blank=True)
    file = models.FileField("文件", upload_to=_document_path, max_length=300)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "资料室文件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class DataRoomAccess(models.Model):
    """A request by another organisation to see a listing's data room, decided by the holder."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="access_requests")
    organization = models.ForeignKey(ORG, verbose_name="申请单位", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField("用途", max_length=300, blank=True)
    state = models.CharField("状态", max_length=10, choices=AccessState.choices, default=AccessState.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "资料室访问申请"
        constraints = [models.UniqueConstraint(fields=["listing", "organization"], name="market_dataroom_unique")]


class Demand(models.Model):
    """A technology demand posted by an enterprise (技术需求)."""

    organization = models.ForeignKey(
        ORG, verbose_name="需求单位", on_delete=models.PROTECT, related_name="market_demands"
    )
    title = models.CharField("需求名称", max_length=200)
    field = models.CharField("技术领域", max_length=200)
    ipc_hint = models.CharField(
        "相关分类号", max_length=200, blank=True, help_text="可选，如 F25D21/14；多个用分号分隔"
    )
    problem = models.TextField("需要解决的问题")
    budget_min = models.DecimalField("预算下限（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    budget_max = models.DecimalField("预算上限（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    deadline = models.DateField("截止日期")
    preferred_deal_type = models.CharField("意向交易方式", max_length=12, choices=DealType.choices, blank=True)
    city_code = models.CharField("地市代码", max_length=6, blank=True, db_index=True)
    tech_field = models.ForeignKey(
        "core.TechField", verbose_name="WIPO技术领域", null=True, blank=True, on_delete=models.SET_NULL
    )
    state = FSMField("状态", default=DemandState.OPEN, choices=DemandState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True, db_index=True)

    scope_paths = {"region": "city_code", "organization": "organization", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "技术需求"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def query_text(self) -> str:
        return f"{self.title}。{self.field}。{self.problem}"

    @transition(field=state, source=DemandState.OPEN, target=DemandState.MATCHED)
    def mark_matched(self, *, by=None, reason=""):
        """A deal was started from this demand."""

    @transition(field=state, source=[DemandState.OPEN, DemandState.MATCHED], target=DemandState.CLOSED)
    def close(self, *, by=None, reason=""):
        """Close the demand."""

    @transition(field=state, source=DemandState.MATCHED, target=DemandState.OPEN)
    def reopen(self, *, by=None, reason=""):
        """Open the demand again."""


class OpenLicenceDeclaration(models.Model):
    """A patentee's open licence declaration (专利法第五十条)."""

    patent = models.ForeignKey(
        "patents.Patent", verbose_name="专利", on_delete=models.PROTECT, related_name="open_licence_declarations"
    )
    holder = models.ForeignKey(
        ORG, verbose_name="专利权人", on_delete=models.PROTECT, related_name="open_licence_declarations"
    )
    fee_method = models.CharField("许可使用费支付方式", max_length=12, choices=FeeMethod.choices)
    lump_sum = models.DecimalField("入门费/年费（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    royalty_rate = models.DecimalField("提成比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    fee_note = models.CharField("费用说明", max_length=300, blank=True)
    term_start = models.DateField("许可期限起")
    term_end = models.DateField("许可期限止")
    co_owners_consent = models.BooleanField("全体共有人同意", default=False)
    evaluation_report_no = models.CharField("专利权评价报告编号", max_length=60, blank=True)
    pledgee_consent = models.CharField(
        "质权人书面同意",
        max_length=200,
        blank=True,
        help_text="出质专利声明开放许可时质权人同意书的名称或编号（专利法实施细则第八十六条）",
    )
    publication_no = models.CharField(
        "国家知识产权局公告号",
        max_length=40,
        blank=True,
        help_text="开放许可声明由国家知识产权局公告后生效（专利法第五十条）",
    )
    published_on = models.DateField("国家知识产权局公告日", null=True, blank=True)
    withdrawn_on = models.DateField("撤回日", null=True, blank=True)
    listing = models.OneToOneField(
        Listing, null=True, blank=True, on_delete=models.SET_NULL, related_name="open_declaration"
    )
    state = FSMField("状态", default=DeclarationState.SUBMITTED, choices=DeclarationState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": "holder", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "开放许可声明"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"开放许可声明 {self.publication_no or self.pk}：{self.patent_id}"

    @property
    def fee_text(self) -> str:
        parts = [self.get_fee_method_display()]
        if self.lump_sum is not None:
            parts.append(f"{self.lump_sum}万元")
        if self.royalty_rate is not None:
            parts.append(f"提成{self.royalty_rate}%")
        if self.fee_note:
            parts.append(self.fee_note)
        return "，".join(parts)

    @transition(field=state, source=DeclarationState.SUBMITTED, target=DeclarationState.PUBLISHED)
    def publish(self, *, by=None, reason=""):
        """Publish the declaration after the bars were checked."""

    @transition(field=state, source=DeclarationState.PUBLISHED, target=DeclarationState.WITHDRAWN)
    def withdraw(self, *, by=None, reason=""):
        """Withdraw; licences granted before stay valid (专利法第五十条第二款)."""


class OpenLicence(models.Model):
    """A licence taken under a published open licence declaration (专利法第五十一条)."""

    declaration = models.ForeignKey(OpenLicenceDeclaration, on_delete=models.PROTECT, related_name="licences")
    licensee = models.ForeignKey(ORG, verbose_name="被许可人", on_delete=models.PROTECT, related_name="open_licences")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    notice_date = models.DateField("书面通知日")
    notice_text = models.TextField("书面通知")
    start_date = models.DateField("许可起始日")
    end_date = models.DateField("许可终止日")
    payment_amount = models.DecimalField("已付许可费（万元）", max_digits=12, decimal_places=2)
    payment_date = models.DateField("付款日期")
    payment_reference = models.CharField("付款凭证号", max_length=60)
    recordal_no = models.CharField(
        "国家知识产权局备案号",
        max_length=60,
        blank=True,
        help_text="开放许可实施许可的备案（专利法实施细则第八十七条）",
    )
    recorded_on = models.DateField("备案日", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"organization": ["licensee", "declaration__holder"], "owner": "accepted_by"}

    class Meta:
        verbose_name = verbose_name_plural = "开放许可实施"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["declaration", "licensee"], name="market_open_licence_once")]

    def __str__(self):
        return f"{self.licensee} 实施 {self.declaration.patent_id}"


class Deal(models.Model):
    """A transaction from inquiry to registration, with its state history (core.workflow)."""

    patent = models.ForeignKey(
        "patents.Patent", verbose_name="专利", on_delete=models.PROTECT, related_name="market_deals"
    )
    listing = models.ForeignKey(
        Listing, verbose_name="挂牌", null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    demand = models.ForeignKey(
        Demand, verbose_name="需求", null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    deal_type = models.CharField("交易方式", max_length=12, choices=DealType.choices)
    seller = models.ForeignKey(ORG, verbose_name="让与人/许可人", on_delete=models.PROTECT, related_name="market_sales")
    buyer = models.ForeignKey(
        ORG, verbose_name="受让人/被许可人", on_delete=models.PROTECT, related_name="market_purchases"
    )
    trading_center = models.ForeignKey(
        ORG, verbose_name="展示交易中心", null=True, blank=True, on_delete=models.SET_NULL, related_name="center_deals"
    )
    city_code = models.CharField("地市代码", max_length=6, blank=True, db_index=True)
    message = models.TextField("洽询内容", blank=True)
    amount = models.DecimalField("成交金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    contract_no = models.CharField("合同编号", max_length=60, blank=True)
    contract_signed_on = models.DateField("合同签订日", null=True, blank=True)
    licence_start = models.DateField("许可期限起", null=True, blank=True)
    licence_end = models.DateField("许可期限止", null=True, blank=True)
    recordal_deadline = models.DateField("备案期限", null=True, blank=True, help_text="许可合同自生效之日起3个月内备案")
    registration_no = models.CharField("登记/备案号", max_length=60, blank=True)
    registered_on = models.DateField("登记/备案日", null=True, blank=True)
    completed_on = models.DateField("完成日", null=True, blank=True)
    state = FSMField("状态", default=DealState.INQUIRY, choices=DealState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_paths = {"region": "city_code", "organization": ["seller", "buyer"], "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "交易"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"交易#{self.pk} {self.patent_id} {self.get_deal_type_display()}"

    @property
    def reference(self) -> str:
        return f"market.deal:{self.pk}"

    @property
    def is_demo(self) -> bool:
        """A demo transaction (load_demo numbers its contracts DEMO-…): pages mark it 演示数据."""
        return (self.contract_no or "").startswith("DEMO-") or (self.message or "").startswith("【演示数据】")

    @transition(field=state, source=DealState.INQUIRY, target=DealState.NEGOTIATION)
    def negotiate(self, *, by=None, reason=""):
        """Both parties enter negotiation."""

    @transition(field=state, source=DealState.NEGOTIATION, target=DealState.CONTRACT)
    def sign_contract(self, *, by=None, reason=""):
        """The contract is signed."""

    @transition(field=state, source=DealState.CONTRACT, target=DealState.REGISTRATION)
    def submit_registration(self, *, by=None, reason=""):
        """Registration (assignment) or recordal (licence) is filed with CNIPA."""

    @transition(field=state, source=DealState.REGISTRATION, target=DealState.COMPLETED)
    def complete(self, *, by=None, reason=""):
        """CNIPA registered the assignment or recorded the licence."""

    @transition(
        field=state,
        source=[DealState.INQUIRY, DealState.NEGOTIATION, DealState.CONTRACT, DealState.REGISTRATION],
        target=DealState.CANCELLED,
    )
    def cancel(self, *, by=None, reason=""):
        """The deal is abandoned."""


class MarketEvent(models.Model):
    """A trading fair or matchmaking meeting (交易会、对接会)."""

    title = models.CharField("活动名称", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=EventKind.choices)
    trading_center = models.ForeignKey(
        ORG, verbose_name="主办交易中心", null=True, blank=True, on_delete=models.SET_NULL, related_name="market_events"
    )
    city_code = models.CharField("地市代码", max_length=6, blank=True, db_index=True)
    venue = models.CharField("地点", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    description = models.TextField("活动介绍", blank=True)
    capacity = models.PositiveIntegerField("名额", null=True, blank=True)
    listings = models.ManyToManyField(Listing, verbose_name="展示项目", blank=True, related_name="events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"region": "city_code", "organization": "trading_center", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "交易活动"
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title


class EventRegistration(models.Model):
    event = models.ForeignKey(MarketEvent, on_delete=models.CASCADE, related_name="registrations")
    organization = models.ForeignKey(
        ORG, verbose_name="单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报名人", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField("参会身份", max_length=10, choices=ParticipantRole.choices)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动报名"
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="market_event_registration_once")]
