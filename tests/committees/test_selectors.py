"""Selectors: vacancies (one organisation; lists over a subtree), organisations without a
secretary, congresses due (rulebook cycles and the ± window, boundaries), and query-count guards:
the lists cost the same number of queries whatever the number of organisations."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.committees import selectors, services
from dangvu.core.dates import add_months
from dangvu.organizations.models import Organization

from .conftest import T0

pytestmark = pytest.mark.django_db

ON = T0 + dt.timedelta(days=10)


def test_vacancies_of_one_organisation(tree, staff, committee):
    people = staff(tree["C11"], official=10)
    c = committee(tree["C11"], {"secretary": 1, "deputy_secretary": 1, "member": 3})
    services.seat_fill(
        actor=None, committee=c, member=people[0], position="secretary", start_date=T0
    )
    services.seat_fill(actor=None, committee=c, member=people[1], position="member", start_date=T0)
    [row] = selectors.vacancies(tree["C11"], ON)
    assert (row.approved, row.filled, row.vacant) == (5, 2, 3)
    by = {p.position: (p.approved, p.filled, p.vacant) for p in row.positions}
    assert by == {"secretary": (1, 1, 0), "deputy_secretary": (1, 0, 1), "member": (3, 1, 2)}
    # before the term: nothing
    assert selectors.vacancies(tree["C11"], T0 - dt.timedelta(days=1)) == []


def test_subtree_lists(tree, staff, committee):
    c11 = staff(tree["C11"], official=3)
    c21 = staff(tree["C21"], official=3)
    a = committee(tree["C11"], {"secretary": 1, "deputy_secretary": 1})
    b = committee(tree["C21"], {"secretary": 1})
    services.seat_fill(actor=None, committee=a, member=c11[0], position="secretary", start_date=T0)
    services.seat_fill(actor=None, committee=b, member=c21[0], position="secretary", start_date=T0)
    orgs = Organization.objects.all()
    assert [c.pk for c in selectors.committees_with_vacancies(orgs, ON)] == [a.pk]
    assert selectors.vacancy_total(orgs, ON) == {"committees": 1, "seats": 1}
    gc2 = orgs.filter(path__startswith=tree["GC2"].path)
    assert selectors.vacancy_total(gc2, ON) == {"committees": 0, "seats": 0}
    without = {o.code: o.has_term for o in selectors.orgs_without_secretary(orgs, ON)}
    assert without == {"ROOT": False, "GC1": False, "C12": False, "GC2": False, "GCELL": False}
    # the C21 secretary leaves: C21 is without a secretary from that day, its seat vacant
    seat = b.seats.get()
    services.seat_end(actor=None, seat=seat, end_date=ON, reason="resigned")
    assert "C21" in {o.code for o in selectors.orgs_without_secretary(orgs, ON)}
    assert "C21" not in {
        o.code for o in selectors.orgs_without_secretary(orgs, ON - dt.timedelta(days=1))
    }
    assert selectors.vacancy_total(orgs, ON) == {"committees": 2, "seats": 2}
    # dissolved organisations are not listed
    Organization.objects.filter(pk=tree["GCELL"].pk).update(dissolved_on=T0)
    assert "GCELL" not in {o.code for o in selectors.orgs_without_secretary(orgs, ON)}


def test_next_congress_due_uses_the_rulebook():
    cell = selectors.next_congress_due("cell", dt.date(2025, 8, 1))
    assert cell.date == dt.date(2028, 2, 1)  # 30 months
    assert (cell.earliest, cell.latest) == (dt.date(2027, 8, 1), dt.date(2028, 8, 1))
    assert "Điều lệ Đảng, Điều 24" in cell.citation
    gc = selectors.next_congress_due("grassroots_committee", dt.date(2025, 8, 1))
    assert gc.date == dt.date(2030, 8, 1)
    assert gc.status(dt.date(2030, 1, 31)) == "upcoming"
    assert gc.status(dt.date(2030, 2, 1)) == "window"
    assert gc.status(dt.date(2031, 2, 1)) == "window"
    assert gc.status(dt.date(2031, 2, 2)) == "overdue"


def test_congresses_due_boundaries(tree, term):
    """Due exactly at today + 6 months: listed; one day later: not listed. Orgs without a term:
    listed as such. Cells follow the 30-month cycle, others 60."""
    today = dt.date(2027, 3, 15)
    horizon = add_months(today, 6)  # 15/09/2027
    term(tree["C11"], start=add_months(horizon, -30))  # due on the horizon
    term(tree["C12"], start=add_months(horizon, -30) + dt.timedelta(days=1))  # one day later
    term(tree["GC1"], start=add_months(horizon, -60))  # grassroots committee: 60 months
    term(tree["GCELL"], start=add_months(horizon, -60) + dt.timedelta(days=1))  # grassroots cell
    term(tree["GC2"], start=dt.date(2020, 9, 1))  # overdue
    rows = {o.code: o for o in selectors.congresses_due(Organization.objects.all(), today, 6)}
    assert set(rows) == {"ROOT", "C21", "C11", "GC1", "GC2"}
    assert rows["ROOT"].last_term_start is None
    assert selectors.describe_due(rows["C11"], today).date == horizon
    assert selectors.describe_due(rows["GC2"], today).status(today) == "overdue"
    # a planned congress shows next to its organisation
    services.congress_plan(
        actor=None,
        organization=tree["GC2"],
        term_name="2027–2032",
        planned_date=dt.date(2027, 5, 1),
    )
    row = selectors.congresses_due(Organization.objects.filter(code="GC2"), today, 6).get()
    assert row.planned_congress == dt.date(2027, 5, 1)


def test_month_end_cutoff_is_exact(tree, term):
    """add_months clips to the month's end: a term started 29, 30 or 31/08/2024 is due on
    28/02/2027 like one started 28/08 — the SQL cut-off is the latest such start, not
    horizon − 30 months."""
    today = dt.date(2026, 8, 31)
    horizon = add_months(today, 6)
    assert horizon == dt.date(2027, 2, 28)
    assert selectors._latest_start_for(horizon, 30) == dt.date(2024, 8, 31)
    term(tree["C11"], start=dt.date(2024, 8, 31))
    term(tree["C12"], start=dt.date(2024, 9, 1))
    codes = {o.code for o in selectors.congresses_due(Organization.objects.all(), today, 6)}
    assert "C11" in codes and "C12" not in codes


def _grow(tree, n, prefix="X"):
    """n more cells under GC2, each with a term and a committee with an empty seat."""
    from dangvu.organizations.services import organization_establish

    for i in range(n):
        cell = organization_establish(
            actor=None,
            parent=tree["GC2"],
            code=f"{prefix}{i}",
            name=f"Chi bộ thêm {prefix}{i}",
            org_type="cell",
            date=dt.date(2015, 1, 1),
            decision_number=f"{i}-QĐ",
        )
        t = services.term_open(actor=None, organization=cell, name="2025–2030", start_date=T0)
        services.committee_create(actor=None, organization=cell, term=t, quotas={"secretary": 1})


def test_vacancy_lists_do_not_grow_with_the_number_of_organisations(tree, users, login):
    client = login(users["tochuc"])
    urls = [
        reverse("committees:index"),
        reverse("committees:index") + "?tab=secretary",
        reverse("committees:index") + "?tab=due",
        reverse("core:home"),
    ]

    def cost():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    _grow(tree, 2)
    small = cost()
    _grow(tree, 6, prefix="Y")
    assert cost() == small


def test_selector_lists_are_one_query(tree, term):
    orgs = Organization.objects.all()
    _grow(tree, 3)
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.committees_with_vacancies(orgs, ON))
        list(selectors.orgs_without_secretary(orgs, ON))
        selectors.vacancy_total(orgs, ON)
    assert len(ctx.captured_queries) == 3
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.congresses_due(orgs, ON, 6))
    assert len(ctx.captured_queries) <= 3  # the rows, plus two rules read
