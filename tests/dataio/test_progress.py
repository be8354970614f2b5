"""Progress of the all-or-nothing commit is visible to other connections while it runs."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from dangvu.dataio.models import ImportJob
from dangvu.dataio.progress import JobProgress
from dangvu.dataio.services import commit_import

from .conftest import row_dict, rows_from, xlsx_file


def seen_from_outside(job_id: int) -> tuple[int, int]:
    """What the job page would read: another connection (PostgreSQL) or the side file (SQLite)."""
    job = ImportJob.objects.get(pk=job_id)
    if connection.vendor != "postgresql":
        return job.progress()
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT processed_rows, total_rows FROM dataio_importjob WHERE id = %s", [job_id]
            )
            return tuple(cursor.fetchone())
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_commit_progress_is_visible_outside_the_transaction(tree, monkeypatch):
    from dangvu.dataio import services

    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    job = ImportJob.objects.create(
        organization=tree["C11"], status="committing", file="imports/x.xlsx", total_rows=6
    )
    reporter = JobProgress(job.pk, transactional=True, every=1)
    observed = []

    def progress(processed, total=None, *, force=False):
        reporter(processed, total, force=force)
        if connection.in_atomic_block and processed:
            observed.append(seen_from_outside(job.pk))

    result = commit_import(
        xlsx_file(rows_from([row_dict(i) for i in range(1, 7)])),
        actor=None,
        default_organization=tree["C11"],
        progress=progress,
    )
    reporter.close()
    assert result.committed
    assert (2, 6) in observed and (4, 6) in observed
    # Validation-time reports are plain updates of the job row.
    plain = JobProgress(job.pk)
    plain(5, 6, force=True)
    job.refresh_from_db()
    assert (job.processed_rows, job.total_rows) == (5, 6)
