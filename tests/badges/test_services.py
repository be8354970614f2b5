"""Recording awards and early-award proposals (badges.services): every refusal names its field,
cites the rule, and writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvu.badges import services
from dangvu.badges.models import BadgeAward, BadgeProposal
from dangvu.core.dates import add_months
from dangvu.discipline import services as discipline
from dangvu.members import services as members

from .conftest import OCC

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 8, 20)


def record(member, tier=30, **kw):
    data = dict(
        actor=None,
        member=member,
        tier=tier,
        occasion=OCC,
        decision_number="125-QĐ/ĐUK",
        awarded_on=DECIDED,
    )
    data.update(kw)
    return services.badge_award_create(**data)


def refused(fn, *args, **kw) -> dict:
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kw)
    return exc.value.message_dict


def test_award_recorded_with_its_history(member_at, users):
    m = member_at(dt.date(1996, 8, 1))
    a = record(m, actor=users["tochuc"])
    assert (a.tier, a.occasion, a.early_reason) == (30, OCC, "none")
    assert a.history.get().history_user == users["tochuc"]


def test_not_yet_reached_refused_with_the_rule(member_at):
    m = member_at(dt.date(1996, 9, 3))
    errors = refused(record, m)
    assert "chưa đủ 30 năm" in errors["tier"][0] and "03/09/2026" in errors["tier"][0]
    assert "HD 01-HD/TW" in errors["tier"][0]
    assert not BadgeAward.objects.exists()


def test_tier_must_be_one_of_the_rulebook(member_at):
    m = member_at(dt.date(1990, 1, 1))
    errors = refused(record, m, tier=35)
    assert "không phải là mốc" in errors["tier"][0]
    assert not BadgeAward.objects.exists()


def test_same_tier_twice_refused(member_at):
    m = member_at(dt.date(1996, 8, 1))
    record(m)
    errors = refused(record, m, decision_number="130-QĐ/ĐUK")
    assert "đã được tặng Huy hiệu 30 năm" in errors["tier"][0]
    assert BadgeAward.objects.count() == 1


def test_bad_input_names_the_fields_and_writes_nothing(member_at):
    m = member_at(dt.date(1996, 8, 1))
    errors = refused(record, m, decision_number="  ", awarded_on=dt.date(2030, 1, 1))
    assert set(errors) >= {"decision_number", "awarded_on"}
    errors = refused(record, m, occasion=None, awarded_on=None)
    assert set(errors) >= {"occasion", "awarded_on"}
    assert not BadgeAward.objects.exists()


def test_serious_illness_limit(member_at):
    ok = member_at(dt.date(1997, 9, 2))  # 30 years on 02/09/2027: 12 months early
    late = member_at(dt.date(1997, 9, 3))
    assert record(ok, early_reason="serious_illness").early_reason == "serious_illness"
    errors = refused(record, late, early_reason="serious_illness")
    assert "tối đa 12 tháng" in errors["tier"][0]
    reached = member_at(dt.date(1996, 1, 1))
    errors = refused(record, reached, early_reason="serious_illness")
    assert "không phải trường hợp xét sớm" in errors["early_reason"][0]


def test_posthumous_only_for_the_deceased(member_at):
    living = member_at(dt.date(1997, 1, 1))
    errors = refused(record, living, early_reason="posthumous")
    assert "đã từ trần" in errors["early_reason"][0]
    dead = member_at(dt.date(1997, 6, 1))
    members.member_record_death(actor=None, member=dead, date=dt.date(2026, 7, 1))
    dead.refresh_from_db()
    errors = refused(record, dead)  # not posthumous
    assert "truy tặng" in errors["early_reason"][0]
    assert record(dead, early_reason="posthumous").early_reason == "posthumous"
    dead2 = member_at(dt.date(1997, 7, 2))  # 30 years 12 months and 1 day after the death
    members.member_record_death(actor=None, member=dead2, date=dt.date(2026, 7, 1))
    dead2.refresh_from_db()
    errors = refused(record, dead2, early_reason="posthumous")
    assert "Truy tặng mốc 30 năm: tối đa 12 tháng" in errors["tier"][0]


def test_discipline_deferral_refuses_and_cites(member_at):
    m = member_at(dt.date(1996, 8, 1))
    discipline.discipline_case_create(
        actor=None,
        member=m,
        form="warning",
        decided_on=add_months(OCC, -6) + dt.timedelta(days=1),
        decision_number="7-QĐ/UBKT",
        deciding_body="UBKT",
        reason="Vi phạm",
    )
    errors = refused(record, m)
    assert "xét lại sau 6 tháng" in errors["member"][0]
    assert "QĐ 29-QĐ/TW" in errors["member"][0]
    assert not BadgeAward.objects.exists()


def test_several_awards_all_or_nothing(member_at):
    a = member_at(dt.date(1996, 8, 1))
    b = member_at(dt.date(1996, 8, 2))
    early = member_at(dt.date(1996, 12, 1))  # not reached, not early either
    common = dict(actor=None, occasion=OCC, decision_number="140-QĐ/ĐUK", awarded_on=DECIDED)
    errors = refused(
        services.badge_awards_record,
        picks=[(a, 30, "none"), (b, 30, "none"), (early, 30, "none")],
        **common,
    )
    assert len(errors["members"]) == 1 and early.full_name in errors["members"][0]
    assert not BadgeAward.objects.exists()
    done = services.badge_awards_record(picks=[(a, 30, "none"), (b, 30, "none")], **common)
    assert len(done) == 2 and BadgeAward.objects.count() == 2
    errors = refused(services.badge_awards_record, picks=[], **common)
    assert "Chưa chọn" in errors["members"][0]


def test_proposal_opens_and_closes_with_the_award(member_at):
    m = member_at(dt.date(1997, 6, 1))
    p = services.badge_proposal_create(
        actor=None, member=m, proposed_on=dt.date(2026, 8, 1), note="Bệnh hiểm nghèo"
    )
    errors = refused(
        services.badge_proposal_create,
        actor=None,
        member=m,
        proposed_on=dt.date(2026, 8, 2),
        note="x",
    )
    assert "đang mở" in errors["member"][0]
    record(m, early_reason="serious_illness")
    p.refresh_from_db()
    assert p.closed_on == DECIDED


def test_proposal_bad_input_and_withdraw(member_at):
    m = member_at(dt.date(1997, 6, 1))
    errors = refused(
        services.badge_proposal_create,
        actor=None,
        member=m,
        proposed_on=dt.date(2030, 1, 1),
        note=" ",
    )
    assert set(errors) == {"proposed_on", "note"}
    assert not BadgeProposal.objects.exists()
    p = services.badge_proposal_create(
        actor=None, member=m, proposed_on=dt.date(2026, 8, 1), note="Bệnh nặng"
    )
    services.badge_proposal_withdraw(actor=None, proposal=p, date=dt.date(2026, 8, 5))
    p.refresh_from_db()
    assert p.closed_on == dt.date(2026, 8, 5)
    errors = refused(
        services.badge_proposal_withdraw, actor=None, proposal=p, date=dt.date(2026, 8, 6)
    )
    assert "đã kết thúc" in errors["date"][0]
