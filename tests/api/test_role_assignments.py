"""Role assignments over the API: only the administrator gives and ends roles; history stays
(no delete); bad input names the field and writes nothing; a new role takes effect at once."""

import datetime as dt

import pytest

from dangvu.accounts.models import RoleAssignment, User

pytestmark = pytest.mark.django_db

URL = "/api/role-assignments/"


@pytest.fixture
def admin(as_user, world):
    return as_user(world.users["admin"])


def fresh(user):
    """The account read again (scope grants are cached on the instance)."""
    return User.objects.get(pk=user.pk)


def members_seen(as_user, user) -> int:
    return as_user(fresh(user)).get("/api/members/").json()["count"]


def test_admin_gives_a_role_and_it_takes_effect(admin, as_user, world):
    chibo = world.users["chibo"]
    assert members_seen(as_user, chibo) == 2  # own cell C11
    resp = admin.post(
        URL,
        {
            "user": chibo.pk,
            "role": "cell_secretary",
            "organization": world.tree["C12"].pk,
            "valid_from": "2024-06-01",
            "note": "Kiêm nhiệm",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["username"] == "chibo" and data["role_label"] == "Bí thư chi bộ"
    assert data["organization_name"] == "Chi bộ Thanh tra" and data["valid_to"] is None
    row = RoleAssignment.objects.get(pk=data["id"])
    assert row.history.get().history_user == world.users["admin"]
    assert members_seen(as_user, chibo) == 3  # C11 and C12


def test_a_non_admin_gets_403_and_nothing_is_written(as_user, world):
    count = RoleAssignment.objects.count()
    for name in ("tochuc", "bithu", "btv"):
        resp = as_user(world.users[name]).post(
            URL,
            {
                "user": world.users["chibo"].pk,
                "role": "cell_secretary",
                "organization": world.tree["C12"].pk,
                "valid_from": "2024-06-01",
            },
            format="json",
        )
        assert resp.status_code == 403, (name, resp.content)
        # nobody but the administrator sees role assignments at all
        assert as_user(world.users[name]).get(URL).json()["count"] == 0
    assert RoleAssignment.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({"organization": None}, "organization", "phải gắn với một tổ chức đảng"),
        ({"role": "thu_quy"}, "role", "không phải là một lựa chọn hợp lệ"),
        ({"user": 999999}, "user", "không tồn tại"),
        ({"valid_from": "01-06-2024x"}, "valid_from", "Ngày sai định dạng"),
        ({"valid_to": "2024-01-01"}, "valid_to", "phải sau ngày bắt đầu"),
        ({"valid_from": None}, "valid_from", "không được để trống"),
    ],
)
def test_bad_input_is_400_keyed_by_field_and_nothing_is_written(admin, world, body, field, text):
    count = RoleAssignment.objects.count()
    history = RoleAssignment.history.count()
    good = {
        "user": world.users["chibo"].pk,
        "role": "grassroots_secretary",
        "organization": world.tree["GC2"].pk,
        "valid_from": "2024-06-01",
    }
    resp = admin.post(URL, {**good, **body}, format="json")
    assert resp.status_code == 400, resp.content
    errors = resp.json()
    assert list(errors) == [field]
    assert text in errors[field][0]
    assert (RoleAssignment.objects.count(), RoleAssignment.history.count()) == (count, history)


def test_admin_role_needs_no_organisation(admin, world):
    resp = admin.post(
        URL,
        {"user": world.users["btv"].pk, "role": "admin", "valid_from": "2024-06-01"},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["organization"] is None and resp.json()["organization_name"] is None


def test_end_a_role_with_valid_to_then_it_no_longer_applies(admin, as_user, world):
    bithu = world.users["bithu"]
    assert members_seen(as_user, bithu) == 3
    url = f"{URL}{world.ra.pk}/"
    today = dt.date.today().isoformat()
    resp = admin.patch(url, {"valid_to": today, "note": "Nghỉ hưu"}, format="json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["valid_to"] == today
    assert members_seen(as_user, bithu) == 0
    row = RoleAssignment.objects.get(pk=world.ra.pk)
    assert row.history.latest().history_user == world.users["admin"]
    # only the end and the note change; the rest is history
    admin.patch(url, {"role": "admin", "valid_from": "2000-01-01"}, format="json")
    row.refresh_from_db()
    assert (row.role, row.valid_from) == ("grassroots_secretary", dt.date(2020, 1, 1))
    # an end before the start names the field and writes nothing
    bad = admin.patch(url, {"valid_to": "2019-12-31"}, format="json")
    assert bad.status_code == 400 and "phải sau ngày bắt đầu" in bad.json()["valid_to"][0]
    row.refresh_from_db()
    assert row.valid_to == dt.date.today()
    # never deleted
    assert admin.delete(url).status_code == 405
    assert RoleAssignment.objects.filter(pk=row.pk).exists()


def test_filters(admin, world):
    def usernames(**params):
        return sorted(r["username"] for r in admin.get(URL, params).json()["results"])

    assert usernames(role="admin") == ["admin"]
    assert usernames(role=["standing", "office"]) == ["btv", "vanphong"]
    assert usernames(organization=world.tree["GC1"].pk) == ["bithu", "chibo", "dangvien"]
    assert usernames(user=world.users["chibo"].pk) == ["chibo"]
    assert usernames(on="2019-12-31") == []
    assert len(usernames(on="2020-01-01")) == 9


def test_no_role_at_a_dissolved_organisation(admin, world):
    from dangvu.organizations.models import Organization

    Organization.objects.filter(pk=world.tree["C12"].pk).update(dissolved_on="2023-01-01")
    resp = admin.post(
        URL,
        {
            "user": world.users["chibo"].pk,
            "role": "cell_secretary",
            "organization": world.tree["C12"].pk,
            "valid_from": "2024-06-01",
        },
        format="json",
    )
    assert resp.status_code == 400 and list(resp.json()) == ["organization"]
    assert "trong phạm vi" in resp.json()["organization"][0]


def test_the_last_administrator_role_cannot_be_ended(admin, world):
    ra = RoleAssignment.objects.get(user=world.users["admin"], role="admin")
    resp = admin.patch(f"{URL}{ra.pk}/", {"valid_to": dt.date.today().isoformat()}, format="json")
    assert resp.status_code == 400 and "quản trị cuối cùng" in resp.json()["valid_to"][0]
    ra.refresh_from_db()
    assert ra.valid_to is None
