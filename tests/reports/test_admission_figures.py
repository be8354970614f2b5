"""Admission figures against hand-counted fixtures (the period's bounds included).

Members admitted (ADMITTED event dated by the admission decision):
  C11: 31/12/2024 (previous year), 10/02/2025, 30/06/2025 (last day of H1), 01/07/2025 (H2)
  C12: 03/03/2025
  C21 (GC2): 01/04/2025
Targets 2025: C11 3, C12 2, C21 4; 2024: C11 9.
Candidates of C11, as at 30/06/2025:
  a — awareness 10/01, application 01/02           -> application
  b — awareness 01/03, cell vote 15/07 (after)      -> awareness
  c — awareness 05/01, closed (withdrawn) 01/05     -> not counted
  d — … ceremony 01/04                              -> ceremony (on probation)
  e — … recognition passed 01/06                    -> not counted (official member)
  f — no step yet, entered today                    -> not counted before today
"""

import datetime as dt

import pytest

from dangvu.reports import figures as F

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def adm(tree, make_member):
    from dangvu.admission.models import AdmissionStep, AdmissionTarget, Candidate

    def admitted(code, on):
        return make_member(tree[code], admission_date=on, official_date=None,
                           date_of_birth=D(1998, 1, 1))  # fmt: skip

    for on in (D(2024, 12, 31), D(2025, 2, 10), D(2025, 6, 30), D(2025, 7, 1)):
        admitted("C11", on)
    admitted("C12", D(2025, 3, 3))
    admitted("C21", D(2025, 4, 1))
    for code, year, n in (("C11", 2025, 3), ("C12", 2025, 2), ("C21", 2025, 4), ("C11", 2024, 9)):
        AdmissionTarget.objects.create(organization=tree[code], year=year, number=n)

    def cand(name, steps, **extra):
        c = Candidate.objects.create(
            organization=tree["C11"], full_name=name, gender="male",
            date_of_birth=D(2000, 1, 1), **extra,
        )  # fmt: skip
        for kind, on, *passed in steps:
            AdmissionStep.objects.create(
                candidate=c, kind=kind, date=on, passed=passed[0] if passed else None
            )
        return c

    cand("A", [("awareness", D(2025, 1, 10)), ("application", D(2025, 2, 1))])
    cand("B", [("awareness", D(2025, 3, 1)), ("cell_vote", D(2025, 7, 15), True)])
    cand("C", [("awareness", D(2025, 1, 5))], status="withdrawn", closed_on=D(2025, 5, 1))
    cand("D", [("awareness", D(2024, 6, 1)), ("cell_vote", D(2025, 1, 10), True),
               ("decision", D(2025, 3, 1)), ("ceremony", D(2025, 4, 1))],
         status="admitted")  # fmt: skip
    cand("E", [("awareness", D(2023, 6, 1)), ("ceremony", D(2024, 5, 1)),
               ("recognition", D(2025, 6, 1), True)], status="official")  # fmt: skip
    cand("F", [])


def c(tree, code, start, end, on=None):
    return F.Context(tree[code], start, end, on)


def value(key, ctx):
    return F.compute(key, ctx).value


def test_admitted_in_the_half_years_bounds_included(adm, tree):
    h1 = c(tree, "GC1", D(2025, 1, 1), D(2025, 6, 30))
    h2 = c(tree, "GC1", D(2025, 7, 1), D(2025, 12, 31))
    assert value("admission.admitted", h1) == 3  # 10/02, 30/06 (C11), 03/03 (C12)
    assert value("admission.admitted", h2) == 1  # 01/07
    assert value("admission.admitted_year", h1) == 3
    assert value("admission.admitted_year", h2) == 4  # from 01/01 to 31/12
    assert value("admission.target", h1) == 5  # C11 3 + C12 2, the year of the period's end
    root = c(tree, "ROOT", D(2025, 1, 1), D(2025, 12, 31))
    assert value("admission.admitted", root) == 5 and value("admission.target", root) == 9
    assert value("admission.target", c(tree, "C11", D(2024, 1, 1), D(2024, 12, 31))) == 9
    assert value("admission.admitted", c(tree, "C11", D(2024, 1, 1), D(2024, 12, 31))) == 1


def test_admitted_by_month(adm, tree):
    by = F.compute("admission.by_month", c(tree, "GC1", D(2025, 1, 1), D(2025, 12, 31)))
    assert [r.code for r in by.rows][:2] == ["2025-01", "2025-02"] and len(by.rows) == 12
    assert {k: v for k, v in by.as_dict().items() if v} == {
        "2025-02": 1, "2025-03": 1, "2025-06": 1, "2025-07": 1,
    }  # fmt: skip


def test_candidates_by_step_as_at_a_date(adm, tree):
    b = F.compute("admission.candidates_by_step", c(tree, "C11", D(2025, 1, 1), D(2025, 6, 30)))
    assert {k: v for k, v in b.as_dict().items() if v} == {
        "application": 1, "awareness": 1, "ceremony": 1,
    }  # fmt: skip
    # a year earlier: A, B, C had not started; D at awareness; E on probation (ceremony 05/2024)
    b = F.compute("admission.candidates_by_step", c(tree, "C11", D(2024, 1, 1), D(2024, 6, 30)))
    assert {k: v for k, v in b.as_dict().items() if v} == {"awareness": 1, "ceremony": 1}


def test_candidate_without_steps_counts_from_its_entry(adm, tree):
    from django.utils import timezone

    today = timezone.localdate()
    b = F.compute("admission.candidates_by_step", c(tree, "C11", D(today.year, 1, 1), today))
    assert b.as_dict()[""] == 1  # F, entered today, no step yet


def test_admission_figures_need_the_admission_module(adm, tree, users):
    ctx = c(tree, "C11", D(2025, 1, 1), D(2025, 12, 31))
    assert F.compute_many(["admission.admitted"], ctx, user=users["dangvien"]) == {}
    assert F.compute("admission.admitted", ctx, user=users["chibo"]).value == 3
