import datetime as dt
from fractions import Fraction

import pytest

from dangvu.core.models import Rule
from dangvu.core.rulebook import RuleMissing, rule, sync_rulebook
from dangvu.core.rules_seed import RULES

pytestmark = pytest.mark.django_db


def test_every_seeded_rule_has_a_source_and_is_loaded():
    keys = {r[0] for r in RULES}
    assert set(Rule.objects.values_list("key", flat=True).distinct()) >= keys
    assert not Rule.objects.filter(source="").exists()


def test_rule_is_dated_threshold_changes_on_1_7_2026():
    # Luật 132/2025/QH15: supplementary declaration threshold 300 million -> 1 billion from 01/07/2026.
    assert rule("assets.supplementary_threshold_vnd", on=dt.date(2026, 6, 30)).value == 300_000_000
    assert rule("assets.supplementary_threshold_vnd", on=dt.date(2026, 7, 1)).value == 1_000_000_000


def test_fraction_rules_and_citation():
    r = rule("admission.cell_vote_fraction")
    assert r.value == Fraction(2, 3)
    assert "Điều lệ Đảng" in r.citation


def test_unverified_rule_says_so_in_its_citation():
    r = rule("meeting.min_duration_minutes")
    assert not r.verified
    assert "chưa đối chiếu" in r.citation


def test_missing_rule_raises():
    with pytest.raises(RuleMissing):
        rule("no.such.rule")


def test_sync_never_overwrites_an_administrator_edit():
    row = Rule.objects.get(key="admission.probation_months")
    row.value = "13"
    row.save()
    assert sync_rulebook() == 0
    assert rule("admission.probation_months").value == 13


def test_rule_edit_is_audited():
    row = Rule.objects.get(key="org.cell_min_official_members")
    row.value = "4"
    row.save()
    assert row.history.count() >= 2
    assert row.history.first().value == "4"


def test_cached_rules_reads_each_key_once_whatever_the_dates(django_assert_num_queries):
    from dangvu.core.rulebook import cached_rules

    with cached_rules(), django_assert_num_queries(1):
        values = {
            rule(
                "assets.supplementary_threshold_vnd",
                on=dt.date(2026, 1, 1) + dt.timedelta(days=d),
            ).value
            for d in range(365)
        }
    assert values == {300_000_000, 1_000_000_000}  # the dated change on 01/07/2026 still applies
