"""Filterset of awarded badges: the API and the history page's filters."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from dangvu.discipline.filtersets import OrganizationSubtreeFilter
from dangvu.members.filtersets import VNDateFilter
from dangvu.organizations.models import Organization

from .choices import EarlyReason
from .models import BadgeAward


class BadgeAwardFilterSet(filters.FilterSet):
    organization = OrganizationSubtreeFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    member = filters.NumberFilter(field_name="member_id", label=_("Đảng viên (mã)"))
    tier = filters.NumberFilter(label=_("Huy hiệu (năm tuổi đảng)"))
    occasion = VNDateFilter(label=_("Dịp trao"))
    occasion_from = VNDateFilter(field_name="occasion", lookup_expr="gte", label=_("Từ dịp"))
    occasion_to = VNDateFilter(field_name="occasion", lookup_expr="lte", label=_("Đến dịp"))
    early_reason = filters.ChoiceFilter(choices=EarlyReason.choices, label=_("Trường hợp"))

    class Meta:
        model = BadgeAward
        fields = ["member", "tier", "occasion", "early_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(
                user, "view", module="badges"
            )

    def filter_subtree(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(member__organization__path__startswith=value.path)
