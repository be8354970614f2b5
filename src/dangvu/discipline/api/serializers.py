from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from ..choices import DisciplineForm
from ..models import DisciplineCase


def _writable_members(user):
    orgs = Organization.objects.restrict(user, "add", module="discipline")
    return Member.objects.filter(organization__in=orgs)


class DisciplineCaseSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    organization = serializers.IntegerField(source="member.organization_id", read_only=True)
    organization_name = serializers.CharField(source="member.organization.name", read_only=True)
    form_label = serializers.CharField(source="get_form_display", read_only=True)
    in_force = serializers.SerializerMethodField(help_text=_("Còn hiệu lực hôm nay."))

    class Meta:
        model = DisciplineCase
        fields = [
            "id",
            "member",
            "member_name",
            "organization",
            "organization_name",
            "form",
            "form_label",
            "decided_on",
            "decision_number",
            "deciding_body",
            "reason",
            "lifted_on",
            "lift_note",
            "in_force",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, obj):
        from django.utils import timezone

        return obj.in_force_on(timezone.localdate())


class DisciplineCaseCreateSerializer(Serializer):
    member = ScopedPrimaryKeyField(
        model=Member,
        queryset_for=_writable_members,
        label=_("Đảng viên"),
        help_text=_("Mã đảng viên, trong phạm vi bạn được ghi kỷ luật."),
    )
    form = serializers.ChoiceField(choices=DisciplineForm.choices, label=_("Hình thức kỷ luật"))
    decided_on = serializers.DateField(label=_("Ngày quyết định"))
    decision_number = serializers.CharField(max_length=64, label=_("Số quyết định"))
    deciding_body = serializers.CharField(max_length=255, label=_("Cấp quyết định"))
    reason = serializers.CharField(label=_("Nội dung vi phạm, lý do"))


class DisciplineCaseLiftSerializer(Serializer):
    lifted_on = serializers.DateField(label=_("Hết hiệu lực từ ngày"))
    note = serializers.CharField(max_length=255, label=_("Căn cứ"))
