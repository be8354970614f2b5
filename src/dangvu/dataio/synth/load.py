"""Writes a synthetic dataset straight into the tables, fast, in ONE transaction.

PostgreSQL: the secondary indexes, unique and foreign-key constraints of the loaded tables are
dropped (their definitions kept), every empty table is truncated in the transaction so that
`COPY … WITH (FREEZE)` writes frozen, all-visible rows (no hint-bit rewrite, index-only scans work
at once), the rows are streamed with `COPY … FROM STDIN` (psycopg 3 `write_row`), history rows are
derived server-side with `INSERT … SELECT`, then indexes and constraints are rebuilt (the foreign
keys are validated again), sequences are set past the new ids and the tables ANALYZEd.

SQLite: `executemany` in the same one transaction with `PRAGMA synchronous=OFF`, secondary indexes
dropped and rebuilt, history by `INSERT … SELECT`, then ANALYZE.

History (django-simple-history tables) is written for every loaded model, as the services would:
"+" rows for organisations, their establish events and versions, members (with the status at
registration), member events and memberships; "~" rows for the members whose status changed
after registration and for the memberships closed by a lifecycle event.
"""

import datetime as dt
import random
import time
from collections import Counter

from django.core.management.color import no_style
from django.db import connections, transaction
from django.utils import timezone

from dangvu.core.demo.generator import demo_today
from dangvu.core.text import normalize
from dangvu.members import search_index
from dangvu.members import stats as member_stats
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.organizations.choices import OrgEventKind
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationVersion

from .people import EVENT_COLUMNS, MEMBER_COLUMNS, MEMBERSHIP_COLUMNS, People
from .tree import SCALES, build_tree

CHANGE_REASON = "Dữ liệu tổng hợp (generate_dataset)"
SOURCE = "command"
ORG_COLUMNS = (
    "id",
    "path",
    "depth",
    "numchild",
    "code",
    "name",
    "short_name",
    "org_type",
    "address",
    "phone",
    "email",
    "established_on",
    "dissolved_on",
    "search_text",
)
ORG_EVENT_COLUMNS = (
    "id",
    "organization_id",
    "kind",
    "date",
    "decision_number",
    "decision_date",
    "related_id",
    "old_value",
    "new_value",
    "note",
    "created_at",
)
ORG_VERSION_COLUMNS = (
    "id",
    "organization_id",
    "valid_from",
    "valid_to",
    "parent_id",
    "code",
    "name",
    "short_name",
    "org_type",
    "event_id",
)
MODELS = [Organization, OrganizationEvent, OrganizationVersion, Member, MemberEvent, Membership]


class DatasetError(Exception):
    pass


