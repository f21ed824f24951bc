from django.db import models


class Audience(models.TextChoices):
    ENTERPRISE = "enterprise", "企业知识产权管理人员"
    AGENT = "agent", "专利代理人员"
    ENFORCEMENT = "enforcement", "执法人员"
    PUBLIC = "public", "社会公众"


class Topic(models.TextChoices):
    LAW = "law", "法律法规"
    PRACTICE = "practice", "实务技能"
    ENFORCEMENT = "enforcement", "执法办案"
    POLICY = "policy", "政策解读"
    USE = "use", "运用与运营"


class EnrolMode(models.TextChoices):
    OPEN = "open", "自由报名"
    APPROVAL = "approval", "报名审核"
    ASSIGNED = "assigned", "仅限指派"


class ChapterKind(models.TextChoices):
    VIDEO = "video", "视频"
    DOCUMENT = "document", "文档"
    TEXT = "text", "图文"


class EnrolState(models.TextChoices):
    PENDING = "pending", "待审核"
    ACTIVE = "active", "学习中"
    COMPLETED = "completed", "已完成"
    REJECTED = "rejected", "未通过审核"


class TargetKind(models.TextChoices):
    ORGANIZATION = "organization", "单位"
    DEPARTMENT = "department", "省局处室"
    CITY = "city", "城市"
    ROLE = "role", "角色"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    JUDGE = "judge", "判断题"
    FILL = "fill", "填空题"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", "答题中"
    SUBMITTED = "submitted", "已交卷"
    EXPIRED = "expired", "超时交卷"


class RecordCategory(models.TextChoices):
    AGENT_CE = "agent_ce", "专利代理师继续教育"
    ENFORCEMENT = "enforcement", "执法能力培训"
    PRE_EXAM = "pre_exam", "考前培训"
    SKILLS = "skills", "业务技能培训"
    GENERAL = "general", "其他培训"


class RecordSource(models.TextChoices):
    ONLINE = "online", "线上课程"
    CLASS = "class", "线下培训班"
