from django.db import models


class Combine(models.TextChoices):
    UNION = "union", "满足任一条件（检索式 或 分类号/技术领域）"
    INTERSECTION = "intersection", "同时满足（检索式 且 分类号/技术领域）"


class ManualAction(models.TextChoices):
    INCLUDE = "include", "人工纳入"
    EXCLUDE = "exclude", "人工排除"


class SubjectKind(models.TextChoices):
    DATABASE = "db", "专题库"
    QUERY = "query", "检索式"
    APPLICANT = "applicant", "申请人"
    REGION = "region", "地区"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "待生成"
    READY = "ready", "已生成"
    FAILED = "failed", "生成失败"
