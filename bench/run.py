"""Benchmarks at scale: `make bench BENCH_ARGS="--scale province --db postgres"`.

Each figure is measured with a baseline in the same run and reported as a ratio:

  import   rows/s of a 100,000-row .xlsx through dataio.services.commit_import (actor: a
           superuser, a default organisation) vs raw COPY (PostgreSQL) / executemany (SQLite) of
           the same rows into a scratch table with the same columns; the import is rolled back;
  search   p50/p95 of member searches (realistic names, unaccented, some with typos, card
           numbers) through the member list page (/members/?q=…, Django test client, a whole-tree
           user), through the ORM path of that page (filterset + capped paginator + first page of
           50), and as hand-written SQL doing the same;
  stats    the home page's whole-tree figures (core.views.member_dashboard and
           organization_dashboard, plus status, gender and age bands of the whole tree from
           members.stats.subtree_figures) vs one hand-written GROUP BY status, gender, age band
           over the members (the counts must agree); the home page and each home panel;
  api      GET /api/members/ under 20 concurrent clients (wrk, or a Python thread pool) against
           gunicorn (2 workers x 4 threads, production settings) vs the same load on
           /api/users/me/ (authentication, permissions and JSON without the member query).

The benchmark uses its own database: PostgreSQL `dangvu_bench_<scale>` (server and user taken
from DATABASE_URL when it points to PostgreSQL, else postgres@127.0.0.1:5432) or the SQLite file
/tmp/dangvu-bench/bench-<scale>.sqlite3. The dataset is loaded with generate_dataset when the
database is empty (--skip-load never loads). Results: a table on stdout and
var/bench/results-<db>-<scale>.json.
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
VENV_BIN = Path(sys.executable).parent
SQLITE_DIR = Path(os.environ.get("DANGVU_BENCH_DIR", "/tmp/dangvu-bench"))
RESULTS_DIR = PROJECT / "var" / "bench"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
TARGETS = {  # issue 3: national on PostgreSQL, province on SQLite
    "import_ratio": 0.3,
    "search_p95_ms": 50.0,
    "stats_s": 1.0,
    "api_p95_ms": 150.0,
    "load_minutes": 15.0,
}
BENCH_USER = "bench_tochuc"
BENCH_ADMIN = "bench_admin"
BENCH_PASSWORD = "bench-password-2026"
SEED = 1


# ------------------------------------------------------------------------------------------------
# Set-up: database, dataset, users


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", choices=["bloc", "province", "national"], default="bloc")
    p.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default=None,
        help="default: the kind of database DATABASE_URL names (SQLite when unset)",
    )
    p.add_argument("--skip-load", action="store_true", help="never load the dataset")
    p.add_argument(
        "--only",
        default="import,search,stats,api",
        help="comma-separated subset of import,search,stats,api",
    )
    p.add_argument("--import-rows", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=200)
    p.add_argument(
        "--search-timeout",
        type=float,
        default=10.0,
        help="PostgreSQL statement_timeout (s) during the search benchmark; a query cut off "
        "counts as this many seconds (a lower bound) and is reported",
    )
    p.add_argument("--api-seconds", type=int, default=20)
    p.add_argument("--api-connections", type=int, default=20)
    p.add_argument("--port", type=int, default=8123)
    return p.parse_args(argv)


def configure(args) -> dict:
    """Point Django at the benchmark database (before django.setup())."""
    current = os.environ.get("DATABASE_URL", "")
    kind = args.db or ("postgres" if current.startswith("postgres") else "sqlite")
    if kind == "postgres":
        base = current if current.startswith("postgres") else PG_DEFAULT
        parts = urllib.parse.urlsplit(base)
        url = urllib.parse.urlunsplit(parts._replace(path=f"/dangvu_bench_{args.scale}"))
        _ensure_pg_database(urllib.parse.urlunsplit(parts._replace(path="/postgres")), args.scale)
    else:
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{SQLITE_DIR / f'bench-{args.scale}.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DANGVU_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    return {"kind": kind, "url": url}


def _ensure_pg_database(admin_url: str, scale: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        name = f"dangvu_bench_{scale}"
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_dataset(args, db, log) -> dict | None:
    """Migrate; load the dataset into an empty database. Returns the load summary when loaded."""
    from django.core.management import call_command

    from dangvu.dataio.synth import SCALES, database_is_empty, generate
    from dangvu.members.models import Member

    call_command("migrate", verbosity=0)
    if not database_is_empty():
        n = Member.objects.count()
        log(f"Dataset present: {n:,} members (expected about {SCALES[args.scale]:,}).")
        summary_path = RESULTS_DIR / f"load-{db['kind']}-{args.scale}.json"
        if summary_path.exists():
            return {**json.loads(summary_path.read_text()), "loaded_in_this_run": False}
        return None
    if args.skip_load:
        raise SystemExit("The benchmark database is empty and --skip-load was given.")
    log(f"Loading the {args.scale} dataset (generate_dataset --seed {SEED}) …")
    summary = generate(scale=args.scale, seed=SEED, log=log)
    t0 = time.perf_counter()
    _settle(db, log)
    summary["timings"]["vacuum_after_load"] = round(time.perf_counter() - t0, 1)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"load-{db['kind']}-{args.scale}.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False)
    )
    return {**summary, "loaded_in_this_run": True}


def _settle(db, log) -> None:
    """VACUUM ANALYZE after a load so measurements do not race autovacuum (PostgreSQL)."""
    from django.db import connection

    if db["kind"] != "postgres":
        return
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    log(f"VACUUM ANALYZE: {time.perf_counter() - t0:.1f} s")


def ensure_users():
    from dangvu.accounts.models import RoleAssignment, User
    from dangvu.organizations.models import Organization

    root = Organization.objects.get_root_nodes().first()
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(username=BENCH_USER, password=BENCH_PASSWORD)
        RoleAssignment.objects.create(
            user=user, role="organization_dept", organization=root, valid_from=dt.date(2020, 1, 1)
        )
    admin = User.objects.filter(username=BENCH_ADMIN).first()
    if admin is None:
        admin = User.objects.create_superuser(
            username=BENCH_ADMIN, password=BENCH_PASSWORD, email="bench@localhost"
        )
    return user, admin, root


# ------------------------------------------------------------------------------------------------
# Helpers


def pct(values, q: float) -> float:
    """Percentile q (0–100) of `values`, linear interpolation."""
    data = sorted(values)
    if not data:
        return float("nan")
    k = (len(data) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


class Rollback(Exception):
    pass


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform()}
    with contextlib.suppress(Exception):
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"Model name:\s*(.+)", out)
        info["cpu"] = m.group(1).strip() if m else ""
    info["cpus"] = os.cpu_count()
    with contextlib.suppress(Exception):
        mem = Path("/proc/meminfo").read_text()
        info["ram_gb"] = round(int(re.search(r"MemTotal:\s*(\d+)", mem).group(1)) / 1024**2, 1)
    with contextlib.suppress(Exception):
        info["load_average"] = os.getloadavg()
    return info


# ------------------------------------------------------------------------------------------------
# a. Import


def import_rows(n: int):
    """n new members as sheet rows (values by column key), none clashing with the dataset:
    citizen IDs of province code 002 and cards prefixed 02, which the generator never uses."""
    from dangvu.core.demo.generator import demo_today
    from dangvu.dataio.synth import places as PL
    from dangvu.dataio.synth.people import MEMBER_COLUMNS, People
    from dangvu.dataio.synth.tree import Org

    today = demo_today()
    rng = random.Random(4242)
    p = PL.Province("Hà Giang", "002", False, "mountain", 1.0)
    p.hometowns = [("xã Thanh Thủy, huyện Vị Xuyên, tỉnh Hà Giang", "002", 1.0)]
    p.addresses = ["tổ 5, phường Minh Khai, thành phố Hà Giang, tỉnh Hà Giang"]
    p.elsewhere = ["Đảng bộ tỉnh Hà Giang"]
    unit = Org(0, "", "", "Chi bộ", "", "cell", None, dt.date(2000, 1, 1), "", kind="state")
    unit.province, unit.admission_label, unit.admission_suffix = p, "Chi bộ", "QĐ/ĐU"
    unit.workplace = "Sở Nội vụ tỉnh Hà Giang"
    people = People(rng, today, "", chunk_size=n)
    out = []
    for members, _e, _m in people.chunks([unit], [n]):
        for row in members:
            out.append(dict(zip(MEMBER_COLUMNS, row, strict=True)))
    return out


def write_xlsx(rows, path: Path) -> None:
    import openpyxl

    from dangvu.dataio.columns import CHOICE, DATE, MEMBER_COLUMNS, choice_label

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách đảng viên")
    ws.append([c.header for c in MEMBER_COLUMNS])
    for i, r in enumerate(rows, start=1):
        line = []
        for col in MEMBER_COLUMNS:
            if col.key == "stt":
                line.append(i)
            elif col.key in ("organization", "status"):
                line.append(None)
            elif col.kind == DATE:
                v = r[col.key]
                line.append(dt.date.fromisoformat(v) if v else None)
            elif col.kind == CHOICE:
                line.append(choice_label(col.key, r[col.key]))
            else:
                line.append(r[col.key] or None)
        ws.append(line)
    wb.save(path)


def bench_import(args, user, admin, log) -> dict:
    from django.db import connection, transaction

    from dangvu.dataio.columns import FIELD_KEYS
    from dangvu.dataio.services import commit_import
    from dangvu.members.models import Member
    from dangvu.organizations.choices import CELL_TYPES
    from dangvu.organizations.models import Organization

    n = args.import_rows
    rows = import_rows(n)
    path = Path(tempfile.gettempdir()) / f"dangvu-bench-import-{n}.xlsx"
    t0 = time.perf_counter()
    write_xlsx(rows, path)
    log(f"  wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    org = (
        Organization.objects.filter(org_type__in=CELL_TYPES, dissolved_on__isnull=True)
        .order_by("path")
        .first()
    )

    # Reading the sheet alone (openpyxl read-only), for reference.
    import openpyxl

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in wb.active.iter_rows(values_only=True)) - 1
    wb.close()
    read_s = time.perf_counter() - t0
    assert count == n, count

    # The import, rolled back afterwards.
    before = Member.objects.count()
    t0 = time.perf_counter()
    result = None
    try:
        with transaction.atomic():
            with open(path, "rb") as fh:
                result = commit_import(fh, actor=admin, default_organization=org)
            import_s = time.perf_counter() - t0
            written = Member.objects.count() - before
            raise Rollback
    except Rollback:
        pass
    if not result.committed:
        raise SystemExit(f"import failed: {result.summary()} {result.errors[:3]}")
    log(f"  commit_import: {n:,} rows in {import_s:.1f} s ({written:,} members written)")

    # Baselines, each in a rolled-back transaction:
    # - "scratch": the same rows and columns raw into a temporary table with no index, trigger
    #   or constraint (the baseline of sessions 1-3, kept for comparison);
    # - "members" (the fair one, compared with the target): the file read with calamine (the
    #   reader the import uses, raw cell values, no checking) plus the same rows written raw
    #   into `members_member` itself, with its indexes, constraints and search triggers; the
    #   derived columns are computed before the clock starts. What the import does beyond
    #   that (checking every cell, matching existing members, events, memberships, history,
    #   counters) is the application's cost.
    from django.utils import timezone

    from dangvu.core.text import name_sort_key, normalize
    from dangvu.members.choices import MemberStatus

    q = connection.ops.quote_name
    cols = list(FIELD_KEYS) + ["organization_id"]
    date_keys = {"date_of_birth", "admission_date", "official_date"}
    values = [
        tuple(
            (dt.date.fromisoformat(r[k]) if r[k] else None)
            if k in date_keys
            else (org.pk if k == "organization_id" else r[k])
            for k in cols
        )
        for r in rows
    ]
    now = timezone.now()
    member_cols = cols + ["status", "search_text", "name_sort", "photo", "created_at", "updated_at"]
    member_values = []
    for r, v in zip(rows, values, strict=True):
        derived = (
            MemberStatus.OFFICIAL if r["official_date"] else MemberStatus.PROBATIONARY,
            normalize(r["full_name"], r["other_names"], r["card_number"], r["citizen_id"]),
            name_sort_key(r["full_name"]),
            "",
            now,
            now,
        )
        member_values.append(v + derived)

    def raw_write(c, table, columns, data) -> float:
        col_sql = ", ".join(q(x) for x in columns)
        t0 = time.perf_counter()
        if connection.vendor == "postgresql":
            with c.cursor.copy(f"COPY {table} ({col_sql}) FROM STDIN") as cp:
                for v in data:
                    cp.write_row(v)
        else:
            marks = ", ".join("?" * len(columns))
            plain = [
                tuple(x.isoformat() if isinstance(x, dt.date | dt.datetime) else x for x in v)
                for v in data
            ]
            t0 = time.perf_counter()  # the conversion above is psycopg's job on PostgreSQL
            connection.connection.executemany(
                f"INSERT INTO {table} ({col_sql}) VALUES ({marks})", plain
            )
        return time.perf_counter() - t0

    def rolled_back(fn) -> float:
        took = 0.0
        try:
            with transaction.atomic(), connection.cursor() as c:
                took = fn(c)
                raise Rollback
        except Rollback:
            pass
        return took

    def scratch(c):
        col_sql = ", ".join(q(x) for x in cols)
        empty = "WITH NO DATA" if connection.vendor == "postgresql" else "WHERE 0"
        c.execute(
            f"CREATE TEMP TABLE bench_scratch AS SELECT {col_sql} FROM members_member {empty}"
        )
        took = raw_write(c, "bench_scratch", cols, values)
        c.execute("SELECT COUNT(*) FROM bench_scratch")
        assert c.fetchone()[0] == n
        return took

    def into_members(c):
        from python_calamine import CalamineWorkbook

        t0 = time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        read = time.perf_counter() - t0
        assert len(sheet) == n + 1, len(sheet)
        c.execute("SELECT MAX(id) FROM members_member")
        top = c.fetchone()[0] or 0
        took = raw_write(c, "members_member", member_cols, member_values)
        c.execute("SELECT COUNT(*) FROM members_member WHERE id > %s", [top])
        assert c.fetchone()[0] == n
        timings["calamine_read_s"] = read
        timings["copy_members_s"] = took
        return read + took

    timings: dict[str, float] = {}
    scratch_s = rolled_back(scratch)
    baseline_s = rolled_back(into_members)
    rate, base_rate = n / import_s, n / baseline_s
    kind = "COPY" if connection.vendor == "postgresql" else "executemany"
    log(
        f"  baseline: calamine read {timings['calamine_read_s']:.2f} s + raw {kind} into "
        f"members_member {timings['copy_members_s']:.2f} s = {baseline_s:.2f} s; raw {kind} "
        f"into a bare scratch table {scratch_s:.2f} s"
    )
    return {
        "rows": n,
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(rate),
        "baseline": f"calamine read + {kind} into members_member",
        "baseline_s": round(baseline_s, 3),
        "baseline_rows_per_s": round(base_rate),
        "ratio": round(rate / base_rate, 4),
        "baseline_read_s": round(timings["calamine_read_s"], 3),
        "baseline_write_s": round(timings["copy_members_s"], 3),
        "scratch_s": round(scratch_s, 3),
        "scratch_rows_per_s": round(n / scratch_s),
        "ratio_vs_scratch": round(rate / (n / scratch_s), 4),
        "xlsx_read_only_s": round(read_s, 2),
        "xlsx_mb": round(path.stat().st_size / 1e6, 1),
    }


# ------------------------------------------------------------------------------------------------
# b. Search


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters
    return word[:i] + word[i + 1 :]  # drop one


def search_queries(count: int) -> list[tuple[str, str]]:
    """(kind, query): full names, family + given, middle + given, names with a typo, card numbers;
    unaccented and lower-case like people type them. Deterministic."""
    from dangvu.core.text import normalize
    from dangvu.members.models import Member

    rng = random.Random(7)
    last = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    step = max(1, last // (count + 20))
    ids = list(range(1, last + 1, step))[: count + 20]
    people = list(
        Member.objects.filter(pk__in=ids).order_by("pk").values_list("full_name", "card_number")
    )
    out = []
    for i, (name, card) in enumerate(people):
        words = normalize(name).split()
        r = i % 10
        if r < 4:
            out.append(("full name", " ".join(words)))
        elif r < 6:
            out.append(("family + given", f"{words[0]} {words[-1]}"))
        elif r < 7:
            out.append(("middle + given", " ".join(words[1:])))
        elif r < 9:
            w = list(words)
            w[-1] = _typo(w[-1], rng)
            out.append(("typo", " ".join(w)))
        else:
            out.append(("card number", card or " ".join(words)))
    return out


SEARCH_COLUMNS = (
    "m.id, m.full_name, m.gender, m.date_of_birth, m.status, m.card_number, m.admission_date, "
    "m.organization_id, o.name, o.path, o.depth"
)


def sql_search(cursor, vendor: str, root_path: str, query: str):
    """The member list's search, written by hand: word-prefix match on search_text within the
    user's subtree (LIKE, served by the trigram index), ordered by name, a count capped as the
    page's (1,000) and the first 50; on PostgreSQL, past the cap, in storage order, and when
    nothing matches, trigram word similarity ordered by similarity."""
    from dangvu.core.text import normalize, search_terms
    from dangvu.members.models import SEARCH_COUNT_CAP

    terms = search_terms(query)
    where = ["o.path LIKE %s"]
    params: list = [root_path + "%"]
    for t in terms:
        where.append("(m.search_text LIKE %s OR m.search_text LIKE %s)")
        params += [t + "%", "% " + t + "%"]
    base = (
        "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE {' AND '.join(where)}"
    )
    cap = SEARCH_COUNT_CAP
    cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT {cap + 1}) t", params)
    n = cursor.fetchone()[0]  # the pages say "more than 1,000" past the cap
    if n or vendor != "postgresql":
        # past the cap PostgreSQL lists the matches in storage order (MemberQuerySet.for_page)
        order = "" if n > cap and vendor == "postgresql" else "ORDER BY m.name_sort, m.id"
        cursor.execute(f"SELECT {SEARCH_COLUMNS} {base} {order} LIMIT 50", params)
        return min(n, cap), cursor.fetchall()
    text = normalize(query)
    base = (
        "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        "WHERE o.path LIKE %s AND %s <%% m.search_text"
    )
    params = [root_path + "%", text]
    cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT {cap + 1}) t", params)
    n = min(cursor.fetchone()[0], cap)
    cursor.execute(
        f"SELECT {SEARCH_COLUMNS} {base} "
        "ORDER BY word_similarity(%s, m.search_text) DESC, m.name_sort, m.id LIMIT 50",
        [*params, text],
    )
    return n, cursor.fetchall()


def orm_search(user, query: str):
    """What the member list view does for ?q=…: filterset over the scoped queryset, capped count,
    first page of 50 with the organisation."""
    from dangvu.core.viewmixins import CappedPaginator
    from dangvu.members.filtersets import MemberFilterSet
    from dangvu.members.models import Member

    qs = Member.objects.restrict(user).select_related("organization")
    fs = MemberFilterSet({"q": query}, queryset=qs, user=user)
    page = CappedPaginator(fs.qs, 50).get_page(1)
    return page.paginator.count, list(page.object_list)


def bench_search(args, user, root, log) -> dict:
    from django.db import connection
    from django.test import Client

    queries = search_queries(args.queries)
    client = Client()
    client.force_login(user)
    vendor = connection.vendor
    limit = args.search_timeout
    if vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(f"SET statement_timeout = {int(limit * 1000)}")
    timings = {"page": [], "orm": [], "sql": []}
    timeouts = {"page": 0, "orm": 0, "sql": 0}
    hits = {"orm": 0, "sql": 0}
    by_kind: dict[str, list[float]] = {}
    counts: dict[str, int | None] = {}

    def timed(path, fn):
        t0 = time.perf_counter()
        try:
            result = fn()
        except Exception as exc:  # statement_timeout: count it at the limit (a lower bound)
            if "statement timeout" not in str(exc):
                raise
            timings[path].append(max(limit, time.perf_counter() - t0))
            timeouts[path] += 1
            return None
        timings[path].append(time.perf_counter() - t0)
        return result

    def page(q):
        resp = client.get("/members/", {"q": q})
        assert resp.status_code == 200, resp.status_code

    def sql(q):
        with connection.cursor() as c:
            return sql_search(c, vendor, root.path, q)

    for _kind, q in queries[:20]:  # warm-up
        with contextlib.suppress(Exception):
            orm_search(user, q)
    mismatches = 0
    for kind, q in queries:
        timed("page", lambda q=q: page(q))
        got_orm = timed("orm", lambda q=q: orm_search(user, q))
        by_kind.setdefault(kind, []).append(timings["orm"][-1])
        got_sql = timed("sql", lambda q=q: sql(q))
        hits["orm"] += bool(got_orm and got_orm[1])
        hits["sql"] += bool(got_sql and got_sql[1])
        if got_orm and got_sql:
            mismatches += got_orm[0] != got_sql[0]
        counts[q] = got_orm[0] if got_orm else None
    if vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET statement_timeout = 0")
    out = {"queries": len(queries), "found_orm": hits["orm"], "found_sql": hits["sql"]}
    out["count_mismatches"] = mismatches
    out["timeouts"] = timeouts
    out["timeout_s"] = limit
    for k, v in timings.items():
        out[f"{k}_p50_ms"] = ms(pct(v, 50))
        out[f"{k}_p95_ms"] = ms(pct(v, 95))
        out[f"{k}_max_ms"] = ms(max(v))
    out["orm_vs_sql_p95"] = round(pct(timings["orm"], 95) / pct(timings["sql"], 95), 2)
    out["page_vs_sql_p95"] = round(pct(timings["page"], 95) / pct(timings["sql"], 95), 2)
    out["orm_p95_ms_by_kind"] = {k: ms(pct(v, 95)) for k, v in sorted(by_kind.items())}
    slow = sorted(zip(timings["orm"], queries, strict=True), reverse=True)[:5]
    out["slowest_orm"] = [{"ms": ms(t), "kind": k, "q": q} for t, (k, q) in slow]
    log(
        f"  search p95: page {out['page_p95_ms']} ms, ORM {out['orm_p95_ms']} ms, "
        f"SQL {out['sql_p95_ms']} ms"
    )
    return out


# ------------------------------------------------------------------------------------------------
# c. Whole-tree statistics


AGE_SQL = """
SELECT m.status, m.gender,
       CASE WHEN m.date_of_birth > %s THEN 'lt30'
            WHEN m.date_of_birth > %s THEN '30_40'
            WHEN m.date_of_birth > %s THEN '41_50'
            WHEN m.date_of_birth > %s THEN '51_60'
            ELSE 'gt60' END AS band,
       COUNT(*)
FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id
WHERE o.path LIKE %s
GROUP BY 1, 2, 3
"""


def bench_stats(args, user, root, log) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dangvu.core.dates import add_years
    from dangvu.core.views import home_panels, member_dashboard, organization_dashboard
    from dangvu.members.choices import ACTIVE_STATUSES
    from dangvu.members.figures import AGE_BANDS
    from dangvu.members.stats import subtree_figures

    today = timezone.localdate()
    runs = 5
    bands_def = [(code, lo, hi) for code, _label, lo, hi in AGE_BANDS]

    def app():
        t0 = time.perf_counter()
        dash = member_dashboard(user, today)
        t1 = time.perf_counter()
        org = organization_dashboard(user, today)
        t2 = time.perf_counter()
        # the whole tree by status, gender and age band (what the home dashboard charts show)
        figures = subtree_figures(root, today, bands_def)
        t3 = time.perf_counter()
        return (t1 - t0, t2 - t1, t3 - t2), dash, org, figures

    app()  # warm-up
    parts = [app()[0] for _ in range(runs)]
    home_ms = []
    client = Client()
    client.force_login(user)
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = client.get("/")
        home_ms.append(time.perf_counter() - t0)
        assert resp.status_code == 200
    panels = {}
    request = resp.wsgi_request
    for app_name in ("reports", "committees", "admission", "badges"):
        from importlib import import_module

        t0 = time.perf_counter()
        import_module(f"dangvu.{app_name}.home").panel(request, today)
        panels[app_name] = ms(time.perf_counter() - t0)
    t0 = time.perf_counter()
    home_panels(request, today, scope_size=10**9)
    panels["all_on_page"] = ms(time.perf_counter() - t0)
    limits = [add_years(today, -(hi + 1)) for hi in (29, 40, 50, 60)]
    sql_s = []
    with connection.cursor() as c:
        for _ in range(max(2, runs // 2)):
            t0 = time.perf_counter()
            c.execute(AGE_SQL, [*limits, root.path + "%"])
            rows = c.fetchall()
            sql_s.append(time.perf_counter() - t0)
    _parts, dash, _org, figures = app()
    active = {str(x) for x in ACTIVE_STATUSES}
    sql_status, sql_gender, sql_bands = {}, {}, {}
    for s_, g_, b_, n in rows:
        if s_ in active:
            sql_status[s_] = sql_status.get(s_, 0) + n
            sql_gender[g_] = sql_gender.get(g_, 0) + n
            sql_bands[b_] = sql_bands.get(b_, 0) + n
    consistent = (
        sum(sql_status.values()) == dash["active"]["n"]
        and {k: v for k, v in figures["status"].items() if v} == sql_status
        and {k: v for k, v in figures["gender"].items() if v} == sql_gender
        and {k: v for k, v in figures["age"].items() if v} == sql_bands
    )
    bands = figures["age"]
    member_s = statistics.median(p[0] for p in parts)
    org_s = statistics.median(p[1] for p in parts)
    band_s = statistics.median(p[2] for p in parts)
    total = member_s + org_s + band_s
    base = statistics.median(sql_s)
    log(
        f"  stats: dashboard {ms(member_s + org_s)} ms + age bands {ms(band_s)} ms; "
        f"home page {ms(statistics.median(home_ms))} ms; SQL GROUP BY {ms(base)} ms; "
        f"panels {panels}; consistent with SQL: {consistent}"
    )
    return {
        "member_dashboard_ms": ms(member_s),
        "organization_dashboard_ms": ms(org_s),
        "age_bands_ms": ms(band_s),
        "app_total_ms": ms(total),
        "home_page_ms": ms(statistics.median(home_ms)),
        "home_page_max_ms": ms(max(home_ms)),
        "sql_group_by_ms": ms(base),
        "ratio": round(total / base, 3),
        "counts_consistent": consistent,
        "active_members": dash["active"]["n"],
        "home_panels_ms": panels,
        "age_bands": bands,
    }


# ------------------------------------------------------------------------------------------------
# d. API under concurrent load

WRK_SCRIPT = PROJECT / "bench" / "wrk_report.lua"


def _start_gunicorn(db, port: int, log):
    env = {k: v for k, v in os.environ.items() if k not in ("DANGVU_TESTING", "DEBUG")}
    env.update(
        PYTHONPATH=str(PROJECT / "src"),
        DEBUG="0",
        DJANGO_SECRET_KEY="bench-secret-key-not-for-production-0123456789abcdefghij",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=db["url"],
        LOG_LEVEL="ERROR",
    )
    env.setdefault("DANGVU_VAR_DIR", str(SQLITE_DIR / "var"))
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "dangvu.wsgi",
        # as docs/deployment.md runs it: 2 x cores sync workers (2 workers x 4 threads queued
        # requests behind the GIL: p95 +40 % on the member list, session 5)
        "-w",
        "4",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=PROJECT, env=env, start_new_session=True)
    import socket

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise SystemExit("gunicorn did not start")
    log(
        f"  gunicorn pid {proc.pid} on 127.0.0.1:{port} (4 sync workers as in docs/deployment.md, DEBUG=0)"
    )
    return proc


def _token(port: int) -> str:
    data = json.dumps({"username": BENCH_USER, "password": BENCH_PASSWORD}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/auth/token/",
        data=data,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())["token"]


def _wrk(url: str, token: str, seconds: int, connections: int) -> dict:
    cmd = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        f"Authorization: Token {token}",
        "-H",
        "Accept: application/json",
        "-s",
        str(WRK_SCRIPT),
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120).stdout
    m = re.search(r"BENCH_JSON (\{.*\})", out)
    if not m:
        raise SystemExit("wrk gave no result:\n" + out)
    res = json.loads(m.group(1))
    res["tool"] = "wrk"
    return res


def _threadpool(url: str, token: str, seconds: int, connections: int) -> dict:
    """Fallback load generator: `connections` threads, each one keep-alive HTTP connection."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    stop = time.time() + seconds
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        path = parts.path + ("?" + parts.query if parts.query else "")
        mine = []
        while time.time() < stop:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Token {token}"})
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t0)
            if resp.status != 200:
                errors[0] += 1
        with lock:
            lat.extend(mine)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        for _ in range(connections):
            pool.submit(worker)
    elapsed = time.perf_counter() - t0
    return {
        "tool": "python threads",
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50_ms": ms(pct(lat, 50)),
        "p95_ms": ms(pct(lat, 95)),
        "p99_ms": ms(pct(lat, 99)),
        "errors": errors[0],
    }


