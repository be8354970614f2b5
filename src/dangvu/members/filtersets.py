"""One filterset serves the member list page, the API and exports."""

import datetime as dt
from pathlib import Path

import django_filters as filters
from django import forms
from django.db.models import Q
from django.forms.renderers import DjangoTemplates
from django.forms.utils import pretty_name
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
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


# --- widgets without a template per option ------------------------------------------------------
# The filter form of the member list has ~130 options (54 ethnicities, the organisations, the
# statuses...). Django renders each option through two included templates (select_option.html and
# attrs.html): about 360 template renders and 15 ms a request at province scale. The renderer below
# writes Django's own widget templates out in Python, character for character (the test
# tests/members/test_views.py compares both), and falls back to the templates for anything else.

_VALUE_CONTEXT = Context()  # autoescape on, localisation as in a template


def _var(value) -> str:
    """`{{ value }}` in a template."""
    return render_value_in_context(value, _VALUE_CONTEXT)


def _stringformat(value) -> str:
    """`{{ value|stringformat:'s' }}` in a template."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 -- as the stringformat filter does
    except (ValueError, TypeError):
        text = ""
    if isinstance(value, SafeData):
        text = mark_safe(text)
    return conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_var(name)}")
        else:
            out.append(f' {_var(name)}="{_stringformat(value)}"')
    return "".join(out)


def _input(w: dict) -> str:
    """django/forms/widgets/input.html (and the types that only include it)"""
    value = f' value="{_stringformat(w["value"])}"' if w["value"] != None else ""  # noqa: E711
    return f'<input type="{_var(w["type"])}" name="{_var(w["name"])}"{value}{_attrs(w["attrs"])}>\n'


def _input_option(w: dict) -> str:
    """django/forms/widgets/input_option.html"""
    if not w.get("wrap_label"):
        return _input(w) + "\n"
    label_id = w["attrs"].get("id")
    label_for = f' for="{_var(label_id)}"' if label_id else ""
    return f"<label{label_for}>{_input(w)} {_var(w['label'])}</label>\n"


def _select_option(w: dict) -> str:
    """django/forms/widgets/select_option.html"""
    return (
        f'<option value="{_stringformat(w["value"])}"{_attrs(w["attrs"])}>'
        f"{_var(w['label'])}</option>\n"
    )


_INPUT_TEMPLATES = ("text", "search", "date", "number", "email", "hidden", "checkbox")
_WIDGET_DIR = "django/forms/widgets/"


class FastWidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the stock input, select and option templates in Python."""

    @cached_property
    def _python(self) -> dict:
        table = {f"{_WIDGET_DIR}{name}.html": _input_wrapped for name in _INPUT_TEMPLATES}
        table |= {
            f"{_WIDGET_DIR}input.html": _input,
            f"{_WIDGET_DIR}input_option.html": _input_option,
            f"{_WIDGET_DIR}checkbox_option.html": _option_wrapped,
            f"{_WIDGET_DIR}radio_option.html": _option_wrapped,
            f"{_WIDGET_DIR}select_option.html": _select_option,
            f"{_WIDGET_DIR}select.html": self._select,
        }
        # Only where the template is Django's own: a project or app that overrides one keeps it.
        stock = Path(forms.__file__).parent / "templates"
        return {
            name: fn
            for name, fn in table.items()
            if Path(self.get_template(name).template.origin.name).is_relative_to(stock)
        }

    def _raw(self, template_name: str, widget: dict) -> str:
        fn = self._python.get(template_name)
        if fn is None:
            return self.get_template(template_name).render({"widget": widget})
        return fn(widget)

    def _select(self, w: dict) -> str:
        """django/forms/widgets/select.html"""
        out = [f'<select name="{_var(w["name"])}"{_attrs(w["attrs"])}>']
        for group_name, group_choices, _index in w["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_var(group_name)}">')
            for option in group_choices:
                out.append("\n  " + self._raw(option["template_name"], option))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>\n")
        return "".join(out)

    def render(self, template_name, context, request=None):
        fn = self._python.get(template_name)
        if fn is None or set(context) != {"widget"}:
            return super().render(template_name, context, request=request)
        return fn(context["widget"]).strip()


def _input_wrapped(w: dict) -> str:
    """text.html, date.html...: `{% include "django/forms/widgets/input.html" %}`"""
    return _input(w) + "\n"


def _option_wrapped(w: dict) -> str:
    """checkbox_option.html, radio_option.html: `{% include ".../input_option.html" %}`"""
    return _input_option(w) + "\n"


FAST_WIDGETS = FastWidgetRenderer()


class MemberFilterForm(forms.Form):
    default_renderer = FAST_WIDGETS


class VNDateFilter(filters.DateFilter):
    """Date filter typed dd/mm/yyyy in the UI; the API also accepts ISO yyyy-mm-dd."""

    field_class = VNDateField


_percent = lazy(lambda fmt, value: fmt % value, str)


class OrderingFilter(filters.OrderingFilter):
    descending_fmt = _("%s (giảm dần)")

    def build_choices(self, fields, labels):
        """django-filter's, with the descending labels kept lazy: its `fmt % label` translated
        them once, at import, in the default language (English pages said "(giảm dần)")."""
        ascending = [
            (param, labels.get(field, _(pretty_name(param)))) for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}", _percent(self.descending_fmt, label)))
            for param, label in ascending
        ]
        return [val for pair in zip(ascending, descending, strict=True) for val in pair]


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
        form = MemberFilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(user, "view")

    def filter_q(self, qs, name, value):
        return qs.search(value) if value else qs

    def filter_queryset(self, queryset):
        """The search last: it counts its matches and chooses its plan from the planner's
        estimate (MemberQuerySet.search), so the other filters must already be there. Declared
        before the organisation, age and admission-date filters, it was counted without them and
        again with them, and planned for all of the country's "nguyen van" when a later filter
        kept one district's 561 (national dataset: 45 ms, 17 ms searched last)."""
        data = dict(self.form.cleaned_data)
        search = data.pop("q", None)
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        return self.filters["q"].filter(queryset, search) if "q" in self.filters else queryset

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
