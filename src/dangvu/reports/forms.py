from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField, bootstrapify

from .choices import NARRATIVE_SECTIONS, Half, ReportFormat, ReportKind


class ReportForm(forms.Form):
    """What to generate: organisation (within scope), kind, period and format, optional narrative
    per section. The service decides (`services.report_request`); errors come back on the fields."""

    organization = forms.ModelChoiceField(queryset=None, label=_("Tổ chức đảng"))
    kind = forms.ChoiceField(choices=ReportKind.choices, label=_("Loại báo cáo"))
    year = forms.IntegerField(label=_("Năm"), required=False)
    half = forms.TypedChoiceField(
        choices=[("", "—"), *Half.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Kỳ 6 tháng"),
    )
    as_of = VNDateField(label=_("Số liệu tính đến ngày"), required=False)
    format = forms.ChoiceField(choices=ReportFormat.choices, label=_("Định dạng"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].label_from_instance = lambda o: f"{o.name} ({o.code})"
        today = timezone.localdate()
        self.fields["year"].initial = today.year if today.month > 6 else today.year - 1
        self.fields["half"].initial = Half.FIRST if today.month > 6 else Half.SECOND
        self.fields["as_of"].initial = today
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        for code, heading in NARRATIVE_SECTIONS:
            self.fields[f"narrative_{code}"] = forms.CharField(
                label=heading,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        bootstrapify(self)

    @property
    def narrative_fields(self):
        return [self[f"narrative_{code}"] for code, _h in NARRATIVE_SECTIONS]

    def narratives(self) -> dict:
        return {
            code: self.cleaned_data.get(f"narrative_{code}") or ""
            for code, _h in NARRATIVE_SECTIONS
        }