def _fmt(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


class _Table:
    """The columns we write for a model, plus constant defaults for columns added since."""

    def __init__(self, model, columns, connection):
        self.model = model
        self.table = model._meta.db_table
        concrete = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(concrete)
        if unknown:
            raise DatasetError(f"{self.table}: không có cột {sorted(unknown)}.")
        self.extra = []
        extra_values = []
        for column, field in concrete.items():
            if column in columns:
                continue
            if field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            else:
                raise DatasetError(
                    f"{self.table}.{column}: cột bắt buộc mới, bộ sinh dữ liệu chưa điền "
                    "(cập nhật dangvu.dataio.synth)."
                )
            self.extra.append(column)
            extra_values.append(field.get_db_prep_save(value, connection))
        self.columns = list(columns) + self.extra
        self.extra_values = tuple(extra_values)

    def rows(self, rows):
        if not self.extra_values:
            return rows
        return [r + self.extra_values for r in rows]


class _Writer:
    def __init__(self, connection):
        self.connection = connection
        self.quote = connection.ops.quote_name

    def history_tables(self):
        return [m.history.model._meta.db_table for m in MODELS]

    def tables(self):
        return [m._meta.db_table for m in MODELS] + self.history_tables()

    # The search index's triggers (members.search_index) are dropped for the load and the
    # index filled once at the end.
    def suspend_search_index(self):
        self.search_index = search_index.installed(self.connection)
        if self.search_index:
            search_index.suspend(self.connection)

    def restore_search_index(self, log):
        if self.search_index:
            t0 = time.perf_counter()
            search_index.install(self.connection, fill=True)
            log(f"    {search_index.__name__}: {time.perf_counter() - t0:.1f} s", True)

    def execute(self, sql, params=None):
        with self.connection.cursor() as c:
            c.execute(sql, params)

    def insert_history(self, model, *, history_type, date, where="", overrides=None) -> int:
        """History rows derived from the table itself (one INSERT … SELECT)."""
        H = model.history.model
        base = {f.column for f in model._meta.concrete_fields}
        overrides = overrides or {}
        cols, exprs, params = [], [], []
        q = self.quote
        for f in H._meta.concrete_fields:
            c = f.column
            if c == "history_id":
                continue
            if c == "history_date":
                expr, p = "%s", [date]
            elif c == "history_type":
                expr, p = "%s", [history_type]
            elif c == "history_change_reason":
                expr, p = "%s", [CHANGE_REASON]
            elif c == "source":
                expr, p = "%s", [SOURCE]
            elif c in ("history_user_id", "ip_address"):
                expr, p = "NULL", []
            elif c in overrides:
                expr, p = overrides[c], []
            elif c in base:
                expr, p = q(c), []
            elif f.null:
                expr, p = "NULL", []
            else:
                raise DatasetError(f"{H._meta.db_table}.{c}: không biết điền gì.")
            cols.append(q(c))
            exprs.append(expr)
            params += p
        sql = (
            f"INSERT INTO {q(H._meta.db_table)} ({', '.join(cols)}) "
            f"SELECT {', '.join(exprs)} FROM {q(model._meta.db_table)}"
            + (f" WHERE {where}" if where else "")
        )
        with self.connection.cursor() as c:
            c.execute(sql, params)
            return c.rowcount


class _PostgresWriter(_Writer):
    def prepare(self, log):
        c = self.connection.cursor()
        c.execute("SET LOCAL maintenance_work_mem = '1GB'")
        c.execute("SET LOCAL synchronous_commit = off")
        self.saved_constraints = []  # (table, name, definition, type)
        self.saved_indexes = []  # (name, definition)
        tables = self.tables()
        for t in tables:
            c.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
                [t],
            )
            self.saved_constraints += [(t, *row) for row in c.fetchall()]
            c.execute(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY 1",
                [t],
            )
            self.saved_indexes += c.fetchall()
        q = self.quote
        for t, name, _d, _kind in sorted(self.saved_constraints, key=lambda r: r[3] != "f"):
            c.execute(f"ALTER TABLE {q(t)} DROP CONSTRAINT {q(name)}")
        for name, _d in self.saved_indexes:
            c.execute(f"DROP INDEX {q(name)}")
        # Empty tables nobody else references: truncate, so COPY can write frozen rows.
        self.freeze = set()
        for t in tables:
            c.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = %s::regclass "
                f"AND contype = 'f') AND NOT EXISTS (SELECT 1 FROM {q(t)})",
                [t],
            )
            if c.fetchone()[0]:
                c.execute(f"TRUNCATE {q(t)}")
                self.freeze.add(t)
        c.close()
        self.suspend_search_index()
        log(
            f"  PostgreSQL: bỏ tạm {len(self.saved_indexes)} chỉ mục và "
            f"{len(self.saved_constraints)} ràng buộc; COPY FREEZE cho {len(self.freeze)} bảng."
        )

    def write(self, table: _Table, rows):
        q = self.quote
        cols = ", ".join(q(c) for c in table.columns)
        freeze = " WITH (FREEZE)" if table.table in self.freeze else ""
        sql = f"COPY {q(table.table)} ({cols}) FROM STDIN{freeze}"
        with self.connection.cursor() as c, c.cursor.copy(sql) as cp:
            write = cp.write_row
            for row in table.rows(rows):
                write(row)

    def restore(self, log):
        q = self.quote
        with self.connection.cursor() as c:
            for name, definition in self.saved_indexes:
                t0 = time.perf_counter()
                c.execute(definition)
                log(f"    {name}: {time.perf_counter() - t0:.1f} s", True)
            for t, name, definition, k in self.saved_constraints:
                if k == "u":
                    t0 = time.perf_counter()
                    c.execute(f"ALTER TABLE {q(t)} ADD CONSTRAINT {q(name)} {definition}")
                    log(f"    {name}: {time.perf_counter() - t0:.1f} s", True)
            # Statistics before the foreign keys: validating a key whose column is all NULL
            # (history_user_id, user_id) is then an index scan, not a scan of the whole table.
            t0 = time.perf_counter()
            for t in self.tables():
                c.execute(f"ANALYZE {q(t)}")
            log(f"    ANALYZE: {time.perf_counter() - t0:.1f} s", True)
            for t, name, definition, k in self.saved_constraints:
                if k == "f":
                    t0 = time.perf_counter()
                    c.execute(f"ALTER TABLE {q(t)} ADD CONSTRAINT {q(name)} {definition}")
                    log(f"    {name}: {time.perf_counter() - t0:.1f} s", True)
        self.restore_search_index(log)

    def finish(self, log):
        models = MODELS + [m.history.model for m in MODELS]
        with self.connection.cursor() as c:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                c.execute(sql)


