"""Admission steps: every rule of the rulebook with its boundary cases, order and dates, and the
proof that a refused step writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangvu.admission import selectors, services
from dangvu.admission.choices import CandidateStatus, IntroducerKind, StepKind
from dangvu.admission.models import AdmissionStep, AdmissionTarget, Candidate, Introducer
from dangvu.core.models import Holiday
from dangvu.members.models import Member, MemberEvent
from dangvu.organizations.models import Organization

from .conftest import DATES, step_fields

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return (
        Candidate.objects.count(),
        AdmissionStep.objects.count(),
        Introducer.objects.count(),
        Member.objects.count(),
        MemberEvent.objects.count(),
        Candidate.history.count(),
    )


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---- candidate record ------------------------------------------------------------------------


def test_candidate_must_be_prepared_by_a_cell(tree):
    from .conftest import candidate_data

    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.candidate_create(actor=None, organization=tree["GC1"], data=candidate_data())
    assert "organization" in exc.value.message_dict
    assert "chi bộ" in messages(exc.value)
    assert counts() == before


def test_bad_profile_names_fields_and_writes_nothing(tree):
    from .conftest import candidate_data

    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.candidate_create(
            actor=None,
            organization=tree["C11"],
            data=candidate_data(full_name=" ", date_of_birth=D(2099, 1, 1), citizen_id="12345"),
        )
    assert {"full_name", "date_of_birth", "citizen_id"} <= set(exc.value.message_dict)
    assert counts() == before


def test_citizen_id_of_a_member_is_refused(tree, make_member):
    from .conftest import candidate_data

    m = make_member(tree["C11"])
    with pytest.raises(ValidationError) as exc:
        services.candidate_create(
            actor=None,
            organization=tree["C11"],
            data=candidate_data(
                citizen_id=m.citizen_id, date_of_birth=m.date_of_birth, gender=m.gender
            ),
        )
    assert "đảng viên" in exc.value.message_dict["citizen_id"][0]


# ---- order and dates -------------------------------------------------------------------------


def test_steps_in_order_only(make_candidate):
    c = make_candidate()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.step_record(
            actor=None, candidate=c, kind=StepKind.APPLICATION, date=DATES[StepKind.APPLICATION]
        )
    assert "Học lớp bồi dưỡng nhận thức" in exc.value.message_dict["kind"][0]
    assert counts() == before


def test_date_not_in_future_nor_before_previous_step(make_candidate):
    c = make_candidate()
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.record_awareness(actor=None, candidate=c, date=tomorrow, decision_number="1")
    assert "tương lai" in exc.value.message_dict["date"][0]
    services.record_awareness(actor=None, candidate=c, date=D(2024, 1, 10), decision_number="1")
    with pytest.raises(ValidationError) as exc:
        services.record_application(actor=None, candidate=c, date=D(2024, 1, 9))
    assert "10/01/2024" in exc.value.message_dict["date"][0]


def test_awareness_needs_the_certificate(make_candidate):
    c = make_candidate()
    with pytest.raises(ValidationError) as exc:
        services.record_awareness(actor=None, candidate=c, date=D(2024, 1, 10))
    assert "giấy chứng nhận" in exc.value.message_dict["decision_number"][0]


# ---- age: admission.min_age_months / admission.max_age_months ----------------------------------


def _to_background(walk, make_candidate, **profile):
    return walk(make_candidate(**profile), upto=StepKind.BACKGROUND_CHECK)


def test_min_age_months_the_18th_birthday_month(walk, make_candidate):
    """admission.min_age_months (216): 18 full years in months on the cell's consideration day."""
    vote_day = DATES[StepKind.CELL_VOTE]  # 01/03/2024
    young = _to_background(walk, make_candidate, date_of_birth=D(2006, 3, 2))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.record_cell_vote(actor=None, candidate=young, date=vote_day, votes_for=9)
    text = exc.value.message_dict["date_of_birth"][0]
    assert "Chưa đủ 18 tuổi" in text and "17 tuổi 11 tháng" in text and "02/03/2024" in text
    assert "Quy định 232-QĐ/TW" in text
    assert counts() == before
    # born on 01/03/2006: 18 on the very day of the vote
    ok = _to_background(walk, make_candidate, date_of_birth=D(2006, 3, 1))
    services.record_cell_vote(actor=None, candidate=ok, date=vote_day, votes_for=9)
    ok.refresh_from_db()
    assert ok.current_step == StepKind.CELL_VOTE


