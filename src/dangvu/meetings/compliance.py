"""Watching compliance: which organisations break the meeting and supervision rules in a period.

Every function takes `orgs`, an Organization queryset (typically `Organization.objects.restrict(
user)`, narrowed to a subtree by the page), and answers with a `Check`: the offending items, the
rulebook values used (`check.citation` gives "Theo …" for the page) and the period. Each check is
one SQL query plus one per rule read (wrap a batch in `rulebook.cached_rules()` to share those);
nothing loops over organisations. `figures()` gives the numbers a half-year report quotes.

Definitions shared with `meetings.services`:
- a month counts as met when a regular or combined meeting was held in it (local dates);
- the quarter's thematic meeting may be a thematic or a combined meeting;
- attendance rate = present / expected, without temporarily attached members, exempt members
  counted only when present (as `services.attendance_rate`);
- the minimum length applies to regular meetings (`meeting.min_duration_minutes`) and to
  combined ones (`meeting.min_duration_combined_minutes`);
- a corrective action is overdue when still open after its deadline (`selectors.overdue_q`);
- an organisation counts as visited when an observer visit was recorded at a meeting of it or of
  an organisation under it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import add_months
from dangvu.core.rulebook import RuleValue, rule
from dangvu.organizations.choices import CELL_TYPES

from .choices import (
    AttendanceStatus,
    FindingCategory,
    FindingStatus,
    MeetingKind,
    MeetingStatus,
    RosterCategory,
)
from .models import Attendance, Finding, Meeting, ObserverVisit

REGULAR_KINDS = (MeetingKind.REGULAR, MeetingKind.COMBINED)
THEMATIC_KINDS = (MeetingKind.THEMATIC, MeetingKind.COMBINED)
VISITED_TYPES = tuple(CELL_TYPES)


COUNT_CAP = 10_000  # like the lists: a count past this says "more than 10,000"


@dataclass
class Check:
    """The result of one check: what breaks the rule, and which rule.

    `source` is a queryset (or a list) read only as far as asked: the home page wants a count and
    the first five, so a whole country's 287,000 cells are never loaded for it (`head`, `count`);
    `items` reads everything (reminders, the full list). `decorate` adds the per-row figures
    (rate, minutes, days overdue) to whatever rows are read.
    """

    code: str
    title: str
    source: object
    rules: list[RuleValue] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    decorate: Callable[[list], list] | None = None

    def _read(self, rows) -> list:
        rows = list(rows)
        return self.decorate(rows) if self.decorate else rows

    @cached_property
    def items(self) -> list:
        return self._read(self.source)

    def head(self, n: int) -> list:
        """The first `n` items (one LIMIT query when nothing was read yet)."""
        if "items" in self.__dict__ or not isinstance(self.source, QuerySet):
            return self.items[:n]
        rows = list(self.source[: n + 1])
        if len(rows) <= n:  # all of them: the count needs no query of its own
            self.__dict__.setdefault("_counted", (len(rows), False))
        return self._read(rows[:n])

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        if "items" in self.__dict__ or not isinstance(self.source, QuerySet):
            return len(self.items), False
        n = self.source.order_by()[: COUNT_CAP + 1].count()
        return min(n, COUNT_CAP), n > COUNT_CAP

    @property
    def count(self) -> int:
        """Number of items, at most COUNT_CAP (see `count_capped`)."""
        return self._counted[0]

    @property
    def count_capped(self) -> bool:
        return self._counted[1]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    @property
    def citation(self) -> str:
        """'Theo HD 42-HD/BTCTW; …' for the page (each source once)."""
        seen: list[str] = []
        for r in self.rules:
            if r.citation not in seen:
                seen.append(r.citation)
        return "; ".join(seen)


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------
def _aware(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=timezone.get_current_timezone())


def _between(date_from: dt.date, date_to: dt.date, lookup: str = "scheduled_at") -> Q:
    """Local dates date_from..date_to inclusive, as a range on an aware datetime field."""
    return Q(
        **{
            f"{lookup}__gte": _aware(date_from),
            f"{lookup}__lt": _aware(date_to + dt.timedelta(days=1)),
        }
    )


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    return start, add_months(start, 1) - dt.timedelta(days=1)


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    return start, add_months(start, 3) - dt.timedelta(days=1)


def half_year_bounds(d: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year containing `d`: 1/1–30/6 or 1/7–31/12."""
    if d.month <= 6:
        return dt.date(d.year, 1, 1), dt.date(d.year, 6, 30)
    return dt.date(d.year, 7, 1), dt.date(d.year, 12, 31)


