"""Organisations over the API: the tree and its members as of a date, dated changes through the
services, size warnings, and errors that name the field."""

import datetime as dt

import pytest

from dangvu.organizations.models import Organization, OrganizationEvent

pytestmark = pytest.mark.django_db

DECISION = {"decision_number": "15-QĐ/ĐUK"}


@pytest.fixture
def tochuc(as_user, users):
    return as_user(users["tochuc"])


def test_detail_has_parent_counts_and_size_warnings(tochuc, world):
    c21 = world.tree["C21"]
    data = tochuc.get(f"/api/organizations/{c21.pk}/").json()
    assert data["parent"] == world.tree["GC2"].pk
    assert data["member_count"] == {"active": 1, "official": 1}
    codes = [w["code"] for w in data["size_warnings"]]
    assert codes == ["cell_too_small"]
    assert data["size_warnings"][0]["citation"].startswith("Theo ")
    root = tochuc.get(f"/api/organizations/{world.tree['ROOT'].pk}/").json()
    assert root["parent"] is None and root["size_warnings"] == []


def test_list_filters_and_parent_ids(tochuc, world):
    rows = tochuc.get("/api/organizations/", {"parent": world.tree["GC1"].pk}).json()["results"]
    assert [r["code"] for r in rows] == ["C11", "C12"]
    assert {r["parent"] for r in rows} == {world.tree["GC1"].pk}
    rows = tochuc.get("/api/organizations/", {"q": "y te"}).json()["results"]
    assert [r["code"] for r in rows] == ["GC2"]


