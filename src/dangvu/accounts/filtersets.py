"""One filterset serves the role assignment list (API, and any page that lists them)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from dangvu.core.filtersets import in_force_q
from dangvu.organizations.models import Organization

from .models import RoleAssignment
from .roles import ROLE_CHOICES


class RoleAssignmentFilterSet(filters.FilterSet):
    user = filters.NumberFilter(field_name="user_id", label=_("Người dùng (mã)"))
    role = filters.MultipleChoiceFilter(choices=ROLE_CHOICES, label=_("Vai trò"))
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tại tổ chức (cả cấp dưới)"),
    )
    on = filters.DateFilter(method="filter_on", label=_("Có hiệu lực tại ngày (YYYY-MM-DD)"))

    class Meta:
        model = RoleAssignment
        fields = ["user", "role"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(user, "view")

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs

    def filter_on(self, qs, name, value):
        return qs.filter(in_force_q(value, "valid_from", "valid_to")) if value else qs
