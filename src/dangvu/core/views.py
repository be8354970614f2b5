import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import (
    RULE_AREAS,
    RULE_UNITS,
    RuleAddForm,
    RuleEditForm,
    apply_service_errors,
    bootstrapify,
    decorate_rule,
    rule_add_value,
    rule_area,
    rule_update,
)
from .models import Rule
from .rulebook import rule
from .scope import CHANGE, VIEW, can, scope_q
from .viewmixins import history_rows, require_module_action, scoped_object

# --- home ----------------------------------------------------------------------------------------


def _members_url(**params) -> str:
    return reverse("members:list") + ("?" + urlencode(params, doseq=True) if params else "")


def _organizations_url(**params) -> str:
    return reverse("organizations:tree") + ("?" + urlencode(params, doseq=True) if params else "")


def member_dashboard(user, today: dt.date) -> dict:
    """Counts of the members the user may see: one aggregate query."""
    from dangvu.members.choices import ACTIVE_STATUSES, Gender, MemberStatus
    from dangvu.members.models import Member
    from dangvu.members.stats import subtree_tally, totals
    from dangvu.organizations.models import Organization

    from .scope import subtree_roots

    year_start = today.replace(month=1, day=1)
    roots = subtree_roots(user, "members")
    if roots is not None:
        # The scope is whole subtrees: their counters (members.stats), whatever their size.
        agg = dict.fromkeys(["active", *ACTIVE_STATUSES, *Gender.values, "admitted_this_year"], 0)
        months = {f"a|{today.year:04d}-{m:02d}" for m in range(1, today.month + 1)}
        for org in Organization.objects.filter(path__in=roots):
            for key, n in subtree_tally(org).items():
                kind, _sep, value = key.partition("|")
                if kind in ("s", "g"):
                    agg[value] += n
                    agg["active"] += n if kind == "s" else 0
                elif key in months:
                    agg["admitted_this_year"] += n
    else:
        # Status and gender from the per-organisation counters (a sum over organisations, not
        # a count over millions of members); admissions of the year from the indexed date.
        agg = totals(Organization.objects.restrict(user, VIEW, module="members"))
        agg["admitted_this_year"] = (
            Member.objects.restrict(user, VIEW)
            .filter(admission_date__gte=year_start, admission_date__lte=today)
            .count()
        )
    active_codes = [str(s) for s in ACTIVE_STATUSES]
    total = agg["active"] or 0

    def share(n):
        return round(100 * n / total) if total else 0

    return {
        "active": {"n": agg["active"], "url": _members_url(status=active_codes)},
        "by_status": [
            {
                "label": MemberStatus(s).label,
                "code": s,
                "n": agg[s],
                "url": _members_url(status=s),
            }
            for s in ("official", "probationary", "exempt")
        ],
        "by_gender": [
            {
                "label": Gender(g).label,
                "n": agg[g],
                "share": share(agg[g]),
                "url": _members_url(status=active_codes, gender=g),
            }
            for g in ("male", "female")
        ],
        "admitted_this_year": {
            "n": agg["admitted_this_year"],
            "year": today.year,
            "url": _members_url(admitted_from=year_start.strftime("%d/%m/%Y")),
        },
    }


def organization_dashboard(user, today: dt.date) -> dict:
    """Organisations by type and how many break a size rule: three queries plus three rules."""
    from dangvu.organizations.choices import OrgType
    from dangvu.organizations.models import Organization, OrganizationTypeLabel

    orgs = Organization.objects.restrict(user, VIEW).active()
    by_type = dict(orgs.order_by().values_list("org_type").annotate(n=Count("pk")))
    configured = dict(OrganizationTypeLabel.objects.values_list("org_type", "label"))
    types = [
        {
            "label": configured.get(t) or OrgType(t).label,
            "code": t,
            "n": by_type.get(t, 0),
            "url": _organizations_url(org_type=t),
        }
        for t in OrgType.values
        if by_type.get(t)
    ]
    return {
        "total": sum(by_type.values()),
        "by_type": types,
        "warnings": size_warning_count(orgs),
        "warnings_url": _organizations_url(warnings="1"),
        "url": _organizations_url(),
    }


