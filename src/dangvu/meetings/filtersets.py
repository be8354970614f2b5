"""Filtersets of meetings, attendance and supervision: the API and the list pages share them.

The organisation filter covers the subtree and offers only organisations the user may see;
dates are local dates (dd/mm/yyyy in the pages, ISO yyyy-mm-dd in the API too).
"""

import django_filters as filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from dangvu.core.filtersets import in_force_q
from dangvu.members.filtersets import VNDateFilter
from dangvu.organizations.models import Organization

from .choices import (
    AttendanceStatus,
    FindingCategory,
    FindingStatus,
    MeetingKind,
    MeetingStatus,
    Quality,
    RosterCategory,
)
from .models import Assignment, Attendance, Finding, Meeting, ObserverVisit
from .selectors import day_range_q, overdue_q


class _ScopedOrganizationMixin:
    """`organization` (subtree) among the organisations the requesting user may see."""

    org_lookup = "organization"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(user, "view")

    def filter_subtree(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.org_lookup}__path__startswith": value.path})


@extend_schema_field(OpenApiTypes.INT)
class OrganizationSubtreeFilter(filters.ModelChoiceFilter):
    """An organisation id; the rows of its whole subtree."""


def _organization_filter():
    return OrganizationSubtreeFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )


class MeetingFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    organization = _organization_filter()
    kind = filters.MultipleChoiceFilter(choices=MeetingKind.choices, label=_("Loại sinh hoạt"))
    status = filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label=_("Trạng thái"))
    date_from = VNDateFilter(method="filter_from", label=_("Từ ngày"))
    date_to = VNDateFilter(method="filter_to", label=_("Đến ngày"))
    quality = filters.ChoiceFilter(choices=Quality.choices, label=_("Tự đánh giá chất lượng"))

    class Meta:
        model = Meeting
        fields = ["kind", "status", "quality"]

    def filter_from(self, qs, name, value):
        return qs.filter(day_range_q(value, None)) if value else qs

    def filter_to(self, qs, name, value):
        return qs.filter(day_range_q(None, value)) if value else qs


class AttendanceFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    org_lookup = "meeting__organization"

    organization = _organization_filter()
    meeting = filters.NumberFilter(field_name="meeting_id", label=_("Buổi sinh hoạt (mã)"))
    member = filters.NumberFilter(field_name="member_id", label=_("Đảng viên (mã)"))
    category = filters.MultipleChoiceFilter(choices=RosterCategory.choices, label=_("Diện"))
    status = filters.MultipleChoiceFilter(choices=AttendanceStatus.choices, label=_("Điểm danh"))

    class Meta:
        model = Attendance
        fields = ["meeting", "member", "category", "status"]


class AssignmentFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    organization = _organization_filter()
    user = filters.NumberFilter(field_name="user_id", label=_("Đồng chí phụ trách (mã tài khoản)"))
    on = VNDateFilter(method="filter_on", label=_("Còn hiệu lực tại ngày"))

    class Meta:
        model = Assignment
        fields = ["user"]

    def filter_on(self, qs, name, value):
        return qs.filter(in_force_q(value, "valid_from", "valid_to")) if value else qs


class ObserverVisitFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    org_lookup = "meeting__organization"

    organization = _organization_filter()
    meeting = filters.NumberFilter(field_name="meeting_id", label=_("Buổi sinh hoạt (mã)"))
    observer = filters.NumberFilter(field_name="observer_id", label=_("Người dự (mã tài khoản)"))
    assessment = filters.ChoiceFilter(choices=Quality.choices, label=_("Đánh giá chung"))
    date_from = VNDateFilter(method="filter_from", label=_("Sinh hoạt từ ngày"))
    date_to = VNDateFilter(method="filter_to", label=_("Sinh hoạt đến ngày"))

    class Meta:
        model = ObserverVisit
        fields = ["meeting", "observer", "assessment"]

    def filter_from(self, qs, name, value):
        return qs.filter(meeting__in=Meeting.objects.filter(day_range_q(value, None)))

    def filter_to(self, qs, name, value):
        return qs.filter(meeting__in=Meeting.objects.filter(day_range_q(None, value)))


class FindingFilterSet(_ScopedOrganizationMixin, filters.FilterSet):
    org_lookup = "visit__meeting__organization"

    organization = _organization_filter()
    visit = filters.NumberFilter(field_name="visit_id", label=_("Lần dự (mã)"))
    status = filters.ChoiceFilter(choices=FindingStatus.choices, label=_("Tình trạng"))
    category = filters.MultipleChoiceFilter(
        choices=FindingCategory.choices, label=_("Nhóm thiếu sót")
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue", label=_("Quá hạn (chưa khắc phục, đã qua hạn)")
    )
    deadline_from = VNDateFilter(field_name="deadline", lookup_expr="gte", label=_("Hạn từ ngày"))
    deadline_to = VNDateFilter(field_name="deadline", lookup_expr="lte", label=_("Hạn đến ngày"))
    owner_user = filters.NumberFilter(
        field_name="owner_user_id", label=_("Tài khoản chịu trách nhiệm (mã)")
    )

    class Meta:
        model = Finding
        fields = ["visit", "status", "category", "owner_user"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        q = overdue_q(timezone.localdate())
        return qs.filter(q) if value else qs.exclude(q)
