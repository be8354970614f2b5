"""Reminders to the responsible users: in-app `Notification` rows, and e-mail when mail is set up.

Who is reminded of what (`collect`):
- secretaries (cell_secretary, grassroots_secretary), for every organisation at or under the one
  they hold the role at: a cell that missed last month's regular meeting; a cell with no thematic
  meeting in the quarter (from the quarter's last month on, and for the quarter just ended);
  a meeting in the next `UPCOMING_DAYS` days whose notice has not gone out;
- the owner of a corrective action (`Finding.owner_user`) once it is past its deadline;
- whoever is in charge of an organisation (`Assignment`) when nobody from the upper level has
  attended a meeting there this half-year.

Every reminder has a key naming its subject and period ("missed-monthly:12:2026-10"); a user gets
a key once (unique constraint), so running the command again creates nothing new. Thresholds and
periods come from the rulebook through `meetings.compliance`; the number of queries does not grow
with the number of organisations or users.
"""

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangvu.core.rulebook import cached_rules
from dangvu.organizations.models import Organization

from . import compliance as C
from .choices import MeetingStatus
from .models import Assignment, Meeting, Notification

SECRETARY_ROLES = ("cell_secretary", "grassroots_secretary")
# Other modules' reminders: each module has `collect(on) -> list[Reminder]`.
REMINDER_SOURCES = ("dangvu.admission.reminders",)
UPCOMING_DAYS = 7  # remind about a meeting without notice this many days ahead


@dataclass(frozen=True)
class Reminder:
    user_id: int
    kind: str
    key: str
    text: str
    url: str = ""


@dataclass
class Outcome:
    created: list = field(default_factory=list)  # Notification rows created by this run
    existing: int = 0  # reminders already sent earlier (same user and key)
    emailed: int = 0


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _valid_on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def _secretaries(on: dt.date) -> list[tuple[int, str]]:
    """(user id, organisation path) of every secretary role in force on `on`."""
    from dangvu.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(
            _valid_on(on),
            role__in=SECRETARY_ROLES,
            organization__isnull=False,
            user__is_active=True,
        ).values_list("user_id", "organization__path")
    )


def _covering(secretaries, path: str) -> set[int]:
    return {uid for uid, p in secretaries if path.startswith(p)}


def _rule_note(check: C.Check) -> str:
    return f" ({check.citation})" if check.citation else ""


def _org_url(org) -> str:
    url = _url("meetings:list")
    return f"{url}?organization={org.pk}" if url else ""


def collect(on: dt.date | None = None, now: dt.datetime | None = None) -> list[Reminder]:
    """Every reminder due on `on` (default today), to every user concerned."""
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    out: list[Reminder] = []
    secretaries = _secretaries(on)
    everything = Organization.objects.all()
    with cached_rules():
        if secretaries:
            out += _meeting_reminders(everything, secretaries, on, now)
        out += _finding_reminders(everything, on)
        out += _visit_reminders(on)
        for source in REMINDER_SOURCES:
            out += import_module(source).collect(on)
    return out


def _meeting_reminders(orgs, secretaries, on: dt.date, now: dt.datetime) -> list[Reminder]:
    out: list[Reminder] = []
    year, month = C.previous_month(on)
    missed = C.missed_monthly(orgs, year, month)
    for org in missed.items:
        for uid in _covering(secretaries, org.path):
            out.append(
                Reminder(
                    uid,
                    "missed_monthly",
                    f"missed-monthly:{org.pk}:{year}-{month:02d}",
                    _("%(org)s chưa sinh hoạt chi bộ thường kỳ tháng %(m)02d/%(y)d")
                    % {"org": org.name, "m": month, "y": year}
                    + _rule_note(missed)
                    + ".",
                    _org_url(org),
                )
            )
    quarters = []
    q = C.quarter_of(on)
    if on.month % 3 == 0:  # the quarter's last month: still time to hold it
        quarters.append((on.year, q, False))
    prev = (on.year, q - 1) if q > 1 else (on.year - 1, 4)
    quarters.append((*prev, True))
    for y, qq, ended in quarters:
        check = C.no_thematic(orgs, y, qq)
        for org in check.items:
            text = (
                _("%(org)s không sinh hoạt chuyên đề trong quý %(q)d/%(y)d")
                if ended
                else _("%(org)s chưa sinh hoạt chuyên đề trong quý %(q)d/%(y)d")
            ) % {"org": org.name, "q": qq, "y": y}
            for uid in _covering(secretaries, org.path):
                out.append(
                    Reminder(
                        uid,
                        "no_thematic",
                        f"no-thematic:{org.pk}:{y}-Q{qq}",
                        text + _rule_note(check) + ".",
                        _org_url(org),
                    )
                )
    upcoming = (
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            notice_sent_at__isnull=True,
            scheduled_at__gte=now,
            scheduled_at__lt=now + dt.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("organization")
        .order_by("scheduled_at")
    )
    for m in upcoming:
        local = timezone.localtime(m.scheduled_at)
        text = _(
            "Buổi %(kind)s của %(org)s lúc %(when)s chưa gửi thông báo, tài liệu cho đảng viên."
        ) % {
            "kind": str(m.get_kind_display()).lower(),
            "org": m.organization.name,
            "when": local.strftime("%H:%M %d/%m/%Y"),
        }
        for uid in _covering(secretaries, m.organization.path):
            out.append(
                Reminder(
                    uid,
                    "meeting_no_notice",
                    f"no-notice:{m.pk}",
                    text,
                    _url("meetings:detail", m.pk),
                )
            )
    return out


