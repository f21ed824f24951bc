"""Rights-protection assistance and enforcement: intake, cases (four state machines), deadlines, evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from ipplatform.core.models import AppendOnlyModel

from .defaults import unknown_placeholders
from .enums import (
    CaseState as S,
)
from .enums import (
    CaseType,
    Channel,
    ConsultationState,
    DeadlineStatus,
    DeadlineUnit,
    EvidenceKind,
    EvidenceStage,
    IntakeKind,
    IntakeState,
    Outcome,
    RuleKind,
    TransferKind,
)

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------- configuration (admin-editable)


class DeadlineRule(models.Model):
    """A statutory time limit: how long, counted how, opened and closed by which steps, and its legal basis."""

    code = models.CharField("规则代码", max_length=40, unique=True)
    case_type = models.CharField("案件类型", max_length=20, choices=CaseType.choices)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("规则类别", max_length=12, choices=RuleKind.choices, default=RuleKind.DEADLINE)
    amount = models.PositiveIntegerField("期限")
    unit = models.CharField("计算单位", max_length=6, choices=DeadlineUnit.choices)
    opens_on = models.CharField(
        "起算环节", max_length=200, blank=True, help_text="流程操作名，逗号分隔；create 表示登记时"
    )
    closes_on = models.CharField("完成环节", max_length=300, blank=True, help_text="流程操作名，逗号分隔")
    max_extension = models.PositiveIntegerField("可延长（同单位，经批准）", default=0)
    party_period = models.BooleanField(
        "当事人期间", default=False, help_text="答辩期、起诉期等当事人期间：届满后提示办理下一环节，不计为办案超期"
    )
    legal_basis = models.TextField("法律依据")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "办案期限规则"
        ordering = ["case_type", "code"]

    def __str__(self):
        return f"{self.name}（{self.amount}{self.get_unit_display()}）"

    def opens(self) -> set[str]:
        return {x.strip() for x in self.opens_on.split(",") if x.strip()}

    def closes(self) -> set[str]:
        return {x.strip() for x in self.closes_on.split(",") if x.strip()}

    @property
    def label(self) -> str:
        ext = f"，经批准可延长{self.max_extension}{self.get_unit_display()}" if self.max_extension else ""
        return f"{self.amount}{self.get_unit_display()}{ext}"


class DocumentTemplate(models.Model):
    """An editable standard document with {占位符} filled from the case."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("文书名称", max_length=60)
    case_types = models.CharField("适用案件类型", max_length=100, blank=True, help_text="逗号分隔，留空表示全部")
    body = models.TextField("正文模板", help_text="可用占位符见页面说明，例如 {案号}、{请求人}、{被请求人}")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法文书模板"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def applicable_text(self) -> str:
        """The case types in Chinese ('全部' when empty)."""
        types = [x.strip() for x in self.case_types.split(",") if x.strip()]
        return "、".join(CaseType(t).label if t in CaseType.values else t for t in types) or "全部"

    def applies_to(self, case_type: str) -> bool:
        types = {x.strip() for x in self.case_types.split(",") if x.strip()}
        return not types or case_type in types

    def clean(self):
        from django.core.exceptions import ValidationError

        bad = unknown_placeholders(self.body)
        if bad:
            raise ValidationError({"body": f"模板中有未知占位符：{'、'.join(bad)}"})


# ---------------------------------------------------------------- intake


