import django_filters as filters
from django.utils.translation import gettext_lazy as _

from dangvu.core.filtersets import in_force_q
from dangvu.core.text import search_terms

from .choices import OrgEventKind, OrgType
from .models import (
    Organization,
    OrganizationEvent,
    OrganizationTypeLabel,
    OrganizationVersion,
)


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


class _ScopedOrganizationChoices:
    """Organisation filters offer only the organisations the user may see."""

    scoped_filters: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            scoped = Organization.objects.restrict(user, "view")
            for name in self.scoped_filters:
                self.filters[name].queryset = scoped


class OrganizationEventFilterSet(_ScopedOrganizationChoices, filters.FilterSet):
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    kind = filters.MultipleChoiceFilter(choices=OrgEventKind.choices, label=_("Loại sự kiện"))
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"))
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"))

    scoped_filters = ("organization",)

    class Meta:
        model = OrganizationEvent
        fields = ["kind"]

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs


class OrganizationVersionFilterSet(_ScopedOrganizationChoices, filters.FilterSet):
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), label=_("Tổ chức (lịch sử của một tổ chức)")
    )
    parent = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), label=_("Trực thuộc (cấp trên trong phiên bản)")
    )
    on = filters.DateFilter(
        method="filter_on",
        label=_("Có hiệu lực tại ngày: cây tổ chức như tại ngày đó (YYYY-MM-DD)"),
    )

    scoped_filters = ("organization", "parent")

    class Meta:
        model = OrganizationVersion
        fields = ["organization", "parent"]

    def filter_on(self, qs, name, value):
        return qs.filter(in_force_q(value, "valid_from", "valid_to")) if value else qs


class OrganizationTypeLabelFilterSet(filters.FilterSet):
    org_type = filters.MultipleChoiceFilter(choices=OrgType.choices, label=_("Loại tổ chức"))

    class Meta:
        model = OrganizationTypeLabel
        fields = ["org_type"]
