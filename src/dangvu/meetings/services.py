"""Writes to meetings and supervision: planning, notice, roster, check-in, the record of a meeting,
assignments of upper-level members, observer visits and their corrective actions.

Each service is keyword-only, atomic, runs under `audit_context(actor=actor)`, checks the rulebook
and raises ValidationError keyed by the field it rejects (in Vietnamese, citing the rule's source
when a rule blocks). Soft rules (minimum length, documents lead time, attendance) are returned as
warnings, lists of strings, so pages and API show them without refusing the write.

Scope (which meetings a user may touch) is the callers' business, through `restrict()`; only the
supervision services check their actor, since a visit belongs to the observer who recorded it.
"""

import calendar
import copy
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.dates import fmt
from dangvu.core.rulebook import rule
from dangvu.core.scope import ADD, VIEW, can
from dangvu.members.choices import MemberStatus, TransferKind
from dangvu.members.selectors import members_as_of, memberships_as_of
from dangvu.organizations.choices import CELL_TYPES, OrgType

from .choices import (
    AttendanceStatus,
    CheckinMethod,
    DocumentKind,
    FindingCategory,
    FindingStatus,
    MeetingKind,
    MeetingStatus,
    Quality,
    RosterCategory,
)
from .models import (
    AgendaTemplate,
    Assignment,
    Attendance,
    ChecklistTemplate,
    Finding,
    FindingNote,
    Meeting,
    MeetingDocument,
    Notification,
    ObserverVisit,
)
from .selectors import assignments_covering, attendance_counts

AGENDA_SECTIONS = ("opening", "body", "closing")
# Which organisations hold which meetings (Điều lệ art. 24(2); HD 42): cells meet monthly and
# thematically; a grassroots committee holds the all-member meeting twice a year.
KIND_ORG_TYPES = {
    MeetingKind.REGULAR: CELL_TYPES,
    MeetingKind.THEMATIC: CELL_TYPES,
    MeetingKind.COMBINED: CELL_TYPES,
    MeetingKind.EXTRAORDINARY: CELL_TYPES | {OrgType.GRASSROOTS_COMMITTEE},
    MeetingKind.ALL_MEMBER: {OrgType.GRASSROOTS_COMMITTEE},
}
KIND_RULES = {
    MeetingKind.REGULAR: "meeting.regular_per_month",
    MeetingKind.THEMATIC: "meeting.thematic_per_quarter",
    MeetingKind.COMBINED: "meeting.thematic_per_quarter",
    MeetingKind.ALL_MEMBER: "meeting.all_member_per_year",
}
UPDATE_FIELDS = ("title", "location", "scheduled_at", "agenda", "chair", "minute_taker")
VISIT_FIELDS = ("checklist", "assessment", "comments", "recommendations")
CLOSED_STATUSES = (MeetingStatus.HELD, MeetingStatus.CANCELLED)
CHECKIN_MAX_MINUTES = 12 * 60


def _now() -> dt.datetime:
    """The clock of this module (tests move it)."""
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate(_now())


def meeting_day(meeting: Meeting) -> dt.date:
    """The local date of the meeting (rules are read as of this date)."""
    return timezone.localtime(meeting.scheduled_at).date()


def _fmt_dt(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


def _error(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]}) if field else ValidationError(message)


def _require_not_closed(meeting: Meeting, action_label: str, statuses=CLOSED_STATUSES) -> None:
    if meeting.status in statuses:
        raise ValidationError(
            _("Không thể %(action)s: buổi sinh hoạt đang ở trạng thái “%(status)s”.")
            % {"action": action_label, "status": meeting.get_status_display()}
        )


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)


def meeting_url(meeting: Meeting) -> str:
    try:
        return reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:
        return ""


def meeting_label(meeting: Meeting) -> str:
    title = meeting.title or meeting.get_kind_display()
    return f"{title} · {meeting.organization.name} · {_fmt_dt(meeting.scheduled_at)}"


# ---------------------------------------------------------------------------------------------
# Planning


def check_kind(organization, kind: str) -> None:
    """Refuse a kind of meeting the organisation does not hold (error keyed `kind`)."""
    if kind not in MeetingKind.values:
        raise _error("kind", _("Loại sinh hoạt “%(kind)s” không hợp lệ.") % {"kind": kind})
    allowed = KIND_ORG_TYPES[MeetingKind(kind)]
    if organization.org_type in allowed:
        return
    message = _(
        "%(org)s (%(type)s) không tổ chức “%(kind)s”: chi bộ sinh hoạt thường kỳ, chuyên đề; "
        "đảng bộ cơ sở họp toàn thể đảng viên."
    ) % {
        "org": organization.name,
        "type": organization.get_org_type_display(),
        "kind": MeetingKind(kind).label,
    }
    key = KIND_RULES.get(MeetingKind(kind))
    if key:
        message += " " + rule(key).citation + "."
    raise _error("kind", message)


def default_agenda_template(organization, kind: str) -> AgendaTemplate | None:
    """The default agenda: of the organisation or its nearest ancestor, then global; a template
    of this kind before one for every kind."""
    ancestors = [
        organization.path[:i]
        for i in range(organization.steplen, len(organization.path) + 1, organization.steplen)
    ]
    candidates = [
        t
        for t in AgendaTemplate.objects.filter(is_default=True)
        .filter(Q(organization__isnull=True) | Q(organization__path__in=ancestors))
        .select_related("organization")
        if t.kind in (kind, "")
    ]

    def score(t):
        depth = len(t.organization.path) if t.organization_id else 0
        return (t.kind == kind, depth, -t.pk)

    return max(candidates, key=score, default=None)


