"""Rows of the generated API permission matrix for this app (see tests/api/test_permissions.py).

World (`build`): a warning on m11 (C11) and a reprimand on m21 (C21), decided 10/01/2024.
Discipline module: admin and kiemtra (inspection commission) record and lift everywhere; btv,
tochuc, vanphong read the whole tree, bithu GC1's subtree, chibo C11; tuyengiao and the member
account have no access (empty lists, 404 on objects). Nothing is deleted (405).
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
READERS = ["admin", "btv", "tochuc", "kiemtra", "vanphong"]


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
    return {
        **dict.fromkeys(READERS, whole),
        "tuyengiao": 0,
        "bithu": bithu,
        "chibo": chibo,
        "dangvien": 0,
    }


def case(code):
    return lambda w: f"/api/discipline-cases/{w.discipline.cases[code].pk}/"


def build(world):
    from dangvu.discipline import services

    def decide(member, form, number):
        return services.discipline_case_create(
            actor=None,
            member=member,
            form=form,
            decided_on=dt.date(2024, 1, 10),
            decision_number=number,
            deciding_body="Ủy ban Kiểm tra Đảng ủy Khối",
            reason="Vi phạm quy định về sinh hoạt đảng",
        )

    return SimpleNamespace(
        cases={
            "C11": decide(world.m["m11"], "warning", "3-QĐ/UBKT"),
            "C21": decide(world.m["m21"], "reprimand", "4-QĐ/UBKT"),
        }
    )


NO_ACCESS = {"tuyengiao": 404, "dangvien": 404}

CASES = [
    Case(
        "discipline list",
        "get",
        lambda w: "/api/discipline-cases/",
        expect(200),
        count=counts(2, 1, 1),
    ),
    Case(
        "discipline list in force in GC2",
        "get",
        lambda w: f"/api/discipline-cases/?in_force=true&organization={w.tree['GC2'].pk}",
        expect(200, bithu=400, chibo=400, tuyengiao=400, dangvien=400),
        count={**dict.fromkeys(READERS, 1)},
    ),
    Case("discipline detail (C11)", "get", case("C11"), expect(200, **NO_ACCESS)),
    Case(
        "discipline detail out of scope (C21)",
        "get",
        case("C21"),
        expect(200, bithu=404, chibo=404, **NO_ACCESS),
    ),
    Case(
        "discipline record (m12, C12)",
        "post",
        lambda w: "/api/discipline-cases/",
        expect(403, admin=201, kiemtra=201),
        body=lambda w: {
            "member": w.m["m12"].pk,
            "form": "reprimand",
            "decided_on": "2024-06-01",
            "decision_number": "20-QĐ/UBKT",
            "deciding_body": "Chi bộ Thanh tra",
            "reason": "Chậm nộp đảng phí",
        },
    ),
    Case(
        "discipline lift (C11)",
        "post",
        lambda w: f"/api/discipline-cases/{w.discipline.cases['C11'].pk}/lift/",
        expect(403, admin=200, kiemtra=200, **NO_ACCESS),
        body=lambda w: {"lifted_on": "2024-09-01", "note": "QĐ giải quyết khiếu nại 2-QĐ/UBKTTW"},
    ),
    Case(
        "discipline lift out of scope (C21)",
        "post",
        lambda w: f"/api/discipline-cases/{w.discipline.cases['C21'].pk}/lift/",
        expect(403, admin=200, kiemtra=200, bithu=404, chibo=404, **NO_ACCESS),
        body=lambda w: {"lifted_on": "2024-09-01", "note": "QĐ 2"},
    ),
    Case("discipline put (not offered)", "put", case("C11"), expect(405), body=lambda w: {}),
    Case("discipline delete (never)", "delete", case("C11"), expect(405)),
]

PATHS = {
    "/api/discipline-cases/",
    "/api/discipline-cases/{id}/",
    "/api/discipline-cases/{id}/lift/",
}
