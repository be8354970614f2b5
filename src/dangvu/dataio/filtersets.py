"""One filterset serves the import job list page and the API."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from dangvu.organizations.models import Organization

from .models import ImportJob


class ImportJobFilterSet(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ImportJob.Status.choices, label=_("Trạng thái"))
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    created_by = filters.NumberFilter(field_name="created_by_id", label=_("Người tải lên"))
    created_from = filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Từ ngày")
    )
    created_to = filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Đến ngày")
    )

    class Meta:
        model = ImportJob
        fields = ["status", "kind"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(user, "view")

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs
