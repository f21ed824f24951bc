from django.contrib import admin

from .models import AgencyHead, DeadlineRule, DocumentTemplate


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "case_type", "name", "amount", "unit", "max_extension", "is_active"]
    list_filter = ["case_type", "unit", "is_active"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "case_types", "updated_at"]


@admin.register(AgencyHead)
class AgencyHeadAdmin(admin.ModelAdmin):
    list_display = ("organization", "user", "capacity", "is_active")
    list_filter = ("capacity", "is_active")
    autocomplete_fields = ("organization", "user")
