"""Subtree counters (OrganizationStats.subtree) stay equal to a count of the member table.

The home dashboard of a province or of the country reads them instead of counting millions of
members; these tests recount the hand way after every kind of write that moves a member in or out
of a subtree, or changes what the counters split on (status, gender, date of birth), and after a
structural change of the tree (move, merge).
"""

import datetime as dt

import pytest
from django.db.models import Count, Q

from dangvu.core.dates import add_years
from dangvu.members import services as ms
from dangvu.members import stats
from dangvu.members.choices import ACTIVE_STATUSES
from dangvu.members.figures import AGE_BANDS
from dangvu.members.models import Member, OrganizationStats
from dangvu.organizations import services as os_
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db
BANDS = [(code, lo, hi) for code, _label, lo, hi in AGE_BANDS]
TODAY = dt.date(2026, 6, 15)
RECENT = {"admission_date": dt.date(2020, 5, 19), "official_date": dt.date(2021, 5, 19)}


def hand_figures(org, today):
    """The straightforward count the counters replace (what the dashboard used to run)."""
    active = Member.objects.filter(
        organization__path__startswith=org.path, status__in=ACTIVE_STATUSES
    )
    age = {}
    for code, lo, hi in BANDS:
        q = Q(date_of_birth__lte=add_years(today, -lo))
        if hi is not None:
            q &= Q(date_of_birth__gt=add_years(today, -(hi + 1)))
        age[code] = active.filter(q).count()
    admitted = {
        f"{r['admission_date__year']:04d}-{r['admission_date__month']:02d}": r["n"]
        for r in Member.objects.filter(organization__path__startswith=org.path)
        .values("admission_date__year", "admission_date__month")
        .annotate(n=Count("pk"))
    }
    return {
        "status": {s: active.filter(status=s).count() for s in ACTIVE_STATUSES},
        "gender": {g: active.filter(gender=g).count() for g in ("male", "female")},
        "age": age,
        "admitted": admitted,
    }


def assert_counters_exact(today=TODAY):
    for org in Organization.objects.all():
        whole = Member.objects.filter(
            organization__path__startswith=org.path, status__in=ACTIVE_STATUSES
        ).count()
        kept = OrganizationStats.objects.filter(organization=org).values_list(
            "subtree_active", flat=True
        )
        assert (kept.first() or 0) == whole, f"{org.code}: subtree_active"
        stored = OrganizationStats.objects.filter(organization=org).values("subtree").first()
        if org.depth <= stats.ROLLUP_DEPTH:
            live = stats._tally_rows(
                Member.objects.filter(organization__path__startswith=org.path), None
            ).get(None, {})
            counters = dict((stored or {}).get("subtree", {}))
            if live:  # a subtree with members has been counted by the writes
                assert counters.pop(stats.COMPUTED, None) == 1, org.code
                assert counters == dict(live), org.code
        else:
            assert not stored or stored["subtree"] == {}, org.code  # deeper: never stored
        assert stats.subtree_figures(org, today, BANDS) == hand_figures(org, today), org.code


@pytest.fixture(params=[1, 2, 3], ids=["rollup-depth-1", "rollup-depth-2", "rollup-depth-3"])
def rollup_depth(request, monkeypatch):
    """The tree in tests has three levels: each depth exercises stored and live paths."""
    monkeypatch.setattr(stats, "ROLLUP_DEPTH", request.param)
    stats.recompute_subtree_counts()
    return request.param


def test_counters_follow_every_member_write(tree, make_member, rollup_depth):
    on_birthday = add_years(TODAY, -30)  # 30 today: band 30–40, not under 30
    a = make_member(tree["C11"], date_of_birth=on_birthday, **RECENT)
    b = make_member(tree["C11"], date_of_birth=on_birthday + dt.timedelta(days=1), **RECENT)  # 29
    c = make_member(tree["C12"], date_of_birth=add_years(TODAY, -61), gender="female")
    d = make_member(tree["GCELL"], date_of_birth=add_years(TODAY, -41) + dt.timedelta(days=1))
    e = make_member(tree["ROOT"])  # directly in the root (above the counted level)
    assert_counters_exact()

    ms.member_transfer_out(
        actor=None,
        member=a,
        date=dt.date(2024, 1, 1),
        decision_number="1",
        to_organization=tree["C21"],
    )
    assert_counters_exact()
    ms.member_remove(actor=None, member=b, date=dt.date(2024, 2, 1), decision_number="2")
    ms.member_grant_exemption(actor=None, member=c, date=dt.date(2024, 3, 1), decision_number="3")
    assert_counters_exact()
    ms.member_update(
        actor=None,
        member=d,
        data={"gender": "female", "citizen_id": "", "date_of_birth": dt.date(1950, 1, 1)},
    )
    ms.member_record_death(actor=None, member=e, date=dt.date(2024, 4, 1))
    assert_counters_exact()
    # the same counters on another day: only the age bands move, exactly at the birthdays
    assert_counters_exact(today=add_years(on_birthday, 30) - dt.timedelta(days=1))