def size_warning_count(orgs) -> int:
    """How many size warnings the organisations in `orgs` have (see organizations.selectors)."""
    from dangvu.organizations.selectors import count_size_warnings

    from .rulebook import RuleMissing

    try:
        return count_size_warnings(orgs)
    except RuleMissing:
        return 0


def _only_member_role(user) -> bool:
    from dangvu.accounts.roles import user_roles

    roles = user_roles(user)
    return bool(roles) and set(roles) == {"member"}


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    ctx: dict = {"today": today}
    if _only_member_role(user):
        from dangvu.members.models import Member
        from dangvu.members.selectors import party_age

        own = (
            Member.objects.restrict(user, VIEW).select_related("organization").filter(user=user)
        ).first()
        ctx["member_home"] = True
        ctx["own"] = own
        ctx["own_party_age"] = party_age(own) if own else None
        return render(request, "core/home.html", ctx)
    from dangvu.members.models import Member
    from dangvu.organizations.models import Organization

    if scope_q(Member, user, VIEW) is not None:
        ctx["members"] = member_dashboard(user, today)
    if scope_q(Organization, user, VIEW) is not None:
        ctx["organizations"] = organization_dashboard(user, today)
    if scope_q(Organization, user, VIEW, module="meetings") is not None:
        from dangvu.meetings import compliance

        orgs = Organization.objects.restrict(user, VIEW, module="meetings")
        ctx["compliance"] = [
            {"check": c, "first": [_item_link(i) for i in c.head(5)], "more": max(c.count - 5, 0)}
            for c in compliance.summary(orgs, today)
        ]
    scope_size = ctx["members"]["active"]["n"] if "members" in ctx else 0
    ctx["panels"] = home_panels(request, today, scope_size=scope_size)
    return render(request, "core/home.html", ctx)


# Apps that add a panel to the home page (dangvu/<app>/home.py), in page order.
HOME_APPS = ("reports", "committees", "admission", "badges")
# Panels whose cost grows with the members of the scope (the badge due list assesses every member
# reaching a tier): past settings.HOME_LAZY_PANEL_MEMBERS active members in scope they load after
# the page, by their own request (`home_panel`), and are kept for HOME_PANEL_CACHE_SECONDS.
LAZY_HOME_APPS = ("badges",)


def home_panels(request, today: dt.date, scope_size: int = 0) -> list:
    """Each app's `panel(request, today)`: safe HTML of its figures for the user's scope, or "";
    a placeholder that loads it for the heavy panels of a large scope."""
    from importlib import import_module

    from django.conf import settings
    from django.template.loader import render_to_string

    lazy = scope_size > settings.HOME_LAZY_PANEL_MEMBERS
    out = []
    for app in HOME_APPS:
        if lazy and app in LAZY_HOME_APPS:
            html = render_to_string(
                "core/includes/lazy_panel.html",
                {"url": reverse("core:home_panel", args=[app]), "app": app},
            )
        else:
            html = import_module(f"dangvu.{app}.home").panel(request, today)
        if html:
            out.append(html)
    return out


@login_required
def home_panel(request, app: str):
    """One heavy home panel, computed after the page and kept for a while per user and day."""
    from importlib import import_module

    from django.conf import settings
    from django.core.cache import cache
    from django.http import Http404, HttpResponse
    from django.template.loader import render_to_string

    if app not in LAZY_HOME_APPS:
        raise Http404
    today = timezone.localdate()
    key = f"home-panel:{app}:{request.user.pk}:{today.isoformat()}"
    html = cache.get(key)
    if html is None:
        html = import_module(f"dangvu.{app}.home").panel(request, today)
        if html:
            html += render_to_string(
                "core/includes/lazy_panel_note.html", {"when": timezone.localtime()}
            )
        cache.set(key, html, settings.HOME_PANEL_CACHE_SECONDS)
    return HttpResponse(html)


