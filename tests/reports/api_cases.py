"""Rows of the generated API permission matrix for this app (see tests/api/test_permissions.py).

World (`build`): two finished reports, one on C11 (asked by chibo), one on C21 (asked by tochuc),
and one still queued on GC1.
Reports are seen by whoever sees the members figures of their organisation: the whole-tree roles
every report, bithu (GC1) the C11 and GC1 ones, chibo (C11) the C11 one; the member account none
(empty list, 404). Asking for a report needs the members figures of the organisation (not a write
right): out of scope is a 400 on `organization`. Nothing is changed or deleted (405).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ROLES = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "bithu", "chibo",
         "dangvien", "anonymous"]  # fmt: skip
WHOLE = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"]


@dataclass
class Case:
    name: str
    method: str
    url: Callable
    expect: dict[str, int]
    body: Callable | None = None
    count: dict[str, int] = field(default_factory=dict)


def expect(default: int, **given: int) -> dict[str, int]:
    out = dict.fromkeys(ROLES, default)
    out.update(given)
    out["anonymous"] = 403
    return out


def counts(whole: int, bithu: int, chibo: int) -> dict[str, int]:
    return {**dict.fromkeys(WHOLE, whole), "bithu": bithu, "chibo": chibo, "dangvien": 0}


def report(code, suffix=""):
    return lambda w: f"/api/reports/{w.reports.r[code].pk}/{suffix}"


def build(world):
    from pathlib import Path

    from dangvu.reports.models import GeneratedReport

    def make(code, user, status="done"):
        r = GeneratedReport.objects.create(
            kind="annual",
            organization=world.tree[code],
            year=2025,
            date_from=dt.date(2025, 1, 1),
            date_to=dt.date(2025, 12, 31),
            as_of=dt.date(2025, 12, 31),
            format="pdf",
            status=status,
            progress=100 if status == "done" else 0,
            created_by=world.users[user],
        )
        if status == "done":
            name = f"reports/api-world/{code}.pdf"
            path = Path(r.file.storage.path(name))
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"%PDF-1.4\n% api world\n")
            GeneratedReport.objects.filter(pk=r.pk).update(file=name, file_name=f"{code}.pdf")
        return r

    return SimpleNamespace(
        r={
            "C11": make("C11", "chibo"),
            "C21": make("C21", "tochuc"),
            "GC1": make("GC1", "bithu", status="queued"),
        }  # fmt: skip
    )


def body(code, **extra):
    def make(w):
        data = {"organization": w.tree[code].pk, "kind": "annual", "format": "docx", "year": 2025}
        data.update(extra)
        return data

    return make


CASES = [
    Case("report list", "get", lambda w: "/api/reports/", expect(200), count=counts(3, 2, 1)),
    Case(
        "report list by organisation and kind",
        "get",
        lambda w: f"/api/reports/?organization={w.tree['C11'].pk}&kind=annual&status=done",
        expect(200),
        count=counts(1, 1, 1),
    ),
    Case("report detail (C11)", "get", report("C11"), expect(200, dangvien=404)),
    Case(
        "report detail out of scope (C21)",
        "get",
        report("C21"),
        expect(200, bithu=404, chibo=404, dangvien=404),
    ),
    Case("report download (C11)", "get", report("C11", "download/"), expect(200, dangvien=404)),
    Case(
        "report download out of scope (C21)",
        "get",
        report("C21", "download/"),
        expect(200, bithu=404, chibo=404, dangvien=404),
    ),
    Case(
        "report download not finished (GC1)",
        "get",
        report("GC1", "download/"),
        expect(404),
    ),
    Case(
        "report request (C11)",
        "post",
        lambda w: "/api/reports/",
        expect(201, dangvien=403),
        body=body("C11"),
    ),
    Case(
        "report request out of scope (C21)",
        "post",
        lambda w: "/api/reports/",
        expect(201, bithu=400, chibo=400, dangvien=403),
        body=body("C21"),
    ),
    Case(
        "report request, future year",
        "post",
        lambda w: "/api/reports/",
        expect(400, dangvien=403),
        body=body("C11", year=2999),
    ),
    Case(
        "report request, statistics as xlsx",
        "post",
        lambda w: "/api/reports/",
        expect(201, dangvien=403),
        body=body("C11", kind="statistics", format="xlsx", as_of="2025-12-31", year=None),
    ),
    Case("report put (not offered)", "put", report("C11"), expect(405), body=lambda w: {}),
    Case("report patch (not offered)", "patch", report("C11"), expect(405), body=lambda w: {}),
    Case("report delete (never)", "delete", report("C11"), expect(405)),
]

PATHS = {"/api/reports/", "/api/reports/{id}/", "/api/reports/{id}/download/"}
