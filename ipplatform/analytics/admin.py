from django.contrib import admin

from .models import IndexWeight, StatReport


@admin.register(IndexWeight)
class IndexWeightAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "weight", "updated_by", "updated_at")
    readonly_fields = ("key", "updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StatReport)
class StatReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "divisions", "include_synthetic", "status", "created_by", "created_at")
    list_filter = ("status", "year", "divisions")
    readonly_fields = [f.name for f in StatReport._meta.fields]