class _SQLiteWriter(_Writer):
    def prepare(self, log):
        raw = self.connection.connection
        raw.execute("PRAGMA cache_size = -262144")  # 256 MB
        self.saved_indexes = []
        for t in self.tables():
            rows = raw.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL ORDER BY name",
                [t],
            ).fetchall()
            self.saved_indexes += rows
        for name, _sql in self.saved_indexes:
            raw.execute(f"DROP INDEX {self.quote(name)}")
        self.suspend_search_index()
        log(f"  SQLite: bỏ tạm {len(self.saved_indexes)} chỉ mục.")

    def write(self, table: _Table, rows):
        q = self.quote
        cols = ", ".join(q(c) for c in table.columns)
        marks = ", ".join("?" * len(table.columns))
        self.connection.connection.executemany(
            f"INSERT INTO {q(table.table)} ({cols}) VALUES ({marks})", table.rows(rows)
        )

    def restore(self, log):
        raw = self.connection.connection
        for name, sql in self.saved_indexes:
            t0 = time.perf_counter()
            raw.execute(sql)
            log(f"    {name}: {time.perf_counter() - t0:.1f} s", True)
        self.restore_search_index(log)

    def finish(self, log):
        raw = self.connection.connection
        for t in self.tables():
            raw.execute(f"ANALYZE {self.quote(t)}")


def database_is_empty(using: str = "default") -> bool:
    return not (Member.objects.using(using).exists() or Organization.objects.using(using).exists())


def generate(
    *,
    scale: str,
    seed: int = 1,
    members: int | None = None,
    using: str = "default",
    log=print,
    verbose: bool = False,
    chunk_size: int = 10_000,
) -> dict:
    """Generate and load a dataset; returns counts and timings. Raises DatasetError when the
    database already holds members or organisations."""
    if scale not in SCALES:
        raise DatasetError(f"Quy mô không hợp lệ: {scale} (bloc, province, national).")
    connection = connections[using]
    if not database_is_empty(using):
        raise DatasetError(
            "Cơ sở dữ liệu đã có dữ liệu đảng viên hoặc tổ chức đảng: chỉ sinh bộ dữ liệu vào cơ "
            "sở dữ liệu trống (tạo cơ sở dữ liệu mới rồi chạy migrate)."
        )

    def say(text, verbose_only=False):
        if verbose or not verbose_only:
            log(text)

    started = time.perf_counter()
    total = members or SCALES[scale]
    today = demo_today()
    rng = random.Random(f"dangvu-synth:{scale}:{seed}")
    tree = build_tree(scale, total, rng, today)
    units = tree.units
    sizes = People.sizes(units, total)
    now = timezone.now().replace(microsecond=0)
    later = now + dt.timedelta(seconds=1)
    created = connection.ops.adapt_datetimefield_value(now)
    people = People(rng, today, created, chunk_size=chunk_size, expected=total)
    say(
        f"Quy mô {scale}, hạt giống {seed}: {_fmt(len(tree.orgs))} tổ chức "
        f"({_fmt(len(units))} chi bộ có đảng viên), {_fmt(total)} đảng viên, ngày tham chiếu "
        f"{today:%d/%m/%Y}; cơ sở dữ liệu {connection.vendor}."
    )
    writer_cls = _PostgresWriter if connection.vendor == "postgresql" else _SQLiteWriter
    writer = writer_cls(connection)
    timings: dict[str, float] = {}
    counts: Counter = Counter()
    tables = {
        "org": _Table(Organization, ORG_COLUMNS, connection),
        "org_event": _Table(OrganizationEvent, ORG_EVENT_COLUMNS, connection),
        "org_version": _Table(OrganizationVersion, ORG_VERSION_COLUMNS, connection),
        "member": _Table(Member, MEMBER_COLUMNS, connection),
        "event": _Table(MemberEvent, EVENT_COLUMNS, connection),
        "membership": _Table(Membership, MEMBERSHIP_COLUMNS, connection),
    }
    # Outside any transaction (not in tests), SQLite may skip fsync during the load.
    sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block
    if sqlite:
        connection.ensure_connection()
        connection.connection.execute("PRAGMA synchronous = OFF")
    try:
        with transaction.atomic(using=using):
            t0 = time.perf_counter()
            writer.prepare(say)
            timings["prepare"] = time.perf_counter() - t0

            t0 = time.perf_counter()
            _write_orgs(writer, tables, tree, created)
            counts["organizations"] = len(tree.orgs)
            timings["organizations"] = time.perf_counter() - t0

            t0 = last = time.perf_counter()
            done = 0
            for ms, evs, mships in people.chunks(units, sizes):
                writer.write(tables["member"], ms)
                writer.write(tables["event"], evs)
                writer.write(tables["membership"], mships)
                done += len(ms)
                counts["members"] += len(ms)
                counts["member_events"] += len(evs)
                counts["memberships"] += len(mships)
                now_t = time.perf_counter()
                if now_t - last >= 5 or done == total:
                    rate = done / (now_t - t0)
                    rows = counts["members"] + counts["member_events"] + counts["memberships"]
                    say(
                        f"  đảng viên {_fmt(done)}/{_fmt(total)} ({100 * done / total:.0f} %) · "
                        f"{_fmt(rate)} đảng viên/giây · {_fmt(rows / (now_t - t0))} dòng/giây"
                    )
                    last = now_t
            timings["members"] = time.perf_counter() - t0

            t0 = time.perf_counter()
            counts["history"] = _write_history(writer, now, later)
            timings["history"] = time.perf_counter() - t0
            say(f"  lịch sử: {_fmt(counts['history'])} dòng, {timings['history']:.1f} s")

            t0 = time.perf_counter()
            writer.restore(say)
            timings["indexes"] = time.perf_counter() - t0
            say(f"  dựng lại chỉ mục và ràng buộc: {timings['indexes']:.1f} s")

            t0 = time.perf_counter()
            writer.finish(say)
            timings["analyze"] = time.perf_counter() - t0

            # The per-organisation member counters the home page and the tree read.
            t0 = time.perf_counter()
            member_stats.refresh_all()
            timings["stats"] = time.perf_counter() - t0
            say(f"  số liệu theo tổ chức (OrganizationStats): {timings['stats']:.1f} s")
    finally:
        if sqlite and connection.connection is not None:
            connection.connection.execute("PRAGMA synchronous = NORMAL")
    timings["total"] = time.perf_counter() - started
    rows = sum(counts.values())
    say(
        f"Xong: {_fmt(counts['organizations'])} tổ chức, {_fmt(counts['members'])} đảng viên, "
        f"{_fmt(counts['member_events'])} sự kiện, {_fmt(counts['memberships'])} quá trình sinh "
        f"hoạt, {_fmt(counts['history'])} dòng lịch sử trong {timings['total']:.1f} s "
        f"({_fmt(rows / timings['total'])} dòng/giây)."
    )
    by_status = dict(sorted(people.stats.items()))
    say("  trạng thái: " + ", ".join(f"{k} {_fmt(v)}" for k, v in by_status.items()))
    return {
        "scale": scale,
        "seed": seed,
        "vendor": connection.vendor,
        "counts": dict(counts),
        "by_status": by_status,
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }


