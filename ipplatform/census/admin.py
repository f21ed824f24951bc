from django.contrib import admin

from .models import Questionnaire


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Listed for reference; a new version is loaded with census.services.load_questionnaire (published versions stay as sent)."""

    list_display = ["code", "version", "title", "is_published", "created_at"]
    readonly_fields = ["code", "version", "title", "description", "created_by"]
