"""One filterset serves the member list page, the API and exports."""

import datetime as dt

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import add_years
from dangvu.core.filtersets import in_force_q
from dangvu.core.forms import VNDateField
from dangvu.organizations.models import Organization

from .choices import (
    ETHNICITY_CHOICES,
    Gender,
    GeneralEducation,
    MemberStatus,
    PoliticalTheory,
    ProfessionalDegree,
    TransferKind,
)
from .models import Member, MemberEvent, Membership, OrganizationStats

AGE_BANDS = [
    ("lt30", _("Dưới 30")),
    ("30_40", _("30 – 40")),
    ("41_50", _("41 – 50")),
    ("51_60", _("51 – 60")),
    ("gt60", _("Trên 60")),
]
# (min years inclusive, max years inclusive or None)
_AGE_RANGES = {
    "lt30": (0, 29),
    "30_40": (30, 40),
    "41_50": (41, 50),
    "51_60": (51, 60),
    "gt60": (61, None),
}

PARTY_AGE_BANDS = [
    ("lt10", _("Dưới 10 năm")),
    ("10_19", _("10 – 19 năm")),
    ("20_29", _("20 – 29 năm")),
    ("30_39", _("30 – 39 năm")),
    ("40_49", _("40 – 49 năm")),
    ("ge50", _("Từ 50 năm")),
]
_PARTY_AGE_RANGES = {
    "lt10": (0, 9),
    "10_19": (10, 19),
    "20_29": (20, 29),
    "30_39": (30, 39),
    "40_49": (40, 49),
    "ge50": (50, None),
}


def years_band_q(field: str, band: str, ranges: dict, today: dt.date | None = None) -> Q:
    """Q for `field` (a date) such that full years from it to today fall in the band."""
    today = today or timezone.localdate()
    lo, hi = ranges[band]
    q = Q(**{f"{field}__lte": add_years(today, -lo)})
    if hi is not None:
        q &= Q(**{f"{field}__gt": add_years(today, -(hi + 1))})
    return q


class VNDateFilter(filters.DateFilter):
    """Date filter typed dd/mm/yyyy in the UI; the API also accepts ISO yyyy-mm-dd."""

    field_class = VNDateField


class OrderingFilter(filters.OrderingFilter):
    descending_fmt = _("%s (giảm dần)")


class MemberFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Tìm kiếm"))
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    status = filters.MultipleChoiceFilter(choices=MemberStatus.choices, label=_("Trạng thái"))
    gender = filters.ChoiceFilter(choices=Gender.choices, label=_("Giới tính"))
    age_band = filters.ChoiceFilter(choices=AGE_BANDS, method="filter_age", label=_("Độ tuổi"))
    party_age_band = filters.ChoiceFilter(
        choices=PARTY_AGE_BANDS, method="filter_party_age", label=_("Tuổi đảng")
    )
    ethnicity = filters.ChoiceFilter(choices=ETHNICITY_CHOICES, label=_("Dân tộc"))
    general_education = filters.ChoiceFilter(
        choices=GeneralEducation.choices, label=_("Giáo dục phổ thông")
    )
    professional_degree = filters.ChoiceFilter(
        choices=ProfessionalDegree.choices, label=_("Trình độ chuyên môn")
    )
    political_theory = filters.ChoiceFilter(
        choices=PoliticalTheory.choices, label=_("Lý luận chính trị")
    )
    admitted_from = VNDateFilter(
        field_name="admission_date", lookup_expr="gte", label=_("Vào Đảng từ ngày")
    )
    admitted_to = VNDateFilter(
        field_name="admission_date", lookup_expr="lte", label=_("Vào Đảng đến ngày")
    )
    ordering = OrderingFilter(
        fields=(
            ("name_sort", "name"),
            ("date_of_birth", "date_of_birth"),
            ("admission_date", "admission_date"),
            ("organization__name", "organization"),
            ("status", "status"),
        ),
        field_labels={
            "name_sort": _("Họ tên"),
            "date_of_birth": _("Ngày sinh"),
            "admission_date": _("Ngày vào Đảng"),
            "organization__name": _("Tổ chức"),
            "status": _("Trạng thái"),
        },
        label=_("Sắp xếp"),
    )

    class Meta:
        model = Member
        fields = [
            "status",
            "gender",
            "ethnicity",
            "general_education",
            "professional_degree",
            "political_theory",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(user, "view")

    def filter_q(self, qs, name, value):
        return qs.search(value) if value else qs

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs

    def filter_age(self, qs, name, value):
        return qs.filter(years_band_q("date_of_birth", value, _AGE_RANGES)) if value else qs

    def filter_party_age(self, qs, name, value):
        # Bands from the admission date; gaps (removal to readmission) are rare and shown exactly
        # on the member page. Exact figures with gaps come from members.selectors.party_age.
        return qs.filter(years_band_q("admission_date", value, _PARTY_AGE_RANGES)) if value else qs


class MemberEventFilterSet(filters.FilterSet):
    member = filters.NumberFilter(field_name="member_id")
    kind = filters.MultipleChoiceFilter(choices=MemberEvent._meta.get_field("kind").choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"))
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"))
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )

    class Meta:
        model = MemberEvent
        fields = ["member", "kind"]

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs


class MembershipFilterSet(filters.FilterSet):
    member = filters.NumberFilter(field_name="member_id", label=_("Đảng viên (mã)"))
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    kind = filters.ChoiceFilter(choices=TransferKind.choices, label=_("Hình thức sinh hoạt"))
    on = filters.DateFilter(method="filter_on", label=_("Đang sinh hoạt tại ngày (YYYY-MM-DD)"))

    class Meta:
        model = Membership
        fields = ["member", "kind"]

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


class OrganizationStatsFilterSet(filters.FilterSet):
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_subtree",
        label=_("Tổ chức (cả cấp dưới)"),
    )
    min_active = filters.NumberFilter(
        field_name="active", lookup_expr="gte", label=_("Từ (đảng viên)")
    )
    max_active = filters.NumberFilter(
        field_name="active", lookup_expr="lte", label=_("Đến (đảng viên)")
    )

    class Meta:
        model = OrganizationStats
        fields = ["organization"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(user, "view")

    def filter_subtree(self, qs, name, value):
        return qs.filter(organization__path__startswith=value.path) if value else qs
