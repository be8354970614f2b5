"""The due list at scale (badges.selectors.due_counts, DueRows, due_page_list): the home panel's
figures and the due page's pages equal the full due list (`due_for_occasion`), on a population
with every rule's edge case — party age interrupted (removal → readmission), already awarded,
discipline (warning, dismissal, expulsion, reprimand, lifted), deceased, transferred out, removed,
early award for illness, the tier reached exactly on the occasion / the previous occasion and the
day after, admission on 29/02 — and the query count does not grow with the members due."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.badges.models import BadgeAward, BadgeProposal
from dangvu.badges.selectors import (
    AWARDED_SHOWN,
    DueRows,
    due_counts,
    due_for_occasion,
    due_page_list,
    last_decision_ended,
    last_start_reaching,
)
from dangvu.core.dates import add_months, add_years
from dangvu.discipline import services as discipline
from dangvu.members import services as members

from .conftest import OCC, PREV

pytestmark = pytest.mark.django_db


def award(member, tier, occasion=dt.date(2020, 9, 2)):
    return BadgeAward.objects.create(
        member=member, tier=tier, occasion=occasion, decision_number="1-QĐ/ĐU", awarded_on=occasion
    )


def decide(member, form, on):
    return discipline.discipline_case_create(
        actor=None,
        member=member,
        form=form,
        decided_on=on,
        decision_number=f"{member.pk}-{on:%y%m%d}-QĐ/UBKT",
        deciding_body="Ủy ban Kiểm tra Đảng ủy Khối",
        reason="Vi phạm quy định",
    )


def gap(member, start, days):
    members.member_remove(actor=None, member=member, date=start, decision_number="5-QĐ/ĐUK")
    members.member_readmit(
        actor=None, member=member, date=start + dt.timedelta(days=days), decision_number="9-QĐ"
    )


def die(member, on):
    members.member_record_death(actor=None, member=member, date=on)


@pytest.fixture
def population(member_at):
    """Every case of the rules, in two subtrees (C11 under GC1, C21 under GC2); returns the
    members by name."""
    m = {}
    for org in ("C11", "C21"):

        def at(name, admission, org=org, **kw):
            m[f"{org}:{name}"] = member_at(admission, org=org, full_name=name, **kw)
            return m[f"{org}:{name}"]

        # tier reached on the occasion / the day after; on the previous occasion / the day after
        at("Trần Văn Đúng Dịp", dt.date(1996, 9, 2))
        at("Lê Văn Sau Dịp", dt.date(1996, 9, 3))
        at("Phạm Văn Dịp Trước", dt.date(1996, 5, 19))
        at("Hoàng Văn Sau Dịp Trước", dt.date(1996, 5, 20))
        for i in range(12):  # a few plain ones per tier, same name: the order falls to the pk
            at("Nguyễn Văn An", dt.date(1996, 6, 1) + dt.timedelta(days=7 * i))
        at("Đỗ Thị Bốn Mươi", dt.date(1986, 6, 10), gender="female")
        at("Vũ Văn Bốn Lăm", dt.date(1981, 7, 1))
        at("Bùi Văn Chín Mươi", dt.date(1936, 8, 31), date_of_birth=dt.date(1915, 1, 1))
        # 29/02: 30 years on 28/02/2026
        at("Ngô Văn Nhuận", dt.date(1996, 2, 29))
        at("Ngô Văn Trước Nhuận", dt.date(1996, 2, 28))
        at("Ngô Văn Sau Nhuận", dt.date(1996, 3, 1))
        # party age interrupted
        gap(at("Đinh Văn Đẩy Lùi", dt.date(1996, 6, 1)), dt.date(2005, 1, 10), 120)
        gap(at("Đinh Văn Kéo Vào", dt.date(1996, 3, 1)), dt.date(2005, 1, 10), 120)
        gap(at("Đinh Văn Gián Đoạn Ngắn", dt.date(1996, 7, 1)), dt.date(2000, 1, 1), 10)
        # already awarded: this tier / an earlier tier
        award(at("Lý Văn Đã Tặng", dt.date(1996, 7, 5)), 30, occasion=dt.date(2026, 7, 1))
        award(at("Lý Văn Tặng Mốc Trước", dt.date(1986, 7, 5)), 30, occasion=dt.date(2016, 9, 2))
        # discipline
        decide(at("Mai Văn Cảnh Cáo", dt.date(1996, 7, 10)), "warning", dt.date(2026, 8, 1))
        decide(at("Mai Văn Cảnh Cáo Cũ", dt.date(1996, 7, 11)), "warning", dt.date(2025, 1, 1))
        decide(at("Mai Văn Hết Hoãn", dt.date(1996, 7, 12)), "warning", dt.date(2026, 1, 1))
        decide(at("Mai Văn Hoãn Từ Trước", dt.date(1996, 3, 1)), "warning", dt.date(2025, 12, 15))
        decide(at("Mai Văn Cảnh Cáo Biên", dt.date(1996, 7, 9)), "warning", add_months(OCC, -6))
        decide(
            at("Mai Văn Cảnh Cáo Sau Biên", dt.date(1996, 7, 8)),
            "warning",
            add_months(OCC, -6) + dt.timedelta(days=1),
        )
        decide(at("Cao Văn Cách Chức", dt.date(1996, 7, 13)), "dismissal", dt.date(2026, 1, 1))
        decide(at("Tạ Văn Khai Trừ", dt.date(1996, 7, 14)), "expulsion", dt.date(2026, 8, 1))
        decide(at("Hà Văn Khiển Trách", dt.date(1996, 7, 16)), "reprimand", dt.date(2026, 8, 1))
        for name, lifted_on in (("Lương Văn Được Xóa", 20), ("Lương Văn Xóa Sau", 60)):
            case = decide(at(name, dt.date(1996, 7, 15)), "warning", dt.date(2026, 6, 1))
            discipline.discipline_case_lift(
                actor=None,
                case=case,
                lifted_on=dt.date(2026, 8, 1) + dt.timedelta(days=lifted_on),
                note="Quyết định giải quyết khiếu nại",
            )
        # deceased: since the previous occasion (posthumous) / before it; transferred, removed
        die(at("Từ Văn Truy Tặng", dt.date(1996, 6, 20)), dt.date(2026, 7, 15))
        die(at("Từ Văn Truy Tặng Sớm", add_years(dt.date(2027, 8, 1), -30)), dt.date(2026, 8, 1))
        die(at("Từ Văn Mất Trước", dt.date(1996, 4, 1)), dt.date(2026, 5, 1))
        members.member_transfer_out(
            actor=None,
            member=at("Kiều Văn Chuyển Đi", dt.date(1996, 7, 20)),
            date=dt.date(2026, 8, 1),
            decision_number="3-GGT/BTC",
            external_place="Đảng bộ tỉnh khác",
        )
        members.member_remove(
            actor=None,
            member=at("Kiều Văn Xóa Tên", dt.date(1996, 7, 21)),
            date=dt.date(2026, 8, 1),
            decision_number="4-QĐ",
        )
        # serious illness: up to 12 months before the tier; a missed tier first
        for name, adm in (
            ("Âu Văn Bệnh", add_years(add_months(OCC, 12), -30)),
            ("Âu Văn Bệnh Quá Sớm", add_years(add_months(OCC, 12), -30) + dt.timedelta(days=1)),
            ("Âu Văn Bệnh Lỡ Mốc", dt.date(1995, 1, 10)),
        ):
            BadgeProposal.objects.create(
                member=at(name, adm), proposed_on=dt.date(2026, 6, 1), note="Bệnh nặng"
            )
    return m


CASES = [
    (OCC, None),
    (PREV, None),
    (dt.date(2026, 11, 7), None),
    (PREV, dt.date(2026, 2, 28)),  # the 29/02 admissions reach 30 years on 28/02/2026
    (PREV, dt.date(2026, 2, 27)),
    (OCC, dt.date(2020, 1, 1)),  # a long window: several tiers
]


def _scopes(tree):
    from dangvu.organizations.models import Organization

    return {
        "all": Organization.objects.all(),
        "GC1": Organization.objects.filter(path__startswith=tree["GC1"].path),
        "C21": Organization.objects.filter(path__startswith=tree["C21"].path),
    }


def _pks(rows):
    return [r.member.pk for r in rows]


def _same(a, b):
    return [(r.member.pk, r.tier, r.early_reason, r.outcome, r.carried_over) for r in a] == [
        (r.member.pk, r.tier, r.early_reason, r.outcome, r.carried_over) for r in b
    ]


def test_counts_and_pages_equal_the_full_due_list(population, tree):
    for occasion, since in CASES:
        for scope, orgs in _scopes(tree).items():
            case = (occasion, since, scope)
            full = due_for_occasion(orgs, occasion, since=since)
            counts = due_counts(None if scope == "all" else orgs, occasion, since=since)
            rows = DueRows(counts)
            for size in (3, 50) if scope == "all" else (50,):  # pages cut special/plain runs
                paged = [r for i in range(0, len(rows), size) for r in rows[i : i + size]]
                assert _same(paged, full.due), (*case, size)
            page = due_page_list(counts, rows[0:5])
            assert _same(page.held, full.held), case
            assert _same(page.awarded, full.awarded[:AWARDED_SHOWN]), case
            assert [r.reason for r in page.held] == [r.reason for r in full.held], case


def test_each_case_lands_where_the_rules_put_it(population, tree):
    """The population does exercise each path: the counted (plain) members and the ones assessed
    one by one (reconsidered, interrupted), at 02/09/2026 in C11."""
    orgs = _scopes(tree)["GC1"]
    full = due_for_occasion(orgs, OCC)
    counts = due_counts(orgs, OCC)

    def names(rows):
        return {r.member.full_name for r in rows}

    due = names(full.due)
    assert {
        "Trần Văn Đúng Dịp",
        "Hoàng Văn Sau Dịp Trước",
        "Đỗ Thị Bốn Mươi",
        "Vũ Văn Bốn Lăm",
        "Bùi Văn Chín Mươi",
        "Đinh Văn Kéo Vào",
        "Đinh Văn Gián Đoạn Ngắn",
        "Lý Văn Tặng Mốc Trước",
        "Mai Văn Cảnh Cáo Cũ",
        "Mai Văn Hết Hoãn",
        "Mai Văn Hoãn Từ Trước",
        "Mai Văn Cảnh Cáo Biên",
        "Hà Văn Khiển Trách",
        "Lương Văn Được Xóa",
        "Từ Văn Truy Tặng",
        "Từ Văn Truy Tặng Sớm",
        "Âu Văn Bệnh",
        "Âu Văn Bệnh Lỡ Mốc",
    } <= due
    assert not {
        "Lê Văn Sau Dịp",
        "Phạm Văn Dịp Trước",
        "Đinh Văn Đẩy Lùi",
        "Từ Văn Mất Trước",
        "Kiều Văn Chuyển Đi",
        "Kiều Văn Xóa Tên",
        "Âu Văn Bệnh Quá Sớm",
    } & (due | names(full.held) | names(full.awarded))
    assert names(full.held) == {
        "Mai Văn Cảnh Cáo",
        "Mai Văn Cảnh Cáo Sau Biên",
        "Cao Văn Cách Chức",
        "Tạ Văn Khai Trừ",
        "Lương Văn Xóa Sau",
    }
    assert names(full.awarded) == {"Lý Văn Đã Tặng"}
    # counted in SQL: the awarded tier and the held ones (no gap, nothing to reconsider)
    assert names(counts.special.due) == {
        "Đinh Văn Kéo Vào",
        "Đinh Văn Gián Đoạn Ngắn",
        "Mai Văn Hết Hoãn",
        "Mai Văn Hoãn Từ Trước",
        "Mai Văn Cảnh Cáo Biên",  # the deferral ended on the occasion: reconsidered
        "Lương Văn Được Xóa",
        "Từ Văn Truy Tặng",
        "Từ Văn Truy Tặng Sớm",
        "Âu Văn Bệnh",
        "Âu Văn Bệnh Lỡ Mốc",
    }
    assert not counts.special.held and not counts.special.awarded
    assert counts.held == 5 and counts.awarded == 1


def test_band_edges_follow_the_calendar():
    """`badge.tiers_years` counted from the admission date, 29/02 + 30 years = 28/02; a
    deferral of `badge.defer_months_*` months ends on the same day (or the month's last)."""
    assert last_start_reaching(dt.date(2026, 9, 2), 30) == dt.date(1996, 9, 2)
    assert last_start_reaching(dt.date(2026, 2, 28), 30) == dt.date(1996, 2, 29)
    assert last_start_reaching(dt.date(2026, 2, 27), 30) == dt.date(1996, 2, 27)
    assert last_start_reaching(dt.date(2028, 2, 29), 32) == dt.date(1996, 2, 29)
    assert last_decision_ended(dt.date(2026, 9, 2), 6) == dt.date(2026, 3, 2)
    assert last_decision_ended(dt.date(2026, 2, 28), 6) == dt.date(2025, 8, 31)
    assert last_decision_ended(dt.date(2026, 3, 30), 1) == dt.date(2026, 2, 28)


def test_panel_figures_and_queries_do_not_grow_with_the_members(member_at, users):
    """The home panel counts (no list): the same number of queries for 3 and 40 members due."""
    from django.test import RequestFactory

    from dangvu.badges.home import panel

    today = dt.date(2026, 11, 27)  # next occasion 03/02/2027, previous 07/11/2026
    request = RequestFactory().get("/")
    request.user = users["tochuc"]
    for i in range(3):
        member_at(dt.date(1996, 12, 1) + dt.timedelta(days=i))
    panel(request, today)
    with CaptureQueriesContext(connection) as small:
        html = panel(request, today)
    assert "Đến mốc ở dịp 03/02/2027" in html and "Huy hiệu 30 năm" in html and ">3<" in html
    for i in range(37):
        member_at(dt.date(1986, 11, 10) + dt.timedelta(days=i), org="C12")
    with CaptureQueriesContext(connection) as large:
        html = panel(request, today)
    assert "Huy hiệu 40 năm" in html and ">37<" in html and ">40<" in html
    assert len(large) == len(small), [q["sql"][:100] for q in large.captured_queries]


def test_due_page_is_paginated(member_at, users, login):
    """60 members due: 50 on the first page, 10 on the second, the tier's figure on both."""
    for i in range(60):
        member_at(dt.date(1996, 6, 1) + dt.timedelta(days=i), full_name=f"Nguyễn Văn {i:02d}")
    client = login(users["tochuc"])
    q = {"occasion": OCC.isoformat()}
    first = client.get(reverse("badges:due"), q).content.decode()
    second = client.get(reverse("badges:due"), {**q, "page": 2}).content.decode()
    assert first.count('name="pick"') == 50 and second.count('name="pick"') == 10
    assert "30 năm: <strong>60</strong>" in first and "30 năm: <strong>60</strong>" in second
    assert "page=2" in first
    shown = {n for html in (first, second) for n in range(60) if f"Nguyễn Văn {n:02d}<" in html}
    assert shown == set(range(60))


def test_an_empty_scope_has_no_groups():
    """Nothing in scope (a member account's organisations for badges): no figures, no page rows,
    instead of the SQL compiler's EmptyResultSet."""
    from dangvu.organizations.models import Organization

    counts = due_counts(Organization.objects.none(), dt.date(2026, 2, 3))
    assert counts.total == 0 and counts.held == 0 and counts.awarded == 0
    assert counts.page_groups(0, 50) == []
    assert list(DueRows(counts)[0:50]) == []