class Intake(FSMModelMixin, models.Model):
    """One 12330 request (phone, web, letter, walk-in), routed to the competent city bureau."""

    tracking_no = models.CharField("查询编号", max_length=24, unique=True)
    code_hash = models.CharField("查询码哈希", max_length=64)
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    kind = models.CharField("诉求类别", max_length=20, choices=IntakeKind.choices)
    subject = models.CharField("事项", max_length=200)
    description = models.TextField("情况说明")
    requester_name = models.CharField("姓名/单位", max_length=100)
    requester_phone = models.CharField("联系电话", max_length=40)
    requester_email = models.CharField("电子邮箱", max_length=100, blank=True)
    requester_address = models.CharField("联系地址", max_length=200, blank=True)
    requester_user = models.ForeignKey(
        USER,
        verbose_name="提交用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="protection_intakes",
    )
    confidential = models.BooleanField("身份保密", default=False, help_text="举报人身份一律保密")
    respondent_name = models.CharField("被投诉/举报对象", max_length=200, blank=True)
    respondent_address = models.CharField("被投诉方住所地", max_length=200, blank=True)
    infringement_place = models.CharField("侵权行为地", max_length=200, blank=True)
    patent_no = models.CharField("专利号", max_length=40, blank=True)
    region_code = models.CharField("主管地区划代码", max_length=6, blank=True, db_index=True)
    city_code = models.CharField("主管市", max_length=6, blank=True, db_index=True)
    routing_note = models.CharField("分派依据", max_length=200, blank=True)
    handling_org = models.ForeignKey(
        "core.Organization", verbose_name="主管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField("状态", default=IntakeState.RECEIVED, choices=IntakeState.choices, protected=True)
    public_reply = models.TextField("答复（公开查询可见）", blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True, db_index=True)

    scope_paths = {"region": "region_code", "owner": ["requester_user"]}
    text_limits = {"description": 5000, "public_reply": 5000}  # core.textguard: the intake form's limits

    class Meta:
        verbose_name = verbose_name_plural = "12330受理登记"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.tracking_no} {self.subject}"

    @transition(field=state, source=[IntakeState.RECEIVED, IntakeState.ROUTED], target=IntakeState.ROUTED)
    def route(self, *, by=None, reason=""):
        """分派"""

    @transition(field=state, source=[IntakeState.RECEIVED, IntakeState.ROUTED], target=IntakeState.CONVERTED)
    def convert(self, *, by=None, reason=""):
        """转为案件"""

    @transition(field=state, source=[IntakeState.RECEIVED, IntakeState.ROUTED], target=IntakeState.ANSWERED)
    def answer(self, *, by=None, reason=""):
        """答复"""

    @transition(field=state, source=[IntakeState.RECEIVED, IntakeState.ROUTED], target=IntakeState.OUT_OF_SCOPE)
    def refer_out(self, *, by=None, reason=""):
        """告知不属受理范围"""


# ---------------------------------------------------------------- cases


def _of(*types):
    def check(instance):
        return instance.case_type in types

    check.__name__ = f"case_type_in_{'_'.join(types)}"
    return check


INF, CF, EC, PT = (
    _of(CaseType.INFRINGEMENT),
    _of(CaseType.COUNTERFEIT),
    _of(CaseType.ECOMMERCE),
    _of(CaseType.POLICE_TRANSFER),
)
INF_ACTIVE = [S.ACCEPTED, S.DEFENCE, S.INVESTIGATING, S.HEARING_SCHEDULED, S.DELIBERATING]
CF_ACTIVE = [S.FILED, S.INVESTIGATING, S.REPORTED, S.REVIEWED, S.PRE_DECISION, S.HEARING]
SUSPENDABLE = sorted(set(INF_ACTIVE + CF_ACTIVE))
EC_DETERMINABLE = [S.NOTICE_RECEIVED, S.AWAITING_COUNTER, S.COUNTER_RECEIVED]


