from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.core.scope import CHANGE

from ..choices import OrgType
from ..models import (
    Organization,
    OrganizationEvent,
    OrganizationTypeLabel,
    OrganizationVersion,
)


def with_parent(qs):
    """Annotate `parent_id` (the node one step up the materialized path) in the same query."""
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("pk")[:1]
    return qs.annotate(parent_id=Subquery(parent))


def scoped_orgs(action: str, module: str | None = None, *, active: bool = True):
    """`queryset_for` of a ScopedPrimaryKeyField: organisations the user may `action` (in `module`)."""

    def queryset_for(user):
        qs = Organization.objects.restrict(user, action, module)
        return qs.filter(dissolved_on__isnull=True) if active else qs

    return queryset_for


class OrganizationSerializer(ModelSerializer):
    org_type_label = serializers.CharField(source="get_org_type_display", read_only=True)
    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True, help_text=_("Mã tổ chức cấp trên.")
    )
    child_count = serializers.IntegerField(
        source="numchild", read_only=True, help_text=_("Số tổ chức trực thuộc (kể cả đã giải thể).")
    )
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "org_type",
            "org_type_label",
            "parent",
            "depth",
            "child_count",
            "established_on",
            "dissolved_on",
            "is_active",
            "address",
            "phone",
            "email",
        ]
        read_only_fields = fields


class SizeWarningSerializer(Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    citation = serializers.CharField()


class MemberCountSerializer(Serializer):
    active = serializers.IntegerField(help_text=_("Đảng viên đang sinh hoạt."))
    official = serializers.IntegerField(help_text=_("Trong đó chính thức."))


class OrganizationDetailSerializer(OrganizationSerializer):
    size_warnings = serializers.SerializerMethodField(
        help_text=_("Cảnh báo quy mô theo sổ quy tắc (chỉ để lưu ý, không chặn).")
    )
    member_count = serializers.SerializerMethodField()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "member_count", "size_warnings"]
        read_only_fields = fields

    def _counts(self, obj):
        from ..selectors import member_counts

        if not hasattr(obj, "_api_counts"):
            obj._api_counts = member_counts([obj.pk])
        return obj._api_counts

    @extend_schema_field(MemberCountSerializer)
    def get_member_count(self, obj):
        c = self._counts(obj).get(obj.pk, {"active": 0, "official": 0})
        return MemberCountSerializer(c).data

    @extend_schema_field(SizeWarningSerializer(many=True))
    def get_size_warnings(self, obj):
        from ..selectors import size_warnings

        return SizeWarningSerializer(size_warnings(obj, self._counts(obj)), many=True).data


class OrganizationCreateSerializer(ModelSerializer):
    parent = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs("add"),
        allow_null=True,
        required=False,
        help_text=_(
            "Tổ chức cấp trên, trong phạm vi bạn được thêm tổ chức. Bỏ trống chỉ khi tạo gốc "
            "(quyền toàn hệ thống)."
        ),
    )
    date = serializers.DateField(label=_("Ngày thành lập (hiệu lực)"))
    decision_number = serializers.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = serializers.DateField(
        label=_("Ngày quyết định"), required=False, allow_null=True
    )
    note = serializers.CharField(label=_("Ghi chú"), required=False, allow_blank=True)

    class Meta:
        model = Organization
        fields = [
            "parent",
            "code",
            "name",
            "short_name",
            "org_type",
            "date",
            "decision_number",
            "decision_date",
            "address",
            "phone",
            "email",
            "note",
        ]
        extra_kwargs = {"code": {"validators": []}}  # the service names the duplicate in Vietnamese


class OrganizationUpdateSerializer(ModelSerializer):
    class Meta:
        model = Organization
        fields = ["address", "phone", "email"]


class DecisionSerializer(Serializer):
    """The decision every change of the tree records."""

    date = serializers.DateField(label=_("Ngày hiệu lực"))
    decision_number = serializers.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = serializers.DateField(
        label=_("Ngày quyết định"), required=False, allow_null=True
    )
    note = serializers.CharField(label=_("Ghi chú"), required=False, allow_blank=True)


class RenameSerializer(DecisionSerializer):
    name = serializers.CharField(label=_("Tên mới"), max_length=255)
    short_name = serializers.CharField(
        label=_("Tên viết tắt mới"), max_length=100, required=False, allow_blank=True
    )


