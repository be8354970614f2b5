"""POST /api/auth/token/: through authenticate() (axes lockout), TOTP for roles that need it,
demo accounts refused outside demo mode; session API calls need the second factor too."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

URL = "/api/auth/token/"


def password(user):
    return f"x-{user.username}-pass"  # as set by the make_user fixture


def code_for(device):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def test_token_for_right_password_and_it_authenticates(api, users):
    user = users["tochuc"]
    resp = api.post(URL, {"username": "tochuc", "password": password(user)}, format="json")
    assert resp.status_code == 200, resp.content
    token = resp.json()["token"]
    assert token == Token.objects.get(user=user).key

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/users/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "tochuc"
    assert me.json()["roles"][0]["role"] == "organization_dept"


def test_wrong_password_is_400_in_vietnamese(api, users):
    resp = api.post(URL, {"username": "tochuc", "password": "sai-mat-khau"}, format="json")
    assert resp.status_code == 400
    assert "không đúng" in resp.json()["password"][0]
    assert not Token.objects.exists()


def test_missing_fields_name_the_field(api, db):
    resp = api.post(URL, {}, format="json")
    assert resp.status_code == 400
    assert resp.json()["username"] == ["Trường này là bắt buộc."]
    assert resp.json()["password"] == ["Trường này là bắt buộc."]


def test_lockout_after_failure_limit_then_right_password_fails(api, users, settings):
    limit = settings.AXES_FAILURE_LIMIT
    user = users["tochuc"]
    statuses = [
        api.post(URL, {"username": "tochuc", "password": f"wrong-{i}"}, format="json").status_code
        for i in range(limit)
    ]
    assert statuses[: limit - 1] == [400] * (limit - 1)
    resp = api.post(URL, {"username": "tochuc", "password": password(user)}, format="json")
    assert resp.status_code == 429, resp.content
    assert resp["Content-Type"].startswith("application/json")
    assert "tạm khóa" in resp.json()["username"][0]
    assert not Token.objects.filter(user=user).exists()


def test_success_resets_the_failure_count(api, users, settings):
    user = users["tochuc"]
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        api.post(URL, {"username": "tochuc", "password": f"wrong-{i}"}, format="json")
    ok = api.post(URL, {"username": "tochuc", "password": password(user)}, format="json")
    assert ok.status_code == 200
    again = api.post(URL, {"username": "tochuc", "password": "wrong-again"}, format="json")
    assert again.status_code == 400  # counting restarted: one failure, not the limit


def test_admin_needs_a_valid_totp(api, users):
    admin = users["admin"]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    creds = {"username": "admin", "password": password(admin)}

    missing = api.post(URL, creds, format="json")
    assert missing.status_code == 400
    assert "otp_token" in missing.json()
    assert not Token.objects.filter(user=admin).exists()

    wrong = api.post(URL, {**creds, "otp_token": "000000"}, format="json")
    if code_for(device) != "000000":
        assert wrong.status_code == 400
        assert "không đúng" in wrong.json()["otp_token"][0]

    device.refresh_from_db()
    device.throttle_reset()
    ok = api.post(URL, {**creds, "otp_token": code_for(device)}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["token"] == Token.objects.get(user=admin).key


def test_unconfirmed_device_does_not_count(api, users):
    admin = users["admin"]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=False)
    resp = api.post(
        URL,
        {"username": "admin", "password": password(admin), "otp_token": code_for(device)},
        format="json",
    )
    assert resp.status_code == 400
    assert "otp_token" in resp.json()


def test_demo_account_refused_outside_demo_mode(api, make_user, tree, settings):
    settings.DEMO_MODE = False
    user = make_user("demo_tochuc", "organization_dept", tree["ROOT"], is_demo=True)
    resp = api.post(URL, {"username": user.username, "password": password(user)}, format="json")
    assert resp.status_code == 400
    assert "trình diễn" in resp.json()["username"][0]
    assert not Token.objects.exists()


def test_demo_admin_skips_totp_in_demo_mode(api, make_user, settings):
    settings.DEMO_MODE = True
    user = make_user("demo_admin", "admin", None, is_demo=True)
    resp = api.post(URL, {"username": user.username, "password": password(user)}, format="json")
    assert resp.status_code == 200, resp.content


def test_revoke_token(api, users):
    user = users["tochuc"]
    token = api.post(URL, {"username": "tochuc", "password": password(user)}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api.delete(URL).status_code == 204
    assert api.get("/api/users/me/").status_code in (401, 403)


def test_session_api_call_needs_the_second_factor(api, users):
    admin = users["admin"]
    api.force_login(admin)  # session without TOTP
    resp = api.get("/api/members/")
    assert resp.status_code == 403
    assert "xác thực hai lớp" in resp.json()["detail"]

    device = TOTPDevice.objects.create(user=admin, name="t", confirmed=True)
    session = api.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert api.get("/api/members/").status_code == 200


def test_session_call_of_role_without_second_factor(api, users):
    api.force_login(users["tochuc"])
    assert api.get("/api/members/").status_code == 200


def test_me_for_member_account(as_user, users):
    from dangvu.members.models import Member

    data = as_user(users["dangvien"]).get("/api/users/me/").json()
    assert data["member"] == Member.objects.get(user=users["dangvien"]).pk
    assert data["roles"] == [
        {
            "role": "member",
            "role_label": "Đảng viên",
            "organization": users["dangvien"].role_assignments.get().organization_id,
            "organization_name": "Chi bộ Văn phòng",
            "valid_from": "2020-01-01",
            "valid_to": None,
        }
    ]
    assert data["requires_otp"] is False
