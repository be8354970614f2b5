from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Holiday, Rule


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History is shown, never reverted or edited (the audit trail is append-only)."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied


class WorkflowRecordAdmin(ReadOnlyHistoryAdmin):
    """Records governed by regulations change only through services: read-only here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rule)
class RuleAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "key",
        "value",
        "unit",
        "title",
        "source",
        "effective_from",
        "effective_to",
        "verified",
    ]
    list_filter = ["verified", "unit"]
    search_fields = ["key", "title", "source"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyHistoryAdmin):
    """Edited here or on the calendar page; every change is in the history."""

    list_display = ["date", "name", "is_day_off", "basis"]
    list_filter = ["is_day_off"]
    search_fields = ["name"]
    date_hierarchy = "date"
