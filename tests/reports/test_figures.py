"""The figures registry against hand-counted fixtures, including a past period after a merge and
a transfer, and the rule that a figure never counts what its user may not see.

World (tree of tests/conftest.py; every member admitted 19/05/2010, official 19/05/2011):
  C11: 3 official (2 men, 1 woman born 1990) + 1 probationary admitted 10/01/2024
  C12: 2 official                     — merged into C11 on 01/06/2025
  C21: 2 official (GC2)               — one transferred officially to C11 on 01/03/2025
  GCELL: 1 official, died 15/08/2025
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from dangvu.reports import figures as F

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def world(tree, make_member):
    from dangvu.members.services import member_record_death, member_transfer_out
    from dangvu.organizations.services import organization_merge

    c11 = [make_member(tree["C11"]) for _ in range(2)]
    c11.append(make_member(tree["C11"], gender="female", date_of_birth=D(1990, 4, 2)))
    c11.append(
        make_member(
            tree["C11"],
            admission_date=D(2024, 1, 10),
            official_date=None,
            date_of_birth=D(2000, 1, 1),
        )
    )
    c12 = [make_member(tree["C12"]) for _ in range(2)]
    c21 = [make_member(tree["C21"]) for _ in range(2)]
    gcell = make_member(tree["GCELL"])
    member_transfer_out(
        actor=None,
        member=c21[0],
        date=D(2025, 3, 1),
        decision_number="5-QĐ/ĐU",
        to_organization=tree["C11"],
    )
    organization_merge(
        actor=None,
        source=tree["C12"],
        target=tree["C11"],
        date=D(2025, 6, 1),
        decision_number="7-QĐ/ĐU",
    )
    member_record_death(actor=None, member=gcell, date=D(2025, 8, 15))
    return {"c11": c11, "c12": c12, "c21": c21, "gcell": gcell}


def ctx(tree, code, start, end, on=None):
    return F.Context(tree[code], start, end, on)


def test_every_module_registers_its_figures():
    keys = set(F.REGISTRY)
    assert {"members.total", "members.by_gender", "members.gains", "members.losses"} <= keys
    assert {"meetings.held_by_kind", "meetings.cells_visited"} <= keys
    with pytest.raises(KeyError, match="no figure"):
        F.get("members.nothing")


def test_year_before_the_changes(world, tree):
    c = ctx(tree, "GC1", D(2024, 1, 1), D(2024, 12, 31))
    assert F.compute("members.total", c).value == 6  # C11 4 + C12 2
    assert F.compute("members.by_status", c).as_dict() == {
        "probationary": 1,
        "official": 5,
        "exempt": 0,
    }
    assert F.compute("members.by_gender", c).as_dict() == {"male": 5, "female": 1}
    ages = F.compute("members.by_age_band", c).as_dict()
    assert ages["lt30"] == 1 and ages["30_40"] == 5  # born 2000; born 1985 and 1990
    assert F.compute("members.gains", c).as_dict()["admitted"] == 1
    assert F.compute("members.losses", c).total == 0


def test_year_of_the_merge_and_transfer(world, tree):
    gc1 = ctx(tree, "GC1", D(2025, 1, 1), D(2025, 12, 31))
    assert F.compute("members.total", gc1).value == 7  # 6 + the transferred member
    assert F.compute("members.gains", gc1).as_dict() == {
        "admitted": 0,
        "readmitted": 0,
        "transfer_in": 1,  # from GC2, outside the subtree
    }
    assert F.compute("members.losses", gc1).total == 0  # the merge moved members inside GC1
    gc2 = ctx(tree, "GC2", D(2025, 1, 1), D(2025, 12, 31))
    assert F.compute("members.total", gc2).value == 1
    assert F.compute("members.losses", gc2).as_dict()["transfer_out"] == 1
    root = ctx(tree, "ROOT", D(2025, 1, 1), D(2025, 12, 31))
    # for the whole tree the transfer is internal; the death is the only change
    assert F.compute("members.gains", root).total == 0
    assert F.compute("members.losses", root).as_dict() == {
        "transfer_out": 0,
        "removed": 0,
        "expelled": 0,
        "died": 1,
    }
    assert F.compute("members.total", root).value == 9 - 1


def test_a_past_period_uses_the_tree_as_it_was(world, tree):
    """C12 no longer exists today; a report on 2024 still counts it under GC1, and a report on
    C12 itself for 2024 still finds its two members."""
    c12_2024 = ctx(tree, "C12", D(2024, 1, 1), D(2024, 12, 31))
    assert F.compute("members.total", c12_2024).value == 2
    c12_now = ctx(tree, "C12", D(2026, 1, 1), D(2026, 6, 30))
    assert F.compute("members.total", c12_now).value == 0
    # C11 mid-2025: before the merge (31/05) and after it (30/06)
    assert F.compute("members.total", ctx(tree, "C11", D(2025, 1, 1), D(2025, 5, 31))).value == 5
    assert F.compute("members.total", ctx(tree, "C11", D(2025, 1, 1), D(2025, 6, 30))).value == 7


def test_same_inputs_same_answer(world, tree):
    c = ctx(tree, "ROOT", D(2025, 1, 1), D(2025, 12, 31))
    keys = sorted(k for k in F.REGISTRY if k.startswith("members."))
    first = F.compute_many(keys, c)
    again = F.compute_many(keys, ctx(tree, "ROOT", D(2025, 1, 1), D(2025, 12, 31)))
    assert first == again


def test_a_figure_never_counts_what_its_user_may_not_see(world, tree, users):
    chibo = users["chibo"]  # cell secretary of C11
    gc1 = ctx(tree, "GC1", D(2025, 1, 1), D(2025, 12, 31))
    with pytest.raises(PermissionDenied):
        F.compute("members.total", gc1, user=chibo)
    assert F.compute_many(["members.total", "members.by_gender"], gc1, user=chibo) == {}
    c11 = ctx(tree, "C11", D(2025, 1, 1), D(2025, 12, 31))
    # the `users` fixture adds the member account's own record to C11: 7 + 1
    assert F.compute("members.total", c11, user=chibo).value == 8
    # the whole-tree standing committee sees everything; a member account sees no report
    assert F.compute("members.total", gc1, user=users["btv"]).value == 8
    assert F.compute_many(["members.total"], c11, user=users["dangvien"]) == {}


def test_meeting_figures_come_from_the_compliance_figures(world, tree):
    c = ctx(tree, "ROOT", D(2025, 1, 1), D(2025, 12, 31))
    held = F.compute("meetings.held_by_kind", c)
    assert held.total == 0 and "regular" in held.as_dict()
    assert F.compute("meetings.average_attendance", c).value is None
    assert F.compute("meetings.findings_status", c).as_dict() == {
        "corrected": 0,
        "open": 0,
        "overdue": 0,
    }


def test_bad_period_is_refused(tree):
    with pytest.raises(ValueError):
        F.Context(tree["GC1"], D(2025, 12, 31), D(2025, 1, 1))


def test_committee_figures_count_vacancies_and_missing_secretaries(tree, make_member):
    """C11 (4 official members): a term from 01/03/2025, a secretary and a deputy approved, only
    the secretary elected. GC1's subtree (GC1, C11, C12): 1 committee short of 1 seat; GC1 and C12
    have no secretary; C11's next congress is 30 months after 01/03/2025, outside the 6 months
    after 31/12/2025, while GC1 and C12 have no term recorded (listed as due)."""
    from dangvu.committees import services as CS

    members = [make_member(tree["C11"]) for _ in range(4)]
    term = CS.term_open(
        actor=None, organization=tree["C11"], name="2025–2027", start_date=D(2025, 3, 1)
    )
    committee = CS.committee_create(
        actor=None,
        organization=tree["C11"],
        term=term,
        formed_on=D(2025, 3, 1),
        quotas={"secretary": 1, "deputy_secretary": 1},
    )
    CS.seat_fill(
        actor=None,
        committee=committee,
        member=members[0],
        position="secretary",
        start_date=D(2025, 3, 1),
    )
    c = ctx(tree, "GC1", D(2025, 1, 1), D(2025, 12, 31))
    assert F.compute("committees.vacancies", c).as_dict() == {"committees": 1, "seats": 1}
    assert F.compute("committees.without_secretary", c).value == 2
    assert F.compute("committees.congresses_due", c).value == 2
    # before the term, C11 had no secretary either
    before = ctx(tree, "GC1", D(2025, 1, 1), D(2025, 2, 28))
    assert F.compute("committees.without_secretary", before).value == 3
