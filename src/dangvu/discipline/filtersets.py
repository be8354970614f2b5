"""Filterset of discipline decisions: the list page and the API share it."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from dangvu.members.filtersets import VNDateFilter
from dangvu.organizations.models import Organization

from .choices import DisciplineForm
from .models import DisciplineCase


@extend_schema_field(OpenApiTypes.INT)
class OrganizationSubtreeFilter(filters.ModelChoiceFilter):
    """An organisation id; the rows of its whole subtree."""


class DisciplineCaseFilterSet(filters.FilterSet):
    organization = OrganizationSubtreeFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    member = filters.NumberFilter(field_name="member_id", label=_("Đảng viên (mã)"))
    form = filters.MultipleChoiceFilter(
        choices=DisciplineForm.choices, label=_("Hình thức kỷ luật")
    )
    in_force = filters.BooleanFilter(
        method="filter_in_force", label=_("Còn hiệu lực hôm nay (chưa hết hiệu lực)")
    )
    decided_from = VNDateFilter(
        field_name="decided_on", lookup_expr="gte", label=_("Quyết định từ ngày")
    )
    decided_to = VNDateFilter(
        field_name="decided_on", lookup_expr="lte", label=_("Quyết định đến ngày")
    )

    class Meta:
        model = DisciplineCase
        fields = ["member", "form"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(
                user, "view", module="discipline"
            )

    def filter_subtree(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(member__organization__path__startswith=value.path)

    def filter_in_force(self, qs, name, value):
        if value is None:
            return qs
        today = timezone.localdate()
        lifted = Q(lifted_on__isnull=False, lifted_on__lte=today)
        return qs.exclude(lifted) if value else qs.filter(lifted)
