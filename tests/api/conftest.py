"""Fixtures of the API tests: an API client, a fast password hasher, and a small world of members.

World (on top of the `users` fixture of tests/conftest.py):
  own  — the member record of `dangvien`, in C11
  m11  — another member in C11
  m12  — a member in C12 (under GC1)
  m21  — a member in C21 (under GC2, outside bithu's, chibo's and dangvien's scope)
Every member has two events (admitted, recognised official).
"""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The users fixture creates nine accounts per test; Argon2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api):
    """An API client authenticated as `user` (forced: no session, no second factor involved)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def world(tree, users, make_member):
    from dangvu.members.models import Member

    own = Member.objects.get(user=users["dangvien"])
    members = {
        "own": own,
        "m11": make_member(tree["C11"], full_name="Lê Văn Mười Một"),
        "m12": make_member(tree["C12"], full_name="Phạm Thị Mười Hai"),
        "m21": make_member(tree["C21"], full_name="Hoàng Văn Hai Mốt"),
    }
    events = {name: m.events.order_by("date", "id").first() for name, m in members.items()}
    return SimpleNamespace(tree=tree, users=users, m=members, e=events)
