"""seed_demo in demo mode (small scale): the demo accounts, the meetings and supervision, the
admissions; deterministic.

The tests that read the demo share one seeded database (tests/shared.py: seeded once for the
module, rolled back after every test); the determinism test seeds twice on an empty database
first.
"""

import datetime as dt
import hashlib
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.test import override_settings
from django.utils import timezone

from dangvu.accounts.models import RoleAssignment, User
from dangvu.admission import selectors
from dangvu.admission.choices import CandidateStatus, StepKind
from dangvu.admission.models import AdmissionTarget, Candidate
from dangvu.core.dates import add_months
from dangvu.core.demo import agencies as A
from dangvu.core.demo.generator import demo_today
from dangvu.meetings import compliance as C
from dangvu.meetings import reminders, services
from dangvu.meetings.models import (
    Assignment,
    Attendance,
    Finding,
    Meeting,
    Notification,
    ObserverVisit,
)
from dangvu.members.choices import MemberStatus, TransferKind
from dangvu.members.models import Member
from dangvu.members.selectors import members_as_of, memberships_as_of
from dangvu.organizations.choices import CELL_TYPES, GRASSROOTS_TYPES
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--scale", "small", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _shared_seeded_in_demo_mode(request):
    """One small demo (default seed) in demo mode for the module (tests/shared.py)."""
    from tests.shared import build_shared

    def build():
        with override_settings(DEMO_MODE=True):
            return seed()

    return build_shared(request, "seeded_in_demo_mode", build)


@pytest.fixture
def seeded_in_demo_mode(db, _shared_seeded_in_demo_mode):
    """The output of `seed_demo --scale small` in demo mode, run on an empty database."""
    if _shared_seeded_in_demo_mode is None:
        with override_settings(DEMO_MODE=True):
            return seed()
    return _shared_seeded_in_demo_mode


def expected_roster(meeting) -> dict[int, str]:
    """{member id: category} by the rule of services.roster_build, from the member selectors."""
    on = timezone.localdate(meeting.scheduled_at)
    org = meeting.organization
    members = members_as_of(org, on, include_temporary=True).values_list("pk", "status_on")
    official_here = set(
        memberships_as_of(on, [org.pk], kind=TransferKind.OFFICIAL).values_list(
            "member_id", flat=True
        )
    )
    # The admission demo runs after the year of meetings was written: the members it admits (on
    # past dates) are not on the rosters of the meetings built before them.
    from dangvu.admission.models import Candidate

    later = set(Candidate.objects.filter(member__isnull=False).values_list("member_id", flat=True))
    out = {}
    for pk, status in members:
        if pk in later:
            continue
        if pk not in official_here:
            out[pk] = "temporary"
        else:
            out[pk] = {
                MemberStatus.OFFICIAL: "official",
                MemberStatus.PROBATIONARY: "probationary",
                MemberStatus.EXEMPT: "exempt",
            }[status]
    return out


