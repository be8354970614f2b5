"""Reads about meetings and supervision: the roster by category, meetings of a subtree in a period,
who is in charge of an organisation on a date, and the corrective actions past their deadline.

`orgs` arguments accept one Organization, a list of them or a queryset; each covers its subtree
(as the tree stands now: a cell has no subtree, so passing cells lists exactly those cells).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangvu.core.scope import _minimal_prefixes

from .choices import AttendanceStatus, FindingStatus, RosterCategory
from .models import Assignment, Attendance, Finding, Meeting

# Order in which a roster is shown: exempt members listed apart, after those who attend.
ROSTER_ORDER = [
    RosterCategory.OFFICIAL,
    RosterCategory.PROBATIONARY,
    RosterCategory.TEMPORARY,
    RosterCategory.EXEMPT,
]


@dataclass
class RosterGroup:
    category: str
    label: str
    attendances: list = field(default_factory=list)
    count: int = 0
    present: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0
    unknown: int = 0


def roster(meeting: Meeting) -> list[RosterGroup]:
    """The roster in four groups (official, probationary, temporarily attached, exempt), each
    with its rows (member selected) and counts by attendance status. Empty groups are included."""
    groups = {cat: RosterGroup(category=cat.value, label=str(cat.label)) for cat in ROSTER_ORDER}
    rows = meeting.attendances.select_related("member").order_by("member__name_sort", "member_id")
    for a in rows:
        g = groups[RosterCategory(a.category)]
        g.attendances.append(a)
        g.count += 1
        if a.status == AttendanceStatus.PRESENT:
            g.present += 1
        elif a.status == AttendanceStatus.ABSENT_EXCUSED:
            g.absent_excused += 1
        elif a.status == AttendanceStatus.ABSENT_UNEXCUSED:
            g.absent_unexcused += 1
        else:
            g.unknown += 1
    return list(groups.values())


def _as_list(orgs) -> list:
    if orgs is None:
        return []
    if isinstance(orgs, QuerySet | list | tuple | set):
        return list(orgs)
    return [orgs]


def subtree_q(orgs, lookup: str) -> Q:
    """Q matching rows whose organisation (`lookup` to it) is in the subtree of one of `orgs`."""
    paths = _minimal_prefixes([o.path for o in _as_list(orgs)])
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{lookup}__path__startswith": p})
    return q


def day_range_q(date_from: dt.date | None, date_to: dt.date | None) -> Q:
    tz = timezone.get_current_timezone()
    q = Q()
    if date_from:
        q &= Q(scheduled_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        q &= Q(scheduled_at__lt=end)
    return q


def meetings_in(orgs, date_from: dt.date | None, date_to: dt.date | None):
    """Meetings (every status, cancelled included) of the subtrees of `orgs` scheduled between the
    two dates inclusive (local dates), oldest first."""
    return (
        Meeting.objects.filter(subtree_q(orgs, "organization"))
        .filter(day_range_q(date_from, date_to))
        .select_related("organization")
        .order_by("scheduled_at", "id")
    )


def _valid_on_q(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def assignments_covering(org, on: dt.date):
    """Assignments in force on `on` at `org` or one of its ancestors (whoever follows a committee
    follows its cells too), nearest level first."""
    ancestors = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    return (
        Assignment.objects.filter(organization__path__in=ancestors)
        .filter(_valid_on_q(on))
        .select_related("user", "organization")
        .order_by("-organization__depth", "valid_from", "id")
    )


def assignments_of(user, on: dt.date | None = None):
    """The organisations a user is in charge of (in force on `on`, default today)."""
    on = on or timezone.localdate()
    return (
        Assignment.objects.filter(user=user)
        .filter(_valid_on_q(on))
        .select_related("organization")
        .order_by("organization__path")
    )


def overdue_q(on: dt.date) -> Q:
    return Q(status=FindingStatus.OPEN, deadline__lt=on)


def is_overdue(finding: Finding, on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    return finding.status == FindingStatus.OPEN and finding.deadline < on


def overdue_findings(orgs, on: dt.date | None = None):
    """Open corrective actions whose deadline passed before `on` (default today), in the subtrees
    of `orgs`; oldest deadline first."""
    on = on or timezone.localdate()
    return (
        Finding.objects.filter(subtree_q(orgs, "visit__meeting__organization"))
        .filter(overdue_q(on))
        .select_related("visit__meeting__organization", "visit__observer", "owner_user")
        .order_by("deadline", "id")
    )


def attendance_counts(meeting: Meeting) -> dict[tuple[str, str], int]:
    """{(category, status): count} of the meeting's roster, in one query."""
    from django.db.models import Count

    rows = (
        Attendance.objects.filter(meeting=meeting)
        .values("category", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["category"], r["status"]): r["n"] for r in rows}
