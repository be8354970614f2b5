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
The world is built once per test module and rolled back after every test (tests/shared.py).
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


def build_world(tree, users, make_member) -> SimpleNamespace:
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


@pytest.fixture(scope="module")
def _shared_world(request, _shared_users, _shared_tree):
    """The world's rows once for the module (tests/shared.py): their primary keys."""
    from tests.conftest import create_member, fetch_tree, fetch_users
    from tests.shared import build_shared

    def build():
        w = build_world(fetch_tree(_shared_tree), fetch_users(_shared_users), create_member)
        return {
            "m": {k: v.pk for k, v in w.m.items()},
            "e": {k: v.pk for k, v in w.e.items()},
            "rule": [r.pk for r in w.rule],
            "label": w.label.pk,
            "ra": w.ra.pk,
            "jobs": {k: v.pk for k, v in w.jobs.items()},
        }

    return build_shared(request, "world", build, _shared_users, _shared_tree)


@pytest.fixture
def world(tree, users, make_member, _shared_world):
    if _shared_world is None:
        return build_world(tree, users, make_member)
    from dangvu.accounts.models import RoleAssignment
    from dangvu.members.models import Member, MemberEvent

    pks = _shared_world
    members = Member.objects.in_bulk(pks["m"].values())
    events = MemberEvent.objects.in_bulk(pks["e"].values())
    rules = Rule.objects.in_bulk(pks["rule"])
    jobs = ImportJob.objects.in_bulk(pks["jobs"].values())
    return SimpleNamespace(
        tree=tree,
        users=users,
        m={k: members[pk] for k, pk in pks["m"].items()},
        e={k: events[pk] for k, pk in pks["e"].items()},
        rule=[rules[pk] for pk in pks["rule"]],
        label=OrganizationTypeLabel.objects.get(pk=pks["label"]),
        ra=RoleAssignment.objects.get(pk=pks["ra"]),
        jobs={k: jobs[pk] for k, pk in pks["jobs"].items()},
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
