"""Forms of the meeting and supervision pages. They only shape input: every rule is checked by
meetings.services, whose ValidationError is put back onto the form fields
(core.forms.apply_service_errors)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField, bootstrapify
from dangvu.members.forms import OrgChoiceField
from dangvu.organizations.models import Organization

from .choices import (
    AttendanceStatus,
    DocumentKind,
    FindingCategory,
    FindingStatus,
    MeetingKind,
    MeetingStatus,
    Quality,
)

SECTIONS = [
    ("opening", _("Phần mở đầu")),
    ("body", _("Phần nội dung")),
    ("closing", _("Phần kết thúc")),
]
MONTHS = [(m, _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)]


class TimeInput(forms.TimeInput):
    """A text box for hh:mm, 24 hours (a browser's time picker shows AM/PM in some locales)."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {
            "placeholder": "hh:mm",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"([01]?\d|2[0-3])[:.hg]?[0-5]\d",
            "maxlength": 5,
            "class": "vn-time",
        }
        base.update(attrs or {})
        super().__init__(attrs=base, format="%H:%M")


class VNTimeField(forms.TimeField):
    """Accepts 14:30, 14.30, 14h30 and 1430."""

    widget = TimeInput
    default_error_messages = {
        "invalid": _("Giờ không hợp lệ: nhập theo dạng hh:mm (24 giờ), ví dụ 14:30."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().lower().replace("h", ":").replace("g", ":").replace(".", ":")
            if text.isdigit() and len(text) in (3, 4):
                text = f"{text[:-2]}:{text[-2:]}"
            if text.endswith(":"):
                text += "00"
            value = text
        return super().to_python(value)


def combine(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """An aware datetime in the project's time zone from a date and a wall-clock time."""
    if day is None or time is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time))


def local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None


def meeting_orgs(user):
    """Active organisations where the user may add meetings, in tree order."""
    return Organization.objects.restrict(user, "add", module="meetings").active()


# --- meetings ------------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    """Create (with organisation) or edit (without) a planned meeting."""

    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Chi bộ / tổ chức"),
        empty_label=_("— chọn tổ chức —"),
    )
    kind = forms.ChoiceField(label=_("Loại sinh hoạt"), choices=MeetingKind.choices)
    date = VNDateField(label=_("Ngày sinh hoạt"))
    time = VNTimeField(label=_("Giờ bắt đầu"), initial=dt.time(8, 0))
    title = forms.CharField(label=_("Chủ đề"), max_length=255, required=False)
    location = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)

    def __init__(self, *args, user, meeting=None, **kwargs):
        self.meeting = meeting
        initial = kwargs.pop("initial", None) or {}
        if meeting is not None:
            when = local(meeting.scheduled_at)
            initial = {
                "kind": meeting.kind,
                "date": when.date(),
                "time": when.time().replace(second=0, microsecond=0),
                "title": meeting.title,
                "location": meeting.location,
            } | initial
        super().__init__(*args, initial=initial, **kwargs)
        if meeting is None:
            self.fields["organization"].queryset = meeting_orgs(user)
        else:
            # the organisation and the kind are fixed once planned (meetings.services.UPDATE_FIELDS)
            del self.fields["organization"]
            del self.fields["kind"]
        self.fields["title"].widget.attrs["placeholder"] = _("Ví dụ: Sinh hoạt chi bộ tháng 5")

    def scheduled_at(self):
        return combine(self.cleaned_data.get("date"), self.cleaned_data.get("time"))

    def service_data(self) -> dict:
        return {
            "scheduled_at": self.scheduled_at(),
            "title": self.cleaned_data.get("title") or "",
            "location": self.cleaned_data.get("location") or "",
        }