def _existing_throughout(orgs, start: dt.date, end: dt.date, types=VISITED_TYPES):
    """Organisations of `types` that existed for the whole period (no alarm for a cell founded or
    dissolved in the middle of it)."""
    qs = orgs.filter(Q(established_on__isnull=True) | Q(established_on__lte=start)).exclude(
        dissolved_on__isnull=False, dissolved_on__lte=end
    )
    if types is not None:
        qs = qs.filter(org_type__in=list(types))
    return qs


def _short_of(orgs, kinds, start: dt.date, end: dt.date, needed: int):
    """Organisations of `orgs` with fewer than `needed` held meetings of `kinds` in the period;
    "none at all" (the usual rule) is an anti-join, not a count per organisation."""
    if needed <= 1:
        held = Meeting.objects.filter(
            organization=OuterRef("pk"), status=MeetingStatus.HELD, kind__in=list(kinds)
        ).filter(_between(start, end))
        return orgs.filter(~Exists(held)) if needed == 1 else orgs.none()
    return orgs.annotate(held=_held_count(kinds, start, end)).filter(held__lt=needed)


def _held_count(kinds, start: dt.date, end: dt.date):
    held = (
        Meeting.objects.filter(
            organization=OuterRef("pk"), status=MeetingStatus.HELD, kind__in=list(kinds)
        )
        .filter(_between(start, end))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), Value(0))


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------
def missed_monthly(orgs, year: int, month: int) -> Check:
    """Cells without a held regular (or combined) meeting in the month."""
    start, end = month_bounds(year, month)
    per_month = rule("meeting.regular_per_month", end)
    cells = _short_of(
        _existing_throughout(orgs, start, end), REGULAR_KINDS, start, end, int(per_month)
    ).order_by("path")
    return Check(
        "missed_monthly",
        _("Chi bộ không sinh hoạt thường kỳ trong tháng %(m)02d/%(y)d") % {"m": month, "y": year},
        cells,
        [per_month],
        start,
        end,
    )


def no_thematic(orgs, year: int, quarter: int) -> Check:
    """Cells without a held thematic (or combined) meeting in the quarter."""
    start, end = quarter_bounds(year, quarter)
    per_quarter = rule("meeting.thematic_per_quarter", end)
    cells = _short_of(
        _existing_throughout(orgs, start, end), THEMATIC_KINDS, start, end, int(per_quarter)
    ).order_by("path")
    return Check(
        "no_thematic",
        _("Chi bộ chưa sinh hoạt chuyên đề trong quý %(q)d/%(y)d") % {"q": quarter, "y": year},
        cells,
        [per_quarter],
        start,
        end,
    )


def _held_in(orgs, date_from: dt.date, date_to: dt.date):
    return Meeting.objects.filter(
        _between(date_from, date_to), status=MeetingStatus.HELD, organization__in=orgs
    )


_COUNTED = ~Q(attendances__category=RosterCategory.TEMPORARY)
_PRESENT = Q(attendances__status=AttendanceStatus.PRESENT)
ATTENDANCE_PRESENT = Count("attendances", filter=_COUNTED & _PRESENT)
ATTENDANCE_EXPECTED = Count(
    "attendances", filter=_COUNTED & (_PRESENT | ~Q(attendances__category=RosterCategory.EXEMPT))
)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def low_attendance(orgs, date_from: dt.date, date_to: dt.date) -> Check:
    """Held meetings whose attendance rate is below `meeting.low_attendance_percent`; each item
    carries `present`, `expected` and `rate` (percent)."""
    threshold = rule("meeting.low_attendance_percent", date_to)
    limit = Decimal(threshold.raw)
    meetings = (
        _held_in(orgs, date_from, date_to)
        .annotate(present=ATTENDANCE_PRESENT, expected=ATTENDANCE_EXPECTED)
        .annotate(present_x100=ExpressionWrapper(F("present") * 100, output_field=IntegerField()))
        .filter(expected__gt=0)
        .select_related("organization")
        .order_by("scheduled_at", "id")
    )
    # present / expected < limit %, compared without division: present × 100 < limit × expected
    if limit == limit.to_integral_value():
        source = meetings.filter(present_x100__lt=F("expected") * int(limit))
    else:  # pragma: no cover - a fractional threshold: compare in Python
        source = [m for m in meetings if Decimal(m.present * 100) < limit * m.expected]

    def decorate(rows):
        for m in rows:
            m.rate = _percent(m.present, m.expected)
        return rows

    return Check(
        "low_attendance",
        _("Buổi sinh hoạt có tỷ lệ đảng viên dự dưới %(p)s%%") % {"p": threshold.raw},
        source,
        [threshold],
        date_from,
        date_to,
        decorate,
    )


