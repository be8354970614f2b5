"""Meeting and supervision pages.

Every object reaches the user through core.viewmixins (out of scope = 404, a refused write = 403);
every write is a call to meetings.services with actor=request.user, whose ValidationError goes
back onto the form fields and whose warnings are shown as warning alerts.

- meetings: list (filters), calendar (month grid; a list on a phone), plan a year, create, edit,
  cancel, detail with tabs (information and agenda, documents, attendance, minutes and resolution,
  observer visits, history), notice, roster, attendance per member (htmx), check-in display with
  QR code and live count, a member's check-in by short code or QR link, a member's own meetings;
- supervision: assignments (and "my assigned organisations"), observer visits with their
  checklist and findings, the findings list and a finding's follow-up notes.
"""

import calendar
import datetime as dt
import mimetypes
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core.forms import apply_service_errors, bootstrapify
from dangvu.core.scope import ADD, CHANGE, VIEW, can, scope_q
from dangvu.core.viewmixins import (
    history_rows,
    paginate,
    require_module_action,
    scoped_object,
    scoped_queryset,
)
from dangvu.organizations.models import Organization

from . import forms, selectors, services
from .choices import AttendanceStatus, FindingStatus, MeetingStatus, RosterCategory
from .models import (
    AgendaTemplate,
    Assignment,
    Attendance,
    Finding,
    FindingNote,
    Meeting,
    MeetingDocument,
    Notification,
    ObserverVisit,
)

PER_PAGE = 50
TABS = ["info", "documents", "roster", "record", "visits", "history"]
WEEKDAYS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
CLOSED = {MeetingStatus.HELD, MeetingStatus.CANCELLED}

# Service field names that a form calls differently.
MEETING_ALIASES = {"scheduled_at": "date", "organization_id": "organization"}
CLOSE_ALIASES = {"started_at": "start", "ended_at": "end"}
PLAN_ALIASES = {"hour": "time", "minute": "time"}
CHECKIN_ALIASES = {"token": "code", "meeting": "code", "user": "code", "member": "code"}


def _warn(request, warnings) -> None:
    for w in warnings or []:
        messages.warning(request, str(w))


def _detail_url(meeting, tab: str = "info") -> str:
    url = reverse("meetings:detail", args=[meeting.pk])
    return url if tab == "info" else f"{url}?tab={tab}"


def _service_error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# =================================================================================== list


def _filter_orgs(request, module="meetings"):
    """Organisations offered in the filters: the scope's active ones, in tree order; of a large
    scope only the upper levels (members.views.top_levels), plus the one selected."""
    from dangvu.members.views import top_levels

    orgs = scoped_queryset(request, Organization, VIEW, module=module).active()
    return top_levels(orgs, request.GET.get("organization"))


def _apply_filters(request, qs, form, *, dates=True):
    if not form.is_valid():
        return qs
    d = form.cleaned_data
    org = d.get("organization")
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if d.get("kind"):
        qs = qs.filter(kind=d["kind"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    if dates and d.get("year"):
        start, end = _period(d["year"], d.get("month"))
        qs = qs.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    return qs


def _period(year: int, month: int | None):
    """[start, end) as aware datetimes for a month, or the whole year when month is None."""
    if month:
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    else:
        first, nxt = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(nxt, dt.time(), tzinfo=tz),
    )


def _with_counts(qs):
    """Present / expected on each row (exempt members not expected), in the list's one query."""
    expected = ~Q(attendances__category=RosterCategory.EXEMPT)
    return qs.select_related("organization").annotate(
        n_roster=Count("attendances", filter=expected, distinct=True),
        n_present=Count(
            "attendances",
            filter=expected & Q(attendances__status=AttendanceStatus.PRESENT),
            distinct=True,
        ),
    )


@login_required
def meeting_list(request):
    require_module_action(request, Meeting, VIEW)
    orgs = _filter_orgs(request)
    form = forms.MeetingFilterForm(request.GET or None, orgs=orgs)
    qs = _apply_filters(request, scoped_queryset(request, Meeting), form)
    # Without a year: from this month on, soonest first (what is coming), or what is past,
    # latest first. With a year (and month): that period in date order.
    when = ""
    if not (form.is_bound and form.is_valid() and form.cleaned_data.get("year")):
        when = "past" if request.GET.get("when") == "past" else "upcoming"
        today = timezone.localdate()
        month_start, _end = _period(today.year, today.month)
        if when == "past":
            qs = qs.filter(scheduled_at__lt=month_start).order_by("-scheduled_at", "-id")
        else:
            qs = qs.filter(scheduled_at__gte=month_start).order_by("scheduled_at", "id")
    else:
        qs = qs.order_by("scheduled_at", "id")
    qs = _with_counts(qs)
    page = paginate(request, qs, PER_PAGE)
    bootstrapify(form)
    active_filters = sum(
        1 for name in ("organization", "kind", "status", "month", "year") if request.GET.get(name)
    )
    ctx = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "active_filters": active_filters,
        "when": when,
        "can_add": can(request.user, ADD, model=Meeting),
        "has_member": _own_member(request) is not None,
        "can_supervise": scope_q(Assignment, request.user) is not None,
        "calendar_query": urlencode(
            {k: v for k, v in request.GET.items() if k in ("organization", "kind", "status")}
        ),
    }
    if getattr(request, "htmx", False) and request.htmx.target == "meeting-results":
        return render(request, "meetings/includes/list_results.html", ctx)
    return render(request, "meetings/list.html", ctx)


