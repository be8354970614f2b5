"""Cell meetings, their attendance and record, and the upper level's supervision of them.

Writes go through `meetings.services` (planning, notice, roster, check-in, closing the record,
observer visits, corrective actions); these models only hold the data.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet

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


def _on_roster_q(lookup: str, member_ids) -> models.Q:
    """A member account sees the meetings (and their documents) it is on the roster of."""
    return models.Q(
        **{
            f"{lookup}__in": Attendance.objects.filter(member_id__in=member_ids).values(
                "meeting_id"
            )
        }
    )


def default_agenda() -> list:
    return []


class AgendaTemplate(models.Model):
    """A configurable agenda (opening, body, closing items), global or for one organisation."""

    name = models.CharField(_("Tên mẫu"), max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_templates",
        verbose_name=_("Của tổ chức (để trống: dùng chung)"),
    )
    kind = models.CharField(
        _("Loại sinh hoạt"), max_length=16, choices=MeetingKind.choices, blank=True
    )
    items = models.JSONField(
        _("Các mục"),
        default=default_agenda,
        help_text=_('Danh sách {"section": "opening|body|closing", "title": "…"} theo thứ tự.'),
    )
    is_default = models.BooleanField(_("Mặc định"), default=False)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "meetings"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("mẫu chương trình sinh hoạt")
        verbose_name_plural = _("mẫu chương trình sinh hoạt")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("Chi bộ / tổ chức"),
    )
    kind = models.CharField(_("Loại sinh hoạt"), max_length=16, choices=MeetingKind.choices)
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    title = models.CharField(_("Chủ đề"), max_length=255, blank=True)
    scheduled_at = models.DateTimeField(_("Thời gian dự kiến"))
    location = models.CharField(_("Địa điểm"), max_length=255, blank=True)
    notice_sent_at = models.DateTimeField(_("Đã gửi thông báo lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    agenda = models.JSONField(_("Chương trình"), default=default_agenda, blank=True)
    chair = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Chủ trì"),
    )
    minute_taker = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Thư ký ghi biên bản"),
    )
    minutes = models.TextField(_("Biên bản (diễn biến)"), blank=True)
    resolution = models.TextField(_("Nghị quyết / kết luận"), blank=True)
    votes_for = models.PositiveIntegerField(_("Tán thành"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("Không tán thành"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("Không biểu quyết"), null=True, blank=True)
    resolution_passed = models.BooleanField(_("Nghị quyết được thông qua"), null=True, blank=True)
    quality = models.CharField(
        _("Tự đánh giá chất lượng"), max_length=10, choices=Quality.choices, blank=True
    )
    minutes_approved = models.BooleanField(_("Biên bản đã được thông qua"), default=False)
    checkin_code = models.CharField(_("Mã điểm danh"), max_length=8, blank=True, db_index=True)
    checkin_token = models.CharField(max_length=48, blank=True, editable=False, db_index=True)
    checkin_open_until = models.DateTimeField(_("Điểm danh mở đến"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "meetings"
    scope_org_field = "organization"

    scope_member_q = staticmethod(lambda ids: _on_roster_q("pk", ids))

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
        ordering = ["-scheduled_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "scheduled_at"], name="meeting_org_when_idx"),
            models.Index(fields=["status", "scheduled_at"], name="meeting_status_when_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.organization} · {self.scheduled_at:%d/%m/%Y}"

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return int((self.ended_at - self.started_at).total_seconds() // 60)
        return None

    @staticmethod
    def new_checkin_secrets() -> tuple[str, str]:
        code = "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
        return code, secrets.token_urlsafe(32)


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("Loại tài liệu"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("Tên tài liệu"), max_length=255)
    file = models.FileField(_("Tệp"), upload_to="meetings/documents/%Y/%m/")
    posted_at = models.DateTimeField(_("Đăng lúc"))

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "meetings"
    scope_org_field = "meeting__organization"

    scope_member_q = staticmethod(lambda ids: _on_roster_q("meeting", ids))

    class Meta:
        verbose_name = _("tài liệu sinh hoạt")
        verbose_name_plural = _("tài liệu sinh hoạt")
        ordering = ["posted_at"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """One member on the roster of a meeting (built from the cell's members as of its date)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="attendances"
    )
    category = models.CharField(_("Diện"), max_length=14, choices=RosterCategory.choices)
    status = models.CharField(
        _("Điểm danh"),
        max_length=18,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.UNKNOWN,
    )
    reason = models.CharField(_("Lý do vắng"), max_length=255, blank=True)
    checked_in_at = models.DateTimeField(_("Điểm danh lúc"), null=True, blank=True)
    method = models.CharField(
        _("Cách điểm danh"), max_length=10, choices=CheckinMethod.choices, blank=True
    )

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "meetings"
    scope_org_field = "meeting__organization"
    scope_member_field = "member"

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["meeting", "member__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"


class Assignment(models.Model):
    """A member of the upper committee placed in charge of an organisation for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_assignments",
        verbose_name=_("Đồng chí phụ trách"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="supervision_assignments",
        verbose_name=_("Tổ chức được phân công"),
    )
    valid_from = models.DateField(_("Từ ngày"))
    valid_to = models.DateField(_("Đến ngày (không kể)"), null=True, blank=True)
    decision_number = models.CharField(
        _("Số quyết định/văn bản phân công"), max_length=64, blank=True
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "supervision"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("phân công phụ trách")
        verbose_name_plural = _("phân công phụ trách")
        ordering = ["organization__path", "valid_from"]
        indexes = [models.Index(fields=["user", "valid_from"], name="assignment_user_from_idx")]

    def __str__(self):
        return f"{self.user} → {self.organization}"


class ChecklistTemplate(models.Model):
    """The procedure steps an observer checks (configurable; follows the cell-meeting guidance)."""

    name = models.CharField(_("Tên bộ tiêu chí"), max_length=200)
    items = models.JSONField(
        _("Các bước"), default=default_agenda, help_text=_('Danh sách {"code": "…", "title": "…"}.')
    )
    is_default = models.BooleanField(_("Mặc định"), default=False)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "supervision"
    scope_global = True

    class Meta:
        verbose_name = _("bộ tiêu chí dự sinh hoạt")
        verbose_name_plural = _("bộ tiêu chí dự sinh hoạt")

    def __str__(self):
        return self.name


class ObserverVisit(models.Model):
    """An upper-level committee member attends a meeting and assesses how it was run."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="visits", verbose_name=_("Buổi sinh hoạt")
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observer_visits",
        verbose_name=_("Người dự"),
    )
    checklist = models.JSONField(
        _("Kết quả theo tiêu chí"),
        default=default_agenda,
        help_text=_('[{"code", "title", "done": bool, "note"}]'),
    )
    assessment = models.CharField(
        _("Đánh giá chung"), max_length=10, choices=Quality.choices, blank=True
    )
    comments = models.TextField(_("Nhận xét"), blank=True)
    recommendations = models.TextField(_("Kiến nghị"), blank=True)
    recorded_at = models.DateTimeField(_("Ghi nhận lúc"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "supervision"
    scope_org_field = "meeting__organization"

    class Meta:
        verbose_name = _("dự sinh hoạt chi bộ")
        verbose_name_plural = _("dự sinh hoạt chi bộ")
        ordering = ["-meeting__scheduled_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "observer"], name="visit_once_per_observer")
        ]

    def __str__(self):
        return f"{self.observer} dự {self.meeting}"


class Finding(models.Model):
    """A shortcoming found at a visit, and its corrective action followed up to closure."""

    visit = models.ForeignKey(
        ObserverVisit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("Lần dự")
    )
    category = models.CharField(_("Nhóm thiếu sót"), max_length=16, choices=FindingCategory.choices)
    description = models.TextField(_("Thiếu sót"))
    action = models.TextField(_("Biện pháp chấn chỉnh"))
    owner = models.CharField(_("Người/đơn vị chịu trách nhiệm"), max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_findings",
        verbose_name=_("Tài khoản chịu trách nhiệm"),
    )
    deadline = models.DateField(_("Hạn khắc phục"))
    status = models.CharField(
        _("Tình trạng"), max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    closed_on = models.DateField(_("Ngày khắc phục xong"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "supervision"
    scope_org_field = "visit__meeting__organization"

    class Meta:
        verbose_name = _("thiếu sót cần chấn chỉnh")
        verbose_name_plural = _("thiếu sót cần chấn chỉnh")
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="finding_status_deadline_idx")]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:60]}"


class FindingNote(models.Model):
    """A dated follow-up note on a corrective action."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("Ngày"))
    text = models.TextField(_("Nội dung"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "supervision"
    scope_org_field = "finding__visit__meeting__organization"

    class Meta:
        verbose_name = _("ghi chú theo dõi")
        verbose_name_plural = _("ghi chú theo dõi")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y}: {self.text[:60]}"


class NotificationQuerySet(models.QuerySet):
    def restrict(self, user, action="view", module=None):
        """Reminders are personal: each user sees only their own."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class Notification(models.Model):
    """An in-app reminder to one user (and an e-mail when mail is configured)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("Loại"), max_length=40)
    text = models.CharField(_("Nội dung"), max_length=500)
    url = models.CharField(_("Liên kết"), max_length=300, blank=True)
    key = models.CharField(max_length=120, help_text=_("Khóa chống nhắc trùng"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("Đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhắc việc")
        verbose_name_plural = _("nhắc việc")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]

    def __str__(self):
        return self.text


# The secret calendar feed address lives in feeds.py (owned with ics.py); imported here so
# that Django registers the model.
from .feeds import CalendarFeed  # noqa: E402, F401
