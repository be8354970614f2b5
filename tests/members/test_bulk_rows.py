"""The import's fast paths give what the per-row code gives: MemberDataChecker the errors of
validate_member_data, bulk_register_rows the rows (and history rows) of bulk_register."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from dangvu.members.bulk import bulk_register, bulk_register_rows
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.members.services import MemberDataChecker, validate_member_data

from ..conftest import member_data

pytestmark = pytest.mark.django_db

FUTURE = dt.date(2090, 1, 1)

CASES = [
    {},
    {"citizen_id": "123"},
    {"citizen_id": "999185000001"},
    {"gender": "female"},  # the CCCD says male
    {"date_of_birth": dt.date(1995, 1, 1), "admission_date": dt.date(2012, 1, 1)},
    {"official_date": dt.date(2010, 6, 1)},  # before the end of the probation
    {"date_of_birth": FUTURE},
    {"admission_date": FUTURE, "official_date": None},
    {"official_date": FUTURE},
    # invalid in two or three ways at once: every message, in the same order
    {"citizen_id": "123", "official_date": dt.date(2010, 6, 1)},
    {"admission_date": dt.date(2000, 1, 1), "official_date": dt.date(2000, 3, 1)},
    {"date_of_birth": FUTURE, "admission_date": FUTURE, "official_date": FUTURE},
    {"citizen_id": "", "admission_date": None, "official_date": None},
]


def _reference(data) -> dict:
    try:
        validate_member_data(data, check_unique=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.mark.parametrize("overrides", CASES)
def test_checker_reports_what_validate_member_data_reports(overrides):
    data = member_data(**overrides)
    checker = MemberDataChecker()
    expected = _reference(data)
    got = checker.errors(data)
    assert (ValidationError(got).message_dict if got else {}) == expected
    assert list(got) == list(expected)
    # asked again (rules memoised by date): the same answer
    assert checker.errors(data) == got


def test_checker_reports_two_problems_of_one_row():
    data = member_data(citizen_id="123", official_date=dt.date(2010, 6, 1))
    got = MemberDataChecker().errors(data)
    assert set(got) == {"citizen_id", "official_date"}
    assert "12 chữ số" in got["citizen_id"][0]
    assert "12 tháng dự bị" in got["official_date"][0]


def _snapshot(member_ids):
    members = Member.objects.filter(pk__in=member_ids).order_by("card_number")
    skip = {"id", "created_at", "updated_at"}
    out = []
    for m in members:
        row = {k: v for k, v in model_to_dict(m).items() if k not in skip}
        row["search_text"], row["name_sort"] = m.search_text, m.name_sort
        row["events"] = [
            {k: v for k, v in model_to_dict(e).items() if k not in {"id", "member"}}
            for e in m.events.order_by("date", "kind")
        ]
        row["memberships"] = [
            {k: v for k, v in model_to_dict(x).items() if k not in {"id", "member"}}
            for x in m.memberships.all()
        ]
        hist = []
        for model, key in ((Member, "id"), (MemberEvent, "member_id"), (Membership, "member_id")):
            for h in model.history.filter(**{key: m.pk}).order_by("history_id"):
                hist.append(
                    (
                        model.__name__,
                        h.history_type,
                        h.history_user_id,
                        h.source,
                        h.ip_address,
                        h.history_change_reason,
                    )
                )
        row["history"] = hist
        row["member_history"] = {
            k: v
            for k, v in model_to_dict(Member.history.get(id=m.pk)).items()
            if k not in {"id", "history_id", "history_date", "created_at"}
        }
        out.append(row)
    return out


def _strip_keys(rows):
    """The same rows apart from the card number and CCCD (unique, so different in each run)."""
    for r in rows:
        for k in ("card_number", "citizen_id", "search_text"):
            r.pop(k)
        r["member_history"].pop("card_number")
        r["member_history"].pop("citizen_id")
    return rows


def test_bulk_register_rows_writes_the_rows_of_bulk_register(tree, admin_user):
    def batch():
        return [
            member_data(full_name="Đỗ Thị Ánh", other_names="Ánh", official_date=None),
            member_data(full_name="Nguyễn Hữu Định", phone="0912345678"),
        ]

    hist = {
        "default_user": admin_user,
        "history_attrs": {"ip_address": "10.1.1.1", "source": "import"},
    }
    org = tree["C11"]
    ref = bulk_register([Member(organization=org, **d) for d in batch()], **hist)
    rows = [{"organization_id": org.pk, **d} for d in batch()]
    ids = bulk_register_rows(rows, **hist)
    assert len(ids) == 2 and all(ids)
    assert _strip_keys(_snapshot(ids)) == _strip_keys(_snapshot([m.pk for m in ref]))
    new = Member.objects.filter(pk__in=ids).order_by("card_number")
    for m in new:  # derived columns as the model computes them
        expected_text, expected_sort = m.search_text, m.name_sort
        m.refresh_derived()
        assert (m.search_text, m.name_sort) == (expected_text, expected_sort)
    assert [m.status for m in new] == ["probationary", "official"]
