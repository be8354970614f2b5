"""Shared fixtures: a small tree, users holding each role, and helpers to make members.

`tree` and `users` (and the api `world`, the meetings `cast`) are built once per test module and
rolled back after every test (see tests/shared.py); each test gets fresh instances of them.

Tree (established 01/01/2015):
  ROOT  superior committee "Đảng bộ Khối các cơ quan tỉnh"
  ├─ GC1  grassroots committee "Đảng bộ Sở Tài chính"
  │   ├─ C11 cell "Chi bộ Văn phòng"
  │   └─ C12 cell "Chi bộ Thanh tra"
  ├─ GC2  grassroots committee "Đảng bộ Sở Y tế"
  │   └─ C21 cell "Chi bộ Phòng Kế hoạch"
  └─ GCELL grassroots cell "Chi bộ Ban Dân tộc"
"""

import datetime as dt
import itertools
import os

import pytest

os.environ.setdefault("DANGVU_TESTING", "1")

# One Playwright/Chromium for the whole run, whichever folder a browser test lives in; rows built
# once per module.
pytest_plugins = ["tests.browser.fixtures", "tests.shared"]

D0 = dt.date(2015, 1, 1)
_serial = itertools.count(1)


def _test_settings() -> dict:
    from django.conf import settings

    return {
        "LANGUAGE_CODE": "vi",
        "AXES_ENABLED": True,
        # Argon2 is the production hasher (checked in tests/accounts/test_auth.py); tests hash fast.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(scope="session", autouse=True)
def _session_settings():
    """The test settings for the whole run too: rows a module builds once (tests/shared.py) are
    made before a test's own fixtures, and their users must not be hashed with Argon2."""
    from django.test import override_settings

    with override_settings(**_test_settings()):
        yield


@pytest.fixture(autouse=True)
def _vi(settings):
    for name, value in _test_settings().items():
        setattr(settings, name, value)
    yield
    # Home panels are cached per user id and day; ids repeat when rows are shared or rolled back.
    from django.core.cache import cache

    cache.clear()


TREE = [
    # code, parent, name, type, decision number
    ("ROOT", None, "Đảng bộ Khối các cơ quan tỉnh", "superior_committee", "01-QĐ/TU"),
    ("GC1", "ROOT", "Đảng bộ Sở Tài chính", "grassroots_committee", "02-QĐ/ĐUK"),
    ("C11", "GC1", "Chi bộ Văn phòng", "cell", "03-QĐ/ĐU"),
    ("C12", "GC1", "Chi bộ Thanh tra", "cell", "04-QĐ/ĐU"),
    ("GC2", "ROOT", "Đảng bộ Sở Y tế", "grassroots_committee", "05-QĐ/ĐUK"),
    ("C21", "GC2", "Chi bộ Phòng Kế hoạch", "cell", "06-QĐ/ĐU"),
    ("GCELL", "ROOT", "Chi bộ Ban Dân tộc", "grassroots_cell", "07-QĐ/ĐUK"),
]


def build_tree() -> dict:
    from dangvu.organizations.services import organization_establish as est

    t = {}
    for code, parent, name, org_type, decision in TREE:
        t[code] = est(
            actor=None,
            parent=t[parent] if parent else None,
            code=code,
            name=name,
            org_type=org_type,
            date=D0,
            decision_number=decision,
        )
    for o in t.values():
        o.refresh_from_db()
    return t


def fetch_tree(pks: dict) -> dict:
    """Fresh instances of a shared tree (code -> organisation)."""
    from dangvu.organizations.models import Organization

    found = Organization.objects.in_bulk(pks.values())
    return {code: found[pk] for code, pk in pks.items()}


@pytest.fixture(scope="module")
def _shared_tree(request):
    from tests.shared import build_shared

    return build_shared(request, "tree", lambda: {c: o.pk for c, o in build_tree().items()})


@pytest.fixture
def tree(db, _shared_tree):
    if _shared_tree is None:
        return build_tree()
    return fetch_tree(_shared_tree)


def member_data(**overrides):
    """Valid profile data for member_create; citizen id consistent with birth date and gender."""
    from dangvu.members.validators import citizen_id_for

    n = next(_serial)
    dob = overrides.pop("date_of_birth", dt.date(1985, 3, 10))
    gender = overrides.pop("gender", "male")
    data = {
        "full_name": f"Nguyễn Văn Thử {n}",
        "gender": gender,
        "date_of_birth": dob,
        "citizen_id": citizen_id_for("001", gender, dob.year, n),
        "card_number": f"{79000000 + n}",
        "admission_date": dt.date(2010, 5, 19),
        "official_date": dt.date(2011, 5, 19),
        "ethnicity": "Kinh",
        "religion": "Không",
    }
    data.update(overrides)
    return data


def create_member(org, **overrides):
    """`make_member` outside a test (for rows a module builds once)."""
    from dangvu.members.services import member_create

    joined = overrides.pop("joined_on", None)
    return member_create(
        actor=None, organization=org, data=member_data(**overrides), joined_on=joined
    )


@pytest.fixture
def make_member(db):
    return create_member


def create_user(username, role=None, org=None, member=None, **extra):
    """`make_user` outside a test (for rows a module builds once)."""
    from dangvu.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password="x-" + username + "-pass", **extra)
    if role:
        RoleAssignment.objects.create(
            user=user, role=role, organization=org, valid_from=dt.date(2020, 1, 1)
        )
    if member is not None:
        member.user = user
        member.save(update_fields=["user"])
    return user


@pytest.fixture
def make_user(db):
    return create_user


def build_users(tree) -> dict:
    own = create_member(tree["C11"], full_name="Trần Thị Đảng Viên")
    return {
        "admin": create_user("admin", "admin", None),
        "btv": create_user("btv", "standing", tree["ROOT"]),
        "tochuc": create_user("tochuc", "organization_dept", tree["ROOT"]),
        "tuyengiao": create_user("tuyengiao", "propaganda", tree["ROOT"]),
        "kiemtra": create_user("kiemtra", "inspection", tree["ROOT"]),
        "vanphong": create_user("vanphong", "office", tree["ROOT"]),
        "bithu": create_user("bithu", "grassroots_secretary", tree["GC1"]),
        "chibo": create_user("chibo", "cell_secretary", tree["C11"]),
        "dangvien": create_user("dangvien", "member", tree["C11"], member=own),
    }


def fetch_users(pks: dict) -> dict:
    """Fresh instances of shared users (username -> user); the member account's record loaded."""
    from dangvu.accounts.models import User

    found = User.objects.in_bulk(pks.values())
    out = {name: found[pk] for name, pk in pks.items()}
    out["dangvien"].member  # noqa: B018 - cached as when the fixture linked it
    return out


@pytest.fixture(scope="module")
def _shared_users(request, _shared_tree):
    from tests.shared import build_shared

    return build_shared(
        request,
        "users",
        lambda: {n: u.pk for n, u in build_users(fetch_tree(_shared_tree)).items()},
        _shared_tree,
    )


@pytest.fixture
def users(tree, _shared_users):
    """One user per role: whole-tree roles at ROOT, bithu at GC1, chibo at C11, dangvien in C11."""
    if _shared_users is None:
        return build_users(tree)
    return fetch_users(_shared_users)


@pytest.fixture
def login(client):
    """Log a user in, with the second factor marked as passed (as after a TOTP check)."""

    def do(user):
        client.force_login(user)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="t", confirmed=True
        )
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return do
