"""Import jobs: upload (quick header check, then validation in the background) and commit."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context

from .models import ImportJob
from .reader import ImportFileError, inspect_sheet
from .services import importable_organizations
from .tasks import queue_import

ALLOWED_EXTENSIONS = (".xlsx", ".xlsm", ".csv")


def max_upload_bytes() -> int:
    return int(getattr(settings, "DANGVU_IMPORT_MAX_BYTES", 60 * 1024 * 1024))


def check_upload(file) -> None:
    """Reject what cannot be a member list before it is stored (extension, size, header row)."""
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError(
            {"file": _("Chỉ nhận tệp Excel .xlsx hoặc tệp .csv (UTF-8).")}, code="extension"
        )
    size = getattr(file, "size", None)
    if size is not None and size > max_upload_bytes():
        raise ValidationError(
            {
                "file": _("Tệp lớn quá %(mb)s MB; hãy chia thành nhiều tệp.")
                % {"mb": max_upload_bytes() // (1024 * 1024)}
            },
            code="size",
        )
    try:
        inspect_sheet(file)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}, code="format") from exc
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def create_import_job(*, actor, file, organization, ip=None) -> ImportJob:
    """Store the upload and queue its validation (preview). Nothing is written to members yet."""
    if (
        organization is None
        or not importable_organizations(actor).filter(pk=organization.pk).exists()
    ):
        raise ValidationError(
            {
                "organization": _(
                    "Chọn một tổ chức đang hoạt động trong phạm vi bạn được thêm đảng viên."
                )
            }
        )
    check_upload(file)
    with audit_context(actor=actor, ip=ip, source="import"), transaction.atomic():
        job = ImportJob(
            organization=organization,
            created_by=actor,
            ip_address=ip,
            original_name=os.path.basename(getattr(file, "name", "") or "")[:255],
        )
        job.file.save(os.path.basename(file.name), file, save=False)
        job.save()
        queue_import(job, commit=False)
    return job


def request_commit(*, job: ImportJob, actor, ip=None) -> ImportJob:
    """Queue the all-or-nothing commit of a validated job without errors (once)."""
    with audit_context(actor=actor, ip=ip, source="import"), transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.can_commit:
            if job.status in (ImportJob.Status.COMMITTING, ImportJob.Status.DONE):
                raise ValidationError(_("Tệp này đã được ghi hoặc đang được ghi."))
            if job.error_count:
                raise ValidationError(_("Tệp còn lỗi; sửa tệp rồi tải lên lại."))
            raise ValidationError(_("Tệp chưa kiểm tra xong hoặc không có gì để ghi."))
        job.status = ImportJob.Status.COMMITTING
        job.committed_by = actor
        job.ip_address = ip or job.ip_address
        job.processed_rows = 0
        job.commit_started_at = None
        job.finished_at = None
        job.message = ""
        job.save()
        queue_import(job, commit=True)
    return job
