"""Forms of the committee pages: they collect input; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField
from dangvu.members.models import Member

from .choices import BODY_POSITIONS, BodyKind, CongressKind, EndReason, Position, StartKind

# Above this many candidates the member is typed by card number instead of picked from a list.
MAX_MEMBER_OPTIONS = 400


class TermForm(forms.Form):
    name = forms.CharField(label=_("Nhiệm kỳ"), max_length=40, help_text=_("Ví dụ: 2025–2030."))
    start_date = VNDateField(label=_("Bắt đầu từ ngày"))
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TermCloseForm(forms.Form):
    end_date = VNDateField(
        label=_("Kết thúc từ ngày"), help_text=_("Các chức danh còn giữ thôi từ ngày này.")
    )


class CongressForm(forms.Form):
    term_name = forms.CharField(
        label=_("Nhiệm kỳ đại hội mở"), max_length=40, help_text=_("Ví dụ: 2027–2032.")
    )
    kind = forms.ChoiceField(label=_("Hình thức"), choices=CongressKind.choices)
    planned_date = VNDateField(label=_("Ngày dự kiến"))
    approval_decision = forms.CharField(
        label=_("Văn bản cấp trên đồng ý tổ chức"), max_length=64, required=False
    )
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CongressHoldForm(forms.Form):
    held_date = VNDateField(
        label=_("Ngày tổ chức"), help_text=_("Nhiệm kỳ mới bắt đầu từ ngày này.")
    )
    result_decision = forms.CharField(
        label=_("Quyết định chuẩn y kết quả bầu cử"), max_length=64, required=False
    )


class CongressCancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500)


class CommitteeForm(forms.Form):
    """Body, date and the approved number of each position (only the body's positions count)."""

    body = forms.ChoiceField(label=_("Cơ quan"), choices=BodyKind.choices)
    formed_on = VNDateField(label=_("Ngày bầu / thành lập"), required=False)
    decision_number = forms.CharField(label=_("Quyết định chuẩn y"), max_length=64, required=False)

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = []
        for positions in BODY_POSITIONS.values():
            for p in positions:
                name = f"q_{p}"
                if name in self.fields:
                    continue
                self.fields[name] = forms.IntegerField(
                    label=Position(p).label, min_value=0, max_value=99, required=False
                )
                self.positions.append(p)
        if body:
            self.fields["body"].initial = body

    def quotas(self) -> dict[str, int]:
        body = self.cleaned_data["body"]
        return {
            p: self.cleaned_data.get(f"q_{p}") or 0
            for p in BODY_POSITIONS[BodyKind(body)]
            if self.cleaned_data.get(f"q_{p}")
        }

    def quota_fields(self):
        return [self[f"q_{p}"] for p in self.positions]


class SeatFillForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Đảng viên"), queryset=Member.objects.none(), empty_label=_("— chọn —")
    )
    position = forms.ChoiceField(label=_("Chức danh"))
    start_date = VNDateField(label=_("Từ ngày"))
    start_kind = forms.ChoiceField(label=_("Hình thức"), choices=StartKind.choices)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, committee, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [
            (p, Position(p).label) for p in BODY_POSITIONS[BodyKind(committee.body)]
        ]
        self.fields["start_date"].initial = timezone.localdate()
        if candidates.order_by()[: MAX_MEMBER_OPTIONS + 1].count() > MAX_MEMBER_OPTIONS:
            self.fields["member"] = CardNumberField(
                queryset=candidates,
                label=_("Số thẻ đảng viên"),
                help_text=_("Nhập số thẻ đảng viên của người được bầu / chỉ định."),
            )
        else:
            self.fields["member"].queryset = candidates.order_by("name_sort", "id")
            self.fields["member"].label_from_instance = lambda m: (
                f"{m.full_name} · {m.organization.name}"
                if m.organization_id != committee.organization_id
                else m.full_name
            )


class CardNumberField(forms.CharField):
    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(max_length=20, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        member = self.queryset.filter(card_number=(value or "").strip()).first()
        if member is None:
            raise forms.ValidationError(
                _("Không có đảng viên số thẻ “%(v)s” trong tổ chức này.") % {"v": value}
            )
        return member


class SeatEndForm(forms.Form):
    end_date = VNDateField(label=_("Thôi giữ chức từ ngày"))
    reason = forms.ChoiceField(label=_("Lý do"), choices=[("", _("— chọn —")), *EndReason.choices])
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64, required=False)


class ChecklistTickForm(forms.Form):
    done = forms.BooleanField(required=False)
    done_on = VNDateField(label=_("Ngày xong"), required=False)