def _write_orgs(writer, tables, tree, created) -> None:
    orgs, events, versions = [], [], []
    for o in tree.orgs:
        parent_id = o.parent.id if o.parent else None
        est = o.established.isoformat()
        orgs.append(
            (
                o.id,
                o.path,
                o.depth,
                o.numchild,
                o.code,
                o.name,
                o.short_name,
                o.org_type,
                "",
                "",
                "",
                est,
                None,
                normalize(o.code, o.name, o.short_name),
            )
        )
        events.append(
            (o.id, o.id, OrgEventKind.ESTABLISH.value, est, o.decision, est, parent_id, "", "", "",
             created)
        )  # fmt: skip
        versions.append(
            (o.id, o.id, est, None, parent_id, o.code, o.name, o.short_name, o.org_type, o.id)
        )
    writer.write(tables["org"], orgs)
    writer.write(tables["org_event"], events)
    writer.write(tables["org_version"], versions)


def _write_history(writer, now, later) -> int:
    from dangvu.members.choices import EventKind, MemberStatus

    PROB, OFF = MemberStatus.PROBATIONARY.value, MemberStatus.OFFICIAL.value
    n = 0
    for model in (Organization, OrganizationEvent, OrganizationVersion):
        n += writer.insert_history(model, history_type="+", date=now)
    # As registered (bulk_register): probationary, or official when the official date is known.
    n += writer.insert_history(
        Member,
        history_type="+",
        date=now,
        overrides={"status": f"CASE WHEN official_date IS NULL THEN '{PROB}' ELSE '{OFF}' END"},
    )
    registered = f"kind IN ('{EventKind.ADMITTED.value}', '{EventKind.RECOGNISED_OFFICIAL.value}')"
    n += writer.insert_history(MemberEvent, history_type="+", date=now, where=registered)
    n += writer.insert_history(
        Membership, history_type="+", date=now, overrides={"valid_to": "NULL"}
    )
    # Then the lifecycle services: the event, the member's new status, the membership closed.
    n += writer.insert_history(
        MemberEvent, history_type="+", date=later, where=f"NOT ({registered})"
    )
    n += writer.insert_history(
        Member, history_type="~", date=later, where=f"status NOT IN ('{PROB}', '{OFF}')"
    )
    n += writer.insert_history(
        Membership, history_type="~", date=later, where="valid_to IS NOT NULL"
    )
    return n
