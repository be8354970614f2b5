"""Rows of the generated API permission matrix for this app (see tests/api/test_permissions.py).

`build(world)` adds this app's objects to the matrix world (return value stored as
`world.admission`); `CASES` are rows like the ones in test_permissions.py; `PATHS` are the OpenAPI
paths this app adds (checked by tests/api/test_schema.py).

World: candidates "C11" (no step yet) and "C21"; "C11v" in C11 after the cell's vote (the next
step is the grassroots committee's vote); targets of GC1 and GC2 for 2024.
Scope of the admission module: admin and tochuc write everywhere, bithu in GC1's subtree, chibo
in C11 (adds and changes, but the committee's vote and the decision need the grassroots level);
btv, tuyengiao, kiemtra, vanphong read; the member account sees nothing.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

D = dt.date
ROLES = [
    "admin",
    "btv",
    "tochuc",
    "tuyengiao",
    "kiemtra",
    "vanphong",
    "bithu",
    "chibo",
    "dangvien",
    "anonymous",
]
WHOLE = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"]
LOCAL = ["bithu", "chibo", "dangvien"]


@dataclass
class Case:  # the shape of tests.api.test_permissions.Case (importing it would be circular)
    name: str
    method: str
    url: Callable
    expect: dict[str, int]
    body: Callable | None = None
    count: dict[str, int] = field(default_factory=dict)


def expect(default: int, *, local: int | None = None, **given: int) -> dict[str, int]:
    """Status per role: `default`, `local` for bithu/chibo/dangvien, then single roles;
    anonymous callers always get 403."""
    out = dict.fromkeys(ROLES, default)
    if local is not None:
        out.update(dict.fromkeys(LOCAL, local))
    out.update(given)
    out["anonymous"] = 403
    return out


def counts(whole: int, bithu: int, chibo: int, dangvien: int) -> dict[str, int]:
    return {**dict.fromkeys(WHOLE, whole), "bithu": bithu, "chibo": chibo, "dangvien": dangvien}


PATHS = {
    "/api/candidates/",
    "/api/candidates/{id}/",
    "/api/candidates/{id}/steps/",
    "/api/candidates/{id}/introducers/",
    "/api/candidates/{id}/close/",
    "/api/admission-targets/",
    "/api/admission-targets/{id}/",
    "/api/admission-targets/progress/",
}

WRITERS = ["admin", "tochuc", "bithu", "chibo"]


def _writes(ok: int, outside: int = 404, **others) -> dict:
    """A write on a C11 object: the four writers `ok`, whole-tree readers 403, member 404."""
    return expect(403, **(dict.fromkeys(WRITERS, ok) | {"dangvien": outside} | others))


def cand(name):
    return lambda w: f"/api/candidates/{w.admission['candidates'][name].pk}/"


def cand_action(name, verb):
    return lambda w: f"/api/candidates/{w.admission['candidates'][name].pk}/{verb}/"


def target(name):
    return lambda w: f"/api/admission-targets/{w.admission['targets'][name].pk}/"


def _profile(org):
    def body(w):
        return {
            "organization": w.tree[org].pk,
            "full_name": "Ngô Thị Ứng Viên",
            "gender": "female",
            "date_of_birth": "1999-02-03",
        }

    return body


READ = expect(200, local=404) | {"bithu": 200, "chibo": 200}

CASES = [
    Case(
        "candidate list",
        "get",
        lambda w: "/api/candidates/",
        expect(200),
        count=counts(3, 2, 2, 0),
    ),
    Case("candidate detail (C11)", "get", cand("C11"), READ),
    Case("candidate detail out of scope (C21)", "get", cand("C21"), expect(200, local=404)),
    Case(
        "candidate create in C11",
        "post",
        lambda w: "/api/candidates/",
        expect(403, **dict.fromkeys(WRITERS, 201)),
        body=_profile("C11"),
    ),
    Case(
        "candidate create in C21 (outside bithu, chibo)",
        "post",
        lambda w: "/api/candidates/",
        expect(403, admin=201, tochuc=201, bithu=400, chibo=400),
        body=_profile("C21"),
    ),
    Case(
        "candidate create in a grassroots committee (refused: a cell prepares)",
        "post",
        lambda w: "/api/candidates/",
        expect(403, **dict.fromkeys(WRITERS, 400)),
        body=lambda w: {**_profile("C11")(w), "organization": w.tree["GC1"].pk},
    ),
    Case(
        "candidate patch (C11)",
        "patch",
        cand("C11"),
        _writes(200),
        body=lambda w: {"phone": "0987654321"},
    ),
    Case(
        "candidate patch out of scope (C21)",
        "patch",
        cand("C21"),
        expect(403, admin=200, tochuc=200, local=404),
        body=lambda w: {"phone": "0987654321"},
    ),
    Case("candidate put (not offered)", "put", cand("C11"), expect(405), body=lambda w: {}),
    Case("candidate delete (never)", "delete", cand("C11"), expect(405)),
    Case(
        "candidate step awareness (C11)",
        "post",
        cand_action("C11", "steps"),
        _writes(201),
        body=lambda w: {"kind": "awareness", "date": "2024-01-10", "decision_number": "GCN-9"},
    ),
    Case(
        "candidate step out of order (C11)",
        "post",
        cand_action("C11", "steps"),
        _writes(400),
        body=lambda w: {"kind": "decision", "date": "2024-01-10", "decision_number": "1"},
    ),
    Case(
        "candidate step out of scope (C21)",
        "post",
        cand_action("C21", "steps"),
        expect(403, admin=201, tochuc=201, local=404),
        body=lambda w: {"kind": "awareness", "date": "2024-01-10", "decision_number": "GCN-9"},
    ),
    Case(
        "committee vote needs the grassroots level (C11v)",
        "post",
        cand_action("C11v", "steps"),
        _writes(201, chibo=403),
        body=lambda w: {
            "kind": "committee_vote",
            "date": "2024-03-11",
            "votes_for": 7,
            "votes_total": 9,
        },
    ),
    Case(
        "candidate introducer (C11)",
        "post",
        cand_action("C11", "introducers"),
        _writes(201),
        body=lambda w: {"kind": "party_member", "member": w.m["m11"].pk, "months_together": 24},
    ),
    Case(
        "candidate close (C11)",
        "post",
        cand_action("C11", "close"),
        _writes(200),
        body=lambda w: {"status": "withdrawn", "date": "2024-02-01", "reason": "Xin thôi"},
    ),
    # ---- targets
    Case(
        "admission target list",
        "get",
        lambda w: "/api/admission-targets/",
        expect(200),
        count=counts(2, 1, 0, 0),
    ),
    Case(
        "admission target detail (GC1)",
        "get",
        target("GC1"),
        expect(200, local=404) | {"bithu": 200},
    ),
    Case(
        "admission target detail out of scope (GC2)",
        "get",
        target("GC2"),
        expect(200, local=404),
    ),
    Case(
        "admission target set (C11, 2025)",
        "post",
        lambda w: "/api/admission-targets/",
        expect(403, **dict.fromkeys(WRITERS, 201)),
        body=lambda w: {"organization": w.tree["C11"].pk, "year": 2025, "number": 2},
    ),
    Case(
        "admission target patch (GC1)",
        "patch",
        target("GC1"),
        expect(403, admin=200, tochuc=200, bithu=200, chibo=404, dangvien=404),
        body=lambda w: {"number": 6},
    ),
    Case(
        "admission target put (not offered)", "put", target("GC1"), expect(405), body=lambda w: {}
    ),
    Case("admission target delete (never)", "delete", target("GC1"), expect(405)),
    Case("admission progress", "get", lambda w: "/api/admission-targets/progress/", expect(200)),
    Case(
        "admission progress out of scope (GC2)",
        "get",
        lambda w: f"/api/admission-targets/progress/?organization={w.tree['GC2'].pk}&year=2024",
        expect(200, local=404),
    ),
]


def build(world):
    from dangvu.admission import services

    def make(code, name):
        return services.candidate_create(
            actor=None,
            organization=world.tree[code],
            data={
                "full_name": name,
                "gender": "male",
                "date_of_birth": D(1998, 1, 1),
                "general_education": "thpt",
            },
        )

    cands = {"C11": make("C11", "Phan Văn Một Một"), "C21": make("C21", "Đỗ Văn Hai Mốt")}
    v = cands["C11v"] = make("C11", "Vũ Thị Đã Biểu Quyết")
    services.record_awareness(actor=None, candidate=v, date=D(2024, 1, 10), decision_number="1")
    services.record_application(actor=None, candidate=v, date=D(2024, 1, 20))
    for name in ("own", "m11"):
        services.introducer_add(
            actor=None,
            candidate=v,
            kind="party_member",
            member=world.m[name],
            months_together=24,
        )
    services.record_introducers(actor=None, candidate=v, date=D(2024, 2, 1))
    services.record_background_check(actor=None, candidate=v, date=D(2024, 2, 15), notes="Đạt")
    services.record_cell_vote(actor=None, candidate=v, date=D(2024, 3, 1), votes_for=2)
    targets = {
        code: services.target_set(actor=None, organization=world.tree[code], year=2024, number=n)
        for code, n in (("GC1", 4), ("GC2", 3))
    }
    return {"candidates": cands, "targets": targets}
