"""Background work of import jobs (django-tasks; the database backend's worker is `manage.py db_worker`).

Views and the API queue with `queue_import(job, commit=...)`, which enqueues on transaction commit.
The task takes ids only and calls the services. When the configured backend is django-tasks'
ImmediateBackend (tests, or a demo without a worker), the task runs inline at enqueue time.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dangvu.core.audit import audit_context

from .models import ImportJob
from .progress import JobProgress
from .reader import ImportFileError
from .services import commit_import, preview_import

logger = logging.getLogger(__name__)
Status = ImportJob.Status


def queue_import(job: ImportJob, *, commit: bool) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: run_import.enqueue(job_id, commit))


@task()
def run_import(job_id: int, commit: bool) -> str:
    """Validate (commit=False) or commit (commit=True) the import job `job_id`; returns its status."""
    return execute_import(job_id, commit=commit)


def execute_import(job_id: int, *, commit: bool) -> str:
    now = timezone.now()
    if commit:
        claimed = ImportJob.objects.filter(
            pk=job_id, status=Status.COMMITTING, commit_started_at__isnull=True
        ).update(commit_started_at=now)
    else:
        claimed = ImportJob.objects.filter(pk=job_id, status=Status.UPLOADED).update(
            status=Status.VALIDATING, started_at=now, processed_rows=0
        )
    if not claimed:
        # Already taken by another worker, or no longer waiting: never run a job twice.
        return "skipped"
    job = ImportJob.objects.select_related("organization", "created_by", "committed_by").get(
        pk=job_id
    )
    progress = JobProgress(job.pk, transactional=commit)
    try:
        with job.file.open("rb") as fh:
            if commit:
                result = commit_import(
                    fh,
                    actor=job.committed_by or job.created_by,
                    default_organization=job.organization,
                    progress=progress,
                    ip=job.ip_address,
                )
            else:
                result = preview_import(
                    fh,
                    actor=job.created_by,
                    default_organization=job.organization,
                    progress=progress,
                    ip=job.ip_address,
                )
    except ImportFileError as exc:
        job.status = Status.FAILED
        job.message = str(exc)
    except Exception:
        logger.exception("import job %s failed", job_id)
        job.status = Status.FAILED
        job.message = _(
            "Lỗi hệ thống khi xử lý tệp; không có dữ liệu nào được ghi. Vui lòng báo quản trị hệ thống."
        )
    else:
        job.apply_result(result)
        if commit:
            if result.committed:
                job.status = Status.DONE
                job.message = _(
                    "Đã ghi vào hệ thống: %(new)s đảng viên mới, %(upd)s hồ sơ được cập nhật."
                ) % {"new": result.new_count, "upd": result.changed_count}
            else:
                job.status = Status.FAILED
                job.message = (
                    _(
                        "Không ghi gì: dữ liệu đã thay đổi từ lúc kiểm tra và tệp có %(n)s lỗi. "
                        "Sửa tệp rồi tải lên lại."
                    )
                    % {"n": result.error_count}
                    if result.error_count
                    else _("Tệp không có dòng dữ liệu nào; không ghi gì.")
                )
        else:
            job.status = Status.VALIDATED
            if result.total_rows == 0:
                job.message = _("Tệp không có dòng dữ liệu nào.")
            elif result.error_count:
                job.message = _(
                    "Có %(n)s lỗi ở %(rows)s dòng. Sửa tệp rồi tải lên lại; chưa có gì được ghi."
                ) % {"n": result.error_count, "rows": result.error_rows}
            elif result.changed_count + result.new_count == 0:
                job.message = _("Mọi dòng đều đã có trong hệ thống, không có gì thay đổi.")
            else:
                job.message = _("Tệp hợp lệ. Kiểm tra bản xem trước rồi bấm “Ghi vào hệ thống”.")
    finally:
        progress.close()
    job.finished_at = timezone.now()
    with audit_context(actor=job.committed_by or job.created_by, source="import"):
        job.save()
    return job.status
