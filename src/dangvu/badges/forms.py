"""Forms of the badge pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import fmt
from dangvu.core.forms import VNDateField
from dangvu.discipline.forms import MemberLookupField
from dangvu.members.forms import OrgChoiceField
from dangvu.organizations.models import Organization


class DueFilterForm(forms.Form):
    occasion = forms.TypedChoiceField(label=_("Dịp trao"), choices=(), required=False)
    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Tổ chức (cả tổ chức trực thuộc)"),
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
    )
    since = VNDateField(
        label=_("Gồm người đến mốc từ ngày"),
        required=False,
        help_text=_("Để trống: từ sau dịp trao trước."),
    )

    def __init__(self, *args, orgs, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["occasion"].choices = [(d.isoformat(), fmt(d)) for d in occasions]


class RecordForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64)
    awarded_on = VNDateField(label=_("Ngày quyết định"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class ProposalForm(forms.Form):
    member = MemberLookupField(label=_("Đảng viên (số thẻ hoặc CCCD)"))
    proposed_on = VNDateField(label=_("Ngày đề nghị"))
    note = forms.CharField(
        label=_("Tình trạng bệnh, căn cứ đề nghị"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].members = members


class WithdrawForm(forms.Form):
    date = VNDateField(label=_("Ngày rút"))
    note = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class AwardFilterForm(forms.Form):
    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Tổ chức (cả tổ chức trực thuộc)"),
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
    )
    tier = forms.TypedChoiceField(
        label=_("Huy hiệu"), choices=(), required=False, coerce=int, empty_value=None
    )
    year = forms.IntegerField(label=_("Năm trao"), required=False, min_value=1930, max_value=2200)

    def __init__(self, *args, orgs, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["tier"].choices = [("", _("Tất cả"))] + [
            (t, _("%(t)s năm") % {"t": t}) for t in tiers
        ]
