from django.contrib import admin

from .models import ConflictOfInterest, Expert


class ConflictInline(admin.TabularInline):
    model = ConflictOfInterest
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "employer_name", "ipc_codes", "industries", "is_active", "source"]
    search_fields = ["name", "ipc_codes", "keywords", "employer_name"]
    list_filter = ["is_active"]
    inlines = [ConflictInline]
