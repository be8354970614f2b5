"""Who is due a badge at an occasion (badges.selectors.due_for_occasion): each rule of the
rulebook with its boundary cases, the party-age gaps, discipline, and a query-count guard.

Occasion 02/09/2026; previous occasion 19/05/2026 (tiers reached after it are due now)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.badges.choices import EarlyReason, Outcome
from dangvu.badges.models import BadgeAward, BadgeProposal
from dangvu.core.dates import add_months, add_years
from dangvu.discipline import services as discipline
from dangvu.members import services as members

from .conftest import OCC, PREV, ids, row_of

pytestmark = pytest.mark.django_db


def award(member, tier, occasion=dt.date(2020, 9, 2)):
    return BadgeAward.objects.create(
        member=member, tier=tier, occasion=occasion, decision_number="1-QĐ/ĐU", awarded_on=occasion
    )


def propose(member, on=dt.date(2026, 6, 1)):
    return BadgeProposal.objects.create(
        member=member, proposed_on=on, note="Ung thư giai đoạn cuối"
    )


def decide(member, form, on, number="12-QĐ/UBKT"):
    return discipline.discipline_case_create(
        actor=None,
        member=member,
        form=form,
        decided_on=on,
        decision_number=number,
        deciding_body="Ủy ban Kiểm tra Đảng ủy Khối",
        reason="Vi phạm quy định",
    )


# ---- badge.tiers_years: the tier is reached on the occasion, not one day later -------------------
def test_tier_30_reached_exactly_on_the_occasion_is_due(member_at, due):
    m = member_at(dt.date(1996, 9, 2))
    result = due()
    row = row_of(result.due, m)
    assert row is not None and row.tier == 30 and row.reached_on == OCC
    assert row.early_reason == EarlyReason.NONE and not row.carried_over
    assert row.party_age_label == "30 năm"
    assert result.tier_counts() == [(30, 1)]


def test_tier_30_reached_one_day_after_the_occasion_is_not_due(member_at, due):
    m = member_at(dt.date(1996, 9, 3))
    result = due()
    assert m.pk not in ids(result.due) | ids(result.held) | ids(result.awarded)


def test_tier_reached_by_the_previous_occasion_was_due_then(member_at, due):
    on_previous = member_at(dt.date(1996, 5, 19))  # 30 years on 19/05/2026
    day_after = member_at(dt.date(1996, 5, 20))
    result = due()
    assert ids(result.due) == {day_after.pk}
    assert on_previous.pk in ids(due(occasion=PREV).due)


def test_every_tier_and_the_highest_reached(member_at, due):
    m40 = member_at(dt.date(1986, 6, 10))
    m45 = member_at(dt.date(1981, 7, 1))
    m90 = member_at(dt.date(1936, 8, 31), date_of_birth=dt.date(1915, 1, 1))
    result = due()
    tiers = {r.member.pk: r.tier for r in result.due}
    assert tiers == {m40.pk: 40, m45.pk: 45, m90.pk: 90}
    assert [t for t, _n in result.tier_counts()] == [40, 45, 90]


def test_a_subtree_sees_only_its_members(member_at, due):
    inside = member_at(dt.date(1996, 7, 1), org="C11")
    outside = member_at(dt.date(1996, 7, 1), org="C21")
    assert ids(due(org="GC1").due) == {inside.pk}
    assert ids(due(org="GC2").due) == {outside.pk}


# ---- party age: periods outside the Party (removal/expulsion → readmission) are excluded ---------
def _gap(member, start, days):
    members.member_remove(actor=None, member=member, date=start, decision_number="5-QĐ/ĐUK")
    members.member_readmit(
        actor=None, member=member, date=start + dt.timedelta(days=days), decision_number="9-QĐ/ĐUK"
    )


def test_gap_pushes_the_tier_past_the_occasion(member_at, due):
    without = member_at(dt.date(1996, 6, 1))
    with_gap = member_at(dt.date(1996, 6, 1))
    _gap(with_gap, dt.date(2005, 1, 10), 120)  # effective start 29/09/1996
    result = due()
    assert without.pk in ids(result.due)
    assert with_gap.pk not in ids(result.due)


def test_gap_brings_an_older_admission_into_this_occasion(member_at, due):
    m = member_at(dt.date(1996, 3, 1))  # without the gap: 30 years on 01/03/2026, due in May
    _gap(m, dt.date(2005, 1, 10), 120)
    row = row_of(due().due, m)
    assert row is not None and row.tier == 30
    assert row.reached_on == add_years(dt.date(1996, 3, 1) + dt.timedelta(days=120), 30)
    assert row.party_age_label == "30 năm 2 tháng"


# ---- badge.early_months_*: serious illness (with a proposal) ------------------------------------
def test_serious_illness_up_to_12_months_early_for_low_tiers(member_at, due):
    limit = member_at(add_years(add_months(OCC, 12), -30))  # 30 years on 02/09/2027
    beyond = member_at(add_years(add_months(OCC, 12), -30) + dt.timedelta(days=1))
    not_proposed = member_at(add_years(add_months(OCC, 6), -30))
    propose(limit)
    propose(beyond)
    result = due()
    row = row_of(result.due, limit)
    assert row.tier == 30 and row.early_reason == EarlyReason.SERIOUS_ILLNESS
    assert row.months_early == 12 and "HD 01-HD/TW" in row.citation
    assert beyond.pk not in ids(result.due) and not_proposed.pk not in ids(result.due)


def test_serious_illness_up_to_24_months_early_from_the_high_tiers(member_at, due):
    dob = dt.date(1935, 1, 1)
    high = member_at(add_years(add_months(OCC, 24), -70), date_of_birth=dob)
    beyond = member_at(
        add_years(add_months(OCC, 24), -70) + dt.timedelta(days=1), date_of_birth=dob
    )
    low = member_at(add_years(add_months(OCC, 13), -65), date_of_birth=dob)  # 65: 12 months only
    for m in (high, beyond):
        award(m, 65)
        propose(m)
    award(low, 60)
    propose(low)
    result = due()
    row = row_of(result.due, high)
    assert row.tier == 70 and row.months_early == 24
    assert ids(result.due) == {high.pk}


def test_proposal_brings_back_a_missed_tier_first(member_at, due):
    m = member_at(dt.date(1995, 1, 10))  # 30 years in January 2025, never awarded
    propose(m)
    row = row_of(due().due, m)
    assert row.tier == 30 and row.early_reason == EarlyReason.NONE and row.carried_over


# ---- badge.early_months_posthumous -------------------------------------------------------------
def _die(member, on):
    members.member_record_death(actor=None, member=member, date=on)
    member.refresh_from_db()


def test_posthumous_up_to_12_months_before_the_tier(member_at, due):
    died = dt.date(2026, 8, 1)
    limit = member_at(add_years(add_months(died, 12), -30))
    beyond = member_at(add_years(add_months(died, 12), -30) + dt.timedelta(days=1))
    reached = member_at(dt.date(1996, 6, 20))  # 30 years on 20/06/2026, died in July
    _die(limit, died)
    _die(beyond, died)
    _die(reached, dt.date(2026, 7, 15))
    result = due()
    row = row_of(result.due, limit)
    assert row.early_reason == EarlyReason.POSTHUMOUS and row.months_early == 12
    assert row.died_on == died and "HD 01-HD/TW" in row.citation
    assert row_of(result.due, reached).early_reason == EarlyReason.POSTHUMOUS
    assert row_of(result.due, reached).months_early == 0
    assert beyond.pk not in ids(result.due)


def test_deceased_before_the_previous_occasion_is_not_listed(member_at, due):
    m = member_at(dt.date(1996, 4, 1))
    _die(m, dt.date(2026, 5, 1))
    assert m.pk not in ids(due().due)
    assert m.pk in ids(due(occasion=PREV).due)


# ---- badge.defer_months_*: discipline --------------------------------------------------------
def test_warning_defers_until_six_months_after_the_decision(member_at, due):
    deferred = member_at(dt.date(1996, 7, 1))
    considered = member_at(dt.date(1996, 7, 1))
    decide(deferred, "warning", add_months(OCC, -6) + dt.timedelta(days=1))
    decide(considered, "warning", add_months(OCC, -6))
    result = due()
    assert ids(result.due) == {considered.pk}
    row = row_of(result.held, deferred)
    assert row.outcome == Outcome.DEFERRED and row.until == OCC + dt.timedelta(days=1)
    assert "6 tháng" in row.reason and "QĐ 29-QĐ/TW" in row.citation


def test_dismissal_defers_twelve_months(member_at, due):
    deferred = member_at(dt.date(1996, 7, 1))
    considered = member_at(dt.date(1996, 7, 2))
    decide(deferred, "dismissal", add_months(OCC, -12) + dt.timedelta(days=1))
    decide(considered, "dismissal", add_months(OCC, -12))
    result = due()
    assert ids(result.due) == {considered.pk}
    assert row_of(result.held, deferred).until == OCC + dt.timedelta(days=1)


def test_reprimand_does_not_defer_expulsion_excludes_lifted_does_not_count(member_at, due):
    reprimanded = member_at(dt.date(1996, 7, 1))
    expelled = member_at(dt.date(1996, 7, 2))
    lifted = member_at(dt.date(1996, 7, 3))
    decide(reprimanded, "reprimand", dt.date(2026, 8, 1))
    decide(expelled, "expulsion", dt.date(2026, 8, 1))
    case = decide(lifted, "warning", dt.date(2026, 6, 1))
    discipline.discipline_case_lift(
        actor=None, case=case, lifted_on=dt.date(2026, 8, 20), note="QĐ giải quyết khiếu nại 3"
    )
    result = due()
    assert ids(result.due) == {reprimanded.pk, lifted.pk}
    row = row_of(result.held, expelled)
    assert row.outcome == Outcome.EXCLUDED and "khai trừ" in row.reason


def test_deferred_member_comes_back_when_the_deferral_ends(member_at, due):
    m = member_at(dt.date(1996, 3, 1))  # 30 years on 01/03/2026
    decide(m, "warning", dt.date(2025, 12, 15))  # considered again from 15/06/2026
    at_previous = due(occasion=PREV)
    assert row_of(at_previous.held, m).until == dt.date(2026, 6, 15)
    row = row_of(due().due, m)
    assert row is not None and row.carried_over and row.tier == 30


# ---- already awarded ---------------------------------------------------------------------------
def test_already_awarded_tier_is_not_due_again(member_at, due):
    m = member_at(dt.date(1996, 7, 1))
    award(m, 30, occasion=dt.date(2026, 7, 1))
    result = due()
    assert m.pk not in ids(result.due)
    assert row_of(result.awarded, m).outcome == Outcome.AWARDED


# ---- scale: the query count does not grow with the members listed ------------------------------
def _population(member_at, n, start):
    out = []
    for i in range(n):
        m = member_at(start + dt.timedelta(days=i))
        out.append(m)
    return out


def test_query_count_does_not_grow_with_the_members(member_at, due):
    _population(member_at, 3, dt.date(1996, 6, 1))
    with CaptureQueriesContext(connection) as small:
        assert len(due().due) == 3
    more = _population(member_at, 12, dt.date(1986, 6, 1))
    propose(more[0])
    _gap(more[1], dt.date(2000, 1, 1), 10)
    decide(more[2], "warning", dt.date(2026, 8, 1))
    _die(more[3], dt.date(2026, 8, 1))
    award(more[4], 40)
    with CaptureQueriesContext(connection) as large:
        result = due()
    assert len(result.due) + len(result.held) + len(result.awarded) == 15
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
