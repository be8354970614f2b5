from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.core.scope import ADD, CHANGE, VIEW
from dangvu.organizations.api.serializers import scoped_orgs
from dangvu.organizations.models import Organization

from ..choices import EventKind, MemberStatus, TransferKind
from ..models import Member, MemberEvent, Membership, OrganizationStats
from ..services import ADMISSION_FIELDS, PROFILE_FIELDS

WRITABLE_FIELDS = [f for f in PROFILE_FIELDS if f != "photo"] + ADMISSION_FIELDS
# member_create arguments besides the profile: how the member enters the registry.
CREATE_ONLY_FIELDS = [
    "origin",
    "joined_on",
    "decision_number",
    "decision_date",
    "issuer",
    "external_place",
]
# Uniqueness is checked by the service, which names the other record's field in Vietnamese.
NO_UNIQUE = {"citizen_id": {"validators": []}, "card_number": {"validators": []}}


class MemberSerializer(ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "gender",
            "date_of_birth",
            "status",
            "status_label",
            "organization",
            "organization_name",
            "card_number",
            "admission_date",
            "official_date",
        ]
        read_only_fields = fields


# The columns `member_list_rows` writes, in MemberSerializer.Meta.fields order (status twice:
# the value and its label).
LIST_COLUMNS = (
    "id",
    "full_name",
    "gender",
    "date_of_birth",
    "status",
    "organization_id",
    "organization__name",
    "card_number",
    "admission_date",
    "official_date",
)


def member_list_rows(members) -> list[dict]:
    """`MemberSerializer(members, many=True).data`, written directly as dicts.

    DRF's per-field work (get_attribute, to_representation, the serializer copy per row) and
    building two model instances per row cost about 14 ms of CPU per page of 50
    (docs/performance.md, slow spot 9). `members` is a queryset (only LIST_COLUMNS are fetched)
    or instances; the keys, their order and the values are MemberSerializer's
    (tests/api/test_member_list_rows.py compares both on filled and blank records).
    """
    if isinstance(members, QuerySet):
        values = members.values_list(*LIST_COLUMNS)
    else:
        values = (
            (
                m.pk,
                m.full_name,
                m.gender,
                m.date_of_birth,
                m.status,
                m.organization_id,
                m.organization.name,
                m.card_number,
                m.admission_date,
                m.official_date,
            )
            for m in members
        )
    labels = {value: str(label) for value, label in _STATUS_FIELD.flatchoices}
    date_format = api_settings.DATE_FORMAT
    iso = date_format is not None and date_format.lower() == "iso-8601"
    plain = date_format == "%Y-%m-%d"

    def date(value):  # DRF DateField.to_representation
        if not value:
            return None
        if date_format is None or isinstance(value, str):
            return value
        if iso or (plain and value.year >= 1000):  # strftime's %Y does not pad below 1000
            return value.isoformat()
        return value.strftime(date_format)

    def text(value):  # CharField: None stays None, anything else str()
        return None if value is None else str(value)

    return [
        {
            "id": pk,
            "full_name": text(full_name),
            "gender": gender,
            "date_of_birth": date(dob),
            "status": status,
            "status_label": None if status is None else labels.get(status, status),
            "organization": org_id,
            "organization_name": text(org_name),
            "card_number": text(card),
            "admission_date": date(admitted),
            "official_date": date(official),
        }
        for (
            pk,
            full_name,
            gender,
            dob,
            status,
            org_id,
            org_name,
            card,
            admitted,
            official,
        ) in values
    ]


_STATUS_FIELD = Member._meta.get_field("status")


class MemberAsOfSerializer(MemberSerializer):
    status_on = serializers.CharField(read_only=True, help_text=_("Trạng thái tại ngày được hỏi."))

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "status_on"]
        read_only_fields = fields


class PartyAgeSerializer(Serializer):
    years = serializers.IntegerField()
    months = serializers.IntegerField(help_text=_("Số tháng lẻ sau số năm tròn."))
    gap_days = serializers.IntegerField(help_text=_("Số ngày ngoài Đảng (xóa tên, khai trừ)."))
    effective_start = serializers.DateField(
        allow_null=True, help_text=_("Ngày vào Đảng dời theo các khoảng gián đoạn.")
    )
    text = serializers.CharField()


class MemberDetailSerializer(MemberSerializer):
    party_age = serializers.SerializerMethodField(
        help_text=_("Tuổi đảng tính đến hôm nay, trừ thời gian gián đoạn.")
    )

    class Meta(MemberSerializer.Meta):
        fields = [
            "id",
            "status",
            "status_label",
            "organization",
            "organization_name",
            *PROFILE_FIELDS,
            *ADMISSION_FIELDS,
            "party_age",
            "user",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PartyAgeSerializer)
    def get_party_age(self, obj):
        from ..selectors import party_age

        age = party_age(obj)
        return PartyAgeSerializer(
            {
                "years": age.years,
                "months": age.months,
                "gap_days": age.gap_days,
                "effective_start": age.effective_start,
                "text": str(age),
            }
        ).data


