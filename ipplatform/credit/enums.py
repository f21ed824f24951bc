from django.db import models


class EventKind(models.TextChoices):
    ADJUDICATED_INFRINGEMENT = "infringement", "行政裁决认定侵犯专利权"
    COUNTERFEIT_PENALTY = "counterfeit", "假冒专利受到行政处罚"
    ABNORMAL_APPLICATION = "abnormal", "非正常专利申请"
    SUBSIDY_FRAUD = "subsidy_fraud", "骗取、套取知识产权资助奖励资金"
    FALSE_STATEMENT = "false_statement", "提交虚假材料或作出虚假承诺"
    CERTIFICATION = "certification", "通过知识产权管理体系认证"
    COMPLIANCE = "compliance", "信用承诺履行与合规"


class EventSource(models.TextChoices):
    MANUAL = "manual", "人工登记"
    PROTECTION = "protection", "维权执法案件"
    FINANCE = "finance", "补助审核"
    CENSUS = "census", "普查核查"


class EventState(models.TextChoices):
    VALID = "valid", "有效"
    WITHDRAWN = "withdrawn", "已撤销"


class ListState(models.TextChoices):
    PROPOSED = "proposed", "拟列入（告知陈述申辩）"
    LISTED = "listed", "已列入并公示"
    APPEALING = "appealing", "异议复核中"
    REPAIR_REQUESTED = "repair", "信用修复申请中"
    REPAIRED = "repaired", "信用修复后提前移出"
    EXPIRED = "expired", "期满移出"
    REVOKED = "revoked", "撤销列入"
    DROPPED = "dropped", "不予列入"


# States in which the entry blocks subsidies, programmes and awards.
BLOCKING_STATES = [ListState.LISTED, ListState.APPEALING, ListState.REPAIR_REQUESTED]
