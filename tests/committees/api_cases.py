"""Rows of the generated API permission matrix for this app (see tests/api/test_permissions.py).

World (`build`): terms from 100 days ago in GC1, C11, C12 and C21; party committees in GC1
(secretary m12, four member seats empty), C11 (secretary m11, the deputy seat empty) and C21
(secretary m21, deputy empty); a planned congress in C11 (with its preparation list) and in C21.
Committees module: admin and tochuc write everywhere, bithu in GC1's subtree; btv, tuyengiao,
kiemtra, vanphong read the whole tree, chibo reads C11; a member account sees nothing (empty
lists, 404 on objects). Nothing is deleted (405).
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


def write(ok: int, *, outside=False, **others) -> dict[str, int]:
    """A write in GC1's subtree: admin, tochuc, bithu `ok`; readers 403; the member 404 on an
    object (403 on a collection). `outside`: the target is outside bithu's scope (400 there)."""
    out = expect(403, admin=ok, tochuc=ok, bithu=400 if outside else ok)
    out.update(others)
    return out


def obj(prefix, getter):
    return lambda w: f"/api/{prefix}/{getter(w.committees).pk}/"


def action(prefix, getter, verb):
    return lambda w: f"/api/{prefix}/{getter(w.committees).pk}/{verb}/"


def _iso(d):
    return d.isoformat()


def _today():
    from django.utils import timezone

    return timezone.localdate()


ON_OBJECT = {"dangvien": 404}

