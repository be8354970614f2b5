"""Filtersets of terms, congresses, committees and seats (API and pages share them).

The organisation filter covers the subtree and offers only organisations the user may see;
`on` keeps the rows running on a date (ISO yyyy-mm-dd or dd/mm/yyyy).
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from dangvu.meetings.filtersets import OrganizationSubtreeFilter
from dangvu.members.filtersets import VNDateFilter
from dangvu.organizations.models import Organization

from .choices import BodyKind, CongressKind, CongressStatus, EndReason, Position, StartKind
from .models import Committee, CommitteeSeat, Congress, CongressChecklistItem, Term, in_force_q


class _ScopedOrganizationMixin:
    org_lookup = "organization"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(
                user, "view", "committees"
            )

    def filter_subtree(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.org_lookup}__path__startswith": value.path})


def _organization_filter():
    return OrganizationSubtreeFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )


class TermFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    organization = _organization_filter()
    on = VNDateFilter(method="filter_on", label=_("Đang diễn ra tại ngày"))

    class Meta:
        model = Term
        fields = ["name"]

    def filter_on(self, qs, name, value):
        return qs.filter(in_force_q(value)) if value else qs


class CongressFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    organization = _organization_filter()
    status = filters.MultipleChoiceFilter(choices=CongressStatus.choices, label=_("Trạng thái"))
    kind = filters.ChoiceFilter(choices=CongressKind.choices, label=_("Hình thức"))
    date_from = VNDateFilter(field_name="planned_date", lookup_expr="gte", label=_("Dự kiến từ"))
    date_to = VNDateFilter(field_name="planned_date", lookup_expr="lte", label=_("Dự kiến đến"))

    class Meta:
        model = Congress
        fields = ["status", "kind"]


class ChecklistItemFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    org_lookup = "congress__organization"
    organization = _organization_filter()
    congress = filters.NumberFilter(field_name="congress_id", label=_("Đại hội (mã)"))
    done = filters.BooleanFilter(label=_("Đã xong"))

    class Meta:
        model = CongressChecklistItem
        fields = ["done"]


class CommitteeFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    organization = _organization_filter()
    body = filters.ChoiceFilter(choices=BodyKind.choices, label=_("Cơ quan"))
    term = filters.NumberFilter(field_name="term_id", label=_("Nhiệm kỳ (mã)"))
    on = VNDateFilter(method="filter_on", label=_("Nhiệm kỳ đang diễn ra tại ngày"))

    class Meta:
        model = Committee
        fields = ["body"]

    def filter_on(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(in_force_q(value, "term__start_date", "term__end_date"))


class CommitteeSeatFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    org_lookup = "committee__organization"
    organization = _organization_filter()
    committee = filters.NumberFilter(field_name="committee_id", label=_("Cấp ủy (mã)"))
    member = filters.NumberFilter(field_name="member_id", label=_("Đảng viên (mã)"))
    position = filters.MultipleChoiceFilter(choices=Position.choices, label=_("Chức danh"))
    start_kind = filters.ChoiceFilter(choices=StartKind.choices, label=_("Hình thức"))
    end_reason = filters.ChoiceFilter(choices=EndReason.choices, label=_("Lý do thôi"))
    on = VNDateFilter(method="filter_on", label=_("Đang giữ chức tại ngày"))

    class Meta:
        model = CommitteeSeat
        fields = ["position", "start_kind", "end_reason"]

    def filter_on(self, qs, name, value):
        return qs.filter(in_force_q(value)) if value else qs