def short_meetings(orgs, date_from: dt.date, date_to: dt.date) -> Check:
    """Held regular meetings shorter than `meeting.min_duration_minutes`, combined ones shorter than
    `meeting.min_duration_combined_minutes` (rules in force at the end of the period). Each item
    carries `minutes` and `required`."""
    regular = rule("meeting.min_duration_minutes", date_to)
    combined = rule("meeting.min_duration_combined_minutes", date_to)
    limits = {MeetingKind.REGULAR: int(regular), MeetingKind.COMBINED: int(combined)}
    q = Q(pk__in=[])
    for kind, minutes in limits.items():
        q |= Q(kind=kind, ended_at__lt=F("started_at") + dt.timedelta(minutes=minutes))
    meetings = (
        _held_in(orgs, date_from, date_to)
        .filter(started_at__isnull=False, ended_at__isnull=False)
        .filter(q)
        .select_related("organization")
        .order_by("scheduled_at", "id")
    )

    def decorate(rows):
        for m in rows:
            m.minutes = m.duration_minutes
            m.required = limits[MeetingKind(m.kind)]
        return rows

    return Check(
        "short_meetings",
        _("Buổi sinh hoạt ngắn hơn thời lượng tối thiểu"),
        meetings,
        [regular, combined],
        date_from,
        date_to,
        decorate,
    )


def overdue_findings(orgs, on: dt.date | None = None) -> Check:
    """Corrective actions still open after their deadline (at organisations in `orgs`)."""
    from .selectors import overdue_q

    on = on or timezone.localdate()
    findings = (
        Finding.objects.filter(overdue_q(on), visit__meeting__organization__in=orgs)
        .select_related("visit__meeting__organization", "visit__observer", "owner_user")
        .order_by("deadline", "id")
    )

    def decorate(rows):
        for f in rows:
            f.days_overdue = (on - f.deadline).days
        return rows

    return Check(
        "overdue_findings", _("Thiếu sót quá hạn khắc phục"), findings, [], None, on, decorate
    )


def not_visited(
    orgs, on: dt.date | None = None, *, since: dt.date | None = None, types=VISITED_TYPES
) -> Check:
    """Organisations (cells and grassroots cells by default; `types=None` for any) at whose
    meetings, or those of an organisation under them, no upper-level member recorded a visit
    since `since` — by default the last `supervision.visit_period_months` months up to `on`.
    Pass `since=half_year_bounds(on)[0]` for "this half-year". Each item carries `last_visit`
    (the date of the last visited meeting, or None)."""
    on = on or timezone.localdate()
    period = rule("supervision.visit_period_months", on)
    if since is None:
        since = add_months(on, -int(period)) + dt.timedelta(days=1)
    if types is not None and set(types) <= CELL_TYPES:
        # Cells never have organisations under them (organizations.choices.ALLOWED_PARENTS):
        # their own meetings, an indexed equality. The path prefix, taken from a column, no
        # index serves: SQLite read every organisation for each cell (35 s for a province).
        at = {"meeting__organization": OuterRef("pk")}
    else:
        at = {"meeting__organization__path__startswith": OuterRef("path")}
    last = (
        ObserverVisit.objects.filter(
            **at, meeting__scheduled_at__lt=_aware(on + dt.timedelta(days=1))
        )
        .order_by("-meeting__scheduled_at")
        .values("meeting__scheduled_at")[:1]
    )
    qs = (
        _existing_throughout(orgs, since, on, types)
        .annotate(last_visit_at=Subquery(last, output_field=DateTimeField()))
        .filter(Q(last_visit_at__isnull=True) | Q(last_visit_at__lt=_aware(since)))
        .order_by("path")
    )

    def decorate(rows):
        for o in rows:
            o.last_visit = timezone.localdate(o.last_visit_at) if o.last_visit_at else None
        return rows

    return Check(
        "not_visited",
        _("Tổ chức chưa có đồng chí cấp trên dự sinh hoạt từ %(d)s")
        % {"d": since.strftime("%d/%m/%Y")},
        qs,
        [period],
        since,
        on,
        decorate,
    )