class PlanYearForm(forms.Form):
    """A year of regular meetings for one cell in one step (thematic in the chosen months)."""

    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Chi bộ"),
        empty_label=_("— chọn chi bộ —"),
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    day = forms.IntegerField(
        label=_("Ngày trong tháng"),
        min_value=1,
        max_value=31,
        initial=5,
        help_text=_("Tháng không có ngày này thì lấy ngày cuối tháng."),
    )
    time = VNTimeField(label=_("Giờ bắt đầu"), initial=dt.time(8, 0))
    thematic_months = forms.TypedMultipleChoiceField(
        label=_("Tháng sinh hoạt chuyên đề"),
        choices=MONTHS,
        coerce=int,
        required=False,
        initial=[3, 6, 9, 12],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ít nhất mỗi quý một lần (Điều lệ Đảng, điều 24)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = meeting_orgs(user)
        self.fields["year"].initial = timezone.localdate().year + (
            1 if timezone.localdate().month >= 11 else 0
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy"), max_length=255, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgendaForm(forms.Form):
    """The agenda as three lists, one item a line (opening, body, closing)."""

    opening = forms.CharField(
        label=SECTIONS[0][1], required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    body = forms.CharField(
        label=SECTIONS[1][1], required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    closing = forms.CharField(
        label=SECTIONS[2][1], required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meeting, **kwargs):
        self.meeting = meeting
        initial = kwargs.pop("initial", None) or {}
        for section, _label in SECTIONS:
            initial.setdefault(
                section,
                "\n".join(
                    i.get("title", "")
                    for i in (meeting.agenda or [])
                    if isinstance(i, dict) and i.get("section") == section
                ),
            )
        super().__init__(*args, initial=initial, **kwargs)
        for section, _label in SECTIONS:
            self.fields[section].help_text = _("Mỗi dòng một mục.")

    def agenda(self) -> list[dict]:
        """Items in order; an item kept with its other keys when its title is unchanged."""
        old = {
            (i.get("section"), i.get("title")): i
            for i in (self.meeting.agenda or [])
            if isinstance(i, dict)
        }
        out = []
        for section, _label in SECTIONS:
            for line in (self.cleaned_data.get(section) or "").splitlines():
                title = line.strip(" \t-•")
                if not title:
                    continue
                item = dict(old.get((section, title), {}))
                item.update(section=section, title=title)
                out.append(item)
        return out


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    file = forms.FileField(label=_("Tệp"))

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f is not None and f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa 20 MB."))
        return f


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    reason = forms.CharField(max_length=255, required=False)


class CloseForm(forms.Form):
    """The record of a held meeting: times, minutes, resolution and its vote, quality."""

    date = VNDateField(label=_("Ngày họp"))
    start = VNTimeField(label=_("Bắt đầu lúc"))
    end = VNTimeField(label=_("Kết thúc lúc"))
    chair = forms.ModelChoiceField(
        label=_("Chủ trì"), queryset=None, required=False, empty_label=_("— chọn —")
    )
    minute_taker = forms.ModelChoiceField(
        label=_("Thư ký ghi biên bản"), queryset=None, required=False, empty_label=_("— chọn —")
    )
    minutes = forms.CharField(
        label=_("Biên bản (diễn biến)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    resolution = forms.CharField(
        label=_("Nghị quyết / kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    votes_for = forms.IntegerField(label=_("Tán thành"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Không tán thành"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, required=False)
    quality = forms.ChoiceField(
        label=_("Tự đánh giá chất lượng"),
        choices=[("", _("— chọn —")), *Quality.choices],
        required=False,
    )
    minutes_approved = forms.BooleanField(label=_("Biên bản đã được thông qua"), required=False)

    def __init__(self, *args, meeting, members, **kwargs):
        self.meeting = meeting
        initial = kwargs.pop("initial", None) or {}
        when = local(meeting.started_at) or local(meeting.scheduled_at)
        base = {
            "date": when.date(),
            "start": local(meeting.started_at).time() if meeting.started_at else None,
            "end": local(meeting.ended_at).time() if meeting.ended_at else None,
            "chair": meeting.chair_id,
            "minute_taker": meeting.minute_taker_id,
            "minutes": meeting.minutes,
            "resolution": meeting.resolution,
            "votes_for": meeting.votes_for,
            "votes_against": meeting.votes_against,
            "votes_abstain": meeting.votes_abstain,
            "quality": meeting.quality,
            "minutes_approved": meeting.minutes_approved,
        }
        super().__init__(*args, initial=base | initial, **kwargs)
        for name in ("chair", "minute_taker"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda m: m.full_name
        for name in ("votes_for", "votes_against", "votes_abstain"):
            self.fields[name].widget.attrs.update(inputmode="numeric")

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "started_at": combine(d.get("date"), d.get("start")),
            "ended_at": combine(d.get("date"), d.get("end")),
            "minutes": d.get("minutes") or "",
            "resolution": d.get("resolution") or "",
            "votes_for": d.get("votes_for"),
            "votes_against": d.get("votes_against"),
            "votes_abstain": d.get("votes_abstain"),
            "quality": d.get("quality") or "",
            "minutes_approved": bool(d.get("minutes_approved")),
            "chair": d.get("chair"),
            "minute_taker": d.get("minute_taker"),
        }


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Mã điểm danh"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
                "maxlength": 8,
                "placeholder": "A1B2C3",
                "class": "checkin-input",
            }
        ),
    )

    def clean_code(self):
        return "".join((self.cleaned_data.get("code") or "").split()).upper()


class MeetingFilterForm(forms.Form):
    """Filters of the meeting list and calendar (GET)."""

    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Tổ chức (cả tổ chức trực thuộc)"),
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[("", _("Tất cả")), *MeetingKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *MeetingStatus.choices], required=False
    )
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        choices=[("", _("Cả năm")), *MONTHS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    when = forms.ChoiceField(
        choices=[("upcoming", _("Từ tháng này")), ("past", _("Đã qua"))],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs


# --- supervision ---------------------------------------------------------------------------------


class AssignmentForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Đồng chí phụ trách"), queryset=None, empty_label=_("— chọn —")
    )
    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Tổ chức được phân công"),
        empty_label=_("— chọn tổ chức —"),
    )
    valid_from = VNDateField(label=_("Từ ngày"))
    valid_to = VNDateField(label=_("Đến ngày (không kể)"), required=False)
    decision_number = forms.CharField(
        label=_("Số quyết định/văn bản phân công"), max_length=64, required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, users, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["organization"].queryset = orgs
        self.fields["valid_from"].initial = timezone.localdate()


class AssignmentEndForm(forms.Form):
    valid_to = VNDateField(label=_("Kết thúc phụ trách từ ngày"))


class VisitForm(forms.Form):
    """An observer's record: one checkbox and note per checklist step, then the assessment."""

    assessment = forms.ChoiceField(
        label=_("Đánh giá chung"), choices=[("", _("— chọn —")), *Quality.choices], required=False
    )
    comments = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations = forms.CharField(
        label=_("Kiến nghị"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items, visit=None, **kwargs):
        """`items`: [{"code", "title"}] of the checklist template (or of the visit recorded)."""
        self.items = items
        initial = kwargs.pop("initial", None) or {}
        done = {}
        if visit is not None:
            initial = {
                "assessment": visit.assessment,
                "comments": visit.comments,
                "recommendations": visit.recommendations,
            } | initial
            done = {r.get("code"): r for r in visit.checklist or [] if isinstance(r, dict)}
        for i, item in enumerate(items):
            row = done.get(item.get("code"), {})
            initial.setdefault(f"done_{i}", bool(row.get("done")))
            initial.setdefault(f"note_{i}", row.get("note", ""))
        super().__init__(*args, initial=initial, **kwargs)
        for i, item in enumerate(items):
            self.fields[f"done_{i}"] = forms.BooleanField(label=item.get("title"), required=False)
            self.fields[f"note_{i}"] = forms.CharField(
                label=_("Ghi chú"), required=False, max_length=500
            )
            self.fields[f"note_{i}"].widget.attrs["placeholder"] = _("Ghi chú (nếu có)")

    def checklist_rows(self):
        """[(item, done bound field, note bound field)] for the template."""
        return [(item, self[f"done_{i}"], self[f"note_{i}"]) for i, item in enumerate(self.items)]

    def checklist(self) -> list[dict]:
        return [
            {
                "code": item.get("code", ""),
                "title": item.get("title", ""),
                "done": bool(self.cleaned_data.get(f"done_{i}")),
                "note": self.cleaned_data.get(f"note_{i}") or "",
            }
            for i, item in enumerate(self.items)
        ]


class FindingForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Nhóm thiếu sót"), choices=[("", _("— chọn —")), *FindingCategory.choices]
    )
    description = forms.CharField(label=_("Thiếu sót"), widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(
        label=_("Biện pháp chấn chỉnh"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(label=_("Người/đơn vị chịu trách nhiệm"), max_length=200)
    deadline = VNDateField(label=_("Hạn khắc phục"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # styled here: the formset's empty_form (the row the page clones) is a new form each time
        bootstrapify(self)


class BaseFindingFormSet(forms.BaseFormSet):
    def service_rows(self) -> list[tuple[int, dict]]:
        """(form index, cleaned data) of the filled rows (empty extra rows are skipped)."""
        return [
            (i, f.cleaned_data)
            for i, f in enumerate(self.forms)
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


FindingFormSet = forms.formset_factory(
    FindingForm, formset=BaseFindingFormSet, extra=1, can_delete=False
)


class FindingNoteForm(forms.Form):
    date = VNDateField(label=_("Ngày"))
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class FindingCloseForm(forms.Form):
    date = VNDateField(label=_("Ngày khắc phục xong"))
    text = forms.CharField(
        label=_("Kết quả khắc phục"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class FindingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[("", _("Tất cả")), *FindingStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Chỉ quá hạn"), required=False)
    category = forms.ChoiceField(
        label=_("Nhóm"), choices=[("", _("Tất cả")), *FindingCategory.choices], required=False
    )
    organization = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("Tổ chức (cả tổ chức trực thuộc)"),
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
