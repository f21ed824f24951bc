from django.db import models


class PatentType(models.TextChoices):
    INVENTION = "invention", "发明"
    UTILITY = "utility", "实用新型"
    DESIGN = "design", "外观设计"


class EntityType(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "大专院校"
    INSTITUTE = "institute", "科研单位"
    GOVERNMENT = "government", "机关团体"
    INDIVIDUAL = "individual", "个人"
    UNKNOWN = "unknown", "未识别"


class LegalEventCode(models.TextChoices):
    PUBLICATION = "publication", "公开"
    EXAMINATION = "examination", "实质审查"
    GRANT = "grant", "授权"
    REJECTION = "rejection", "驳回"
    WITHDRAWAL = "withdrawal", "撤回"
    DEEMED_WITHDRAWN = "deemed_withdrawn", "视为撤回"
    FEE_LAPSE = "fee_lapse", "未缴年费终止"
    INVALIDATION_REQUEST = "invalidation_request", "无效宣告请求"
    INVALIDATED = "invalidated", "无效"
    PARTIALLY_INVALIDATED = "partially_invalidated", "部分无效"
    EXPIRY = "expiry", "届满"
    ABANDONED = "abandoned", "放弃"
    TRANSFER = "transfer", "权利转移"
    PLEDGE = "pledge", "质押"
    PLEDGE_RELEASE = "pledge_release", "质押解除"
    LICENSE = "license", "许可"
    LICENSE_END = "license_end", "许可终止"
    PRESERVATION = "preservation", "保全"
    PRESERVATION_END = "preservation_end", "保全解除"
    OPEN_LICENSE = "open_license", "开放许可声明"
    OPEN_LICENSE_WITHDRAWN = "open_license_withdrawn", "开放许可撤回"
    FEE_PAID = "fee_paid", "年费缴纳"
    SUSPENSION = "suspension", "权属纠纷中止"
    SUSPENSION_END = "suspension_end", "中止结束"
    # A status read from an export's status column (法律状态, 当前法律状态, 专利有效性): what the source said on the
    # day it was exported, not a dated event (LegalEvent.date_is_as_of says so).
    STATUS_VALID = "status_valid", "来源状态：有效"
    STATUS_PENDING = "status_pending", "来源状态：审中"
    STATUS_LAPSED = "status_lapsed", "来源状态：失效"
    STATUS_OTHER = "status_other", "来源状态：其他"


# Events after which the right no longer exists.
TERMINATING_EVENTS = frozenset(
    {
        LegalEventCode.REJECTION,
        LegalEventCode.WITHDRAWAL,
        LegalEventCode.DEEMED_WITHDRAWN,
        LegalEventCode.FEE_LAPSE,
        LegalEventCode.INVALIDATED,
        LegalEventCode.EXPIRY,
        LegalEventCode.ABANDONED,
        LegalEventCode.STATUS_LAPSED,
    }
)

# Status words of the exports (Patentics 法律状态, incoPat 当前法律状态 / 专利有效性) -> event code. Patentics' 无效 and
# incoPat's 失效 mean "no longer in force" (any cause), not a declared invalidation, hence STATUS_LAPSED.
STATUS_WORDS = {
    "有效": LegalEventCode.STATUS_VALID,
    "授权": LegalEventCode.STATUS_VALID,
    "公开": LegalEventCode.STATUS_PENDING,
    "实质审查": LegalEventCode.STATUS_PENDING,
    "审中": LegalEventCode.STATUS_PENDING,
    "无效": LegalEventCode.STATUS_LAPSED,
    "失效": LegalEventCode.STATUS_LAPSED,
    "驳回": LegalEventCode.REJECTION,
    "撤回": LegalEventCode.WITHDRAWAL,
}


class LegalStatus(models.TextChoices):
    PENDING = "pending", "审中"
    VALID = "valid", "有效"
    INVALID = "invalid", "失效"
    UNKNOWN = "unknown", "未知"


class RegionMethod(models.TextChoices):
    POSTCODE_ADDRESS = "postcode+address", "邮编与地址一致"
    ADDRESS_COUNTY = "address_county", "地址匹配到县级"
    ADDRESS_CITY = "address_city", "地址匹配到市级"
    ADDRESS_PROVINCE = "address_province", "地址匹配到省级"
    POSTCODE = "postcode", "仅邮编"
    APPLICANT_NAME = "applicant_name", "申请人名称含地名"
    MANUAL = "manual", "人工指定"
    NONE = "none", "未归属"


# Events that say nothing about whether a granted right is still in force: a record with only these rests its 有效 on
# the presumption (VALIDITY_PRESUMPTION). A source's "其他" status is such a non-statement.
NO_STATUS_EVENTS = (LegalEventCode.PUBLICATION, LegalEventCode.GRANT, LegalEventCode.STATUS_OTHER)