def bench_api(args, db, log) -> dict:
    from dangvu.members.models import Member

    proc = _start_gunicorn(db, args.port, log)
    try:
        token = _token(args.port)
        base = f"http://127.0.0.1:{args.port}"
        load = _wrk if shutil.which("wrk") else _threadpool
        urls = {
            "me": f"{base}/api/users/me/",
            "members": f"{base}/api/members/",
            "members_search": f"{base}/api/members/?q=" + urllib.parse.quote(_common_name(Member)),
        }
        out = {}
        for name, url in urls.items():
            # A short warm-up, then the measured run, each once the server has drained what the
            # previous run left queued (slow endpoints keep gunicorn busy after wrk stops).
            _drain(urls["me"], token)
            load(url, token, 3, args.api_connections)
            _drain(urls["me"], token)
            res = load(url, token, args.api_seconds, args.api_connections)
            res["url"] = url.removeprefix(base)
            out[name] = res
            log(
                f"  {res['url']}: p50 {res['p50_ms']} ms, p95 {res['p95_ms']} ms, "
                f"p99 {res['p99_ms']} ms, {res['rps']:.0f} req/s, errors {res['errors']}"
            )
        out["ratio_p95_members_vs_me"] = round(out["members"]["p95_ms"] / out["me"]["p95_ms"], 2)
        return out
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)


