from django.contrib import admin

from dangvu.core.admin import WorkflowRecordAdmin

from .models import DisciplineCase


@admin.register(DisciplineCase)
class DisciplineCaseAdmin(WorkflowRecordAdmin):
    list_display = ["member", "form", "decided_on", "decision_number", "deciding_body", "lifted_on"]
    list_filter = ["form"]
    search_fields = ["decision_number", "member__full_name", "member__card_number"]
    raw_id_fields = ["member"]
    date_hierarchy = "decided_on"