@login_required
def meeting_calendar(request):
    """A month grid (a list of days on a phone) for one organisation's subtree or the scope."""
    require_module_action(request, Meeting, VIEW)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("month", str(today.month))
    orgs = _filter_orgs(request)
    form = forms.MeetingFilterForm(data, orgs=orgs)
    year, month = today.year, today.month
    if form.is_valid() and form.cleaned_data.get("year") and form.cleaned_data.get("month"):
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    start, end = _period(year, month)
    qs = _apply_filters(request, scoped_queryset(request, Meeting), form, dates=False)
    qs = qs.filter(scheduled_at__gte=start, scheduled_at__lt=end).select_related("organization")
    by_day: dict[dt.date, list] = {}
    for m in qs.order_by("scheduled_at", "id"):
        by_day.setdefault(timezone.localtime(m.scheduled_at).date(), []).append(m)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [{"date": d, "in_month": d.month == month, "meetings": by_day.get(d, [])} for d in week]
        )
    prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    keep = {k: v for k, v in request.GET.items() if k in ("organization", "kind", "status")}
    bootstrapify(form)
    return render(
        request,
        "meetings/calendar.html",
        {
            "form": form,
            "weeks": weeks,
            "weekdays": WEEKDAYS,
            "days": sorted(by_day.items()),
            "year": year,
            "month": month,
            "today": today,
            "prev_query": urlencode(keep | {"year": prev_m[0], "month": prev_m[1]}),
            "next_query": urlencode(keep | {"year": next_m[0], "month": next_m[1]}),
            "list_query": urlencode(keep | {"year": year, "month": month}),
            "can_add": can(request.user, ADD, model=Meeting),
        },
    )


@login_required
def meeting_plan(request):
    require_module_action(request, Meeting, ADD)
    form = forms.PlanYearForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = services.meetings_plan_year(
                actor=request.user,
                organization=d["organization"],
                year=d["year"],
                day=d["day"],
                hour=d["time"].hour,
                minute=d["time"].minute,
                thematic_months=tuple(d.get("thematic_months") or ()),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, PLAN_ALIASES)
        else:
            messages.success(
                request,
                _("Đã lập kế hoạch %(n)s buổi sinh hoạt năm %(y)s cho %(org)s.")
                % {"n": len(made), "y": d["year"], "org": d["organization"].name},
            )
            query = urlencode({"organization": d["organization"].pk, "year": d["year"]})
            return redirect(reverse("meetings:list") + "?" + query)
    bootstrapify(form)
    return render(request, "meetings/plan.html", {"form": form})


# =================================================================================== create / edit


def _agenda_templates(request):
    own = scoped_queryset(request, AgendaTemplate).values("pk")
    return AgendaTemplate.objects.filter(Q(organization__isnull=True) | Q(pk__in=own))


@login_required
def meeting_create(request):
    require_module_action(request, Meeting, ADD)
    initial = {}
    if request.GET.get("organization", "").isdigit():
        initial["organization"] = request.GET["organization"]
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = forms.MeetingForm(request.POST or None, user=request.user, initial=initial)
    templates = list(_agenda_templates(request))
    if templates:
        from django import forms as djforms

        form.fields["agenda_template"] = djforms.ModelChoiceField(
            queryset=_agenda_templates(request),
            required=False,
            label=_("Mẫu chương trình"),
            empty_label=_("Mẫu mặc định"),
        )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                organization=d["organization"],
                kind=d["kind"],
                scheduled_at=form.scheduled_at(),
                title=d.get("title") or "",
                location=d.get("location") or "",
                agenda_template=d.get("agenda_template"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, MEETING_ALIASES)
        else:
            messages.success(request, _("Đã tạo buổi sinh hoạt."))
            return redirect("meetings:detail", pk=meeting.pk)
    bootstrapify(form)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request, pk):
    meeting = scoped_object(
        request, Meeting, CHANGE, queryset=Meeting.objects.select_related("organization"), pk=pk
    )
    form = forms.MeetingForm(request.POST or None, user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc, MEETING_ALIASES)
        else:
            messages.success(request, _("Đã lưu buổi sinh hoạt."))
            return redirect("meetings:detail", pk=meeting.pk)
    bootstrapify(form)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_cancel(request, pk):
    meeting = scoped_object(
        request, Meeting, CHANGE, queryset=Meeting.objects.select_related("organization"), pk=pk
    )
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã hủy buổi sinh hoạt."))
            return redirect("meetings:detail", pk=meeting.pk)
    bootstrapify(form)
    return render(request, "meetings/cancel.html", {"form": form, "meeting": meeting})


