from django.contrib import admin

from dangvu.core.admin import WorkflowRecordAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(WorkflowRecordAdmin):
    list_display = [
        "original_name",
        "organization",
        "created_by",
        "created_at",
        "status",
        "total_rows",
        "new_count",
        "update_count",
        "error_count",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["original_name", "organization__name", "organization__code"]
    raw_id_fields = ["organization", "created_by", "committed_by"]
    date_hierarchy = "created_at"
