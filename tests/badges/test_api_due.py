"""`GET /api/badges/due/` a page at a time, as the due page: the rows of a page of 50 in list
order (tier, organisation in tree order, name), the figures of the whole list (`count`, `pages`,
`tiers`, `held_count`, `awarded_count`), every held row and the first awarded ones; bad `page` →
400 naming `page`, a page past the end → 404; the number of queries does not depend on how many
members are due (nationally about 100,000 at an occasion)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.badges.models import BadgeAward
from dangvu.badges.selectors import due_for_occasion
from dangvu.organizations.models import Organization

from .conftest import OCC

pytestmark = pytest.mark.django_db

URL = "/api/badges/due/"
Q = {"occasion": OCC.isoformat()}


def _warn(member, on=dt.date(2026, 8, 1)):
    from dangvu.discipline.services import discipline_case_create

    discipline_case_create(
        actor=None,
        member=member,
        form="warning",
        decided_on=on,
        decision_number="9-QĐ/UBKT",
        deciding_body="Ủy ban Kiểm tra",
        reason="Vi phạm",
    )


@pytest.fixture
def sixty(member_at):
    """At 02/09/2026: 40 members reach 30 years (C11 and C12), 20 reach 40 years (C12 and C21);
    one more deferred by a warning in August (badge.defer_months_warning), one already awarded
    the 30-year badge."""
    for i in range(40):
        member_at(
            dt.date(1996, 6, 1) + dt.timedelta(days=i),
            org="C11" if i % 2 else "C12",
            full_name=f"Nguyễn Văn {i:02d}",
        )
    for i in range(20):
        member_at(
            dt.date(1986, 6, 1) + dt.timedelta(days=i),
            org="C12" if i % 2 else "C21",
            full_name=f"Trần Thị {i:02d}",
            gender="female",
        )
    _warn(member_at(dt.date(1996, 7, 15), full_name="Phan Văn Cảnh Cáo"))
    awarded = member_at(dt.date(1996, 7, 16), full_name="Lý Văn Đã Tặng")
    BadgeAward.objects.create(
        member=awarded,
        tier=30,
        occasion=dt.date(2026, 7, 1),
        decision_number="1-QĐ/ĐU",
        awarded_on=dt.date(2026, 7, 1),
    )


def test_pages_of_50_equal_the_full_due_list(sixty, users, as_user):
    """Rule: the due list of an occasion (badge.tiers_years, badge.occasions) comes 50 rows a
    page, in the full list's order (tier, organisation, name); the figures cover every page."""
    api = as_user(users["tochuc"])
    first = api.get(URL, Q)
    second = api.get(URL, {**Q, "page": 2})
    assert first.status_code == 200 and second.status_code == 200
    a, b = first.json(), second.json()
    assert (len(a["due"]), len(b["due"])) == (50, 10)
    for body, number in ((a, 1), (b, 2)):
        assert body["count"] == 60 and body["page"] == number and body["pages"] == 2
        assert body["tiers"] == [{"tier": 30, "count": 40}, {"tier": 40, "count": 20}]
        assert sum(t["count"] for t in body["tiers"]) == body["count"]
        assert body["occasion"] == OCC.isoformat() and body["since"] == "2026-05-19"
        assert [r["member_name"] for r in body["held"]] == ["Phan Văn Cảnh Cáo"]
        assert [r["member_name"] for r in body["awarded"]] == ["Lý Văn Đã Tặng"]
        assert body["held_count"] == 1 and body["awarded_count"] == 1
    full = due_for_occasion(Organization.objects.all(), OCC)
    assert [r["member"] for r in a["due"] + b["due"]] == [r.member.pk for r in full.due]
    assert [r["tier"] for r in a["due"] + b["due"]] == [r.tier for r in full.due]
    assert api.get(URL, {**Q, "page": 1}).json() == a  # page 1 is the default


