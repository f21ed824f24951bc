from django.db import models


class DealType(models.TextChoices):
    ASSIGNMENT = "assignment", "转让"
    EXCLUSIVE = "exclusive", "独占许可"
    SOLE = "sole", "排他许可"
    ORDINARY = "ordinary", "普通许可"
    OPEN = "open", "开放许可"


LICENCE_TYPES = frozenset({DealType.EXCLUSIVE, DealType.SOLE, DealType.ORDINARY, DealType.OPEN})
EXCLUSIVE_TYPES = frozenset({DealType.EXCLUSIVE, DealType.SOLE})


class Maturity(models.TextChoices):
    CONCEPT = "concept", "原理/实验室阶段"
    PROTOTYPE = "prototype", "小试/样机"
    PILOT = "pilot", "中试"
    INDUSTRIAL = "industrial", "已产业化"


class ListingState(models.TextChoices):
    PUBLISHED = "published", "挂牌中"
    SUSPENDED = "suspended", "暂停"
    CLOSED = "closed", "已成交"
    WITHDRAWN = "withdrawn", "已撤牌"


class DemandState(models.TextChoices):
    OPEN = "open", "征集中"
    MATCHED = "matched", "已对接"
    CLOSED = "closed", "已关闭"


class AccessState(models.TextChoices):
    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "已拒绝"


class FeeMethod(models.TextChoices):
    LUMP_SUM = "lump_sum", "一次性支付（入门费）"
    ANNUAL = "annual", "按年支付固定费用"
    ROYALTY = "royalty", "按销售额提成"
    COMBINED = "combined", "入门费加提成"


class DeclarationState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    PUBLISHED = "published", "已公告"
    WITHDRAWN = "withdrawn", "已撤回"


class DealState(models.TextChoices):
    INQUIRY = "inquiry", "意向洽询"
    NEGOTIATION = "negotiation", "商务谈判"
    CONTRACT = "contract", "合同签订"
    REGISTRATION = "registration", "登记备案"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"


class EventKind(models.TextChoices):
    FAIR = "fair", "交易会"
    MATCHMAKING = "matchmaking", "对接会"
    ROADSHOW = "roadshow", "路演"


class ParticipantRole(models.TextChoices):
    SUPPLY = "supply", "技术供方"
    DEMAND = "demand", "技术需方"
    SERVICE = "service", "服务机构"
    VISITOR = "visitor", "观众"