def test_rename_then_tree_as_of_shows_each_name_at_its_date(tochuc, world):
    c11 = world.tree["C11"]
    resp = tochuc.post(
        f"/api/organizations/{c11.pk}/rename/",
        {"name": "Chi bộ Văn phòng – Tổng hợp", "date": "2022-01-01", **DECISION},
        format="json",
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["kind"] == "rename"

    def name_on(day):
        rows = tochuc.get("/api/organizations/tree/", {"on": day}).json()
        return next(r["name"] for r in rows if r["id"] == c11.pk)

    assert name_on("2021-12-31") == "Chi bộ Văn phòng"
    assert name_on("2022-01-01") == "Chi bộ Văn phòng – Tổng hợp"
    # before the tree existed there is nothing
    assert tochuc.get("/api/organizations/tree/", {"on": "2014-12-31"}).json() == []


def test_tree_rooted_and_depths(as_user, world):
    client = as_user(world.users["bithu"])
    rows = client.get("/api/organizations/tree/").json()
    assert [(r["code"], r["depth"]) for r in rows] == [("GC1", 1), ("C11", 2), ("C12", 2)]
    rows = client.get("/api/organizations/tree/", {"root": world.tree["GC1"].pk}).json()
    assert [(r["code"], r["depth"]) for r in rows] == [("GC1", 0), ("C11", 1), ("C12", 1)]


def test_tree_bad_date_names_the_parameter(tochuc, world):
    resp = tochuc.get("/api/organizations/tree/", {"on": "hôm qua"})
    assert resp.status_code == 400
    assert "Ngày sai định dạng" in resp.json()["on"][0]


def test_members_as_of_a_date(tochuc, world):
    m12 = world.m["m12"]
    moved = tochuc.post(
        "/api/member-events/",
        {
            "kind": "transfer_out",
            "member": m12.pk,
            "date": "2023-03-01",
            "to_organization": world.tree["C11"].pk,
            **DECISION,
        },
        format="json",
    )
    assert moved.status_code == 201, moved.content
    url = f"/api/organizations/{world.tree['C12'].pk}/members/"
    before = tochuc.get(url, {"on": "2023-02-28"}).json()
    after = tochuc.get(url, {"on": "2023-03-01"}).json()
    assert [r["id"] for r in before["results"]] == [m12.pk]
    assert before["results"][0]["status_on"] == "official"
    assert after["count"] == 0
    gc1 = tochuc.get(
        f"/api/organizations/{world.tree['GC1'].pk}/members/", {"on": "2023-03-01", "subtree": True}
    ).json()
    assert gc1["count"] == 3


def test_establish_and_errors_name_the_field(tochuc, world):
    body = {
        "parent": world.tree["GC2"].pk,
        "code": "C22",
        "name": "Chi bộ Dược",
        "org_type": "cell",
        "date": "2024-01-01",
        **DECISION,
    }
    ok = tochuc.post("/api/organizations/", body, format="json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["parent"] == world.tree["GC2"].pk

    count = Organization.objects.count()
    dup = tochuc.post("/api/organizations/", body, format="json")
    assert dup.status_code == 400 and "đã được dùng" in dup.json()["code"][0]
    wrong_parent = tochuc.post(
        "/api/organizations/",
        {**body, "code": "C23", "parent": world.tree["C21"].pk},
        format="json",
    )
    assert wrong_parent.status_code == 400 and "parent" in wrong_parent.json()
    no_parent = tochuc.post(
        "/api/organizations/", {**body, "code": "C24", "parent": None}, format="json"
    )
    assert no_parent.status_code == 400 and "parent" in no_parent.json()
    future = tochuc.post(
        "/api/organizations/",
        {**body, "code": "C25", "date": (dt.date.today() + dt.timedelta(days=2)).isoformat()},
        format="json",
    )
    assert future.status_code == 400 and "date" in future.json()
    assert Organization.objects.count() == count


def test_admin_may_establish_a_root(as_user, world):
    resp = as_user(world.users["admin"]).post(
        "/api/organizations/",
        {
            "code": "ROOT2",
            "name": "Đảng bộ Khối doanh nghiệp",
            "org_type": "superior_committee",
            "date": "2024-01-01",
            **DECISION,
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["parent"] is None


def test_rename_without_decision_is_400_and_unchanged(tochuc, world):
    c11 = world.tree["C11"]
    resp = tochuc.post(
        f"/api/organizations/{c11.pk}/rename/", {"name": "Tên mới", "date": "2024-01-01"}, "json"
    )
    assert resp.status_code == 400
    assert resp.json()["decision_number"] == ["Trường này là bắt buộc."]
    c11.refresh_from_db()
    assert c11.name == "Chi bộ Văn phòng"
    assert not OrganizationEvent.objects.filter(kind="rename").exists()


def test_dissolve_with_members_is_a_non_field_error(tochuc, world):
    resp = tochuc.post(
        f"/api/organizations/{world.tree['C21'].pk}/dissolve/",
        {"date": "2024-01-01", **DECISION},
        format="json",
    )
    assert resp.status_code == 400
    assert "còn 1 đảng viên" in resp.json()["non_field_errors"][0]
    world.tree["C21"].refresh_from_db()
    assert world.tree["C21"].dissolved_on is None


def test_merge_moves_members_and_ends_the_source(tochuc, world):
    resp = tochuc.post(
        f"/api/organizations/{world.tree['C12'].pk}/merge/",
        {"target": world.tree["C11"].pk, "date": "2024-01-01", **DECISION},
        format="json",
    )
    assert resp.status_code == 200, resp.content
    world.m["m12"].refresh_from_db()
    assert world.m["m12"].organization == world.tree["C11"]
    detail = tochuc.get(f"/api/organizations/{world.tree['C12'].pk}/").json()
    assert detail["dissolved_on"] == "2024-01-01" and detail["is_active"] is False


def test_split_errors_are_keyed_by_parts(tochuc, world):
    resp = tochuc.post(
        f"/api/organizations/{world.tree['C12'].pk}/split/",
        {
            "parts": [{"code": "A", "name": "A"}, {"code": "B", "name": "B"}],
            "date": "2024-01-01",
            **DECISION,
        },
        format="json",
    )
    assert resp.status_code == 400
    assert "chưa được xếp" in resp.json()["parts"][0]
    assert not Organization.objects.filter(code__in=["A", "B"]).exists()


def test_patch_updates_only_plain_fields(tochuc, world):
    c11 = world.tree["C11"]
    resp = tochuc.patch(
        f"/api/organizations/{c11.pk}/",
        {"email": "khong-phai-email", "name": "Bị bỏ qua"},
        format="json",
    )
    assert resp.status_code == 400 and "email" in resp.json()
    resp = tochuc.patch(
        f"/api/organizations/{c11.pk}/",
        {"email": "vanphong@stc.gov.vn", "name": "Bị bỏ qua"},
        format="json",
    )
    assert resp.status_code == 200
    c11.refresh_from_db()
    assert c11.email == "vanphong@stc.gov.vn" and c11.name == "Chi bộ Văn phòng"