CASES = [
    # ---- terms
    Case("term list", "get", lambda w: "/api/terms/", expect(200), count=counts(4, 3, 1)),
    Case(
        "term detail (C11)",
        "get",
        obj("terms", lambda c: c.terms["C11"]),
        expect(200, dangvien=404),
    ),
    Case(
        "term detail out of scope (C21)",
        "get",
        obj("terms", lambda c: c.terms["C21"]),
        expect(200, bithu=404, chibo=404, dangvien=404),
    ),
    Case(
        "term open (GC2)",
        "post",
        lambda w: "/api/terms/",
        write(201, outside=True),
        body=lambda w: {
            "organization": w.tree["GC2"].pk,
            "name": "2025–2030",
            "start_date": _iso(_today() - dt.timedelta(days=10)),
        },
    ),
    Case(
        "term close (C11)",
        "post",
        action("terms", lambda c: c.terms["C11"], "close"),
        write(200, **ON_OBJECT),
        body=lambda w: {"end_date": _iso(_today())},
    ),
    Case(
        "term put (not offered)",
        "put",
        obj("terms", lambda c: c.terms["C11"]),
        expect(405),
        body=lambda w: {},
    ),
    Case("term delete (never)", "delete", obj("terms", lambda c: c.terms["C11"]), expect(405)),
    # ---- congresses
    Case("congress list", "get", lambda w: "/api/congresses/", expect(200), count=counts(2, 1, 1)),
    Case(
        "congress detail (C11)",
        "get",
        obj("congresses", lambda c: c.congresses["C11"]),
        expect(200, dangvien=404),
    ),
    Case(
        "congress plan (C12)",
        "post",
        lambda w: "/api/congresses/",
        write(201),
        body=lambda w: {
            "organization": w.tree["C12"].pk,
            "term_name": "2027–2030",
            "planned_date": _iso(_today() + dt.timedelta(days=300)),
        },
    ),
    Case(
        "congress plan out of bithu's scope (GC2)",
        "post",
        lambda w: "/api/congresses/",
        write(201, outside=True),
        body=lambda w: {
            "organization": w.tree["GC2"].pk,
            "term_name": "2025–2030",
            "planned_date": _iso(_today() + dt.timedelta(days=30)),
        },
    ),
    Case(
        "congress hold (C11, today)",
        "post",
        action("congresses", lambda c: c.congresses["C11"], "hold"),
        write(200, **ON_OBJECT),
        body=lambda w: {"held_date": _iso(_today()), "result_decision": "12-QĐ/ĐU"},
    ),
    Case(
        "congress hold out of scope (C21)",
        "post",
        action("congresses", lambda c: c.congresses["C21"], "hold"),
        expect(403, admin=200, tochuc=200, bithu=404, chibo=404, dangvien=404),
        body=lambda w: {"held_date": _iso(_today())},
    ),
    Case(
        "congress cancel (C11)",
        "post",
        action("congresses", lambda c: c.congresses["C11"], "cancel"),
        write(200, **ON_OBJECT),
        body=lambda w: {"reason": "Sáp nhập chi bộ"},
    ),
    Case(
        "congresses due in 6 months",
        "get",
        lambda w: "/api/congresses/due/?months=6",
        expect(200),
        # no term: ROOT, GC2, GCELL (whole tree); every org with a term started 100 days ago is
        # years away from its next congress
        count=counts(3, 0, 0),
    ),
    Case(
        "congresses due rooted out of scope (GC2)",
        "get",
        lambda w: f"/api/congresses/due/?organization={w.tree['GC2'].pk}",
        expect(200, bithu=404, chibo=404, dangvien=404),
    ),
    Case(
        "congress put (not offered)",
        "put",
        obj("congresses", lambda c: c.congresses["C11"]),
        expect(405),
        body=lambda w: {},
    ),
    Case(
        "congress delete (never)",
        "delete",
        obj("congresses", lambda c: c.congresses["C11"]),
        expect(405),
    ),
    # ---- checklist items
    Case(
        "checklist list",
        "get",
        lambda w: "/api/congress-checklist-items/",
        expect(200),
        count=counts(16, 8, 8),
    ),
    Case(
        "checklist item detail (C11)",
        "get",
        obj("congress-checklist-items", lambda c: c.item),
        expect(200, dangvien=404),
    ),
    Case(
        "checklist item tick (C11)",
        "patch",
        obj("congress-checklist-items", lambda c: c.item),
        write(200, **ON_OBJECT),
        body=lambda w: {"done": True},
    ),
    Case(
        "checklist item put (not offered)",
        "put",
        obj("congress-checklist-items", lambda c: c.item),
        expect(405),
        body=lambda w: {},
    ),
    Case(
        "checklist item delete (never)",
        "delete",
        obj("congress-checklist-items", lambda c: c.item),
        expect(405),
    ),
    # ---- committees
    Case("committee list", "get", lambda w: "/api/committees/", expect(200), count=counts(3, 2, 1)),
    Case(
        "committee detail (C11)",
        "get",
        obj("committees", lambda c: c.committees["C11"]),
        expect(200, dangvien=404),
    ),
    Case(
        "committee detail out of scope (C21)",
        "get",
        obj("committees", lambda c: c.committees["C21"]),
        expect(200, bithu=404, chibo=404, dangvien=404),
    ),
    Case(
        "committee create (C12)",
        "post",
        lambda w: "/api/committees/",
        write(201),
        body=lambda w: {
            "term": w.committees.terms["C12"].pk,
            "body": "party_committee",
            "quotas": [{"position": "secretary", "approved": 1}],
        },
    ),
    Case(
        "committee create out of bithu's scope (C21 inspection)",
        "post",
        lambda w: "/api/committees/",
        # C21 is a cell: no inspection commission (400 for the writers who see it)
        write(400, outside=True),
        body=lambda w: {
            "term": w.committees.terms["C21"].pk,
            "body": "inspection",
            "quotas": [{"position": "inspection_chair", "approved": 1}],
        },
    ),
    Case(
        "committee vacancies",
        "get",
        lambda w: "/api/committees/vacancies/",
        expect(200),
        count=counts(3, 2, 1),
    ),
    Case(
        "organisations without secretary",
        "get",
        lambda w: "/api/committees/without-secretary/",
        expect(200),
        count=counts(4, 1, 0),
    ),
    Case(
        "committee put (not offered)",
        "put",
        obj("committees", lambda c: c.committees["C11"]),
        expect(405),
        body=lambda w: {},
    ),
    Case(
        "committee delete (never)",
        "delete",
        obj("committees", lambda c: c.committees["C11"]),
        expect(405),
    ),
    # ---- seats
    Case("seat list", "get", lambda w: "/api/committee-seats/", expect(200), count=counts(3, 2, 1)),
    Case(
        "seat detail (C11)",
        "get",
        obj("committee-seats", lambda c: c.seats["C11"]),
        expect(200, dangvien=404),
    ),
    Case(
        "seat fill (C11 deputy: own)",
        "post",
        lambda w: "/api/committee-seats/",
        write(201),
        body=lambda w: {
            "committee": w.committees.committees["C11"].pk,
            "member": w.m["own"].pk,
            "position": "deputy_secretary",
            "start_date": _iso(_today()),
        },
    ),
    Case(
        "seat fill out of bithu's scope (C21 deputy: m21, already secretary)",
        "post",
        lambda w: "/api/committee-seats/",
        # one person, one seat of a committee: refused with 400 even to those who may write there
        write(400, outside=True),
        body=lambda w: {
            "committee": w.committees.committees["C21"].pk,
            "member": w.m["m21"].pk,
            "position": "deputy_secretary",
            "start_date": _iso(_today()),
        },
    ),
    Case(
        "seat end (C11)",
        "post",
        action("committee-seats", lambda c: c.seats["C11"], "end"),
        write(200, **ON_OBJECT),
        body=lambda w: {"end_date": _iso(_today()), "reason": "transferred"},
    ),
    Case(
        "seat put (not offered)",
        "put",
        obj("committee-seats", lambda c: c.seats["C11"]),
        expect(405),
        body=lambda w: {},
    ),
    Case(
        "seat delete (never)",
        "delete",
        obj("committee-seats", lambda c: c.seats["C11"]),
        expect(405),
    ),
]