# =================================================================================== detail


def _meeting_for(request, pk, action=VIEW):
    return scoped_object(
        request,
        Meeting,
        action,
        queryset=Meeting.objects.select_related("organization", "chair", "minute_taker"),
        pk=pk,
    )


def _roster_rows(request, meeting):
    return list(
        scoped_queryset(request, Attendance)
        .filter(meeting=meeting)
        .select_related("member")
        .order_by("member__name_sort", "id")
    )


def _roster_groups(rows):
    """[(code, label, rows)]: official and probationary first, temporarily attached members
    marked, exempt members listed apart (they are not counted)."""
    labels = dict(RosterCategory.choices)
    order = [
        RosterCategory.OFFICIAL,
        RosterCategory.PROBATIONARY,
        RosterCategory.TEMPORARY,
        RosterCategory.EXEMPT,
    ]
    return [
        (code, labels[code], [r for r in rows if r.category == code])
        for code in order
        if any(r.category == code for r in rows)
    ]


def _roster_summary(rows) -> dict:
    counted = [r for r in rows if r.category != RosterCategory.EXEMPT]
    by = {s: 0 for s, _label in AttendanceStatus.choices}
    for r in counted:
        by[r.status] = by.get(r.status, 0) + 1
    return {
        "total": len(counted),
        "present": by[AttendanceStatus.PRESENT],
        "excused": by[AttendanceStatus.ABSENT_EXCUSED],
        "unexcused": by[AttendanceStatus.ABSENT_UNEXCUSED],
        "unknown": by[AttendanceStatus.UNKNOWN],
        "exempt": len(rows) - len(counted),
    }


def _rate_percent(meeting):
    rate = services.attendance_rate(meeting)
    if rate is None:
        return None
    return round(rate * 100, 1) if rate <= 1 else round(rate, 1)


def _agenda_sections(meeting):
    items = [i for i in (meeting.agenda or []) if isinstance(i, dict)]
    return [
        (label, [i for i in items if i.get("section") == code])
        for code, label in forms.SECTIONS
        if any(i.get("section") == code for i in items)
    ]


def _visits(request, meeting):
    if scope_q(ObserverVisit, request.user) is None:
        return None
    return list(
        scoped_queryset(request, ObserverVisit)
        .filter(meeting=meeting)
        .select_related("observer")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("id")))
    )


def _detail_context(request, meeting, tab="info", **forms_in):
    user = request.user
    can_change = can(user, CHANGE, meeting)
    rows = _roster_rows(request, meeting)
    editable = meeting.status not in CLOSED
    members = meeting.attendances.none()
    if can_change:
        from dangvu.members.models import Member

        members = Member.objects.filter(attendances__meeting=meeting).order_by("name_sort")
    ctx = {
        "meeting": meeting,
        "tab": tab if tab in TABS else "info",
        "can_change": can_change,
        "editable": editable and can_change,
        # attendance may be corrected after the meeting (not once cancelled)
        "can_mark": can_change and meeting.status != MeetingStatus.CANCELLED,
        "agenda_sections": _agenda_sections(meeting),
        "documents": list(scoped_queryset(request, MeetingDocument).filter(meeting=meeting)),
        "roster_groups": _roster_groups(rows),
        "roster_size": len(rows),
        "summary": _roster_summary(rows),
        "rate": _rate_percent(meeting) if rows else None,
        "statuses": AttendanceStatus,
        "vote": services.vote_result(meeting),
        "visits": _visits(request, meeting),
        "can_visit": can(user, ADD, meeting, module="supervision"),
        "show_history": can(user, VIEW, meeting, module="audit"),
        "checkin_open": _checkin_is_open(meeting),
        "full_documents": can_change or _sees_whole_roster(request, meeting),
        "today": timezone.localdate(),
    }
    if ctx["show_history"] and ctx["tab"] == "history":
        ctx["history"] = _readable_history(history_rows(meeting))
    elif ctx["show_history"]:
        ctx["history_deferred"] = True
    if can_change:
        ctx["agenda_form"] = forms_in.get("agenda_form") or forms.AgendaForm(meeting=meeting)
        ctx["document_form"] = forms_in.get("document_form") or forms.DocumentForm()
        ctx["close_form"] = forms_in.get("close_form") or forms.CloseForm(
            meeting=meeting, members=members
        )
        for name in ("agenda_form", "document_form", "close_form"):
            bootstrapify(ctx[name])
    if ctx["visits"] is not None:
        mine = [v for v in ctx["visits"] if v.observer_id == user.pk]
        ctx["my_visit"] = mine[0] if mine else None
    return ctx