def test_demo_meetings_follow_the_rules(seeded_in_demo_mode, settings):
    settings.DEMO_MODE = True
    out = seeded_in_demo_mode
    today = demo_today()
    assert "buổi sinh hoạt" in out and "lượt điểm danh" in out and "nhắc việc" in out
    cells = list(
        Organization.objects.filter(org_type__in=list(CELL_TYPES), dissolved_on__isnull=True)
    )
    meetings = list(Meeting.objects.select_related("organization").order_by("scheduled_at"))
    held = [m for m in meetings if m.status == "held"]
    assert len(held) >= 12 * len(cells)

    # Every cell meets every month of the last year, except the few that missed one.
    first = add_months(today.replace(day=1), -11)
    by_cell_month = defaultdict(set)
    for m in held:
        if m.kind in ("regular", "combined"):
            d = timezone.localdate(m.scheduled_at)
            by_cell_month[m.organization_id].add((d.year, d.month))
    months = {(d.year, d.month) for d in (add_months(first, i) for i in range(12))}
    misses = Counter()
    for c in cells:
        for ym in months - by_cell_month[c.pk]:
            misses[ym] += 1
    assert 1 <= sum(misses.values()) <= 4, misses
    last = add_months(today.replace(day=1), -1)
    assert misses[(last.year, last.month)] == 2
    missed = C.missed_monthly(Organization.objects.all(), last.year, last.month)
    assert len(missed.items) == 2

    # Thematic meetings most quarters, a few cells missing one.
    prev_q = C.quarter_of(add_months(today, -3))
    prev_year = add_months(today, -3).year
    missing = C.no_thematic(Organization.objects.all(), prev_year, prev_q).items
    assert 1 <= len(missing) <= len(cells) // 4

    # Nothing held in the future; next month planned; notices never dated after today.
    now = dt.datetime.combine(today, dt.time(23, 59), tzinfo=timezone.get_current_timezone())
    assert all(m.scheduled_at < now for m in held)
    nxt = add_months(today.replace(day=1), 1)
    planned_next = {
        m.organization_id
        for m in meetings
        if m.status in ("planned", "notified")
        and (timezone.localdate(m.scheduled_at).year, timezone.localdate(m.scheduled_at).month)
        == (nxt.year, nxt.month)
    }
    assert planned_next == {c.pk for c in cells}
    assert all(m.notice_sent_at is None or m.notice_sent_at < now for m in meetings)
    assert all(m.notice_sent_at for m in meetings if m.status == "notified")

    # Durations: recorded for every held meeting, mostly at least the minimum, a few short.
    durations = [(m.kind, m.duration_minutes) for m in held]
    assert all(d is not None and 60 <= d <= 180 for _k, d in durations)
    long_enough = sum(1 for k, d in durations if d >= (120 if k == "combined" else 90))
    assert long_enough >= 0.9 * len(durations)
    since = add_months(today, -12)
    short = [
        m.pk
        for m in held
        if timezone.localdate(m.scheduled_at) >= since
        and m.duration_minutes < {"regular": 90, "combined": 120}.get(m.kind, 0)
    ]
    found = C.short_meetings(Organization.objects.all(), since, today).items
    assert sorted(m.pk for m in found) == sorted(short)

    # Attendance: the roster is the cell's members as of the meeting date.
    rosters = defaultdict(dict)
    for meeting_id, member_id, category in Attendance.objects.values_list(
        "meeting_id", "member_id", "category"
    ):
        rosters[meeting_id][member_id] = category
    for m in held:
        assert rosters[m.pk] == expected_roster(m), m
    statuses = Counter(
        Attendance.objects.filter(meeting__status="held").values_list("status", flat=True)
    )
    assert statuses["unknown"] == 0 and statuses["absent_unexcused"] > 0
    assert not Attendance.objects.filter(status="absent_excused", reason="").exists()
    f = C.figures(Organization.objects.all(), add_months(today, -12), today, on=today)
    assert 85 <= f["average_attendance"] <= 98
    sample = held[:: max(1, len(held) // 25)]
    for m in sample:
        rate = services.attendance_rate(m)
        assert rate is None or 0.5 <= rate <= 1
        result = services.vote_result(m)
        assert m.resolution_passed == result.passed, m
        assert m.votes_for + m.votes_against + m.votes_abstain == result.official_present
    chairs = Attendance.objects.filter(meeting__status="held", member_id=F("meeting__chair_id"))
    assert chairs.filter(status="present").count() == len(held)

    # History: every meeting and attendance row has its creation row, marked as a command.
    assert Meeting.history.filter(history_type="+").count() == len(meetings)
    assert Attendance.history.filter(history_type="+").count() == Attendance.objects.count()
    assert not Attendance.history.exclude(source="command").exists()

    # Supervision: btv in charge of the demo committee and others; visits by btv to 7 cells this
    # half-year, at held meetings of organisations under its assignments.
    btv, tochuc = User.objects.get(username="btv"), User.objects.get(username="tochuc")
    mine = Assignment.objects.filter(user=btv)
    assert mine.filter(organization__code=A.DEMO_COMMITTEE).exists()
    assert mine.count() >= 3 and Assignment.objects.filter(user=tochuc).exists()
    paths = [a.organization.path for a in mine.select_related("organization")]
    half_start, _half_end = C.half_year_bounds(today)
    visits = ObserverVisit.objects.filter(observer=btv).select_related("meeting__organization")
    this_half = {
        v.meeting.organization_id
        for v in visits
        if timezone.localdate(v.meeting.scheduled_at) >= half_start
    }
    assert len(this_half) == 7
    for v in visits:
        assert v.meeting.status == "held" and v.meeting.scheduled_at < now
        assert any(v.meeting.organization.path.startswith(p) for p in paths)
        assert v.checklist and all("done" in it for it in v.checklist)
        assert v.recorded_at > v.meeting.ended_at
    btv_half = ObserverVisit.objects.filter(
        observer=btv, meeting__scheduled_at__gte=C._aware(half_start)
    ).aggregate(cells=Count("meeting__organization", distinct=True))
    assert btv_half["cells"] == 7

    # Findings: some corrected (with a dated note), some open, some overdue.
    findings = Finding.objects.all()
    assert findings.filter(status="closed").exists() and findings.filter(status="open").exists()
    for fd in findings.filter(status="closed"):
        assert fd.closed_on <= today and fd.notes.exists()
    overdue = C.overdue_findings(Organization.objects.all(), today).items
    assert overdue
    assert any(fd.owner_user and fd.owner_user.username == "chibo" for fd in overdue)

    # Reminders for the demo accounts, and running them again adds nothing.
    kinds = set(Notification.objects.values_list("user__username", "kind"))
    assert ("btv", "not_visited") in kinds
    assert ("chibo", "finding_overdue") in kinds
    assert ("chibo", "meeting_no_notice") in kinds
    assert ("bithu", "missed_monthly") in kinds
    again = reminders.send_reminders(
        today,
        now=dt.datetime.combine(today, dt.time(7, 30), tzinfo=timezone.get_current_timezone()),
        email=False,
    )
    assert again.created == []


def meetings_digest() -> str:
    h = hashlib.sha256()
    rows = Meeting.objects.order_by("organization__code", "scheduled_at", "kind").values_list(
        "organization__code",
        "kind",
        "status",
        "scheduled_at",
        "ended_at",
        "votes_for",
        "quality",
        "chair__citizen_id",
    )
    for row in rows:
        h.update(repr(row).encode())
    rows = Attendance.objects.order_by(
        "meeting__organization__code", "meeting__scheduled_at", "member__citizen_id"
    ).values_list("meeting__organization__code", "meeting__scheduled_at", "member__citizen_id",
                  "status", "reason")  # fmt: skip
    for row in rows:
        h.update(repr(row).encode())
    rows = ObserverVisit.objects.order_by("meeting__scheduled_at").values_list(
        "meeting__organization__code", "meeting__scheduled_at", "observer__username"
    )
    for row in rows:
        h.update(repr(row).encode())
    return h.hexdigest()


def test_demo_meetings_are_deterministic(settings):
    settings.DEMO_MODE = True
    digests = []
    for _ in range(2):
        with transaction.atomic():
            seed("--seed", "5")
            digests.append(meetings_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]


def test_demo_admissions(seeded_in_demo_mode, settings):
    """Every step present, some blocked by a rule, targets with progress, reminders for the demo
    secretary."""
    settings.DEMO_MODE = True
    out = seeded_in_demo_mode
    print(out)
    assert "quần chúng ưu tú" in out
    today = demo_today()
    cands = list(Candidate.objects.select_related("organization"))
    steps = {c.current_step for c in cands}
    assert set(StepKind.values) <= steps
    statuses = {c.status for c in cands}
    assert set(CandidateStatus.values) - {"refused"} <= statuses
    texts = [b.message for c in cands for b in selectors.blockers(c, today)]
    assert any("Chưa đủ 18 tuổi" in t for t in texts)
    assert any("đảng viên chính thức giới thiệu" in t for t in texts)
    assert any("Quá hạn quyết định kết nạp" in t for t in texts)
    assert any(selectors.is_overdue(c, today) for c in cands)
    admitted = [c for c in cands if c.member_id]
    assert all(c.member.admission_date == c.decision_date for c in admitted)
    # targets for every grassroots organisation, with progress
    grassroots = Organization.objects.filter(
        org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True
    )
    assert AdmissionTarget.objects.filter(year=today.year).count() == grassroots.count()
    root = Organization.objects.get(depth=1)
    p = selectors.progress(selectors.subtree_q(root), today.year)
    assert p.target > 0 and p.admitted > 0
    chibo = User.objects.get(username="chibo")
    assert Notification.objects.filter(user=chibo, kind__startswith="admission_").exists()


def test_demo_accounts_created_idempotently_in_demo_mode(seeded_in_demo_mode, settings):
    settings.DEMO_MODE = True
    out = seeded_in_demo_mode
    assert "9 tài khoản trình diễn" in out
    buf = io.StringIO()
    call_command("demo_accounts", stdout=buf)
    table = buf.getvalue()
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {
        "admin",
        "btv",
        "tochuc",
        "tuyengiao",
        "kiemtra",
        "vanphong",
        "bithu",
        "chibo",
        "dangvien",
    }
    for name, user in users.items():
        assert user.is_demo and user.full_name and user.check_password(name), name
        assert name in table
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["btv"].is_superuser
    roles = {ra.user.username: ra for ra in RoleAssignment.objects.select_related("organization")}
    assert RoleAssignment.objects.count() == 9
    assert roles["admin"].role == "admin" and roles["admin"].organization is None
    assert roles["btv"].organization.code == A.ROOT_CODE
    assert roles["bithu"].role == "grassroots_secretary"
    assert roles["bithu"].organization.code == A.DEMO_COMMITTEE
    assert roles["chibo"].organization.code == A.DEMO_CELL
    own = Member.objects.get(user=users["dangvien"])
    assert own.organization.code == A.DEMO_CELL and own.status == MemberStatus.OFFICIAL
    assert users["dangvien"].full_name == own.full_name

    # Running again changes nothing but resets passwords.
    users["btv"].set_password("changed-password")
    users["btv"].save()
    call_command("demo_accounts", stdout=io.StringIO())
    assert User.objects.count() == 9 and RoleAssignment.objects.count() == 9
    assert User.objects.get(username="btv").check_password("btv")
    assert Member.objects.filter(user__isnull=False).count() == 1
