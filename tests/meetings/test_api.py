"""The meetings and supervision API: what each endpoint returns, its filters, its 400s.

Who may call what is in tests/api/test_permissions.py (the matrix); here the content.
"""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from dangvu.meetings import services
from dangvu.meetings.models import Assignment, Finding, Meeting, ObserverVisit
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db

D = local(2026, 3, 5, 8, 0)


@pytest.fixture
def as_user():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def cell(tree, users, make_member):
    """C11: the member `dangvien` plus eight official members and one probationary member."""
    from dangvu.members.models import Member

    own = Member.objects.get(user=users["dangvien"])
    others = [make_member(tree["C11"]) for _ in range(8)]
    prob = make_member(tree["C11"], admission_date=dt.date(2025, 12, 1), official_date=None)
    return {"own": own, "others": others, "prob": prob}


def _create(client, tree, code="C11", **extra):
    body = {
        "organization": tree[code].pk,
        "kind": "regular",
        "scheduled_at": D.isoformat(),
        **extra,
    }
    return client.post("/api/meetings/", body, format="json")


def test_create_copies_the_agenda_and_detail_shows_votes_and_rate(as_user, tree, users, cell):
    chibo = as_user(users["chibo"])
    resp = _create(chibo, tree, title="Tháng 3", location="Phòng họp")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["agenda"][0] == {"section": "opening", "title": "Thu đảng phí"}
    assert data["status"] == "planned" and data["kind_label"] == "Sinh hoạt thường kỳ"
    assert data["vote_result"]["passed"] is None and data["attendance_rate"] is None
    mid = data["id"]
    assert chibo.post(f"/api/meetings/{mid}/roster/").status_code == 200
    # Everyone present except the probationary member and one official member.
    meeting = Meeting.objects.get(pk=mid)
    for row in meeting.attendances.exclude(member=cell["others"][0]):
        r = chibo.patch(f"/api/attendances/{row.pk}/", {"status": "present"}, format="json")
        assert r.status_code == 200
    row = meeting.attendances.get(member=cell["others"][0])
    r = chibo.patch(f"/api/attendances/{row.pk}/", {"status": "absent_excused"}, format="json")
    assert r.status_code == 400 and "reason" in r.json()
    r = chibo.patch(
        f"/api/attendances/{row.pk}/",
        {"status": "absent_excused", "reason": "Đi công tác"},
        format="json",
    )
    assert r.json()["reason"] == "Đi công tác"
    resp = chibo.post(
        f"/api/meetings/{mid}/close/",
        {
            "started_at": D.isoformat(),
            "ended_at": (D + dt.timedelta(minutes=85)).isoformat(),
            "resolution": "Nghị quyết tháng 3",
            "votes_for": 5,
            "votes_against": 3,
            "quality": "good",
            "minutes_approved": True,
        },
        format="json",
    )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["meeting"]["status"] == "held"
    assert body["meeting"]["vote_result"] == {
        "official_on_roster": 9,
        "official_present": 8,
        "votes_for": 5,
        "votes_against": 3,
        "votes_abstain": 0,
        "needed": 5,
        "passed": True,
        "citation": body["meeting"]["vote_result"]["citation"],
    }
    assert body["meeting"]["resolution_passed"] is True
    assert body["meeting"]["attendance_rate"] == pytest.approx(9 / 10)
    assert any("85 phút" in w for w in body["warnings"])
    # Once held, the plan is no longer edited.
    r = chibo.patch(f"/api/meetings/{mid}/", {"title": "Khác"}, format="json")
    assert r.status_code == 400
    assert Meeting.objects.get(pk=mid).title == "Tháng 3"


def test_votes_beyond_the_official_members_present_are_refused(as_user, tree, users, cell):
    chibo = as_user(users["chibo"])
    mid = _create(chibo, tree).json()["id"]
    chibo.post(f"/api/meetings/{mid}/roster/")
    for row in Meeting.objects.get(pk=mid).attendances.all():
        chibo.patch(f"/api/attendances/{row.pk}/", {"status": "present"}, format="json")
    resp = chibo.post(
        f"/api/meetings/{mid}/close/",
        {
            "started_at": D.isoformat(),
            "ended_at": (D + dt.timedelta(minutes=95)).isoformat(),
            "votes_for": 10,  # 9 official + 1 probationary present
        },
        format="json",
    )
    assert resp.status_code == 400 and "dự bị" in resp.json()["votes_for"][0]
    assert Meeting.objects.get(pk=mid).status == "planned"


