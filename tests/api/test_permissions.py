"""Generated permission tests: every endpoint × every role, in scope and out of scope.

`CASES` is the table: one row per endpoint and situation, with the expected status per role (and,
for lists, the expected number of rows). Adding an endpoint means adding its rows here. Each role
runs every row against the same world; writes run inside a savepoint that is rolled back, so the
rows do not disturb each other and the whole matrix stays fast.

Scopes in the world (see conftest): whole-tree roles see all; bithu (grassroots secretary) sees
GC1, C11, C12; chibo (cell secretary) sees C11; dangvien sees its own record and its own cell.
Writers of the organisation and member modules: admin and tochuc everywhere, bithu in GC1's
subtree (members and organisations: add and change), chibo in C11 (members: change only).
Restructuring an organisation (rename, move, merge, split, dissolve) needs "change" on its parent:
bithu reorganises GC1's cells but not GC1; only a global role touches the root.
Global rows: the rulebook is read by the whole-tree roles and written by the administrator only;
organisation type labels are read by every role of the organisations module except the member
account (whose scope is its own record and cell) and edited by a global role only; role
assignments (module accounts) are the administrator's alone. History is never deleted (405).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from tests.conftest import member_data

pytestmark = pytest.mark.django_db

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
GROUPS = {
    "whole": ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"],
    "writers": ["admin", "tochuc"],  # whole-tree roles that write organisations and members
    "local": ["bithu", "chibo", "dangvien"],
}


def expect(default: int, **given: int) -> dict[str, int]:
    """Status per role: `default`, then groups (whole, writers, local), then single roles.

    Anonymous callers always get 403 (session authentication answers 403, not 401)."""
    out = dict.fromkeys(ROLES, default)
    for group in ("whole", "writers", "local"):
        if group in given:
            out.update(dict.fromkeys(GROUPS[group], given.pop(group)))
    out.update(given)
    out["anonymous"] = 403
    return out


def counts(whole: int, bithu: int, chibo: int, dangvien: int) -> dict[str, int]:
    return {**dict.fromkeys(GROUPS["whole"], whole), "bithu": bithu, "chibo": chibo} | {
        "dangvien": dangvien
    }


@dataclass
class Case:
    name: str
    method: str
    url: Callable
    expect: dict[str, int]
    body: Callable | None = None
    count: dict[str, int] = field(default_factory=dict)  # rows of a list, per role


D = "2024-06-01"  # effective date of the write actions below
DECISION = {"date": D, "decision_number": "15-QĐ/ĐU"}


def org(name):
    return lambda w: f"/api/organizations/{w.tree[name].pk}/"


def member(name):
    return lambda w: f"/api/members/{w.m[name].pk}/"


def org_event(name):
    return lambda w: f"/api/organization-events/{w.tree[name].events.get().pk}/"


def org_version(name):
    return lambda w: f"/api/organization-versions/{w.tree[name].versions.get().pk}/"


def org_stats(name):
    return lambda w: f"/api/organization-stats/{w.tree[name].pk}/"


def membership(name):
    return lambda w: f"/api/memberships/{w.m[name].memberships.get().pk}/"


def rule(index):
    return lambda w: f"/api/rules/{w.rule[index].pk}/"


def type_label(w):
    return f"/api/organization-type-labels/{w.label.pk}/"


def role_assignment(w):
    return f"/api/role-assignments/{w.ra.pk}/"


def import_job(code):
    return lambda w: f"/api/imports/{w.jobs[code].pk}/"


def member_body(org_name):
    def body(w):
        data = member_data()
        data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
        return {"organization": w.tree[org_name].pk, **data}

    return body


def event_body(member_name, kind, **extra):
    def body(w):
        data = {"kind": kind, "member": w.m[member_name].pk, "date": D, **extra}
        return {k: (v(w) if callable(v) else v) for k, v in data.items()}

    return body


CASES = [
    # ---- organizations: reads
    Case(
        "org list",
        "get",
        lambda w: "/api/organizations/",
        expect(200),
        count=counts(7, 3, 1, 1),
    ),
    Case("org detail in scope (C11)", "get", org("C11"), expect(200)),
    Case("org detail out of scope (C21)", "get", org("C21"), expect(200, local=404)),
    Case(
        "org children (GC1)",
        "get",
        lambda w: f"/api/organizations/{w.tree['GC1'].pk}/children/",
        expect(200, chibo=404, dangvien=404),
        count=counts(2, 2, 0, 0),
    ),
    Case(
        "org members as of today (C11)",
        "get",
        lambda w: f"/api/organizations/{w.tree['C11'].pk}/members/",
        expect(200),
        count=counts(2, 2, 2, 1),
    ),
    Case(
        "org members out of scope (C21)",
        "get",
        lambda w: f"/api/organizations/{w.tree['C21'].pk}/members/",
        expect(200, local=404),
    ),
    Case(
        "org tree today",
        "get",
        lambda w: "/api/organizations/tree/",
        expect(200),
        count=counts(7, 3, 1, 1),
    ),
    Case(
        "org tree rooted out of scope (C21)",
        "get",
        lambda w: f"/api/organizations/tree/?root={w.tree['C21'].pk}",
        expect(200, local=404),
    ),
    # ---- organizations: writes
    Case(
        "org establish under GC1",
        "post",
        lambda w: "/api/organizations/",
        expect(403, writers=201, bithu=201),
        body=lambda w: {
            "parent": w.tree["GC1"].pk,
            "code": "C13",
            "name": "Chi bộ Kế toán",
            "org_type": "cell",
            **DECISION,
        },
    ),
    Case(
        "org patch in scope (C11)",
        "patch",
        org("C11"),
        expect(403, writers=200, bithu=200),
        body=lambda w: {"phone": "0236 3822 111"},
    ),
    Case(
        "org patch out of scope (C21)",
        "patch",
        org("C21"),
        expect(403, writers=200, local=404),
        body=lambda w: {"phone": "0236 3822 111"},
    ),
    Case("org put (not offered)", "put", org("C11"), expect(405), body=lambda w: {}),
    Case("org delete (never)", "delete", org("C11"), expect(405)),
    Case(
        "org rename (C12)",
        "post",
        lambda w: f"/api/organizations/{w.tree['C12'].pk}/rename/",
        expect(403, writers=200, bithu=200, chibo=404, dangvien=404),
        body=lambda w: {"name": "Chi bộ Thanh tra – Pháp chế", **DECISION},
    ),
    Case(
        "org rename GC1 (decided by the level above: bithu may not)",
        "post",
        lambda w: f"/api/organizations/{w.tree['GC1'].pk}/rename/",
        expect(403, writers=200, bithu=403, chibo=404, dangvien=404),
        body=lambda w: {"name": "Đảng bộ Sở Tài chính tỉnh", **DECISION},
    ),
    Case(
        "org rename ROOT (only a global role)",
        "post",
        lambda w: f"/api/organizations/{w.tree['ROOT'].pk}/rename/",
        expect(403, admin=200, local=404),
        body=lambda w: {"name": "Đảng bộ các cơ quan Đảng tỉnh", **DECISION},
    ),
    Case(
        "org move C12 under GC2 (target outside bithu's scope)",
        "post",
        lambda w: f"/api/organizations/{w.tree['C12'].pk}/move/",
        expect(403, writers=200, bithu=400, chibo=404, dangvien=404),
        body=lambda w: {"new_parent": w.tree["GC2"].pk, **DECISION},
    ),
    Case(
        "org merge C12 into C11",
        "post",
        lambda w: f"/api/organizations/{w.tree['C12'].pk}/merge/",
        expect(403, writers=200, bithu=200, chibo=404, dangvien=404),
        body=lambda w: {"target": w.tree["C11"].pk, **DECISION},
    ),
    Case(
        "org split C12",
        "post",
        lambda w: f"/api/organizations/{w.tree['C12'].pk}/split/",
        expect(403, writers=201, bithu=201, chibo=404, dangvien=404),
        body=lambda w: {
            "parts": [
                {"code": "C12A", "name": "Chi bộ Thanh tra 1", "member_ids": [w.m["m12"].pk]},
                {"code": "C12B", "name": "Chi bộ Thanh tra 2"},
            ],
            **DECISION,
        },
    ),
    Case(
        "org dissolve C21 (still has members: refused by the service)",
        "post",
        lambda w: f"/api/organizations/{w.tree['C21'].pk}/dissolve/",
        expect(403, writers=400, local=404),
        body=lambda w: DECISION,
    ),
    # ---- members: reads
    Case(
        "member list",
        "get",
        lambda w: "/api/members/",
        expect(200),
        count=counts(4, 3, 2, 1),
    ),
    Case("member detail: own record", "get", member("own"), expect(200)),
    Case("member detail: same cell (C11)", "get", member("m11"), expect(200, dangvien=404)),
    Case("member detail: other grassroots (C21)", "get", member("m21"), expect(200, local=404)),
    # ---- members: writes
    Case(
        "member create in C11",
        "post",
        lambda w: "/api/members/",
        expect(403, writers=201, bithu=201),
        body=member_body("C11"),
    ),
    Case(
        "member create in C21 (organisation outside bithu's choices)",
        "post",
        lambda w: "/api/members/",
        expect(403, writers=201, bithu=400),
        body=member_body("C21"),
    ),
    Case(
        "member patch in C11",
        "patch",
        member("m11"),
        expect(403, writers=200, bithu=200, chibo=200, dangvien=404),
        body=lambda w: {"phone": "0905 123 456"},
    ),
    Case(
        "member patch in C21",
        "patch",
        member("m21"),
        expect(403, writers=200, local=404),
        body=lambda w: {"phone": "0905 123 456"},
    ),
    Case(
        "member put in C11",
        "put",
        member("m11"),
        expect(403, writers=200, bithu=200, chibo=200, dangvien=404),
        body=lambda w: {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in member_data(full_name="Lê Văn Mười Một").items()
        },
    ),
    Case("member delete (history, never deletion)", "delete", member("m11"), expect(405)),
    # ---- member events
    Case(
        "member-event list",
        "get",
        lambda w: "/api/member-events/",
        expect(200),
        count=counts(8, 6, 4, 2),
    ),
    Case(
        "member-event detail: own",
        "get",
        lambda w: f"/api/member-events/{w.e['own'].pk}/",
        expect(200),
    ),
    Case(
        "member-event detail: C21",
        "get",
        lambda w: f"/api/member-events/{w.e['m21'].pk}/",
        expect(200, local=404),
    ),
    Case(
        "member-event create: card reissued in C11 (a committee decision: not the cell secretary)",
        "post",
        lambda w: "/api/member-events/",
        expect(403, writers=201, bithu=201, chibo=403),
        body=event_body("m11", "card_reissued", new_card_number="88000001"),
    ),
    Case(
        "member-event create: member in C21 (outside the choices)",
        "post",
        lambda w: "/api/member-events/",
        expect(403, writers=201, bithu=400, chibo=400),
        body=event_body("m21", "card_reissued", new_card_number="88000002"),
    ),
    Case(
        "member-event create: exemption in C11 (the cell decides: cell secretary may record)",
        "post",
        lambda w: "/api/member-events/",
        expect(403, writers=201, bithu=201, chibo=201),
        body=event_body("m11", "exemption_granted", decision_number="3-QĐ/CB"),
    ),
    Case(
        "member-event create: transfer out of C11 to C21 (any active organisation)",
        "post",
        lambda w: "/api/member-events/",
        expect(403, writers=201, bithu=201, chibo=403),
        body=event_body(
            "m11",
            "transfer_out",
            decision_number="20-QĐ/ĐU",
            to_organization=lambda w: w.tree["C21"].pk,
        ),
    ),
    Case(
        "member-event update (append-only)",
        "patch",
        lambda w: f"/api/member-events/{w.e['own'].pk}/",
        expect(405),
        body=lambda w: {"note": "x"},
    ),
    # ---- users
    Case("users/me", "get", lambda w: "/api/users/me/", expect(200)),
    # ---- organization events (read-only; dangvien's scope has no organisation events)
    Case(
        "org-event list",
        "get",
        lambda w: "/api/organization-events/",
        expect(200),
        count=counts(7, 3, 1, 0),
    ),
    Case(
        "org-event detail in scope (C11)",
        "get",
        org_event("C11"),
        expect(200, dangvien=404),
    ),
    Case("org-event detail out of scope (C21)", "get", org_event("C21"), expect(200, local=404)),
    Case(
        "org-event create (through the organisation actions only)",
        "post",
        lambda w: "/api/organization-events/",
        expect(405),
        body=lambda w: {},
    ),
    Case(
        "org-event patch (history)",
        "patch",
        org_event("C11"),
        expect(405),
        body=lambda w: {"note": "x"},
    ),
    Case("org-event delete (history)", "delete", org_event("C11"), expect(405)),
    # ---- organization versions (read-only)
    Case(
        "org-version list",
        "get",
        lambda w: "/api/organization-versions/",
        expect(200),
        count=counts(7, 3, 1, 0),
    ),
    Case(
        "org-version list as of a date before the tree",
        "get",
        lambda w: "/api/organization-versions/?on=2014-12-31",
        expect(200),
        count=counts(0, 0, 0, 0),
    ),
    Case("org-version detail in scope (C11)", "get", org_version("C11"), expect(200, dangvien=404)),
    Case(
        "org-version detail out of scope (C21)",
        "get",
        org_version("C21"),
        expect(200, local=404),
    ),
    Case(
        "org-version patch (history)",
        "patch",
        org_version("C11"),
        expect(405),
        body=lambda w: {"name": "x"},
    ),
    Case("org-version delete (history)", "delete", org_version("C11"), expect(405)),
    # ---- organization type labels (global; written by a global role only)
    Case(
        "type-label list",
        "get",
        lambda w: "/api/organization-type-labels/",
        expect(200),
        count=counts(1, 1, 1, 1),  # reference data: every account may read it
    ),
    Case("type-label detail", "get", type_label, expect(200)),
    Case(
        "type-label patch (admin only)",
        "patch",
        type_label,
        expect(403, admin=200),
        body=lambda w: {"label": "Chi bộ", "short_label": "CB"},
    ),
    Case(
        "type-label create (not offered)",
        "post",
        lambda w: "/api/organization-type-labels/",
        expect(405),
        body=lambda w: {"org_type": "sub_committee", "label": "Đảng bộ bộ phận"},
    ),
    Case("type-label delete (never)", "delete", type_label, expect(405)),
    # ---- memberships (read-only; a member account sees its own)
    Case(
        "membership list",
        "get",
        lambda w: "/api/memberships/",
        expect(200),
        count=counts(4, 3, 2, 1),
    ),
    Case("membership detail: own", "get", membership("own"), expect(200)),
    Case("membership detail: same cell (C11)", "get", membership("m11"), expect(200, dangvien=404)),
    Case("membership detail: C21", "get", membership("m21"), expect(200, local=404)),
    Case(
        "membership patch (through member-events only)",
        "patch",
        membership("m11"),
        expect(405),
        body=lambda w: {"valid_to": D},
    ),
    Case("membership delete (history)", "delete", membership("m11"), expect(405)),
    # ---- organisation member counters (derived, read-only)
    Case(
        "org-stats list (C11 subtree)",
        "get",
        lambda w: f"/api/organization-stats/?organization={w.tree['C11'].pk}",
        expect(200),
        count=counts(1, 1, 1, 0),  # a member account sees its cell, not the cell's counters
    ),
    Case("org-stats detail: C11", "get", org_stats("C11"), expect(200, dangvien=404)),
    Case("org-stats detail: C21", "get", org_stats("C21"), expect(200, local=404)),
    Case(
        "org-stats patch (derived)",
        "patch",
        org_stats("C11"),
        expect(405),
        body=lambda w: {"active": 0},
    ),
    # ---- rulebook (global: whole-tree roles read it, only the administrator writes)
    Case(
        "rule list (one key)",
        "get",
        lambda w: "/api/rules/?key=test.sample",
        expect(200),
        count=counts(2, 0, 0, 0),
    ),
    Case("rule detail", "get", rule(0), expect(200, local=404)),
    Case(
        "rule add a dated value",
        "post",
        lambda w: "/api/rules/",
        expect(403, admin=201),
        body=lambda w: {
            "key": "test.sample",
            "value": "7",
            "effective_from": D,
            "source": "Quy định 3-QĐ/TW",
        },
    ),
    Case(
        "rule correct a row",
        "patch",
        rule(1),
        expect(403, admin=200, local=404),
        body=lambda w: {"source": "Quy định 2-QĐ/TW, Điều 3"},
    ),
    Case("rule put (not offered)", "put", rule(1), expect(405), body=lambda w: {}),
    Case("rule delete (history, never deletion)", "delete", rule(1), expect(405)),
    # ---- role assignments (module accounts: the administrator only)
    Case(
        "role-assignment list",
        "get",
        lambda w: "/api/role-assignments/",
        expect(200),
        count={**counts(0, 0, 0, 0), "admin": 9},
    ),
    Case("role-assignment detail", "get", role_assignment, expect(404, admin=200)),
    Case(
        "role-assignment create",
        "post",
        lambda w: "/api/role-assignments/",
        expect(403, admin=201),
        body=lambda w: {
            "user": w.users["chibo"].pk,
            "role": "cell_secretary",
            "organization": w.tree["C12"].pk,
            "valid_from": D,
        },
    ),
    Case(
        "role-assignment end (valid_to)",
        "patch",
        role_assignment,
        expect(404, admin=200),
        body=lambda w: {"valid_to": D},
    ),
    Case(
        "role-assignment put (not offered)", "put", role_assignment, expect(405), body=lambda w: {}
    ),
    Case("role-assignment delete (never)", "delete", role_assignment, expect(405)),
    # ---- imports (module members; the jobs are validated with nothing to write)
    Case(
        "import list",
        "get",
        lambda w: "/api/imports/",
        expect(200),
        count=counts(2, 1, 1, 0),
    ),
    Case("import detail in scope (C11)", "get", import_job("C11"), expect(200, dangvien=404)),
    Case("import detail out of scope (C21)", "get", import_job("C21"), expect(200, local=404)),
    Case(
        "import upload without a file (400 for those who may add members)",
        "post",
        lambda w: "/api/imports/",
        expect(403, writers=400, bithu=400),
        body=lambda w: {"organization": w.tree["C11"].pk},
    ),
    Case(
        "import commit in scope (C11: nothing to write)",
        "post",
        lambda w: f"/api/imports/{w.jobs['C11'].pk}/commit/",
        expect(403, writers=400, bithu=400, dangvien=404),
    ),
    Case(
        "import commit out of scope (C21)",
        "post",
        lambda w: f"/api/imports/{w.jobs['C21'].pk}/commit/",
        expect(403, writers=400, local=404),
    ),
    Case("import delete (not offered)", "delete", import_job("C11"), expect(405)),
]


def _rows(resp):
    data = resp.json()
    return data["count"] if isinstance(data, dict) and "count" in data else len(data)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, world, as_user):
    client = as_user(None if role == "anonymous" else world.users[role])
    failures = []
    for case in CASES:
        body = case.body(world) if case.body else None
        with transaction.atomic():
            resp = getattr(client, case.method)(case.url(world), body, format="json")
            transaction.set_rollback(True)
        want = case.expect[role]
        if resp.status_code != want:
            failures.append(f"{case.name}: {resp.status_code} (want {want}) {resp.content[:300]!r}")
        elif want == 200 and role in case.count and _rows(resp) != case.count[role]:
            failures.append(f"{case.name}: {_rows(resp)} rows (want {case.count[role]})")
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_every_routed_endpoint_has_a_case(world):
    """A new route without a row in CASES fails here: adding an endpoint adds its cases."""
    from django.urls import resolve

    from dangvu.api.urls import router

    routed = {pattern.name for pattern in router.urls}
    covered = {resolve(case.url(world).split("?")[0]).url_name for case in CASES}
    assert routed - covered == set()
