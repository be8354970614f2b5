"""Form helpers shared by the UI (dd/mm/yyyy dates, Bootstrap classes, service errors) and the
rulebook forms with the one write the rulebook screens need: a new dated value of a rule."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit_context
from .dates import fmt, parse_vn_date
from .models import Rule

DATE_PLACEHOLDER = "dd/mm/yyyy"


class VNDateInput(forms.DateInput):
    """A text box showing and accepting dd/mm/yyyy (the same in every browser and on phones)."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {
            "placeholder": DATE_PLACEHOLDER,
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}",
            "class": "vn-date",
        }
        base.update(attrs or {})
        super().__init__(attrs=base, format="%d/%m/%Y")


class VNDateField(forms.DateField):
    """Accepts dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and ISO yyyy-mm-dd, whatever the language."""

    widget = VNDateInput
    default_error_messages = {
        "invalid": gettext_lazy("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 19/05/2010."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_vn_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def bootstrapify(form) -> None:
    """Bootstrap 5 classes on every widget, `is-invalid` on fields with errors."""
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = set(widget.attrs.get("class", "").split())
        classes.add(css)
        if name in errors:
            classes.add("is-invalid")
        else:
            classes.discard("is-invalid")
        widget.attrs["class"] = " ".join(sorted(classes))


def apply_service_errors(form, exc: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ValidationError onto the form: on its field when the form has it.

    `aliases` maps a service's field name to the form's (e.g. {"kind": "transfer_kind"})."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            field = aliases.get(field, field)
            target = field if field in form.fields else None
            for msg in messages:
                form.add_error(target, msg)
    else:
        for msg in exc.messages:
            form.add_error(None, msg)


# --- rulebook ------------------------------------------------------------------------------------

RULE_AREAS = {
    "admission": gettext_lazy("Kết nạp đảng viên"),
    "org": gettext_lazy("Tổ chức cơ sở đảng"),
    "meeting": gettext_lazy("Sinh hoạt chi bộ"),
    "congress": gettext_lazy("Nhiệm kỳ, đại hội"),
    "calendar": gettext_lazy("Lịch ngày làm việc"),
    "committee": gettext_lazy("Cấp ủy"),
    "transfer": gettext_lazy("Chuyển sinh hoạt đảng"),
    "exemption": gettext_lazy("Miễn công tác và sinh hoạt đảng"),
    "removal": gettext_lazy("Xóa tên đảng viên"),
    "dues": gettext_lazy("Đảng phí"),
    "badge": gettext_lazy("Huy hiệu Đảng"),
    "assessment": gettext_lazy("Đánh giá, xếp loại chất lượng"),
    "discipline": gettext_lazy("Kiểm tra, kỷ luật"),
    "assets": gettext_lazy("Kê khai tài sản, thu nhập"),
    "election": gettext_lazy("Bầu cử"),
}

RULE_UNITS = {
    "month": gettext_lazy("tháng"),
    "year": gettext_lazy("năm"),
    "day": gettext_lazy("ngày"),
    "working_day": gettext_lazy("ngày làm việc"),
    "minute": gettext_lazy("phút"),
    "person": gettext_lazy("người"),
    "count": gettext_lazy("lần"),
    "fraction": "",
    "percent": "%",
    "point": gettext_lazy("điểm"),
    "vnd": gettext_lazy("đồng"),
    "vnd_per_month": gettext_lazy("đồng/tháng"),
    "year_list": gettext_lazy("năm (danh sách)"),
    "weekday_list": gettext_lazy("thứ trong tuần (danh sách)"),
    "month_day_list": gettext_lazy("ngày/tháng (danh sách)"),
    "level": gettext_lazy("trình độ"),
}


# Values of unit "level" (education levels) as people read them.
LEVEL_LABELS = {
    "primary": gettext_lazy("Tiểu học"),
    "thcs": gettext_lazy("Trung học cơ sở"),
    "thpt": gettext_lazy("Trung học phổ thông"),
}


def decorate_rule(row: Rule) -> Rule:
    """Attach the labels the pages show: unit in words, value in words for levels."""
    row.unit_label = RULE_UNITS.get(row.unit, row.unit)
    row.value_label = LEVEL_LABELS.get(row.value, row.value) if row.unit == "level" else row.value
    return row


def rule_area(key: str) -> str:
    return key.split(".", 1)[0]


class RuleEditForm(forms.ModelForm):
    """Correct a dated value in place (a typo, the source, the verification mark)."""

    class Meta:
        model = Rule
        fields = ["value", "title", "source", "verified", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class RuleAddForm(forms.Form):
    """A new value from a date on: the previous value stops the day before."""

    value = forms.CharField(label=gettext_lazy("Giá trị mới"), max_length=200)
    effective_from = VNDateField(label=gettext_lazy("Hiệu lực từ ngày"))
    source = forms.CharField(label=gettext_lazy("Văn bản nguồn"), max_length=300)
    verified = forms.BooleanField(
        label=gettext_lazy("Đã đối chiếu văn bản gốc"), required=False, initial=False
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _check_value(unit: str, value: str) -> str:
    """The value must read the way the rulebook reads it (rulebook.RuleValue.value)."""
    from .rulebook import RuleValue

    value = (value or "").strip()
    if not value:
        raise ValidationError({"value": _("Chưa nhập giá trị.")})
    try:
        parsed = RuleValue("", value, unit, "", "", False, "").value
    except (ValueError, ArithmeticError, ZeroDivisionError):
        raise ValidationError(
            {"value": _("Giá trị “%(v)s” không đúng dạng của đơn vị này.") % {"v": value}}
        ) from None
    bounds = {"fraction": (0, 1), "percent": (0, 100)}
    if isinstance(parsed, int | Decimal | Fraction):
        low, high = bounds.get(unit, (0, None))
        if parsed < low or (high is not None and parsed > high):
            raise ValidationError(
                {
                    "value": _("Giá trị “%(v)s” phải trong khoảng %(low)s – %(high)s.")
                    % {"v": value, "low": low, "high": high}
                    if high is not None
                    else _("Giá trị “%(v)s” không được âm.") % {"v": value}
                }
            )
    return value


@transaction.atomic
def rule_update(*, actor, rule: Rule, data: dict) -> Rule:
    """Correct one dated row of the rulebook (audited by simple-history)."""
    with audit_context(actor=actor):
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
        data = dict(data)
        if "value" in data:
            data["value"] = _check_value(rule.unit, data["value"])
        for field in ("value", "title", "source", "verified", "note"):
            if field in data:
                setattr(rule, field, data[field])
        rule.full_clean()
        rule.save()
        return rule


@transaction.atomic
def rule_add_value(
    *,
    actor,
    key: str,
    value: str,
    effective_from: dt.date,
    source: str,
    verified: bool = False,
    note: str = "",
) -> Rule:
    """Add a dated value of rule `key` from `effective_from` on, closing the value before it.

    The row in force on that date ends there (`effective_to` = the new date, exclusive); when a
    later value already exists, the new row ends where that one starts. One transaction.
    """
    with audit_context(actor=actor):
        rows = list(Rule.objects.select_for_update().filter(key=key).order_by("effective_from"))
        if not rows:
            raise ValidationError(_("Không có quy tắc “%(key)s”.") % {"key": key})
        if effective_from is None:
            raise ValidationError({"effective_from": _("Chưa nhập ngày hiệu lực.")})
        if any(r.effective_from == effective_from for r in rows):
            raise ValidationError(
                {
                    "effective_from": _(
                        "Đã có giá trị hiệu lực từ ngày %(date)s: hãy sửa giá trị đó thay vì thêm mới."
                    )
                    % {"date": fmt(effective_from)}
                }
            )
        template = rows[-1]
        value = _check_value(template.unit, value)
        if not (source or "").strip():
            raise ValidationError({"source": _("Chưa nhập văn bản nguồn.")})
        before = [r for r in rows if r.effective_from < effective_from]
        after = [r for r in rows if r.effective_from > effective_from]
        previous = before[-1] if before else None
        following = after[0] if after else None
        end = following.effective_from if following else None
        if previous is not None and following is None and previous.effective_to:
            # The value being replaced had an end date of its own: the new one keeps it.
            end = previous.effective_to if previous.effective_to > effective_from else None
        new = Rule(
            key=key,
            value=value,
            unit=template.unit,
            title=(previous or template).title,
            source=source.strip(),
            effective_from=effective_from,
            effective_to=end,
            verified=verified,
            note=note,
        )
        if previous is not None and (
            previous.effective_to is None or previous.effective_to > effective_from
        ):
            previous.effective_to = effective_from
            previous.full_clean()
            previous.save()
        new.full_clean()
        new.save()
        return new


# --- working-day calendar -------------------------------------------------------------------------


class HolidayForm(forms.Form):
    date = VNDateField(label=gettext_lazy("Ngày"))
    name = forms.CharField(label=gettext_lazy("Tên ngày nghỉ"), max_length=200)
    is_day_off = forms.BooleanField(
        label=gettext_lazy("Ngày nghỉ"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Bỏ chọn nếu đây là ngày cuối tuần phải đi làm bù."),
    )
    basis = forms.CharField(label=gettext_lazy("Căn cứ"), max_length=300, required=False)
