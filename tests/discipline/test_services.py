"""Recording and lifting discipline decisions (discipline.services)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvu.discipline import services
from dangvu.discipline.models import DisciplineCase
from dangvu.members import services as members

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(tree, make_member):
    return make_member(tree["C11"], admission_date=dt.date(2010, 5, 19))


def create(member, **kw):
    data = dict(
        actor=None,
        member=member,
        form="warning",
        decided_on=dt.date(2026, 3, 1),
        decision_number="12-QĐ/UBKT",
        deciding_body="Ủy ban Kiểm tra Đảng ủy Khối",
        reason="Vi phạm quy định về những điều đảng viên không được làm",
    )
    data.update(kw)
    return services.discipline_case_create(**data)


def refused(fn, *args, **kw) -> dict:
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kw)
    return exc.value.message_dict


def test_case_recorded_and_audited(member, users):
    case = create(member, actor=users["kiemtra"])
    assert case.in_force_on(dt.date(2026, 3, 1)) and not case.in_force_on(dt.date(2026, 2, 28))
    assert case.history.get().history_user == users["kiemtra"]
    assert DisciplineCase.objects.in_force(dt.date(2026, 6, 1)).get() == case


def test_expulsion_is_recorded_without_changing_the_status(member):
    create(member, form="expulsion")
    member.refresh_from_db()
    assert member.status == "official"


def test_bad_input_names_every_field_and_writes_nothing(member):
    errors = refused(
        create,
        member,
        form="banish",
        decided_on=dt.date(2099, 1, 1),
        decision_number=" ",
        deciding_body="",
        reason="",
    )
    assert set(errors) == {"form", "decided_on", "decision_number", "deciding_body", "reason"}
    assert "tương lai" in errors["decided_on"][0]
    assert not DisciplineCase.objects.exists()


def test_decision_before_admission_refused(member):
    errors = refused(create, member, decided_on=dt.date(2009, 1, 1))
    assert "trước ngày vào Đảng" in errors["decided_on"][0]


def test_probationary_member_only_reprimand_or_warning(tree, make_member):
    m = make_member(tree["C11"], admission_date=dt.date(2026, 1, 10), official_date=None)
    errors = refused(create, m, form="dismissal", decided_on=dt.date(2026, 6, 1))
    assert "dự bị" in errors["form"][0]
    assert create(m, form="warning", decided_on=dt.date(2026, 6, 1)).form == "warning"


def test_not_on_the_roll_that_day_refused(member):
    members.member_remove(
        actor=None, member=member, date=dt.date(2025, 1, 1), decision_number="3-QĐ"
    )
    errors = refused(create, member, decided_on=dt.date(2025, 6, 1))
    assert "không còn sinh hoạt" in errors["decided_on"][0]


def test_same_decision_number_once_per_member(member):
    create(member)
    errors = refused(create, member, decision_number="12-qđ/ubkt")
    assert "đã được ghi" in errors["decision_number"][0]
    assert DisciplineCase.objects.count() == 1


def test_lift_and_its_checks(member):
    case = create(member)
    errors = refused(
        services.discipline_case_lift,
        actor=None,
        case=case,
        lifted_on=dt.date(2026, 2, 1),
        note="",
    )
    assert set(errors) == {"lifted_on", "note"}
    case.refresh_from_db()
    assert case.lifted_on is None
    services.discipline_case_lift(
        actor=None, case=case, lifted_on=dt.date(2026, 5, 1), note="QĐ 5-QĐ/UBKTTW"
    )
    case.refresh_from_db()
    assert case.lifted_on == dt.date(2026, 5, 1) and not case.in_force_on(dt.date(2026, 5, 1))
    errors = refused(
        services.discipline_case_lift,
        actor=None,
        case=case,
        lifted_on=dt.date(2026, 6, 1),
        note="x",
    )
    assert "đã hết hiệu lực" in errors["lifted_on"][0]
