import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvu.members import services
from dangvu.members.choices import MemberStatus
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.members.selectors import members_as_of, party_age
from tests.conftest import member_data

pytestmark = pytest.mark.django_db


def test_create_records_admission_and_official_events(tree, make_member):
    m = make_member(tree["C11"])
    assert m.status == MemberStatus.OFFICIAL
    kinds = list(m.events.values_list("kind", flat=True))
    assert kinds == ["admitted", "recognised_official"]
    assert Membership.objects.filter(member=m, valid_to__isnull=True).count() == 1


def test_admission_before_18th_birthday_in_months_is_refused_and_nothing_saved(tree):
    # Rule admission.min_age_months = 216: born 10/06/1990, admitted 09/06/2008 is one day short.
    data = member_data(
        date_of_birth=dt.date(1990, 6, 10), admission_date=dt.date(2008, 6, 9), official_date=None
    )
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, organization=tree["C11"], data=data)
    assert "admission_date" in exc.value.message_dict
    assert "18 tuổi" in exc.value.message_dict["admission_date"][0]
    assert "Quy định 232-QĐ/TW" in exc.value.message_dict["admission_date"][0]
    assert Member.objects.count() == 0 and MemberEvent.objects.count() == 0


def test_admission_on_18th_birthday_is_accepted(tree):
    data = member_data(
        date_of_birth=dt.date(1990, 6, 10), admission_date=dt.date(2008, 6, 10), official_date=None
    )
    m = services.member_create(actor=None, organization=tree["C11"], data=data)
    assert m.status == MemberStatus.PROBATIONARY


def test_official_date_must_be_after_twelve_months_probation(tree):
    data = member_data(admission_date=dt.date(2020, 3, 1), official_date=dt.date(2021, 2, 28))
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, organization=tree["C11"], data=data)
    assert "official_date" in exc.value.message_dict
    assert Member.objects.count() == 0


def test_future_dates_refused(tree):
    future = dt.date.today() + dt.timedelta(days=3)
    data = member_data(admission_date=future, official_date=None)
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, organization=tree["C11"], data=data)
    assert "admission_date" in exc.value.message_dict
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    "citizen_id,fragment",
    [
        ("12345", "12 chữ số"),
        ("003085000001", "mã tỉnh"),
        ("001185000001", "giới tính"),
        ("001090000001", "năm sinh"),
    ],
)
def test_invalid_citizen_id_refused(tree, citizen_id, fragment):
    data = member_data(citizen_id=citizen_id, date_of_birth=dt.date(1985, 1, 1), gender="male")
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, organization=tree["C11"], data=data)
    assert fragment in " ".join(exc.value.message_dict["citizen_id"])
    assert Member.objects.count() == 0


def test_duplicate_card_number_and_citizen_id_refused(tree, make_member):
    first = make_member(tree["C11"])
    data = member_data(card_number=first.card_number)
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, organization=tree["C12"], data=data)
    assert "card_number" in exc.value.message_dict
    data = member_data(citizen_id=first.citizen_id, date_of_birth=first.date_of_birth)
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, organization=tree["C12"], data=data)
    assert "citizen_id" in exc.value.message_dict
    assert Member.objects.count() == 1


def test_recognition_takes_effect_exactly_at_twelve_months(tree):
    admitted = dt.date.today().replace(day=1) - dt.timedelta(days=500)
    data = member_data(
        admission_date=admitted, official_date=None, date_of_birth=dt.date(1995, 1, 1)
    )
    m = services.member_create(actor=None, organization=tree["C11"], data=data)
    ev = services.member_recognise_official(actor=None, member=m, decision_number="12-QĐ/ĐU")
    m.refresh_from_db()
    from dangvu.core.dates import add_months

    assert m.status == MemberStatus.OFFICIAL
    assert ev.date == m.official_date == add_months(admitted, 12)


def test_recognition_before_probation_ends_refused(tree):
    admitted = dt.date.today() - dt.timedelta(days=100)
    data = member_data(
        admission_date=admitted, official_date=None, date_of_birth=dt.date(1995, 1, 1)
    )
    m = services.member_create(actor=None, organization=tree["C11"], data=data)
    with pytest.raises(ValidationError):
        services.member_recognise_official(actor=None, member=m, decision_number="12-QĐ/ĐU")
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY
    assert m.events.count() == 1


def test_party_age_excludes_gap_between_removal_and_readmission(tree, make_member):
    m = make_member(
        tree["C11"],
        date_of_birth=dt.date(1975, 2, 2),
        admission_date=dt.date(2000, 1, 1),
        official_date=dt.date(2001, 1, 1),
    )
    services.member_remove(actor=None, member=m, date=dt.date(2005, 1, 1), decision_number="1-QĐ")
    services.member_readmit(actor=None, member=m, date=dt.date(2007, 1, 1), decision_number="2-QĐ")
    age = party_age(m, on=dt.date(2020, 1, 1))
    # 2000-2005 (5 years) + 2007-2020 (13 years) = 18 years; the 2-year gap is excluded.
    assert age.years == 18
    assert age.gap_days == (dt.date(2007, 1, 1) - dt.date(2005, 1, 1)).days


