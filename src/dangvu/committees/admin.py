from django.contrib import admin

from dangvu.core.admin import ReadOnlyHistoryAdmin, WorkflowRecordAdmin

from .models import (
    ChecklistTemplateItem,
    Committee,
    CommitteeSeat,
    CommitteeSeatQuota,
    Congress,
    CongressChecklistItem,
    Term,
)


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(ReadOnlyHistoryAdmin):
    """The default preparation list of a congress: the administrator edits it here."""

    list_display = ["order", "title", "is_active"]
    list_editable = ["title", "is_active"]
    list_display_links = ["order"]


@admin.register(Term)
class TermAdmin(WorkflowRecordAdmin):
    list_display = ["organization", "name", "start_date", "end_date"]
    raw_id_fields = ["organization"]
    search_fields = ["organization__name", "name"]


@admin.register(Congress)
class CongressAdmin(WorkflowRecordAdmin):
    list_display = ["organization", "term_name", "kind", "planned_date", "held_date", "status"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["organization", "term"]


@admin.register(CongressChecklistItem)
class CongressChecklistItemAdmin(WorkflowRecordAdmin):
    list_display = ["congress", "title", "done", "done_on"]
    raw_id_fields = ["congress", "done_by"]


@admin.register(Committee)
class CommitteeAdmin(WorkflowRecordAdmin):
    list_display = ["organization", "term", "body", "formed_on", "decision_number"]
    list_filter = ["body"]
    raw_id_fields = ["organization", "term"]


@admin.register(CommitteeSeatQuota)
class CommitteeSeatQuotaAdmin(WorkflowRecordAdmin):
    list_display = ["committee", "position", "approved"]
    raw_id_fields = ["committee"]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(WorkflowRecordAdmin):
    list_display = ["committee", "member", "position", "start_date", "end_date", "end_reason"]
    list_filter = ["position", "start_kind", "end_reason"]
    raw_id_fields = ["committee", "member"]
