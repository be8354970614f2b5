"""committee_member_count: the denominator of the admission rule "committee vote ≥ 2/3"."""

import datetime as dt

import pytest

from dangvu.committees.selectors import committee_member_count
from dangvu.committees.services import seat_end, seat_fill

from .conftest import T0

pytestmark = pytest.mark.django_db


def test_none_without_committee(tree):
    assert committee_member_count(tree["GC1"], T0) is None


def test_counts_seats_held_on_the_date(tree, staff, committee):
    people = staff(tree["C11"], official=9)
    c = committee(tree["C11"], {"secretary": 1, "deputy_secretary": 1, "member": 3})
    assert committee_member_count(tree["C11"], T0) == 0
    seats = [
        seat_fill(actor=None, committee=c, member=p, position=pos, start_date=T0)
        for p, pos in zip(
            people, ["secretary", "deputy_secretary", "member", "member"], strict=False
        )
    ]
    assert committee_member_count(tree["C11"], T0) == 4
    seat_end(actor=None, seat=seats[3], end_date=T0 + dt.timedelta(days=30), reason="transferred")
    assert committee_member_count(tree["C11"], T0 + dt.timedelta(days=29)) == 4
    assert committee_member_count(tree["C11"], T0 + dt.timedelta(days=30)) == 3
    # before the term: no committee recorded
    assert committee_member_count(tree["C11"], T0 - dt.timedelta(days=1)) is None
