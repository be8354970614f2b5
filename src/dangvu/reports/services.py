"""Writes of the reports module: asking for a report (validated, then queued as a background job).

`report_request` checks everything before writing anything: the organisation is in the author's
scope for the members figures (a report never counts what its author may not see), the period
is complete and not in the future, the format suits the kind. Errors are keyed by field, in
Vietnamese. The generation itself is `tasks.execute_report`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.dates import fmt

from .choices import FORMATS_BY_KIND, NARRATIVE_SECTIONS, Half, ReportFormat, ReportKind
from .models import GeneratedReport

NARRATIVE_MAX = 20_000
FIRST_YEAR = 1930  # the Party was founded on 03/02/1930


def may_report_on(user, organization) -> bool:
    """The user sees the organisation's whole subtree in the members figures."""
    from . import figures as F

    return organization is not None and F.allowed(user, F.get("members.total"), organization)


def period_of(kind: str, *, year=None, half=None, as_of=None) -> tuple[dt.date, dt.date, dt.date]:
    """(date_from, date_to, as_of) of a report."""
    if kind == ReportKind.STATISTICS:
        return dt.date(as_of.year, 1, 1), as_of, as_of
    if kind == ReportKind.HALF_YEAR:
        if int(half) == Half.FIRST:
            return dt.date(year, 1, 1), dt.date(year, 6, 30), dt.date(year, 6, 30)
        return dt.date(year, 7, 1), dt.date(year, 12, 31), dt.date(year, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year, 12, 31)


def _validate(*, actor, organization, kind, fmt_, year, half, as_of, narratives, today) -> dict:
    errors: dict[str, str] = {}
    if organization is None:
        errors["organization"] = _("Chọn tổ chức đảng cần báo cáo.")
    elif not may_report_on(actor, organization):
        errors["organization"] = _(
            "Tổ chức đảng này không thuộc phạm vi bạn được xem số liệu đảng viên; "
            "báo cáo chỉ tính những gì người lập được phép xem."
        )
    if kind not in ReportKind.values:
        errors["kind"] = _("Chọn loại báo cáo: sơ kết 6 tháng, tổng kết năm hoặc thống kê.")
        return errors
    allowed_formats = FORMATS_BY_KIND[ReportKind(kind)]
    if fmt_ not in allowed_formats:
        errors["format"] = _("Định dạng của loại báo cáo này: %(list)s.") % {
            "list": ", ".join(str(ReportFormat(f).label) for f in allowed_formats)
        }
    if kind == ReportKind.STATISTICS:
        if as_of is None:
            errors["as_of"] = _("Nhập ngày tính số liệu (dd/mm/yyyy).")
        elif as_of > today:
            errors["as_of"] = _("Ngày tính số liệu %(d)s ở tương lai; hôm nay là %(t)s.") % {
                "d": fmt(as_of),
                "t": fmt(today),
            }
        elif as_of.year < FIRST_YEAR:
            errors["as_of"] = _("Ngày tính số liệu phải từ năm %(y)s.") % {"y": FIRST_YEAR}
    else:
        if year is None:
            errors["year"] = _("Nhập năm báo cáo.")
        elif not FIRST_YEAR <= year <= today.year:
            errors["year"] = _("Năm báo cáo phải từ %(a)s đến %(b)s.") % {
                "a": FIRST_YEAR,
                "b": today.year,
            }
        if kind == ReportKind.HALF_YEAR and half not in (Half.FIRST, Half.SECOND, 1, 2):
            errors["half"] = _("Chọn kỳ: 6 tháng đầu năm hoặc 6 tháng cuối năm.")
        if not errors.get("year") and not errors.get("half") and year is not None:
            start, _end, _on = period_of(kind, year=year, half=half)
            if start > today:
                errors["year" if kind == ReportKind.ANNUAL else "half"] = _(
                    "Kỳ báo cáo bắt đầu ngày %(d)s, chưa đến; không có số liệu để báo cáo."
                ) % {"d": fmt(start)}
    for code, text in (narratives or {}).items():
        if code not in dict(NARRATIVE_SECTIONS):
            errors[f"narrative_{code}"] = _("Không có mục “%(c)s” trong báo cáo.") % {"c": code}
        elif len(text or "") > NARRATIVE_MAX:
            errors[f"narrative_{code}"] = _("Nội dung mục này dài quá %(n)s ký tự.") % {
                "n": f"{NARRATIVE_MAX:,}".replace(",", ".")
            }
    return errors


def report_request(
    *,
    actor,
    organization,
    kind: str,
    format: str,  # noqa: A002 - the field's name
    year: int | None = None,
    half: int | None = None,
    as_of: dt.date | None = None,
    narratives: dict | None = None,
    ip: str | None = None,
) -> GeneratedReport:
    """Record the request and queue its generation (on commit). Nothing is written when the
    request is refused."""
    today = timezone.localdate()
    narratives = {k: (v or "").strip() for k, v in (narratives or {}).items()}
    errors = _validate(
        actor=actor,
        organization=organization,
        kind=kind,
        fmt_=format,
        year=year,
        half=half,
        as_of=as_of,
        narratives=narratives,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    start, end, on = period_of(kind, year=year, half=half, as_of=as_of)
    if kind != ReportKind.STATISTICS and end > today:
        on = today  # a running period: stocks as at today, flows up to today
        end = today
    parameters = {"narratives": {k: v for k, v in narratives.items() if v}}
    if kind != ReportKind.STATISTICS:
        parameters["period_end"] = period_of(kind, year=year, half=half)[1].isoformat()
    with transaction.atomic(), audit_context(actor=actor, ip=ip):
        report = GeneratedReport.objects.create(
            kind=kind,
            organization=organization,
            year=year if kind != ReportKind.STATISTICS else as_of.year,
            half=int(half) if kind == ReportKind.HALF_YEAR else None,
            date_from=start,
            date_to=end,
            as_of=on,
            format=format,
            parameters=parameters,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        from .tasks import queue_report

        queue_report(report)
    return report
