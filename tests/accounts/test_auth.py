"""Login: argon2 hashes, lockout after repeated failures, TOTP for administrator and inspection."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(django_user_model):
    from django.conf import settings as project_settings
    from django.test import override_settings

    from dangvu import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = django_user_model.objects.create_user(username="hash", password="mat-khau-dai-123")
        assert user.password.startswith("argon2")
    assert project_settings.PASSWORD_HASHERS  # the test override is restored


def test_login_and_logout(client, users):
    r = client.post("/accounts/login/", {"username": "tochuc", "password": "x-tochuc-pass"})
    assert r.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_message_in_vietnamese(client, users):
    r = client.post("/accounts/login/", {"username": "tochuc", "password": "sai"})
    assert r.status_code == 200
    assert "không đúng" in r.content.decode()


def test_lockout_after_repeated_failures(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": "tochuc", "password": "sai"}, REMOTE_ADDR="10.0.0.9"
        )
    r = client.post(
        "/accounts/login/",
        {"username": "tochuc", "password": "x-tochuc-pass"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert r.status_code == 429
    assert "tạm khóa" in r.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("username", ["admin", "kiemtra"])
def test_second_factor_required_for_admin_and_inspection(client, users, username):
    client.post("/accounts/login/", {"username": username, "password": f"x-{username}-pass"})
    r = client.get("/members/")
    assert r.status_code == 302 and r.url.startswith("/accounts/otp/")
    # First visit enrols a device and shows its QR code.
    page = client.get("/accounts/otp/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=users[username])
    bad = client.post(
        "/accounts/otp/", {"token": "000000" if totp(device.bin_key) != 0 else "111111"}
    )
    assert bad.status_code == 200 and "không đúng" in bad.content.decode()
    # django-otp throttles after a failure; a real user waits a second.
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post("/accounts/otp/", {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    assert client.get("/members/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_other_roles_do_not_need_a_second_factor(client, users):
    client.post("/accounts/login/", {"username": "bithu", "password": "x-bithu-pass"})
    assert client.get("/members/").status_code == 200


def test_demo_account_skips_second_factor_only_in_demo_mode(client, users, settings):
    admin = users["admin"]
    admin.is_demo = True
    admin.save()
    settings.DEMO_MODE = True
    client.post("/accounts/login/", {"username": "admin", "password": "x-admin-pass"})
    assert client.get("/members/").status_code == 200
    client.logout()
    settings.DEMO_MODE = False
    r = client.post("/accounts/login/", {"username": "admin", "password": "x-admin-pass"})
    assert r.status_code == 200
    assert "chế độ trình diễn" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_is_sent_to_login(client, db):
    r = client.get("/members/")
    assert r.status_code == 302 and "/accounts/login/" in r.url
