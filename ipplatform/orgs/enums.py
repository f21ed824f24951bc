from django.db import models


class RegistrationState(models.TextChoices):
    PENDING = "pending", "待市局核验"
    VERIFIED = "verified", "已核验"
    REJECTED = "rejected", "未通过核验"


class ClaimKind(models.TextChoices):
    CURRENT = "current", "现用名称"
    FORMER = "former", "曾用名"


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", "待核验"
    VERIFIED = "verified", "已核验"
    REJECTED = "rejected", "未通过"
    REVOKED = "revoked", "已撤销"


class EvidenceKind(models.TextChoices):
    LICENCE = "licence", "营业执照/法人登记证书"
    NAME_CHANGE = "name_change", "名称变更核准通知书"
    TRANSFER = "transfer", "专利权转移登记手续合格通知书"
    OTHER = "other", "其他证明材料"


class CustodyState(models.TextChoices):
    PROPOSED = "proposed", "待企业确认"
    ACTIVE = "active", "托管中"
    DECLINED = "declined", "企业未同意"
    ENDED = "ended", "已到期"
    TERMINATED = "terminated", "已解除"


class CustodyService(models.TextChoices):
    FEES = "fees", "年费监控与代缴提醒"
    STATUS = "status", "法律状态监控"
    PORTFOLIO = "portfolio", "专利布局与管理咨询"
    FILING = "filing", "专利申请代理"
    TRANSFER = "transfer", "运营与转化对接"
    RIGHTS = "rights", "维权咨询"
