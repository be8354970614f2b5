"""Meeting and supervision figures for reports (registered in `dangvu.reports.figures`), all read
from `compliance.figures` for the subtree as it was at the end of the period."""

from django.utils.translation import gettext_lazy as _

from dangvu.reports.figures import Breakdown, Number, Row, figure

from . import compliance
from .choices import FindingCategory, MeetingKind


def _figures(ctx) -> dict:
    key = ("meetings.figures", ctx.date_from, ctx.date_to, ctx.on)
    if key not in ctx.extra:  # several figures of one report share the five queries
        ctx.extra[key] = compliance.figures(ctx.orgs, ctx.date_from, ctx.date_to, on=ctx.on)
    return ctx.extra[key]


@figure("meetings.held_by_kind", _("Buổi sinh hoạt đã tổ chức, theo loại"), module="meetings")
def held_by_kind(ctx) -> Breakdown:
    by_kind = _figures(ctx)["meetings_by_kind"]
    return Breakdown(tuple(Row(k, str(MeetingKind(k).label), by_kind[k]) for k in by_kind))


@figure(
    "meetings.average_attendance",
    _("Tỷ lệ đảng viên dự sinh hoạt bình quân (%)"),
    module="meetings",
    kind="number",
)
def average_attendance(ctx) -> Number:
    value = _figures(ctx)["average_attendance"]
    return Number(float(value) if value is not None else None)


@figure(
    "meetings.cells_visited", _("Số chi bộ được dự sinh hoạt"), module="supervision", kind="number"
)
def cells_visited(ctx) -> Number:
    return Number(_figures(ctx)["cells_visited"])


@figure("meetings.visits", _("Lượt dự sinh hoạt của cấp trên"), module="supervision", kind="number")
def visits(ctx) -> Number:
    return Number(_figures(ctx)["visits"])


@figure("meetings.findings_by_category", _("Thiếu sót phát hiện, theo loại"), module="supervision")
def findings_by_category(ctx) -> Breakdown:
    by = _figures(ctx)["findings_by_category"]
    return Breakdown(tuple(Row(c, str(FindingCategory(c).label), by[c]) for c in by))


@figure(
    "meetings.findings_status",
    _("Thiếu sót: đã khắc phục, chưa khắc phục, quá hạn"),
    module="supervision",
)
def findings_status(ctx) -> Breakdown:
    f = _figures(ctx)
    return Breakdown(
        (
            Row("corrected", str(_("Đã khắc phục")), f["findings_corrected"]),
            Row("open", str(_("Chưa khắc phục")), f["findings_open"]),
            Row("overdue", str(_("Quá hạn")), f["findings_overdue"]),
        )
    )