# ---------------------------------------------------------------------------------------------
# Figures for reports
# ---------------------------------------------------------------------------------------------
def figures(orgs, date_from: dt.date, date_to: dt.date, on: dt.date | None = None) -> dict:
    """Numbers for a report on the period (five queries):

    - meetings_held, meetings_by_kind {kind: n} (held meetings of organisations in `orgs`);
    - attendance_present, attendance_expected, average_attendance (percent, over all the rosters);
    - visits, cells_visited (distinct cells and grassroots cells whose meetings were attended by an
      upper-level member: "dự sinh hoạt 7 chi bộ"), organizations_visited (any type), observers;
    - findings, findings_by_category {category: n}, findings_corrected, findings_open,
      findings_overdue (open past the deadline on `on`, default today), for the findings of the
      visits in the period.
    """
    on = on or timezone.localdate()
    held = _held_in(orgs, date_from, date_to)
    by_kind = dict(held.order_by().values_list("kind").annotate(n=Count("pk")))
    att = Attendance.objects.filter(meeting__in=held.values("pk")).aggregate(
        present=Count(
            "pk",
            filter=~Q(category=RosterCategory.TEMPORARY) & Q(status=AttendanceStatus.PRESENT),
        ),
        expected=Count(
            "pk",
            filter=~Q(category=RosterCategory.TEMPORARY)
            & (Q(status=AttendanceStatus.PRESENT) | ~Q(category=RosterCategory.EXEMPT)),
        ),
    )
    visits_qs = ObserverVisit.objects.filter(
        _between(date_from, date_to, "meeting__scheduled_at"), meeting__organization__in=orgs
    )
    visits = visits_qs.aggregate(
        visits=Count("pk"),
        organizations=Count("meeting__organization", distinct=True),
        cells=Count(
            "meeting__organization",
            distinct=True,
            filter=Q(meeting__organization__org_type__in=list(CELL_TYPES)),
        ),
        observers=Count("observer", distinct=True),
    )
    overdue = Q(status=FindingStatus.OPEN, deadline__lt=on)
    rows = (
        Finding.objects.filter(visit__in=visits_qs.values("pk"))
        .order_by()
        .values("category")
        .annotate(
            n=Count("pk"),
            closed=Count("pk", filter=Q(status=FindingStatus.CLOSED)),
            overdue=Count("pk", filter=overdue),
        )
    )
    by_category = {c: 0 for c in FindingCategory.values}
    closed = overdue_n = 0
    for r in rows:
        by_category[r["category"]] = r["n"]
        closed += r["closed"]
        overdue_n += r["overdue"]
    total_findings = sum(by_category.values())
    return {
        "date_from": date_from,
        "date_to": date_to,
        "on": on,
        "meetings_held": sum(by_kind.values()),
        "meetings_by_kind": {k: by_kind.get(k, 0) for k in MeetingKind.values},
        "attendance_present": att["present"],
        "attendance_expected": att["expected"],
        "average_attendance": _percent(att["present"], att["expected"]),
        "visits": visits["visits"],
        "cells_visited": visits["cells"],
        "organizations_visited": visits["organizations"],
        "observers": visits["observers"],
        "findings": total_findings,
        "findings_by_category": by_category,
        "findings_corrected": closed,
        "findings_open": total_findings - closed,
        "findings_overdue": overdue_n,
    }


# ---------------------------------------------------------------------------------------------
# The home page
# ---------------------------------------------------------------------------------------------
def previous_month(on: dt.date) -> tuple[int, int]:
    d = add_months(on.replace(day=1), -1)
    return d.year, d.month


def summary(orgs, on: dt.date | None = None) -> list[Check]:
    """The checks the home page shows, as of `on` (default today): the last complete month's
    regular meeting, this quarter's thematic meeting, low attendance and short meetings since the
    start of last month, overdue corrective actions, organisations not visited within the rule's
    period. About ten queries whatever the size of `orgs`."""
    from dangvu.core.rulebook import cached_rules

    on = on or timezone.localdate()
    year, month = previous_month(on)
    since = add_months(on.replace(day=1), -1)
    with cached_rules():
        return [
            missed_monthly(orgs, year, month),
            no_thematic(orgs, on.year, quarter_of(on)),
            low_attendance(orgs, since, on),
            short_meetings(orgs, since, on),
            overdue_findings(orgs, on),
            not_visited(orgs, on),
        ]
