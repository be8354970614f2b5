"""Members and member events over the API: services behind them, Vietnamese 400s that write
nothing, every lifecycle kind, and a bounded number of queries for a list page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.members.models import Member, MemberEvent, Membership
from tests.conftest import member_data

pytestmark = pytest.mark.django_db


def jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


@pytest.fixture
def tochuc(as_user, users):
    return as_user(users["tochuc"])


# ---- create / read / update ----------------------------------------------------------------


def test_create_member_calls_the_service_and_returns_the_record(tochuc, tree):
    body = {"organization": tree["C11"].pk, **jsonable(member_data(full_name="Đỗ Thị Hoa"))}
    resp = tochuc.post("/api/members/", body, format="json")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    member = Member.objects.get(pk=data["id"])
    assert member.full_name == "Đỗ Thị Hoa" and member.organization == tree["C11"]
    assert data["status"] == "official"
    assert data["party_age"]["years"] >= 15
    assert list(member.events.values_list("kind", flat=True)) == ["admitted", "recognised_official"]
    assert Membership.objects.filter(member=member, valid_to__isnull=True).count() == 1


def test_create_with_invalid_citizen_id_is_400_and_writes_nothing(tochuc, tree, users):
    before = (Member.objects.count(), MemberEvent.objects.count())
    body = {"organization": tree["C11"].pk, **jsonable(member_data(citizen_id="123456789012"))}
    resp = tochuc.post("/api/members/", body, format="json")
    assert resp.status_code == 400
    errors = resp.json()
    assert list(errors) == ["citizen_id"]
    assert "CCCD" in errors["citizen_id"][0] or "căn cước" in errors["citizen_id"][0].lower()
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_create_with_rule_violation_cites_the_rule(tochuc, tree, users):
    before = Member.objects.count()
    data = member_data(
        date_of_birth=dt.date(1990, 6, 10), admission_date=dt.date(2008, 6, 9), official_date=None
    )
    resp = tochuc.post(
        "/api/members/", {"organization": tree["C11"].pk, **jsonable(data)}, format="json"
    )
    assert resp.status_code == 400
    assert "18 tuổi" in resp.json()["admission_date"][0]
    assert Member.objects.count() == before


def test_missing_and_malformed_fields_are_named_in_vietnamese(tochuc, tree, users):
    resp = tochuc.post(
        "/api/members/",
        {"organization": tree["C11"].pk, "gender": "x", "date_of_birth": "31/02/1990"},
        format="json",
    )
    assert resp.status_code == 400
    errors = resp.json()
    assert errors["full_name"] == ["Trường này là bắt buộc."]
    assert "không phải là một lựa chọn hợp lệ" in errors["gender"][0]
    assert "Ngày sai định dạng" in errors["date_of_birth"][0]


def test_duplicate_card_number_is_named_by_the_service(tochuc, world):
    body = {
        "organization": world.tree["C11"].pk,
        **jsonable(member_data(card_number=world.m["m21"].card_number)),
    }
    resp = tochuc.post("/api/members/", body, format="json")
    assert resp.status_code == 400
    assert "đã có trong hồ sơ" in resp.json()["card_number"][0]


def test_patch_member_goes_through_member_update(tochuc, world):
    m = world.m["m11"]
    resp = tochuc.patch(f"/api/members/{m.pk}/", {"phone": "0905 000 111"}, format="json")
    assert resp.status_code == 200, resp.content
    m.refresh_from_db()
    assert m.phone == "0905 000 111"
    assert m.history.first().source == "api"


def test_patch_cannot_change_status_or_organization(tochuc, world):
    m = world.m["m11"]
    resp = tochuc.patch(
        f"/api/members/{m.pk}/",
        {"status": "expelled", "organization": world.tree["C21"].pk},
        format="json",
    )
    assert resp.status_code == 200
    m.refresh_from_db()
    assert m.status == "official" and m.organization == world.tree["C11"]


def test_patch_with_invalid_official_date_is_400_and_unchanged(tochuc, world):
    m = world.m["m11"]
    resp = tochuc.patch(f"/api/members/{m.pk}/", {"official_date": "2010-06-01"}, format="json")
    assert resp.status_code == 400
    assert "official_date" in resp.json()
    m.refresh_from_db()
    assert m.official_date == dt.date(2011, 5, 19)


def test_member_list_filters_with_the_shared_filterset(as_user, world):
    client = as_user(world.users["bithu"])
    resp = client.get("/api/members/", {"q": "muoi hai"})
    assert [r["id"] for r in resp.json()["results"]] == [world.m["m12"].pk]
    # an organisation outside the user's scope is not a valid choice
    resp = client.get("/api/members/", {"organization": world.tree["C21"].pk})
    assert resp.status_code == 400
    assert "organization" in resp.json()


def test_member_event_filter_offers_only_organisations_in_scope(as_user, world):
    client = as_user(world.users["bithu"])
    ok = client.get("/api/member-events/", {"organization": world.tree["C12"].pk})
    assert ok.status_code == 200 and ok.json()["count"] == 2
    out = client.get("/api/member-events/", {"organization": world.tree["C21"].pk})
    assert out.status_code == 400


# ---- member events ---------------------------------------------------------------------------


def test_event_without_decision_number_is_400_and_writes_nothing(tochuc, world):
    before = MemberEvent.objects.count()
    m = world.m["m11"]
    resp = tochuc.post(
        "/api/member-events/",
        {"kind": "removed", "member": m.pk, "date": "2024-01-05"},
        format="json",
    )
    assert resp.status_code == 400
    assert resp.json() == {"decision_number": ["Chưa nhập số quyết định."]}
    blank = tochuc.post(
        "/api/member-events/",
        {"kind": "removed", "member": m.pk, "date": "2024-01-05", "decision_number": "  "},
        format="json",
    )
    assert blank.status_code == 400 and "decision_number" in blank.json()
    assert MemberEvent.objects.count() == before
    m.refresh_from_db()
    assert m.status == "official"


def test_event_kind_must_be_known(tochuc, world):
    resp = tochuc.post(
        "/api/member-events/", {"kind": "admitted", "member": world.m["m11"].pk}, format="json"
    )
    assert resp.status_code == 400 and "kind" in resp.json()


def test_event_refused_by_the_service_keeps_status(tochuc, world):
    m = world.m["m11"]
    resp = tochuc.post(
        "/api/member-events/",
        {"kind": "exemption_ended", "member": m.pk, "date": "2024-01-05"},
        format="json",
    )
    assert resp.status_code == 400
    assert "trạng thái" in resp.json()["non_field_errors"][0]


def test_transfer_out_requires_a_destination(tochuc, world):
    resp = tochuc.post(
        "/api/member-events/",
        {
            "kind": "transfer_out",
            "member": world.m["m11"].pk,
            "date": "2024-01-05",
            "decision_number": "9-QĐ",
            "transfer_kind": "official",
        },
        format="json",
    )
    assert resp.status_code == 400
    assert "to_organization" in resp.json()


def test_visible_but_not_changeable_member_is_403(as_user, world):
    # propaganda department sees every member but may not change any
    resp = as_user(world.users["tuyengiao"]).post(
        "/api/member-events/",
        {"kind": "died", "member": world.m["m11"].pk, "date": "2024-01-05"},
        format="json",
    )
    assert resp.status_code == 403
    assert MemberEvent.objects.filter(kind="died").count() == 0


def test_transfer_in_target_must_be_in_scope(as_user, world):
    client = as_user(world.users["bithu"])
    m = world.m["m12"]
    out = client.post(
        "/api/member-events/",
        {
            "kind": "transfer_out",
            "member": m.pk,
            "date": "2024-01-05",
            "decision_number": "1-QĐ",
            "external_place": "Đảng bộ tỉnh khác",
        },
        format="json",
    )
    assert out.status_code == 201, out.content
    back = client.post(
        "/api/member-events/",
        {
            "kind": "transfer_in",
            "member": m.pk,
            "date": "2024-03-01",
            "decision_number": "2-QĐ",
            "organization": world.tree["C21"].pk,
        },
        format="json",
    )
    assert back.status_code == 400 and "organization" in back.json()


def test_every_lifecycle_kind_through_the_api(tochuc, tree, users):
    """One member through all eleven kinds, each dispatched to its service."""
    create = tochuc.post(
        "/api/members/",
        {
            "organization": tree["C11"].pk,
            **jsonable(
                member_data(
                    full_name="Vũ Văn Vòng Đời",
                    admission_date=dt.date(2023, 1, 10),
                    official_date=None,
                )
            ),
        },
        format="json",
    )
    assert create.status_code == 201, create.content
    mid = create.json()["id"]
    other = Member.objects.exclude(pk=mid).first()

    def event(kind, **fields):
        resp = tochuc.post("/api/member-events/", {"kind": kind, "member": mid, **fields}, "json")
        assert resp.status_code == 201, (kind, resp.content)
        assert resp.json()["kind"] == kind
        return Member.objects.get(pk=mid)

    decision = {"decision_number": "10-QĐ/ĐU"}
    m = event("recognised_official", **decision)
    assert m.status == "official" and m.official_date == dt.date(2024, 1, 10)
    m = event("card_reissued", date="2024-02-01", new_card_number="99000001")
    assert m.card_number == "99000001"
    m = event("exemption_granted", date="2024-03-01", **decision)
    assert m.status == "exempt"
    m = event("exemption_ended", date="2024-04-01")
    assert m.status == "official"
    m = event(
        "transfer_out",
        date="2024-05-01",
        transfer_kind="temporary",
        to_organization=tree["C21"].pk,
        **decision,
    )
    assert m.organization == tree["C11"]
    assert m.memberships.filter(kind="temporary", valid_to__isnull=True).count() == 1
    m = event("temporary_end", date="2024-06-01")
    assert not m.memberships.filter(kind="temporary", valid_to__isnull=True).exists()
    m = event("transfer_out", date="2024-07-01", external_place="Tỉnh khác", **decision)
    assert m.status == "transferred_out"
    m = event("transfer_in", date="2024-08-01", organization=tree["C12"].pk, **decision)
    assert m.status == "official" and m.organization == tree["C12"]
    m = event("removed", date="2024-09-01", **decision)
    assert m.status == "removed"
    m = event("readmitted", date="2025-01-01", organization=tree["C11"].pk, **decision)
    assert m.status == "probationary" and m.organization == tree["C11"]
    m = event("died", date="2025-02-01")
    assert m.status == "deceased"

    resp = tochuc.post(
        "/api/member-events/",
        {"kind": "expelled", "member": other.pk, "date": "2025-02-01", **decision},
        format="json",
    )
    assert resp.status_code == 201
    detail = tochuc.get(f"/api/members/{mid}/").json()
    assert detail["party_age"]["gap_days"] == (dt.date(2025, 1, 1) - dt.date(2024, 9, 1)).days
    events = tochuc.get("/api/member-events/", {"member": mid}).json()
    assert events["count"] == 12  # admitted + ten kinds above, transfer out twice


# ---- query-count guard ---------------------------------------------------------------------


def test_member_list_queries_do_not_grow_with_page_size(tochuc, tree, users, make_member):
    for _ in range(50):
        make_member(tree["C12"])

    def run(page_size):
        with CaptureQueriesContext(connection) as ctx:
            resp = tochuc.get("/api/members/", {"page_size": page_size})
        assert resp.status_code == 200
        assert len(resp.json()["results"]) == page_size
        return len(ctx.captured_queries)

    run(1)  # the first request also reads the user's roles (then cached on the user)
    small, large = run(5), run(50)
    assert small == large, (small, large)


def test_member_list_of_50_rows_is_bounded(
    tochuc, tree, users, make_member, django_assert_max_num_queries
):
    for _ in range(50):
        make_member(tree["C12"])
    with django_assert_max_num_queries(6):
        resp = tochuc.get("/api/members/", {"page_size": 50})
    assert len(resp.json()["results"]) == 50


def test_event_list_and_org_list_are_bounded(
    tochuc, world, make_member, django_assert_max_num_queries
):
    for _ in range(20):
        make_member(world.tree["C21"])
    with django_assert_max_num_queries(6):
        assert tochuc.get("/api/member-events/").json()["count"] == 48
    with django_assert_max_num_queries(6):
        assert tochuc.get("/api/organizations/").json()["count"] == 7
