"""Rules of cell meetings and supervision, through the services (each test names its rule)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from dangvu.meetings import selectors, services
from dangvu.meetings.models import (
    AgendaTemplate,
    Assignment,
    Attendance,
    ChecklistTemplate,
    Finding,
    FindingNote,
    Meeting,
    MeetingDocument,
    Notification,
    ObserverVisit,
)
from dangvu.members import services as member_services
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db

D = local(2026, 3, 5, 8, 0)  # a regular meeting date after HD 42 (28/10/2025), in the past


def _meeting(org, when=D, kind="regular", **kw):
    return services.meeting_create(actor=None, organization=org, kind=kind, scheduled_at=when, **kw)


def _mark_all(meeting, status="present"):
    for a in meeting.attendances.select_related("member"):
        services.attendance_set(actor=None, meeting=meeting, member=a.member, status=status)


# ---- templates and planning ------------------------------------------------------------------


def test_default_templates_follow_the_cell_meeting_guidance(tree):
    agenda = AgendaTemplate.objects.get(is_default=True, organization=None)
    titles = [i["title"] for i in agenda.items]
    assert [i["section"] for i in agenda.items][:4] == ["opening"] * 4
    assert titles[0] == "Thu đảng phí"
    assert any("Chỉ thị 05" in t for t in titles)
    assert agenda.items[-1] == {"section": "closing", "title": "Thông qua biên bản sinh hoạt"}
    checklist = ChecklistTemplate.objects.get(is_default=True)
    codes = [i["code"] for i in checklist.items]
    assert codes[:3] == ["preparation", "notice", "documents"]
    assert "minutes" in codes


def test_create_copies_the_default_agenda_and_an_organisation_template_wins(tree):
    m = _meeting(tree["C11"])
    assert m.status == "planned"
    assert m.agenda[0] == {"section": "opening", "title": "Thu đảng phí"}
    own = AgendaTemplate.objects.create(
        name="Mẫu của Đảng bộ Sở Tài chính",
        organization=tree["GC1"],
        items=[{"section": "body", "title": "Chuyên đề chuyển đổi số"}],
        is_default=True,
    )
    assert services.default_agenda_template(tree["C11"], "regular") == own
    assert _meeting(tree["C12"], when=local(2026, 4, 5, 8)).agenda == own.items
    # A template of another organisation is refused.
    with pytest.raises(ValidationError) as exc:
        _meeting(tree["C21"], agenda_template=own)
    assert "agenda_template" in exc.value.message_dict


def test_kind_follows_the_organisation_type(tree):
    # Rule meeting.regular_per_month: cells meet monthly; meeting.all_member_per_year: the
    # grassroots committee holds the all-member meeting.
    with pytest.raises(ValidationError) as exc:
        _meeting(tree["GC1"], kind="regular")
    assert "kind" in exc.value.message_dict
    assert "HD 42-HD/BTCTW" in exc.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as exc:
        _meeting(tree["C11"], kind="all_member")
    assert "Điều lệ Đảng, Điều 24(2)" in exc.value.message_dict["kind"][0]
    assert Meeting.objects.count() == 0
    assert _meeting(tree["GC1"], kind="all_member").kind == "all_member"
    assert _meeting(tree["GCELL"], kind="thematic").kind == "thematic"


def test_plan_a_year_twelve_regular_and_four_thematic_without_duplicates(tree):
    # Rules meeting.regular_per_month and meeting.thematic_per_quarter.
    _meeting(tree["C11"], when=local(2027, 2, 10, 14))  # February already has its meeting
    created = services.meetings_plan_year(actor=None, organization=tree["C11"], year=2027, day=31)
    kinds = [m.kind for m in created]
    assert kinds.count("regular") == 11 and kinds.count("thematic") == 4
    regular = Meeting.objects.filter(organization=tree["C11"], kind="regular")
    assert regular.count() == 12
    dates = sorted(services.meeting_day(m) for m in regular)
    assert dt.date(2027, 4, 30) in dates and dt.date(2027, 12, 31) in dates  # day clipped
    thematic = sorted(services.meeting_day(m) for m in created if m.kind == "thematic")
    assert [d.month for d in thematic] == [3, 6, 9, 12]
    first = next(m for m in created if m.kind == "thematic")
    assert dt.timedelta(minutes=120) == first.scheduled_at - local(2027, 3, 31, 8)  # after it
    # Re-running adds nothing.
    assert services.meetings_plan_year(actor=None, organization=tree["C11"], year=2027) == []
    assert Meeting.objects.filter(organization=tree["C11"]).count() == 16


def test_plan_year_refuses_bad_input_and_committees_and_writes_nothing(tree):
    with pytest.raises(ValidationError) as exc:
        services.meetings_plan_year(
            actor=None, organization=tree["C11"], year=2027, day=0, thematic_months=(13,)
        )
    assert {"day", "thematic_months"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.meetings_plan_year(actor=None, organization=tree["GC1"], year=2027)
    assert "kind" in exc.value.message_dict
    assert Meeting.objects.count() == 0


def test_update_changes_the_plan_but_not_once_held(tree, make_member):
    m = _meeting(tree["C11"])
    chair = make_member(tree["C11"])
    m = services.meeting_update(
        actor=None,
        meeting=m,
        data={
            "title": " Tháng 3 ",
            "location": "Phòng họp tầng 2",
            "agenda": [{"section": "body", "title": "Nghị quyết quý II"}],
            "chair": chair,
            "organization": tree["C21"],  # not updatable: ignored
        },
    )
    assert (m.title, m.chair, m.organization) == ("Tháng 3", chair, tree["C11"])
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(
            actor=None, meeting=m, data={"agenda": [{"section": "middle", "title": "x"}]}
        )
    assert "agenda" in exc.value.message_dict
    services.meeting_close(actor=None, meeting=m, started_at=D, ended_at=D + dt.timedelta(hours=2))
    with pytest.raises(ValidationError):
        services.meeting_update(actor=None, meeting=m, data={"title": "Khác"})
    assert Meeting.objects.get(pk=m.pk).title == "Tháng 3"


# ---- roster as of the meeting date -------------------------------------------------------------


def test_roster_as_of_date_exempt_apart_temporary_marked(tree, make_member):
    c11, c12, c21 = tree["C11"], tree["C12"], tree["C21"]
    official = make_member(c11, full_name="An")
    probationary = make_member(
        c11, full_name="Bình", admission_date=dt.date(2025, 6, 1), official_date=None
    )
    exempt = make_member(c11, full_name="Cúc")
    member_services.member_grant_exemption(
        actor=None, member=exempt, date=dt.date(2024, 1, 10), decision_number="1-QĐ/CB"
    )
    later = make_member(c12, full_name="Dũng")  # transferred in after the meeting date
    member_services.member_transfer_out(
        actor=None,
        member=later,
        date=dt.date(2026, 3, 20),
        decision_number="5-QĐ/ĐU",
        to_organization=c11,
    )
    guest = make_member(c21, full_name="Giang")  # temporarily attached to C11
    member_services.member_transfer_out(
        actor=None,
        member=guest,
        date=dt.date(2025, 9, 1),
        decision_number="6-QĐ/ĐU",
        kind="temporary",
        to_organization=c11,
    )
    m = _meeting(c11)
    rows = services.roster_build(actor=None, meeting=m)
    cats = {a.member.full_name: a.category for a in rows}
    assert cats == {
        "An": "official",
        "Bình": "probationary",
        "Cúc": "exempt",
        "Giang": "temporary",
    }
    groups = {g.category: g for g in selectors.roster(m)}
    assert [g.category for g in selectors.roster(m)][-1] == "exempt"  # listed apart, last
    assert groups["exempt"].count == 1 and groups["official"].count == 1
    # The member who arrived later is on the roster of the next meeting, not this one.
    assert "Dũng" in {
        a.member.full_name
        for a in services.roster_build(actor=None, meeting=_meeting(c11, when=local(2026, 4, 5, 8)))
    }
    # Idempotent: a second build adds nothing and keeps the marks.
    services.attendance_set(actor=None, meeting=m, member=official, status="present")
    again = services.roster_build(actor=None, meeting=m)
    assert len(again) == 4 and Attendance.objects.filter(meeting=m).count() == 4
    assert Attendance.objects.get(meeting=m, member=official).status == "present"
    assert probationary.pk in {a.member_id for a in again}


def test_roster_drops_unmarked_members_no_longer_there_but_keeps_marked_ones(tree, make_member):
    a, b = make_member(tree["C11"]), make_member(tree["C11"])
    m = _meeting(tree["C11"])
    services.roster_build(actor=None, meeting=m)
    services.attendance_set(actor=None, meeting=m, member=a, status="absent_unexcused")
    # Both turn out to have joined C11 only after the meeting date (membership corrected).
    for x in (a, b):
        x.memberships.update(valid_from=dt.date(2026, 3, 10))
    services.roster_build(actor=None, meeting=m)
    assert set(m.attendances.values_list("member_id", flat=True)) == {a.pk}


def test_all_member_meeting_roster_covers_the_committee_subtree(tree, make_member):
    make_member(tree["C11"]), make_member(tree["C12"]), make_member(tree["C21"])
    m = _meeting(tree["GC1"], kind="all_member")
    assert len(services.roster_build(actor=None, meeting=m)) == 2


# ---- attendance and the vote ------------------------------------------------------------------


def test_attendance_excused_needs_a_reason_and_exempt_members_get_one(tree, make_member):
    a, ex = make_member(tree["C11"]), make_member(tree["C11"])
    member_services.member_grant_exemption(
        actor=None, member=ex, date=dt.date(2024, 1, 10), decision_number="1-QĐ/CB"
    )
    m = _meeting(tree["C11"])
    services.roster_build(actor=None, meeting=m)
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(actor=None, meeting=m, member=a, status="absent_excused")
    assert "reason" in exc.value.message_dict
    assert Attendance.objects.get(meeting=m, member=a).status == "unknown"
    row = services.attendance_set(actor=None, meeting=m, member=ex, status="absent_excused")
    assert row.reason == "Miễn công tác và sinh hoạt"
    row = services.attendance_set(actor=None, meeting=m, member=a, status="present")
    assert (row.method, row.reason) == ("secretary", "") and row.checked_in_at
    outsider = make_member(tree["C21"])
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(actor=None, meeting=m, member=outsider, status="present")
    assert "member" in exc.value.message_dict


def test_resolution_needs_more_than_half_of_nine_official_members(tree, staff_cell):
    # Rule meeting.resolution_fraction (> 1/2, Điều lệ Đảng, Điều 10): with 9 official members
    # on the roster, 4 votes for fail and 5 pass; probationary members do not vote.
    staff_cell(tree["C11"], official=9, probationary=2)
    m = _meeting(tree["C11"])
    services.roster_build(actor=None, meeting=m)
    _mark_all(m)
    end = D + dt.timedelta(minutes=95)
    m, _w = services.meeting_close(
        actor=None, meeting=m, started_at=D, ended_at=end, votes_for=4, votes_against=5
    )
    vr = services.vote_result(m)
    assert (vr.official_on_roster, vr.official_present, vr.needed) == (9, 9, 5)
    assert vr.passed is False and m.resolution_passed is False
    assert "Điều lệ Đảng, Điều 10" in vr.citation
    m, _w = services.meeting_close(
        actor=None, meeting=m, started_at=D, ended_at=end, votes_for=5, votes_against=4
    )
    assert m.resolution_passed is True and services.vote_result(m).passed is True
    # 11 present, 9 official: ten votes mean probationary members voted.
    with pytest.raises(ValidationError) as exc:
        services.meeting_close(
            actor=None, meeting=m, started_at=D, ended_at=end, votes_for=6, votes_against=4
        )
    assert "votes_for" in exc.value.message_dict
    assert "dự bị" in exc.value.message_dict["votes_for"][0]
    assert (Meeting.objects.get(pk=m.pk).votes_for, Meeting.objects.get(pk=m.pk).votes_against) == (
        5,
        4,
    )


def test_absent_exempt_members_do_not_count_for_the_majority(tree, staff_cell):
    members = staff_cell(tree["C11"], official=10)
    member_services.member_grant_exemption(
        actor=None, member=members[0], date=dt.date(2024, 1, 10), decision_number="1-QĐ/CB"
    )
    m = _meeting(tree["C11"])
    services.roster_build(actor=None, meeting=m)
    assert services.vote_result(m).needed == 5  # 9 official + the exempt one absent
    services.attendance_set(actor=None, meeting=m, member=members[0], status="present")
    assert services.vote_result(m).official_on_roster == 10
    assert services.vote_result(m).needed == 6  # present exempt members count
    assert services.vote_result(m).passed is None  # no vote recorded


def test_attendance_rate_leaves_out_absent_exempt_and_temporary_members(tree, staff_cell):
    members = staff_cell(tree["C11"], official=5)
    member_services.member_grant_exemption(
        actor=None, member=members[0], date=dt.date(2024, 1, 10), decision_number="1-QĐ/CB"
    )
    m = _meeting(tree["C11"])
    assert services.attendance_rate(m) is None  # no roster yet
    services.roster_build(actor=None, meeting=m)
    for x in members[1:4]:
        services.attendance_set(actor=None, meeting=m, member=x, status="present")
    assert services.attendance_rate(m) == pytest.approx(3 / 4)


# ---- the record: minimum length, attendance, errors -------------------------------------------


@pytest.mark.parametrize(
    "kind,minutes,warned",
    [
        ("regular", 89, True),
        ("regular", 90, False),
        ("combined", 119, True),
        ("combined", 120, False),
    ],
)
def test_minimum_length_warning(tree, staff_cell, kind, minutes, warned):
    # Rules meeting.min_duration_minutes (90) and meeting.min_duration_combined_minutes (120).
    staff_cell(tree["C11"], official=3)
    m = _meeting(tree["C11"], kind=kind)
    services.roster_build(actor=None, meeting=m)
    _mark_all(m)
    m, warnings = services.meeting_close(
        actor=None,
        meeting=m,
        started_at=D,
        ended_at=D + dt.timedelta(minutes=minutes),
        quality="good",
        minutes_approved=True,
    )
    assert m.status == "held" and m.duration_minutes == minutes
    length = [w for w in warnings if "tối thiểu" in w]
    assert bool(length) is warned
    if warned:
        assert f"{minutes} phút" in length[0] and "HD 42-HD/BTCTW" in length[0]
    assert warnings == length  # everyone present and marked: nothing else to say


def test_close_warns_of_low_attendance_and_unmarked_rows(tree, staff_cell):
    # Rule meeting.low_attendance_percent (80).
    members = staff_cell(tree["C11"], official=5)
    m = _meeting(tree["C11"])
    services.roster_build(actor=None, meeting=m)
    for x in members[:3]:
        services.attendance_set(actor=None, meeting=m, member=x, status="present")
    m, warnings = services.meeting_close(
        actor=None,
        meeting=m,
        started_at=D,
        ended_at=D + dt.timedelta(minutes=100),
        resolution="Chi bộ thống nhất…",
    )
    text = " | ".join(warnings)
    assert "60,0%" in text and "80%" in text
    assert "Còn 2 đảng viên" in text
    assert "chưa có kết quả biểu quyết" in text


def test_close_refuses_bad_times_and_writes_nothing(tree, staff_cell):
    staff_cell(tree["C11"], official=3)
    m = _meeting(tree["C11"])
    with pytest.raises(ValidationError) as exc:
        services.meeting_close(actor=None, meeting=m, started_at=D, ended_at=D - dt.timedelta(1))
    assert "ended_at" in exc.value.message_dict
    future = local(2099, 1, 1, 8)
    with pytest.raises(ValidationError) as exc:
        services.meeting_close(
            actor=None, meeting=m, started_at=future, ended_at=future + dt.timedelta(hours=2)
        )
    assert {"started_at", "ended_at"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.meeting_close(
            actor=None,
            meeting=m,
            started_at=D,
            ended_at=D + dt.timedelta(hours=2),
            votes_for=1,  # nobody marked present: nobody may vote
        )
    assert "votes_for" in exc.value.message_dict
    m.refresh_from_db()
    assert (m.status, m.started_at, m.votes_for) == ("planned", None, None)


# ---- notice and documents ---------------------------------------------------------------------


def _doc(m, hours_before, title="Dự thảo nghị quyết"):
    return services.document_post(
        actor=None,
        meeting=m,
        kind="draft_resolution",
        title=title,
        file=ContentFile(b"noi dung", name="du-thao.txt"),
        posted_at=m.scheduled_at - dt.timedelta(hours=hours_before),
    )


def test_notice_reaches_roster_accounts_and_the_member_in_charge(
    tree, make_member, make_user, clock, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    a, b = make_member(tree["C11"]), make_member(tree["C11"])
    ua = make_user("dv-a", "member", tree["C11"], member=a)
    btv = make_user("btv-phu-trach", "standing", tree["ROOT"])
    services.assignment_create(
        actor=None, user=btv, organization=tree["GC1"], valid_from=dt.date(2026, 1, 1)
    )
    m = _meeting(tree["C11"])
    _doc(m, hours_before=72)
    clock(D - dt.timedelta(days=2))
    warnings = services.meeting_send_notice(actor=None, meeting=m)
    assert warnings == []
    m.refresh_from_db()
    assert m.status == "notified" and m.notice_sent_at == D - dt.timedelta(days=2)
    assert Attendance.objects.filter(meeting=m).count() == 2  # roster built with the notice
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"dv-a", "btv-phu-trach"}
    # Sending again notifies nobody twice.
    services.meeting_send_notice(actor=None, meeting=m)
    assert Notification.objects.count() == 2
    assert b.user is None and ua.notifications.get().url == services.meeting_url(m) != ""


def test_notice_lead_time_warning(tree, make_member, clock, settings, tmp_path):
    # Rule meeting.documents_lead_days (1 day, HD 42): documents posted 12 hours before, and a
    # notice sent the evening before, are warned about; none posted at all is warned too.
    settings.MEDIA_ROOT = tmp_path
    make_member(tree["C11"])
    m = _meeting(tree["C11"])
    clock(D - dt.timedelta(days=3))
    warnings = services.meeting_send_notice(actor=None, meeting=m)
    assert any("Chưa đăng tài liệu" in w and "HD 42-HD/BTCTW" in w for w in warnings)
    assert any("phân công phụ trách" in w for w in warnings)
    m2 = _meeting(tree["C11"], when=local(2026, 4, 5, 8))
    clock(m2.scheduled_at - dt.timedelta(hours=10))
    _doc(m2, hours_before=12, title="Tài liệu học tập")
    warnings = services.meeting_send_notice(actor=None, meeting=m2)
    late = [w for w in warnings if "chưa đủ 1 ngày" in w]
    assert len(late) == 2
    assert "Tài liệu học tập" in late[0] and "(chưa đối chiếu văn bản gốc)" in late[0]


def test_cancel_needs_a_reason_and_tells_those_notified(tree, make_member, make_user, clock):
    a = make_member(tree["C11"])
    make_user("dv-a", "member", tree["C11"], member=a)
    m = _meeting(tree["C11"])
    clock(D - dt.timedelta(days=2))
    services.meeting_send_notice(actor=None, meeting=m)
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=None, meeting=m, reason=" ")
    assert "reason" in exc.value.message_dict
    m = services.meeting_cancel(actor=None, meeting=m, reason="Trùng lịch hội nghị của Đảng ủy")
    assert m.status == "cancelled" and "Trùng lịch" in m.minutes
    assert m.history.first().history_change_reason == "Trùng lịch hội nghị của Đảng ủy"
    assert Notification.objects.filter(kind="meeting_cancelled").count() == 1
    with pytest.raises(ValidationError):
        services.meeting_send_notice(actor=None, meeting=m)


# ---- QR check-in --------------------------------------------------------------------------------


def test_qr_checkin_window(tree, make_member, make_user, clock):
    # Valid from opening until the planned end: start + meeting.min_duration_minutes (90).
    a, b = make_member(tree["C11"]), make_member(tree["C11"])
    ua = make_user("dv-a", "member", tree["C11"], member=a)
    stranger = make_user("dv-x", "member", tree["C21"], member=make_member(tree["C21"]))
    nobody = make_user("no-member")
    m = _meeting(tree["C11"])
    clock(D - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.checkin_open(actor=None, meeting=m)  # not the meeting day
    assert "scheduled_at" in exc.value.message_dict
    clock(D - dt.timedelta(minutes=10))
    with pytest.raises(ValidationError) as exc:
        services.checkin(user=ua, code="ABC234")  # before any code was shown
    assert "code" in exc.value.message_dict
    m = services.checkin_open(actor=None, meeting=m)
    assert m.checkin_open_until == D + dt.timedelta(minutes=90)
    assert len(m.checkin_code) == 6 and len(m.checkin_token) > 30
    assert m.attendances.count() == 2  # the roster is built when missing
    clock(D + dt.timedelta(minutes=30))
    row = services.checkin(user=ua, code=m.checkin_code.lower())
    assert (row.member, row.status, row.method) == (a, "present", "qr")
    assert row.checked_in_at == D + dt.timedelta(minutes=30)
    with pytest.raises(ValidationError) as exc:
        services.checkin(user=stranger, token=m.checkin_token)
    assert "không có tên trong danh sách" in exc.value.message_dict["token"][0]
    with pytest.raises(ValidationError) as exc:
        services.checkin(user=nobody, code=m.checkin_code)
    assert "code" in exc.value.message_dict
    clock(D + dt.timedelta(minutes=91))
    ub = make_user("dv-b", "member", tree["C11"], member=b)
    with pytest.raises(ValidationError) as exc:
        services.checkin(user=ub, code=m.checkin_code)
    assert "hết hạn" in exc.value.message_dict["code"][0]
    assert Attendance.objects.get(meeting=m, member=b).status == "unknown"
    # Opened again for 15 more minutes, b checks in with the new QR token.
    m = services.checkin_open(actor=None, meeting=m, minutes=15)
    assert m.checkin_open_until == D + dt.timedelta(minutes=106)
    assert services.checkin(user=ub, token=m.checkin_token, meeting=m).status == "present"


def test_checkin_closed_once_the_meeting_is_held(tree, make_member, make_user, clock):
    a = make_member(tree["C11"])
    ua = make_user("dv-a", "member", tree["C11"], member=a)
    m = _meeting(tree["C11"])
    clock(D)
    m = services.checkin_open(actor=None, meeting=m)
    clock(D + dt.timedelta(minutes=80))
    services.meeting_close(
        actor=None, meeting=m, started_at=D, ended_at=D + dt.timedelta(minutes=75)
    )
    with pytest.raises(ValidationError):
        services.checkin(user=ua, code=m.checkin_code)


# ---- supervision --------------------------------------------------------------------------------


def test_assignments_cover_the_subtree_for_their_period(tree, make_user):
    u = make_user("btv-a", "standing", tree["ROOT"])
    a = services.assignment_create(
        actor=None,
        user=u,
        organization=tree["GC1"],
        valid_from=dt.date(2026, 1, 1),
        decision_number="12-QĐ/ĐUK",
    )
    assert list(selectors.assignments_covering(tree["C11"], dt.date(2026, 3, 5))) == [a]
    assert not selectors.assignments_covering(tree["C21"], dt.date(2026, 3, 5)).exists()
    assert not selectors.assignments_covering(tree["C11"], dt.date(2025, 12, 31)).exists()
    with pytest.raises(ValidationError) as exc:  # overlapping period
        services.assignment_create(
            actor=None, user=u, organization=tree["GC1"], valid_from=dt.date(2026, 6, 1)
        )
    assert "valid_from" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.assignment_end(actor=None, assignment=a, valid_to=dt.date(2025, 12, 1))
    assert "valid_to" in exc.value.message_dict
    services.assignment_end(actor=None, assignment=a, valid_to=dt.date(2026, 7, 1))
    assert not selectors.assignments_covering(tree["C11"], dt.date(2026, 7, 1)).exists()
    assert Assignment.objects.count() == 1


def _held(tree, staff_cell):
    staff_cell(tree["C11"], official=3)
    m = _meeting(tree["C11"])
    services.roster_build(actor=None, meeting=m)
    _mark_all(m)
    m, _w = services.meeting_close(
        actor=None, meeting=m, started_at=D, ended_at=D + dt.timedelta(minutes=80)
    )
    return m


def test_visit_checklist_defaults_and_only_its_observer_edits(tree, users, staff_cell):
    m = _held(tree, staff_cell)
    visit = services.visit_record(actor=users["btv"], meeting=m, checklist=[], assessment="fair")
    assert [i["code"] for i in visit.checklist][:2] == ["preparation", "notice"]
    assert all(i["done"] is False for i in visit.checklist)
    visit = services.visit_update(
        actor=users["btv"],
        visit=visit,
        data={"checklist": [{"code": "duration", "done": False, "note": "80 phút"}]},
    )
    assert visit.checklist[0]["title"].startswith("Bảo đảm thời lượng")
    with pytest.raises(PermissionDenied):
        services.visit_update(actor=users["tochuc"], visit=visit, data={"comments": "x"})
    with pytest.raises(PermissionDenied):  # a cell secretary follows up but does not observe
        services.visit_record(actor=users["chibo"], meeting=m, checklist=[])
    with pytest.raises(ValidationError) as exc:  # once per observer
        services.visit_record(actor=users["btv"], meeting=m, checklist=[])
    assert "meeting" in exc.value.message_dict
    assert ObserverVisit.objects.count() == 1


def test_finding_lifecycle_overdue_until_closed(tree, users, staff_cell):
    m = _held(tree, staff_cell)
    visit = services.visit_record(actor=users["btv"], meeting=m, checklist=[])
    with pytest.raises(PermissionDenied):
        services.finding_add(
            actor=users["tochuc"],
            visit=visit,
            category="procedure",
            description="x",
            action="y",
            owner="z",
            deadline=dt.date(2026, 4, 30),
        )
    with pytest.raises(ValidationError) as exc:  # bad input writes nothing
        services.finding_add(
            actor=users["btv"],
            visit=visit,
            category="nope",
            description=" ",
            action="",
            owner="Bí thư chi bộ",
            deadline=dt.date(2026, 3, 1),
        )
    assert {"category", "description", "action", "deadline"} <= set(exc.value.message_dict)
    assert Finding.objects.count() == 0
    f = services.finding_add(
        actor=users["btv"],
        visit=visit,
        category="procedure",
        description="Thời lượng sinh hoạt 80 phút, dưới 90 phút",
        action="Bảo đảm thời lượng từ kỳ sinh hoạt tháng 4",
        owner="Bí thư Chi bộ Văn phòng",
        owner_user=users["chibo"],
        deadline=dt.date(2026, 4, 30),
    )
    assert list(selectors.overdue_findings([tree["GC1"]], dt.date(2026, 4, 30))) == []
    assert list(selectors.overdue_findings(tree["ROOT"], dt.date(2026, 5, 1))) == [f]
    assert list(selectors.overdue_findings([tree["GC2"]], dt.date(2026, 5, 1))) == []
    assert selectors.is_overdue(f, dt.date(2026, 5, 1))
    services.finding_note(
        actor=users["chibo"], finding=f, date=dt.date(2026, 4, 6), text="Đã quán triệt"
    )
    with pytest.raises(ValidationError) as exc:
        services.finding_note(actor=users["chibo"], finding=f, date=dt.date(2026, 3, 1), text="x")
    assert "date" in exc.value.message_dict
    f = services.finding_close(
        actor=users["chibo"], finding=f, date=dt.date(2026, 5, 6), text="Tháng 5 họp 100 phút"
    )
    assert (f.status, f.closed_on) == ("closed", dt.date(2026, 5, 6))
    assert FindingNote.objects.filter(finding=f).count() == 2
    assert list(selectors.overdue_findings(tree["ROOT"], dt.date(2026, 6, 1))) == []
    with pytest.raises(ValidationError):
        services.finding_close(actor=users["chibo"], finding=f, date=dt.date(2026, 5, 7))


def test_meetings_in_a_subtree_and_period(tree):
    a = _meeting(tree["C11"], when=local(2026, 3, 5, 8))
    b = _meeting(tree["C12"], when=local(2026, 3, 31, 23, 30))  # local date 31/03
    _meeting(tree["C21"], when=local(2026, 3, 6, 8))
    _meeting(tree["C11"], when=local(2026, 4, 1, 0, 30))
    got = list(selectors.meetings_in(tree["GC1"], dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    assert got == [a, b]
    assert list(selectors.meetings_in([tree["C12"]], None, None)) == [b]


def test_documents_refused_without_a_file_and_nothing_written(tree):
    m = _meeting(tree["C11"])
    with pytest.raises(ValidationError) as exc:
        services.document_post(actor=None, meeting=m, kind="bogus", title="", file=None)
    assert {"kind", "title", "file"} <= set(exc.value.message_dict)
    assert MeetingDocument.objects.count() == 0


def test_writes_are_audited_with_the_actor(tree, users):
    m = services.meeting_create(
        actor=users["chibo"], organization=tree["C11"], kind="regular", scheduled_at=D
    )
    assert m.history.first().history_user == users["chibo"]