def _item_link(item) -> tuple[str, str]:
    """(label, url) of an organisation, a meeting or a finding listed by a compliance check."""
    from dangvu.meetings.models import Finding, Meeting

    if isinstance(item, Meeting):
        return str(item), reverse("meetings:detail", args=[item.pk])
    if isinstance(item, Finding):
        return str(item), reverse("meetings:finding_detail", args=[item.pk])
    return str(item), reverse("organizations:detail", args=[item.pk])


# --- rulebook ------------------------------------------------------------------------------------


def _in_force(row: Rule, today: dt.date) -> bool:
    return row.effective_from <= today and (row.effective_to is None or row.effective_to > today)


@login_required
def rulebook(request):
    require_module_action(request, Rule, VIEW)
    today = timezone.localdate()
    rows = list(Rule.objects.restrict(request.user, VIEW).order_by("key", "effective_from"))
    by_key: dict[str, list[Rule]] = {}
    for r in rows:
        by_key.setdefault(r.key, []).append(r)
    areas: dict[str, dict] = {}
    for key, versions in by_key.items():
        current = next((v for v in versions if _in_force(v, today)), None)
        if current is None:
            past = [v for v in versions if v.effective_from <= today]
            current = past[-1] if past else versions[0]
        for v in versions:
            decorate_rule(v)
            v.state = (
                "current" if v is current else ("future" if v.effective_from > today else "past")
            )
        area = rule_area(key)
        areas.setdefault(area, {"code": area, "label": RULE_AREAS.get(area, area), "rules": []})[
            "rules"
        ].append({"key": key, "current": current, "versions": versions})
    order = list(RULE_AREAS)
    grouped = sorted(
        areas.values(),
        key=lambda a: (order.index(a["code"]) if a["code"] in order else 99, a["code"]),
    )
    return render(
        request,
        "core/rulebook.html",
        {
            "areas": grouped,
            "today": today,
            "can_change": can(request.user, CHANGE, model=Rule),
            "unverified": sum(1 for r in rows if not r.verified),
        },
    )


@login_required
def rule_detail(request, pk):
    row = scoped_object(request, Rule, VIEW, pk=pk)
    today = timezone.localdate()
    versions = list(Rule.objects.restrict(request.user, VIEW).filter(key=row.key))
    for v in versions:
        decorate_rule(v)
        v.in_force = _in_force(v, today)
    history = []
    for v in versions:
        history.extend(history_rows(v))
    history.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)
    return render(
        request,
        "core/rulebook_detail.html",
        {
            "rule": row,
            "area": RULE_AREAS.get(rule_area(row.key), rule_area(row.key)),
            "versions": versions,
            "history": history,
            "can_change": can(request.user, CHANGE, row),
            "today": today,
        },
    )


