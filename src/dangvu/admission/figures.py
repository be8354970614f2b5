"""Admission figures for reports and the dashboard (registered in `dangvu.reports.figures`).

- `admission.admitted`: members admitted in the period (the ADMITTED event, dated by the admission
  decision, at an organisation of the subtree as it was at the end of the period);
- `admission.admitted_year`: admitted from 1 January of the period's last year up to its end
  (what is compared with the year's target);
- `admission.target`: the targets of that year set for organisations of the subtree;
- `admission.by_month`: admitted per month of the period (the dashboard's bars);
- `admission.candidates_by_step`: candidates in preparation on `ctx.on`, by the furthest step
  recorded by that day (closed candidates and those already recognised as official left out).

All counts read the subtree as of `ctx.on` (`ctx.org_ids`), so a past period after a merge
counts what was there then.
"""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from dangvu.reports.figures import Breakdown, Number, Row, figure

from .choices import STEP_ORDER, StepKind

MODULE = "admission"


def _admitted_events(ctx, start: dt.date, end: dt.date):
    from dangvu.members.choices import EventKind
    from dangvu.members.models import MemberEvent

    return MemberEvent.objects.filter(
        kind=EventKind.ADMITTED,
        date__gte=start,
        date__lte=end,
        organization_id__in=ctx.org_ids,
    )


@figure("admission.admitted", _("Đảng viên mới kết nạp trong kỳ"), module=MODULE, kind="number")
def admitted(ctx) -> Number:
    return Number(_admitted_events(ctx, ctx.date_from, ctx.date_to).count())


@figure(
    "admission.admitted_year",
    _("Đảng viên mới kết nạp từ đầu năm"),
    module=MODULE,
    kind="number",
)
def admitted_year(ctx) -> Number:
    start = dt.date(ctx.date_to.year, 1, 1)
    return Number(_admitted_events(ctx, start, ctx.date_to).count())


@figure("admission.target", _("Chỉ tiêu kết nạp đảng viên của năm"), module=MODULE, kind="number")
def target(ctx) -> Number:
    from .models import AdmissionTarget

    total = AdmissionTarget.objects.filter(
        year=ctx.date_to.year, organization_id__in=ctx.org_ids
    ).aggregate(n=Sum("number"))["n"]
    return Number(total or 0)


MONTHS = [(m, _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)]


@figure("admission.by_month", _("Đảng viên mới kết nạp theo tháng"), module=MODULE)
def by_month(ctx) -> Breakdown:
    counts = {
        (y, m): n
        for y, m, n in _admitted_events(ctx, ctx.date_from, ctx.date_to)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .order_by()
        .values_list("y", "m")
        .annotate(n=Count("pk"))
    }
    rows = []
    y, m = ctx.date_from.year, ctx.date_from.month
    while (y, m) <= (ctx.date_to.year, ctx.date_to.month):
        rows.append(Row(f"{y}-{m:02d}", f"{m:02d}/{y}", counts.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return Breakdown(tuple(rows))


# The steps a candidate in preparation can stand at (after the ceremony: on probation).
STEP_ROWS = [
    ("", _("Chưa ghi bước nào")),
    *[(str(k), StepKind(k).label) for k in STEP_ORDER if k != StepKind.RECOGNITION],
]
_RANK = {str(k): i for i, k in enumerate(STEP_ORDER)}


@figure(
    "admission.candidates_by_step",
    _("Quần chúng đang bồi dưỡng, xét kết nạp, theo bước đã qua"),
    module=MODULE,
)
def candidates_by_step(ctx) -> Breakdown:
    """Candidates of the subtree whose preparation had started by `ctx.on` (a step recorded on
    or before it, or created by then) and was not closed by then, counted at the furthest step
    recorded on or before `ctx.on`; those recognised official by then are members, not counted."""
    from .models import AdmissionStep, Candidate

    on = ctx.on
    candidates = Candidate.objects.filter(organization_id__in=ctx.org_ids).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )
    started = dict(
        candidates.filter(created_at__date__lte=on).order_by().values_list("pk", "created_at")
    )
    furthest: dict[int, tuple[int, str, bool | None]] = {}
    steps = (
        AdmissionStep.objects.filter(candidate__in=candidates, date__lte=on)
        .order_by()
        .values_list("candidate_id", "kind", "passed")
    )
    for cid, kind, passed in steps:
        rank = _RANK.get(kind, -1)
        if cid not in furthest or rank > furthest[cid][0] or (rank == furthest[cid][0] and passed):
            furthest[cid] = (rank, kind, passed)
    counts: dict[str, int] = {}
    for cid in set(started) | set(furthest):
        rank, kind, passed = furthest.get(cid, (-1, "", None))
        if kind == StepKind.RECOGNITION:
            if passed:
                continue  # recognised official: a member now
            kind = str(StepKind.CEREMONY)  # not (yet) recognised: still on probation
        counts[kind] = counts.get(kind, 0) + 1
    return Breakdown(tuple(Row(code, str(label), counts.get(code, 0)) for code, label in STEP_ROWS))
