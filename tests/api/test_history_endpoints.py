"""Read-only history over the API: memberships (a member sees its own), organisation versions
(the tree as of a date), organisation events, and the type labels only a global role edits."""

import pytest

from dangvu.organizations.models import OrganizationTypeLabel

pytestmark = pytest.mark.django_db

DECISION = {"decision_number": "15-QĐ/ĐUK"}


@pytest.fixture
def tochuc(as_user, world):
    return as_user(world.users["tochuc"])


def results(client, url, **params):
    resp = client.get(url, params)
    assert resp.status_code == 200, resp.content
    return resp.json()["results"]


# ---- memberships


def test_member_account_sees_only_its_own_memberships(as_user, world):
    client = as_user(world.users["dangvien"])
    rows = results(client, "/api/memberships/")
    assert [r["member"] for r in rows] == [world.m["own"].pk]
    assert rows[0]["organization"] == world.tree["C11"].pk and rows[0]["kind"] == "official"
    # asking for someone else's gives nothing, not an error
    assert results(client, "/api/memberships/", member=world.m["m11"].pk) == []
    other = world.m["m11"].memberships.get()
    assert client.get(f"/api/memberships/{other.pk}/").status_code == 404


def test_memberships_as_of_a_date_follow_a_transfer(tochuc, world):
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

    def orgs(**params):
        rows = results(tochuc, "/api/memberships/", member=m12.pk, **params)
        return [r["organization"] for r in rows]

    c11, c12 = world.tree["C11"].pk, world.tree["C12"].pk
    assert orgs() == [c12, c11]
    assert orgs(on="2023-02-28") == [c12]
    assert orgs(on="2023-03-01") == [c11]
    assert orgs(on="2009-01-01") == []
    # organisation filter covers the subtree; C11 now holds own, m11 and m12 (from 2023)
    in_gc2 = results(tochuc, "/api/memberships/", organization=world.tree["GC2"].pk)
    assert [r["member"] for r in in_gc2] == [world.m["m21"].pk]
    in_c11_then = results(tochuc, "/api/memberships/", organization=c11, on="2023-02-28")
    assert len(in_c11_then) == 2
    assert results(tochuc, "/api/memberships/", kind="temporary") == []


def test_membership_organisation_filter_offers_only_the_scope(as_user, world):
    client = as_user(world.users["bithu"])
    resp = client.get("/api/memberships/", {"organization": world.tree["C21"].pk})
    assert resp.status_code == 400 and "organization" in resp.json()


# ---- organisation versions and events


def test_versions_on_a_date_give_the_tree_after_a_rename(tochuc, world):
    c11 = world.tree["C11"]
    resp = tochuc.post(
        f"/api/organizations/{c11.pk}/rename/",
        {"name": "Chi bộ Văn phòng – Tổng hợp", "date": "2022-01-01", **DECISION},
        format="json",
    )
    assert resp.status_code == 200, resp.content

    def tree_on(day):
        rows = results(tochuc, "/api/organization-versions/", on=day)
        return {r["code"]: (r["name"], r["parent"]) for r in rows}

    before, after = tree_on("2021-12-31"), tree_on("2022-01-01")
    assert len(before) == len(after) == 7
    gc1 = world.tree["GC1"].pk
    assert before["C11"] == ("Chi bộ Văn phòng", gc1)
    assert after["C11"] == ("Chi bộ Văn phòng – Tổng hợp", gc1)
    assert {k: v for k, v in before.items() if k != "C11"} == {
        k: v for k, v in after.items() if k != "C11"
    }
    assert tree_on("2014-12-31") == {}

    history = results(tochuc, "/api/organization-versions/", organization=c11.pk)
    assert [(r["valid_from"], r["valid_to"]) for r in history] == [
        ("2015-01-01", "2022-01-01"),
        ("2022-01-01", None),
    ]
    children = results(tochuc, "/api/organization-versions/", parent=gc1, on="2021-06-01")
    assert sorted(r["code"] for r in children) == ["C11", "C12"]

    # the rename is an event of C11, found by kind, organisation (subtree) and date range
    events = results(tochuc, "/api/organization-events/", kind="rename")
    assert [(e["organization"], e["old_value"], e["new_value"]) for e in events] == [
        (c11.pk, "Chi bộ Văn phòng", "Chi bộ Văn phòng – Tổng hợp")
    ]
    assert len(results(tochuc, "/api/organization-events/", organization=gc1)) == 4
    in_2022 = results(
        tochuc, "/api/organization-events/", date_from="2022-01-01", date_to="2022-12-31"
    )
    assert [e["kind"] for e in in_2022] == ["rename"]
    assert history[1]["event"] == events[0]["id"]


def test_versions_are_limited_to_the_scope(as_user, world):
    client = as_user(world.users["bithu"])
    rows = results(client, "/api/organization-versions/", on="2020-01-01")
    assert sorted(r["code"] for r in rows) == ["C11", "C12", "GC1"]
    resp = client.get("/api/organization-versions/", {"parent": world.tree["ROOT"].pk})
    assert resp.status_code == 400 and "parent" in resp.json()


# ---- organisation type labels


def test_type_labels_are_edited_by_the_administrator_only(as_user, world):
    url = f"/api/organization-type-labels/{world.label.pk}/"
    tochuc = as_user(world.users["tochuc"])
    assert tochuc.get(url).json() == {
        "id": world.label.pk,
        "org_type": "cell",
        "default_label": "Chi bộ trực thuộc",
        "label": "Chi bộ trực thuộc",
        "short_label": "Chi bộ",
    }
    refused = tochuc.patch(url, {"label": "Chi bộ"}, format="json")
    assert refused.status_code == 403 and "chỉ quản trị" in refused.json()["detail"]

    admin = as_user(world.users["admin"])
    blank = admin.patch(url, {"label": ""}, format="json")
    assert blank.status_code == 400 and "không được để trống" in blank.json()["label"][0]
    assert OrganizationTypeLabel.objects.get(pk=world.label.pk).label == "Chi bộ trực thuộc"

    ok = admin.patch(url, {"label": "Chi bộ", "short_label": "CB"}, format="json")
    assert ok.status_code == 200, ok.content
    assert (ok.json()["label"], ok.json()["short_label"]) == ("Chi bộ", "CB")
    row = OrganizationTypeLabel.objects.get(pk=world.label.pk)
    assert row.history.latest().history_user == world.users["admin"]
    assert results(tochuc, "/api/organization-type-labels/", org_type="cell")[0]["label"] == (
        "Chi bộ"
    )
    assert results(tochuc, "/api/organization-type-labels/", org_type="sub_committee") == []
