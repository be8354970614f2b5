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
from importlib import import_module

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


# ---- meetings and supervision (world: see `world` below) --------------------------------------


def mtg(name):
    return lambda w: f"/api/meetings/{w.mt.meetings[name].pk}/"


def mtg_action(name, verb):
    return lambda w: f"/api/meetings/{w.mt.meetings[name].pk}/{verb}/"


def attendance(name):
    return lambda w: f"/api/attendances/{w.mt.attendances[name].pk}/"


def assignment(name):
    return lambda w: f"/api/assignments/{w.mt.assignments[name].pk}/"


def visit(w):
    return f"/api/observer-visits/{w.mt.visit.pk}/"


def finding(w):
    return f"/api/findings/{w.mt.finding.pk}/"


def _now_iso(minutes: int) -> str:
    from django.utils import timezone

    return (timezone.now() + dt.timedelta(minutes=minutes)).isoformat()


def _today_iso() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


# Meetings: written by admin, bithu (GC1 subtree) and chibo (C11); whole-tree roles read them.
MEETING_WRITERS = {"admin": 200, "bithu": 200, "chibo": 200}
# Supervision: admin, btv and tochuc add and change anywhere; kiemtra and vanphong read; the
# secretaries (bithu, chibo) see and follow up in their subtree; tuyengiao and members: nothing.
SUPERVISION_READERS = ["admin", "btv", "tochuc", "kiemtra", "vanphong"]


def sup_counts(whole: int, bithu: int, chibo: int) -> dict[str, int]:
    return {
        **dict.fromkeys(SUPERVISION_READERS, whole),
        "tuyengiao": 0,
        "bithu": bithu,
        "chibo": chibo,
        "dangvien": 0,
    }


def writers(ok: int, **others) -> dict[str, int]:
    """Meeting writes in C11: admin/bithu/chibo get `ok`, whole-tree readers and the member 403."""
    return expect(403, admin=ok, bithu=ok, chibo=ok, **others)