class MemberUpdateSerializer(ModelSerializer):
    class Meta:
        model = Member
        fields = WRITABLE_FIELDS
        extra_kwargs = NO_UNIQUE


class MemberCreateSerializer(MemberUpdateSerializer):
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(ADD, "members"),
        label=_("Chi bộ/Tổ chức sinh hoạt"),
        help_text=_("Tổ chức đang hoạt động mà bạn được thêm đảng viên."),
    )
    origin = serializers.ChoiceField(
        choices=[
            ("registry", _("Ghi nhận từ hồ sơ")),
            ("transfer_in", _("Chuyển đến từ ngoài hệ thống")),
        ],
        default="registry",
        help_text=_(
            "registry: đảng viên đang sinh hoạt, nhập từ hồ sơ giấy; transfer_in: đảng viên "
            "chuyển sinh hoạt đến từ tổ chức ngoài hệ thống (cần số quyết định)."
        ),
    )
    joined_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Ngày bắt đầu sinh hoạt tại tổ chức (mặc định: ngày vào Đảng)."),
    )
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    decision_date = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=255)
    external_place = serializers.CharField(required=False, allow_blank=True, max_length=255)

    class Meta(MemberUpdateSerializer.Meta):
        fields = ["organization", *WRITABLE_FIELDS, *CREATE_ONLY_FIELDS]


@extend_schema_field(
    {
        "type": "string",
        "description": "; ".join(f"{v}: {label}" for v, label in MemberStatus.choices)
        + " (rỗng: trước sự kiện đầu tiên)",
    }
)
class MemberStatusField(serializers.CharField):
    """A member status (or "" before the first event), its values listed in the description.

    Not an enum: drf-spectacular would name the status choice set a second time (StatusEnum)
    and warn; an ENUM_NAME_OVERRIDES entry in settings would allow a shared enum."""


class MemberEventSerializer(ModelSerializer):
    status_before = MemberStatusField(read_only=True)
    status_after = MemberStatusField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    to_organization_name = serializers.CharField(
        source="to_organization.name", read_only=True, default=None
    )

    class Meta:
        model = MemberEvent
        fields = [
            "id",
            "member",
            "member_name",
            "kind",
            "kind_label",
            "date",
            "decision_number",
            "decision_date",
            "issuer",
            "organization",
            "organization_name",
            "to_organization",
            "to_organization_name",
            "external_place",
            "transfer_kind",
            "status_before",
            "status_after",
            "old_value",
            "new_value",
            "note",
            "created_at",
        ]
        read_only_fields = fields


# ---- creating a member event: one request shape per kind -----------------------------------

DECISION_REQUIRED = {
    "required": _("Chưa nhập số quyết định."),
    "blank": _("Chưa nhập số quyết định."),
    "null": _("Chưa nhập số quyết định."),
}
DATE_REQUIRED = {"required": _("Chưa nhập ngày hiệu lực."), "null": _("Chưa nhập ngày hiệu lực.")}


def _visible_members(user):
    return Member.objects.restrict(user, VIEW)


def _active_orgs(user):
    """Destination of a transfer out: any active organisation, inside or outside the scope."""
    return Organization.objects.filter(dissolved_on__isnull=True)


class MemberEventHeadSerializer(Serializer):
    """What every kind sends: which event, for which member (a member you may see)."""

    kind = serializers.ChoiceField(choices=[], label=_("Loại sự kiện"))
    member = ScopedPrimaryKeyField(
        model=Member,
        queryset_for=_visible_members,
        label=_("Đảng viên"),
        help_text=_("Đảng viên trong phạm vi bạn được sửa hồ sơ."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, EventKind(k).label) for k in EVENT_KINDS]


def _decision(required: bool):
    if required:
        return serializers.CharField(
            label=_("Số quyết định"), max_length=64, error_messages=DECISION_REQUIRED
        )
    return serializers.CharField(
        label=_("Số quyết định"), max_length=64, required=False, allow_blank=True
    )


def _date():
    return serializers.DateField(label=_("Ngày hiệu lực"), error_messages=DATE_REQUIRED)


def _optional_date(label):
    return serializers.DateField(label=label, required=False, allow_null=True)


def _text(label, max_length=None):
    kwargs = {"max_length": max_length} if max_length else {}
    return serializers.CharField(label=label, required=False, allow_blank=True, **kwargs)


class _KindSerializer(MemberEventHeadSerializer):
    event_kind: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(self.event_kind, EventKind(self.event_kind).label)]

    def get_fields(self):
        fields = super().get_fields()
        # The errors were already turned Vietnamese; keep our own "not entered" messages.
        for name, field in fields.items():
            if name == "decision_number" and field.required:
                field.error_messages.update(DECISION_REQUIRED)
            if name == "date":
                field.error_messages.update(DATE_REQUIRED)
        return fields


class RecognisedOfficialSerializer(_KindSerializer):
    """Công nhận chính thức: ngày hiệu lực tự tính (hết 12 tháng dự bị)."""

    event_kind = EventKind.RECOGNISED_OFFICIAL
    decision_number = _decision(True)
    decision_date = _optional_date(_("Ngày quyết định"))
    issuer = _text(_("Cơ quan quyết định"), 255)


