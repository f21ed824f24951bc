from django.db import models


class QType(models.TextChoices):
    TEXT = "text", "文本"
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "数值"
    CHOICE = "choice", "单选"
    MULTI = "multi", "多选"
    YESNO = "yesno", "是/否"
    DATE = "date", "日期"


NUMERIC = (QType.INTEGER, QType.DECIMAL)


class RoundState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SENT = "sent", "填报中"
    CLOSED = "closed", "已结束"


class ResponseState(models.TextChoices):
    PENDING = "pending", "未提交"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回修改"


class ResponseSource(models.TextChoices):
    NONE = "", "—"
    ONLINE = "online", "在线填报"
    EXCEL = "excel", "Excel导入"


SIZE_CHOICES = ["大型", "中型", "小型", "微型"]