def test_page_of_a_subtree_in_scope(sixty, users, as_user, tree):
    """Rule: a role held at a node covers its subtree (bithu at GC1: C11 and C12); the pages and
    figures are those of the subtree, and the subtree filter gives the same."""
    api = as_user(users["bithu"])
    body = api.get(URL, Q).json()
    gc1 = Organization.objects.filter(path__startswith=tree["GC1"].path)
    full = due_for_occasion(gc1, OCC)
    assert body["count"] == len(full.due) == 50 and body["pages"] == 1
    assert body["tiers"] == [{"tier": 30, "count": 40}, {"tier": 40, "count": 10}]
    assert [r["member"] for r in body["due"]] == [r.member.pk for r in full.due]
    narrowed = api.get(URL, {**Q, "organization": tree["C11"].pk}).json()
    assert narrowed["count"] == 20 and {r["organization"] for r in narrowed["due"]} == {
        tree["C11"].pk
    }


def test_discipline_details_stay_hidden_from_other_modules(sixty, users, as_user):
    """Rule: discipline decisions are the inspection module's data: the propaganda department
    reads that a member is deferred and until when, not the decision's number."""
    seen = as_user(users["kiemtra"]).get(URL, Q).json()["held"][0]
    hidden = as_user(users["tuyengiao"]).get(URL, Q).json()["held"][0]
    assert "9-QĐ/UBKT" in seen["reason"]
    assert "9-QĐ/UBKT" not in hidden["reason"] and "kỷ luật" in hidden["reason"]
    assert hidden["until"] == seen["until"]


def test_nothing_in_scope_is_an_empty_list(sixty, users, as_user):
    """Rule: out-of-scope data is invisible: a member account (no badge module) reads an empty
    due list, and no organisation of the tree (404)."""
    api = as_user(users["dangvien"])
    body = api.get(URL, Q).json()
    assert (body["count"], body["pages"], body["tiers"]) == (0, 1, [])
    assert body["due"] == body["held"] == body["awarded"] == []
    assert body["held_count"] == body["awarded_count"] == 0
    assert api.get(URL, {**Q, "page": 2}).status_code == 404


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_bad_page_is_refused_naming_the_field(value, users, as_user):
    """Rule: bad input gives a Vietnamese message naming the field (`page`, an integer ≥ 1)."""
    resp = as_user(users["tochuc"]).get(URL, {**Q, "page": value})
    assert resp.status_code == 400
    body = resp.json()
    assert set(body) == {"page"}
    assert body["page"][0] in {"Cần một số nguyên hợp lệ.", "Giá trị không được nhỏ hơn 1."}


def test_page_past_the_end_is_not_found(sixty, users, as_user):
    """Rule: as every paginated list of the API (DRF's PageNumberPagination), a page past the
    last one answers 404 naming `page`; an empty list still has page 1."""
    api = as_user(users["tochuc"])
    resp = api.get(URL, {**Q, "page": 3})
    assert resp.status_code == 404
    assert "page" in resp.json()["detail"] and "2 trang" in resp.json()["detail"]
    empty = {"occasion": "2026-11-07"}  # nobody in the tree reaches a tier then
    body = api.get(URL, empty).json()
    assert (body["count"], body["page"], body["pages"], body["due"]) == (0, 1, 1, [])
    assert api.get(URL, {**empty, "page": 2}).status_code == 404


def test_queries_do_not_grow_with_the_members_due(member_at, users, as_user):
    """Rule (scale: about 100,000 members due nationally): the same number of queries for 3 and
    for 63 members due, on the first (full) page and on the last one."""
    for i in range(3):
        member_at(dt.date(1996, 6, 1) + dt.timedelta(days=i))
    api = as_user(users["tochuc"])
    api.get(URL, Q)  # the first request reads more (rules, permissions)
    with CaptureQueriesContext(connection) as small:
        assert len(api.get(URL, Q).json()["due"]) == 3
    for i in range(60):
        member_at(dt.date(1986, 6, 1) + dt.timedelta(days=i % 28), org="C12")
    with CaptureQueriesContext(connection) as first:
        assert len(api.get(URL, Q).json()["due"]) == 50
    with CaptureQueriesContext(connection) as last:
        body = api.get(URL, {**Q, "page": 2}).json()
    assert (len(body["due"]), body["count"]) == (13, 63)
    assert len(first) == len(small), [q["sql"][:100] for q in first.captured_queries]
    assert len(last) == len(small)