def test_transfer_out_of_system_then_back(tree, make_member):
    m = make_member(tree["C11"])
    services.member_transfer_out(
        actor=None,
        member=m,
        date=dt.date(2022, 1, 10),
        decision_number="9-QĐ",
        external_place="Tỉnh ủy Bình Định",
    )
    m.refresh_from_db()
    assert m.status == MemberStatus.TRANSFERRED_OUT
    assert not members_as_of(tree["C11"], dt.date(2022, 2, 1)).filter(pk=m.pk).exists()
    assert members_as_of(tree["C11"], dt.date(2021, 12, 1)).filter(pk=m.pk).exists()
    services.member_transfer_in(
        actor=None,
        member=m,
        organization=tree["C21"],
        date=dt.date(2023, 1, 5),
        decision_number="10-QĐ",
    )
    m.refresh_from_db()
    assert m.status == MemberStatus.OFFICIAL and m.organization == tree["C21"]
    assert party_age(m, on=dt.date(2023, 6, 1)).gap_days == 0


def test_internal_official_transfer_moves_membership(tree, make_member):
    m = make_member(tree["C11"])
    services.member_transfer_out(
        actor=None,
        member=m,
        date=dt.date(2022, 1, 10),
        decision_number="9-QĐ",
        to_organization=tree["C21"],
    )
    m.refresh_from_db()
    assert m.organization == tree["C21"] and m.status == MemberStatus.OFFICIAL
    assert members_as_of(tree["C21"], dt.date(2022, 1, 10)).filter(pk=m.pk).exists()
    assert not members_as_of(tree["C11"], dt.date(2022, 1, 10)).filter(pk=m.pk).exists()


def test_temporary_transfer_keeps_home_headcount(tree, make_member):
    m = make_member(tree["C11"])
    services.member_transfer_out(
        actor=None,
        member=m,
        date=dt.date(2022, 1, 10),
        decision_number="9-QĐ",
        kind="temporary",
        to_organization=tree["C21"],
    )
    m.refresh_from_db()
    assert m.organization == tree["C11"]
    on = dt.date(2022, 3, 1)
    assert members_as_of(tree["C11"], on).filter(pk=m.pk).exists()
    assert not members_as_of(tree["C21"], on).filter(pk=m.pk).exists()
    assert members_as_of(tree["C21"], on, include_temporary=True).filter(pk=m.pk).exists()


def test_status_changes_need_a_decision_number(tree, make_member):
    m = make_member(tree["C11"])
    with pytest.raises(ValidationError) as exc:
        services.member_remove(actor=None, member=m, date=dt.date(2022, 1, 1), decision_number="")
    assert "decision_number" in exc.value.message_dict
    m.refresh_from_db()
    assert m.status == MemberStatus.OFFICIAL


def test_exemption_and_death(tree, make_member):
    m = make_member(tree["C11"])
    services.member_grant_exemption(
        actor=None, member=m, date=dt.date(2022, 1, 1), decision_number="3-QĐ/CB"
    )
    m.refresh_from_db()
    assert m.status == MemberStatus.EXEMPT
    assert members_as_of(tree["C11"], dt.date(2022, 6, 1)).filter(pk=m.pk).exists()
    services.member_record_death(actor=None, member=m, date=dt.date(2023, 1, 1))
    m.refresh_from_db()
    assert m.status == MemberStatus.DECEASED
    assert not members_as_of(tree["C11"], dt.date(2023, 6, 1)).filter(pk=m.pk).exists()


def test_card_reissue_rejects_duplicate(tree, make_member):
    a = make_member(tree["C11"])
    b = make_member(tree["C11"])
    with pytest.raises(ValidationError):
        services.member_reissue_card(
            actor=None, member=b, date=dt.date(2025, 9, 1), new_card_number=a.card_number
        )
    services.member_reissue_card(
        actor=None, member=b, date=dt.date(2025, 9, 1), new_card_number="88000001"
    )
    b.refresh_from_db()
    assert b.card_number == "88000001"


def test_update_with_a_stale_copy_does_not_undo_a_transfer(tree, make_member):
    m = make_member(tree["C11"])
    stale = Member.objects.get(pk=m.pk)
    services.member_transfer_out(
        actor=None,
        member=m,
        date=dt.date(2024, 1, 1),
        decision_number="9",
        to_organization=tree["C21"],
    )
    services.member_update(actor=None, member=stale, data={"phone": "0900000000"})
    m.refresh_from_db()
    assert m.organization_id == tree["C21"].pk and m.phone == "0900000000"
