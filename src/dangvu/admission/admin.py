from django.contrib import admin

from dangvu.core.admin import ReadOnlyHistoryAdmin, WorkflowRecordAdmin

from .models import AdmissionStep, AdmissionTarget, Candidate, Introducer


@admin.register(Candidate)
class CandidateAdmin(WorkflowRecordAdmin):
    list_display = ["full_name", "organization", "status", "current_step", "next_due"]
    list_filter = ["status", "current_step"]
    search_fields = ["full_name", "citizen_id"]
    raw_id_fields = ["organization", "member"]


@admin.register(AdmissionStep)
class AdmissionStepAdmin(WorkflowRecordAdmin):
    list_display = ["candidate", "kind", "date", "decision_number", "passed"]
    list_filter = ["kind"]
    raw_id_fields = ["candidate"]


@admin.register(Introducer)
class IntroducerAdmin(WorkflowRecordAdmin):
    list_display = ["candidate", "kind", "member", "months_together", "resolution_number"]
    raw_id_fields = ["candidate", "member"]


@admin.register(AdmissionTarget)
class AdmissionTargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organization", "year", "number"]
    list_filter = ["year"]
    raw_id_fields = ["organization"]
