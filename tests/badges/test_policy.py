"""Occasions of the rulebook (badge.occasions): parsing, next and previous occasion."""

import datetime as dt

import pytest

from dangvu.badges.policy import (
    badge_rules,
    next_occasion,
    occasions_around,
    parse_occasions,
    previous_occasion,
)

REGULATION = [(2, 3), (5, 19), (9, 2), (11, 7)]  # 3/2, 19/5, 2/9, 7/11


def test_parse_iso_month_day_and_vietnamese_day_month():
    assert parse_occasions("02-03,05-19,09-02,11-07") == REGULATION
    assert parse_occasions("3/2, 19/5, 2/9, 7/11") == REGULATION
    with pytest.raises(ValueError):
        parse_occasions("02-30")


def test_next_occasion_counts_the_day_itself():
    assert next_occasion(dt.date(2026, 9, 2), REGULATION) == dt.date(2026, 9, 2)
    assert next_occasion(dt.date(2026, 9, 3), REGULATION) == dt.date(2026, 11, 7)
    assert next_occasion(dt.date(2026, 11, 27), REGULATION) == dt.date(2027, 2, 3)


def test_previous_occasion_is_strictly_before():
    assert previous_occasion(dt.date(2026, 9, 2), REGULATION) == dt.date(2026, 5, 19)
    assert previous_occasion(dt.date(2027, 2, 3), REGULATION) == dt.date(2026, 11, 7)
    # a major anniversary between two occasions
    assert previous_occasion(dt.date(2026, 12, 22), REGULATION) == dt.date(2026, 11, 7)


def test_occasions_around_today():
    around = occasions_around(dt.date(2026, 11, 27), REGULATION, before=2, after=2)
    assert around == [
        dt.date(2026, 9, 2),
        dt.date(2026, 11, 7),
        dt.date(2027, 2, 3),
        dt.date(2027, 5, 19),
    ]


@pytest.mark.django_db
def test_rules_in_force_on_the_occasion():
    r = badge_rules(dt.date(2026, 9, 2))
    assert r.tier_list == [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
    assert r.early_rule(65) == r.early_low and r.early_rule(70) == r.early_high
    assert int(r.defer_warning) == 6 and int(r.defer_dismissal) == 12
    assert r.month_days() == REGULATION


def test_seeded_occasions_are_the_regulation_ones():
    """badge.occasions is month-day: 3/2 is "02-03" (it was seeded as "03-02", 2 March)."""
    from dangvu.core.rules_seed import RULES

    seeded = next(r for r in RULES if r[0] == "badge.occasions")
    assert parse_occasions(seeded[1]) == REGULATION
