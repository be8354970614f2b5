import django_filters as filters
from django.utils.translation import gettext_lazy as _

from dangvu.meetings.filtersets import OrganizationSubtreeFilter
from dangvu.organizations.models import Organization

from .choices import ReportFormat, ReportKind, ReportStatus
from .models import GeneratedReport


class ReportFilterSet(filters.FilterSet):
    organization = OrganizationSubtreeFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    kind = filters.ChoiceFilter(
        choices=ReportKind.choices, label=_("Loại báo cáo"), empty_label=_("Mọi loại báo cáo")
    )
    status = filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Tình trạng"))
    format = filters.ChoiceFilter(choices=ReportFormat.choices, label=_("Định dạng"))
    mine = filters.BooleanFilter(method="filter_mine", label=_("Chỉ báo cáo tôi tạo"))

    class Meta:
        model = GeneratedReport
        fields = ["kind", "status", "format"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        self._user = user or getattr(request, "user", None)
        if self._user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(
                self._user, "view", module="members"
            )

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs

    def filter_mine(self, qs, name, value):
        if value and self._user is not None:
            return qs.filter(created_by=self._user)
        return qs
