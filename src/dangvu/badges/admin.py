from django.contrib import admin

from dangvu.core.admin import WorkflowRecordAdmin

from .models import BadgeAward, BadgeProposal


@admin.register(BadgeAward)
class BadgeAwardAdmin(WorkflowRecordAdmin):
    list_display = ["member", "tier", "occasion", "decision_number", "awarded_on", "early_reason"]
    list_filter = ["tier", "early_reason"]
    search_fields = ["decision_number", "member__full_name", "member__card_number"]
    raw_id_fields = ["member"]
    date_hierarchy = "occasion"


@admin.register(BadgeProposal)
class BadgeProposalAdmin(WorkflowRecordAdmin):
    list_display = ["member", "proposed_on", "closed_on"]
    raw_id_fields = ["member"]