PATHS = {
    "/api/terms/",
    "/api/terms/{id}/",
    "/api/terms/{id}/close/",
    "/api/congresses/",
    "/api/congresses/{id}/",
    "/api/congresses/{id}/hold/",
    "/api/congresses/{id}/cancel/",
    "/api/congresses/due/",
    "/api/congress-checklist-items/",
    "/api/congress-checklist-items/{id}/",
    "/api/committees/",
    "/api/committees/{id}/",
    "/api/committees/vacancies/",
    "/api/committees/without-secretary/",
    "/api/committee-seats/",
    "/api/committee-seats/{id}/",
    "/api/committee-seats/{id}/end/",
}


def build(world):
    from django.utils import timezone

    from dangvu.committees import services

    today = timezone.localdate()
    start = today - dt.timedelta(days=100)
    tree = world.tree
    terms = {
        code: services.term_open(
            actor=None, organization=tree[code], name="2025–2030", start_date=start
        )
        for code in ("GC1", "C11", "C12", "C21")
    }
    committees = {
        "GC1": services.committee_create(
            actor=None,
            organization=tree["GC1"],
            term=terms["GC1"],
            quotas={"secretary": 1, "member": 4},
        ),
        "C11": services.committee_create(
            actor=None,
            organization=tree["C11"],
            term=terms["C11"],
            quotas={"secretary": 1, "deputy_secretary": 1},
        ),
        "C21": services.committee_create(
            actor=None,
            organization=tree["C21"],
            term=terms["C21"],
            quotas={"secretary": 1, "deputy_secretary": 1},
        ),
    }
    seats = {
        code: services.seat_fill(
            actor=None,
            committee=committees[code],
            member=world.m[name],
            position="secretary",
            start_date=start,
        )
        for code, name in (("GC1", "m12"), ("C11", "m11"), ("C21", "m21"))
    }
    congresses = {
        code: services.congress_plan(
            actor=None,
            organization=tree[code],
            term_name="2027–2032",
            planned_date=today + dt.timedelta(days=60),
        )
        for code in ("C11", "C21")
    }
    return SimpleNamespace(
        terms=terms,
        committees=committees,
        seats=seats,
        congresses=congresses,
        item=congresses["C11"].checklist.order_by("order").first(),
    )