def test_max_age_months_60_years(walk, make_candidate):
    """admission.max_age_months (720): full 60 passes on the 60th birthday, a month later not."""
    vote_day = DATES[StepKind.CELL_VOTE]
    sixty = _to_background(walk, make_candidate, date_of_birth=D(1964, 3, 1))
    services.record_cell_vote(actor=None, candidate=sixty, date=vote_day, votes_for=9)
    older = _to_background(walk, make_candidate, date_of_birth=D(1964, 2, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_cell_vote(actor=None, candidate=older, date=vote_day, votes_for=9)
    assert "Quá 60 tuổi" in exc.value.message_dict["date_of_birth"][0]


def test_min_education(walk, make_candidate):
    """admission.min_education: lower-secondary (THCS) or higher."""
    low = _to_background(walk, make_candidate, general_education="primary")
    with pytest.raises(ValidationError) as exc:
        services.record_cell_vote(
            actor=None, candidate=low, date=DATES[StepKind.CELL_VOTE], votes_for=9
        )
    assert "trung học cơ sở" in exc.value.message_dict["general_education"][0]
    thcs = _to_background(walk, make_candidate, general_education="thcs")
    services.record_cell_vote(
        actor=None, candidate=thcs, date=DATES[StepKind.CELL_VOTE], votes_for=9
    )


# ---- introducers -----------------------------------------------------------------------------


def _awareness_application(c):
    services.record_awareness(actor=None, candidate=c, date=D(2024, 1, 10), decision_number="1")
    services.record_application(actor=None, candidate=c, date=D(2024, 1, 20))


def test_introducers_default_two_official_members(make_candidate, cell_staff):
    """admission.introducers_default (2)."""
    c = make_candidate()
    _awareness_application(c)
    services.introducer_add(
        actor=None, candidate=c, kind="party_member", member=cell_staff[0], months_together=12
    )
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.record_introducers(actor=None, candidate=c, date=D(2024, 2, 1))
    assert "Cần 2 đảng viên chính thức" in exc.value.message_dict["introducers"][0]
    assert counts() == before
    services.introducer_add(
        actor=None, candidate=c, kind="party_member", member=cell_staff[1], months_together=30
    )
    services.record_introducers(actor=None, candidate=c, date=D(2024, 2, 1))


def test_introducers_with_youth_union_resolution_plus_one(make_candidate, cell_staff):
    """admission.introducers_with_youth_union (1): the Youth Union resolution and one member."""
    c = make_candidate()
    _awareness_application(c)
    services.introducer_add(
        actor=None,
        candidate=c,
        kind=IntroducerKind.YOUTH_UNION,
        resolution_number="05-NQ/ĐTN",
        resolution_date=D(2024, 1, 25),
    )
    services.introducer_add(
        actor=None, candidate=c, kind="party_member", member=cell_staff[0], months_together=13
    )
    services.record_introducers(actor=None, candidate=c, date=D(2024, 2, 1))


def test_introducer_min_months_together_12(make_candidate, cell_staff):
    """admission.introducer_min_months_together: 12 passes, 11 refused, a replacement exempt."""
    c = make_candidate()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.introducer_add(
            actor=None, candidate=c, kind="party_member", member=cell_staff[0], months_together=11
        )
    assert "ít nhất 12 tháng" in exc.value.message_dict["months_together"][0]
    assert counts() == before
    services.introducer_add(
        actor=None, candidate=c, kind="party_member", member=cell_staff[0], months_together=12
    )
    services.introducer_add(
        actor=None,
        candidate=c,
        kind="party_member",
        member=cell_staff[1],
        months_together=2,
        is_replacement=True,
    )
    assert c.introducers.count() == 2


def test_introducer_must_be_official(make_candidate, tree, make_member):
    c = make_candidate()
    probationary = make_member(tree["C11"], admission_date=D(2026, 1, 10), official_date=None)
    with pytest.raises(ValidationError) as exc:
        services.introducer_add(
            actor=None, candidate=c, kind="party_member", member=probationary, months_together=20
        )
    assert "không phải đảng viên chính thức" in exc.value.message_dict["member"][0]


# ---- cell vote: admission.cell_vote_fraction --------------------------------------------------


def _cell(tree, make_member, official, probationary=0, code="C12"):
    org = tree[code]
    for _ in range(official):
        make_member(org)
    for _ in range(probationary):
        make_member(org, admission_date=D(2023, 6, 1), official_date=None)
    return org


@pytest.mark.parametrize(
    "official,probationary,votes,ok",
    [
        (9, 0, 6, True),  # exactly 2/3
        (9, 0, 5, False),
        (8, 0, 5, False),  # 5/8 < 2/3
        (8, 0, 6, True),
        (6, 3, 4, True),  # probationary members are not in the denominator: 4 of 6
        (6, 3, 3, False),
    ],
)
def test_cell_vote_fraction_two_thirds_of_official_members(
    tree, make_member, walk, make_candidate, official, probationary, votes, ok
):
    org = _cell(tree, make_member, official, probationary)
    c = walk(make_candidate(org=org), upto=StepKind.BACKGROUND_CHECK)
    before = counts()
    if ok:
        step = services.record_cell_vote(
            actor=None, candidate=c, date=DATES[StepKind.CELL_VOTE], votes_for=votes
        )
        assert step.votes_total == official and step.passed
    else:
        with pytest.raises(ValidationError) as exc:
            services.record_cell_vote(
                actor=None, candidate=c, date=DATES[StepKind.CELL_VOTE], votes_for=votes
            )
        text = exc.value.message_dict["votes_for"][0]
        assert f"{votes}/{official}" in text and "Điều lệ Đảng, Điều 4(3)" in text
        assert counts() == before


def test_more_votes_than_voters_refused(walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.BACKGROUND_CHECK)
    with pytest.raises(ValidationError) as exc:
        services.record_cell_vote(
            actor=None, candidate=c, date=DATES[StepKind.CELL_VOTE], votes_for=9, votes_against=1
        )
    assert "lớn hơn" in exc.value.message_dict["votes_for"][0]


# ---- committee vote: admission.committee_vote_fraction -----------------------------------------


@pytest.mark.parametrize("votes,total,ok", [(6, 9, True), (5, 8, False), (5, 9, False)])
def test_committee_vote_fraction(walk, make_candidate, votes, total, ok):
    c = walk(make_candidate(), upto=StepKind.CELL_VOTE)
    call = dict(
        actor=None,
        candidate=c,
        date=DATES[StepKind.COMMITTEE_VOTE],
        votes_for=votes,
        votes_total=total,
    )
    if ok:
        assert services.record_committee_vote(**call).passed
    else:
        with pytest.raises(ValidationError) as exc:
            services.record_committee_vote(**call)
        assert "HD 01-HD/TW" in exc.value.message_dict["votes_for"][0]


def test_committee_vote_uses_the_committee_size(walk, make_candidate, monkeypatch):
    """committee_member_count(org, on) when the committees module knows it, else the given total."""
    monkeypatch.setattr(selectors, "committee_size", lambda org, on: 12)
    c = walk(make_candidate(), upto=StepKind.CELL_VOTE)
    with pytest.raises(ValidationError) as exc:  # 7 of 12 < 2/3 even though 9 was typed
        services.record_committee_vote(
            actor=None,
            candidate=c,
            date=DATES[StepKind.COMMITTEE_VOTE],
            votes_for=7,
            votes_total=9,
        )
    assert "7/12" in exc.value.message_dict["votes_for"][0]


def test_committee_vote_needs_the_total_when_unknown(walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.CELL_VOTE)
    with pytest.raises(ValidationError) as exc:
        services.record_committee_vote(
            actor=None, candidate=c, date=DATES[StepKind.COMMITTEE_VOTE], votes_for=7
        )
    assert "votes_total" in exc.value.message_dict


def test_grassroots_cell_skips_the_committee_vote(tree, make_member, walk, make_candidate):
    for _ in range(5):
        make_member(tree["GCELL"])
    c = walk(
        make_candidate(org=tree["GCELL"]),
        upto=StepKind.CELL_VOTE,
        over={StepKind.CELL_VOTE: {"votes_for": 5}},
    )
    assert selectors.next_step(c) == StepKind.DECISION


def test_committee_vote_and_decision_need_scope_over_the_grassroots(walk, make_candidate, users):
    c = walk(make_candidate(), upto=StepKind.CELL_VOTE)
    with pytest.raises(PermissionDenied):
        services.record_committee_vote(
            actor=users["chibo"], candidate=c, **step_fields(StepKind.COMMITTEE_VOTE)
        )
    services.record_committee_vote(
        actor=users["bithu"], candidate=c, **step_fields(StepKind.COMMITTEE_VOTE)
    )


# ---- decision: admission.decision_working_days (60) ---------------------------------------------


def test_decision_within_60_working_days_with_a_holiday(walk, make_candidate):
    """Cell vote Fri 01/03/2024; with 30/04 as the year's only holiday, working day 60 after it
    is Mon 27/05/2024 (it would be Fri 24/05 without the holiday)."""
    from dangvu.core.workdays import add_working_days

    Holiday.objects.create(date=D(2024, 4, 30), name="Ngày Chiến thắng")
    assert add_working_days(D(2024, 3, 1), 60) == D(2024, 5, 27)
    ok = walk(make_candidate(), upto=StepKind.COMMITTEE_VOTE)
    services.record_decision(
        actor=None, candidate=ok, date=D(2024, 5, 27), decision_number="1-QĐ/ĐUK"
    )
    late = walk(make_candidate(), upto=StepKind.COMMITTEE_VOTE)
    late.refresh_from_db()
    assert late.next_due == D(2024, 5, 27)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.record_decision(
            actor=None, candidate=late, date=D(2024, 5, 28), decision_number="2-QĐ/ĐUK"
        )
    text = exc.value.message_dict["date"][0]
    assert "60 ngày làm việc" in text and "27/05/2024" in text and "232-QĐ/TW" in text
    assert counts() == before
    # the cell considers the candidate again: a new vote restarts the count
    assert selectors.reconsideration_allowed(late, D(2024, 5, 28))
    services.record_cell_vote(actor=None, candidate=late, date=D(2024, 5, 29), votes_for=9)
    late.refresh_from_db()
    assert late.cell_vote_date == D(2024, 5, 29)


def test_decision_needs_its_number(walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.COMMITTEE_VOTE)
    with pytest.raises(ValidationError) as exc:
        services.record_decision(
            actor=None, candidate=c, date=DATES[StepKind.DECISION], decision_number=" "
        )
    assert "decision_number" in exc.value.message_dict


# ---- ceremony: admission.ceremony_working_days (30); the member is created ---------------------


def _decided_on_friday(walk, make_candidate):
    # decision Fri 05/04/2024; day 30 and 31 counted by core.workdays (statutory holidays)
    return walk(
        make_candidate(),
        upto=StepKind.DECISION,
        over={StepKind.DECISION: {"date": D(2024, 4, 5)}},
    )


def test_ceremony_day_30_ok_day_31_needs_consent(walk, make_candidate):
    from dangvu.core.workdays import add_working_days

    day30 = add_working_days(D(2024, 4, 5), 30)
    day31 = add_working_days(D(2024, 4, 5), 31)
    ok = _decided_on_friday(walk, make_candidate)
    services.record_ceremony(actor=None, candidate=ok, date=day30)
    late = _decided_on_friday(walk, make_candidate)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.record_ceremony(actor=None, candidate=late, date=day31)
    assert "văn bản đồng ý" in exc.value.message_dict["consent_reference"][0]
    assert counts() == before
    step = services.record_ceremony(
        actor=None, candidate=late, date=day31, consent_reference="45-CV/ĐUK"
    )
    assert step.consent_reference == "45-CV/ĐUK"


def test_ceremony_creates_the_probationary_member_without_retyping(walk, make_candidate):
    c = walk(make_candidate(citizen_id=""), upto=StepKind.CEREMONY)
    m = c.member
    assert c.status == CandidateStatus.ADMITTED
    assert m.status == "probationary"
    assert m.full_name == c.full_name and m.date_of_birth == c.date_of_birth
    assert m.workplace == c.workplace and m.gender == c.gender
    # party age counts from the decision date (domain rules 1.1)
    assert m.admission_date == DATES[StepKind.DECISION]
    admitted = m.events.get(kind="admitted")
    assert admitted.decision_number == "125-QĐ/ĐUK" and admitted.date == DATES[StepKind.DECISION]
    assert m.organization == c.organization
    assert m.memberships.get().valid_from == DATES[StepKind.DECISION]
    # probation: 12 months from the ceremony
    assert c.probation_end == D(2025, 4, 15)


# ---- recognition -----------------------------------------------------------------------------


def test_recognition_effective_exactly_at_12_months(walk, make_candidate):
    """admission.probation_months: official from ceremony + 12 months, even when voted later."""
    c = walk(make_candidate(), upto=StepKind.CEREMONY)
    with pytest.raises(ValidationError) as exc:
        services.record_recognition(
            actor=None,
            candidate=c,
            date=D(2025, 4, 14),
            votes_for=9,
            decision_number="9-QĐ",
        )
    assert "15/04/2025" in exc.value.message_dict["date"][0]
    services.record_recognition(
        actor=None, candidate=c, date=D(2025, 5, 20), votes_for=9, decision_number="9-QĐ"
    )
    c.refresh_from_db()
    m = c.member
    m.refresh_from_db()
    assert c.status == CandidateStatus.OFFICIAL
    assert m.status == "official"
    assert m.official_date == D(2025, 4, 15)
    ev = m.events.get(kind="recognised_official")
    assert ev.date == D(2025, 4, 15) and ev.decision_number == "9-QĐ"


def test_recognition_excludes_the_probationary_member_from_the_denominator(walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.CEREMONY)
    # 9 official members in C11; the new probationary member does not count: 6 of 9 passes
    step = services.record_recognition(
        actor=None, candidate=c, date=D(2025, 4, 15), votes_for=6, decision_number="9-QĐ"
    )
    assert step.votes_total == 9 and step.passed


def test_three_failed_recognition_votes_escalate(walk, make_candidate):
    """admission.recognition_max_failed_votes (3)."""
    c = walk(make_candidate(), upto=StepKind.CEREMONY)
    for i, day in enumerate([D(2025, 4, 16), D(2025, 5, 16), D(2025, 6, 16)], start=1):
        step = services.record_recognition(actor=None, candidate=c, date=day, votes_for=5)
        c.refresh_from_db()
        assert step.passed is False
        assert c.failed_recognitions == i
        assert c.status == (CandidateStatus.ESCALATED if i == 3 else CandidateStatus.ADMITTED)
    assert "xóa tên" in step.notes and "QĐ 29-QĐ/TW" in step.notes
    assert c.member.status == "probationary"
    assert selectors.next_step(c) is None


def test_recognition_passed_needs_the_decision_number(walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.CEREMONY)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.record_recognition(actor=None, candidate=c, date=D(2025, 4, 15), votes_for=9)
    assert "decision_number" in exc.value.message_dict
    assert counts() == before


def test_full_walk_to_official(walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.RECOGNITION)
    assert c.status == CandidateStatus.OFFICIAL
    assert list(c.steps.values_list("kind", flat=True)) == [
        "awareness",
        "application",
        "introducers",
        "background_check",
        "cell_vote",
        "committee_vote",
        "decision",
        "ceremony",
        "recognition",
    ]


# ---- close, edit -----------------------------------------------------------------------------


def test_close_and_update(make_candidate, tree):
    c = make_candidate()
    services.candidate_update(actor=None, candidate=c, data={"phone": "0912345678"})
    with pytest.raises(ValidationError) as exc:
        services.candidate_close(
            actor=None, candidate=c, status="withdrawn", date=D(2024, 1, 1), reason=""
        )
    assert "reason" in exc.value.message_dict
    services.candidate_close(
        actor=None, candidate=c, status="withdrawn", date=D(2024, 1, 1), reason="Chuyển công tác"
    )
    c.refresh_from_db()
    assert c.status == "withdrawn" and selectors.next_step(c) is None


# ---- targets ---------------------------------------------------------------------------------


def test_target_set_and_progress_over_a_subtree(tree, make_member):
    services.target_set(actor=None, organization=tree["GC1"], year=2024, number=3)
    services.target_set(actor=None, organization=tree["C11"], year=2024, number=2)
    services.target_set(actor=None, organization=tree["GC2"], year=2024, number=5)
    services.target_set(actor=None, organization=tree["GC1"], year=2024, number=4)  # changed
    assert AdmissionTarget.objects.count() == 3
    make_member(tree["C11"], admission_date=D(2024, 3, 1), official_date=None)
    make_member(tree["C12"], admission_date=D(2024, 7, 1), official_date=None)
    make_member(tree["C21"], admission_date=D(2024, 7, 1), official_date=None)
    make_member(tree["C11"], admission_date=D(2023, 7, 1), official_date=None)
    p = selectors.progress(selectors.subtree_q(tree["GC1"]), 2024)
    assert (p.target, p.admitted, p.percent) == (6, 2, 33)
    rows = {
        o.code: (o.target_sum, o.admitted_n, o.own_target)
        for o in selectors.progress_rows(Organization.objects.filter(depth=2), 2024)
    }
    assert rows == {"GC1": (6, 2, 4), "GC2": (5, 1, 5), "GCELL": (0, 0, None)}


def test_target_bad_input(tree):
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=None, organization=tree["GC1"], year=1800, number=-1)
    assert {"year", "number"} <= set(exc.value.message_dict)
    assert not AdmissionTarget.objects.exists()


def test_committee_vote_counts_the_seats_of_the_committees_module(walk, make_candidate, tree):
    """With GC1's party committee recorded (3 seats held on the day), 2 of 3 passes, 1 does not,
    whatever total is typed."""
    from dangvu.committees import services as cs

    holders = _gc1_members(tree, 3)
    term = cs.term_open(
        actor=None, organization=tree["GC1"], name="2020–2025", start_date=D(2020, 10, 1)
    )
    committee = cs.committee_create(
        actor=None,
        organization=tree["GC1"],
        term=term,
        quotas={"secretary": 1, "deputy_secretary": 1, "member": 1},
    )
    for member, position in zip(holders, ["secretary", "deputy_secretary", "member"], strict=True):
        cs.seat_fill(
            actor=None,
            committee=committee,
            member=member,
            position=position,
            start_date=D(2020, 10, 1),
        )
    assert selectors.committee_size(tree["GC1"], DATES[StepKind.COMMITTEE_VOTE]) == 3
    c = walk(make_candidate(), upto=StepKind.CELL_VOTE)
    call = dict(actor=None, candidate=c, date=DATES[StepKind.COMMITTEE_VOTE], votes_total=30)
    with pytest.raises(ValidationError) as exc:
        services.record_committee_vote(votes_for=1, **call)
    assert "1/3" in exc.value.message_dict["votes_for"][0]
    assert services.record_committee_vote(votes_for=2, **call).votes_total == 3


def _gc1_members(tree, n):
    from dangvu.members.services import member_create
    from tests.conftest import member_data

    return [
        member_create(actor=None, organization=tree["C12"], data=member_data()) for _ in range(n)
    ]
