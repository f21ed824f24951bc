"""Choices of the rights-protection app: intake channels and kinds, case types, states, outcomes."""

from django.db import models


class Channel(models.TextChoices):
    PHONE = "phone", "12330电话"
    WEB = "web", "网上提交"
    LETTER = "letter", "来信"
    WALK_IN = "walk_in", "来访"


class IntakeKind(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    ASSISTANCE = "assistance", "维权援助申请"
    OUT_OF_SCOPE = "out_of_scope", "不属于受理范围"


class IntakeState(models.TextChoices):
    RECEIVED = "received", "已登记"
    ROUTED = "routed", "已分派至主管部门"
    CONVERTED = "converted", "已立案办理"
    ANSWERED = "answered", "已答复"
    OUT_OF_SCOPE = "out_of_scope", "已告知不属受理范围"


class CaseType(models.TextChoices):
    INFRINGEMENT = "infringement", "专利侵权纠纷行政裁决"
    COUNTERFEIT = "counterfeit", "假冒专利案件查处"
    ECOMMERCE = "ecommerce", "电商平台专利侵权投诉"
    POLICE_TRANSFER = "police_transfer", "涉嫌犯罪案件移送"


CASE_NO_PREFIX = {
    CaseType.INFRINGEMENT: "鲁知裁",
    CaseType.COUNTERFEIT: "鲁知假",
    CaseType.ECOMMERCE: "鲁知电",
    CaseType.POLICE_TRANSFER: "鲁知移",
}


class CaseState(models.TextChoices):
    # 专利侵权纠纷
    REQUESTED = "requested", "待受理审查"
    CORRECTING = "correcting", "补正中"
    ACCEPTED = "accepted", "已受理"
    DEFENCE = "defence", "答辩期"
    INVESTIGATING = "investigating", "调查取证"
    HEARING_SCHEDULED = "hearing_scheduled", "已通知口头审理"
    DELIBERATING = "deliberating", "合议审理"
    DECIDED = "decided", "已作出决定"
    MEDIATED = "mediated", "已调解"
    SERVED = "served", "已送达"
    LITIGATION = "litigation", "当事人已起诉"
    FINAL = "final", "决定已生效"
    COURT_ENFORCEMENT = "court_enforcement", "申请法院强制执行"
    REFUSED = "refused", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"
    SUSPENDED = "suspended", "中止"
    CLOSED = "closed", "已结案"
    # 假冒专利
    CLUE = "clue", "线索登记"
    FILED = "filed", "已立案"
    NOT_FILED = "not_filed", "不予立案"
    REPORTED = "reported", "调查终结报告"
    REVIEWED = "reviewed", "法制审核完成"
    PRE_DECISION = "pre_decision", "已告知陈述申辩"
    HEARING = "hearing", "听证"
    TRANSFERRED_POLICE = "transferred_police", "已移送公安机关"
    EXECUTED = "executed", "已执行"
    PUBLICIZED = "publicized", "已信用公示"
    ARCHIVED = "archived", "已归档"
    # 电商平台投诉
    NOTICE_RECEIVED = "notice_received", "已接收投诉通知"
    DETERMINING = "determining", "侵权判定中"
    AWAITING_COUNTER = "awaiting_counter", "已转送待声明"
    COUNTER_RECEIVED = "counter_received", "已收到不侵权声明"
    WAITING_PERIOD = "waiting_period", "等待期（15日）"
    LIFTED = "lifted", "已终止措施"
    MAINTAINED = "maintained", "维持措施"
    # 移送公安
    SUSPICION = "suspicion", "发现涉嫌犯罪"
    TASK_GROUP = "task_group", "专案组核查"
    REPORT_PENDING = "report_pending", "待负责人审批"
    APPROVED = "approved", "已批准移送"
    TRANSFERRED = "transferred", "已移送公安"
    POLICE_ACCEPTED = "police_accepted", "公安已立案"
    POLICE_DECLINED = "police_declined", "公安不予立案"
    RECONSIDERATION = "reconsideration", "提请复议中"
    NOT_TRANSFERRED = "not_transferred", "决定不移送"


INITIAL_STATE = {
    CaseType.INFRINGEMENT: CaseState.REQUESTED,
    CaseType.COUNTERFEIT: CaseState.CLUE,
    CaseType.ECOMMERCE: CaseState.NOTICE_RECEIVED,
    CaseType.POLICE_TRANSFER: CaseState.SUSPICION,
}

TERMINAL_STATES = frozenset(
    {
        CaseState.REFUSED,
        CaseState.WITHDRAWN,
        CaseState.CLOSED,
        CaseState.NOT_FILED,
        CaseState.ARCHIVED,
        CaseState.LIFTED,
        CaseState.MAINTAINED,
        CaseState.NOT_TRANSFERRED,
    }
)


class Outcome(models.TextChoices):
    NONE = "", "—"
    STOP_INFRINGEMENT = "stop_infringement", "责令停止侵权"
    DISMISS = "dismiss", "驳回请求"
    MEDIATED = "mediated", "调解结案"
    PENALTY = "penalty", "行政处罚"
    NO_PENALTY = "no_penalty", "不予处罚"
    TRANSFERRED = "transferred", "移送公安"
    LIFTED = "lifted", "终止措施"
    MAINTAINED = "maintained", "维持措施"
    POLICE_ACCEPTED = "police_accepted", "公安立案"
    POLICE_DECLINED = "police_declined", "公安不予立案"
    NOT_TRANSFERRED = "not_transferred", "不移送"
    REFUSED = "refused", "不予受理"
    NOT_FILED = "not_filed", "不予立案"
    WITHDRAWN = "withdrawn", "撤回"


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "wd", "工作日"
    CALENDAR_DAYS = "cd", "自然日"
    MONTHS = "month", "月"
    HOURS = "hour", "小时"


class RuleKind(models.TextChoices):
    DEADLINE = "deadline", "办理期限"
    MIN_NOTICE = "min_notice", "最短提前通知期"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "进行中"
    MET = "met", "已完成"
    SUPERSEDED = "superseded", "重新起算"
    CANCELLED = "cancelled", "已终止"


class EvidenceStage(models.TextChoices):
    INTAKE = "intake", "受理"
    INVESTIGATION = "investigation", "调查取证"
    INSPECTION = "inspection", "现场检查"
    INQUIRY = "inquiry", "询问"
    SEALING = "sealing", "查封扣押"
    HEARING = "hearing", "口头审理/听证"
    DECISION = "decision", "决定"
    SERVICE = "service", "送达"
    EXECUTION = "execution", "执行"
    TRANSFER = "transfer", "移送"
    OTHER = "other", "其他"


ON_SITE_STAGES = frozenset(
    {EvidenceStage.INSPECTION, EvidenceStage.INQUIRY, EvidenceStage.SEALING, EvidenceStage.EXECUTION}
)


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", "文书"
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    OTHER = "other", "其他"


class TransferKind(models.TextChoices):
    TRANSFER = "transfer", "案件移送"
    NOTICE = "notice", "案情通报"
    ASSIST = "assist", "协查请求"
    INFO = "info", "信息共享"


class ConsultationState(models.TextChoices):
    REQUESTED = "requested", "待答复"
    ANSWERED = "answered", "已答复"
    DECLINED = "declined", "回避/谢绝"


POLICE_TRANSFER_DOCUMENTS = [
    ("transfer_letter", "涉嫌犯罪案件移送书"),
    ("investigation_report", "涉嫌犯罪案件情况的调查报告"),
    ("items_list", "涉案物品清单"),
    ("inspection_report", "有关检验报告或者鉴定结论"),
    ("other_materials", "其他有关涉嫌犯罪的材料"),
]
