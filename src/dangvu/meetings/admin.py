from django.contrib import admin

from dangvu.core.admin import ReadOnlyHistoryAdmin, WorkflowRecordAdmin

from .models import (
    AgendaTemplate,
    Assignment,
    Attendance,
    ChecklistTemplate,
    Finding,
    FindingNote,
    Meeting,
    MeetingDocument,
    Notification,
    ObserverVisit,
)


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "organization", "kind", "is_default"]
    raw_id_fields = ["organization"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "is_default"]


@admin.register(Meeting)
class MeetingAdmin(WorkflowRecordAdmin):
    list_display = ["organization", "kind", "scheduled_at", "status", "quality"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["organization", "chair", "minute_taker"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(WorkflowRecordAdmin):
    list_display = ["meeting", "kind", "title", "posted_at"]


@admin.register(Attendance)
class AttendanceAdmin(WorkflowRecordAdmin):
    list_display = ["meeting", "member", "category", "status"]
    raw_id_fields = ["meeting", "member"]


@admin.register(Assignment)
class AssignmentAdmin(WorkflowRecordAdmin):
    list_display = ["user", "organization", "valid_from", "valid_to"]


@admin.register(ObserverVisit)
class ObserverVisitAdmin(WorkflowRecordAdmin):
    list_display = ["meeting", "observer", "assessment", "recorded_at"]


@admin.register(Finding)
class FindingAdmin(WorkflowRecordAdmin):
    list_display = ["visit", "category", "deadline", "status"]
    list_filter = ["status", "category"]


@admin.register(FindingNote)
class FindingNoteAdmin(WorkflowRecordAdmin):
    list_display = ["finding", "date", "author"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


from .feeds import CalendarFeed  # noqa: E402


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Secret calendar addresses: an administrator can see who has one and delete it (the user
    then gets a new address); the token itself is not shown."""

    list_display = ["user", "created_at", "last_used_at"]
    exclude = ["token"]
    readonly_fields = ["created_at", "last_used_at"]
    raw_id_fields = ["user"]