def _template_applies(template: AgendaTemplate, organization) -> bool:
    if template.organization_id is None:
        return True
    return organization.path.startswith(template.organization.path)


def validate_agenda(agenda) -> list[dict]:
    """A clean copy of an agenda: [{"section": opening|body|closing, "title": …, …}]."""
    if agenda in (None, ""):
        return []
    if not isinstance(agenda, list):
        raise _error("agenda", _("Chương trình phải là một danh sách các mục."))
    out = []
    for i, item in enumerate(agenda, start=1):
        if not isinstance(item, dict):
            raise _error("agenda", _("Mục %(n)s của chương trình không hợp lệ.") % {"n": i})
        section = item.get("section")
        title = str(item.get("title") or "").strip()
        if section not in AGENDA_SECTIONS:
            raise _error(
                "agenda",
                _(
                    "Mục %(n)s của chương trình: phần “%(section)s” phải là opening, body hoặc closing."
                )
                % {"n": i, "section": section},
            )
        if not title:
            raise _error("agenda", _("Mục %(n)s của chương trình chưa có nội dung.") % {"n": i})
        clean = copy.deepcopy(item)
        clean["title"] = title
        out.append(clean)
    return out


def _create(*, organization, kind, scheduled_at, title, location, agenda_template) -> Meeting:
    template = agenda_template or default_agenda_template(organization, kind)
    agenda = validate_agenda(template.items) if template is not None else []
    meeting = Meeting(
        organization=organization,
        kind=kind,
        scheduled_at=scheduled_at,
        title=(title or "").strip(),
        location=(location or "").strip(),
        agenda=agenda,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def _check_org(organization) -> None:
    if organization is None:
        raise _error("organization", _("Chưa chọn chi bộ / tổ chức."))
    if not organization.is_active:
        raise _error("organization", _("Tổ chức đảng này đã giải thể."))


@transaction.atomic
def meeting_create(
    *,
    actor,
    organization,
    kind,
    scheduled_at,
    title="",
    location="",
    agenda_template=None,
) -> Meeting:
    """Plan a meeting; its agenda is copied from the template (or the default one)."""
    with audit_context(actor=actor):
        _check_org(organization)
        check_kind(organization, kind)
        if scheduled_at is None:
            raise _error("scheduled_at", _("Chưa nhập thời gian dự kiến."))
        if agenda_template is not None and not _template_applies(agenda_template, organization):
            raise _error(
                "agenda_template",
                _("Mẫu chương trình “%(name)s” là của tổ chức khác.") % {"name": agenda_template},
            )
        return _create(
            organization=organization,
            kind=kind,
            scheduled_at=_aware(scheduled_at),
            title=title,
            location=location,
            agenda_template=agenda_template,
        )


def _month_bounds(year: int, month: int, months: int = 1) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end_month = month + months
    end = dt.datetime(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1, tzinfo=tz)
    return start, end


def _exists(organization, kinds, start, end) -> bool:
    return (
        Meeting.objects.filter(
            organization=organization,
            kind__in=kinds,
            scheduled_at__gte=start,
            scheduled_at__lt=end,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .exists()
    )


@transaction.atomic
def meetings_plan_year(
    *,
    actor,
    organization,
    year,
    day=5,
    hour=8,
    minute=0,
    thematic_months=(3, 6, 9, 12),
) -> list[Meeting]:
    """Plan the regular meetings of a year (one a month, on `day` clipped to the month's length)
    and one thematic meeting in each quarter of `thematic_months` (the same day, after the regular
    meeting). Months that already have a regular (or combined) meeting, and quarters that already
    have a thematic (or combined) one, are skipped, so planning twice adds nothing."""
    with audit_context(actor=actor):
        _check_org(organization)
        check_kind(organization, MeetingKind.REGULAR)
        errors: dict[str, list[str]] = {}
        checks = [
            ("year", year, 2000, 2100, _("Năm")),
            ("day", day, 1, 31, _("Ngày trong tháng")),
            ("hour", hour, 0, 23, _("Giờ")),
            ("minute", minute, 0, 59, _("Phút")),
        ]
        for field, value, lo, hi, label in checks:
            if not isinstance(value, int) or not lo <= value <= hi:
                errors[field] = [
                    _("%(label)s phải từ %(lo)s đến %(hi)s.") % {"label": label, "lo": lo, "hi": hi}
                ]
        months = list(thematic_months or ())
        if any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            errors["thematic_months"] = [_("Tháng sinh hoạt chuyên đề phải từ 1 đến 12.")]
        if errors:
            raise ValidationError(errors)
        tz = timezone.get_current_timezone()
        created = []
        for month in range(1, 13):
            start, end = _month_bounds(year, month)
            if _exists(organization, [MeetingKind.REGULAR, MeetingKind.COMBINED], start, end):
                continue
            when = dt.datetime(
                year, month, min(day, calendar.monthrange(year, month)[1]), hour, minute, tzinfo=tz
            )
            created.append(
                _create(
                    organization=organization,
                    kind=MeetingKind.REGULAR,
                    scheduled_at=when,
                    title=_("Sinh hoạt chi bộ thường kỳ tháng %(m)s/%(y)s")
                    % {"m": month, "y": year},
                    location="",
                    agenda_template=None,
                )
            )
        for month in sorted(set(months)):
            quarter = (month - 1) // 3
            start, end = _month_bounds(year, quarter * 3 + 1, 3)
            if _exists(organization, [MeetingKind.THEMATIC, MeetingKind.COMBINED], start, end):
                continue
            regular_at = dt.datetime(
                year, month, min(day, calendar.monthrange(year, month)[1]), hour, minute, tzinfo=tz
            )
            length = int(rule("meeting.min_duration_minutes", on=regular_at.date()))
            # After the regular meeting and a break, on the same day when it fits.
            when = regular_at + dt.timedelta(minutes=length + 30)
            if when.date() != regular_at.date():
                when = regular_at
            created.append(
                _create(
                    organization=organization,
                    kind=MeetingKind.THEMATIC,
                    scheduled_at=when,
                    title=_("Sinh hoạt chuyên đề quý %(q)s/%(y)s") % {"q": quarter + 1, "y": year},
                    location="",
                    agenda_template=None,
                )
            )
        return created


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: dict) -> Meeting:
    """Change the plan: title, location, time, agenda, chair, minute-taker. Not once held."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        _require_not_closed(meeting, _("sửa kế hoạch"))
        allowed = {k: v for k, v in data.items() if k in UPDATE_FIELDS}
        if "scheduled_at" in allowed:
            if allowed["scheduled_at"] is None:
                raise _error("scheduled_at", _("Chưa nhập thời gian dự kiến."))
            allowed["scheduled_at"] = _aware(allowed["scheduled_at"])
        if "agenda" in allowed:
            allowed["agenda"] = validate_agenda(allowed["agenda"])
        for key in ("title", "location"):
            if key in allowed:
                allowed[key] = (allowed[key] or "").strip()
        for k, v in allowed.items():
            setattr(meeting, k, v)
        meeting.full_clean()
        meeting.save()
        return meeting


def _notify(users, *, kind: str, text: str, url: str, key: str) -> int:
    created = 0
    for user in users:
        _obj, was_created = Notification.objects.get_or_create(
            user=user, key=key, defaults={"kind": kind, "text": text[:500], "url": url}
        )
        created += was_created
    return created


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason) -> Meeting:
    """Cancel a planned meeting. The reason is kept in the history (change reason) and in the
    minutes field; those who received the notice are told."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        reason = (reason or "").strip()
        if not reason:
            raise _error("reason", _("Chưa nhập lý do hủy buổi sinh hoạt."))
        _require_not_closed(meeting, _("hủy"))
        meeting.status = MeetingStatus.CANCELLED
        meeting.checkin_open_until = None
        meeting.minutes = _("Lý do hủy: %(reason)s") % {"reason": reason}
        meeting._change_reason = reason
        meeting.save()
        if meeting.notice_sent_at:
            from django.contrib.auth import get_user_model

            told = Notification.objects.filter(key=f"meeting-notice-{meeting.pk}").values("user")
            _notify(
                get_user_model().objects.filter(pk__in=told),
                kind="meeting_cancelled",
                text=_("Hủy buổi sinh hoạt: %(meeting)s. Lý do: %(reason)s")
                % {"meeting": meeting_label(meeting), "reason": reason},
                url=meeting_url(meeting),
                key=f"meeting-cancelled-{meeting.pk}",
            )
        return meeting


@transaction.atomic
def document_post(*, actor, meeting: Meeting, kind, title, file, posted_at=None) -> MeetingDocument:
    """Attach a document (notice, draft resolution, material) to a meeting."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        _require_not_closed(meeting, _("đăng tài liệu"), statuses=(MeetingStatus.CANCELLED,))
        errors: dict[str, list[str]] = {}
        if kind not in DocumentKind.values:
            errors["kind"] = [_("Loại tài liệu không hợp lệ.")]
        if not (title or "").strip():
            errors["title"] = [_("Chưa nhập tên tài liệu.")]
        if not file:
            errors["file"] = [_("Chưa chọn tệp tài liệu.")]
        posted_at = _aware(posted_at) if posted_at else _now()
        if posted_at > _now():
            errors["posted_at"] = [_("Thời điểm đăng không được ở tương lai.")]
        if errors:
            raise ValidationError(errors)
        doc = MeetingDocument(
            meeting=meeting, kind=kind, title=title.strip(), file=file, posted_at=posted_at
        )
        doc.save()
        return doc


def _lead_warnings(meeting: Meeting, now: dt.datetime) -> list[str]:
    lead = rule("meeting.documents_lead_days", on=meeting_day(meeting))
    days = int(lead)
    deadline = meeting.scheduled_at - dt.timedelta(days=days)
    warnings = []
    docs = list(meeting.documents.order_by("posted_at"))
    if not docs:
        warnings.append(
            _(
                "Chưa đăng tài liệu nào: tài liệu sinh hoạt cần đăng trước buổi sinh hoạt ít nhất "
                "%(days)s ngày (%(cite)s)."
            )
            % {"days": days, "cite": lead.citation}
        )
    else:
        late = [d for d in docs if d.posted_at > deadline]
        if late:
            warnings.append(
                _(
                    "Tài liệu đăng chưa đủ %(days)s ngày trước buổi sinh hoạt (trước %(deadline)s): "
                    "%(titles)s (%(cite)s)."
                )
                % {
                    "days": days,
                    "deadline": _fmt_dt(deadline),
                    "titles": "; ".join(d.title for d in late),
                    "cite": lead.citation,
                }
            )
    if now > deadline:
        warnings.append(
            _(
                "Thông báo gửi lúc %(now)s, chưa đủ %(days)s ngày trước buổi sinh hoạt "
                "(%(when)s) (%(cite)s)."
            )
            % {
                "now": _fmt_dt(now),
                "days": days,
                "when": _fmt_dt(meeting.scheduled_at),
                "cite": lead.citation,
            }
        )
    return warnings


@transaction.atomic
def meeting_send_notice(*, actor, meeting: Meeting) -> list[str]:
    """Notify every roster member with an account and the upper-level members in charge.

    Builds the roster first (idempotent). Sending again reaches only those not yet notified.
    Returns warnings: documents posted late or not at all, notice later than the lead time,
    nobody from the upper level in charge."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        _require_not_closed(meeting, _("gửi thông báo"))
        _roster_build(meeting)
        now = _now()
        warnings = _lead_warnings(meeting, now)
        on = meeting_day(meeting)
        roster_users = [
            a.member.user
            for a in meeting.attendances.select_related("member__user")
            if a.member.user_id and a.member.user.is_active
        ]
        in_charge = [
            a.user for a in assignments_covering(meeting.organization, on) if a.user.is_active
        ]
        if not in_charge:
            warnings.append(
                _(
                    "Chưa có đồng chí cấp ủy cấp trên được phân công phụ trách %(org)s vào ngày "
                    "%(date)s: thông báo chưa gửi tới cấp trên."
                )
                % {"org": meeting.organization.name, "date": fmt(on)}
            )
        recipients = {u.pk: u for u in [*roster_users, *in_charge]}
        location = _(" tại %(place)s") % {"place": meeting.location} if meeting.location else ""
        _notify(
            recipients.values(),
            kind="meeting_notice",
            text=_("Thông báo sinh hoạt: %(meeting)s%(location)s.")
            % {"meeting": meeting_label(meeting), "location": location},
            url=meeting_url(meeting),
            key=f"meeting-notice-{meeting.pk}",
        )
        meeting.notice_sent_at = now
        if meeting.status == MeetingStatus.PLANNED:
            meeting.status = MeetingStatus.NOTIFIED
        meeting.save(update_fields=["notice_sent_at", "status"])
        from .mailing import send_notice_mail

        meeting_id, user_ids = meeting.pk, list(recipients)
        transaction.on_commit(lambda: send_notice_mail(meeting_id, user_ids))
        return warnings


# ---------------------------------------------------------------------------------------------
# Roster, attendance, check-in


def _roster_build(meeting: Meeting) -> list[Attendance]:
    on = meeting_day(meeting)
    org = meeting.organization
    subtree = meeting.kind == MeetingKind.ALL_MEMBER
    if subtree:
        from dangvu.organizations.selectors import subtree_ids_as_of

        org_ids = subtree_ids_as_of(org, on)
    else:
        org_ids = [org.pk]
    members = list(
        members_as_of(org, on, subtree=subtree, include_temporary=True).values_list(
            "pk", "status_on"
        )
    )
    official_here = set(
        memberships_as_of(on, org_ids, kind=TransferKind.OFFICIAL).values_list(
            "member_id", flat=True
        )
    )
    by_status = {
        MemberStatus.OFFICIAL: RosterCategory.OFFICIAL,
        MemberStatus.PROBATIONARY: RosterCategory.PROBATIONARY,
        MemberStatus.EXEMPT: RosterCategory.EXEMPT,
    }
    wanted = {
        pk: (by_status[status] if pk in official_here else RosterCategory.TEMPORARY)
        for pk, status in members
    }
    existing = {a.member_id: a for a in meeting.attendances.all()}
    for member_id, category in wanted.items():
        row = existing.get(member_id)
        if row is None:
            Attendance.objects.create(meeting=meeting, member_id=member_id, category=category)
        elif row.category != category:
            row.category = category
            row.save(update_fields=["category"])
    for member_id, row in existing.items():
        if member_id not in wanted and row.status == AttendanceStatus.UNKNOWN:
            row.delete()
    return list(
        meeting.attendances.select_related("member").order_by("member__name_sort", "member_id")
    )


@transaction.atomic
def roster_build(*, actor, meeting: Meeting) -> list[Attendance]:
    """The roster from the members as of the meeting date: official and probationary members,
    exempt members (listed apart), temporarily attached members. Idempotent: adds who is missing,
    updates categories, removes who is no longer a member here unless already marked."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        _require_not_closed(meeting, _("lập danh sách đảng viên"))
        return _roster_build(meeting)


@transaction.atomic
def attendance_set(*, actor, meeting: Meeting, member, status, reason="") -> Attendance:
    """Mark one member: present, absent with a reason, absent without reason (or unmarked)."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        _require_not_closed(meeting, _("điểm danh"), statuses=(MeetingStatus.CANCELLED,))
        row = (
            Attendance.objects.select_for_update()
            .filter(meeting=meeting, member=member)
            .select_related("member")
            .first()
        )
        if row is None:
            raise _error(
                "member",
                _("Đồng chí %(name)s không có tên trong danh sách đảng viên của buổi sinh hoạt.")
                % {"name": member},
            )
        if status not in AttendanceStatus.values:
            raise _error("status", _("Tình trạng điểm danh không hợp lệ."))
        reason = (reason or "").strip()
        if status == AttendanceStatus.ABSENT_EXCUSED and not reason:
            if row.category == RosterCategory.EXEMPT:
                reason = str(MemberStatus.EXEMPT.label)
            else:
                raise _error("reason", _("Vắng có lý do: cần ghi lý do vắng."))
        if status not in (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED):
            reason = ""
        if status == AttendanceStatus.PRESENT:
            if row.status != AttendanceStatus.PRESENT:
                row.checked_in_at = _now()
                row.method = CheckinMethod.SECRETARY
        else:
            row.checked_in_at = None
            row.method = ""
        row.status = status
        row.reason = reason[:255]
        row.save()
        return row


def planned_minutes(meeting: Meeting) -> int:
    key = (
        "meeting.min_duration_combined_minutes"
        if meeting.kind == MeetingKind.COMBINED
        else "meeting.min_duration_minutes"
    )
    return int(rule(key, on=meeting_day(meeting)))


@transaction.atomic
def checkin_open(*, actor, meeting: Meeting, minutes=None) -> Meeting:
    """Show the check-in code: a short code and a QR token, valid until the planned end (start +
    the minimum length of the rulebook; from now when opened late) or for `minutes` from now.
    Only on the meeting day."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        _require_not_closed(meeting, _("mở điểm danh"))
        now = _now()
        if timezone.localdate(now) != meeting_day(meeting):
            raise _error(
                "scheduled_at",
                _("Chỉ mở điểm danh trong ngày sinh hoạt (%(date)s).")
                % {"date": fmt(meeting_day(meeting))},
            )
        if minutes is not None:
            if not isinstance(minutes, int) or not 1 <= minutes <= CHECKIN_MAX_MINUTES:
                raise _error(
                    "minutes",
                    _("Số phút mở điểm danh phải từ 1 đến %(max)s.") % {"max": CHECKIN_MAX_MINUTES},
                )
            until = now + dt.timedelta(minutes=minutes)
        else:
            until = max(meeting.scheduled_at, now) + dt.timedelta(minutes=planned_minutes(meeting))
        for _attempt in range(20):
            code, token = Meeting.new_checkin_secrets()
            clash = Meeting.objects.filter(checkin_code=code, checkin_open_until__gt=now).exclude(
                pk=meeting.pk
            )
            if not clash.exists():
                break
        meeting.checkin_code, meeting.checkin_token = code, token
        meeting.checkin_open_until = until
        meeting.save(update_fields=["checkin_code", "checkin_token", "checkin_open_until"])
        if not meeting.attendances.exists():
            _roster_build(meeting)
        return meeting


@transaction.atomic
def checkin(*, user, code=None, token=None, meeting=None) -> Attendance:
    """A logged-in member checks in with the short code or the QR token while it is valid."""
    field = "token" if token else "code"
    with audit_context(actor=user):
        if user is None or not getattr(user, "is_authenticated", False):
            raise _error(field, _("Cần đăng nhập để điểm danh."))
        try:
            member = user.member
        except Exception:  # RelatedObjectDoesNotExist
            member = None
        if member is None:
            raise _error(field, _("Tài khoản này không gắn với hồ sơ đảng viên nào."))
        code = (code or "").strip().upper()
        token = (token or "").strip()
        if not code and not token:
            raise _error("code", _("Chưa nhập mã điểm danh."))
        now = _now()
        qs = Meeting.objects.select_for_update()
        if meeting is not None:
            qs = qs.filter(pk=meeting.pk)
        qs = qs.filter(checkin_token=token) if token else qs.filter(checkin_code=code)
        candidates = list(qs.exclude(checkin_code=""))
        if not candidates:
            raise _error(field, _("Mã điểm danh không đúng."))
        valid = [
            m
            for m in candidates
            if m.status not in CLOSED_STATUSES
            and m.checkin_open_until is not None
            and m.checkin_open_until >= now
        ]
        if not valid:
            raise _error(field, _("Mã điểm danh đã hết hạn hoặc buổi sinh hoạt đã kết thúc."))
        rows = list(Attendance.objects.select_for_update().filter(meeting__in=valid, member=member))
        if not rows:
            raise _error(
                field,
                _("Đồng chí không có tên trong danh sách đảng viên của buổi sinh hoạt này."),
            )
        row = rows[0]
        if row.status != AttendanceStatus.PRESENT:
            row.status = AttendanceStatus.PRESENT
            row.reason = ""
            row.method = CheckinMethod.QR
            row.checked_in_at = now
            row.save()
        return row


# ---------------------------------------------------------------------------------------------
# The record: votes, attendance rate, closing


@dataclass(frozen=True)
class VoteResult:
    official_on_roster: int  # official members convened (exempt ones only when present)
    official_present: int  # who may vote: official members present (probationary do not vote)
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    needed: int  # smallest number of votes for that passes
    passed: bool | None  # None when no vote was recorded
    citation: str = ""


def _official_counts(meeting: Meeting) -> tuple[int, int]:
    counts = attendance_counts(meeting)
    present = AttendanceStatus.PRESENT
    official = sum(n for (cat, _s), n in counts.items() if cat == RosterCategory.OFFICIAL)
    exempt_present = counts.get((RosterCategory.EXEMPT, present), 0)
    official_present = counts.get((RosterCategory.OFFICIAL, present), 0) + exempt_present
    return official + exempt_present, official_present


def _vote_result(meeting, votes_for, votes_against, votes_abstain) -> VoteResult:
    on_roster, present = _official_counts(meeting)
    fraction = rule("meeting.resolution_fraction", on=meeting_day(meeting))
    threshold = Fraction(fraction.value) * on_roster
    needed = threshold.numerator // threshold.denominator + 1  # strictly more than the fraction
    passed = None if votes_for is None else votes_for >= needed
    return VoteResult(
        official_on_roster=on_roster,
        official_present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        needed=needed,
        passed=passed,
        citation=fraction.citation,
    )


def vote_result(meeting: Meeting) -> VoteResult:
    """The resolution passes when votes for exceed the rulebook fraction (> 1/2) of the official
    members on the roster, exempt members counted only when present."""
    return _vote_result(meeting, meeting.votes_for, meeting.votes_against, meeting.votes_abstain)


def attendance_rate(meeting: Meeting) -> float | None:
    """Share (0.0–1.0) present among those expected: the roster minus absent exempt members and
    temporarily attached members (present / (roster − exempt absent − temporary)). None when
    nobody is expected."""
    counts = attendance_counts(meeting)
    expected = present = 0
    for (cat, status), n in counts.items():
        if cat == RosterCategory.TEMPORARY:
            continue
        if status == AttendanceStatus.PRESENT:
            present += n
            expected += n
        elif cat != RosterCategory.EXEMPT:
            expected += n
    if not expected:
        return None
    return present / expected


@transaction.atomic
def meeting_close(
    *,
    actor,
    meeting: Meeting,
    started_at,
    ended_at,
    minutes="",
    resolution="",
    votes_for=None,
    votes_against=None,
    votes_abstain=None,
    quality="",
    minutes_approved=False,
    chair=None,
    minute_taker=None,
) -> tuple[Meeting, list[str]]:
    """Record the meeting as held: times, minutes, resolution and votes, self-assessed quality.

    Refused: ended before started, in the future, more votes than official members present.
    Warnings: shorter than the rulebook minimum, low attendance, unmarked members, a resolution
    without a vote. A held meeting may be closed again to correct its record."""
    with audit_context(actor=actor):
        meeting = _lock(meeting)
        _require_not_closed(meeting, _("ghi biên bản"), statuses=(MeetingStatus.CANCELLED,))
        now = _now()
        errors: dict[str, list[str]] = {}
        if started_at is None:
            errors["started_at"] = [_("Chưa nhập giờ bắt đầu.")]
        if ended_at is None:
            errors["ended_at"] = [_("Chưa nhập giờ kết thúc.")]
        if errors:
            raise ValidationError(errors)
        started_at, ended_at = _aware(started_at), _aware(ended_at)
        if started_at > now:
            errors["started_at"] = [_("Giờ bắt đầu không được ở tương lai.")]
        if ended_at > now:
            errors["ended_at"] = [_("Giờ kết thúc không được ở tương lai.")]
        elif ended_at <= started_at:
            errors["ended_at"] = [_("Giờ kết thúc phải sau giờ bắt đầu.")]
        if quality and quality not in Quality.values:
            errors["quality"] = [_("Mức tự đánh giá chất lượng không hợp lệ.")]
        for field, value in (
            ("votes_for", votes_for),
            ("votes_against", votes_against),
            ("votes_abstain", votes_abstain),
        ):
            if value is not None and (not isinstance(value, int) or value < 0):
                errors[field] = [_("Số phiếu phải là số nguyên không âm.")]
        if errors:
            raise ValidationError(errors)
        voted = any(v is not None for v in (votes_for, votes_against, votes_abstain))
        if voted:
            votes_for, votes_against, votes_abstain = (
                v or 0 for v in (votes_for, votes_against, votes_abstain)
            )
            result = _vote_result(meeting, votes_for, votes_against, votes_abstain)
            total = votes_for + votes_against + votes_abstain
            if total > result.official_present:
                raise _error(
                    "votes_for",
                    _(
                        "Tổng số phiếu biểu quyết (%(total)s) vượt số đảng viên chính thức có mặt "
                        "(%(present)s): đảng viên dự bị không biểu quyết."
                    )
                    % {"total": total, "present": result.official_present},
                )
        meeting.started_at, meeting.ended_at = started_at, ended_at
        meeting.minutes = minutes or ""
        meeting.resolution = resolution or ""
        meeting.votes_for, meeting.votes_against, meeting.votes_abstain = (
            (votes_for, votes_against, votes_abstain) if voted else (None, None, None)
        )
        meeting.resolution_passed = result.passed if voted else None
        meeting.quality = quality or ""
        meeting.minutes_approved = bool(minutes_approved)
        if chair is not None:
            meeting.chair = chair
        if minute_taker is not None:
            meeting.minute_taker = minute_taker
        meeting.status = MeetingStatus.HELD
        meeting.full_clean()
        meeting.save()
        return meeting, _close_warnings(meeting, voted)


def _close_warnings(meeting: Meeting, voted: bool) -> list[str]:
    warnings = []
    key = (
        "meeting.min_duration_combined_minutes"
        if meeting.kind == MeetingKind.COMBINED
        else "meeting.min_duration_minutes"
    )
    minimum = rule(key, on=meeting_day(meeting))
    length = meeting.duration_minutes
    if length is not None and length < int(minimum):
        warnings.append(
            _("Buổi sinh hoạt kéo dài %(length)s phút, dưới mức tối thiểu %(min)s phút (%(cite)s).")
            % {"length": length, "min": int(minimum), "cite": minimum.citation}
        )
    low = rule("meeting.low_attendance_percent", on=meeting_day(meeting))
    rate = attendance_rate(meeting)
    if rate is not None and rate * 100 < float(low.value):
        warnings.append(
            _("Tỷ lệ đảng viên dự sinh hoạt %(rate)s%%, dưới ngưỡng %(low)s%% (%(cite)s).")
            % {
                "rate": f"{rate * 100:.1f}".replace(".", ","),
                "low": low.value,
                "cite": low.citation,
            }
        )
    unmarked = meeting.attendances.filter(status=AttendanceStatus.UNKNOWN).count()
    if not meeting.attendances.exists():
        warnings.append(_("Chưa lập danh sách đảng viên của buổi sinh hoạt."))
    elif unmarked:
        warnings.append(
            _("Còn %(n)s đảng viên trong danh sách chưa được điểm danh.") % {"n": unmarked}
        )
    if meeting.resolution.strip() and not voted:
        warnings.append(_("Nghị quyết chưa có kết quả biểu quyết."))
    return warnings


# ---------------------------------------------------------------------------------------------
# Supervision: assignments, observer visits, corrective actions


def _check_period(valid_from, valid_to) -> None:
    if valid_from is None:
        raise _error("valid_from", _("Chưa nhập ngày bắt đầu phụ trách."))
    if valid_to is not None and valid_to <= valid_from:
        raise _error(
            "valid_to",
            _("Ngày kết thúc (không kể) phải sau ngày bắt đầu %(date)s.")
            % {"date": fmt(valid_from)},
        )


@transaction.atomic
def assignment_create(
    *, actor, user, organization, valid_from, valid_to=None, decision_number="", note=""
) -> Assignment:
    """Put an upper-level committee member in charge of an organisation for a period."""
    with audit_context(actor=actor):
        if user is None or not user.is_active:
            raise _error("user", _("Chọn một tài khoản đang hoạt động."))
        _check_org(organization)
        _check_period(valid_from, valid_to)
        overlap = Assignment.objects.filter(user=user, organization=organization).exclude(
            valid_to__isnull=False, valid_to__lte=valid_from
        )
        if valid_to is not None:
            overlap = overlap.filter(valid_from__lt=valid_to)
        if overlap.exists():
            raise _error(
                "valid_from",
                _("Đồng chí %(user)s đã được phân công phụ trách %(org)s trong thời gian này.")
                % {"user": user, "org": organization.name},
            )
        assignment = Assignment(
            user=user,
            organization=organization,
            valid_from=valid_from,
            valid_to=valid_to,
            decision_number=(decision_number or "").strip(),
            note=(note or "").strip(),
        )
        assignment.full_clean()
        assignment.save()
        return assignment


@transaction.atomic
def assignment_end(*, actor, assignment: Assignment, valid_to) -> Assignment:
    """End an assignment from `valid_to` (not included)."""
    with audit_context(actor=actor):
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if valid_to is None:
            raise _error("valid_to", _("Chưa nhập ngày kết thúc phụ trách."))
        _check_period(assignment.valid_from, valid_to)
        assignment.valid_to = valid_to
        assignment.save(update_fields=["valid_to"])
        return assignment


def default_checklist() -> list[dict]:
    template = ChecklistTemplate.objects.filter(is_default=True).order_by("pk").first()
    items = template.items if template is not None else []
    return [
        {"code": it.get("code", ""), "title": it.get("title", ""), "done": False, "note": ""}
        for it in items
    ]


def validate_checklist(checklist) -> list[dict]:
    """[{"code", "title", "done", "note"}]; titles of known codes come from the default template
    when missing. Empty: the default template, nothing checked yet."""
    if not checklist:
        return default_checklist()
    if not isinstance(checklist, list):
        raise _error("checklist", _("Kết quả theo tiêu chí phải là một danh sách."))
    titles = {it["code"]: it["title"] for it in default_checklist()}
    out = []
    for i, item in enumerate(checklist, start=1):
        if not isinstance(item, dict):
            raise _error("checklist", _("Tiêu chí thứ %(n)s không hợp lệ.") % {"n": i})
        code = str(item.get("code") or "").strip()
        title = str(item.get("title") or titles.get(code, "")).strip()
        if not code and not title:
            raise _error("checklist", _("Tiêu chí thứ %(n)s chưa có mã hay nội dung.") % {"n": i})
        done = item.get("done", False)
        if not isinstance(done, bool):
            raise _error(
                "checklist", _("Tiêu chí thứ %(n)s: “done” phải là true hoặc false.") % {"n": i}
            )
        out.append(
            {"code": code, "title": title, "done": done, "note": str(item.get("note") or "")}
        )
    return out


def _visit_fields(data: dict) -> dict:
    out = {}
    if "checklist" in data:
        out["checklist"] = validate_checklist(data["checklist"])
    if "assessment" in data:
        assessment = data["assessment"] or ""
        if assessment and assessment not in Quality.values:
            raise _error("assessment", _("Mức đánh giá chung không hợp lệ."))
        out["assessment"] = assessment
    for key in ("comments", "recommendations"):
        if key in data:
            out[key] = (data[key] or "").strip()
    return out


@transaction.atomic
def visit_record(
    *,
    actor,
    meeting: Meeting,
    checklist: list[dict],
    assessment="",
    comments="",
    recommendations="",
) -> ObserverVisit:
    """The actor attended the meeting as an upper-level observer and records what was seen."""
    with audit_context(actor=actor):
        if actor is None or not can(actor, VIEW, meeting):
            raise PermissionDenied(_("Đồng chí không được xem buổi sinh hoạt này."))
        if not can(actor, ADD, meeting, module="supervision"):
            raise PermissionDenied(_("Đồng chí không được ghi nhận dự sinh hoạt tại tổ chức này."))
        meeting = _lock(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise _error("meeting", _("Buổi sinh hoạt đã hủy."))
        if meeting_day(meeting) > _today():
            raise _error(
                "meeting",
                _("Buổi sinh hoạt ngày %(date)s chưa diễn ra.")
                % {"date": fmt(meeting_day(meeting))},
            )
        if ObserverVisit.objects.filter(meeting=meeting, observer=actor).exists():
            raise _error("meeting", _("Đồng chí đã ghi nhận lần dự buổi sinh hoạt này."))
        fields = _visit_fields(
            {
                "checklist": checklist,
                "assessment": assessment,
                "comments": comments,
                "recommendations": recommendations,
            }
        )
        visit = ObserverVisit(meeting=meeting, observer=actor, **fields)
        visit.full_clean(exclude=["meeting", "observer"])
        visit.save()
        return visit


def _require_observer(actor, visit: ObserverVisit) -> None:
    if actor is None or actor.pk != visit.observer_id:
        raise PermissionDenied(_("Chỉ người dự sinh hoạt đã ghi nhận lần dự này được sửa."))


@transaction.atomic
def visit_update(*, actor, visit: ObserverVisit, data: dict) -> ObserverVisit:
    """Correct a visit: checklist, assessment, comments, recommendations (its observer only)."""
    with audit_context(actor=actor):
        visit = ObserverVisit.objects.select_for_update().get(pk=visit.pk)
        _require_observer(actor, visit)
        for k, v in _visit_fields(data).items():
            setattr(visit, k, v)
        visit.save()
        return visit


def _check_follow_up_date(field: str, date, finding: Finding) -> None:
    if date is None:
        raise _error(field, _("Chưa nhập ngày."))
    if date > _today():
        raise _error(field, _("Ngày không được ở tương lai (%(date)s).") % {"date": fmt(date)})
    visited = meeting_day(finding.visit.meeting)
    if date < visited:
        raise _error(
            field,
            _("Ngày phải từ ngày dự sinh hoạt %(date)s trở đi.") % {"date": fmt(visited)},
        )


@transaction.atomic
def finding_add(
    *, actor, visit: ObserverVisit, category, description, action, owner, deadline, owner_user=None
) -> Finding:
    """A shortcoming found at the visit, with its corrective action, owner and deadline."""
    with audit_context(actor=actor):
        visit = ObserverVisit.objects.select_related("meeting").get(pk=visit.pk)
        _require_observer(actor, visit)
        errors: dict[str, list[str]] = {}
        if category not in FindingCategory.values:
            errors["category"] = [_("Nhóm thiếu sót không hợp lệ.")]
        for field, value, message in (
            ("description", description, _("Chưa nhập thiếu sót.")),
            ("action", action, _("Chưa nhập biện pháp chấn chỉnh.")),
            ("owner", owner, _("Chưa nhập người/đơn vị chịu trách nhiệm.")),
        ):
            if not (value or "").strip():
                errors[field] = [message]
        visited = meeting_day(visit.meeting)
        if deadline is None:
            errors["deadline"] = [_("Chưa nhập hạn khắc phục.")]
        elif deadline < visited:
            errors["deadline"] = [
                _("Hạn khắc phục phải từ ngày dự sinh hoạt %(date)s trở đi.")
                % {"date": fmt(visited)}
            ]
        if errors:
            raise ValidationError(errors)
        finding = Finding(
            visit=visit,
            category=category,
            description=description.strip(),
            action=action.strip(),
            owner=owner.strip(),
            owner_user=owner_user,
            deadline=deadline,
        )
        finding.full_clean()
        finding.save()
        return finding


@transaction.atomic
def finding_note(*, actor, finding: Finding, date, text) -> FindingNote:
    """A dated follow-up note on an open corrective action."""
    with audit_context(actor=actor):
        finding = (
            Finding.objects.select_for_update().select_related("visit__meeting").get(pk=finding.pk)
        )
        if finding.status != FindingStatus.OPEN:
            raise ValidationError(_("Thiếu sót này đã được khắc phục xong."))
        _check_follow_up_date("date", date, finding)
        if not (text or "").strip():
            raise _error("text", _("Chưa nhập nội dung theo dõi."))
        if actor is None:
            raise _error("text", _("Cần người ghi chú."))
        return FindingNote.objects.create(
            finding=finding, date=date, text=text.strip(), author=actor
        )


@transaction.atomic
def finding_close(*, actor, finding: Finding, date, text="") -> Finding:
    """The corrective action is done on `date`; an optional closing note is kept."""
    with audit_context(actor=actor):
        finding = (
            Finding.objects.select_for_update().select_related("visit__meeting").get(pk=finding.pk)
        )
        if finding.status != FindingStatus.OPEN:
            raise ValidationError(_("Thiếu sót này đã được khắc phục xong."))
        _check_follow_up_date("date", date, finding)
        text = (text or "").strip()
        if text:
            if actor is None:
                raise _error("text", _("Cần người ghi chú."))
            FindingNote.objects.create(finding=finding, date=date, text=text, author=actor)
        finding.status = FindingStatus.CLOSED
        finding.closed_on = date
        finding.save(update_fields=["status", "closed_on"])
        return finding
