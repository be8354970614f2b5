"""Forms of the member pages. They only shape input: every rule is checked by members.services,
whose ValidationError is put back onto the form fields (core.forms.apply_service_errors)."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField
from dangvu.organizations.models import Organization

from . import services
from .choices import ACTIVE_STATUSES, EventKind, MemberStatus, TransferKind
from .models import Member

FORM_FIELDS = services.PROFILE_FIELDS + services.ADMISSION_FIELDS
MAX_PHOTO_BYTES = 5 * 1024 * 1024

# Mẫu 2-HSĐV grouped the way the paper form reads; used by the form and the detail page.
PROFILE_GROUPS = [
    (
        _("Sơ yếu lý lịch"),
        [
            "full_name",
            "other_names",
            "gender",
            "date_of_birth",
            "birth_place",
            "hometown",
            "ethnicity",
            "religion",
            "citizen_id",
        ],
    ),
    (
        _("Vào Đảng"),
        [
            "organization",
            "card_number",
            "admission_date",
            "admission_place",
            "decision_number",
            "official_date",
            "introducers",
        ],
    ),
    (_("Liên hệ"), ["phone", "email", "address"]),
    (
        _("Trình độ"),
        [
            "general_education",
            "professional_degree",
            "professional_field",
            "political_theory",
            "state_management",
            "foreign_language",
        ],
    ),
    (_("Công tác"), ["occupation", "position", "workplace"]),
]
WIDE_FIELDS = {
    "full_name",
    "organization",
    "birth_place",
    "hometown",
    "address",
    "workplace",
    "introducers",
    "admission_place",
}
# Short values: two to a row even on a phone.
SHORT_FIELDS = {
    "date_of_birth",
    "admission_date",
    "official_date",
    "card_number",
    "phone",
    "decision_number",
}


def org_label(org: Organization) -> str:
    """Organisation name indented by its depth in the tree (for selects ordered by path)."""
    return "\u2003" * max(org.depth - 1, 0) + org.name


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return org_label(obj)


class MemberForm(forms.Form):
    """Profile (Mẫu 2-HSĐV) plus admission dates; the organisation only when creating."""

    def __init__(self, *args, user, instance: Member | None = None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {f: getattr(instance, f) for f in FORM_FIELDS} | initial
        super().__init__(*args, initial=initial, **kwargs)
        model_fields = forms.fields_for_model(
            Member,
            fields=FORM_FIELDS,
            field_classes={f: VNDateField for f in ("date_of_birth", *services.ADMISSION_FIELDS)},
            widgets={
                "photo": forms.FileInput(attrs={"accept": "image/*"}),
                "email": forms.EmailInput(attrs={"autocomplete": "off"}),
                "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 12}),
                "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            },
        )
        fields = {}
        if instance is None:
            fields["organization"] = OrgChoiceField(
                queryset=Organization.objects.restrict(user, "add", module="members").active(),
                label=_("Chi bộ/Tổ chức sinh hoạt"),
                empty_label=_("— chọn tổ chức —"),
            )
            fields["decision_number"] = forms.CharField(
                label=_("Số quyết định kết nạp"), max_length=64, required=False
            )
        for name in FORM_FIELDS:
            fields[name] = model_fields[name]
        fields["citizen_id"].help_text = _("12 chữ số, khớp với năm sinh và giới tính.")
        fields["official_date"].help_text = _("Để trống nếu đảng viên còn dự bị.")
        if instance is not None and instance.photo:
            fields["remove_photo"] = forms.BooleanField(label=_("Xóa ảnh hiện có"), required=False)
        self.fields.update(fields)
        self.order_fields(
            [name for _label, names in PROFILE_GROUPS for name in names] + ["photo", "remove_photo"]
        )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile) and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("Ảnh quá lớn: tối đa 5 MB."))
        return photo

    def groups(self):
        """[(title, [bound field])] in the order of the paper form."""
        out = []
        for title, names in PROFILE_GROUPS:
            bound = [self[n] for n in names if n in self.fields]
            if bound:
                out.append((title, bound))
        return out

    def service_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in FORM_FIELDS if f in self.cleaned_data}
        photo = data.pop("photo", None)
        if isinstance(photo, UploadedFile):
            data["photo"] = photo
        elif self.cleaned_data.get("remove_photo"):
            data["photo"] = ""
        return data


# --- lifecycle events ----------------------------------------------------------------------------


class EventSpec:
    def __init__(self, service, fields, statuses, required=(), params=None, note=""):
        self.service = service
        self.fields = fields
        self.statuses = statuses
        self.required = set(required)
        self.params = params or {}
        self.note = note


_DECIDED = ["decision_number", "decision_date", "issuer"]

EVENT_SPECS: dict[str, EventSpec] = {
    EventKind.RECOGNISED_OFFICIAL: EventSpec(
        services.member_recognise_official,
        _DECIDED,
        [MemberStatus.PROBATIONARY],
        required=["decision_number"],
        note=_(
            "Ngày chính thức là ngày hết 12 tháng dự bị, kể cả khi quyết định ký sau (hệ thống tự tính)."
        ),
    ),
    EventKind.TRANSFER_OUT: EventSpec(
        services.member_transfer_out,
        ["transfer_kind", "date", "to_organization", "external_place", *_DECIDED, "note"],
        list(ACTIVE_STATUSES),
        required=["decision_number"],
        params={"transfer_kind": "kind"},
        note=_("Chọn tổ chức đến trong hệ thống, hoặc nhập nơi đến ngoài hệ thống."),
    ),
    EventKind.TRANSFER_IN: EventSpec(
        services.member_transfer_in,
        ["organization", "date", "external_place", *_DECIDED],
        [MemberStatus.TRANSFERRED_OUT],
        required=["decision_number", "organization"],
    ),
    EventKind.TEMPORARY_END: EventSpec(
        services.member_end_temporary, ["date", "note"], list(ACTIVE_STATUSES)
    ),
    EventKind.EXEMPTION_GRANTED: EventSpec(
        services.member_grant_exemption,
        ["date", *_DECIDED, "note"],
        [MemberStatus.OFFICIAL],
        required=["decision_number"],
    ),
    EventKind.EXEMPTION_ENDED: EventSpec(
        services.member_end_exemption,
        ["date", "decision_number", "note"],
        [MemberStatus.EXEMPT],
    ),
    EventKind.REMOVED: EventSpec(
        services.member_remove,
        ["date", *_DECIDED, "note"],
        list(ACTIVE_STATUSES),
        required=["decision_number"],
    ),
    EventKind.EXPELLED: EventSpec(
        services.member_expel,
        ["date", *_DECIDED, "note"],
        list(ACTIVE_STATUSES),
        required=["decision_number"],
    ),
    EventKind.READMITTED: EventSpec(
        services.member_readmit,
        ["date", "organization", *_DECIDED, "note"],
        [MemberStatus.REMOVED, MemberStatus.EXPELLED],
        required=["decision_number"],
        note=_(
            "Kết nạp lại bắt đầu thời gian dự bị mới; thời gian ở ngoài Đảng không tính tuổi đảng."
        ),
    ),
    EventKind.DIED: EventSpec(
        services.member_record_death, ["date", "note"], list(ACTIVE_STATUSES)
    ),
    EventKind.CARD_REISSUED: EventSpec(
        services.member_reissue_card,
        ["date", "new_card_number", "decision_number", "note"],
        list(ACTIVE_STATUSES),
    ),
}
# Field names the services use for errors that the forms call differently.
SERVICE_FIELD_ALIASES = {"kind": "transfer_kind"}


def available_event_kinds(member: Member, has_open_temporary: bool) -> list[tuple[str, str]]:
    """[(kind, label)] of the lifecycle actions the member's current status allows."""
    out = []
    for kind, spec in EVENT_SPECS.items():
        if member.status not in spec.statuses:
            continue
        if kind == EventKind.TEMPORARY_END and not has_open_temporary:
            continue
        out.append((str(kind), EventKind(kind).label))
    return out


