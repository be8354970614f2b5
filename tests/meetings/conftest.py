"""Fixtures of the meeting tests: local datetimes, a movable clock for the meeting services, and
a cell with a given number of official and probationary members."""

import datetime as dt
import zoneinfo

import pytest

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def local(y, m, d, hh=0, mm=0) -> dt.datetime:
    """An aware datetime in Vietnam's time zone (the project's TIME_ZONE)."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def clock(monkeypatch):
    """`clock(datetime)` sets the time seen by dangvu.meetings.services."""
    from dangvu.meetings import services

    def set_to(when: dt.datetime):
        monkeypatch.setattr(services, "_now", lambda: when)
        return when

    return set_to


@pytest.fixture
def staff_cell(tree, make_member):
    """`staff_cell(org, official=9, probationary=0)` → list of members created in `org`."""

    def make(org, official=9, probationary=0):
        out = [make_member(org) for _ in range(official)]
        out += [
            make_member(org, admission_date=dt.date(2026, 1, 10), official_date=None)
            for _ in range(probationary)
        ]
        return out

    return make
