"""FieldCheck gives the errors (and cleaned values) of Member.full_clean for a new row."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvu.dataio.fieldcheck import FieldCheck
from dangvu.members.models import Member

EXCLUDE = ["organization", "user", "photo"]

BASE = {
    "full_name": "Nguyễn Văn An",
    "gender": "male",
    "date_of_birth": dt.date(1985, 3, 10),
    "admission_date": dt.date(2010, 5, 19),
    "official_date": dt.date(2011, 5, 19),
    "status": "official",
    "card_number": "79000001",
    "citizen_id": "001085000001",
}

CASES = [
    {},
    {"full_name": "x" * 121},
    {"full_name": ""},
    {"email": "khong-phai-email"},
    {"email": "an@example.vn"},
    {"phone": "0" * 21},
    {"gender": "other"},
    {"ethnicity": "Không có"},
    {"religion": ""},
    {"general_education": "thpt", "professional_degree": "doctor"},
    {"date_of_birth": dt.datetime(1985, 3, 10, 8, 30)},  # cleaned to a date
    {"official_date": None, "status": "probationary"},
    {"card_number": "1" * 21, "email": "@", "address": "đ" * 256},  # three fields at once
    {"hometown": "Xã Đông Hội, huyện Đông Anh", "other_names": "Tư"},
]


def _full_clean(values):
    member = Member(organization_id=1, **values)
    try:
        member.full_clean(exclude=EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict, member
    return {}, member


@pytest.mark.parametrize("overrides", CASES)
def test_same_errors_and_values_as_full_clean(overrides):
    values = {**BASE, **overrides}
    expected, member = _full_clean(values)
    check = FieldCheck(Member, EXCLUDE)
    assert check.usable
    mine = dict(values)
    errors = check.errors(mine)
    got = ValidationError(errors).message_dict if errors else {}
    assert got == expected
    assert list(got) == list(expected)  # field order
    if not expected:
        assert all(mine[k] == getattr(member, k) for k in mine)
        assert type(mine["date_of_birth"]) is dt.date


def test_a_model_with_its_own_clean_is_left_to_full_clean():
    class WithClean:  # a model defining clean(): FieldCheck cannot stand in for full_clean
        _meta = Member._meta

        def clean(self):
            raise ValidationError("model-wide rule")

    assert FieldCheck(WithClean, EXCLUDE).usable is False