CLOSE_BODY = lambda w: {  # noqa: E731
    "started_at": _now_iso(-100),
    "ended_at": _now_iso(-2),
    "minutes": "Chi bộ thảo luận dân chủ.",
    "quality": "good",
}

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
    # ---- working-day calendar (global like the rulebook; the administrator edits it)
    Case(
        "holiday list (one year)",
        "get",
        lambda w: "/api/holidays/?year=2031",
        expect(200),
        count=counts(1, 0, 0, 0),
    ),
    Case(
        "holiday detail", "get", lambda w: f"/api/holidays/{w.holiday.pk}/", expect(200, local=404)
    ),
    Case(
        "holiday add",
        "post",
        lambda w: "/api/holidays/",
        expect(403, admin=201),
        body=lambda w: {"date": "2031-02-03", "name": "Nghỉ theo quyết định", "is_day_off": True},
    ),
    Case(
        "holiday change",
        "patch",
        lambda w: f"/api/holidays/{w.holiday.pk}/",
        expect(403, admin=200, local=404),
        body=lambda w: {"name": "Tết Dương lịch 2031"},
    ),
    Case(
        "holiday delete",
        "delete",
        lambda w: f"/api/holidays/{w.holiday.pk}/",
        expect(403, admin=204, local=404),
    ),
    Case(
        "holiday put (not offered)", "put", lambda w: f"/api/holidays/{w.holiday.pk}/", expect(405)
    ),
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
    # ---- meetings (module meetings; members see those they are on the roster of)
    Case("meeting list", "get", lambda w: "/api/meetings/", expect(200), count=counts(3, 2, 2, 2)),
    Case("meeting detail: C11 today (own roster)", "get", mtg("C11"), expect(200)),
    Case("meeting detail: C21", "get", mtg("C21"), expect(200, local=404)),
    Case(
        "meeting create in C11",
        "post",
        lambda w: "/api/meetings/",
        expect(403, admin=201, bithu=201, chibo=201),
        body=lambda w: {
            "organization": w.tree["C11"].pk,
            "kind": "regular",
            "scheduled_at": "2030-01-05T08:00:00+07:00",
        },
    ),
    Case(
        "meeting create in C21 (outside the local choices)",
        "post",
        lambda w: "/api/meetings/",
        expect(403, admin=201, bithu=400, chibo=400),
        body=lambda w: {
            "organization": w.tree["C21"].pk,
            "kind": "thematic",
            "scheduled_at": "2030-01-05T08:00:00+07:00",
        },
    ),
    Case(
        "meeting create: regular meeting of a grassroots committee (refused by the service)",
        "post",
        lambda w: "/api/meetings/",
        expect(403, admin=400, bithu=400, chibo=400),
        body=lambda w: {
            "organization": w.tree["GC1"].pk,
            "kind": "regular",
            "scheduled_at": "2030-01-05T08:00:00+07:00",
        },
    ),
    Case(
        "meeting patch C11",
        "patch",
        mtg("C11"),
        writers(200),
        body=lambda w: {"location": "Hội trường tầng 3"},
    ),
    Case(
        "meeting patch C21",
        "patch",
        mtg("C21"),
        expect(403, admin=200, local=404),
        body=lambda w: {"location": "Hội trường"},
    ),
    Case("meeting put (not offered)", "put", mtg("C11"), expect(405), body=lambda w: {}),
    Case("meeting delete (cancel instead)", "delete", mtg("C11"), expect(405)),
    Case(
        "meeting plan a year in C11",
        "post",
        lambda w: "/api/meetings/plan-year/",
        expect(403, admin=201, bithu=201, chibo=201),
        body=lambda w: {"organization": w.tree["C11"].pk, "year": 2030},
    ),
    Case("meeting notice C11", "post", mtg_action("C11", "notice"), writers(200)),
    Case(
        "meeting notice C21",
        "post",
        mtg_action("C21", "notice"),
        expect(403, admin=200, local=404),
    ),
    Case("meeting roster C11", "post", mtg_action("C11", "roster"), writers(200)),
    Case(
        "meeting checkin-open C11 (meeting day)",
        "post",
        mtg_action("C11", "checkin-open"),
        writers(200),
        body=lambda w: {"minutes": 30},
    ),
    Case(
        "meeting close C11",
        "post",
        mtg_action("C11", "close"),
        writers(200),
        body=CLOSE_BODY,
    ),
    Case(
        "meeting close C21",
        "post",
        mtg_action("C21", "close"),
        expect(403, admin=200, local=404),
        body=CLOSE_BODY,
    ),
    Case(
        "meeting cancel C11",
        "post",
        mtg_action("C11", "cancel"),
        writers(200),
        body=lambda w: {"reason": "Trùng lịch hội nghị"},
    ),
    Case(
        "meeting cancel without a reason",
        "post",
        mtg_action("C11", "cancel"),
        writers(400),
        body=lambda w: {"reason": ""},
    ),
    # ---- attendances (a member account sees its own rows; checks in with the code)
    Case(
        "attendance list",
        "get",
        lambda w: "/api/attendances/",
        expect(200),
        count=counts(5, 4, 4, 2),
    ),
    Case("attendance detail: own", "get", attendance("own"), expect(200)),
    Case("attendance detail: same cell", "get", attendance("m11"), expect(200, dangvien=404)),
    Case("attendance detail: C21", "get", attendance("m21"), expect(200, local=404)),
    Case(
        "attendance mark present (C11)",
        "patch",
        attendance("m11"),
        writers(200, dangvien=404),
        body=lambda w: {"status": "present"},
    ),
    Case(
        "attendance excused without a reason (C11)",
        "patch",
        attendance("m11"),
        writers(400, dangvien=404),
        body=lambda w: {"status": "absent_excused"},
    ),
    Case(
        "attendance mark present (C21)",
        "patch",
        attendance("m21"),
        expect(403, admin=200, local=404),
        body=lambda w: {"status": "present"},
    ),
    Case("attendance put (not offered)", "put", attendance("own"), expect(405), body=lambda w: {}),
    Case("attendance delete (never)", "delete", attendance("own"), expect(405)),
    Case(
        "attendance check-in with the code (only a member on the roster)",
        "post",
        lambda w: "/api/attendances/checkin/",
        expect(400, dangvien=200),
        body=lambda w: {"code": w.mt.meetings["C11"].checkin_code},
    ),
    Case(
        "attendance check-in with a wrong code",
        "post",
        lambda w: "/api/attendances/checkin/",
        expect(400),
        body=lambda w: {"code": "ZZZZZZ"},
    ),
    # ---- assignments (module supervision; ending one is the assigning committee's decision)
    Case(
        "assignment list",
        "get",
        lambda w: "/api/assignments/",
        expect(200),
        count=sup_counts(2, 1, 0),
    ),
    Case(
        "assignment detail: GC1",
        "get",
        assignment("GC1"),
        expect(200, tuyengiao=404, chibo=404, dangvien=404),
    ),
    Case(
        "assignment detail: C21",
        "get",
        assignment("C21"),
        expect(200, tuyengiao=404, local=404),
    ),
    Case(
        "assignment create (C11)",
        "post",
        lambda w: "/api/assignments/",
        expect(403, admin=201, btv=201, tochuc=201),
        body=lambda w: {
            "user": w.users["btv"].pk,
            "organization": w.tree["C11"].pk,
            "valid_from": D,
            "decision_number": "25-QĐ/ĐUK",
        },
    ),
    Case(
        "assignment end (GC1)",
        "patch",
        assignment("GC1"),
        expect(403, admin=200, btv=200, tochuc=200, tuyengiao=404, chibo=404, dangvien=404),
        body=lambda w: {"valid_to": _today_iso()},
    ),
    Case("assignment put (not offered)", "put", assignment("GC1"), expect(405), body=lambda w: {}),
    Case("assignment delete (never)", "delete", assignment("GC1"), expect(405)),
    # ---- observer visits (recorded by btv at the held C11 meeting; only btv edits it)
    Case(
        "observer-visit list",
        "get",
        lambda w: "/api/observer-visits/",
        expect(200),
        count=sup_counts(1, 1, 1),
    ),
    Case("observer-visit detail", "get", visit, expect(200, tuyengiao=404, dangvien=404)),
    Case(
        "observer-visit record (C11 today)",
        "post",
        lambda w: "/api/observer-visits/",
        expect(403, admin=201, btv=201, tochuc=201),
        body=lambda w: {
            "meeting": w.mt.meetings["C11"].pk,
            "assessment": "good",
            "checklist": [{"code": "duration", "done": True}],
        },
    ),
    Case(
        "observer-visit patch (the observer's own: btv only)",
        "patch",
        visit,
        expect(403, btv=200, tuyengiao=404, dangvien=404),
        body=lambda w: {"comments": "Chi bộ chuẩn bị chu đáo."},
    ),
    Case("observer-visit put (not offered)", "put", visit, expect(405), body=lambda w: {}),
    Case("observer-visit delete (never)", "delete", visit, expect(405)),
    # ---- findings (added by the observer; followed up and closed by the secretaries too)
    Case(
        "finding list",
        "get",
        lambda w: "/api/findings/",
        expect(200),
        count=sup_counts(1, 1, 1),
    ),
    Case(
        "finding list overdue",
        "get",
        lambda w: "/api/findings/?overdue=true",
        expect(200),
        count=sup_counts(1, 1, 1),
    ),
    Case("finding detail", "get", finding, expect(200, tuyengiao=404, dangvien=404)),
    Case(
        "finding add (the visit's observer only)",
        "post",
        lambda w: "/api/findings/",
        expect(403, btv=201),
        body=lambda w: {
            "visit": w.mt.visit.pk,
            "category": "records",
            "description": "Biên bản chưa ghi ý kiến thảo luận",
            "action": "Bổ sung biên bản",
            "owner": "Bí thư Chi bộ Văn phòng",
            "deadline": _today_iso(),
        },
    ),
    Case(
        "finding note",
        "post",
        lambda w: f"/api/findings/{w.mt.finding.pk}/notes/",
        expect(403, admin=201, btv=201, tochuc=201, bithu=201, chibo=201, tuyengiao=404)
        | {"dangvien": 404},
        body=lambda w: {"date": _today_iso(), "text": "Đã bổ sung một phần"},
    ),
    Case(
        "finding close",
        "post",
        lambda w: f"/api/findings/{w.mt.finding.pk}/close/",
        expect(403, admin=200, btv=200, tochuc=200, bithu=200, chibo=200, tuyengiao=404)
        | {"dangvien": 404},
        body=lambda w: {"date": _today_iso()},
    ),
    Case("finding put (not offered)", "put", finding, expect(405), body=lambda w: {}),
    Case("finding delete (never)", "delete", finding, expect(405)),
]

