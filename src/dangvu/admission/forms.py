"""Forms of the admission pages. They only shape input: every rule is checked by
admission.services, whose ValidationError goes back onto the form fields."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField
from dangvu.core.scope import ADD, CHANGE
from dangvu.organizations.choices import CELL_TYPES
from dangvu.organizations.models import Organization

from . import services
from .choices import CLOSE_STATUSES, CandidateStatus, IntroducerKind, StepKind
from .models import Candidate

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
    (_("Công tác"), ["occupation", "position", "workplace", "note"]),
]
# Choices with a default (left empty: the default applies).
DEFAULTED = [
    "ethnicity",
    "religion",
    "general_education",
    "professional_degree",
    "political_theory",
    "state_management",
]
WIDE_FIELDS = {"full_name", "birth_place", "hometown", "address", "workplace", "note"}
SHORT_FIELDS = {"date_of_birth", "phone", "citizen_id", "gender"}


def cells_for(user, action=ADD):
    return (
        Organization.objects.restrict(user, action, module="admission")
        .active()
        .filter(org_type__in=CELL_TYPES)
    )


class CandidateForm(forms.ModelForm):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Chi bộ bồi dưỡng, xét kết nạp")
    )
    date_of_birth = VNDateField(label=_("Ngày sinh"))

    class Meta:
        model = Candidate
        fields = ["organization", *services.PROFILE_FIELDS]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        action = CHANGE if self.instance.pk else ADD
        self.fields["organization"].queryset = cells_for(user, action)
        if self.instance.pk and self.instance.cell_vote_date:
            del self.fields["organization"]
        for name in DEFAULTED:
            self.fields[name].required = False

    def _post_clean(self):
        # The service validates and saves; the model's own checks would duplicate its messages.
        pass

    def groups(self):
        out = []
        for title, names in PROFILE_GROUPS:
            out.append((title, [self[n] for n in names if n in self.fields]))
        return out

    def service_data(self) -> dict:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k in services.PROFILE_FIELDS and not (k in DEFAULTED and not v)
        }


# Fields of each step (besides the date), in the order the form shows them.
STEP_FIELDS = {
    StepKind.AWARENESS: ["decision_number", "notes", "attachment"],
    StepKind.APPLICATION: ["notes", "attachment"],
    StepKind.INTRODUCERS: ["notes"],
    StepKind.BACKGROUND_CHECK: ["notes", "attachment"],
    StepKind.CELL_VOTE: ["votes_for", "votes_against", "decision_number", "notes", "attachment"],
    StepKind.COMMITTEE_VOTE: [
        "votes_for",
        "votes_against",
        "votes_total",
        "decision_number",
        "notes",
        "attachment",
    ],
    StepKind.DECISION: ["decision_number", "issuer", "notes", "attachment"],
    StepKind.CEREMONY: ["consent_reference", "notes", "attachment"],
    StepKind.RECOGNITION: [
        "votes_for",
        "votes_against",
        "decision_number",
        "issuer",
        "notes",
        "attachment",
    ],
}
NUMBER_LABELS = {
    StepKind.AWARENESS: _("Số giấy chứng nhận"),
    StepKind.CELL_VOTE: _("Số nghị quyết của chi bộ"),
    StepKind.COMMITTEE_VOTE: _("Số nghị quyết của đảng ủy"),
    StepKind.DECISION: _("Số quyết định kết nạp"),
    StepKind.RECOGNITION: _("Số quyết định công nhận chính thức"),
}
DATE_LABELS = {
    StepKind.AWARENESS: _("Ngày cấp giấy chứng nhận"),
    StepKind.APPLICATION: _("Ngày làm đơn"),
    StepKind.INTRODUCERS: _("Ngày hoàn tất giới thiệu"),
    StepKind.BACKGROUND_CHECK: _("Ngày kết luận thẩm tra"),
    StepKind.CELL_VOTE: _("Ngày chi bộ họp xét"),
    StepKind.COMMITTEE_VOTE: _("Ngày đảng ủy họp xét"),
    StepKind.DECISION: _("Ngày quyết định"),
    StepKind.CEREMONY: _("Ngày tổ chức lễ kết nạp"),
    StepKind.RECOGNITION: _("Ngày chi bộ họp xét"),
}


class StepForm(forms.Form):
    kind = forms.ChoiceField(choices=StepKind.choices, widget=forms.HiddenInput)
    date = VNDateField(label=_("Ngày"))
    decision_number = forms.CharField(label=_("Số văn bản"), max_length=64, required=False)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    votes_for = forms.IntegerField(label=_("Số tán thành"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Số không tán thành"), min_value=0, required=False)
    votes_total = forms.IntegerField(
        label=_("Tổng số cấp ủy viên"),
        min_value=1,
        required=False,
        help_text=_("Dùng khi hệ thống chưa có danh sách cấp ủy tại ngày biểu quyết."),
    )
    consent_reference = forms.CharField(
        label=_("Văn bản đồng ý của cấp trên (nếu tổ chức lễ muộn)"), max_length=120, required=False
    )
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(label=_("Tệp đính kèm"), required=False)

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("kind", kind)
        kwargs["initial"].setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.step_kind = kind
        keep = {"kind", "date", *STEP_FIELDS[kind]}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["date"].label = DATE_LABELS[kind]
        if "decision_number" in self.fields and kind in NUMBER_LABELS:
            self.fields["decision_number"].label = NUMBER_LABELS[kind]
        if kind == StepKind.BACKGROUND_CHECK:
            self.fields["notes"].label = _("Kết luận thẩm tra lý lịch")
            self.fields["notes"].required = True
        if kind in (StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE, StepKind.RECOGNITION):
            self.fields["votes_for"].required = True

    def clean_kind(self):
        if self.cleaned_data["kind"] != self.step_kind:
            raise forms.ValidationError(_("Bước không hợp lệ."))
        return self.cleaned_data["kind"]

    def service_data(self) -> dict:
        d = {k: v for k, v in self.cleaned_data.items() if k != "kind"}
        for key in ("decision_number", "issuer", "consent_reference", "notes"):
            if key in d:
                d[key] = d[key] or ""
        return d


class IntroducerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hình thức giới thiệu"),
        choices=IntroducerKind.choices,
        initial=IntroducerKind.PARTY_MEMBER,
    )
    member = forms.ModelChoiceField(label=_("Đảng viên giới thiệu"), queryset=None, required=False)
    months_together = forms.IntegerField(
        label=_("Số tháng cùng công tác, sinh sống"), min_value=0, required=False
    )
    is_replacement = forms.BooleanField(
        label=_("Người giới thiệu thay thế (chi bộ phân công)"), required=False
    )
    resolution_number = forms.CharField(
        label=_("Số nghị quyết của Đoàn/Công đoàn"), max_length=64, required=False
    )
    resolution_date = VNDateField(label=_("Ngày nghị quyết"), required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Kết thúc hồ sơ"),
        choices=[(s.value, s.label) for s in CandidateStatus if s in CLOSE_STATUSES],
    )
    date = VNDateField(label=_("Ngày"), initial=dt.date.today)
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class TargetForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Tổ chức đảng"))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Chỉ tiêu kết nạp"), min_value=0)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(
            user, ADD, module="admission"
        ).active()


class TargetFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=None, label=_("Tổ chức (cả cấp dưới)"), required=False
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