class Case(FSMModelMixin, models.Model):
    """An enforcement or assistance case; each case type has its own state machine (transitions guarded by type)."""

    case_no = models.CharField("案号", max_length=40, unique=True)
    case_type = models.CharField("案件类型", max_length=20, choices=CaseType.choices, db_index=True)
    state = FSMField("状态", default=S.REQUESTED, choices=S.choices, protected=True, db_index=True)
    resume_state = models.CharField("中止前状态", max_length=30, blank=True)
    title = models.CharField("案由", max_length=200)
    summary = models.TextField("案情摘要", blank=True)
    intake = models.ForeignKey(
        Intake, verbose_name="来源登记", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    parent = models.ForeignKey(
        "self", verbose_name="关联案件", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region_code = models.CharField("管辖区划代码", max_length=6, db_index=True)
    city_code = models.CharField("管辖市", max_length=6, db_index=True)
    handling_org = models.ForeignKey(
        "core.Organization", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "core.Organization", verbose_name="业务处室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        USER, verbose_name="承办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="protection_cases"
    )
    requester_user = models.ForeignKey(
        USER, verbose_name="请求人账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_name = models.CharField("请求人/举报人", max_length=200, blank=True)
    requester_contact = models.CharField("请求人联系方式", max_length=100, blank=True)
    reporter_confidential = models.BooleanField("举报人身份保密", default=False)
    respondent_name = models.CharField("被请求人/当事人", max_length=200, blank=True)
    respondent_address = models.CharField("被请求人住所", max_length=200, blank=True)
    respondent_org = models.ForeignKey(
        "core.Organization",
        verbose_name="被请求人（平台机构）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    patent_no = models.CharField("专利号", max_length=40, blank=True)
    platform = models.CharField("电商平台", max_length=100, blank=True)
    crime_suspected = models.BooleanField("涉嫌犯罪（应当移送）", default=False)
    priority = models.BooleanField("优先办理", default=False, help_text="请求人为重点保护单位或保护联盟成员")
    priority_basis = models.CharField("优先办理依据", max_length=300, blank=True)
    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.TextField("结果说明", blank=True)
    penalty_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    hearing_at = models.DateTimeField("口头审理/听证时间", null=True, blank=True)
    # 假冒专利行政处罚: the party's hearing (行政处罚法 arts 44, 45, 62-65) and the penalty's limits (专利法 art 68)
    pre_decision_on = models.DateField("告知陈述申辩和听证权利日期", null=True, blank=True)
    waiver_on = models.DateField("当事人书面放弃陈述申辩/听证日期", null=True, blank=True)
    waiver_note = models.CharField("书面放弃材料", max_length=200, blank=True, help_text="放弃声明的文书名称或编号")
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_presider = models.ForeignKey(
        USER, verbose_name="听证主持人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hearing_held_on = models.DateField("听证举行日期", null=True, blank=True)
    hearing_record = models.TextField("听证笔录", blank=True)
    violation_ended_on = models.DateField("违法行为发生（连续或继续状态终了）日期", null=True, blank=True)
    illegal_gains = models.DecimalField("违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    published_on = models.DateField("处罚信息公示日期", null=True, blank=True)
    counter_delivered_on = models.DateField("不侵权声明到达权利人日期", null=True, blank=True)
    # payment of the fine and enforcement (行政处罚法 arts 67, 72; 行政强制法 arts 53, 54)
    served_on = models.DateField("决定书送达日期", null=True, blank=True)
    demand_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    court_applied_on = models.DateField("申请人民法院强制执行日期", null=True, blank=True)
    measures = models.JSONField(
        "执法措施和公示记录",
        default=list,
        blank=True,
        help_text="查封扣押、先行登记保存、移交涉案物品、平台公示等：[{measure, on, by, note}]",
    )
    panel_members = models.ManyToManyField(USER, verbose_name="合议组成员", blank=True, related_name="+")
    transfer_documents = models.JSONField("移送材料", default=list, blank=True)
    evidence_count = models.PositiveIntegerField("全过程记录条数", default=0)
    evidence_head = models.CharField("记录链末端哈希", max_length=64, blank=True)
    received_on = models.DateField("收到日期")
    accepted_on = models.DateField("受理/立案日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_paths = {"region": "region_code", "owner": ["requester_user", "handler"]}

    class Meta:
        verbose_name = verbose_name_plural = "维权执法案件"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.case_no} {self.title}"

    # ---- shared
    @transition(
        field=state,
        source=SUSPENDABLE,
        target=S.SUSPENDED,
        conditions=[_of(CaseType.INFRINGEMENT, CaseType.COUNTERFEIT)],
    )
    def suspend(self, *, by=None, reason=""):
        """中止"""
        self.resume_state = self.state

    @transition(field=state, source=S.SUSPENDED, target=RETURN_VALUE(*SUSPENDABLE))
    def resume(self, *, by=None, reason=""):
        """恢复"""
        target, self.resume_state = self.resume_state, ""
        return target

    @transition(
        field=state, source=[S.REQUESTED, S.CORRECTING, *INF_ACTIVE, S.SUSPENDED], target=S.WITHDRAWN, conditions=[INF]
    )
    def withdraw(self, *, by=None, reason=""):
        """撤回"""
        self.outcome = Outcome.WITHDRAWN

    @transition(
        field=state,
        source=[S.FINAL, S.COURT_ENFORCEMENT, S.LITIGATION, S.POLICE_ACCEPTED, S.POLICE_DECLINED],
        target=S.CLOSED,
        conditions=[_of(CaseType.INFRINGEMENT, CaseType.POLICE_TRANSFER)],
    )
    def close(self, *, by=None, reason=""):
        """结案"""

    # ---- 专利侵权纠纷
    @transition(field=state, source=S.REQUESTED, target=S.CORRECTING, conditions=[INF])
    def request_correction(self, *, by=None, reason=""):
        """通知补正"""

    @transition(field=state, source=S.CORRECTING, target=S.REQUESTED, conditions=[INF])
    def resubmit(self, *, by=None, reason=""):
        """补正材料已提交"""

    @transition(field=state, source=S.REQUESTED, target=S.ACCEPTED, conditions=[INF])
    def accept(self, *, by=None, reason=""):
        """受理"""

    @transition(field=state, source=[S.REQUESTED, S.CORRECTING], target=S.REFUSED, conditions=[INF])
    def refuse(self, *, by=None, reason=""):
        """不予受理"""
        self.outcome = Outcome.REFUSED

    @transition(field=state, source=S.ACCEPTED, target=S.DEFENCE, conditions=[INF])
    def serve_respondent(self, *, by=None, reason=""):
        """送达请求书副本"""

    @transition(
        field=state,
        source=[S.DEFENCE, S.FILED],
        target=S.INVESTIGATING,
        conditions=[_of(CaseType.INFRINGEMENT, CaseType.COUNTERFEIT)],
    )
    def begin_investigation(self, *, by=None, reason=""):
        """开始调查"""

    @transition(field=state, source=S.INVESTIGATING, target=S.HEARING_SCHEDULED, conditions=[INF])
    def schedule_hearing(self, *, by=None, reason=""):
        """通知口头审理"""

    @transition(field=state, source=S.HEARING_SCHEDULED, target=S.DELIBERATING, conditions=[INF])
    def hold_hearing(self, *, by=None, reason=""):
        """举行口头审理"""

    @transition(field=state, source=S.INVESTIGATING, target=S.DELIBERATING, conditions=[INF])
    def written_review(self, *, by=None, reason=""):
        """书面审理"""

    @transition(field=state, source=S.DELIBERATING, target=S.DECIDED, conditions=[INF])
    def decide(self, *, by=None, reason=""):
        """作出处理决定"""

    @transition(
        field=state, source=[S.INVESTIGATING, S.HEARING_SCHEDULED, S.DELIBERATING], target=S.MEDIATED, conditions=[INF]
    )
    def mediate(self, *, by=None, reason=""):
        """调解结案"""
        self.outcome = Outcome.MEDIATED

    @transition(
        field=state,
        source=[S.DECIDED, S.MEDIATED],
        target=S.SERVED,
        conditions=[_of(CaseType.INFRINGEMENT, CaseType.COUNTERFEIT)],
    )
    def serve_decision(self, *, by=None, reason=""):
        """送达决定书"""

    @transition(field=state, source=S.SERVED, target=S.FINAL, conditions=[INF])
    def become_final(self, *, by=None, reason=""):
        """起诉期满，决定生效"""

    @transition(field=state, source=S.SERVED, target=S.LITIGATION, conditions=[INF])
    def sued(self, *, by=None, reason=""):
        """当事人向法院起诉"""

    @transition(field=state, source=S.FINAL, target=S.COURT_ENFORCEMENT, conditions=[INF])
    def court_enforce(self, *, by=None, reason=""):
        """申请法院强制执行"""

    # ---- 假冒专利
    @transition(field=state, source=S.CLUE, target=S.FILED, conditions=[CF])
    def file_case(self, *, by=None, reason=""):
        """立案"""

    @transition(field=state, source=S.CLUE, target=S.NOT_FILED, conditions=[CF])
    def decline_filing(self, *, by=None, reason=""):
        """不予立案"""
        self.outcome = Outcome.NOT_FILED

    @transition(field=state, source=S.INVESTIGATING, target=S.REPORTED, conditions=[CF])
    def submit_report(self, *, by=None, reason=""):
        """提交调查终结报告"""

    @transition(field=state, source=S.REPORTED, target=S.REVIEWED, conditions=[CF])
    def legal_review(self, *, by=None, reason=""):
        """法制审核"""

    @transition(field=state, source=S.REVIEWED, target=S.PRE_DECISION, conditions=[CF])
    def notify_pre_decision(self, *, by=None, reason=""):
        """告知拟处罚及陈述申辩、听证权利"""

    @transition(field=state, source=S.PRE_DECISION, target=S.HEARING, conditions=[CF])
    def request_hearing(self, *, by=None, reason=""):
        """当事人申请听证"""

    @transition(
        field=state,
        source=[S.PRE_DECISION, S.HEARING],
        target=S.DECIDED,
        conditions=[CF, lambda c: not c.transfer_required(), lambda c: not c.hearing_bar()],
    )
    def decide_penalty(self, *, by=None, reason=""):
        """作出行政处罚决定"""
        self.outcome = Outcome.PENALTY

    @transition(
        field=state,
        source=[S.REVIEWED, S.PRE_DECISION, S.HEARING],
        target=S.DECIDED,
        conditions=[CF, lambda c: not c.transfer_required()],
    )
    def decide_no_penalty(self, *, by=None, reason=""):
        """决定不予处罚"""
        self.outcome = Outcome.NO_PENALTY

    @transition(
        field=state,
        source=[S.INVESTIGATING, S.REPORTED, S.REVIEWED, S.PRE_DECISION, S.HEARING],
        target=S.TRANSFERRED_POLICE,
        conditions=[CF],
    )
    def decide_transfer(self, *, by=None, reason=""):
        """涉嫌犯罪，移送公安机关"""
        self.outcome = Outcome.TRANSFERRED

    @transition(field=state, source=S.SERVED, target=S.EXECUTED, conditions=[CF])
    def execute(self, *, by=None, reason=""):
        """执行完毕"""

    @transition(
        field=state,
        source=S.EXECUTED,
        target=S.PUBLICIZED,
        conditions=[CF, lambda c: c.outcome != Outcome.PENALTY or bool(c.published_on)],
    )
    def publicize(self, *, by=None, reason=""):
        """信用公示"""

    @transition(
        field=state, source=S.TRANSFERRED_POLICE, target=S.REVIEWED, conditions=[CF, lambda c: c.police_declined()]
    )
    def resume_after_police_decline(self, *, by=None, reason=""):
        """公安不予立案，依法作出行政处罚"""
        self.outcome = Outcome.NONE

    @transition(
        field=state,
        source=[S.PUBLICIZED, S.TRANSFERRED_POLICE, S.NOT_FILED, S.SERVED],
        target=S.ARCHIVED,
        conditions=[CF, lambda c: c.state != S.SERVED or c.outcome == Outcome.NO_PENALTY],
    )
    def archive(self, *, by=None, reason=""):
        """归档"""

    # ---- 电商平台投诉
    @transition(field=state, source=EC_DETERMINABLE, target=S.DETERMINING, conditions=[EC])
    def request_determination(self, *, by=None, reason=""):
        """平台申请侵权判定"""
        self.resume_state = self.state

    @transition(field=state, source=S.DETERMINING, target=RETURN_VALUE(*EC_DETERMINABLE), conditions=[EC])
    def answer_determination(self, *, by=None, reason=""):
        """出具判定意见"""
        target, self.resume_state = self.resume_state, ""
        return target

    @transition(field=state, source=S.NOTICE_RECEIVED, target=S.AWAITING_COUNTER, conditions=[EC])
    def forward_to_seller(self, *, by=None, reason=""):
        """采取必要措施并转送被投诉人"""

    @transition(field=state, source=S.AWAITING_COUNTER, target=S.COUNTER_RECEIVED, conditions=[EC])
    def receive_counter(self, *, by=None, reason=""):
        """收到不侵权声明"""

    @transition(field=state, source=S.COUNTER_RECEIVED, target=S.WAITING_PERIOD, conditions=[EC])
    def forward_counter(self, *, by=None, reason=""):
        """转送声明至投诉人"""

    @transition(field=state, source=S.WAITING_PERIOD, target=S.LIFTED, conditions=[EC])
    def lift_measures(self, *, by=None, reason=""):
        """期满未投诉起诉，终止措施"""
        self.outcome = Outcome.LIFTED

    @transition(
        field=state,
        source=[S.NOTICE_RECEIVED, S.AWAITING_COUNTER, S.WAITING_PERIOD],
        target=S.MAINTAINED,
        conditions=[EC],
    )
    def maintain_measures(self, *, by=None, reason=""):
        """权利人已投诉或起诉，维持措施"""
        self.outcome = Outcome.MAINTAINED

    # ---- 移送公安
    @transition(field=state, source=S.SUSPICION, target=S.TASK_GROUP, conditions=[PT])
    def form_task_group(self, *, by=None, reason=""):
        """成立专案组"""

    @transition(field=state, source=S.TASK_GROUP, target=S.REPORT_PENDING, conditions=[PT])
    def submit_transfer_report(self, *, by=None, reason=""):
        """提交移送审批报告"""

    @transition(field=state, source=S.REPORT_PENDING, target=S.APPROVED, conditions=[PT])
    def approve_transfer(self, *, by=None, reason=""):
        """负责人批准移送"""

    @transition(field=state, source=S.REPORT_PENDING, target=S.NOT_TRANSFERRED, conditions=[PT])
    def reject_transfer(self, *, by=None, reason=""):
        """负责人决定不移送"""
        self.outcome = Outcome.NOT_TRANSFERRED

    @transition(field=state, source=S.APPROVED, target=S.TRANSFERRED, conditions=[PT])
    def transfer_to_police(self, *, by=None, reason=""):
        """移送公安机关"""

    @transition(field=state, source=[S.TRANSFERRED, S.RECONSIDERATION], target=S.POLICE_ACCEPTED, conditions=[PT])
    def police_accept(self, *, by=None, reason=""):
        """公安机关立案"""
        self.outcome = Outcome.POLICE_ACCEPTED

    @transition(field=state, source=S.TRANSFERRED, target=S.POLICE_DECLINED, conditions=[PT])
    def police_decline(self, *, by=None, reason=""):
        """公安机关不予立案"""
        self.outcome = Outcome.POLICE_DECLINED

    @transition(field=state, source=S.POLICE_DECLINED, target=S.RECONSIDERATION, conditions=[PT])
    def request_reconsideration(self, *, by=None, reason=""):
        """提请公安机关复议"""

    @transition(field=state, source=S.RECONSIDERATION, target=S.CLOSED, conditions=[PT])
    def reconsideration_upheld(self, *, by=None, reason=""):
        """复议维持不予立案"""
        self.outcome = Outcome.POLICE_DECLINED

    # ---- rules
    def transfer_required(self) -> bool:
        """True while a suspected crime has not been transferred to the police (a penalty cannot replace it)."""
        if not self.crime_suspected:
            return False
        return not self.children.filter(
            case_type=CaseType.POLICE_TRANSFER,
            state__in=[S.TRANSFERRED, S.POLICE_ACCEPTED, S.POLICE_DECLINED, S.RECONSIDERATION, S.CLOSED],
        ).exists()

    def police_declined(self) -> bool:
        """True when the police declined the transferred case for good (not accepted; reconsideration, if asked, upheld)."""
        kids = self.children.filter(case_type=CaseType.POLICE_TRANSFER)
        return (
            kids.filter(outcome=Outcome.POLICE_DECLINED).exclude(state__in=[S.RECONSIDERATION]).exists()
            and not kids.filter(outcome=Outcome.POLICE_ACCEPTED).exists()
        )

    def hearing_bar(self, on=None) -> str:
        """Why a penalty may not be decided yet ('' when it may): the party's hearing rights (行政处罚法 arts 44, 45, 62-65)."""
        from . import law

        return law.hearing_bar(case=self, on=on or getattr(self, "_on", None))

    @property
    def is_terminal(self) -> bool:
        from .enums import TERMINAL_STATES

        return self.state in TERMINAL_STATES


class AgencyHead(models.Model):
    """The head of an enforcement body (正职负责人 or 主持工作的负责人): approves extensions and police transfers."""

    organization = models.ForeignKey(
        "core.Organization", verbose_name="执法机关", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(USER, verbose_name="负责人", on_delete=models.CASCADE, related_name="+")
    capacity = models.CharField(
        "身份", max_length=20, choices=[("chief", "正职负责人"), ("acting", "主持工作的负责人")], default="chief"
    )
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法机关负责人"
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="agency_head_org_user")]

    def __str__(self):
        return f"{self.user} （{self.get_capacity_display()}）"


class CaseDeadline(models.Model):
    """One running or finished time limit of a case (rule snapshot, anchor, computed due date)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT)
    name = models.CharField("期限", max_length=100)
    amount = models.PositiveIntegerField("期限")
    unit = models.CharField("单位", max_length=6, choices=DeadlineUnit.choices)
    extension = models.PositiveIntegerField("已延长", default=0)
    anchor = models.DateField("起算日")
    anchor_at = models.DateTimeField("起算时间")
    due = models.DateField("届满日", db_index=True)
    due_at = models.DateTimeField("届满时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN, db_index=True
    )
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    closed_by = models.CharField("完成环节", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件期限"
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.case.case_no} {self.name} 届满 {self.due}"


class Suspension(models.Model):
    """A period during which a case's time limits do not run."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    begin = models.DateField("中止日期")
    end = models.DateField("恢复日期", null=True, blank=True)
    reason = models.TextField("中止理由")
    basis = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国家知识产权局无效宣告请求受理通知书文号"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    resumed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "案件中止"
        ordering = ["begin", "pk"]


class DeadlineExtension(AppendOnlyModel):
    """An approved extension of a time limit (append-only)."""

    deadline = models.ForeignKey(CaseDeadline, on_delete=models.PROTECT, related_name="extensions")
    amount = models.PositiveIntegerField("延长")
    reason = models.TextField("理由")
    approval_ref = models.CharField("审批文号", max_length=100)
    approved_by = models.ForeignKey(USER, verbose_name="批准人", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(USER, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    old_due = models.DateField("原届满日")
    new_due = models.DateField("新届满日")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "期限延长审批"


# ---------------------------------------------------------------- full-process record


class EvidenceRecord(AppendOnlyModel):
    """One append-only entry of the full-process record; chained by hash so that removal is detectable."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    seq = models.PositiveIntegerField("序号")
    stage = models.CharField("环节", max_length=20, choices=EvidenceStage.choices)
    kind = models.CharField("类别", max_length=10, choices=EvidenceKind.choices)
    title = models.CharField("名称", max_length=200)
    file_name = models.CharField("原文件名", max_length=255)
    stored_path = models.CharField("存储路径", max_length=300)
    size = models.BigIntegerField("大小（字节）")
    mime = models.CharField("文件类型", max_length=80)
    algorithm = models.CharField("摘要算法", max_length=10, default="sha256")
    file_hash = models.CharField("文件摘要", max_length=64)
    captured_at = models.DateTimeField("采集时间")
    officers = models.CharField("执法人员", max_length=300)
    officer_ids = models.JSONField("执法人员账号", default=list)
    device = models.CharField("采集设备", max_length=100, blank=True)
    location = models.CharField("采集地点", max_length=200, blank=True)
    approved_by = models.CharField("批准人（查封扣押）", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间")
    prev_hash = models.CharField("前一条记录哈希", max_length=64)
    record_hash = models.CharField("记录哈希", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "执法全过程记录"
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="evidence_case_seq")]

    def __str__(self):
        return f"{self.case.case_no} #{self.seq} {self.title}"


class IntakeAttachment(AppendOnlyModel):
    """A file the requester attached to a 12330 request (photo, screenshot, document), stored like evidence with its
    digest; shown to the handling officers, and by name only to the requester on the tracking page."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="attachments")
    seq = models.PositiveSmallIntegerField("序号")
    file_name = models.CharField("原文件名", max_length=255)
    stored_path = models.CharField("存储路径", max_length=300)
    size = models.BigIntegerField("大小（字节）")
    mime = models.CharField("文件类型", max_length=80)
    algorithm = models.CharField("摘要算法", max_length=10, default="sha256")
    file_hash = models.CharField("文件摘要", max_length=64)
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = verbose_name_plural = "12330登记附件"
        ordering = ["intake", "seq"]
        constraints = [models.UniqueConstraint(fields=["intake", "seq"], name="intake_attachment_seq")]

    def __str__(self):
        return f"{self.intake.tracking_no} #{self.seq} {self.file_name}"


# ---------------------------------------------------------------- around the cases


class ConflictDeclaration(AppendOnlyModel):
    """An expert's declaration of (no) conflict of interest for a case (append-only)."""

    expert = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conflict_declarations")
    has_conflict = models.BooleanField("存在利益冲突")
    statement = models.TextField("声明内容")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "利益冲突声明"
        ordering = ["-declared_at"]


class Consultation(models.Model):
    """A request to an expert for an infringement-determination opinion."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations")
    expert = models.ForeignKey(
        USER, verbose_name="专家", on_delete=models.PROTECT, related_name="protection_consultations"
    )
    question = models.TextField("咨询问题")
    answer = models.TextField("专家意见", blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=ConsultationState.choices, default=ConsultationState.REQUESTED
    )
    asked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    scope_paths = {"owner": ["expert", "asked_by"]}

    class Meta:
        verbose_name = verbose_name_plural = "专家咨询"
        ordering = ["-asked_at"]


class AgencyTransfer(models.Model):
    """A transfer, notification or assistance request to a partner agency or another region, with its receipt."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agency_transfers")
    kind = models.CharField("类别", max_length=10, choices=TransferKind.choices)
    to_org = models.ForeignKey("core.Organization", verbose_name="接收单位", on_delete=models.PROTECT, related_name="+")
    content = models.TextField("内容")
    documents = models.CharField("随附材料", max_length=300, blank=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    receipt_at = models.DateTimeField("回执时间", null=True, blank=True)
    receipt_by = models.CharField("回执签收人", max_length=60, blank=True)
    receipt_note = models.TextField("回执内容", blank=True)
    recorded_receipt_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "协作移送与通报"
        ordering = ["-sent_at"]