def test_counters_follow_moves_and_merges(tree, make_member, rollup_depth):
    for org in ("C11", "C12", "C21", "GCELL"):
        make_member(tree[org])
        make_member(tree[org], gender="female", date_of_birth=dt.date(1996, 6, 15), **RECENT)
    os_.organization_move(
        actor=None,
        organization=tree["C12"],
        new_parent=tree["GC2"],
        date=dt.date(2024, 5, 1),
        decision_number="9",
    )
    assert_counters_exact()
    os_.organization_merge(
        actor=None,
        source=Organization.objects.get(code="GC2"),
        target=Organization.objects.get(code="GC1"),
        date=dt.date(2024, 6, 1),
        decision_number="10",
    )
    assert_counters_exact()


def test_full_recount_equals_the_incremental_counters(tree, make_member):
    for org in ("C11", "C12", "C21", "GCELL", "GC1"):
        make_member(tree[org])
    before = dict(OrganizationStats.objects.values_list("organization_id", "subtree"))
    active = dict(OrganizationStats.objects.values_list("organization_id", "subtree_active"))
    OrganizationStats.objects.update(subtree={}, subtree_active=0)
    assert stats.recompute_subtree_counts() > 0
    assert stats.recompute_subtree_active() > 0
    assert dict(OrganizationStats.objects.values_list("organization_id", "subtree")) == before
    assert (
        dict(OrganizationStats.objects.values_list("organization_id", "subtree_active")) == active
    )
    assert stats.recompute_subtree_counts() == 0  # nothing left to change
    assert stats.recompute_subtree_active() == 0


def test_missing_counters_are_counted_live(tree, make_member):
    """An upper organisation whose counters were never computed (e.g. rows loaded by hand)
    still shows the right figures."""
    make_member(tree["C11"])
    OrganizationStats.objects.update(subtree={})
    root = tree["ROOT"]
    assert stats.subtree_figures(root, TODAY, BANDS) == hand_figures(root, TODAY)


@pytest.mark.parametrize("who", ["tochuc", "bithu", "chibo"])
def test_home_member_figures_from_counters_equal_the_row_counts(who, users, tree, make_member):
    """The home page's member figures for a scope of whole subtrees come from the counters; they
    equal the per-organisation sums and the admission count the page used before."""
    import dangvu.core.scope as scope
    from dangvu.core.views import member_dashboard

    for org in ("C11", "C12", "C21", "GCELL", "ROOT"):
        make_member(tree[org], **RECENT)
    make_member(tree["C11"], admission_date=dt.date.today(), official_date=None)
    user = users[who]
    today = dt.date.today()
    assert scope.subtree_roots(user, "members") is not None
    fast = member_dashboard(user, today)
    original = scope.subtree_roots
    try:
        scope.subtree_roots = lambda *a, **k: None
        slow = member_dashboard(user, today)
    finally:
        scope.subtree_roots = original
    assert fast == slow
    assert fast["admitted_this_year"]["n"] >= 1


def test_scope_with_a_member_grant_is_not_a_union_of_subtrees(users):
    from dangvu.core.scope import subtree_roots

    assert subtree_roots(users["dangvien"], "members") is None


@pytest.mark.django_db(transaction=True)
def test_refresh_stats_command_runs_outside_a_transaction(tree, make_member):
    """The command after a raw load: no surrounding transaction (the row locks need one)."""
    from django.core.management import call_command

    make_member(tree["C11"])
    OrganizationStats.objects.update(subtree={})
    call_command("refresh_stats")
    root = Organization.objects.get(code="ROOT")
    assert stats.subtree_tally(root)["s|official"] == 1


def test_admission_progress_from_counters_equals_the_count(users, tree, make_member):
    """The home panel's "admitted this year" for whole subtrees comes from the counters."""
    from dangvu.admission import selectors
    from dangvu.core.scope import scope_q, subtree_roots

    year = dt.date.today().year
    make_member(tree["C11"], admission_date=dt.date(year, 1, 2), official_date=None)
    make_member(tree["C21"], admission_date=dt.date(year - 1, 12, 31), official_date=None)
    make_member(tree["GCELL"], admission_date=dt.date(year, 1, 1), official_date=None)
    for who in ("tochuc", "bithu", "chibo"):
        user = users[who]
        from dangvu.admission.models import Candidate

        q = scope_q(Candidate, user)
        roots = subtree_roots(user, "admission")
        assert roots is not None
        assert selectors.progress(q, year, roots=roots) == selectors.progress(q, year), who
    assert selectors.progress(scope_q(Candidate, users["tochuc"]), year).admitted == 2
