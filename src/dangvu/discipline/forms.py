"""Forms of the discipline pages; also `MemberLookupField`, which the badge pages reuse."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField
from dangvu.members.forms import OrgChoiceField
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from .choices import DisciplineForm


class MemberLookupField(forms.CharField):
    """A member typed by party card number or citizen ID (a link may pass "#<id>"), found among
    `members` (the rows the user may act on): a select of thousands of names would not do."""

    default_error_messages = {
        "not_found": _(
            "Không tìm thấy đảng viên có số thẻ hoặc số CCCD “%(value)s” trong phạm vi của "
            "đồng chí."
        ),
    }

    def __init__(self, *, members=None, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "help_text", _("Nhập số thẻ đảng viên hoặc số CCCD (12 số) của đảng viên.")
        )
        super().__init__(**kwargs)
        self.members = members if members is not None else Member.objects.none()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        member = self.members.filter(Q(card_number=text) | Q(citizen_id=text)).first()
        if member is None and text.startswith("#") and text[1:].isdigit():
            member = self.members.filter(pk=int(text[1:])).first()
        if member is None:
            raise ValidationError(
                self.error_messages["not_found"], code="not_found", params={"value": text}
            )
        return member


def member_lookup_value(member) -> str:
    """What the lookup box shows for a known member (its card number, else "#id")."""
    return member.card_number or member.citizen_id or f"#{member.pk}"


class DisciplineFilterForm(forms.Form):
    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Tổ chức (cả tổ chức trực thuộc)"),
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
    )
    form = forms.ChoiceField(
        label=_("Hình thức"), choices=[("", _("Tất cả")), *DisciplineForm.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("Hiệu lực"),
        choices=[
            ("", _("Tất cả")),
            ("in_force", _("Còn hiệu lực")),
            ("lifted", _("Đã hết hiệu lực")),
        ],
        required=False,
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs


class DisciplineCaseForm(forms.Form):
    member = MemberLookupField(label=_("Đảng viên (số thẻ hoặc CCCD)"))
    form = forms.ChoiceField(label=_("Hình thức kỷ luật"), choices=DisciplineForm.choices)
    decided_on = VNDateField(label=_("Ngày quyết định"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64)
    deciding_body = forms.CharField(
        label=_("Cấp quyết định"),
        max_length=255,
        help_text=_("Ví dụ: Chi bộ Văn phòng; Ủy ban Kiểm tra Đảng ủy Khối."),
    )
    reason = forms.CharField(
        label=_("Nội dung vi phạm, lý do"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].members = members


class LiftForm(forms.Form):
    lifted_on = VNDateField(label=_("Hết hiệu lực từ ngày"))
    note = forms.CharField(
        label=_("Căn cứ"),
        max_length=255,
        help_text=_("Ví dụ: Quyết định giải quyết khiếu nại số …"),
    )
