from django.contrib import admin

from dangvu.core.admin import ReadOnlyHistoryAdmin, WorkflowRecordAdmin

from .models import Organization, OrganizationEvent, OrganizationTypeLabel, OrganizationVersion


@admin.register(Organization)
class OrganizationAdmin(WorkflowRecordAdmin):
    list_display = ["code", "name", "org_type", "established_on", "dissolved_on", "depth"]
    list_filter = ["org_type"]
    search_fields = ["code", "name", "search_text"]
    ordering = ["path"]


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(WorkflowRecordAdmin):
    list_display = ["organization", "kind", "date", "decision_number", "related"]
    list_filter = ["kind"]
    search_fields = ["organization__name", "decision_number"]


@admin.register(OrganizationVersion)
class OrganizationVersionAdmin(WorkflowRecordAdmin):
    list_display = ["organization", "name", "parent", "valid_from", "valid_to"]
    search_fields = ["name", "code"]


@admin.register(OrganizationTypeLabel)
class OrganizationTypeLabelAdmin(ReadOnlyHistoryAdmin):
    list_display = ["org_type", "label", "short_label"]