# Later modules keep their rows next to their tests (tests/<app>/api_cases.py).
APP_CASES = ("committees", "discipline", "admission", "badges", "reports")
for _app in APP_CASES:
    CASES += import_module(f"tests.{_app}.api_cases").CASES


@pytest.fixture
def world(world):
    """The API world plus meetings and supervision (no new members or role assignments):
    C11 — a meeting today, notified, roster (own, m11), check-in open;
    C21 — a meeting today with its roster (m21);
    held — a C11 meeting held ten days ago, with btv's observer visit and an overdue finding;
    assignments — btv in charge of GC1, tochuc of C21."""
    from types import SimpleNamespace

    from django.utils import timezone

    from dangvu.meetings import services

    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    midnight = dt.datetime.combine(today, dt.time(0, 0), tzinfo=tz)
    meetings = {}
    for code in ("C11", "C21"):
        meetings[code] = services.meeting_create(
            actor=None, organization=world.tree[code], kind="regular", scheduled_at=midnight
        )
        services.roster_build(actor=None, meeting=meetings[code])
    services.meeting_send_notice(actor=None, meeting=meetings["C11"])
    meetings["C11"].__class__.objects.filter(pk=meetings["C11"].pk).update(
        checkin_code="WRLD23",
        checkin_token="world-token",
        checkin_open_until=timezone.now() + dt.timedelta(hours=2),
    )
    meetings["C11"].refresh_from_db()
    held_at = midnight - dt.timedelta(days=10) + dt.timedelta(hours=8)
    held = meetings["held"] = services.meeting_create(
        actor=None, organization=world.tree["C11"], kind="regular", scheduled_at=held_at
    )
    services.roster_build(actor=None, meeting=held)
    for a in held.attendances.select_related("member"):
        services.attendance_set(actor=None, meeting=held, member=a.member, status="present")
    services.meeting_close(
        actor=None,
        meeting=held,
        started_at=held_at,
        ended_at=held_at + dt.timedelta(minutes=80),
    )
    visit = services.visit_record(actor=world.users["btv"], meeting=held, checklist=[])
    finding = services.finding_add(
        actor=world.users["btv"],
        visit=visit,
        category="procedure",
        description="Thời lượng 80 phút, dưới mức tối thiểu",
        action="Bảo đảm thời lượng sinh hoạt",
        owner="Bí thư Chi bộ Văn phòng",
        deadline=today - dt.timedelta(days=1),
    )
    start = today - dt.timedelta(days=100)
    world.mt = SimpleNamespace(
        meetings=meetings,
        attendances={
            "own": meetings["C11"].attendances.get(member=world.m["own"]),
            "m11": meetings["C11"].attendances.get(member=world.m["m11"]),
            "m21": meetings["C21"].attendances.get(member=world.m["m21"]),
        },
        assignments={
            "GC1": services.assignment_create(
                actor=None,
                user=world.users["btv"],
                organization=world.tree["GC1"],
                valid_from=start,
            ),
            "C21": services.assignment_create(
                actor=None,
                user=world.users["tochuc"],
                organization=world.tree["C21"],
                valid_from=start,
            ),
        },
        visit=visit,
        finding=finding,
    )
    from dangvu.core.models import Holiday

    world.holiday = Holiday.objects.create(date=dt.date(2031, 1, 1), name="Tết Dương lịch")
    for app in APP_CASES:
        setattr(world, app, import_module(f"tests.{app}.api_cases").build(world))
    return world


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
