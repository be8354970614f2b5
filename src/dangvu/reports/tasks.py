"""Background generation of reports (django-tasks; the database backend's worker is
`manage.py db_worker`). `queue_report` enqueues on commit; with the ImmediateBackend (tests, a demo
without a worker) the task runs inline at enqueue time."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dangvu.core.audit import audit_context

from .choices import ReportStatus
from .models import GeneratedReport

logger = logging.getLogger(__name__)


def queue_report(report: GeneratedReport) -> None:
    report_id = report.pk
    transaction.on_commit(lambda: run_report.enqueue(report_id))


@task()
def run_report(report_id: int) -> str:
    """Generate report `report_id`; returns its status."""
    return execute_report(report_id)


def _set_progress(report_id: int, percent: int) -> None:
    GeneratedReport.objects.filter(pk=report_id).update(progress=percent)


def execute_report(report_id: int) -> str:
    from . import content, documents

    claimed = GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return "skipped"  # already taken by another worker, or no longer waiting
    report = GeneratedReport.objects.select_related("organization", "created_by").get(pk=report_id)
    try:
        data = content.collect(report, progress=lambda p: _set_progress(report_id, p))
        _set_progress(report_id, 85)
        blob = documents.render(data, report.format)
        name = documents.file_name(report)
        report.file.save(name, ContentFile(blob), save=False)
        report.file_name = name
        report.status = ReportStatus.DONE
        report.progress = 100
        report.error = ""
    except Exception:
        logger.exception("report %s failed", report_id)
        report.status = ReportStatus.FAILED
        report.error = _(
            "Lỗi hệ thống khi tạo báo cáo. Vui lòng thử lại hoặc báo quản trị hệ thống."
        )
    report.finished_at = timezone.now()
    with audit_context(actor=report.created_by):
        report.save()
    return report.status