class MoveSerializer(DecisionSerializer):
    new_parent = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(CHANGE),
        label=_("Tổ chức cấp trên mới"),
        help_text=_("Trong phạm vi bạn được sửa tổ chức."),
    )


class MergeSerializer(DecisionSerializer):
    target = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(CHANGE),
        label=_("Tổ chức nhận"),
        help_text=_("Tổ chức nhận đảng viên và tổ chức trực thuộc; trong phạm vi bạn được sửa."),
    )


class SplitPartSerializer(Serializer):
    code = serializers.CharField(label=_("Mã tổ chức"), max_length=32)
    name = serializers.CharField(label=_("Tên tổ chức"), max_length=255)
    org_type = serializers.ChoiceField(
        label=_("Loại tổ chức"), choices=OrgType.choices, required=False, allow_blank=True
    )
    member_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text=_("Đảng viên của tổ chức bị chia tách chuyển sang tổ chức mới này."),
    )


class SplitSerializer(DecisionSerializer):
    parts = SplitPartSerializer(many=True, label=_("Các tổ chức mới"))
    keep_source = serializers.BooleanField(label=_("Giữ tổ chức cũ"), required=False, default=False)


class DissolveSerializer(DecisionSerializer):
    pass


class OrganizationEventSerializer(ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrganizationEvent
        fields = [
            "id",
            "organization",
            "kind",
            "kind_label",
            "date",
            "decision_number",
            "decision_date",
            "related",
            "old_value",
            "new_value",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class TreeQuerySerializer(Serializer):
    on = serializers.DateField(
        required=False, label=_("Ngày"), help_text=_("Cây tổ chức tại ngày này (mặc định hôm nay).")
    )
    root = serializers.IntegerField(
        required=False, label=_("Gốc"), help_text=_("Chỉ lấy nhánh từ tổ chức này.")
    )


class TreeRowSerializer(Serializer):
    id = serializers.IntegerField(source="version.organization_id")
    code = serializers.CharField(source="version.code")
    name = serializers.CharField(source="version.name")
    short_name = serializers.CharField(source="version.short_name")
    org_type = serializers.CharField(source="version.org_type")
    parent = serializers.IntegerField(source="version.parent_id", allow_null=True)
    depth = serializers.IntegerField(help_text=_("Độ sâu trong cây tại ngày đó (gốc = 0)."))
    valid_from = serializers.DateField(source="version.valid_from")
    valid_to = serializers.DateField(source="version.valid_to", allow_null=True)


class MembersAsOfQuerySerializer(Serializer):
    on = serializers.DateField(
        required=False, label=_("Ngày"), help_text=_("Đảng viên tại ngày này (mặc định hôm nay).")
    )
    subtree = serializers.BooleanField(
        required=False, default=False, help_text=_("Gồm cả các tổ chức trực thuộc (tại ngày đó).")
    )
    include_temporary = serializers.BooleanField(
        required=False, default=False, help_text=_("Gồm cả đảng viên sinh hoạt tạm thời.")
    )


class OrganizationVersionSerializer(ModelSerializer):
    org_type_label = serializers.CharField(source="get_org_type_display", read_only=True)

    class Meta:
        model = OrganizationVersion
        fields = [
            "id",
            "organization",
            "code",
            "name",
            "short_name",
            "org_type",
            "org_type_label",
            "parent",
            "valid_from",
            "valid_to",
            "event",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "parent": {"help_text": _("Tổ chức cấp trên trong khoảng thời gian này.")},
            "event": {"help_text": _("Sự kiện (có quyết định) mở ra phiên bản này.")},
        }


class OrganizationTypeLabelSerializer(ModelSerializer):
    default_label = serializers.CharField(
        source="get_org_type_display",
        read_only=True,
        help_text=_("Tên loại tổ chức mặc định (khi chưa đặt tên hiển thị)."),
    )

    class Meta:
        model = OrganizationTypeLabel
        fields = ["id", "org_type", "default_label", "label", "short_label"]
        read_only_fields = fields


class OrganizationTypeLabelUpdateSerializer(ModelSerializer):
    class Meta:
        model = OrganizationTypeLabel
        fields = ["label", "short_label"]
