from django.db import models


class Measure(models.TextChoices):
    APPLICATION = "app", "申请"
    GRANT = "grant", "授权"
    END = "end", "失效（授权后终止或届满）"


class Divisions(models.TextChoices):
    Y2015 = "2015", "2015年区划（17市，含莱芜市）"
    CURRENT = "current", "现行区划（16市，莱芜并入济南）"


class TargetStatus(models.TextChoices):
    MET = "met", "已完成"
    ON_TRACK = "on_track", "进度正常"
    BEHIND = "behind", "滞后"
    INSUFFICIENT = "insufficient", "数据不足"


class ReportStatus(models.TextChoices):
    PENDING = "pending", "生成中"
    DONE = "done", "已生成"
    FAILED = "failed", "失败"


# Area buckets besides the 17 city codes of 2015.
AREA_PROVINCE_ONLY = "370000"  # first applicant in Shandong, city not determined
AREA_NONE = "none"  # no region attributed
AREA_OUTSIDE = "out"  # first applicant outside the province
