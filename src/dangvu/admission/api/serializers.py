from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.core.scope import ADD, VIEW
from dangvu.members.models import Member
from dangvu.organizations.api.serializers import scoped_orgs
from dangvu.organizations.models import Organization

from .. import selectors, services
from ..choices import CandidateStatus, IntroducerKind, StepKind
from ..models import AdmissionStep, AdmissionTarget, Candidate, Introducer


class AdmissionStepSerializer(ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AdmissionStep
        fields = [
            "id",
            "kind",
            "kind_label",
            "date",
            "decision_number",
            "issuer",
            "votes_for",
            "votes_against",
            "votes_total",
            "passed",
            "consent_reference",
            "notes",
        ]
        read_only_fields = fields


class IntroducerSerializer(ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    member_name = serializers.CharField(
        source="member.full_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Introducer
        fields = [
            "id",
            "kind",
            "kind_label",
            "member",
            "member_name",
            "months_together",
            "is_replacement",
            "resolution_number",
            "resolution_date",
            "note",
        ]
        read_only_fields = fields


class CandidateSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    current_step_label = serializers.CharField(source="get_current_step_display", read_only=True)
    next_step = serializers.SerializerMethodField(
        help_text=_("Bước được ghi tiếp theo (null: hồ sơ đã kết thúc).")
    )
    overdue = serializers.SerializerMethodField(help_text=_("Quá hạn của bước tiếp theo."))

    class Meta:
        model = Candidate
        fields = [
            "id",
            "organization",
            "organization_name",
            "full_name",
            "gender",
            "date_of_birth",
            "status",
            "status_label",
            "current_step",
            "current_step_label",
            "next_step",
            "next_due",
            "overdue",
            "cell_vote_date",
            "decision_date",
            "ceremony_date",
            "probation_end",
            "failed_recognitions",
            "member",
        ]
        read_only_fields = fields

    def get_next_step(self, obj) -> str | None:
        return selectors.next_step(obj)

    def get_overdue(self, obj) -> bool:
        return selectors.is_overdue(obj, timezone.localdate())


class CandidateDetailSerializer(CandidateSerializer):
    steps = AdmissionStepSerializer(many=True, read_only=True)
    introducers = IntroducerSerializer(many=True, read_only=True)

    class Meta(CandidateSerializer.Meta):
        fields = (
            CandidateSerializer.Meta.fields
            + [f for f in services.PROFILE_FIELDS if f not in CandidateSerializer.Meta.fields]
            + ["steps", "introducers"]
        )
        read_only_fields = fields


def _cells(action):
    base = scoped_orgs(action, "admission")

    def queryset_for(user):
        from dangvu.organizations.choices import CELL_TYPES

        return base(user).filter(org_type__in=CELL_TYPES)

    return queryset_for


class CandidateWriteSerializer(ModelSerializer):
    """The candidate's profile (the member record's field names)."""

    class Meta:
        model = Candidate
        fields = list(services.PROFILE_FIELDS)
        extra_kwargs = {f: {"required": False} for f in services.PROFILE_FIELDS}

    def validate(self, attrs):
        return attrs  # the service validates (and names the field)

    def run_validators(self, value):
        return None


class CandidateCreateSerializer(CandidateWriteSerializer):
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=_cells(ADD),
        label=_("Chi bộ bồi dưỡng, xét kết nạp"),
        help_text=_("Chi bộ (đang hoạt động) trong phạm vi bạn được thêm quần chúng."),
    )

    class Meta(CandidateWriteSerializer.Meta):
        fields = ["organization", *services.PROFILE_FIELDS]
        extra_kwargs = {
            **{f: {"required": False} for f in services.PROFILE_FIELDS},
            "full_name": {"required": True},
            "gender": {"required": True},
            "date_of_birth": {"required": True},
        }


class StepCreateSerializer(Serializer):
    kind = serializers.ChoiceField(
        choices=StepKind.choices,
        help_text=_("Bước ghi: phải là bước tiếp theo của hồ sơ (`next_step`)."),
    )
    date = serializers.DateField(
        help_text=_("Ngày của bước; không ở tương lai, không trước bước trước.")
    )
    decision_number = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Số giấy chứng nhận (lớp nhận thức), số nghị quyết, số quyết định kết nạp / công nhận."
        ),
    )
    issuer = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    votes_for = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    votes_against = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    votes_total = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Tổng số cấp ủy viên (biểu quyết của đảng ủy, khi hệ thống chưa biết)."),
    )
    consent_reference = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Văn bản đồng ý của cấp trên khi tổ chức lễ kết nạp muộn."),
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    FIELDS = {
        StepKind.AWARENESS: {"decision_number", "notes"},
        StepKind.APPLICATION: {"notes"},
        StepKind.INTRODUCERS: {"notes"},
        StepKind.BACKGROUND_CHECK: {"notes"},
        StepKind.CELL_VOTE: {"votes_for", "votes_against", "decision_number", "notes"},
        StepKind.COMMITTEE_VOTE: {
            "votes_for",
            "votes_against",
            "votes_total",
            "decision_number",
            "notes",
        },
        StepKind.DECISION: {"decision_number", "issuer", "notes"},
        StepKind.CEREMONY: {"consent_reference", "notes"},
        StepKind.RECOGNITION: {"votes_for", "votes_against", "decision_number", "issuer", "notes"},
    }

    def service_data(self) -> dict:
        d = self.validated_data
        keep = self.FIELDS[d["kind"]] | {"date"}
        return {k: v for k, v in d.items() if k in keep}


class IntroducerCreateSerializer(Serializer):
    kind = serializers.ChoiceField(choices=IntroducerKind.choices)
    member = ScopedPrimaryKeyField(
        model=Member,
        queryset_for=lambda user: Member.objects.restrict(user, VIEW),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Đảng viên chính thức giới thiệu (hình thức party_member)."),
    )
    months_together = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    is_replacement = serializers.BooleanField(required=False, default=False)
    resolution_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    resolution_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class CandidateCloseSerializer(Serializer):
    status = serializers.ChoiceField(
        choices=CandidateStatus.choices,
        help_text=_("refused (không kết nạp) hoặc withdrawn (dừng, rút hồ sơ)."),
    )
    date = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class AdmissionTargetSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = AdmissionTarget
        fields = ["id", "organization", "organization_name", "year", "number", "note"]
        read_only_fields = fields


class AdmissionTargetSetSerializer(Serializer):
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(ADD, "admission"),
        help_text=_("Tổ chức trong phạm vi bạn được giao chỉ tiêu."),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(min_value=0)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class AdmissionTargetUpdateSerializer(Serializer):
    number = serializers.IntegerField(min_value=0)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ProgressSerializer(Serializer):
    organization = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField()
    target = serializers.IntegerField(help_text=_("Tổng chỉ tiêu của cây tổ chức trong năm."))
    admitted = serializers.IntegerField(
        help_text=_("Đảng viên có ngày vào Đảng (ngày quyết định kết nạp) trong năm.")
    )
    percent = serializers.IntegerField(allow_null=True)
