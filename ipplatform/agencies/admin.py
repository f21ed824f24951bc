from django.contrib import admin

from .models import Agency, RatingGrade, RatingRule


@admin.register(RatingRule)
class RatingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "metric",
        "comparator",
        "threshold",
        "param",
        "points",
        "cap",
        "incident_kind",
        "is_active",
    ]


@admin.register(RatingGrade)
class RatingGradeAdmin(admin.ModelAdmin):
    list_display = ["grade", "min_score", "meaning"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["organization", "licence_no", "agency_code", "is_active"]
    search_fields = ["organization__name", "licence_no", "agency_code"]
