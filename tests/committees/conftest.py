"""Fixtures of the committee tests: a cell with N official and M probationary members, a term,
and a committee with its approved seats."""

import datetime as dt

import pytest

T0 = dt.date(2025, 8, 1)  # start of the terms below (the rules of QĐ 294 apply from 1/7/2025)


@pytest.fixture
def staff(tree, make_member):
    """`staff(org, official=9, probationary=0)` → list of members (officials first)."""

    def make(org, official=9, probationary=0):
        out = [make_member(org) for _ in range(official)]
        out += [
            make_member(org, admission_date=dt.date(2025, 3, 10), official_date=None)
            for _ in range(probationary)
        ]
        return out

    return make


@pytest.fixture
def term(tree):
    """`term(org, start=T0, name="2025–2030")` → an open term."""
    from dangvu.committees.services import term_open

    def make(org, start=T0, name="2025–2030"):
        return term_open(actor=None, organization=org, name=name, start_date=start)

    return make


@pytest.fixture
def committee(term):
    """`committee(org, quotas, body="party_committee")` → a committee of a new term of org."""
    from dangvu.committees.services import committee_create

    def make(org, quotas, body="party_committee", t=None):
        t = t or term(org)
        return committee_create(actor=None, organization=org, term=t, body=body, quotas=quotas)

    return make


@pytest.fixture
def as_user():
    """An API client authenticated as `user` (forced: no session, no second factor)."""
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
