"""This app's panel on the home page, collected by `dangvu.core.views.home_panels`: the key
figures of the organisation at the top of the user's scope, with charts (Chart.js, vendored).

The panel shows today's numbers, the same ones the lists behind them show: every number links to
the member list (or the admission, meeting list) filtered to exactly those rows. A fixed number
of grouped queries, whatever the size of the tree (conditional counts, one GROUP BY per chart).
"""

import calendar
import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _


def top_organization(user):
    """The organisation at the top of the user's scope in the members module (the root for
    whole-tree and global roles), or None."""
    from dangvu.accounts.roles import role_allows
    from dangvu.core.scope import _grants
    from dangvu.organizations.models import Organization

    if getattr(user, "is_superuser", False):
        return Organization.objects.get_root_nodes().order_by("path").first()
    paths = []
    for role, path, _member, _org in _grants(user):
        if role == "member" or not role_allows(role, "members", "view"):
            continue
        if path is None:
            return Organization.objects.get_root_nodes().order_by("path").first()
        paths.append(path)
    if not paths:
        return None
    top = min(paths, key=lambda p: (len(p), p))
    return Organization.objects.filter(path=top).first()


def _members_url(org, **params) -> str:
    query = [("organization", org.pk)]
    for k, v in params.items():
        for item in v if isinstance(v, list | tuple) else [v]:
            query.append((k, item))
    return reverse("members:list") + "?" + urlencode(query)


AGE_BANDS = [("lt30", 0, 29), ("30_40", 30, 40), ("41_50", 41, 50), ("51_60", 51, 60),
             ("gt60", 61, None)]  # fmt: skip


def member_figures(org, today: dt.date) -> dict:
    """Members on the roll of the subtree today by status, gender and age band, from the
    subtree counters (members.stats): a fixed cost whatever the size of the subtree."""
    from dangvu.members.choices import ACTIVE_STATUSES, Gender, MemberStatus
    from dangvu.members.figures import AGE_BANDS as LABELS
    from dangvu.members.stats import subtree_figures

    fig = subtree_figures(org, today, AGE_BANDS)
    counts = {f"s_{k}": v for k, v in fig["status"].items()}
    counts.update({f"g_{k}": v for k, v in fig["gender"].items()})
    counts.update({f"a_{k}": v for k, v in fig["age"].items()})
    active = [str(s) for s in ACTIVE_STATUSES]
    status = [
        {
            "label": str(MemberStatus(s).label),
            "value": counts[f"s_{s}"],
            "url": _members_url(org, status=s),
        }
        for s in ACTIVE_STATUSES
    ]
    gender = [
        {"label": str(label), "value": counts[f"g_{g}"], "url": _members_url(org, gender=g,
                                                                              status=active)}
        for g, label in Gender.choices
    ]  # fmt: skip
    labels = {c: str(label) for c, label, _lo, _hi in LABELS}
    age = [
        {"label": labels[c], "value": counts[f"a_{c}"],
         "url": _members_url(org, age_band=c, status=active)}
        for c, _lo, _hi in AGE_BANDS
    ]  # fmt: skip
    return {
        "total": sum(r["value"] for r in status),
        "total_url": _members_url(org, status=active),
        "status": status,
        "gender": gender,
        "age": age,
    }


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def admission_figures(org, today: dt.date) -> dict:
    """Members admitted per month of this year (admission date, from the subtree counters) and
    the year's target."""
    from dangvu.admission import selectors
    from dangvu.admission.models import AdmissionTarget
    from dangvu.members.stats import subtree_tally

    year = today.year
    tally = subtree_tally(org)
    by_month = {m: tally.get(f"a|{year:04d}-{m:02d}", 0) for m in range(1, 13)}
    months = []
    for m in range(1, today.month + 1):
        start, end = _month_range(year, m)
        months.append(
            {
                "label": f"{m:02d}/{year}",
                "value": by_month.get(m, 0),
                "url": _members_url(
                    org, admitted_from=f"{start:%d/%m/%Y}", admitted_to=f"{end:%d/%m/%Y}"
                ),
            }
        )
    target = (
        AdmissionTarget.objects.filter(selectors.subtree_q(org), year=year).aggregate(
            n=Sum("number")
        )["n"]
        or 0
    )
    admitted = sum(r["value"] for r in months)
    return {
        "year": year,
        "months": months,
        "admitted": admitted,
        "admitted_url": _members_url(
            org, admitted_from=f"01/01/{year}", admitted_to=f"{today:%d/%m/%Y}"
        ),
        "target": target,
        "percent": round(100 * admitted / target) if target else None,
        "targets_url": reverse("admission:targets") + "?" + urlencode({"year": year}),
    }


