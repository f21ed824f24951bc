from django.db import models


class PledgeState(models.TextChoices):
    DRAFT = "draft", "待出质人确认"
    SUBMITTED = "submitted", "已提交待审查"
    DEFECT = "defect", "补正通知"
    RESUBMITTED = "resubmitted", "已补正待审查"
    REGISTERED = "registered", "已登记（生效）"
    REFUSED = "refused", "不予登记"
    CANCELLED = "cancelled", "已注销"
    DISPOSED = "disposed", "已处置"


ACTIVE_PLEDGE_STATES = (PledgeState.REGISTERED,)
REVIEW_STATES = (PledgeState.SUBMITTED, PledgeState.RESUBMITTED)


class Scenario(models.TextChoices):
    PLEDGE = "pledge", "质押融资"
    LICENSING = "licensing", "许可"
    TRANSFER = "transfer", "转让"


class IndicatorGroup(models.TextChoices):
    LEGAL = "legal", "法律价值度（LVD）"
    TECHNICAL = "technical", "技术价值度（TVD）"
    ECONOMIC = "economic", "经济价值度（EVD）"


class ValuationState(models.TextChoices):
    DRAFT = "draft", "评估中"
    COMPLETED = "completed", "已完成"


class SubsidyKind(models.TextChoices):
    INTEREST = "interest", "质押贷款贴息"
    PREMIUM = "premium", "专利保险保费补助"


class RuleMode(models.TextChoices):
    INTEREST_SHARE = "interest_share", "按实付利息比例"
    LPR_SHARE = "lpr_share", "按贷款市场报价利率（LPR）计息比例"
    PREMIUM_SHARE = "premium_share", "按实缴保费比例"


class DefaultState(models.TextChoices):
    REPORTED = "reported", "已报告待审核"
    APPROVED = "approved", "已核定待拨付"
    REJECTED = "rejected", "不予补偿"
    PAID = "paid", "已拨付"
