"""Progress of an import job, visible to the page while the job runs (on SQLite and PostgreSQL).

The page polls the job every second and draws `processed_rows / total_rows`.

- Validation runs outside any transaction: each report is a plain UPDATE of the job row
  (`QuerySet.update`, so no history row per tick), committed at once and seen by the page.
- The commit runs inside ONE transaction (all or nothing). An UPDATE of the job row from the same
  connection would stay invisible until the very end, so the report takes a side channel:
  * PostgreSQL: a second, autocommit connection updates the job row. The big transaction never
    touches the job row (its status is changed before and after it), so nothing waits on a lock.
  * SQLite: a second connection cannot write while the import holds the database's write lock
    (it would wait `timeout` seconds and fail). The report goes to a small JSON file in the
    private directory (`progress_file()`), replaced atomically; SQLite runs on one machine, so
    the web process and the worker read the same disk. `ImportJob.progress()` reads it while the
    job is "committing", and the file is removed when the job ends.
Reports are throttled to one per `every` rows (500 by default): the cost is negligible.
"""

import contextlib
import json
import logging
import os

from django.db import DEFAULT_DB_ALIAS, connections

from .models import ImportJob, progress_file

logger = logging.getLogger(__name__)


class JobProgress:
    def __init__(self, job_id: int, *, transactional: bool = False, every: int = 500):
        self.job_id = job_id
        self.transactional = transactional
        self.every = every
        self._last = -1
        self._side = None
        self.vendor = connections[DEFAULT_DB_ALIAS].vendor

    def __call__(self, processed: int, total: int | None = None, *, force: bool = False) -> None:
        if not force and self._last >= 0 and processed - self._last < self.every:
            return
        self._last = processed
        try:
            if not self.transactional:
                fields = {"processed_rows": processed}
                if total is not None:
                    fields["total_rows"] = total
                ImportJob.objects.filter(pk=self.job_id).update(**fields)
            elif self.vendor == "postgresql":
                self._write_side_connection(processed, total)
            else:
                self._write_file(processed, total)
        except Exception:  # progress must never break an import
            logger.warning("import progress report failed", exc_info=True)

    def _write_side_connection(self, processed, total) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self._side.ops.quote_name(ImportJob._meta.db_table)
        with self._side.cursor() as cursor:
            if total is None:
                cursor.execute(
                    f"UPDATE {table} SET processed_rows = %s WHERE id = %s",
                    [processed, self.job_id],
                )
            else:
                cursor.execute(
                    f"UPDATE {table} SET processed_rows = %s, total_rows = %s WHERE id = %s",
                    [processed, total, self.job_id],
                )

    def _write_file(self, processed, total) -> None:
        path = progress_file(self.job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"processed": processed, "total": total}))
        os.replace(tmp, path)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
        if self.transactional:
            with contextlib.suppress(OSError):
                progress_file(self.job_id).unlink(missing_ok=True)
