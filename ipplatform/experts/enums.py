from django.db import models


class ExpertUse(models.TextChoices):
    PROTECTION = "protection", "侵权判定与维权"
    NAVIGATION = "navigation", "专利导航"
    AWARDS = "awards", "专利奖评审"
    REVIEWS = "reviews", "项目评审"


class ConflictKind(models.TextChoices):
    EMPLOYMENT = "employment", "任职/雇佣"
    FORMER_EMPLOYMENT = "former", "近三年曾任职"
    FAMILY = "family", "近亲属任职或持股"
    INVESTMENT = "investment", "投资持股"
    AGENCY = "agency", "代理或顾问关系"
    COOPERATION = "cooperation", "合作研发"
    OTHER = "other", "其他"