class TransferOutSerializer(_KindSerializer):
    """Chuyển sinh hoạt đi: đến tổ chức trong hệ thống (bất kỳ tổ chức đang hoạt động, kể cả
    ngoài phạm vi của bạn) hoặc nơi ngoài hệ thống (external_place)."""

    event_kind = EventKind.TRANSFER_OUT
    date = _date()
    decision_number = _decision(True)
    transfer_kind = serializers.ChoiceField(
        choices=TransferKind.choices, default=TransferKind.OFFICIAL, label=_("Hình thức chuyển")
    )
    to_organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=_active_orgs,
        required=False,
        allow_null=True,
        label=_("Chuyển đến tổ chức"),
        help_text=_("Bất kỳ tổ chức đang hoạt động nào trong hệ thống."),
    )
    external_place = _text(_("Nơi chuyển đến ngoài hệ thống"), 255)
    decision_date = _optional_date(_("Ngày quyết định"))
    issuer = _text(_("Cơ quan quyết định"), 255)
    note = _text(_("Ghi chú"))

    service_rename = {"transfer_kind": "kind"}


class TransferInSerializer(_KindSerializer):
    """Nhận chuyển sinh hoạt đến (đảng viên đã chuyển ra ngoài hệ thống trở lại)."""

    event_kind = EventKind.TRANSFER_IN
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(CHANGE, "members"),
        label=_("Tổ chức nhận"),
        help_text=_("Trong phạm vi bạn được sửa hồ sơ đảng viên."),
    )
    date = _date()
    decision_number = _decision(True)
    external_place = _text(_("Nơi chuyển đến từ"), 255)
    decision_date = _optional_date(_("Ngày quyết định"))
    issuer = _text(_("Cơ quan quyết định"), 255)


class TemporaryEndSerializer(_KindSerializer):
    """Kết thúc sinh hoạt tạm thời."""

    event_kind = EventKind.TEMPORARY_END
    date = _date()
    note = _text(_("Ghi chú"))


class _DecisionKindSerializer(_KindSerializer):
    date = _date()
    decision_number = _decision(True)
    decision_date = _optional_date(_("Ngày quyết định"))
    issuer = _text(_("Cơ quan quyết định"), 255)
    note = _text(_("Ghi chú"))


class ExemptionGrantedSerializer(_DecisionKindSerializer):
    """Miễn công tác và sinh hoạt đảng."""

    event_kind = EventKind.EXEMPTION_GRANTED


class ExemptionEndedSerializer(_KindSerializer):
    """Thôi miễn công tác và sinh hoạt đảng."""

    event_kind = EventKind.EXEMPTION_ENDED
    date = _date()
    decision_number = _decision(False)
    note = _text(_("Ghi chú"))


class RemovedSerializer(_DecisionKindSerializer):
    """Xóa tên."""

    event_kind = EventKind.REMOVED


class ExpelledSerializer(_DecisionKindSerializer):
    """Khai trừ."""

    event_kind = EventKind.EXPELLED


class ReadmittedSerializer(_DecisionKindSerializer):
    """Kết nạp lại: một thời gian dự bị mới; thời gian ở ngoài là khoảng gián đoạn tuổi đảng."""

    event_kind = EventKind.READMITTED
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(CHANGE, "members"),
        required=False,
        allow_null=True,
        label=_("Tổ chức sinh hoạt"),
        help_text=_("Bỏ trống: tổ chức cũ. Trong phạm vi bạn được sửa hồ sơ đảng viên."),
    )


class DiedSerializer(_KindSerializer):
    """Từ trần."""

    event_kind = EventKind.DIED
    date = _date()
    note = _text(_("Ghi chú"))


class CardReissuedSerializer(_KindSerializer):
    """Cấp lại/đổi thẻ đảng viên."""

    event_kind = EventKind.CARD_REISSUED
    date = _date()
    new_card_number = serializers.CharField(label=_("Số thẻ mới"), max_length=20)
    decision_number = _decision(False)
    note = _text(_("Ghi chú"))


EVENT_SERIALIZERS = [
    RecognisedOfficialSerializer,
    TransferOutSerializer,
    TransferInSerializer,
    TemporaryEndSerializer,
    ExemptionGrantedSerializer,
    ExemptionEndedSerializer,
    RemovedSerializer,
    ExpelledSerializer,
    ReadmittedSerializer,
    DiedSerializer,
    CardReissuedSerializer,
]
EVENT_KINDS = {str(s.event_kind): s for s in EVENT_SERIALIZERS}


class MembershipSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "member",
            "member_name",
            "organization",
            "organization_name",
            "kind",
            "kind_label",
            "valid_from",
            "valid_to",
            "event",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "kind": {"help_text": _("official: sinh hoạt chính thức; temporary: tạm thời.")},
            "event": {"help_text": _("Sự kiện (kết nạp, chuyển đến…) mở ra quá trình này.")},
        }


class OrganizationStatsSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = OrganizationStats
        fields = [
            "organization",
            "organization_name",
            "active",
            "official",
            "probationary",
            "exempt",
            "male",
            "female",
            "updated_at",
        ]
        read_only_fields = fields
