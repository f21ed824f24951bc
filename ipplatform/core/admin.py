from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    AuditEvent,
    Division,
    DivisionChange,
    IPCEntry,
    Organization,
    Population,
    StateTransition,
    TechField,
    User,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region_code", "uscc", "parent", "is_active")
    list_filter = ("kind", "is_active", "is_sme")
    search_fields = ("name", "short_name", "uscc", "region_code")
    autocomplete_fields = ("parent",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "real_name", "role", "organization", "is_active", "is_demo", "last_login")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "real_name", "organization__name")
    autocomplete_fields = ("organization",)
    fieldsets = BaseUserAdmin.fieldsets + (
        ("平台角色", {"fields": ("real_name", "phone", "organization", "role", "expert_fields", "is_demo")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("平台角色", {"fields": ("real_name", "organization", "role")}),)

    def save_model(self, request, obj, form, change):
        obj.full_clean(exclude=["password"])
        super().save_model(request, obj, form, change)


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ("region_code", "region_name", "year", "population", "boundary", "source")
    list_filter = ("year",)
    search_fields = ("region_code", "region_name")


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("revision", "code", "name", "level", "parent_code")
    list_filter = ("revision", "level")
    search_fields = ("code", "name")


admin.site.register(DivisionChange)


@admin.register(IPCEntry)
class IPCEntryAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "title_zh", "title_source")
    list_filter = ("level", "title_source")
    search_fields = ("code", "title_zh", "title_en")


@admin.register(TechField)
class TechFieldAdmin(admin.ModelAdmin):
    list_display = ("number", "sector_zh", "name_zh", "name_en")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "actor_name", "ip", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_type", "object_id", "object_repr")


@admin.register(StateTransition)
class StateTransitionAdmin(ReadOnlyAdmin):
    list_display = ("at", "content_type", "object_id", "transition", "source", "target", "actor_name", "reason")
