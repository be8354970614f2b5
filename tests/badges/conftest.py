"""Fixtures of the badge tests: members admitted on a chosen date, the occasion 02/09/2026
(previous occasion 19/05/2026), the due list of the whole tree."""

import datetime as dt

import pytest

from dangvu.core.dates import add_months

OCC = dt.date(2026, 9, 2)
PREV = dt.date(2026, 5, 19)


@pytest.fixture
def member_at(tree, make_member):
    """`member_at(admission, org="C11", **overrides)`: an official member admitted on that date."""

    def make(admission: dt.date, org: str = "C11", **overrides):
        overrides.setdefault("date_of_birth", dt.date(admission.year - 25, 1, 15))
        overrides.setdefault("official_date", add_months(admission, 12))
        return make_member(tree[org], admission_date=admission, **overrides)

    return make


@pytest.fixture
def due(tree):
    """`due(occasion=OCC, org=None, since=None)`: the due list of the whole tree (or a subtree)."""
    from dangvu.badges.selectors import due_for_occasion
    from dangvu.organizations.models import Organization

    def compute(occasion=OCC, org=None, since=None):
        orgs = Organization.objects.all()
        if org is not None:
            orgs = orgs.filter(path__startswith=tree[org].path)
        return due_for_occasion(orgs, occasion, since=since)

    return compute


@pytest.fixture(autouse=True)
def fixed_occasions(request):
    """The occasions as the regulation has them (3/2, 19/5, 2/9, 7/11), whatever the seed says."""
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from dangvu.core.models import Rule

    Rule.objects.filter(key="badge.occasions").update(value="02-03,05-19,09-02,11-07")


def ids(rows):
    return {r.member.pk for r in rows}


def row_of(rows, member):
    return next((r for r in rows if r.member.pk == member.pk), None)


@pytest.fixture
def as_user():
    """An API client authenticated as `user` (as in tests/api/conftest.py)."""
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