def _finding_reminders(orgs, on: dt.date) -> list[Reminder]:
    check = C.overdue_findings(orgs, on)
    out = []
    for f in check.items:
        if not f.owner_user_id or not f.owner_user.is_active:
            continue
        description = f.description if len(f.description) <= 80 else f.description[:79] + "…"
        out.append(
            Reminder(
                f.owner_user_id,
                "finding_overdue",
                f"finding-overdue:{f.pk}:{f.deadline:%Y-%m-%d}",
                _("Thiếu sót “%(text)s” tại %(org)s đã quá hạn khắc phục (hạn %(deadline)s).")
                % {
                    "text": description,
                    "org": f.visit.meeting.organization.name,
                    "deadline": f.deadline.strftime("%d/%m/%Y"),
                },
                _url("meetings:finding_detail", f.pk),
            )
        )
    return out


def _visit_reminders(on: dt.date) -> list[Reminder]:
    assignments = list(
        Assignment.objects.filter(_valid_on(on), user__is_active=True).values_list(
            "user_id", "organization_id"
        )
    )
    if not assignments:
        return []
    start, _end = C.half_year_bounds(on)
    half = 1 if start.month == 1 else 2
    orgs = Organization.objects.filter(pk__in={o for _u, o in assignments})
    check = C.not_visited(orgs, on, since=start, types=None)
    missing = {o.pk: o for o in check.items}
    label = _("6 tháng đầu năm %(y)d") if half == 1 else _("6 tháng cuối năm %(y)d")
    period = label % {"y": on.year}
    out = []
    for uid, org_id in assignments:
        org = missing.get(org_id)
        if org is None:
            continue
        out.append(
            Reminder(
                uid,
                "not_visited",
                f"not-visited:{org_id}:{on.year}-H{half}",
                _("Chưa có đồng chí cấp trên dự sinh hoạt tại %(org)s trong %(period)s")
                % {"org": org.name, "period": period}
                + _rule_note(check)
                + ".",
                _org_url(org),
            )
        )
    return out


def mail_configured() -> bool:
    """E-mail goes out only when the deployment set EMAIL_HOST (the default 'localhost' of Django
    is not a configuration)."""
    return bool(settings.is_overridden("EMAIL_HOST") and getattr(settings, "EMAIL_HOST", ""))


def send_reminders(
    on: dt.date | None = None, *, now: dt.datetime | None = None, email: bool | None = None
) -> Outcome:
    """Create the due reminders not sent before; e-mail the new ones to users with an address
    when mail is configured (or `email=True`)."""
    with translation.override(settings.LANGUAGE_CODE):
        due = collect(on, now)
    outcome = Outcome()
    unique: dict[tuple[int, str], Reminder] = {}
    for r in due:
        unique.setdefault((r.user_id, r.key), r)
    if not unique:
        return outcome
    keys = sorted({k for _u, k in unique})
    sent: set[tuple[int, str]] = set()
    for i in range(0, len(keys), 2000):
        sent.update(
            Notification.objects.filter(key__in=keys[i : i + 2000]).values_list("user_id", "key")
        )
    new = [r for pair, r in unique.items() if pair not in sent]
    outcome.existing = len(unique) - len(new)
    rows = [
        Notification(user_id=r.user_id, kind=r.kind, key=r.key, text=r.text[:500], url=r.url)
        for r in new
    ]
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    outcome.created = rows
    if email if email is not None else mail_configured():
        outcome.emailed = _email(new)
    return outcome


def _email(reminders: list[Reminder]) -> int:
    from dangvu.accounts.models import User

    by_user: dict[int, list[Reminder]] = {}
    for r in reminders:
        by_user.setdefault(r.user_id, []).append(r)
    users = User.objects.filter(pk__in=by_user, is_active=True).exclude(email="")
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            items = by_user[user.pk]
            lines = [_("Kính gửi đồng chí %(name)s,") % {"name": user.full_name or user.username}]
            lines.append("")
            for r in items:
                lines.append(f"- {r.text}")
                if r.url and base:
                    lines.append(f"  {base}{r.url}")
            lines += ["", _("Tin nhắn tự động của hệ thống quản lý công tác đảng.")]
            subject = (
                items[0].text if len(items) == 1 else _("%(n)d việc cần nhắc") % {"n": len(items)}
            )
            messages.append(
                mail.EmailMessage(
                    subject=_("[Nhắc việc] %(s)s") % {"s": subject[:150]},
                    body="\n".join(lines),
                    to=[user.email],
                )
            )
    if not messages:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0
