"""One filterset serves the rulebook's API (and any page that lists rules)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Holiday, Rule


def in_force_q(on, start: str = "effective_from", end: str = "effective_to") -> Q:
    """Rows whose period [start, end) contains the date `on` (end empty = still in force)."""
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": on}))


class RuleFilterSet(filters.FilterSet):
    key = filters.CharFilter(lookup_expr="exact", label=_("Mã quy tắc (đúng mã)"))
    key__startswith = filters.CharFilter(
        field_name="key",
        lookup_expr="startswith",
        label=_("Mã quy tắc bắt đầu bằng (ví dụ “admission.”)"),
    )
    verified = filters.BooleanFilter(label=_("Đã đối chiếu văn bản gốc"))
    on = filters.DateFilter(method="filter_on", label=_("Có hiệu lực tại ngày (YYYY-MM-DD)"))

    class Meta:
        model = Rule
        fields = ["key", "verified"]

    def filter_on(self, qs, name, value):
        return qs.filter(in_force_q(value)) if value else qs


class HolidayFilterSet(filters.FilterSet):
    year = filters.NumberFilter(field_name="date__year", label=_("Năm"))
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"))
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"))
    is_day_off = filters.BooleanFilter(label=_("Ngày nghỉ (không: ngày làm bù)"))

    class Meta:
        model = Holiday
        fields = ["is_day_off"]
