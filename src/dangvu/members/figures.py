"""Member figures for reports and the dashboard (registered in `dangvu.reports.figures`).

Stocks ("as at 31/12") count the members on the roll of the subtree as it was on `ctx.on`: an
official membership open that day in one of the subtree's organisations then, and a status on the
roll that day (probationary, official, exempt). Flows (gains and losses) count the lifecycle
events dated in the period at organisations of that subtree; a transfer between two organisations
of the subtree is neither a gain nor a loss of it.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import add_years
from dangvu.reports.figures import Breakdown, Number, Row, figure

from .choices import (
    ACTIVE_STATUSES,
    ETHNICITY_CHOICES,
    RELIGION_CHOICES,
    EventKind,
    Gender,
    GeneralEducation,
    MemberStatus,
    PoliticalTheory,
    TransferKind,
)
from .models import Member, MemberEvent, Membership

MODULE = "members"

AGE_BANDS = [  # (code, label, lowest age, highest age) in full years on ctx.on
    ("lt30", _("Dưới 30 tuổi"), 0, 29),
    ("30_40", _("Từ 30 đến 40 tuổi"), 30, 40),
    ("41_50", _("Từ 41 đến 50 tuổi"), 41, 50),
    ("51_60", _("Từ 51 đến 60 tuổi"), 51, 60),
    ("gt60", _("Trên 60 tuổi"), 61, None),
]


def on_roll(ctx):
    """Members on the roll of the subtree on `ctx.on`, with `status_on` (their status that day)."""
    from .selectors import annotate_status_as_of

    ids = (
        Membership.objects.filter(
            organization_id__in=ctx.org_ids, kind=TransferKind.OFFICIAL, valid_from__lte=ctx.on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=ctx.on))
        .values("member_id")
    )
    qs = annotate_status_as_of(Member.objects.filter(pk__in=ids), ctx.on)
    return qs.filter(status_on__in=ACTIVE_STATUSES)


def _breakdown(qs, field: str, choices) -> Breakdown:
    counts = dict(qs.order_by().values_list(field).annotate(n=Count("pk")))
    rows = [Row(str(code), str(label), counts.pop(code, 0)) for code, label in choices]
    rows += [Row(str(code), str(code or "—"), n) for code, n in sorted(counts.items(), key=str)]
    return Breakdown(tuple(rows))


@figure("members.total", _("Tổng số đảng viên"), module=MODULE, kind="number")
def total(ctx) -> Number:
    return Number(on_roll(ctx).count())


@figure("members.by_status", _("Đảng viên theo tình trạng"), module=MODULE)
def by_status(ctx) -> Breakdown:
    choices = [(s, MemberStatus(s).label) for s in ACTIVE_STATUSES]
    return _breakdown(on_roll(ctx), "status_on", choices)


@figure("members.by_gender", _("Đảng viên theo giới tính"), module=MODULE)
def by_gender(ctx) -> Breakdown:
    return _breakdown(on_roll(ctx), "gender", Gender.choices)


@figure("members.by_age_band", _("Đảng viên theo độ tuổi"), module=MODULE)
def by_age_band(ctx) -> Breakdown:
    from django.db.models import Case, CharField, Value, When

    whens = []
    for code, _label, lo, hi in AGE_BANDS:
        q = Q(date_of_birth__lte=add_years(ctx.on, -lo))
        if hi is not None:
            q &= Q(date_of_birth__gt=add_years(ctx.on, -(hi + 1)))
        whens.append(When(q, then=Value(code)))
    qs = on_roll(ctx).annotate(band=Case(*whens, default=Value(""), output_field=CharField()))
    return _breakdown(qs, "band", [(c, label) for c, label, _lo, _hi in AGE_BANDS])


@figure("members.by_ethnicity", _("Đảng viên theo dân tộc"), module=MODULE)
def by_ethnicity(ctx) -> Breakdown:
    b = _breakdown(on_roll(ctx), "ethnicity", ETHNICITY_CHOICES)
    return Breakdown(tuple(r for r in b.rows if r.value))  # 54 ethnicities: only those present


@figure("members.by_religion", _("Đảng viên theo tôn giáo"), module=MODULE)
def by_religion(ctx) -> Breakdown:
    b = _breakdown(on_roll(ctx), "religion", RELIGION_CHOICES)
    return Breakdown(tuple(r for r in b.rows if r.value))


@figure("members.by_education", _("Đảng viên theo trình độ giáo dục phổ thông"), module=MODULE)
def by_education(ctx) -> Breakdown:
    return _breakdown(on_roll(ctx), "general_education", GeneralEducation.choices)


@figure(
    "members.by_political_theory", _("Đảng viên theo trình độ lý luận chính trị"), module=MODULE
)
def by_political_theory(ctx) -> Breakdown:
    return _breakdown(on_roll(ctx), "political_theory", PoliticalTheory.choices)


GAINS = [
    (EventKind.ADMITTED, _("Kết nạp")),
    (EventKind.READMITTED, _("Kết nạp lại")),
    (EventKind.TRANSFER_IN, _("Chuyển đến")),
]
LOSSES = [
    (EventKind.TRANSFER_OUT, _("Chuyển đi")),
    (EventKind.REMOVED, _("Xóa tên")),
    (EventKind.EXPELLED, _("Khai trừ")),
    (EventKind.DIED, _("Từ trần")),
]


def _events(ctx):
    return MemberEvent.objects.filter(date__gte=ctx.date_from, date__lte=ctx.date_to)


@figure("members.gains", _("Đảng viên tăng trong kỳ"), module=MODULE)
def gains(ctx) -> Breakdown:
    inside = ctx.org_ids
    base = _events(ctx)
    counts = dict(
        base.filter(
            kind__in=[EventKind.ADMITTED, EventKind.READMITTED, EventKind.TRANSFER_IN],
            organization_id__in=inside,
        )
        .exclude(kind=EventKind.TRANSFER_IN, transfer_kind=TransferKind.TEMPORARY)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    # from elsewhere in the system: an official transfer out of an organisation outside the
    # subtree into one inside it
    counts[EventKind.TRANSFER_IN] = counts.get(EventKind.TRANSFER_IN, 0) + (
        base.filter(
            kind=EventKind.TRANSFER_OUT,
            transfer_kind=TransferKind.OFFICIAL,
            to_organization_id__in=inside,
        )
        .exclude(organization_id__in=inside)
        .count()
    )
    return Breakdown(tuple(Row(str(k), str(label), counts.get(k, 0)) for k, label in GAINS))


@figure("members.losses", _("Đảng viên giảm trong kỳ"), module=MODULE)
def losses(ctx) -> Breakdown:
    inside = ctx.org_ids
    base = _events(ctx).filter(organization_id__in=inside)
    counts = dict(
        base.filter(kind__in=[EventKind.REMOVED, EventKind.EXPELLED, EventKind.DIED])
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    counts[EventKind.TRANSFER_OUT] = (
        base.filter(kind=EventKind.TRANSFER_OUT, transfer_kind=TransferKind.OFFICIAL)
        .exclude(to_organization_id__in=inside)
        .count()
    )
    return Breakdown(tuple(Row(str(k), str(label), counts.get(k, 0)) for k, label in LOSSES))
