from django.contrib import admin

from .models import Applicant, ColumnMapping, ImportRun, LegalEvent, Patent, PatentApplicant, Publication


class PatentApplicantInline(admin.TabularInline):
    model = PatentApplicant
    extra = 0
    raw_id_fields = ["applicant"]


class PublicationInline(admin.TabularInline):
    model = Publication
    extra = 0


class LegalEventInline(admin.TabularInline):
    model = LegalEvent
    extra = 0


@admin.register(Patent)
class PatentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "patent_type",
        "application_date",
        "applicants_text",
        "region_code",
        "legal_status",
        "source",
        "is_synthetic",
    ]
    list_filter = ["patent_type", "legal_status", "source", "is_synthetic", "region_method"]
    search_fields = ["id", "application_number", "publication_number", "title", "applicants_text"]
    raw_id_fields = ["first_applicant"]
    inlines = [PatentApplicantInline, PublicationInline, LegalEventInline]
    show_full_result_count = False


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ["name", "entity_type", "entity_type_manual", "region_code", "region_method", "patent_count"]
    list_filter = ["entity_type", "region_method"]
    search_fields = ["name"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "file_name",
        "format",
        "mode",
        "status",
        "read",
        "created",
        "updated",
        "rejected",
        "started_at",
    ]
    readonly_fields = [f.name for f in ImportRun._meta.fields]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "source_label", "updated_at"]
