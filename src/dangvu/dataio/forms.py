from django import forms
from django.utils.translation import gettext_lazy as _

from .jobs import ALLOWED_EXTENSIONS
from .services import importable_organizations


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = "\u2003" * max(obj.depth - 1, 0)
        return f"{indent}{obj.name} ({obj.code})"


class ImportUploadForm(forms.Form):
    organization = OrganizationChoiceField(
        queryset=None,
        label=_("Tổ chức mặc định"),
        help_text=_("Dùng cho các dòng để trống cột “Chi bộ”."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ",".join(ALLOWED_EXTENSIONS)}
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = importable_organizations(user).order_by("path")
