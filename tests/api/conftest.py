"""Fixtures of the API tests: an API client, a fast password hasher, and a small world of members.

World (on top of the `users` fixture of tests/conftest.py):
  own  — the member record of `dangvien`, in C11
  m11  — another member in C11
  m12  — a member in C12 (under GC1)
  m21  — a member in C21 (under GC2, outside bithu's, chibo's and dangvien's scope)
Every member has two events (admitted, recognised official) and one membership (in its cell).
Besides (for the endpoints of the rulebook, type labels, role assignments and imports):
  rule    — the two dated rows of rule "test.sample" (3 until 2024-01-01, then 5; unit count)
  label   — the configured display label of org type "cell"
  ra      — bithu's role assignment (grassroots secretary at GC1)
  jobs    — an import job in C11 and one in C21, validated with nothing to write
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from dangvu.core.models import Rule
from dangvu.dataio.models import ImportJob
from dangvu.organizations.models import OrganizationTypeLabel


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
    return SimpleNamespace(
        tree=tree,
        users=users,
        m=members,
        e=events,
        rule=_sample_rule(),
        label=OrganizationTypeLabel.objects.create(
            org_type="cell", label="Chi bộ trực thuộc", short_label="Chi bộ"
        ),
        ra=users["bithu"].role_assignments.get(),
        jobs={
            code: ImportJob.objects.create(
                organization=tree[code],
                created_by=users["tochuc"],
                file=f"imports/test-{code}.xlsx",
                original_name=f"{code}.xlsx",
                status=ImportJob.Status.VALIDATED,
                total_rows=1,
                processed_rows=1,
                unchanged_count=1,
            )
            for code in ("C11", "C21")
        },
    )


def _sample_rule():
    common = dict(key="test.sample", unit="count", title="Quy tắc thử", verified=True)
    return [
        Rule.objects.create(
            **common,
            value="3",
            source="Quy định 1-QĐ/TW",
            effective_from=dt.date(2020, 1, 1),
            effective_to=dt.date(2024, 1, 1),
        ),
        Rule.objects.create(
            **common, value="5", source="Quy định 2-QĐ/TW", effective_from=dt.date(2024, 1, 1)
        ),
    ]
