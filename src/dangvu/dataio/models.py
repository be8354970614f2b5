import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet

from .storage import private_root, private_storage

MAX_STORED_ERRORS = 1000
PREVIEW_ROWS = 50


class ImportJob(models.Model):
    """One uploaded member list: validated (preview), then committed all-or-nothing in the background."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Đã tải lên, chờ kiểm tra")
        VALIDATING = "validating", _("Đang kiểm tra")
        VALIDATED = "validated", _("Đã kiểm tra")
        COMMITTING = "committing", _("Đang ghi vào hệ thống")
        DONE = "done", _("Đã ghi xong")
        FAILED = "failed", _("Không thành công")

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Danh sách đảng viên")

    kind = models.CharField(
        _("Loại dữ liệu"), max_length=20, choices=Kind.choices, default=Kind.MEMBERS
    )
    file = models.FileField(_("Tệp"), upload_to="imports/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("Tên tệp"), max_length=255, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("Tổ chức mặc định"),
        help_text=_("Dùng cho các dòng không ghi cột “Chi bộ”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người tải lên"),
    )
    created_at = models.DateTimeField(_("Thời điểm tải lên"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người ghi vào hệ thống"),
    )
    ip_address = models.GenericIPAddressField(_("Địa chỉ IP"), null=True, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("Số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("Đã xử lý"), default=0)
    new_count = models.PositiveIntegerField(_("Thêm mới"), default=0)
    update_count = models.PositiveIntegerField(_("Cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("Không thay đổi"), default=0)
    error_count = models.PositiveIntegerField(_("Số lỗi"), default=0)
    error_rows = models.PositiveIntegerField(_("Số dòng lỗi"), default=0)
    errors = models.JSONField(_("Lỗi"), default=list, blank=True)
    preview = models.JSONField(_("Xem trước"), default=list, blank=True)
    ignored_headers = models.JSONField(_("Cột không dùng"), default=list, blank=True)
    message = models.TextField(_("Thông báo"), blank=True)
    started_at = models.DateTimeField(_("Bắt đầu kiểm tra"), null=True, blank=True)
    commit_started_at = models.DateTimeField(_("Bắt đầu ghi"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Kết thúc"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history(excluded_fields=["processed_rows", "errors", "preview"])

    scope_module = "members"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at"], name="importjob_org_created_idx"),
            models.Index(fields=["status", "created_at"], name="importjob_status_created_idx"),
        ]

    def __str__(self):
        return f"{self.original_name or self.file.name} · {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (
            self.Status.UPLOADED,
            self.Status.VALIDATING,
            self.Status.COMMITTING,
        )

    @property
    def can_commit(self) -> bool:
        return (
            self.status == self.Status.VALIDATED
            and self.error_count == 0
            and (self.new_count + self.update_count - self.unchanged_count) > 0
        )

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors or [])

    def progress(self) -> tuple[int, int]:
        """(processed, total) rows; while committing, read from the side channel (see progress.py)."""
        processed, total = self.processed_rows, self.total_rows
        if self.status == self.Status.COMMITTING:
            path = progress_file(self.pk)
            try:
                data = json.loads(path.read_text())
                processed = int(data.get("processed", processed))
                total = int(data.get("total") or total)
            except (OSError, ValueError):
                pass
        return processed, total

    def percent(self) -> int | None:
        processed, total = self.progress()
        if self.status in (self.Status.DONE, self.Status.VALIDATED):
            return 100
        if not total:
            return None
        return max(0, min(100, round(100 * processed / total)))

    def apply_result(self, result) -> None:
        self.total_rows = result.total_rows
        self.processed_rows = result.total_rows
        self.new_count = result.new_count
        self.update_count = result.update_count
        self.unchanged_count = result.unchanged_count
        self.error_count = result.error_count
        self.error_rows = result.error_rows
        self.errors = result.errors[:MAX_STORED_ERRORS]
        self.preview = result.preview[:PREVIEW_ROWS]
        if result.info is not None:
            self.ignored_headers = result.info.ignored_headers


def progress_file(job_id: int):
    return private_root() / "progress" / f"import-{job_id}.json"
