from django.contrib import admin

from dangvu.core.admin import WorkflowRecordAdmin

from .models import Member, MemberEvent, Membership, OrganizationStats


@admin.register(Member)
class MemberAdmin(WorkflowRecordAdmin):
    list_display = ["full_name", "date_of_birth", "status", "organization", "card_number"]
    list_filter = ["status", "gender"]
    search_fields = ["search_text", "card_number", "citizen_id"]
    raw_id_fields = ["organization", "user"]


@admin.register(MemberEvent)
class MemberEventAdmin(WorkflowRecordAdmin):
    list_display = ["member", "kind", "date", "decision_number", "organization"]
    list_filter = ["kind"]
    raw_id_fields = ["member", "organization", "to_organization"]


@admin.register(Membership)
class MembershipAdmin(WorkflowRecordAdmin):
    list_display = ["member", "organization", "kind", "valid_from", "valid_to"]
    raw_id_fields = ["member", "organization", "event"]


@admin.register(OrganizationStats)
class OrganizationStatsAdmin(admin.ModelAdmin):
    """Derived counts: read-only (rebuild with `manage.py refresh_stats`)."""

    list_display = [
        "organization",
        "active",
        "official",
        "probationary",
        "exempt",
        "male",
        "female",
        "updated_at",
    ]
    raw_id_fields = ["organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
