from django.db import models


class Category(models.TextChoices):
    NOTICE = "notice", "通知公告"
    NEWS = "news", "工作动态"
    POLICY = "policy", "政策法规"
    MEDIA = "media", "媒体报道"
    WEEK = "week", "宣传周"


class ArticleState(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class EventKind(models.TextChoices):
    IP_WEEK = "ip_week", "知识产权宣传周"
    PATENT_WEEK = "patent_week", "专利周"
    LECTURE = "lecture", "讲座培训"
    OTHER = "other", "其他活动"


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", "已报送"
    ADOPTED = "adopted", "已采用"
    NOT_ADOPTED = "not_adopted", "未采用"


class AdoptionLevel(models.TextChoices):
    OFFICE = "office", "省局信息采用"
    PROVINCE = "province", "报省委省政府采用"
    NATIONAL = "national", "报国家知识产权局采用"
