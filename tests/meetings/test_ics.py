"""iCalendar feed: RFC 5545 lines (CRLF, folding, escaping), scope, window; secret feed tokens."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dangvu.meetings import feeds, ics
from dangvu.meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=TZ)


def at(y, m, d, hh=14, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    raw = text[:-2].split("\r\n")
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def parse(text: str) -> tuple[dict, list[dict]]:
    """(calendar properties, [event properties]) of a simple iCalendar text."""
    cal: dict = {}
    events: list[dict] = []
    current = None
    for line in unfold(text):
        name, _sep, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
        else:
            cal.setdefault(name, value)
    return cal, events


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@pytest.fixture
def meetings(tree):
    def mk(org, when, **kw):
        return Meeting.objects.create(
            organization=org, scheduled_at=when, **{"kind": "regular", **kw}
        )

    return {
        "held": mk(
            tree["C11"],
            at(2026, 11, 5),
            status="held",
            started_at=at(2026, 11, 5, 14, 5),
            ended_at=at(2026, 11, 5, 16, 0),
            location="Phòng họp 2, tầng 3; Sở Tài chính",
            agenda=[
                {"section": "opening", "title": "Thu đảng phí"},
                {"section": "body", "title": "Quán triệt Chỉ thị 05, Kết luận 01"},
            ],
        ),
        "planned": mk(
            tree["C11"], at(2026, 12, 4, 8, 0), kind="combined", title="Chuyên đề \\ số 4"
        ),
        "cancelled": mk(tree["C11"], at(2026, 12, 11), status="cancelled"),
        "old": mk(tree["C11"], at(2026, 10, 20)),  # more than a month back
        "far": mk(tree["C11"], at(2027, 6, 1)),  # more than six months ahead
        "other": mk(tree["C21"], at(2026, 12, 1)),
    }


def test_calendar_structure_and_events(users, meetings):
    text = ics.calendar_for(users["btv"], now=NOW)
    cal, events = parse(text)
    assert cal["BEGIN"] == "VCALENDAR" and cal["VERSION"] == "2.0" and "PRODID" in cal
    assert text.rstrip("\r\n").endswith("END:VCALENDAR")
    uids = [e["UID"] for e in events]
    want = [meetings[k].pk for k in ("held", "other", "planned", "cancelled")]
    assert uids == [f"meeting-{pk}@dangvu" for pk in want]
    for e in events:
        assert set(e) >= {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"}
        assert e["DTSTAMP"] == "20261127T020000Z"
    held = events[0]
    assert held["DTSTART"] == "20261105T070500Z" and held["DTEND"] == "20261105T090000Z"
    assert unescape(held["SUMMARY"]) == "Sinh hoạt thường kỳ – Chi bộ Văn phòng"
    assert held["LOCATION"] == "Phòng họp 2\\, tầng 3\\; Sở Tài chính"
    assert unescape(held["LOCATION"]) == "Phòng họp 2, tầng 3; Sở Tài chính"
    description = unescape(held["DESCRIPTION"])
    assert description.splitlines() == [
        "Chương trình:",
        "- Thu đảng phí",
        "- Quán triệt Chỉ thị 05, Kết luận 01",
        "Trạng thái: Đã tổ chức",
    ]
    assert held["STATUS"] == "CONFIRMED"
    planned = events[2]
    # no end recorded: the rulebook's minimum length (120 min for a combined meeting)
    assert planned["DTSTART"] == "20261204T010000Z" and planned["DTEND"] == "20261204T030000Z"
    assert planned["STATUS"] == "TENTATIVE"
    assert unescape(planned["DESCRIPTION"]).startswith("Chuyên đề \\ số 4\n")
    assert events[3]["STATUS"] == "CANCELLED"


def test_long_lines_are_folded_on_character_boundaries(users, meetings):
    Meeting.objects.filter(pk=meetings["held"].pk).update(
        location="Hội trường Ủy ban nhân dân tỉnh, số 1 đường Nguyễn Tất Thành, thành phố Hà Tĩnh"
        * 2
    )
    text = ics.calendar_for(users["btv"], now=NOW)
    assert "\r\n " in text
    text.encode("utf-8").decode("utf-8")  # every physical line is valid UTF-8 on its own
    for raw in text.split("\r\n"):
        raw.encode("utf-8")
    _cal, events = parse(text)
    assert unescape(events[0]["LOCATION"]).count("Nguyễn Tất Thành") == 2


def test_scope_follows_restrict(users, meetings, tree):
    _cal, events = parse(ics.calendar_for(users["bithu"], now=NOW))  # GC1: C11 only
    assert meetings["other"].pk not in [int(e["UID"].split("-")[1].split("@")[0]) for e in events]
    assert len(events) == 3
    # a member sees only the meetings whose roster they are on
    _cal, events = parse(ics.calendar_for(users["dangvien"], now=NOW))
    assert events == []
    Attendance.objects.create(
        meeting=meetings["planned"], member=users["dangvien"].member, category="official"
    )
    _cal, events = parse(ics.calendar_for(users["dangvien"], now=NOW))
    assert [e["UID"] for e in events] == [f"meeting-{meetings['planned'].pk}@dangvu"]


def test_site_url_gives_links_and_uid_domain(users, meetings, settings):
    settings.SITE_URL = "https://dangvu.example.org"
    _cal, events = parse(ics.calendar_for(users["btv"], now=NOW))
    assert events[0]["UID"].endswith("@dangvu.example.org")
    assert events[0]["URL"] == f"https://dangvu.example.org/meetings/{meetings['held'].pk}/"


def test_escape_and_fold_units():
    assert ics.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "DESCRIPTION:" + "ệ" * 60
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_feed_tokens(users, django_assert_max_num_queries):
    user = users["chibo"]
    feed = feeds.feed_for(user)
    assert len(feed.token) >= 40 and feeds.feed_for(user).token == feed.token
    with django_assert_max_num_queries(2):
        assert feeds.user_for_token(feed.token) == user
    assert feeds.CalendarFeed.objects.get(user=user).last_used_at is not None
    old = feed.token
    new = feeds.rotate(user)
    assert new.token != old
    assert feeds.user_for_token(old) is None and feeds.user_for_token(new.token) == user
    assert feeds.user_for_token("") is None and feeds.user_for_token("x" * 100) is None
    user.is_active = False
    user.save()
    assert feeds.user_for_token(new.token) is None


def test_feed_restrict_is_personal(users):
    for name in ("chibo", "btv"):
        feeds.feed_for(users[name])
    qs = feeds.CalendarFeed.objects
    assert [f.user.username for f in qs.restrict(users["chibo"])] == ["chibo"]
    assert qs.restrict(users["admin"]).count() == 0  # not a superuser in these fixtures
    users["admin"].is_superuser = True
    assert qs.restrict(users["admin"]).count() == 2
    assert qs.restrict(None).count() == 0
