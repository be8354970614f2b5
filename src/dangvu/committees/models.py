"""Terms of office, congresses and their preparation, committees and their seats.

Writes go through `committees.services` (open/close a term, plan/hold a congress, create a
committee with its approved seats, fill and end a seat); these models only hold the data.
Nothing is deleted: a term closes, a congress is cancelled, a seat ends with its reason.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet

from .choices import BodyKind, CongressKind, CongressStatus, EndReason, Position, StartKind


def in_force_q(on, start: str = "start_date", end: str = "end_date") -> models.Q:
    """Rows whose period [start, end) contains `on` (end empty = still running)."""
    return models.Q(**{f"{start}__lte": on}) & (
        models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gt": on})
    )


class Term(models.Model):
    """Nhiệm kỳ: an organisation's term of office, opened by a congress (or recorded as such)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="terms",
        verbose_name=_("Tổ chức đảng"),
    )
    name = models.CharField(_("Nhiệm kỳ"), max_length=40, help_text=_("Ví dụ: 2025–2030."))
    start_date = models.DateField(_("Bắt đầu"))
    end_date = models.DateField(
        _("Kết thúc (không kể)"),
        null=True,
        blank=True,
        help_text=_("Để trống khi nhiệm kỳ đang diễn ra."),
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "committees"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organization", "-start_date"]
        indexes = [models.Index(fields=["organization", "start_date"], name="term_org_start_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start_date"], name="term_org_start_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.name}"

    def covers(self, on) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date > on)


class Congress(models.Model):
    """Đại hội: planned, held (it opens the new term) or cancelled, with its preparation list."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="congresses",
        verbose_name=_("Tổ chức đảng"),
    )
    term = models.OneToOneField(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="congress",
        verbose_name=_("Nhiệm kỳ do đại hội mở"),
    )
    term_name = models.CharField(
        _("Nhiệm kỳ"), max_length=40, help_text=_("Nhiệm kỳ đại hội mở, ví dụ 2025–2030.")
    )
    kind = models.CharField(
        _("Hình thức"), max_length=12, choices=CongressKind.choices, default=CongressKind.MEMBERS
    )
    planned_date = models.DateField(_("Ngày dự kiến"))
    held_date = models.DateField(_("Ngày tổ chức"), null=True, blank=True)
    status = models.CharField(
        _("Trạng thái"),
        max_length=12,
        choices=CongressStatus.choices,
        default=CongressStatus.PLANNED,
    )
    approval_decision = models.CharField(
        _("Văn bản cấp trên đồng ý tổ chức"), max_length=64, blank=True
    )
    result_decision = models.CharField(
        _("Quyết định chuẩn y kết quả bầu cử"), max_length=64, blank=True
    )
    notes = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "committees"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("đại hội")
        verbose_name_plural = _("đại hội")
        ordering = ["organization", "-planned_date", "-id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="congress_org_status_idx"),
            models.Index(fields=["status", "planned_date"], name="congress_status_date_idx"),
        ]

    def __str__(self):
        return f"{_('Đại hội')} {self.organization} · {self.term_name}"

    @property
    def date(self):
        return self.held_date or self.planned_date


class ChecklistTemplateItem(models.Model):
    """One step of the default preparation list copied into every new congress (editable)."""

    order = models.PositiveIntegerField(_("Thứ tự"), default=0)
    title = models.CharField(_("Nội dung công việc"), max_length=255)
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "committees"
    scope_global = True

    class Meta:
        verbose_name = _("việc chuẩn bị đại hội (mẫu)")
        verbose_name_plural = _("danh mục chuẩn bị đại hội (mẫu)")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class CongressChecklistItem(models.Model):
    """One preparation step of a congress: done or not, when and by whom."""

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("Đại hội")
    )
    order = models.PositiveIntegerField(_("Thứ tự"), default=0)
    title = models.CharField(_("Nội dung công việc"), max_length=255)
    done = models.BooleanField(_("Đã xong"), default=False)
    done_on = models.DateField(_("Ngày xong"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người xác nhận"),
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "committees"
    scope_org_field = "congress__organization"

    class Meta:
        verbose_name = _("việc chuẩn bị đại hội")
        verbose_name_plural = _("việc chuẩn bị đại hội")
        ordering = ["congress", "order", "id"]

    def __str__(self):
        return self.title


class Committee(models.Model):
    """A body of an organisation for one term: the party (cell) committee, its standing
    committee or its inspection commission, with the number of seats approved per position."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("Tổ chức đảng"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="committees", verbose_name=_("Nhiệm kỳ")
    )
    body = models.CharField(
        _("Cơ quan"),
        max_length=16,
        choices=BodyKind.choices,
        default=BodyKind.PARTY_COMMITTEE,
    )
    decision_number = models.CharField(_("Quyết định chuẩn y"), max_length=64, blank=True)
    formed_on = models.DateField(_("Ngày thành lập / bầu"))
    note = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "committees"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("cấp ủy")
        verbose_name_plural = _("cấp ủy")
        ordering = ["organization", "term", "body"]
        indexes = [models.Index(fields=["organization", "body"], name="committee_org_body_idx")]
        constraints = [
            models.UniqueConstraint(fields=["term", "body"], name="committee_term_body_unique"),
        ]

    def __str__(self):
        return f"{self.get_body_display()} · {self.organization} · {self.term.name}"


class CommitteeSeatQuota(models.Model):
    """The number of seats of one position approved for a committee (by its superior)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("Cấp ủy")
    )
    position = models.CharField(_("Chức danh"), max_length=20, choices=Position.choices)
    approved = models.PositiveSmallIntegerField(_("Số lượng được duyệt"))

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "committees"
    scope_org_field = "committee__organization"

    class Meta:
        verbose_name = _("số lượng cấp ủy được duyệt")
        verbose_name_plural = _("số lượng cấp ủy được duyệt")
        ordering = ["committee", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "position"], name="quota_committee_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_position_display()}: {self.approved}"


class CommitteeSeat(models.Model):
    """Cấp ủy viên: a member holding one position of a committee from a date to a date."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="seats", verbose_name=_("Cấp ủy")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("Đảng viên"),
    )
    position = models.CharField(_("Chức danh"), max_length=20, choices=Position.choices)
    start_date = models.DateField(_("Từ ngày"))
    end_date = models.DateField(_("Đến ngày (không kể)"), null=True, blank=True)
    start_kind = models.CharField(
        _("Hình thức"), max_length=10, choices=StartKind.choices, default=StartKind.ELECTED
    )
    decision_number = models.CharField(_("Số quyết định"), max_length=64, blank=True)
    end_reason = models.CharField(
        _("Lý do thôi"), max_length=12, choices=EndReason.choices, blank=True
    )
    end_decision_number = models.CharField(_("Số quyết định thôi"), max_length=64, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "committees"
    scope_org_field = "committee__organization"

    class Meta:
        verbose_name = _("cấp ủy viên")
        verbose_name_plural = _("cấp ủy viên")
        ordering = ["committee", "start_date", "id"]
        indexes = [
            models.Index(fields=["committee", "position", "end_date"], name="seat_comm_pos_idx"),
            models.Index(fields=["position", "end_date"], name="seat_pos_end_idx"),
        ]

    def __str__(self):
        return f"{self.get_position_display()} · {self.member} · {self.committee}"

    def covers(self, on) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date > on)