@login_required
def rule_edit(request, pk):
    row = scoped_object(request, Rule, CHANGE, pk=pk)
    form = RuleEditForm(request.POST or None, instance=Rule.objects.get(pk=row.pk))
    if request.method == "POST" and form.is_valid():
        try:
            rule_update(actor=request.user, rule=row, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc %(key)s.") % {"key": row.key})
            return redirect("core:rule_detail", pk=row.pk)
    unit = RULE_UNITS.get(row.unit, row.unit)
    if unit:
        form.fields["value"].label = f"{form.fields['value'].label} ({unit})"
    bootstrapify(form)
    return render(
        request,
        "core/rulebook_form.html",
        {
            "rule": row,
            "form": form,
            "mode": "edit",
            "unit_label": RULE_UNITS.get(row.unit, row.unit),
        },
    )


@login_required
def rule_add(request, pk):
    row = scoped_object(request, Rule, CHANGE, pk=pk)
    initial = {"source": row.source, "value": row.value}
    form = RuleAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = rule_add_value(actor=request.user, key=row.key, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã thêm giá trị mới của %(key)s, hiệu lực từ %(date)s.")
                % {"key": row.key, "date": new.effective_from.strftime("%d/%m/%Y")},
            )
            return redirect("core:rule_detail", pk=new.pk)
    unit = RULE_UNITS.get(row.unit, row.unit)
    if unit:
        form.fields["value"].label = f"{form.fields['value'].label} ({unit})"
    bootstrapify(form)
    return render(
        request,
        "core/rulebook_form.html",
        {
            "rule": row,
            "form": form,
            "mode": "add",
            "unit_label": RULE_UNITS.get(row.unit, row.unit),
        },
    )


# --- working-day calendar ------------------------------------------------------------------------


WEEKDAYS = {
    1: gettext_lazy("thứ Hai"),
    2: gettext_lazy("thứ Ba"),
    3: gettext_lazy("thứ Tư"),
    4: gettext_lazy("thứ Năm"),
    5: gettext_lazy("thứ Sáu"),
    6: gettext_lazy("thứ Bảy"),
    7: gettext_lazy("Chủ nhật"),
}


@login_required
def calendar(request):
    """The year's days off and make-up working days, with working days per month."""
    from . import workdays
    from .models import Holiday

    require_module_action(request, Rule, VIEW)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 1900), 2100)
    rows = list(Holiday.objects.restrict(request.user, VIEW).filter(date__year=year))
    defaults = [] if rows else workdays.statutory_holidays(year)
    weekly = rule("calendar.weekly_days_off", dt.date(year, 1, 1))
    months = []
    for m in range(1, 13):
        start = dt.date(year, m, 1)
        end = dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        months.append(
            {"month": m, "working": workdays.working_days_between(start - dt.timedelta(1), end)}
        )
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "rows": rows,
            "defaults": defaults,
            "months": months,
            "total": sum(m["working"] for m in months),
            "can_edit": can(request.user, CHANGE, model=Holiday),
            "weekly": weekly,
            "weekly_names": ", ".join(str(WEEKDAYS.get(int(d), d)) for d in weekly.value),
        },
    )


@login_required
def holiday_edit(request, pk=None):
    from . import workdays
    from .forms import HolidayForm
    from .models import Holiday

    row = scoped_object(request, Holiday, CHANGE, pk=pk) if pk else None
    if row is None:
        require_module_action(request, Holiday, CHANGE)
    initial = (
        {"date": row.date, "name": row.name, "is_day_off": row.is_day_off, "basis": row.basis}
        if row
        else {"is_day_off": True}
    )
    form = HolidayForm(request.POST or None, initial=initial)
    if request.method == "POST" and "delete" in request.POST and row is not None:
        workdays.holiday_delete(actor=request.user, holiday=row)
        messages.success(request, _("Đã xóa ngày %(d)s khỏi lịch.") % {"d": f"{row.date:%d/%m/%Y}"})
        return redirect(f"{reverse('core:calendar')}?year={row.date.year}")
    if request.method == "POST" and form.is_valid():
        try:
            if row is None:
                row = workdays.holiday_create(actor=request.user, **form.cleaned_data)
            else:
                row = workdays.holiday_update(
                    actor=request.user, holiday=row, data=form.cleaned_data
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu ngày %(d)s.") % {"d": f"{row.date:%d/%m/%Y}"})
            return redirect(f"{reverse('core:calendar')}?year={row.date.year}")
    bootstrapify(form)
    return render(request, "core/holiday_form.html", {"form": form, "row": row})


@login_required
def calendar_seed(request):
    """Fill a year that has no days yet with the statutory holidays (POST, administrator)."""
    from . import workdays
    from .models import Holiday

    require_module_action(request, Holiday, CHANGE)
    if request.method != "POST":
        return redirect("core:calendar")
    try:
        year = min(max(int(request.POST.get("year", "")), 1900), 2100)
    except ValueError:
        return redirect("core:calendar")
    made = workdays.seed_year(year)
    messages.success(
        request, _("Năm %(y)s: đã tạo %(n)s ngày nghỉ theo luật.") % {"y": year, "n": made}
    )
    return redirect(f"{reverse('core:calendar')}?year={year}")