def test_bad_input_is_400_by_field_and_writes_nothing(as_user, tree, users):
    chibo = as_user(users["chibo"])
    resp = _create(chibo, tree, kind="all_member")
    assert resp.status_code == 400 and "kind" in resp.json()
    resp = chibo.post("/api/meetings/", {"organization": tree["C11"].pk}, format="json")
    assert {"kind", "scheduled_at"} <= set(resp.json())
    resp = chibo.post(
        "/api/meetings/plan-year/",
        {"organization": tree["C11"].pk, "year": 2030, "day": 40},
        format="json",
    )
    assert resp.status_code == 400 and "day" in resp.json()
    assert Meeting.objects.count() == 0


def test_plan_year_returns_the_new_meetings_and_adds_nothing_the_second_time(as_user, tree, users):
    bithu = as_user(users["bithu"])
    body = {"organization": tree["C12"].pk, "year": 2030, "day": 10, "hour": 14}
    resp = bithu.post("/api/meetings/plan-year/", body, format="json")
    assert resp.status_code == 201
    rows = resp.json()
    assert len(rows) == 16 and [r["kind"] for r in rows].count("thematic") == 4
    assert rows[0]["scheduled_at"].startswith("2030-01-10T14:00")
    again = bithu.post("/api/meetings/plan-year/", body, format="json")
    assert again.status_code == 201 and again.json() == []


def test_filters_subtree_kind_status_and_dates(as_user, tree, users):
    for code, when in (("C11", D), ("C12", local(2026, 4, 2, 8)), ("C21", D)):
        services.meeting_create(
            actor=None, organization=tree[code], kind="regular", scheduled_at=when
        )
    services.meeting_create(
        actor=None, organization=tree["C11"], kind="thematic", scheduled_at=local(2026, 3, 20, 14)
    )
    btv = as_user(users["btv"])

    def ids(query):
        resp = btv.get("/api/meetings/", query)
        assert resp.status_code == 200, resp.content
        return resp.json()["count"]

    assert ids({}) == 4
    assert ids({"organization": tree["GC1"].pk}) == 3
    assert ids({"organization": tree["GC1"].pk, "kind": "thematic"}) == 1
    assert ids({"date_from": "2026-03-05", "date_to": "2026-03-31"}) == 3
    assert ids({"date_to": "04/03/2026"}) == 0
    assert ids({"status": "planned"}) == 4
    # bithu may not filter by an organisation outside its scope
    resp = as_user(users["bithu"]).get("/api/meetings/", {"organization": tree["C21"].pk})
    assert resp.status_code == 400


def test_notice_returns_warnings_and_members_see_their_meeting_without_the_code(
    as_user, tree, users, cell, clock
):
    chibo = as_user(users["chibo"])
    mid = _create(chibo, tree).json()["id"]
    resp = chibo.post(f"/api/meetings/{mid}/notice/")
    assert resp.status_code == 200
    body = resp.json()
    assert body["meeting"]["status"] == "notified"
    assert any("Chưa đăng tài liệu" in w for w in body["warnings"])
    assert users["dangvien"].notifications.filter(kind="meeting_notice").count() == 1
    # Check-in opened on the meeting day (the service clock is moved there).
    clock(D - dt.timedelta(minutes=5))
    resp = chibo.post(f"/api/meetings/{mid}/checkin-open/", {}, format="json")
    assert resp.status_code == 200, resp.content
    code = resp.json()["checkin_code"]
    assert resp.json()["checkin_url"].endswith(
        f"/meetings/checkin/t/{resp.json()['checkin_token']}/"
    )
    assert chibo.get(f"/api/meetings/{mid}/").json()["checkin_code"] == code
    member = as_user(users["dangvien"])
    detail = member.get(f"/api/meetings/{mid}/").json()
    assert detail["checkin_code"] is None and detail["checkin_token"] is None
    assert member.get("/api/attendances/").json()["count"] == 1  # own row only
    clock(D + dt.timedelta(minutes=10))
    resp = member.post("/api/attendances/checkin/", {"code": code.lower()}, format="json")
    assert resp.status_code == 200 and resp.json()["method"] == "qr"
    clock(D + dt.timedelta(minutes=200))
    resp = member.post("/api/attendances/checkin/", {"code": code}, format="json")
    assert resp.status_code == 400 and "hết hạn" in resp.json()["code"][0]