def _readable(value):
    """An agenda (a list of items) as its titles, a yes/no as words (the history tab)."""
    if isinstance(value, bool) or value in ("True", "False"):
        return _("Có") if value in (True, "True") else _("Không")
    if isinstance(value, list):
        titles = [str(i.get("title", "")) for i in value if isinstance(i, dict)]
        return "; ".join(t for t in titles if t) or "—"
    return value


def _readable_history(rows):
    return [
        (rec, [(label, _readable(old), _readable(new)) for label, old, new in changes])
        for rec, changes in rows
    ]


@login_required
def meeting_detail(request, pk):
    meeting = _meeting_for(request, pk)
    tab = request.GET.get("tab") or "info"
    return render(request, "meetings/detail.html", _detail_context(request, meeting, tab))


@login_required
def meeting_history(request, pk):
    """The history tab's content, loaded when the tab opens (htmx)."""
    meeting = _meeting_for(request, pk)
    if not can(request.user, VIEW, meeting, module="audit"):
        raise PermissionDenied
    return render(
        request, "core/includes/history.html", {"history": _readable_history(history_rows(meeting))}
    )


@login_required
@require_POST
def meeting_agenda(request, pk):
    meeting = _meeting_for(request, pk, CHANGE)
    form = forms.AgendaForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, data={"agenda": form.agenda()}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"agenda": None})
        else:
            messages.success(request, _("Đã lưu chương trình sinh hoạt."))
            return redirect(_detail_url(meeting))
    return render(
        request,
        "meetings/detail.html",
        _detail_context(request, meeting, "info", agenda_form=form),
    )


