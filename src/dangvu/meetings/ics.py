"""An iCalendar feed (RFC 5545) of the meetings a user may see, written by hand (no dependency).

`calendar_for(user)` lists the meetings of `Meeting.objects.restrict(user)` from one month back to
six months ahead: one VEVENT each, times in UTC, the agenda in the description, cancelled meetings
marked STATUS:CANCELLED so calendar apps remove them. Lines end with CRLF and are folded at 75
octets without splitting a UTF-8 character. Served behind a per-user secret URL (see feeds.py).
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from dangvu.core.dates import add_months
from dangvu.core.rulebook import RuleMissing, rule

from .choices import MeetingKind, MeetingStatus
from .models import Meeting

CRLF = "\r\n"
MAX_EVENTS = 2000
_STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.NOTIFIED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence."""
    out: list[str] = []
    current, size, limit = [], 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += n
    out.append("".join(current))
    return (CRLF + " ").join(out)


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    site = getattr(settings, "SITE_URL", "")
    if site:
        return urlsplit(site).hostname or "dangvu"
    return "dangvu"


def _durations(on: dt.date) -> dict[str, int]:
    try:
        regular = int(rule("meeting.min_duration_minutes", on))
        combined = int(rule("meeting.min_duration_combined_minutes", on))
    except RuleMissing:  # pragma: no cover - seeded by migrate
        regular, combined = 90, 120
    return {MeetingKind.COMBINED: combined, "": regular}


def _description(meeting: Meeting) -> str:
    parts = []
    if meeting.title:
        parts.append(meeting.title)
    items = [
        str(i.get("title", "")).strip() if isinstance(i, dict) else str(i).strip()
        for i in meeting.agenda or []
    ]
    items = [i for i in items if i]
    if items:
        parts.append("Chương trình:")
        parts += [f"- {i}" for i in items]
    parts.append(f"Trạng thái: {meeting.get_status_display()}")
    return "\n".join(parts)


def meetings_for(user, now: dt.datetime | None = None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = timezone.make_aware(dt.datetime.combine(add_months(today, -1), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(add_months(today, 6), dt.time.min))
    return (
        Meeting.objects.restrict(user)
        .filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .select_related("organization")
        .order_by("scheduled_at", "id")[:MAX_EVENTS]
    )


def calendar_for(user, now: dt.datetime | None = None) -> str:
    """The iCalendar text (CRLF line ends) of the user's meetings, one month back to six ahead."""
    now = now or timezone.now()
    host = _host()
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    name = getattr(user, "full_name", "") or user.get_username()
    with translation.override("vi"):
        durations = _durations(timezone.localdate(now))
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//dangvu//Lich sinh hoat chi bo//VI",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:{escape_text(f'Sinh hoạt chi bộ – {name}')}",
            f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
            "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
            "X-PUBLISHED-TTL:PT6H",
        ]
        stamp = utc(now)
        for m in meetings_for(user, now):
            start = m.started_at or m.scheduled_at
            if m.ended_at and m.ended_at > start:
                end = m.ended_at
            else:
                minutes = durations.get(m.kind, durations[""])
                end = start + dt.timedelta(minutes=minutes)
            summary = f"{m.get_kind_display()} – {m.organization.name}"
            event = [
                "BEGIN:VEVENT",
                f"UID:meeting-{m.pk}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{utc(start)}",
                f"DTEND:{utc(end)}",
                f"SUMMARY:{escape_text(summary)}",
            ]
            if m.location:
                event.append(f"LOCATION:{escape_text(m.location)}")
            event.append(f"DESCRIPTION:{escape_text(_description(m))}")
            event.append(f"STATUS:{_STATUS.get(m.status, 'CONFIRMED')}")
            if base:
                event.append(f"URL:{base}{reverse('meetings:detail', args=[m.pk])}")
            event.append("END:VEVENT")
            lines += event
        lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
