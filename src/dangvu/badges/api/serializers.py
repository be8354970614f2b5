from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from ..choices import EarlyReason, Outcome
from ..models import BadgeAward


def _writable_members(user):
    orgs = Organization.objects.restrict(user, "add", module="badges")
    return Member.objects.filter(organization__in=orgs)


class BadgeAwardSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    organization = serializers.IntegerField(source="member.organization_id", read_only=True)
    organization_name = serializers.CharField(source="member.organization.name", read_only=True)
    early_reason_label = serializers.CharField(source="get_early_reason_display", read_only=True)

    class Meta:
        model = BadgeAward
        fields = [
            "id",
            "member",
            "member_name",
            "organization",
            "organization_name",
            "tier",
            "occasion",
            "decision_number",
            "awarded_on",
            "early_reason",
            "early_reason_label",
            "note",
        ]
        read_only_fields = fields


class BadgeAwardCreateSerializer(Serializer):
    member = ScopedPrimaryKeyField(
        model=Member,
        queryset_for=_writable_members,
        label=_("Đảng viên"),
        help_text=_("Mã đảng viên, trong phạm vi bạn được ghi Huy hiệu."),
    )
    tier = serializers.IntegerField(
        label=_("Huy hiệu (năm tuổi đảng)"), help_text=_("Một mốc của `badge.tiers_years`.")
    )
    occasion = serializers.DateField(label=_("Dịp trao"))
    decision_number = serializers.CharField(max_length=64, label=_("Số quyết định"))
    awarded_on = serializers.DateField(label=_("Ngày quyết định"))
    early_reason = serializers.ChoiceField(
        choices=EarlyReason.choices,
        default=EarlyReason.NONE,
        label=_("Trường hợp"),
        help_text=_(
            "none: đủ tuổi đảng; serious_illness: xét sớm do bệnh nặng; posthumous: truy tặng."
        ),
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class DueQuerySerializer(Serializer):
    occasion = serializers.DateField(
        required=False, help_text=_("Dịp trao (YYYY-MM-DD); mặc định: dịp tới kể từ hôm nay.")
    )
    organization = serializers.IntegerField(
        required=False, help_text=_("Mã tổ chức: cả các tổ chức trực thuộc (trong phạm vi).")
    )
    since = serializers.DateField(
        required=False,
        help_text=_("Gồm người đến mốc sau ngày này (mặc định: dịp trao trước)."),
    )


class DueRowSerializer(Serializer):
    member = serializers.IntegerField(source="member.pk")
    member_name = serializers.CharField(source="member.full_name")
    organization = serializers.IntegerField(source="member.organization_id")
    organization_name = serializers.CharField(source="member.organization.name")
    admission_date = serializers.DateField(source="member.admission_date")
    tier = serializers.IntegerField(help_text=_("Mốc Huy hiệu (năm tuổi đảng)."))
    reached_on = serializers.DateField(
        help_text=_("Ngày đủ tuổi đảng của mốc (không kể thời gian ra khỏi Đảng).")
    )
    party_age = serializers.CharField(source="party_age_label")
    early_reason = serializers.ChoiceField(choices=EarlyReason.choices)
    months_early = serializers.IntegerField()
    died_on = serializers.DateField(allow_null=True)
    carried_over = serializers.BooleanField(help_text=_("Đến mốc trước dịp trao trước."))
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        allow_null=True,
        help_text=_("null: được đề nghị tặng; deferred/excluded/awarded: lý do ở `reason`."),
    )
    reason = serializers.CharField()
    citation = serializers.CharField(help_text=_("Căn cứ trong sổ quy tắc."))
    until = serializers.DateField(allow_null=True, help_text=_("Hoãn: xét lại từ ngày này."))


class DueListSerializer(Serializer):
    occasion = serializers.DateField()
    since = serializers.DateField()
    due = DueRowSerializer(many=True)
    held = DueRowSerializer(many=True, help_text=_("Hoãn hoặc không xét do kỷ luật."))
    awarded = DueRowSerializer(many=True, help_text=_("Đến mốc nhưng đã được tặng mốc này."))