@login_required
@require_POST
def meeting_document_add(request, pk):
    meeting = _meeting_for(request, pk, CHANGE)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = services.document_post(
                actor=request.user,
                meeting=meeting,
                kind=d["kind"],
                title=d["title"],
                file=d["file"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if isinstance(result, tuple):  # (document, warnings)
                _warn(request, result[1])
            messages.success(request, _("Đã đăng tài liệu “%(t)s”.") % {"t": d["title"]})
            return redirect(_detail_url(meeting, "documents"))
    return render(
        request,
        "meetings/detail.html",
        _detail_context(request, meeting, "documents", document_form=form),
    )


@login_required
def meeting_document(request, pk, doc):
    """A posted document, through the same scope as the meeting (never a public media URL)."""
    document = scoped_object(request, MeetingDocument, VIEW, meeting_id=pk, pk=doc)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    name = document.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)


EXPORT_KINDS = {"notice", "attendance", "minutes"}


def _sees_whole_roster(request, meeting) -> bool:
    q = scope_q(Attendance, request.user)
    if q is None:
        return False
    if not q:  # Q(): everything
        return True
    rows = meeting.attendances.all()
    return rows.filter(q).count() == rows.count()


@login_required
def meeting_export(request, pk, kind, fmt):
    """The notice, the attendance list (with a signature column) or the minutes, as Word or PDF
    in the Party document format (meetings.documents)."""
    meeting = _meeting_for(request, pk)
    if kind not in EXPORT_KINDS or fmt not in ("docx", "pdf"):
        raise Http404
    if kind != "notice" and not _sees_whole_roster(request, meeting):
        # the list and the minutes name every member's attendance: not for a member's account,
        # which sees its own row only
        raise PermissionDenied
    from . import documents

    content, mime, name = documents.render(meeting, kind, fmt)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def meeting_notice(request, pk):
    meeting = _meeting_for(request, pk, CHANGE)
    try:
        warnings = services.meeting_send_notice(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, _service_error_text(exc))
    else:
        messages.success(request, _("Đã gửi thông báo triệu tập."))
        _warn(request, warnings)
    return redirect(_detail_url(meeting))


@login_required
@require_POST
def meeting_roster_build(request, pk):
    meeting = _meeting_for(request, pk, CHANGE)
    try:
        rows = services.roster_build(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, _service_error_text(exc))
    else:
        messages.success(
            request, _("Đã lập danh sách điểm danh: %(n)s đảng viên.") % {"n": len(rows)}
        )
    return redirect(_detail_url(meeting, "roster"))


@login_required
@require_POST
def attendance_set(request, pk, att):
    """One member's attendance (htmx: answers the updated row and the rate)."""
    meeting = _meeting_for(request, pk, CHANGE)
    row = scoped_object(
        request,
        Attendance,
        CHANGE,
        queryset=Attendance.objects.select_related("member"),
        meeting=meeting,
        pk=att,
    )
    form = forms.AttendanceForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            row = services.attendance_set(
                actor=request.user,
                meeting=meeting,
                member=row.member,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            error = _service_error_text(exc)
            row.refresh_from_db()
    else:
        error = _("Trạng thái điểm danh không hợp lệ.")
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return redirect(_detail_url(meeting, "roster"))
    rows = _roster_rows(request, meeting)
    ctx = {
        "meeting": meeting,
        "r": row,
        "error": error,
        "can_mark": meeting.status != MeetingStatus.CANCELLED,
        "statuses": AttendanceStatus,
        "summary": _roster_summary(rows),
        "rate": _rate_percent(meeting),
        "oob": True,
    }
    return render(request, "meetings/includes/roster_row.html", ctx)


@login_required
def meeting_close(request, pk):
    """The record (minutes and resolution): saving it marks the meeting held."""
    meeting = _meeting_for(request, pk, CHANGE)
    if request.method != "POST":
        return redirect(_detail_url(meeting, "record"))
    from dangvu.members.models import Member

    members = Member.objects.filter(attendances__meeting=meeting).order_by("name_sort")
    form = forms.CloseForm(request.POST, meeting=meeting, members=members)
    if form.is_valid():
        try:
            meeting, warnings = services.meeting_close(
                actor=request.user, meeting=meeting, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, CLOSE_ALIASES)
        else:
            messages.success(request, _("Đã lưu biên bản và nghị quyết."))
            _warn(request, warnings)
            return redirect(_detail_url(meeting, "record"))
    return render(
        request,
        "meetings/detail.html",
        _detail_context(request, meeting, "record", close_form=form),
    )


# =================================================================================== check-in


def _checkin_is_open(meeting) -> bool:
    return bool(
        meeting.checkin_token
        and meeting.checkin_open_until
        and meeting.checkin_open_until > timezone.now()
    )


@login_required
@require_POST
def checkin_open(request, pk):
    meeting = _meeting_for(request, pk, CHANGE)
    try:
        services.checkin_open(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, _service_error_text(exc))
        return redirect(_detail_url(meeting, "roster"))
    return redirect("meetings:checkin_display", pk=meeting.pk)


def _present_count(meeting) -> tuple[int, int]:
    counted = meeting.attendances.exclude(category=RosterCategory.EXEMPT)
    return (
        counted.filter(status=AttendanceStatus.PRESENT).count(),
        counted.count(),
    )


@login_required
def checkin_display(request, pk):
    """For the secretary: a big QR code, the short code, the validity and a live count."""
    meeting = _meeting_for(request, pk, CHANGE)
    is_open = _checkin_is_open(meeting)
    qr_svg = url = ""
    if is_open:
        url = request.build_absolute_uri(
            reverse("meetings:checkin_token", args=[meeting.checkin_token])
        )
        qr_svg = segno.make(url, error="m", micro=False).svg_inline(
            scale=8, border=2, omitsize=True, title=_("Mã QR điểm danh")
        )
    present, total = _present_count(meeting)
    return render(
        request,
        "meetings/checkin_display.html",
        {
            "meeting": meeting,
            "is_open": is_open,
            "qr_svg": qr_svg,
            "checkin_url": url,
            "present": present,
            "total": total,
        },
    )


@login_required
def checkin_count(request, pk):
    """The live count polled by the check-in display (htmx)."""
    meeting = _meeting_for(request, pk, CHANGE)
    present, total = _present_count(meeting)
    recent = list(
        meeting.attendances.filter(status=AttendanceStatus.PRESENT, checked_in_at__isnull=False)
        .select_related("member")
        .order_by("-checked_in_at")[:5]
    )
    return render(
        request,
        "meetings/includes/checkin_count.html",
        {
            "meeting": meeting,
            "present": present,
            "total": total,
            "recent": recent,
            "is_open": _checkin_is_open(meeting),
        },
    )


def _own_member(request):
    from dangvu.accounts.roles import _has_member

    return request.user.member if _has_member(request.user) else None


def _own_attendance(request, meeting_pk):
    member = _own_member(request)
    if member is None or not str(meeting_pk).isdigit():
        return None
    return (
        Attendance.objects.select_related("meeting__organization")
        .filter(meeting_id=int(meeting_pk), member=member)
        .first()
    )


@login_required
def checkin(request):
    """For members: enter the short code shown by the secretary (big, touch-friendly)."""
    form = forms.CheckinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.checkin(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_service_errors(form, exc, CHECKIN_ALIASES)
        else:
            return redirect(reverse("meetings:checkin") + f"?m={row.meeting_id}")
    done = _own_attendance(request, request.GET.get("m", "")) if request.method == "GET" else None
    if done is not None and done.status != AttendanceStatus.PRESENT:
        done = None
    bootstrapify(form)
    return render(request, "meetings/checkin.html", {"form": form, "done": done})


@login_required
def checkin_token(request, token):
    """The address in the QR code: a logged-in member who opens it is marked present."""
    try:
        row = services.checkin(user=request.user, token=token)
    except ValidationError as exc:
        form = forms.CheckinForm()
        bootstrapify(form)
        return render(
            request,
            "meetings/checkin.html",
            {"form": form, "done": None, "token_error": _service_error_text(exc)},
        )
    return redirect(reverse("meetings:checkin") + f"?m={row.meeting_id}")


@login_required
def my_meetings(request):
    """A member's own meetings: upcoming and past, with their attendance."""
    member = _own_member(request)
    rows = []
    if member is not None:
        rows = list(
            Attendance.objects.filter(member=member)
            .select_related("meeting__organization")
            .order_by("-meeting__scheduled_at")
        )
    now = timezone.now()
    today = timezone.localdate()
    upcoming = [
        r
        for r in rows
        if timezone.localtime(r.meeting.scheduled_at).date() >= today
        and r.meeting.status not in CLOSED
    ]
    upcoming.reverse()
    past = [r for r in rows if r not in upcoming]
    return render(
        request,
        "meetings/my.html",
        {"member": member, "upcoming": upcoming, "past": past, "now": now},
    )


# =================================================================================== supervision


def _standing_users():
    from dangvu.accounts.models import User

    today = timezone.localdate()
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role="standing",
            role_assignments__valid_from__lte=today,
        )
        .exclude(
            role_assignments__role="standing",
            role_assignments__valid_to__isnull=False,
            role_assignments__valid_to__lte=today,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@login_required
def supervision(request):
    require_module_action(request, Assignment, VIEW)
    today = timezone.localdate()
    show = request.GET.get("show", "current")
    qs = scoped_queryset(request, Assignment).select_related("user", "organization")
    if show != "all":
        qs = qs.filter(valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=today)
        )
    page = paginate(request, qs.order_by("organization__path", "valid_from", "id"), PER_PAGE)
    mine = list(selectors.assignments_of(request.user, today))
    mine_meetings = []
    if mine:
        q = selectors.subtree_q([a.organization for a in mine], "organization")
        mine_meetings = list(
            scoped_queryset(request, Meeting)
            .filter(q, scheduled_at__gte=timezone.now() - dt.timedelta(days=1))
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("organization")
            .order_by("scheduled_at")[:20]
        )
    return render(
        request,
        "meetings/supervision.html",
        {
            "page": page,
            "show": show,
            "mine": mine,
            "mine_meetings": mine_meetings,
            "today": today,
            "can_add": can(request.user, ADD, model=Assignment),
            "overdue": scoped_queryset(request, Finding)
            .filter(status=FindingStatus.OPEN, deadline__lt=today)
            .count(),
        },
    )


@login_required
def assignment_create(request):
    require_module_action(request, Assignment, ADD)
    orgs = scoped_queryset(request, Organization, ADD, module="supervision").active()
    form = forms.AssignmentForm(request.POST or None, users=_standing_users(), orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_create(
                actor=request.user,
                user=d["user"],
                organization=d["organization"],
                valid_from=d["valid_from"],
                valid_to=d.get("valid_to"),
                decision_number=d.get("decision_number") or "",
                note=d.get("note") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã phân công phụ trách."))
            return redirect("meetings:supervision")
    bootstrapify(form)
    return render(request, "meetings/assignment_form.html", {"form": form})


@login_required
def assignment_end(request, pk):
    assignment = scoped_object(
        request,
        Assignment,
        CHANGE,
        queryset=Assignment.objects.select_related("user", "organization"),
        pk=pk,
    )
    if not can(request.user, ADD, assignment):
        # an assignment is the upper committee's decision: those who follow up findings in
        # their subtree (supervision "change") do not end it
        raise PermissionDenied
    form = forms.AssignmentEndForm(request.POST or None, initial={"valid_to": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_end(
                actor=request.user, assignment=assignment, valid_to=form.cleaned_data["valid_to"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã kết thúc phân công phụ trách."))
            return redirect("meetings:supervision")
    bootstrapify(form)
    return render(request, "meetings/assignment_end.html", {"form": form, "assignment": assignment})


def _checklist_items():
    return services.default_checklist()


def _save_findings(request, visit, formset) -> bool:
    """finding_add for each filled row; errors go onto the row. True when all were saved."""
    ok = True
    for i, d in formset.service_rows():
        try:
            services.finding_add(
                actor=request.user,
                visit=visit,
                category=d["category"],
                description=d["description"],
                action=d["action"],
                owner=d["owner"],
                deadline=d["deadline"],
            )
        except ValidationError as exc:
            apply_service_errors(formset.forms[i], exc)
            ok = False
    return ok


class _Rollback(Exception):
    pass


@login_required
def visit_record(request, pk):
    """An observer records a visit to a meeting: checklist, assessment, findings."""
    meeting = _meeting_for(request, pk)
    if not can(request.user, ADD, meeting, module="supervision"):
        raise PermissionDenied
    existing = ObserverVisit.objects.filter(meeting=meeting, observer=request.user).first()
    if existing is not None:
        return redirect("meetings:visit_edit", pk=existing.pk)
    items = _checklist_items()
    form = forms.VisitForm(request.POST or None, items=items)
    formset = forms.FindingFormSet(request.POST or None, prefix="f")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                try:
                    visit = services.visit_record(
                        actor=request.user,
                        meeting=meeting,
                        checklist=form.checklist(),
                        assessment=d.get("assessment") or "",
                        comments=d.get("comments") or "",
                        recommendations=d.get("recommendations") or "",
                    )
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                    raise _Rollback from None
                if not _save_findings(request, visit, formset):
                    raise _Rollback
        except _Rollback:
            pass
        else:
            messages.success(request, _("Đã ghi kết quả dự sinh hoạt."))
            return redirect(_detail_url(meeting, "visits"))
    bootstrapify(form)
    for f in formset.forms + [formset.empty_form]:
        bootstrapify(f)
    return render(
        request,
        "meetings/visit_form.html",
        {"form": form, "formset": formset, "meeting": meeting, "visit": None},
    )


@login_required
def visit_edit(request, pk):
    visit = scoped_object(
        request,
        ObserverVisit,
        CHANGE,
        queryset=ObserverVisit.objects.select_related("meeting__organization", "observer"),
        pk=pk,
    )
    if visit.observer_id != request.user.pk:
        raise PermissionDenied
    meeting = visit.meeting
    recorded = [i for i in (visit.checklist or []) if isinstance(i, dict)]
    items = recorded or _checklist_items()
    form = forms.VisitForm(request.POST or None, items=items, visit=visit)
    formset = forms.FindingFormSet(request.POST or None, prefix="f")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        data = {
            "checklist": form.checklist(),
            "assessment": d.get("assessment") or "",
            "comments": d.get("comments") or "",
            "recommendations": d.get("recommendations") or "",
        }
        try:
            with transaction.atomic():
                try:
                    services.visit_update(actor=request.user, visit=visit, data=data)
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                    raise _Rollback from None
                if not _save_findings(request, visit, formset):
                    raise _Rollback
        except _Rollback:
            pass
        else:
            messages.success(request, _("Đã lưu kết quả dự sinh hoạt."))
            return redirect(_detail_url(meeting, "visits"))
    bootstrapify(form)
    for f in formset.forms + [formset.empty_form]:
        bootstrapify(f)
    return render(
        request,
        "meetings/visit_form.html",
        {
            "form": form,
            "formset": formset,
            "meeting": meeting,
            "visit": visit,
            "findings": list(visit.findings.order_by("id")),
        },
    )


@login_required
def finding_list(request):
    require_module_action(request, Finding, VIEW)
    today = timezone.localdate()
    orgs = _filter_orgs(request, module="supervision")
    form = forms.FindingFilterForm(request.GET or None, orgs=orgs)
    qs = scoped_queryset(request, Finding).select_related(
        "visit__meeting__organization", "visit__observer"
    )
    if form.is_valid():
        d = form.cleaned_data
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("overdue"):
            qs = qs.filter(status=FindingStatus.OPEN, deadline__lt=today)
        if d.get("category"):
            qs = qs.filter(category=d["category"])
        if d.get("organization") is not None:
            qs = qs.filter(visit__meeting__organization__path__startswith=d["organization"].path)
    page = paginate(request, qs.order_by("status", "deadline", "id"), PER_PAGE)
    bootstrapify(form)
    return render(
        request,
        "meetings/findings.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "today": today,
        },
    )


def _finding_for(request, pk, action=VIEW):
    return scoped_object(
        request,
        Finding,
        action,
        queryset=Finding.objects.select_related(
            "visit__meeting__organization", "visit__observer", "owner_user"
        ),
        pk=pk,
    )


def _finding_page(request, finding, note_form=None, close_form=None, status=200):
    can_change = can(request.user, CHANGE, finding)
    ctx = {
        "finding": finding,
        "notes": list(
            scoped_queryset(request, FindingNote)
            .filter(finding=finding)
            .select_related("author")
            .order_by("date", "id")
        ),
        "can_change": can_change,
        "today": timezone.localdate(),
        "can_see_meeting": can(request.user, VIEW, finding.visit.meeting),
    }
    if can_change:
        ctx["note_form"] = note_form or forms.FindingNoteForm()
        ctx["close_form"] = close_form or forms.FindingCloseForm()
        bootstrapify(ctx["note_form"])
        bootstrapify(ctx["close_form"])
    return render(request, "meetings/finding_detail.html", ctx, status=status)


@login_required
def finding_detail(request, pk):
    return _finding_page(request, _finding_for(request, pk))


@login_required
@require_POST
def finding_note(request, pk):
    finding = _finding_for(request, pk, CHANGE)
    form = forms.FindingNoteForm(request.POST)
    if form.is_valid():
        try:
            services.finding_note(
                actor=request.user,
                finding=finding,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm ghi chú theo dõi."))
            return redirect("meetings:finding_detail", pk=finding.pk)
    return _finding_page(request, finding, note_form=form)


@login_required
@require_POST
def finding_close(request, pk):
    finding = _finding_for(request, pk, CHANGE)
    form = forms.FindingCloseForm(request.POST)
    if form.is_valid():
        try:
            services.finding_close(
                actor=request.user,
                finding=finding,
                date=form.cleaned_data["date"],
                text=form.cleaned_data.get("text") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận khắc phục xong."))
            return redirect("meetings:finding_detail", pk=finding.pk)
    return _finding_page(request, finding, close_form=form)


# --------------------------------------------------------------------------- calendar feed


def ical_feed(request, token):
    """The secret calendar address (no session: calendar apps cannot log in). Unknown → 404."""
    from . import feeds, ics

    user = feeds.user_for_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(ics.calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def calendar_subscription(request):
    """Show the user's secret calendar address; POST gives a new one (the old stops working)."""
    from . import feeds

    if request.method == "POST":
        feeds.rotate(request.user)
        messages.success(request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ không còn dùng được."))
        return redirect("meetings:calendar_subscription")
    feed = feeds.feed_for(request.user)
    return render(
        request,
        "meetings/calendar_subscription.html",
        {"feed_url": request.build_absolute_uri(feed.path), "feed": feed},
    )


# --------------------------------------------------------------------------- compliance


def _linked_items(scoped, checks, limit: int):
    """[(check, [(label, url)])]: the first `limit` items of each check, each with a link, and
    organisations named with the one above them (many cells are called "Chi bộ Văn phòng")."""
    from dangvu.core.views import _item_link

    shown = [(c, c.head(limit)) for c in checks]
    steplen = Organization.steplen
    paths = {i.path[:-steplen] for _c, items in shown for i in items if isinstance(i, Organization)}
    parents = dict(scoped.filter(path__in=paths).values_list("path", "name")) if paths else {}
    out = []
    for check, items in shown:
        links = []
        for item in items:
            label, url = _item_link(item)
            if isinstance(item, Organization) and parents.get(item.path[:-steplen]):
                label = f"{label} – {parents[item.path[:-steplen]]}"
            links.append((label, url))
        out.append((check, links))
    return out


@login_required
def compliance_page(request):
    """Rule checks and report figures for a subtree and a period (default: last month)."""
    from dangvu.core.dates import parse_vn_date
    from dangvu.members.views import top_levels

    from . import compliance

    require_module_action(request, Assignment, VIEW)  # the supervision module
    today = timezone.localdate()
    scoped = scoped_queryset(request, Organization, VIEW, module="meetings")
    year, month = compliance.previous_month(today)
    default_from, _end = compliance.month_bounds(year, month)
    errors = []

    def date_param(name, default):
        raw = (request.GET.get(name) or "").strip()
        if not raw:
            return default
        try:
            return parse_vn_date(raw)
        except ValueError:
            errors.append(_("Ngày “%(v)s” không hợp lệ: nhập theo dạng dd/mm/yyyy.") % {"v": raw})
            return default

    date_from = date_param("from", default_from)
    date_to = min(date_param("to", today), today)
    if date_from > date_to:
        errors.append(_("Từ ngày phải trước đến ngày."))
        date_from, date_to = default_from, today
    orgs = scoped
    chosen = None
    org_id = request.GET.get("organization", "")
    if org_id.isdigit():
        chosen = scoped.filter(pk=int(org_id)).first()
        if chosen is None:
            raise Http404
        orgs = scoped.filter(path__startswith=chosen.path)
    checks = compliance.summary(orgs, date_to)
    figures = compliance.figures(orgs, date_from, date_to, on=today)
    rows = _linked_items(scoped, checks, limit=50)
    return render(
        request,
        "meetings/compliance.html",
        {
            "checks": checks,
            "rows": rows,
            "figures": figures,
            "date_from": date_from,
            "date_to": date_to,
            "chosen": chosen,
            "org_choices": top_levels(scoped, org_id),
            "errors": errors,
        },
    )


# --------------------------------------------------------------------------- reminders


@login_required
def notifications(request):
    """The user's own reminders, newest first; opening the page marks them read."""
    qs = Notification.objects.restrict(request.user).order_by("-created_at", "-id")
    page = paginate(request, qs, PER_PAGE)
    unread_ids = [n.pk for n in page if n.read_at is None]
    if unread_ids:
        Notification.objects.filter(pk__in=unread_ids).update(read_at=timezone.now())
    return render(
        request, "meetings/notifications.html", {"page": page, "unread_ids": set(unread_ids)}
    )
