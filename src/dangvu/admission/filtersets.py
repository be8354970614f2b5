"""Filtersets of candidates and targets: the list page and the API share them.

The organisation filter covers the subtree and offers only organisations the user may see.
"""

import django_filters as filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.organizations.models import Organization

from .choices import OPEN_STATUSES, CandidateStatus, StepKind
from .models import AdmissionTarget, Candidate
from .selectors import overdue_q


class _ScopedOrganizationMixin:
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(
                user, "view", module="admission"
            )

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs


class CandidateFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Tìm theo tên, CCCD"))
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    step = filters.ChoiceFilter(
        field_name="current_step",
        choices=StepKind.choices,
        label=_("Đã qua bước"),
        empty_label=_("Mọi bước"),
    )
    status = filters.ChoiceFilter(
        choices=[("open", _("Đang xét hoặc đang dự bị")), *CandidateStatus.choices],
        method="filter_status",
        label=_("Tình trạng"),
        empty_label=_("Mọi tình trạng"),
    )
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Quá hạn"))

    class Meta:
        model = Candidate
        fields = ["organization", "status"]

    def filter_status(self, qs, name, value):
        if not value:
            return qs
        if value == "open":
            return qs.filter(status__in=OPEN_STATUSES)
        return qs.filter(status=value)

    def filter_q(self, qs, name, value):
        return qs.search(value) if value else qs

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        q = overdue_q(timezone.localdate())
        return qs.filter(q) if value else qs.exclude(q)


class AdmissionTargetFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    year = filters.NumberFilter(label=_("Năm"))

    class Meta:
        model = AdmissionTarget
        fields = ["organization", "year"]
