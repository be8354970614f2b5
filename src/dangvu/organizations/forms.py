"""Forms of the tree operations. They only collect input: every check lives in the services.

Service errors come back as `ValidationError.message_dict` keyed by the service's argument names;
`apply_service_errors` puts each message on the matching form field (or on the form).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField
from dangvu.core.scope import CHANGE, scope_q

from .choices import ALLOWED_PARENTS, CELL_TYPES, OrgType
from .models import Organization

MAX_SPLIT_PARTS = 4


class BootstrapForm(forms.Form):
    """Adds Bootstrap classes to the widgets; errors are marked by Django's aria-invalid."""

    # Service error keys that belong on another field of this form.
    error_aliases: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def apply_service_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the right fields, the rest on the form."""
        if hasattr(exc, "error_dict"):
            for key, msgs in exc.message_dict.items():
                target = self.error_aliases.get(key, key)
                target = target if target in self.fields else None
                for msg in msgs:
                    self.add_error(target, msg)
        else:
            for msg in exc.messages:
                self.add_error(None, msg)


class DecisionForm(BootstrapForm):
    """Date and decision of a dated change of the tree."""

    date = VNDateField(
        label=_("Ngày hiệu lực"),
        error_messages={"required": _("Chưa nhập ngày hiệu lực.")},
    )
    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=64,
        error_messages={"required": _("Chưa nhập số quyết định.")},
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ 15-QĐ/ĐU")}),
    )
    decision_date = VNDateField(label=_("Ngày quyết định"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organization=None, user=None, **kwargs):
        self.organization = organization
        self.user = user
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)

    def decision_kwargs(self) -> dict:
        cd = self.cleaned_data
        return {
            "date": cd["date"],
            "decision_number": cd["decision_number"],
            "decision_date": cd.get("decision_date"),
            "note": cd.get("note") or "",
        }


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes styled by Bootstrap (the class goes on each box, not on the wrapping div)."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = "form-check-input"
        return option


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


def changeable_orgs(user):
    """Active organisations the user may change (targets of move and merge)."""
    return Organization.objects.restrict(user, CHANGE).filter(dissolved_on__isnull=True)


class EstablishForm(DecisionForm):
    field_order = ["org_type", "code", "name", "short_name"]
    error_aliases = {"parent": "org_type"}

    org_type = forms.ChoiceField(label=_("Loại tổ chức"), choices=OrgType.choices)
    code = forms.CharField(
        label=_("Mã tổ chức"),
        max_length=32,
        error_messages={"required": _("Chưa nhập mã tổ chức.")},
    )
    name = forms.CharField(
        label=_("Tên tổ chức"),
        max_length=255,
        error_messages={"required": _("Chưa nhập tên tổ chức.")},
    )
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Địa chỉ email không hợp lệ.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every type is accepted (the service judges and names the rule); only the types allowed
        # under this parent are offered.
        parent_type = self.organization.org_type if self.organization else None
        allowed = [
            (value, label)
            for value, label in OrgType.choices
            if parent_type in ALLOWED_PARENTS[OrgType(value)]
        ]
        self.allowed_types = allowed
        self.fields["org_type"].widget.choices = allowed or OrgType.choices


class RenameForm(DecisionForm):
    field_order = ["name", "short_name"]

    name = forms.CharField(
        label=_("Tên mới"), max_length=255, error_messages={"required": _("Chưa nhập tên mới.")}
    )
    short_name = forms.CharField(label=_("Tên viết tắt mới"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.organization is not None and not self.is_bound:
            self.initial.setdefault("name", self.organization.name)
            self.initial.setdefault("short_name", self.organization.short_name)


class MoveForm(DecisionForm):
    field_order = ["new_parent"]

    new_parent = OrgChoiceField(
        label=_("Trực thuộc tổ chức mới"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("Chưa chọn tổ chức cấp trên mới.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.organization
        allowed = [t for t in ALLOWED_PARENTS[OrgType(org.org_type)] if t is not None]
        qs = changeable_orgs(self.user).filter(org_type__in=allowed)
        qs = qs.exclude(path__startswith=org.path)
        if org.depth > 1:
            qs = qs.exclude(path=org.path[: -Organization.steplen])
        self.fields["new_parent"].queryset = qs


class MergeForm(DecisionForm):
    field_order = ["target"]

    target = OrgChoiceField(
        label=_("Hợp nhất vào tổ chức"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("Chưa chọn tổ chức nhận.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.organization
        types = CELL_TYPES if org.org_type in CELL_TYPES else {org.org_type}
        qs = changeable_orgs(self.user).filter(org_type__in=list(types))
        self.fields["target"].queryset = qs.exclude(path__startswith=org.path)


class DissolveForm(DecisionForm):
    pass


class SplitForm(DecisionForm):
    """Two to four new organisations; the source's active members are shared out among them."""

    keep_source = forms.BooleanField(
        label=_("Giữ lại tổ chức cũ (chỉ tách một phần đảng viên ra)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from dangvu.members.choices import ACTIVE_STATUSES
        from dangvu.members.models import Member

        members = self.organization.members.filter(status__in=ACTIVE_STATUSES)
        q = scope_q(Member, self.user)
        members = members.filter(q) if q is not None else members.none()
        choices = [(m.pk, m.full_name) for m in members.order_by("name_sort", "id")]
        self.member_choices = choices
        for i in range(1, MAX_SPLIT_PARTS + 1):
            self.fields[f"part{i}_code"] = forms.CharField(
                label=_("Mã tổ chức"), max_length=32, required=False
            )
            self.fields[f"part{i}_name"] = forms.CharField(
                label=_("Tên tổ chức"), max_length=255, required=False
            )
            self.fields[f"part{i}_members"] = forms.TypedMultipleChoiceField(
                label=_("Đảng viên chuyển sang"),
                choices=choices,
                coerce=int,
                required=False,
                widget=CheckboxList,
            )
        # The part fields are added after BootstrapForm styled the others.
        for i in range(1, MAX_SPLIT_PARTS + 1):
            for name in ("code", "name"):
                self.fields[f"part{i}_{name}"].widget.attrs["class"] = "form-control"

    def part_rows(self):
        """[(number, code field, name field, members field)] for the template."""
        return [
            (i, self[f"part{i}_code"], self[f"part{i}_name"], self[f"part{i}_members"])
            for i in range(1, MAX_SPLIT_PARTS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for i in range(1, MAX_SPLIT_PARTS + 1):
            code = (cleaned.get(f"part{i}_code") or "").strip()
            name = (cleaned.get(f"part{i}_name") or "").strip()
            members = cleaned.get(f"part{i}_members") or []
            if not (code or name or members):
                continue
            if not code:
                self.add_error(f"part{i}_code", _("Chưa nhập mã tổ chức."))
            if not name:
                self.add_error(f"part{i}_name", _("Chưa nhập tên tổ chức."))
        return cleaned

    def parts(self) -> list[dict]:
        out = []
        cd = self.cleaned_data
        for i in range(1, MAX_SPLIT_PARTS + 1):
            code = (cd.get(f"part{i}_code") or "").strip()
            name = (cd.get(f"part{i}_name") or "").strip()
            members = cd.get(f"part{i}_members") or []
            if code or name or members:
                out.append({"code": code, "name": name, "member_ids": list(members)})
        return out


class EditForm(BootstrapForm):
    """Plain record fields; names and parents change through dated events."""

    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Địa chỉ email không hợp lệ.")},
    )

    def __init__(self, *args, organization=None, user=None, **kwargs):
        self.organization = organization
        self.user = user
        if organization is not None:
            kwargs.setdefault(
                "initial",
                {
                    "address": organization.address,
                    "phone": organization.phone,
                    "email": organization.email,
                },
            )
        super().__init__(*args, **kwargs)