def meeting_figures(org, today: dt.date) -> dict:
    """Meetings held per month of this year in the subtree: one GROUP BY."""
    from django.utils import timezone

    from dangvu.meetings.choices import MeetingStatus
    from dangvu.meetings.models import Meeting

    year = today.year
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    by_month = dict(
        Meeting.objects.filter(
            organization__path__startswith=org.path,
            status=MeetingStatus.HELD,
            scheduled_at__gte=start,
        )
        .annotate(m=ExtractMonth("scheduled_at", tzinfo=tz))
        .order_by()
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    months = []
    for m in range(1, today.month + 1):
        a, b = _month_range(year, m)
        query = urlencode(
            {
                "organization": org.pk,
                "status": MeetingStatus.HELD,
                "date_from": f"{a:%d/%m/%Y}",
                "date_to": f"{b:%d/%m/%Y}",
            }
        )
        months.append(
            {
                "label": f"{m:02d}/{year}",
                "value": by_month.get(m, 0),
                "url": reverse("meetings:list") + "?" + query,
            }
        )
    return {"months": months, "total": sum(r["value"] for r in months)}


def children_figures(org, today: dt.date, limit: int = 20) -> list[dict]:
    """Members on the roll under each organisation directly below `org`: from the children's
    subtree counters in the upper levels (members.stats), else one GROUP BY on the path prefix
    (a subtree of a few thousand members); one query for the children's names."""
    from dangvu.members.choices import ACTIVE_STATUSES
    from dangvu.members.models import Member, OrganizationStats
    from dangvu.members.stats import COMPUTED, ROLLUP_DEPTH, prefix_q
    from dangvu.organizations.models import Organization

    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
        .active()
        .order_by("path")[: limit * 5]
    )
    counts = {}
    if org.depth + 1 <= ROLLUP_DEPTH:
        stored = OrganizationStats.objects.filter(
            organization__in=[c.pk for c in children]
        ).values_list("organization__path", "subtree")
        for path, subtree in stored:
            if subtree.get(COMPUTED):
                counts[path] = sum(n for k, n in subtree.items() if k.startswith("s|"))
    missing = [c.path for c in children if c.path not in counts]
    if missing:  # deeper levels (few members), or counters not computed: count those subtrees
        n = len(org.path) + org.steplen
        counts.update(
            Member.objects.filter(
                prefix_q("organization__path", missing), status__in=ACTIVE_STATUSES
            )
            .annotate(prefix=Substr("organization__path", 1, n))
            .order_by()
            .values_list("prefix")
            .annotate(c=Count("pk"))
        )
    active = [str(s) for s in ACTIVE_STATUSES]
    rows = [
        {"label": c.name, "value": counts.get(c.path, 0), "url": _members_url(c, status=active)}
        for c in children
    ]
    rows.sort(key=lambda r: -r["value"])
    return rows[:limit]


def panel(request, today) -> str:
    """The figures (`dashboard_html`, a fixed number of queries) rendered with the home page;
    "" for users without member figures. (Loading them by a second htmx request made two requests
    share the test server's single SQLite connection at once, which could hang browser tests.)"""
    from dangvu.core.scope import scope_q

    from .models import GeneratedReport

    if scope_q(GeneratedReport, request.user) is None:
        return ""
    return render_to_string(
        "reports/includes/home_placeholder.html",
        {"dashboard": dashboard_html(request.user, today)},
    )


def dashboard_html(user, today) -> str:
    """The key figures of the user's scope with charts (a fixed number of queries)."""
    org = top_organization(user)
    if org is None:
        return ""
    ctx = {"org": org, "members": member_figures(org, today), "today": today}
    if _covers(user, org, "admission"):
        ctx["admission"] = admission_figures(org, today)
    if _covers(user, org, "meetings"):
        ctx["meetings"] = meeting_figures(org, today)
    ctx["children"] = children_figures(org, today)
    charts = {
        "status": ctx["members"]["status"],
        "gender": ctx["members"]["gender"],
        "age": ctx["members"]["age"],
        "admission": ctx.get("admission", {}).get("months"),
        "target": ctx.get("admission", {}).get("target"),
        "meetings": ctx.get("meetings", {}).get("months"),
        "children": ctx["children"],
        "labels": {
            "admitted": _("Kết nạp"),
            "target": _("Chỉ tiêu bình quân tháng"),
            "meetings": _("Buổi sinh hoạt đã tổ chức"),
            "members": _("Đảng viên"),
        },
    }
    ctx["charts"] = charts
    return render_to_string("reports/includes/home_panel.html", ctx)


def _covers(user, org, module: str) -> bool:
    from . import figures as F

    fig = F.Figure("", "", module, lambda c: None, "number")
    return F.allowed(user, fig, org)
