"""Committee and congress figures for reports (registered in `dangvu.reports.figures`), over the
subtree as it was on the as-of date."""

from django.utils.translation import gettext_lazy as _

from dangvu.reports.figures import Breakdown, Number, Row, figure

from . import selectors as S

MODULE = "committees"


@figure("committees.vacancies", _("Cấp ủy thiếu, khuyết"), module=MODULE)
def vacancies(ctx) -> Breakdown:
    total = S.vacancy_total(ctx.orgs, ctx.on)
    return Breakdown(
        (
            Row("committees", str(_("Cấp ủy còn thiếu")), total["committees"]),
            Row("seats", str(_("Chức danh còn trống")), total["seats"]),
        )
    )


@figure("committees.without_secretary", _("Tổ chức chưa có bí thư"), module=MODULE, kind="number")
def without_secretary(ctx) -> Number:
    return Number(S.orgs_without_secretary(ctx.orgs, ctx.on).count())


@figure(
    "committees.congresses_due",
    _("Tổ chức đến hạn đại hội trong 6 tháng tới (kể cả quá hạn)"),
    module=MODULE,
    kind="number",
)
def congresses_due(ctx) -> Number:
    return Number(S.congresses_due(ctx.orgs, ctx.on, months=6).count())