def test_supervision_flow_over_the_api(as_user, tree, users, cell):
    meeting = services.meeting_create(
        actor=None, organization=tree["C11"], kind="regular", scheduled_at=D
    )
    btv, tochuc, chibo = (as_user(users[k]) for k in ("btv", "tochuc", "chibo"))
    resp = btv.post(
        "/api/assignments/",
        {"user": users["btv"].pk, "organization": tree["GC1"].pk, "valid_from": "2026-01-01"},
        format="json",
    )
    assert resp.status_code == 201 and resp.json()["in_force"] is True
    resp = btv.post(
        "/api/assignments/",
        {"user": users["btv"].pk, "organization": tree["GC1"].pk, "valid_from": "2026-02-01"},
        format="json",
    )
    assert resp.status_code == 400 and "valid_from" in resp.json()
    assert Assignment.objects.count() == 1
    resp = btv.post(
        "/api/observer-visits/",
        {"meeting": meeting.pk, "assessment": "fair", "comments": "Thiếu dự thảo nghị quyết"},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    visit = resp.json()
    assert visit["checklist"][0]["code"] == "preparation" and visit["observer"] == users["btv"].pk
    r = tochuc.patch(f"/api/observer-visits/{visit['id']}/", {"comments": "x"}, format="json")
    assert r.status_code == 403
    r = btv.patch(
        f"/api/observer-visits/{visit['id']}/",
        {"checklist": [{"code": "preparation", "done": False, "note": "Chưa có dự thảo"}]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["checklist"][0]["title"].startswith("Chuẩn bị")
    resp = btv.post(
        "/api/findings/",
        {
            "visit": visit["id"],
            "category": "preparation",
            "description": "Không chuẩn bị dự thảo nghị quyết",
            "action": "Chuẩn bị dự thảo trước mỗi kỳ sinh hoạt",
            "owner": "Bí thư Chi bộ Văn phòng",
            "owner_user": users["chibo"].pk,
            "deadline": "2026-04-05",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    fid = resp.json()["id"]
    assert resp.json()["overdue"] is True  # the deadline is past and it is still open
    assert chibo.get("/api/findings/", {"overdue": "true"}).json()["count"] == 1
    assert chibo.get("/api/findings/", {"category": "records"}).json()["count"] == 0
    r = chibo.post(
        f"/api/findings/{fid}/notes/", {"date": "2026-03-01", "text": "x"}, format="json"
    )
    assert r.status_code == 400 and "date" in r.json()
    r = chibo.post(
        f"/api/findings/{fid}/notes/",
        {"date": "2026-03-10", "text": "Đã họp chi ủy"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["author"] == users["chibo"].pk
    r = chibo.post(
        f"/api/findings/{fid}/close/", {"date": "2026-04-10", "text": "Đã khắc phục"}, format="json"
    )
    assert r.status_code == 200
    assert r.json()["status"] == "closed" and len(r.json()["notes"]) == 2
    assert chibo.get("/api/findings/", {"overdue": "true"}).json()["count"] == 0
    assert chibo.get("/api/findings/", {"status": "closed"}).json()["count"] == 1
    # Ending the assignment: the assigning committee (btv), not the cell secretary.
    aid = Assignment.objects.get().pk
    assert (
        chibo.patch(f"/api/assignments/{aid}/", {"valid_to": "2026-06-01"}, format="json")
    ).status_code == 404  # GC1's assignment is outside C11's view
    r = btv.patch(f"/api/assignments/{aid}/", {"valid_to": "2026-06-01"}, format="json")
    assert r.status_code == 200 and r.json()["in_force"] is False
    assert ObserverVisit.objects.count() == 1 and Finding.objects.count() == 1


def test_checkin_needs_a_member_account(as_user, users):
    resp = as_user(users["chibo"]).post("/api/attendances/checkin/", {"code": "ABCDEF"})
    assert resp.status_code == 400 and "code" in resp.json()
    resp = as_user(users["chibo"]).post("/api/attendances/checkin/", {})
    assert resp.status_code == 400
