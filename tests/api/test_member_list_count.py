"""The member list's count without counting: when the subtree counters (OrganizationStats) show
more active members in the user's scope than a list counts (CappedPaginator.cap), the unfiltered
list says "more than the cap" without the capped count query; any filter counts exactly again.
And the user's grants (accounts.roles.active_grants, one statement) follow the validity dates."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.accounts.models import RoleAssignment
from dangvu.accounts.roles import active_grants
from dangvu.core.viewmixins import CappedPaginator
from dangvu.members.choices import ACTIVE_STATUSES
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tochuc(as_user, users):
    return as_user(users["tochuc"])


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, params or {})
    assert resp.status_code == 200, resp.content
    return resp.json(), [q["sql"] for q in ctx.captured_queries]


def _counts(sqls):
    return [s for s in sqls if s.startswith("SELECT COUNT(*)")]


def test_unfiltered_list_past_the_cap_runs_no_count(tochuc, tree, make_member, monkeypatch):
    for _ in range(5):
        make_member(tree["C12"])
    active = Member.objects.filter(status__in=ACTIVE_STATUSES).count()
    monkeypatch.setattr(CappedPaginator, "cap", active - 1)
    _queries(tochuc, "/api/members/")  # the first request also reads the user's roles
    data, sqls = _queries(tochuc, "/api/members/")
    assert data["count"] == active - 1 and data["count_capped"] is True
    assert _counts(sqls) == []
    assert len(data["results"]) == min(50, active - 1)  # as a counted capped list: cut at the cap


def test_unfiltered_list_under_the_cap_counts_exactly(tochuc, tree, make_member):
    for _ in range(3):
        make_member(tree["C12"])
    total = Member.objects.count()
    _queries(tochuc, "/api/members/")
    data, sqls = _queries(tochuc, "/api/members/")
    assert data["count"] == total and data["count_capped"] is False
    assert len(_counts(sqls)) == 1


def test_a_filter_counts_again(tochuc, tree, make_member, monkeypatch):
    for _ in range(5):
        make_member(tree["C12"])
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    _queries(tochuc, "/api/members/")
    data, sqls = _queries(tochuc, "/api/members/", {"organization": tree["C11"].pk})
    assert len(_counts(sqls)) == 1
    expected = Member.objects.filter(organization__path__startswith=tree["C11"].path).count()
    assert data["count"] == min(expected, 2) and data["count_capped"] is (expected > 2)


def test_the_bound_is_dropped_by_anything_that_removes_rows(tree, make_member):
    for _ in range(4):
        make_member(tree["C12"])
    bound = Member.objects.all().at_least(1_000)
    assert bound.order_by()[:10].count() == 10  # trusted: no query
    assert bound.filter(pk__in=[]).order_by()[:10].count() == 0
    assert bound.exclude(pk__gt=0).order_by()[:10].count() == 0
    assert bound.none().order_by()[:10].count() == 0
    assert bound.search("khong co ai ten nay").order_by()[:10].count() == 0
    assert bound.distinct().order_by()[:3].count() == 3
    assert bound.order_by()[2:10].count() == Member.objects.order_by()[2:10].count()
    assert bound.count() == Member.objects.count()  # no upper limit: counted


def test_grants_follow_validity_dates(make_user, tree):
    today = dt.date.today()
    user = make_user("hieuluc")
    for role, start, end in [
        ("standing", today + dt.timedelta(days=1), None),  # not yet
        ("inspection", dt.date(2020, 1, 1), today),  # ended today (the end is excluded)
        ("propaganda", today, None),  # from today
        ("office", dt.date(2020, 1, 1), today + dt.timedelta(days=1)),  # ends tomorrow
    ]:
        RoleAssignment.objects.create(
            user=user, role=role, organization=tree["GC1"], valid_from=start, valid_to=end
        )
    grants = active_grants(user)
    assert sorted(g[0] for g in grants) == ["office", "propaganda"]
    assert {g[1] for g in grants} == {tree["GC1"].path}
    assert all(g[2] is None and g[3] is None for g in grants)  # no member record


def test_grants_carry_the_member_record(users, tree):
    grants = active_grants(users["dangvien"])
    member = users["dangvien"].member
    assert grants == [("member", tree["C11"].path, member.pk, member.organization_id)]
