"""Meeting and supervision pages: every view × every role of the `users` fixture, in and out of
scope; bad input re-renders with the Vietnamese message and writes nothing; query-count guards on
the meeting list and the roster tab."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu.meetings import services
from dangvu.meetings.choices import AttendanceStatus, MeetingStatus
from dangvu.meetings.models import (
    Assignment,
    Attendance,
    Finding,
    FindingNote,
    Meeting,
    MeetingDocument,
    ObserverVisit,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "bithu", "chibo", "dangvien"]
WHOLE_TREE = {"admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"}
# who may see organisation X's meetings (the member account: only those it is on the roster of)
SEES = {
    "C11": WHOLE_TREE | {"bithu", "chibo", "dangvien"},
    "C12": WHOLE_TREE | {"bithu"},
    "C21": WHOLE_TREE,
}
# who may change them (module "meetings" beyond view: admin, grassroots and cell secretaries)
CHANGES = {"C11": {"admin", "bithu", "chibo"}, "C12": {"admin", "bithu"}, "C21": {"admin"}}
# module "supervision": who sees it, who records visits and assignments, who follows up findings
SUPERVISION_VIEW = {"admin", "btv", "tochuc", "kiemtra", "vanphong", "bithu", "chibo"}
SUPERVISION_ADD = {"admin", "btv", "tochuc"}
FOLLOW_UP = {
    "C11": {"admin", "btv", "tochuc", "bithu", "chibo"},
    "C21": {"admin", "btv", "tochuc"},
}
SUPERVISION_SEES = {"C11": SUPERVISION_VIEW, "C21": SUPERVISION_VIEW - {"bithu", "chibo"}}


def local_today(hour=0, minute=1) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour, minute)))


def expected_view(role, org):
    return 200 if role in SEES[org] else 404


def expected_change(role, org):
    if role not in SEES[org]:
        return 404
    return 200 if role in CHANGES[org] else 403


def build_cast(users, tree, make_member) -> dict:
    """Members of C11 (the member account's own among them), C12 and C21; a meeting today in each
    (roster built), a past meeting of C11, a visit by the standing member with findings."""
    own = users["dangvien"].member
    c11 = [own, make_member(tree["C11"], full_name="Lê Văn Cùng Chi")]
    c11.append(
        make_member(
            tree["C11"],
            full_name="Vũ Thị Dự Bị",
            admission_date=timezone.localdate() - dt.timedelta(days=40),
            official_date=None,
        )
    )
    make_member(tree["C12"], full_name="Hồ Văn Thanh Tra")
    make_member(tree["C21"], full_name="Phạm Văn Ngoài Phạm Vi")
    m = {}
    for code in ("C11", "C12", "C21"):
        m[code] = services.meeting_create(
            actor=None,
            organization=tree[code],
            kind="regular",
            scheduled_at=local_today(),
            title=f"Sinh hoạt {code}",
        )
        services.roster_build(actor=None, meeting=m[code])
    m["past"] = services.meeting_create(
        actor=None,
        organization=tree["C11"],
        kind="regular",
        scheduled_at=local_today(8) - dt.timedelta(days=3),
        title="Sinh hoạt đã qua",
    )
    services.roster_build(actor=None, meeting=m["past"])
    visit = {}
    finding = {}
    for code in ("C11", "C21"):
        visit[code] = services.visit_record(
            actor=users["btv"], meeting=m[code], checklist=[], assessment="fair"
        )
        finding[code] = services.finding_add(
            actor=users["btv"],
            visit=visit[code],
            category="records",
            description=f"Biên bản {code} ghi sơ sài",
            action="Ghi biên bản đầy đủ",
            owner="Bí thư chi bộ",
            deadline=timezone.localdate() + dt.timedelta(days=30),
        )
    assignment = services.assignment_create(
        actor=None, user=users["btv"], organization=tree["GC1"], valid_from=dt.date(2024, 1, 1)
    )
    return {
        "m": m,
        "visit": visit,
        "finding": finding,
        "assignment": assignment,
        "c11": c11,
    }


@pytest.fixture(scope="module")
def _shared_cast(request, _shared_users, _shared_tree):
    """The cast's rows once for the module (tests/shared.py): their primary keys."""
    from tests.conftest import create_member, fetch_tree, fetch_users
    from tests.shared import build_shared

    def build():
        c = build_cast(fetch_users(_shared_users), fetch_tree(_shared_tree), create_member)
        return {
            "m": {k: v.pk for k, v in c["m"].items()},
            "visit": {k: v.pk for k, v in c["visit"].items()},
            "finding": {k: v.pk for k, v in c["finding"].items()},
            "assignment": c["assignment"].pk,
            "c11": [m.pk for m in c["c11"]],
        }

    return build_shared(request, "cast", build, _shared_users, _shared_tree)


@pytest.fixture
def cast(users, tree, make_member, _shared_cast):
    if _shared_cast is None:
        return build_cast(users, tree, make_member)
    from dangvu.members.models import Member

    pks = _shared_cast
    meetings = Meeting.objects.in_bulk(pks["m"].values())
    visits = ObserverVisit.objects.in_bulk(pks["visit"].values())
    findings = Finding.objects.in_bulk(pks["finding"].values())
    members = Member.objects.in_bulk(pks["c11"])
    c11 = [members[pk] for pk in pks["c11"]]
    c11[0] = users["dangvien"].member  # the member account's own record, as built
    return {
        "m": {k: meetings[pk] for k, pk in pks["m"].items()},
        "visit": {k: visits[pk] for k, pk in pks["visit"].items()},
        "finding": {k: findings[pk] for k, pk in pks["finding"].items()},
        "assignment": Assignment.objects.get(pk=pks["assignment"]),
        "c11": c11,
    }


def _errors(resp):
    ctx = getattr(resp, "context", None)
    if ctx and "form" in ctx:
        return ctx["form"].errors
    return resp.status_code


# --- the list, calendar and home of the module ---------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_the_scope(role, users, cast, login):
    resp = login(users[role]).get(reverse("meetings:list"))
    assert resp.status_code == 200
    html = resp.content.decode()
    for code in ("C11", "C12", "C21"):
        assert (f"Sinh hoạt {code}" in html) == (role in SEES[code]), code


@pytest.mark.parametrize("role", ROLES)
def test_calendar_shows_only_the_scope(role, users, cast, login):
    resp = login(users[role]).get(reverse("meetings:calendar"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert ("Chi bộ Phòng Kế hoạch" in html) == (role in SEES["C21"])
    if role in SEES["C11"]:
        assert reverse("meetings:detail", args=[cast["m"]["C11"].pk]) in html


def test_list_filters_by_subtree_kind_status_and_month(users, cast, login, tree):
    client = login(users["tochuc"])
    url = reverse("meetings:list")
    html = client.get(url, {"organization": tree["GC1"].pk}).content.decode()
    assert "Sinh hoạt C11" in html and "Sinh hoạt C12" in html and "Sinh hoạt C21" not in html
    html = client.get(url, {"kind": "thematic"}).content.decode()
    assert "Sinh hoạt C11" not in html
    html = client.get(url, {"status": "held"}).content.decode()
    assert "Sinh hoạt C11" not in html
    today = timezone.localdate()
    other = today.month % 12 + 1
    html = client.get(url, {"year": today.year, "month": today.month}).content.decode()
    assert "Sinh hoạt C11" in html
    html = client.get(url, {"year": today.year + (other == 1), "month": other}).content.decode()
    assert "Sinh hoạt C11" not in html


def test_calendar_month_grid_and_phone_list(users, cast, login, tree):
    today = timezone.localdate()
    resp = login(users["bithu"]).get(
        reverse("meetings:calendar"),
        {"organization": tree["C11"].pk, "year": today.year, "month": today.month},
    )
    html = resp.content.decode()
    assert "cal-grid" in html and "cal-list" in html
    assert today.strftime("%d/%m/%Y") in html
    assert reverse("meetings:detail", args=[cast["m"]["C11"].pk]) in html
    assert reverse("meetings:detail", args=[cast["m"]["C12"].pk]) not in html  # filtered out


@pytest.mark.parametrize("role", ROLES)
def test_create_and_plan_permissions(role, users, cast, login, tree):
    client = login(users[role])
    expected = 200 if role in {"admin", "bithu", "chibo"} else 403
    assert client.get(reverse("meetings:create")).status_code == expected
    assert client.get(reverse("meetings:plan")).status_code == expected
    before = Meeting.objects.count()
    resp = client.post(
        reverse("meetings:create"),
        {
            "organization": tree["C11"].pk,
            "kind": "thematic",
            "date": "20/12/2030",
            "time": "14:00",
            "title": "Chuyên đề",
        },
    )
    if expected == 403:
        assert resp.status_code == 403
        assert Meeting.objects.count() == before
    else:
        assert resp.status_code == 302, _errors(resp)
        made = Meeting.objects.get(title="Chuyên đề")
        assert timezone.localtime(made.scheduled_at).strftime("%d/%m/%Y %H:%M") == (
            "20/12/2030 14:00"
        )
        assert made.agenda  # the default agenda template
        assert made.history.first().history_user == users[role]


def test_create_outside_scope_organisation_is_refused(users, login, tree, cast):
    client = login(users["chibo"])
    before = Meeting.objects.count()
    resp = client.post(
        reverse("meetings:create"),
        {"organization": tree["C12"].pk, "kind": "regular", "date": "05/01/2031", "time": "08:00"},
    )
    assert resp.status_code == 200
    assert "organization" in resp.context["form"].errors
    assert Meeting.objects.count() == before


@pytest.mark.parametrize(
    "data,field,fragment",
    [
        ({"date": "31/02/2031"}, "date", "dd/mm/yyyy"),
        ({"date": ""}, "date", ""),
        ({"kind": "all_member"}, "kind", "không tổ chức"),
        ({"time": "25:00"}, "time", ""),
    ],
)
def test_create_bad_input_rerenders_and_writes_nothing(data, field, fragment, users, login, tree):
    client = login(users["bithu"])
    post = {
        "organization": tree["C11"].pk,
        "kind": "regular",
        "date": "05/01/2031",
        "time": "08:00",
    }
    post.update(data)
    before = Meeting.objects.count()
    resp = client.post(reverse("meetings:create"), post)
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    html = resp.content.decode()
    assert "Chưa lưu được" in html and "is-invalid" in html
    assert Meeting.objects.count() == before


def test_plan_a_year_for_a_cell(users, login, tree):
    client = login(users["chibo"])
    resp = client.post(
        reverse("meetings:plan"),
        {
            "organization": tree["C11"].pk,
            "year": 2031,
            "day": 31,
            "time": "07:30",
            "thematic_months": ["3", "9"],
        },
    )
    assert resp.status_code == 302, _errors(resp)
    made = Meeting.objects.filter(organization=tree["C11"], scheduled_at__year=2031)
    assert made.filter(kind="regular").count() == 12
    assert made.filter(kind="thematic").count() == 2
    feb = made.get(kind="regular", scheduled_at__month=2)
    assert timezone.localtime(feb.scheduled_at).strftime("%d/%m %H:%M") == "28/02 07:30"
    # planning again adds nothing
    before = Meeting.objects.count()
    client.post(
        reverse("meetings:plan"),
        {"organization": tree["C11"].pk, "year": 2031, "day": 5, "time": "08:00"},
    )
    assert Meeting.objects.count() == before


def test_plan_bad_day_rerenders(users, login, tree):
    before = Meeting.objects.count()
    resp = login(users["chibo"]).post(
        reverse("meetings:plan"),
        {"organization": tree["C11"].pk, "year": 2031, "day": 0, "time": "08:00"},
    )
    assert resp.status_code == 200 and "day" in resp.context["form"].errors
    assert Meeting.objects.count() == before


# --- detail and the writes on a meeting ----------------------------------------------------------


@pytest.mark.parametrize("org", ["C11", "C12", "C21"])
@pytest.mark.parametrize("role", ROLES)
def test_detail_permissions(role, org, users, cast, login):
    meeting = cast["m"][org]
    resp = login(users[role]).get(reverse("meetings:detail", args=[meeting.pk]))
    assert resp.status_code == expected_view(role, org)
    if resp.status_code == 200:
        html = resp.content.decode()
        assert f"Sinh hoạt {org}" in html
        # the write buttons only for who may change
        assert (reverse("meetings:edit", args=[meeting.pk]) in html) == (role in CHANGES[org])


@pytest.mark.parametrize("org", ["C11", "C12", "C21"])
@pytest.mark.parametrize("role", ROLES)
def test_edit_permissions(role, org, users, cast, login):
    meeting = cast["m"][org]
    client = login(users[role])
    url = reverse("meetings:edit", args=[meeting.pk])
    expected = expected_change(role, org)
    assert client.get(url).status_code == expected
    when = timezone.localtime(meeting.scheduled_at)
    resp = client.post(
        url,
        {"date": when.strftime("%d/%m/%Y"), "time": "09:15", "title": "Đổi giờ", "location": "P1"},
    )
    meeting.refresh_from_db()
    if expected == 200:
        assert resp.status_code == 302, _errors(resp)
        assert meeting.title == "Đổi giờ" and meeting.location == "P1"
        assert timezone.localtime(meeting.scheduled_at).strftime("%H:%M") == "09:15"
    else:
        assert resp.status_code == expected
        assert meeting.title == f"Sinh hoạt {org}"


POST_ACTIONS = ["notice", "roster_build", "checkin_open", "agenda", "cancel"]


@pytest.mark.parametrize("action", POST_ACTIONS)
@pytest.mark.parametrize("org", ["C11", "C21"])
@pytest.mark.parametrize("role", ROLES)
def test_meeting_write_permissions(role, org, action, users, cast, login):
    meeting = cast["m"][org]
    client = login(users[role])
    data = {
        "agenda": {"opening": "Khai mạc", "body": "Nội dung mới", "closing": "Bế mạc"},
        "cancel": {"reason": "Trùng lịch họp cơ quan"},
    }.get(action, {})
    resp = client.post(reverse(f"meetings:{action}", args=[meeting.pk]), data)
    expected = expected_change(role, org)
    meeting.refresh_from_db()
    changed = {
        "notice": meeting.notice_sent_at is not None,
        "roster_build": None,  # idempotent: nothing visible to compare
        "checkin_open": bool(meeting.checkin_code),
        "agenda": any(i.get("title") == "Nội dung mới" for i in meeting.agenda),
        "cancel": meeting.status == MeetingStatus.CANCELLED,
    }[action]
    if expected == 200:
        assert resp.status_code == 302
        assert changed in (True, None)
    else:
        assert resp.status_code == expected
        assert changed in (False, None)


def test_notice_shows_the_warnings_citing_the_rule(users, cast, login):
    meeting = cast["m"]["C11"]
    resp = login(users["chibo"]).post(reverse("meetings:notice", args=[meeting.pk]), follow=True)
    html = resp.content.decode()
    assert "alert-warning" in html
    assert "Chưa đăng tài liệu nào" in html and "HD" in html  # cites Hướng dẫn 42-HD/BTCTW
    assert "Đã gửi thông báo" in html


def test_cancel_needs_a_reason(users, cast, login):
    meeting = cast["m"]["C11"]
    resp = login(users["chibo"]).post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    assert resp.status_code == 200 and "reason" in resp.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status != MeetingStatus.CANCELLED


def test_agenda_grouped_and_editable_before_holding(users, cast, login):
    meeting = cast["m"]["C11"]
    client = login(users["chibo"])
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    for label in ("Phần mở đầu", "Phần nội dung", "Phần kết thúc", "Thu đảng phí"):
        assert label in html
    assert "Sửa chương trình" in html
    resp = client.post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {"opening": "Thu đảng phí\n\nĐiểm danh", "body": "Quán triệt Chỉ thị 50", "closing": ""},
    )
    assert resp.status_code == 302
    meeting.refresh_from_db()
    assert [(i["section"], i["title"]) for i in meeting.agenda] == [
        ("opening", "Thu đảng phí"),
        ("opening", "Điểm danh"),
        ("body", "Quán triệt Chỉ thị 50"),
    ]
    # once held, the agenda is the record: no edit form any more
    services.meeting_close(
        actor=None,
        meeting=cast["m"]["past"],
        started_at=cast["m"]["past"].scheduled_at,
        ended_at=cast["m"]["past"].scheduled_at + dt.timedelta(minutes=95),
    )
    html = client.get(reverse("meetings:detail", args=[cast["m"]["past"].pk])).content.decode()
    assert "Sửa chương trình" not in html


def test_document_upload_list_and_scoped_download(users, cast, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    meeting = cast["m"]["C11"]
    client = login(users["chibo"])
    upload = SimpleUploadedFile("du-thao.txt", "Dự thảo nghị quyết".encode(), "text/plain")
    resp = client.post(
        reverse("meetings:document_add", args=[meeting.pk]),
        {"kind": "draft_resolution", "title": "Dự thảo nghị quyết tháng", "file": upload},
    )
    assert resp.status_code == 302
    doc = MeetingDocument.objects.get(meeting=meeting)
    html = client.get(reverse("meetings:detail", args=[meeting.pk]) + "?tab=documents")
    assert "Dự thảo nghị quyết tháng" in html.content.decode()
    url = reverse("meetings:document", args=[meeting.pk, doc.pk])
    assert client.get(url).status_code == 200
    assert login(users["dangvien"]).get(url).status_code == 200  # on the roster
    assert login(users["bithu"]).get(url).status_code == 200
    other = cast["m"]["C21"]
    assert (
        login(users["bithu"]).get(reverse("meetings:document", args=[other.pk, doc.pk])).status_code
        == 404
    )
    # a document without title re-renders with the message and writes nothing
    upload = SimpleUploadedFile("x.txt", b"x", "text/plain")
    resp = client.post(
        reverse("meetings:document_add", args=[meeting.pk]),
        {"kind": "material", "title": "", "file": upload},
    )
    assert resp.status_code == 200 and "title" in resp.context["document_form"].errors
    assert MeetingDocument.objects.count() == 1
    # refused for a reader
    upload = SimpleUploadedFile("y.txt", b"y", "text/plain")
    resp = login(users["btv"]).post(
        reverse("meetings:document_add", args=[meeting.pk]),
        {"kind": "material", "title": "Y", "file": upload},
    )
    assert resp.status_code == 403 and MeetingDocument.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_exports_follow_the_scope(role, users, cast, login):
    meeting = cast["m"]["C11"]
    client = login(users[role])
    notice = client.get(reverse("meetings:export", args=[meeting.pk, "notice", "docx"]))
    assert notice.status_code == 200
    assert notice["Content-Type"].startswith("application/vnd.openxmlformats")
    roster = client.get(reverse("meetings:export", args=[meeting.pk, "attendance", "docx"]))
    assert roster.status_code == (403 if role == "dangvien" else 200)
    out = client.get(reverse("meetings:export", args=[cast["m"]["C21"].pk, "notice", "docx"]))
    assert out.status_code == expected_view(role, "C21")
    assert client.get(reverse("meetings:export", args=[meeting.pk, "x", "docx"])).status_code == 404


# --- attendance ----------------------------------------------------------------------------------


def _row(meeting, member):
    return Attendance.objects.get(meeting=meeting, member=member)


@pytest.mark.parametrize("org", ["C11", "C21"])
@pytest.mark.parametrize("role", ROLES)
def test_attendance_set_permissions(role, org, users, cast, login):
    meeting = cast["m"][org]
    row = meeting.attendances.first()
    client = login(users[role])
    resp = client.post(
        reverse("meetings:attendance", args=[meeting.pk, row.pk]),
        {"status": "present"},
        HTTP_HX_REQUEST="true",
    )
    expected = expected_change(role, org)
    row.refresh_from_db()
    assert resp.status_code == expected
    assert (row.status == AttendanceStatus.PRESENT) == (expected == 200)
    if expected == 200:
        html = resp.content.decode()
        assert f'id="att-{row.pk}"' in html and 'hx-swap-oob="true"' in html


def test_roster_grouped_with_rate_and_htmx_buttons(users, cast, login):
    meeting = cast["m"]["C11"]
    client = login(users["chibo"])
    html = client.get(
        reverse("meetings:detail", args=[meeting.pk]) + "?tab=roster"
    ).content.decode()
    assert "roster-group-official" in html and "roster-group-probationary" in html
    assert "Vũ Thị Dự Bị" in html
    assert html.count('name="status" value="present"') == 3
    own, other, _prob = cast["c11"]
    url = reverse("meetings:attendance", args=[meeting.pk, _row(meeting, own).pk])
    resp = client.post(url, {"status": "present"}, HTTP_HX_REQUEST="true")
    assert "Có mặt" in resp.content.decode()
    url = reverse("meetings:attendance", args=[meeting.pk, _row(meeting, other).pk])
    resp = client.post(
        url, {"status": "absent_excused", "reason": "Đi công tác"}, HTTP_HX_REQUEST="true"
    )
    body = resp.content.decode()
    assert "Đi công tác" in body
    assert "33.3%" in body or "33,3%" in body  # 1 present of 3 expected
    assert _row(meeting, other).reason == "Đi công tác"


def test_absent_with_reason_needs_a_reason(users, cast, login):
    meeting = cast["m"]["C11"]
    member = cast["c11"][1]
    row = _row(meeting, member)
    resp = login(users["chibo"]).post(
        reverse("meetings:attendance", args=[meeting.pk, row.pk]),
        {"status": "absent_excused", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    assert "cần ghi lý do vắng" in resp.content.decode()
    row.refresh_from_db()
    assert row.status == AttendanceStatus.UNKNOWN


def test_member_sees_only_own_row(users, cast, login):
    meeting = cast["m"]["C11"]
    html = (
        login(users["dangvien"])
        .get(reverse("meetings:detail", args=[meeting.pk]) + "?tab=roster")
        .content.decode()
    )
    assert "Trần Thị Đảng Viên" in html and "Lê Văn Cùng Chi" not in html
    assert 'name="status"' not in html


# --- the record: minutes and resolution ----------------------------------------------------------


def _close_data(meeting, **overrides):
    when = timezone.localtime(meeting.scheduled_at)
    data = {
        "date": when.strftime("%d/%m/%Y"),
        "start": "08:00",
        "end": "09:45",
        "minutes": "Diễn biến buổi sinh hoạt",
        "resolution": "Nghị quyết tháng",
        "votes_for": "2",
        "votes_against": "0",
        "votes_abstain": "0",
        "quality": "good",
        "minutes_approved": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_close_permissions(role, users, cast, login):
    meeting = cast["m"]["past"]
    for a in meeting.attendances.all():
        services.attendance_set(actor=None, meeting=meeting, member=a.member, status="present")
    resp = login(users[role]).post(
        reverse("meetings:close", args=[meeting.pk]), _close_data(meeting)
    )
    expected = expected_change(role, "C11")
    meeting.refresh_from_db()
    if expected == 200:
        assert resp.status_code == 302, _errors(resp)
        assert meeting.status == MeetingStatus.HELD and meeting.resolution_passed is True
        assert meeting.duration_minutes == 105
    else:
        assert resp.status_code == expected
        assert meeting.status != MeetingStatus.HELD


def test_record_tab_shows_votes_needed_and_passed(users, cast, login):
    meeting = cast["m"]["past"]
    client = login(users["chibo"])
    html = client.get(reverse("meetings:detail", args=[meeting.pk]) + "?tab=record").content
    html = html.decode()
    # 2 official members on the roster (the probationary one does not vote): more than 1 → 2
    assert "cần ít nhất 2 phiếu" in html
    for a in meeting.attendances.all():
        services.attendance_set(actor=None, meeting=meeting, member=a.member, status="present")
    resp = client.post(
        reverse("meetings:close", args=[meeting.pk]),
        _close_data(meeting, end="09:00"),
        follow=True,
    )
    html = resp.content.decode()
    assert "Nghị quyết được thông qua" in html
    # 60 minutes: below the minimum length, warned with the rule's source
    assert "alert-warning" in html and "dưới mức tối thiểu 90 phút" in html


@pytest.mark.parametrize(
    "overrides,field,fragment",
    [
        ({"end": "07:00"}, "end", "phải sau giờ bắt đầu"),
        ({"votes_for": "5"}, "votes_for", "vượt số đảng viên chính thức có mặt"),
        ({"start": ""}, "start", ""),
        ({"date": "32/01/2025"}, "date", "dd/mm/yyyy"),
        ({"votes_against": "-1"}, "votes_against", ""),
    ],
)
def test_close_bad_input_rerenders_and_writes_nothing(
    overrides, field, fragment, users, cast, login
):
    meeting = cast["m"]["past"]
    resp = login(users["chibo"]).post(
        reverse("meetings:close", args=[meeting.pk]), _close_data(meeting, **overrides)
    )
    assert resp.status_code == 200
    errors = resp.context["close_form"].errors
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    assert "Chưa lưu được" in resp.content.decode()
    meeting.refresh_from_db()
    assert meeting.status != MeetingStatus.HELD and meeting.minutes == ""


# --- check-in ------------------------------------------------------------------------------------


@pytest.mark.parametrize("org", ["C11", "C21"])
@pytest.mark.parametrize("role", ROLES)
def test_checkin_display_permissions(role, org, users, cast, login):
    meeting = cast["m"][org]
    services.checkin_open(actor=None, meeting=meeting)
    client = login(users[role])
    expected = expected_change(role, org)
    resp = client.get(reverse("meetings:checkin_display", args=[meeting.pk]))
    assert resp.status_code == expected
    assert client.get(reverse("meetings:checkin_count", args=[meeting.pk])).status_code == expected
    if expected == 200:
        html = resp.content.decode()
        meeting.refresh_from_db()
        assert "<svg" in html and meeting.checkin_code in html
        assert reverse("meetings:checkin_token", args=[meeting.checkin_token]) in html


def test_member_checks_in_with_the_short_code(users, cast, login):
    meeting = services.checkin_open(actor=None, meeting=cast["m"]["C11"])
    client = login(users["dangvien"])
    assert client.get(reverse("meetings:checkin")).status_code == 200
    resp = client.post(
        reverse("meetings:checkin"), {"code": meeting.checkin_code.lower()}, follow=True
    )
    html = resp.content.decode()
    assert "Đã điểm danh lúc" in html
    row = _row(meeting, users["dangvien"].member)
    assert row.status == AttendanceStatus.PRESENT and row.method == "qr"
    count = login(users["chibo"]).get(reverse("meetings:checkin_count", args=[meeting.pk]))
    assert 'id="present-count">1<' in count.content.decode()


def test_member_checks_in_with_the_qr_link_and_anonymous_goes_through_login(
    users, cast, login, client
):
    meeting = services.checkin_open(actor=None, meeting=cast["m"]["C11"])
    url = reverse("meetings:checkin_token", args=[meeting.checkin_token])
    resp = client.get(url)
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert "next=" in resp["Location"]
    resp = login(users["dangvien"]).get(url, follow=True)
    assert "Đã điểm danh lúc" in resp.content.decode()
    assert _row(meeting, users["dangvien"].member).status == AttendanceStatus.PRESENT


@pytest.mark.parametrize("code,fragment", [("ZZZZZZ", "Mã điểm danh không đúng"), ("", "")])
def test_wrong_code_rerenders_and_marks_nothing(code, fragment, users, cast, login):
    meeting = services.checkin_open(actor=None, meeting=cast["m"]["C11"])
    resp = login(users["dangvien"]).post(reverse("meetings:checkin"), {"code": code})
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert "code" in errors and fragment in " ".join(errors["code"])
    assert _row(meeting, users["dangvien"].member).status == AttendanceStatus.UNKNOWN


def test_checkin_for_someone_not_on_the_roster(users, cast, login):
    meeting = services.checkin_open(actor=None, meeting=cast["m"]["C21"])
    resp = login(users["dangvien"]).post(
        reverse("meetings:checkin"), {"code": meeting.checkin_code}
    )
    assert resp.status_code == 200
    assert "không có tên trong danh sách" in " ".join(resp.context["form"].errors["code"])
    bad = login(users["dangvien"]).get(reverse("meetings:checkin_token", args=["khong-co"]))
    assert bad.status_code == 200 and "Mã điểm danh không đúng" in bad.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_my_meetings(role, users, cast, login):
    resp = login(users[role]).get(reverse("meetings:my"))
    assert resp.status_code == 200
    html = resp.content.decode()
    if role == "dangvien":
        assert "Sinh hoạt C11" in html and "Sinh hoạt đã qua" in html
        assert "Sinh hoạt C21" not in html
    else:
        assert "chưa được gắn với hồ sơ đảng viên" in html


def test_member_menu_leads_to_own_meetings(users, login):
    html = login(users["dangvien"]).get(reverse("core:home")).content.decode()
    assert reverse("meetings:my") in html and reverse("meetings:supervision") not in html
    html = login(users["chibo"]).get(reverse("core:home")).content.decode()
    assert reverse("meetings:list") in html and reverse("meetings:supervision") in html
    html = login(users["tuyengiao"]).get(reverse("core:home")).content.decode()
    assert reverse("meetings:list") in html and reverse("meetings:supervision") not in html


# --- supervision ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_supervision_pages_permissions(role, users, cast, login):
    client = login(users[role])
    expected = 200 if role in SUPERVISION_VIEW else 403
    resp = client.get(reverse("meetings:supervision"))
    assert resp.status_code == expected
    assert client.get(reverse("meetings:findings")).status_code == expected
    if expected == 200:
        html = resp.content.decode()
        # the assignment at GC1: not in the scope of the cell secretary of C11
        assert ("Đảng bộ Sở Tài chính" in html) == (role != "chibo")
        if role == "btv":
            assert "Tổ chức tôi phụ trách" in html and "Sinh hoạt C11" in html
    findings = client.get(reverse("meetings:findings")).content.decode()
    if expected == 200:
        assert "Biên bản C11 ghi sơ sài" in findings
        assert ("Biên bản C21 ghi sơ sài" in findings) == (role in SUPERVISION_SEES["C21"])


@pytest.mark.parametrize("role", ROLES)
def test_assignment_create_and_end_permissions(role, users, cast, login, tree):
    client = login(users[role])
    expected = 200 if role in SUPERVISION_ADD else 403
    assert client.get(reverse("meetings:assignment_create")).status_code == expected
    before = Assignment.objects.count()
    resp = client.post(
        reverse("meetings:assignment_create"),
        {
            "user": users["btv"].pk,
            "organization": tree["GC2"].pk,
            "valid_from": "01/01/2025",
            "decision_number": "12-QĐ/ĐUK",
        },
    )
    if expected == 200:
        assert resp.status_code == 302, _errors(resp)
        assert Assignment.objects.count() == before + 1
    else:
        assert resp.status_code == 403 and Assignment.objects.count() == before
    a = cast["assignment"]
    url = reverse("meetings:assignment_end", args=[a.pk])
    sees = SUPERVISION_VIEW - {"chibo"}  # an assignment at GC1
    end_expected = 200 if role in SUPERVISION_ADD else (403 if role in sees else 404)
    assert client.get(url).status_code == end_expected
    resp = client.post(url, {"valid_to": "01/06/2025"})
    a.refresh_from_db()
    assert (a.valid_to == dt.date(2025, 6, 1)) == (end_expected == 200)


def test_assignment_bad_period_rerenders(users, cast, login, tree):
    before = Assignment.objects.count()
    resp = login(users["tochuc"]).post(
        reverse("meetings:assignment_create"),
        {
            "user": users["btv"].pk,
            "organization": tree["GC2"].pk,
            "valid_from": "01/06/2025",
            "valid_to": "01/01/2025",
        },
    )
    assert resp.status_code == 200
    assert "phải sau ngày bắt đầu" in " ".join(resp.context["form"].errors["valid_to"])
    assert Assignment.objects.count() == before


def _visit_post(items=9, findings=()):
    data = {"assessment": "fair", "comments": "Chuẩn bị chu đáo", "recommendations": "Duy trì"}
    for i in range(items):
        data[f"done_{i}"] = "on" if i % 2 == 0 else ""
        data[f"note_{i}"] = f"ghi chú {i}" if i == 1 else ""
    data["f-TOTAL_FORMS"] = str(max(len(findings), 1))
    data["f-INITIAL_FORMS"] = "0"
    for i, f in enumerate(findings):
        for k, v in f.items():
            data[f"f-{i}-{k}"] = v
    return data


FINDING = {
    "category": "procedure",
    "description": "Chưa thông qua chương trình",
    "action": "Thông qua chương trình ở phần mở đầu",
    "owner": "Bí thư chi bộ",
    "deadline": "31/12/2031",
}


@pytest.mark.parametrize("org", ["C11", "C21"])
@pytest.mark.parametrize("role", ROLES)
def test_visit_record_permissions(role, org, users, cast, login):
    meeting = cast["m"][org]
    client = login(users[role])
    url = reverse("meetings:visit_record", args=[meeting.pk])
    if role not in SEES[org]:
        expected = 404
    elif role == "btv":
        expected = 302  # already recorded: sent to its own visit
    elif role in SUPERVISION_ADD:
        expected = 200
    else:
        expected = 403
    assert client.get(url).status_code == expected
    before = (ObserverVisit.objects.count(), Finding.objects.count())
    resp = client.post(url, _visit_post(findings=[FINDING, FINDING | {"category": "records"}]))
    if expected == 200:
        assert resp.status_code == 302, _errors(resp)
        visit = ObserverVisit.objects.get(meeting=meeting, observer=users[role])
        assert visit.checklist[0]["done"] is True and visit.checklist[1]["note"] == "ghi chú 1"
        assert visit.findings.count() == 2
    else:
        assert resp.status_code == expected
        assert (ObserverVisit.objects.count(), Finding.objects.count()) == before


def test_visit_form_lists_the_default_checklist(users, cast, login):
    html = (
        login(users["tochuc"])
        .get(reverse("meetings:visit_record", args=[cast["m"]["C11"].pk]))
        .content.decode()
    )
    assert "Thông qua biên bản" in html and 'name="note_0"' in html
    assert 'id="finding-template"' in html and "Thêm thiếu sót" in html


def test_visit_with_a_bad_finding_writes_nothing(users, cast, login):
    meeting = cast["m"]["C11"]
    before = (ObserverVisit.objects.count(), Finding.objects.count())
    resp = login(users["tochuc"]).post(
        reverse("meetings:visit_record", args=[meeting.pk]),
        _visit_post(findings=[FINDING, FINDING | {"deadline": "01/01/2000"}]),
    )
    assert resp.status_code == 200
    assert "Hạn khắc phục phải từ ngày dự sinh hoạt" in resp.content.decode()
    assert (ObserverVisit.objects.count(), Finding.objects.count()) == before
    resp = login(users["tochuc"]).post(
        reverse("meetings:visit_record", args=[meeting.pk]),
        _visit_post(findings=[FINDING | {"description": ""}]),
    )
    assert resp.status_code == 200
    assert (ObserverVisit.objects.count(), Finding.objects.count()) == before


@pytest.mark.parametrize("role", ROLES)
def test_visit_edit_only_by_its_observer(role, users, cast, login):
    visit = cast["visit"]["C11"]
    client = login(users[role])
    url = reverse("meetings:visit_edit", args=[visit.pk])
    if role in {"tuyengiao", "dangvien"}:
        expected = 404
    elif role == "btv":
        expected = 200
    else:
        expected = 403
    assert client.get(url).status_code == expected
    resp = client.post(url, _visit_post(findings=[FINDING]))
    visit.refresh_from_db()
    if expected == 200:
        assert resp.status_code == 302, _errors(resp)
        assert visit.comments == "Chuẩn bị chu đáo" and visit.findings.count() == 2
    else:
        assert resp.status_code == expected
        assert visit.comments == "" and visit.findings.count() == 1


def test_visits_tab(users, cast, login):
    meeting = cast["m"]["C11"]
    html = (
        login(users["bithu"])
        .get(reverse("meetings:detail", args=[meeting.pk]) + "?tab=visits")
        .content.decode()
    )
    assert 'id="tab-visits"' in html and "Biên bản C11 ghi sơ sài" in html
    html = login(users["tuyengiao"]).get(reverse("meetings:detail", args=[meeting.pk]))
    assert 'id="tab-visits"' not in html.content.decode()


@pytest.mark.parametrize("org", ["C11", "C21"])
@pytest.mark.parametrize("role", ROLES)
def test_finding_detail_note_close_permissions(role, org, users, cast, login):
    finding = cast["finding"][org]
    client = login(users[role])
    view = 200 if role in SUPERVISION_SEES[org] else 404
    assert client.get(reverse("meetings:finding_detail", args=[finding.pk])).status_code == view
    change = view if view == 404 else (200 if role in FOLLOW_UP[org] else 403)
    today = timezone.localdate().strftime("%d/%m/%Y")
    resp = client.post(
        reverse("meetings:finding_note", args=[finding.pk]),
        {"date": today, "text": "Đã nhắc chi bộ"},
    )
    assert resp.status_code == (302 if change == 200 else change)
    assert FindingNote.objects.filter(finding=finding).exists() == (change == 200)
    resp = client.post(
        reverse("meetings:finding_close", args=[finding.pk]), {"date": today, "text": "Xong"}
    )
    finding.refresh_from_db()
    assert resp.status_code == (302 if change == 200 else change)
    assert (finding.status == "closed") == (change == 200)


def test_finding_note_bad_date_rerenders(users, cast, login):
    finding = cast["finding"]["C11"]
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    resp = login(users["chibo"]).post(
        reverse("meetings:finding_note", args=[finding.pk]), {"date": future, "text": "Sớm"}
    )
    assert resp.status_code == 200
    assert "không được ở tương lai" in " ".join(resp.context["note_form"].errors["date"])
    assert not FindingNote.objects.exists()


def test_findings_filters(users, cast, login, tree):
    client = login(users["btv"])
    url = reverse("meetings:findings")
    f11 = cast["finding"]["C11"]
    Finding.objects.filter(pk=f11.pk).update(deadline=dt.date(2020, 1, 1))
    html = client.get(url, {"overdue": "on"}).content.decode()
    assert "Biên bản C11 ghi sơ sài" in html and "Biên bản C21 ghi sơ sài" not in html
    assert "quá hạn" in html
    html = client.get(url, {"organization": tree["GC2"].pk}).content.decode()
    assert "Biên bản C21 ghi sơ sài" in html and "Biên bản C11 ghi sơ sài" not in html
    html = client.get(url, {"category": "procedure"}).content.decode()
    assert "Không có thiếu sót nào" in html
    html = client.get(url, {"status": "closed"}).content.decode()
    assert "Không có thiếu sót nào" in html


# --- anonymous, history, query counts ------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast, client):
    m = cast["m"]["C11"]
    for url in [
        reverse("meetings:list"),
        reverse("meetings:detail", args=[m.pk]),
        reverse("meetings:checkin"),
        reverse("meetings:my"),
        reverse("meetings:supervision"),
        reverse("meetings:findings"),
    ]:
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_history_tab_for_roles_with_audit(users, cast, login):
    meeting = cast["m"]["C11"]
    url = reverse("meetings:detail", args=[meeting.pk])
    assert 'id="tab-history"' in login(users["bithu"]).get(url).content.decode()
    assert 'id="tab-history"' not in login(users["chibo"]).get(url).content.decode()
    resp = login(users["bithu"]).get(reverse("meetings:history", args=[meeting.pk]))
    assert resp.status_code == 200 and "Tạo mới" in resp.content.decode()
    assert (
        login(users["chibo"]).get(reverse("meetings:history", args=[meeting.pk])).status_code == 403
    )
    html = login(users["bithu"]).get(url + "?tab=history").content.decode()
    assert "history-table" in html


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(users, login, tree, make_member):
    client = login(users["tochuc"])
    for _ in range(3):
        make_member(tree["C11"])

    def add(n, year):
        for month in range(1, n + 1):
            m = services.meeting_create(
                actor=None,
                organization=tree["C11"] if month % 2 else tree["C21"],
                kind="regular",
                scheduled_at=timezone.make_aware(dt.datetime(year, month, 5, 8)),
            )
            services.roster_build(actor=None, meeting=m)

    add(3, 2029)
    client.get(reverse("meetings:list"))  # warm caches (rules, content types)
    few = _count_queries(client, reverse("meetings:list"))
    add(12, 2030)
    many = _count_queries(client, reverse("meetings:list"))
    assert many == few, (few, many)
    assert few <= 12


def test_roster_tab_query_count_does_not_grow_with_members(users, login, tree, make_member):
    client = login(users["chibo"])

    def meeting_with(n, day):
        for _ in range(n):
            make_member(tree["C11"])
        m = services.meeting_create(
            actor=None,
            organization=tree["C11"],
            kind="regular",
            scheduled_at=timezone.make_aware(dt.datetime(2030, 1, day, 8)),
        )
        services.roster_build(actor=None, meeting=m)
        return m

    small = meeting_with(2, 5)
    url = reverse("meetings:detail", args=[small.pk]) + "?tab=roster"
    client.get(url)
    few = _count_queries(client, url)
    big = meeting_with(15, 6)
    assert big.attendances.count() >= 17
    many = _count_queries(client, reverse("meetings:detail", args=[big.pk]) + "?tab=roster")
    assert many == few, (few, many)


def test_member_list_links_and_dates_are_dd_mm_yyyy(users, cast, login):
    html = login(users["chibo"]).get(reverse("meetings:list")).content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert today in html
    assert re.search(r"\d{4}-\d{2}-\d{2}", html.split("<main")[1]) is None


def test_list_upcoming_by_default_and_past_on_request(users, cast, login, tree):
    old = services.meeting_create(
        actor=None,
        organization=tree["C11"],
        kind="regular",
        scheduled_at=timezone.make_aware(dt.datetime(2024, 3, 5, 8)),
        title="Sinh hoạt năm 2024",
    )
    client = login(users["chibo"])
    html = client.get(reverse("meetings:list")).content.decode()
    assert "Sinh hoạt C11" in html and old.title not in html
    html = client.get(reverse("meetings:list"), {"when": "past"}).content.decode()
    assert old.title in html and "Sinh hoạt C11" not in html
    html = client.get(reverse("meetings:list"), {"year": 2024}).content.decode()
    assert old.title in html
    # the filters answer the results only when htmx asks for them
    resp = client.get(
        reverse("meetings:list"),
        {"year": 2024},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="meeting-results",
    )
    assert old.title in resp.content.decode() and "<html" not in resp.content.decode()


@pytest.mark.parametrize("typed", ["14:30", "14.30", "14h30", "1430"])
def test_times_typed_the_vietnamese_ways(typed, users, cast, login):
    meeting = cast["m"]["C11"]
    when = timezone.localtime(meeting.scheduled_at)
    resp = login(users["chibo"]).post(
        reverse("meetings:edit", args=[meeting.pk]),
        {"date": when.strftime("%d/%m/%Y"), "time": typed, "title": "Giờ mới"},
    )
    assert resp.status_code == 302, _errors(resp)
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.scheduled_at).strftime("%H:%M") == "14:30"


def test_bad_time_rerenders_with_the_format(users, cast, login):
    meeting = cast["m"]["C11"]
    when = timezone.localtime(meeting.scheduled_at)
    resp = login(users["chibo"]).post(
        reverse("meetings:edit", args=[meeting.pk]),
        {"date": when.strftime("%d/%m/%Y"), "time": "25:99", "title": "Giờ sai"},
    )
    assert resp.status_code == 200
    assert "hh:mm" in " ".join(resp.context["form"].errors["time"])
    meeting.refresh_from_db()
    assert meeting.title == "Sinh hoạt C11"


def test_organisation_filter_offers_upper_levels_of_a_large_scope(
    users, cast, login, tree, monkeypatch
):
    from dangvu.members import views as member_views

    monkeypatch.setattr(member_views, "MAX_ORG_OPTIONS", 3)
    client = login(users["tochuc"])
    resp = client.get(reverse("meetings:list"))
    offered = {o.code for o in resp.context["form"].fields["organization"].queryset}
    assert "ROOT" in offered and "C11" not in offered
    resp = client.get(reverse("meetings:list"), {"organization": tree["C11"].pk})
    offered = {o.code for o in resp.context["form"].fields["organization"].queryset}
    assert "C11" in offered  # the selected one stays
    resp = client.get(reverse("meetings:findings"))
    assert "C11" not in {o.code for o in resp.context["form"].fields["organization"].queryset}
