"""Programme types, policies and calls are data: the office's administrator maintains them here."""

from django.contrib import admin

from .models import Call, Policy, ProgrammeType


class PolicyInline(admin.TabularInline):
    """Shown, not edited: policies are entered on the 资助政策 page, which refuses bad amounts, freezes a policy in
    use and audits every change."""

    model = Policy
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgrammeType)
class ProgrammeTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "claims_patents", "notice_days", "is_active"]
    inlines = [PolicyInline]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "year", "opens_on", "closes_on", "budget", "is_demo"]
    list_filter = ["programme", "year"]
    readonly_fields = ["notice_start", "notice_end", "notice_closed", "created_by"]
