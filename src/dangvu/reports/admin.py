from django.contrib import admin

from dangvu.core.admin import ReadOnlyHistoryAdmin

from .models import GeneratedReport


@admin.register(GeneratedReport)
class GeneratedReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["id", "kind", "organization", "date_from", "date_to", "format", "status",
                    "created_by", "created_at"]  # fmt: skip
    list_filter = ["kind", "status", "format"]
    raw_id_fields = ["organization", "created_by"]
    readonly_fields = ["progress", "started_at", "finished_at", "file_name"]
