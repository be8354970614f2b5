"""Rows of the generated API permission matrix for this app (see tests/api/test_permissions.py).

World (`build`): m12 (C12) admitted 01/01/1996 (30 years of party age on 01/01/2026); badges
already recorded for m11 (C11, 30 years) and m21 (C21, 30 years).
Badges module: admin, tochuc (whole tree) and bithu (GC1's subtree) record; btv, tuyengiao,
kiemtra, vanphong read the whole tree, chibo C11; the member account has no access (empty
lists, 404 on objects). Nothing is changed or deleted (405).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

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


def award(code):
    return lambda w: f"/api/badges/{w.badges.awards[code].pk}/"


def build(world):
    from dangvu.badges.models import BadgeAward
    from dangvu.members.models import Member

    Member.objects.filter(pk=world.m["m12"].pk).update(
        admission_date=dt.date(1996, 1, 1), official_date=dt.date(1997, 1, 1)
    )

    def give(name):
        return BadgeAward.objects.create(
            member=world.m[name],
            tier=30,
            occasion=dt.date(2025, 9, 2),
            decision_number="88-QĐ/ĐUK",
            awarded_on=dt.date(2025, 8, 25),
        )

    return SimpleNamespace(awards={"C11": give("m11"), "C21": give("m21")})


CASES = [
    Case("badge list", "get", lambda w: "/api/badges/", expect(200), count=counts(2, 1, 1)),
    Case(
        "badge list by tier and occasion",
        "get",
        lambda w: "/api/badges/?tier=30&occasion=2025-09-02",
        expect(200),
        count=counts(2, 1, 1),
    ),
    Case("badge detail (C11)", "get", award("C11"), expect(200, dangvien=404)),
    Case(
        "badge detail out of scope (C21)",
        "get",
        award("C21"),
        expect(200, bithu=404, chibo=404, dangvien=404),
    ),
    Case(
        "badge record (m12 in C12, 30 years)",
        "post",
        lambda w: "/api/badges/",
        expect(403, admin=201, tochuc=201, bithu=201),
        body=lambda w: {
            "member": w.m["m12"].pk,
            "tier": 30,
            "occasion": "2026-02-03",
            "decision_number": "101-QĐ/ĐUK",
            "awarded_on": "2026-01-20",
        },
    ),
    Case(
        "badge record not yet reached (m11, 40 years)",
        "post",
        lambda w: "/api/badges/",
        expect(403, admin=400, tochuc=400, bithu=400),
        body=lambda w: {
            "member": w.m["m11"].pk,
            "tier": 40,
            "occasion": "2026-02-03",
            "decision_number": "102-QĐ/ĐUK",
            "awarded_on": "2026-01-20",
        },
    ),
    Case(
        "badge record out of scope (m21)",
        "post",
        lambda w: "/api/badges/",
        expect(403, admin=400, tochuc=400, bithu=400),
        body=lambda w: {
            "member": w.m["m21"].pk,
            "tier": 40,
            "occasion": "2026-02-03",
            "decision_number": "103-QĐ/ĐUK",
            "awarded_on": "2026-01-20",
        },
    ),
    Case(
        "badges due at an occasion",
        "get",
        lambda w: "/api/badges/due/?occasion=2026-02-03",
        expect(200),
    ),
    Case(
        "badges due in a subtree out of scope (C21)",
        "get",
        lambda w: f"/api/badges/due/?occasion=2026-02-03&organization={w.tree['C21'].pk}",
        expect(200, bithu=404, chibo=404, dangvien=404),
    ),
    Case(
        "badges due, bad date",
        "get",
        lambda w: "/api/badges/due/?occasion=02/13/2026",
        expect(400),
    ),
    Case("badge put (not offered)", "put", award("C11"), expect(405), body=lambda w: {}),
    Case("badge patch (not offered)", "patch", award("C11"), expect(405), body=lambda w: {}),
    Case("badge delete (never)", "delete", award("C11"), expect(405)),
]

PATHS = {"/api/badges/", "/api/badges/{id}/", "/api/badges/due/"}