def _drain(url: str, token: str, limit_s: float = 300.0) -> None:
    """Wait until a single request to the trivial endpoint answers quickly again."""
    deadline = time.time() + limit_s
    req = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    while time.time() < deadline:
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=limit_s) as resp:
            resp.read()
        if time.perf_counter() - t0 < 0.1:
            return
        time.sleep(1)


def _common_name(Member) -> str:
    from dangvu.core.text import normalize

    name = Member.objects.order_by("pk").values_list("full_name", flat=True).first() or "nguyen"
    words = normalize(name).split()
    return f"{words[0]} {words[-1]}"


# ------------------------------------------------------------------------------------------------
# Report


def report(results: dict) -> str:
    scale, kind = results["scale"], results["db"]
    target_scale = "national" if kind == "postgres" else "province"
    rows = []

    def add(name, value, baseline, ratio, target, met):
        rows.append((name, value, baseline, ratio, target, met))

    def verdict(ok):
        if scale != target_scale:
            return "(n/a at this scale)" if ok is None else ("yes*" if ok else "no*")
        return "yes" if ok else "no"

    load = results.get("load")
    if load:
        minutes = load["timings"]["total"] / 60
        add(
            "load (generate_dataset)",
            f"{load['counts']['members']:,} members in {minutes:.1f} min",
            "",
            "",
            "≤ 15 min",
            verdict(minutes <= TARGETS["load_minutes"]),
        )
    imp = results.get("import")
    if imp:
        add(
            "import 100k .xlsx",
            f"{imp['import_rows_per_s']:,} rows/s ({imp['import_s']} s)",
            f"{imp['baseline']} {imp['baseline_rows_per_s']:,} rows/s",
            f"{imp['ratio']:.3f}×",
            "≥ 0.3×",
            verdict(imp["ratio"] >= TARGETS["import_ratio"]),
        )
        if "scratch_rows_per_s" in imp:
            add(
                "— vs raw copy into a bare table",
                "",
                f"{imp['scratch_rows_per_s']:,} rows/s",
                f"{imp['ratio_vs_scratch']:.4f}×",
                "",
                "",
            )
    s = results.get("search")
    if s:
        add(
            "search p50 / p95 (ORM)",
            f"{s['orm_p50_ms']} / {s['orm_p95_ms']} ms",
            f"SQL {s['sql_p50_ms']} / {s['sql_p95_ms']} ms",
            f"{s['orm_vs_sql_p95']}×",
            "p95 ≤ 50 ms",
            verdict(s["orm_p95_ms"] <= TARGETS["search_p95_ms"]),
        )
        add(
            "search p50 / p95 (page)",
            f"{s['page_p50_ms']} / {s['page_p95_ms']} ms",
            f"SQL {s['sql_p50_ms']} / {s['sql_p95_ms']} ms",
            f"{s['page_vs_sql_p95']}×",
            "p95 ≤ 50 ms",
            verdict(s["page_p95_ms"] <= TARGETS["search_p95_ms"]),
        )
    st = results.get("stats")
    if st:
        add(
            "whole-tree statistics",
            f"{st['app_total_ms']} ms (home page {st['home_page_ms']} ms)",
            f"SQL GROUP BY {st['sql_group_by_ms']} ms",
            f"{st['ratio']}×",
            "≤ 1 s",
            verdict(st["app_total_ms"] <= TARGETS["stats_s"] * 1000),
        )
    api = results.get("api")
    if api:
        m, me = api["members"], api["me"]
        add(
            "API /api/members/ (20 clients)",
            f"p50 {m['p50_ms']} / p95 {m['p95_ms']} / p99 {m['p99_ms']} ms, {m['rps']:.0f} req/s",
            f"/api/users/me/ p95 {me['p95_ms']} ms",
            f"{api['ratio_p95_members_vs_me']}×",
            "p95 ≤ 150 ms",
            verdict(m["p95_ms"] <= TARGETS["api_p95_ms"]),
        )
        q = api["members_search"]
        add(
            "API ?q= search (20 clients)",
            f"p50 {q['p50_ms']} / p95 {q['p95_ms']} / p99 {q['p99_ms']} ms, {q['rps']:.0f} req/s",
            "",
            "",
            "",
            "",
        )
    head = ("measure", "value", "baseline (same run)", "ratio", "target", "met")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        f"Benchmark {scale} on {kind} — {results['started']}",
        "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    for r in rows:
        lines.append("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)))
    if scale != target_scale:
        lines.append(f"* targets apply at {target_scale} scale on {kind}; shown for orientation.")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    db = configure(args)
    import django

    django.setup()
    from django.conf import settings

    # The Django test client talks to "testserver"; no setup_test_environment(), whose
    # instrumented template rendering would slow the page measurements down.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # A search cut off by statement_timeout is counted, not logged with its traceback.
    import logging

    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    def log(text):
        print(text, flush=True)

    only = {x.strip() for x in args.only.split(",") if x.strip()}
    started = dt.datetime.now().isoformat(timespec="seconds")
    log(f"Benchmark database: {db['url']}")
    load = ensure_dataset(args, db, log)
    user, admin, root = ensure_users()
    from dangvu.members.models import Member

    results: dict = {
        "scale": args.scale,
        "db": db["kind"],
        "started": started,
        "machine": machine(),
        "members": Member.objects.count(),
        "load": load,
    }
    if "import" in only:
        log("a. import …")
        results["import"] = bench_import(args, user, admin, log)
    if "search" in only:
        log("b. search …")
        results["search"] = bench_search(args, user, root, log)
    if "stats" in only:
        log("c. whole-tree statistics …")
        results["stats"] = bench_stats(args, user, root, log)
    if "api" in only:
        log("d. API under load …")
        results["api"] = bench_api(args, db, log)
    results["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    text = report(results)
    print()
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"results-{db['kind']}-{args.scale}.json"
    partial = only != {"import", "search", "stats", "api"}
    existing = json.loads(out.read_text()) if out.exists() and partial else {}
    merged = {**existing, **{k: v for k, v in results.items() if v is not None}}
    out.write_text(json.dumps(merged, indent=2, ensure_ascii=False, default=str))
    print(f"\nResults: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
