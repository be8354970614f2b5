from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.api.base import VI_MESSAGES, ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from ..choices import EarlyReason, Outcome
from ..models import BadgeAward
from ..selectors import AWARDED_SHOWN


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
    page = serializers.IntegerField(
        required=False,
        default=1,
        min_value=1,
        # the min_value validator takes its message when the field is built, before
        # VietnameseErrorsMixin translates the field's messages
        error_messages={"min_value": VI_MESSAGES["min_value"]},
        help_text=_("Trang của danh sách đến mốc, từ 1 (mặc định 1)."),
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


class DueTierSerializer(Serializer):
    tier = serializers.IntegerField(help_text=_("Mốc Huy hiệu (năm tuổi đảng)."))
    count = serializers.IntegerField(help_text=_("Số người đến mốc này (mọi trang)."))


class DueListSerializer(Serializer):
    occasion = serializers.DateField()
    since = serializers.DateField()
    count = serializers.IntegerField(help_text=_("Tổng số người đến mốc (mọi trang)."))
    page = serializers.IntegerField(help_text=_("Trang này (từ 1)."))
    pages = serializers.IntegerField(help_text=_("Số trang (ít nhất 1)."))
    tiers = DueTierSerializer(many=True, help_text=_("Số người đến mốc theo từng mốc."))
    due = DueRowSerializer(
        many=True,
        help_text=_("Người đến mốc của trang này, theo mốc, tổ chức (thứ tự cây), tên."),
    )
    held_count = serializers.IntegerField(help_text=_("Số người hoãn hoặc không xét."))
    held = DueRowSerializer(many=True, help_text=_("Hoãn hoặc không xét do kỷ luật (tất cả)."))
    awarded_count = serializers.IntegerField(
        help_text=_("Số người đến mốc nhưng đã được tặng mốc này.")
    )
    awarded = DueRowSerializer(
        many=True,
        help_text=format_lazy(
            _("Đến mốc nhưng đã được tặng mốc này: những người đầu tiên (tối đa {n})."),
            n=AWARDED_SHOWN,
        ),
    )
