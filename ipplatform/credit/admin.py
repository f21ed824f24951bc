from django.contrib import admin

from .models import CreditRule


@admin.register(CreditRule)
class CreditRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "event_kind", "name", "points", "cap", "years", "is_active"]
