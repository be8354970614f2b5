"""Generated reports: who asked for which document of which organisation and period, the job's
progress, and the stored file (downloadable again).

A report is seen by the users whose scope covers its organisation in the members module (the
same scope that may ask for one); the figures inside it were computed with its author's rights.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet
from dangvu.dataio.storage import PrivateStorage

from .choices import Half, ReportFormat, ReportKind, ReportStatus


class GeneratedReport(models.Model):
    kind = models.CharField(_("Loại báo cáo"), max_length=12, choices=ReportKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="generated_reports",
        verbose_name=_("Tổ chức đảng"),
    )
    year = models.PositiveSmallIntegerField(_("Năm"), null=True, blank=True)
    half = models.PositiveSmallIntegerField(
        _("Kỳ 6 tháng"), choices=Half.choices, null=True, blank=True
    )
    date_from = models.DateField(_("Từ ngày"))
    date_to = models.DateField(_("Đến ngày"))
    as_of = models.DateField(_("Số liệu tính đến ngày"))
    format = models.CharField(_("Định dạng"), max_length=4, choices=ReportFormat.choices)
    parameters = models.JSONField(_("Tham số"), default=dict, blank=True)
    status = models.CharField(
        _("Tình trạng"),
        max_length=8,
        choices=ReportStatus.choices,
        default=ReportStatus.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    error = models.TextField(_("Lỗi"), blank=True)
    # Private storage (never served without a login check, like import files); downloads go
    # through the scoped views.
    file = models.FileField(
        _("Tệp"), upload_to="reports/%Y/%m/", storage=PrivateStorage(), blank=True
    )
    file_name = models.CharField(_("Tên tệp"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
        verbose_name=_("Người tạo"),
    )
    created_at = models.DateTimeField(_("Thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("Bắt đầu tạo"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Hoàn thành"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history(excluded_fields=["progress"])

    scope_module = "members"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("báo cáo đã tạo")
        verbose_name_plural = _("báo cáo đã tạo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="report_org_created_idx")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.organization} · {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.kind == ReportKind.STATISTICS:
            return _("tại ngày %(d)s") % {"d": f"{self.as_of:%d/%m/%Y}"}
        if self.kind == ReportKind.HALF_YEAR:
            return _("%(half)s %(y)s") % {
                "half": Half(self.half).label if self.half else "",
                "y": self.year,
            }
        return _("năm %(y)s") % {"y": self.year}

    @property
    def is_running(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def waiting_long(self) -> bool:
        """Queued for more than two minutes: the background worker may not be running."""
        import datetime as dt

        from django.utils import timezone

        return (
            self.status == ReportStatus.QUEUED
            and self.created_at is not None
            and timezone.now() - self.created_at > dt.timedelta(minutes=2)
        )

    @property
    def narratives(self) -> dict:
        return dict((self.parameters or {}).get("narratives") or {})
