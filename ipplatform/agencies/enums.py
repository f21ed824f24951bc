from django.db import models


class Metric(models.TextChoices):
    GRANT_RATE = "grant_rate", "发明专利授权率（%）"
    TRAINING_SHORTFALL = "training_shortfall", "继续教育学时未达标代理师占比（%）"
    INCIDENTS = "incidents", "近三年不良记录（件）"
    HONOURS = "honours", "近三年表彰奖励（项）"
    AGENTS = "agents", "执业专利代理师（人）"


class Comparator(models.TextChoices):
    LT = "lt", "低于阈值时"
    GTE = "gte", "不低于阈值时"
    PER = "per", "每件/每项"


class IncidentKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    ABNORMAL = "abnormal", "代理非正常专利申请"
    COMPLAINT = "complaint", "投诉查实"
    DISCIPLINE = "discipline", "行业自律惩戒"
    HONOUR = "honour", "表彰奖励"


NEGATIVE_INCIDENTS = [IncidentKind.PENALTY, IncidentKind.ABNORMAL, IncidentKind.COMPLAINT, IncidentKind.DISCIPLINE]


class UnitState(models.TextChoices):
    DESIGNATED = "designated", "在册"
    REVOKED = "revoked", "已撤销"


class AllianceState(models.TextChoices):
    ACTIVE = "active", "运行中"
    DISSOLVED = "dissolved", "已解散"


class MemberRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    VICE = "vice", "副理事长单位"
    MEMBER = "member", "成员单位"
    SERVICE = "service", "服务机构成员"
