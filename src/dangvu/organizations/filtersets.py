import django_filters as filters
from django.utils.translation import gettext_lazy as _

from dangvu.core.text import search_terms

from .choices import OrgType
from .models import Organization


class OrganizationFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Tìm kiếm"))
    org_type = filters.MultipleChoiceFilter(choices=OrgType.choices, label=_("Loại tổ chức"))
    parent = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), method="filter_parent", label=_("Trực thuộc")
    )
    within = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), method="filter_within", label=_("Thuộc (cả cấp dưới)")
    )
    active = filters.BooleanFilter(
        field_name="dissolved_on", lookup_expr="isnull", label=_("Đang hoạt động")
    )

    class Meta:
        model = Organization
        fields = ["org_type"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            scoped = Organization.objects.restrict(user, "view")
            self.filters["parent"].queryset = scoped
            self.filters["within"].queryset = scoped

    def filter_q(self, qs, name, value):
        for term in search_terms(value or ""):
            qs = qs.filter(search_text__contains=term)
        return qs

    def filter_parent(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(path__startswith=value.path, depth=value.depth + 1)

    def filter_within(self, qs, name, value):
        return qs.filter(path__startswith=value.path) if value else qs
