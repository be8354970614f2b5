from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.core.scope import ADD, VIEW
from dangvu.members.models import Member
from dangvu.organizations.api.serializers import scoped_orgs

from ..choices import BodyKind, CongressKind, DueStatus, EndReason, Position, StartKind
from ..models import (
    Committee,
    CommitteeSeat,
    CommitteeSeatQuota,
    Congress,
    CongressChecklistItem,
    Term,
)


def _terms(user):
    return Term.objects.restrict(user, ADD)


def _committees(user):
    return Committee.objects.restrict(user, ADD)


def _members(user):
    return Member.objects.restrict(user, VIEW)


# ---- terms ----------------------------------------------------------------------------------


class TermSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    congress = serializers.SerializerMethodField(help_text=_("Mã đại hội đã mở nhiệm kỳ."))

    class Meta:
        model = Term
        fields = [
            "id",
            "organization",
            "organization_name",
            "name",
            "start_date",
            "end_date",
            "congress",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_congress(self, obj):
        try:
            return obj.congress.pk
        except Congress.DoesNotExist:
            return None


class TermCreateSerializer(Serializer):
    organization = ScopedPrimaryKeyField(
        model=Term._meta.get_field("organization").related_model,
        queryset_for=scoped_orgs(ADD, "committees"),
        label=_("Tổ chức đảng"),
    )
    name = serializers.CharField(
        max_length=40, label=_("Nhiệm kỳ"), help_text=_("Ví dụ 2025–2030.")
    )
    start_date = serializers.DateField(label=_("Bắt đầu"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TermCloseSerializer(Serializer):
    end_date = serializers.DateField(
        label=_("Kết thúc (không kể)"), help_text=_("Các chức danh còn giữ thôi từ ngày này.")
    )


# ---- congresses -----------------------------------------------------------------------------


class CongressChecklistItemSerializer(ModelSerializer):
    done_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CongressChecklistItem
        fields = [
            "id",
            "congress",
            "order",
            "title",
            "done",
            "done_on",
            "done_by",
            "done_by_name",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_done_by_name(self, obj):
        return str(obj.done_by) if obj.done_by_id else None


class CongressChecklistItemUpdateSerializer(Serializer):
    done = serializers.BooleanField(label=_("Đã xong"))
    done_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Mặc định: hôm nay.")
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class CongressSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    checklist_done = serializers.SerializerMethodField(help_text=_("Số việc chuẩn bị đã xong."))
    checklist_total = serializers.SerializerMethodField(help_text=_("Số việc chuẩn bị."))

    class Meta:
        model = Congress
        fields = [
            "id",
            "organization",
            "organization_name",
            "term_name",
            "term",
            "kind",
            "kind_label",
            "planned_date",
            "held_date",
            "status",
            "status_label",
            "approval_decision",
            "result_decision",
            "notes",
            "checklist_done",
            "checklist_total",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_checklist_done(self, obj):
        return sum(1 for i in obj.checklist.all() if i.done)

    @extend_schema_field(serializers.IntegerField())
    def get_checklist_total(self, obj):
        return len(obj.checklist.all())


class CongressDetailSerializer(CongressSerializer):
    checklist = CongressChecklistItemSerializer(many=True, read_only=True)

    class Meta(CongressSerializer.Meta):
        fields = [*CongressSerializer.Meta.fields, "checklist"]
        read_only_fields = fields


class CongressCreateSerializer(Serializer):
    organization = ScopedPrimaryKeyField(
        model=Term._meta.get_field("organization").related_model,
        queryset_for=scoped_orgs(ADD, "committees"),
        label=_("Tổ chức đảng"),
    )
    term_name = serializers.CharField(max_length=40, label=_("Nhiệm kỳ đại hội mở"))
    planned_date = serializers.DateField(label=_("Ngày dự kiến"))
    kind = serializers.ChoiceField(choices=CongressKind.choices, default=CongressKind.MEMBERS)
    approval_decision = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CongressHoldSerializer(Serializer):
    held_date = serializers.DateField(
        label=_("Ngày tổ chức"), help_text=_("Nhiệm kỳ mới bắt đầu từ ngày này.")
    )
    result_decision = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )


class CongressCancelSerializer(Serializer):
    reason = serializers.CharField(max_length=500, label=_("Lý do hủy"))


class CongressDueSerializer(Serializer):
    organization = serializers.IntegerField(source="pk")
    organization_name = serializers.CharField(source="name")
    org_type = serializers.CharField()
    last_term_name = serializers.CharField(allow_null=True)
    last_term_start = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(
        allow_null=True, help_text=_("Đại hội nhiệm kỳ tới đến hạn; null: chưa ghi nhiệm kỳ.")
    )
    earliest = serializers.DateField(allow_null=True, help_text=_("Sớm nhất (trừ dung sai)."))
    latest = serializers.DateField(allow_null=True, help_text=_("Muộn nhất (cộng dung sai)."))
    status = serializers.ChoiceField(choices=DueStatus.choices)
    planned_congress = serializers.DateField(
        allow_null=True, help_text=_("Ngày dự kiến của đại hội đã lập kế hoạch.")
    )


# ---- committees -----------------------------------------------------------------------------


class QuotaSerializer(ModelSerializer):
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = CommitteeSeatQuota
        fields = ["position", "position_label", "approved"]
        read_only_fields = fields


class CommitteeSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    term_name = serializers.CharField(source="term.name", read_only=True)
    body_label = serializers.CharField(source="get_body_display", read_only=True)
    quotas = QuotaSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "organization",
            "organization_name",
            "term",
            "term_name",
            "body",
            "body_label",
            "formed_on",
            "decision_number",
            "quotas",
            "note",
        ]
        read_only_fields = fields


class QuotaInputSerializer(Serializer):
    position = serializers.ChoiceField(choices=Position.choices)
    approved = serializers.IntegerField(min_value=0, max_value=99)


class CommitteeCreateSerializer(Serializer):
    term = ScopedPrimaryKeyField(model=Term, queryset_for=_terms, label=_("Nhiệm kỳ"))
    body = serializers.ChoiceField(choices=BodyKind.choices, default=BodyKind.PARTY_COMMITTEE)
    formed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Mặc định: ngày đầu nhiệm kỳ.")
    )
    quotas = QuotaInputSerializer(many=True, help_text=_("Số lượng được duyệt theo chức danh."))
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VacancySerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    term_name = serializers.CharField(source="term.name", read_only=True)
    body_label = serializers.CharField(source="get_body_display", read_only=True)
    approved = serializers.IntegerField(read_only=True)
    filled = serializers.IntegerField(read_only=True)
    vacant = serializers.SerializerMethodField(help_text=_("Được duyệt − đang giữ chức."))

    class Meta:
        model = Committee
        fields = [
            "id",
            "organization",
            "organization_name",
            "term_name",
            "body",
            "body_label",
            "approved",
            "filled",
            "vacant",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_vacant(self, obj):
        return obj.approved - obj.filled


class WithoutSecretarySerializer(Serializer):
    organization = serializers.IntegerField(source="pk")
    organization_name = serializers.CharField(source="name")
    org_type = serializers.CharField()
    has_term = serializers.BooleanField(help_text=_("Đã ghi nhiệm kỳ đang diễn ra."))


# ---- seats ----------------------------------------------------------------------------------


class SeatSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    organization = serializers.IntegerField(source="committee.organization_id", read_only=True)
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = CommitteeSeat
        fields = [
            "id",
            "committee",
            "organization",
            "member",
            "member_name",
            "position",
            "position_label",
            "start_date",
            "end_date",
            "start_kind",
            "decision_number",
            "end_reason",
            "end_decision_number",
            "note",
        ]
        read_only_fields = fields


class SeatFillSerializer(Serializer):
    committee = ScopedPrimaryKeyField(model=Committee, queryset_for=_committees, label=_("Cấp ủy"))
    member = ScopedPrimaryKeyField(model=Member, queryset_for=_members, label=_("Đảng viên"))
    position = serializers.ChoiceField(choices=Position.choices)
    start_date = serializers.DateField(label=_("Từ ngày"))
    start_kind = serializers.ChoiceField(choices=StartKind.choices, default=StartKind.ELECTED)
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class SeatEndSerializer(Serializer):
    end_date = serializers.DateField(label=_("Thôi từ ngày (không kể)"))
    reason = serializers.ChoiceField(choices=EndReason.choices)
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