class MemberEventForm(forms.Form):
    """One lifecycle action; the fields come from EVENT_SPECS[kind]."""

    def __init__(self, *args, kind: str, member: Member, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.member = member
        self.spec = EVENT_SPECS[kind]
        required = self.spec.required
        defs = {
            "transfer_kind": lambda: forms.ChoiceField(
                label=_("Hình thức chuyển"),
                choices=TransferKind.choices,
                initial=TransferKind.OFFICIAL,
                widget=forms.RadioSelect,
            ),
            "date": lambda: VNDateField(label=_("Ngày hiệu lực")),
            "to_organization": lambda: OrgChoiceField(
                queryset=Organization.objects.restrict(user, "view")
                .active()
                .exclude(pk=member.organization_id),
                label=_("Chuyển đến tổ chức (trong hệ thống)"),
                required=False,
                empty_label=_("— ngoài hệ thống —"),
            ),
            "external_place": lambda: forms.CharField(
                label=_("Nơi đi/đến ngoài hệ thống"),
                max_length=255,
                required=False,
                help_text=_("Ví dụ: Đảng bộ Khối Doanh nghiệp tỉnh Bình Định."),
            ),
            "organization": lambda: OrgChoiceField(
                queryset=Organization.objects.restrict(user, "change", module="members").active(),
                label=_("Tổ chức sinh hoạt")
                if "organization" in required
                else _("Tổ chức sinh hoạt (để trống: giữ tổ chức cũ)"),
                required="organization" in required,
                empty_label=_("— chọn tổ chức —"),
            ),
            "decision_number": lambda: forms.CharField(
                label=_("Số quyết định"),
                max_length=64,
                required="decision_number" in required,
                error_messages={"required": _("Chưa nhập số quyết định.")},
            ),
            "decision_date": lambda: VNDateField(label=_("Ngày quyết định"), required=False),
            "issuer": lambda: forms.CharField(
                label=_("Cơ quan quyết định"), max_length=255, required=False
            ),
            "new_card_number": lambda: forms.CharField(
                label=_("Số thẻ đảng viên mới"),
                max_length=20,
                initial=member.card_number or "",
                error_messages={"required": _("Chưa nhập số thẻ mới.")},
            ),
            "note": lambda: forms.CharField(
                label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            ),
        }
        for name in self.spec.fields:
            self.fields[name] = defs[name]()
        if "date" in self.fields:
            self.fields["date"].error_messages["required"] = _("Chưa nhập ngày hiệu lực.")

    def call_service(self, actor):
        kwargs = {
            self.spec.params.get(name, name): self.cleaned_data.get(name)
            for name in self.spec.fields
        }
        for key, value in list(kwargs.items()):
            if value is None and key in {"decision_number", "issuer", "note", "external_place"}:
                kwargs[key] = ""
        return self.spec.service(actor=actor, member=self.member, **kwargs)
