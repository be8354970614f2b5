"""Shared fixtures: a small tree, users holding each role, and helpers to make members.

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

# One Playwright/Chromium for the whole run, whichever folder a browser test lives in.
pytest_plugins = ["tests.browser.fixtures"]

D0 = dt.date(2015, 1, 1)
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _vi(settings):
    settings.LANGUAGE_CODE = "vi"
    settings.AXES_ENABLED = True
    # Argon2 is the production hasher (checked in tests/accounts/test_auth.py); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def tree(db):
    from dangvu.organizations.services import organization_establish as est

    t = {}
    t["ROOT"] = est(
        actor=None,
        parent=None,
        code="ROOT",
        name="Đảng bộ Khối các cơ quan tỉnh",
        org_type="superior_committee",
        date=D0,
        decision_number="01-QĐ/TU",
    )
    t["GC1"] = est(
        actor=None,
        parent=t["ROOT"],
        code="GC1",
        name="Đảng bộ Sở Tài chính",
        org_type="grassroots_committee",
        date=D0,
        decision_number="02-QĐ/ĐUK",
    )
    t["C11"] = est(
        actor=None,
        parent=t["GC1"],
        code="C11",
        name="Chi bộ Văn phòng",
        org_type="cell",
        date=D0,
        decision_number="03-QĐ/ĐU",
    )
    t["C12"] = est(
        actor=None,
        parent=t["GC1"],
        code="C12",
        name="Chi bộ Thanh tra",
        org_type="cell",
        date=D0,
        decision_number="04-QĐ/ĐU",
    )
    t["GC2"] = est(
        actor=None,
        parent=t["ROOT"],
        code="GC2",
        name="Đảng bộ Sở Y tế",
        org_type="grassroots_committee",
        date=D0,
        decision_number="05-QĐ/ĐUK",
    )
    t["C21"] = est(
        actor=None,
        parent=t["GC2"],
        code="C21",
        name="Chi bộ Phòng Kế hoạch",
        org_type="cell",
        date=D0,
        decision_number="06-QĐ/ĐU",
    )
    t["GCELL"] = est(
        actor=None,
        parent=t["ROOT"],
        code="GCELL",
        name="Chi bộ Ban Dân tộc",
        org_type="grassroots_cell",
        date=D0,
        decision_number="07-QĐ/ĐUK",
    )
    for o in t.values():
        o.refresh_from_db()
    return t


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


@pytest.fixture
def make_member(db):
    from dangvu.members.services import member_create

    def make(org, **overrides):
        joined = overrides.pop("joined_on", None)
        return member_create(
            actor=None, organization=org, data=member_data(**overrides), joined_on=joined
        )

    return make


@pytest.fixture
def make_user(db):
    from dangvu.accounts.models import RoleAssignment, User

    def make(username, role=None, org=None, member=None, **extra):
        user = User.objects.create_user(
            username=username, password="x-" + username + "-pass", **extra
        )
        if role:
            RoleAssignment.objects.create(
                user=user, role=role, organization=org, valid_from=dt.date(2020, 1, 1)
            )
        if member is not None:
            member.user = user
            member.save(update_fields=["user"])
        return user

    return make


@pytest.fixture
def users(tree, make_user, make_member):
    """One user per role: whole-tree roles at ROOT, bithu at GC1, chibo at C11, dangvien in C11."""
    own = make_member(tree["C11"], full_name="Trần Thị Đảng Viên")
    return {
        "admin": make_user("admin", "admin", None),
        "btv": make_user("btv", "standing", tree["ROOT"]),
        "tochuc": make_user("tochuc", "organization_dept", tree["ROOT"]),
        "tuyengiao": make_user("tuyengiao", "propaganda", tree["ROOT"]),
        "kiemtra": make_user("kiemtra", "inspection", tree["ROOT"]),
        "vanphong": make_user("vanphong", "office", tree["ROOT"]),
        "bithu": make_user("bithu", "grassroots_secretary", tree["GC1"]),
        "chibo": make_user("chibo", "cell_secretary", tree["C11"]),
        "dangvien": make_user("dangvien", "member", tree["C11"], member=own),
    }


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
