"""Badge pages: who is due at an occasion (by tier, for a subtree, with those deferred or
excluded and why), recording awards for several members under one decision, the printable list
(PDF, Excel), the award history, and early-award proposals for seriously ill members.

Every row reaches the user through `restrict()` (module "badges"); writes call
`badges.services` with actor=request.user.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core.forms import apply_service_errors, bootstrapify
from dangvu.core.scope import ADD, CHANGE, VIEW, can
from dangvu.core.viewmixins import (
    paginate,
    require_module_action,
    scoped_object,
    scoped_queryset,
)
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from . import documents, forms, services
from .models import BadgeAward, BadgeProposal
from .policy import badge_rules, next_occasion, occasions_around
from .selectors import (
    DueRows,
    due_counts,
    due_for_occasion,
    due_page_list,
    hide_discipline_details,
    whole_tree_or,
)

PER_PAGE = 50


def _scope_orgs(request, action=VIEW):
    return scoped_queryset(request, Organization, action, module="badges")


def _offered_orgs(request, selected):
    from dangvu.members.views import top_levels

    return top_levels(_scope_orgs(request).active(), selected)


def _parse_iso(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _due_context(request, params, today, *, full: bool = False) -> dict:
    """The filter form, the chosen occasion and subtree, and the due list for them: the whole
    list (`full`, for the printable documents), or its figures and one page of PER_PAGE rows
    (nationally about 100,000 members are due at an occasion)."""
    month_days = badge_rules(today).month_days()
    default = next_occasion(today, month_days)
    occasions = occasions_around(today, month_days)
    selected = params.get("organization")
    form = forms.DueFilterForm(
        params or None,
        orgs=_offered_orgs(request, selected),
        occasions=occasions,
        initial={"occasion": default.isoformat()},
    )
    occasion, org, since = default, None, None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        occasion = _parse_iso(d.get("occasion")) or default
        org = d.get("organization")
        since = d.get("since")
    scope = _scope_orgs(request)
    orgs = scope.filter(path__startswith=org.path) if org is not None else scope
    issuer = org or scope.order_by("depth", "path").first()
    query = {"occasion": occasion.isoformat()}
    if org is not None:
        query["organization"] = org.pk
    if since is not None:
        query["since"] = since.strftime("%d/%m/%Y")
    ctx = {
        "form": form,
        "occasion": occasion,
        "is_default_occasion": occasion == default,
        "org": org,
        "issuer": issuer,
        "query": urlencode(query),
        "query_dict": query,
        "today": today,
    }
    if full:
        due = due_for_occasion(orgs, occasion, since=since)
        ctx["due"] = hide_discipline_details(due, request.user)
        return ctx
    counts = due_counts(
        orgs if org is not None else whole_tree_or(request.user, orgs),
        occasion,
        since=since,
    )
    page = Paginator(DueRows(counts), PER_PAGE).get_page(params.get("page"))
    due = hide_discipline_details(due_page_list(counts, page.object_list), request.user)
    on_page: dict[int, list] = {}
    for row in due.due:
        on_page.setdefault(row.tier, []).append(row)
    tiers, before = [], 0
    for tier, n in counts.tier_counts():
        tiers.append((tier, n, before // PER_PAGE + 1))
        before += n
    ctx.update(
        {
            "due": due,
            "counts": counts,
            "tiers": tiers,
            "groups": [(t, on_page[t], n) for t, n, _p in tiers if t in on_page],
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        }
    )
    return ctx


@login_required
def due_page(request):
    require_module_action(request, BadgeAward, VIEW, module="badges")
    today = timezone.localdate()
    ctx = _due_context(request, request.GET, today)
    return _render_due(request, ctx)


def _render_due(request, ctx, record_form=None, picked=(), status=200):
    ctx["can_add"] = can(request.user, ADD, model=BadgeAward)
    if ctx["can_add"]:
        ctx["record_form"] = record_form or forms.RecordForm(
            initial={"awarded_on": timezone.localdate()}
        )
        bootstrapify(ctx["record_form"])
    ctx["picked"] = set(picked)
    bootstrapify(ctx["form"])
    return render(request, "badges/due.html", ctx, status=status)


def _parse_picks(values) -> list[tuple[int, int, str]]:
    out = []
    for v in values:
        parts = v.split(":")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            continue
        out.append((int(parts[0]), int(parts[1]), parts[2]))
    return out


@login_required
@require_POST
def record(request):
    require_module_action(request, BadgeAward, ADD, module="badges")
    today = timezone.localdate()
    params = request.POST.copy()
    ctx = _due_context(request, params, today)
    form = forms.RecordForm(request.POST)
    picks_raw = request.POST.getlist("pick")
    picks = _parse_picks(picks_raw)
    writable = Member.objects.filter(
        organization__in=Organization.objects.restrict(request.user, ADD, module="badges")
    )
    members = {m.pk: m for m in writable.filter(pk__in=[p[0] for p in picks])}
    if any(p[0] not in members for p in picks):
        raise Http404
    if form.is_valid():
        try:
            awards = services.badge_awards_record(
                actor=request.user,
                picks=[(members[pk], tier, reason) for pk, tier, reason in picks],
                occasion=ctx["occasion"],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi %(n)s đồng chí được tặng Huy hiệu Đảng (quyết định số %(d)s).")
                % {"n": len(awards), "d": form.cleaned_data["decision_number"]},
            )
            return redirect(f"{reverse('badges:due')}?{ctx['query']}")
    return _render_due(request, ctx, record_form=form, picked=picks_raw, status=400)


@login_required
def export(request, fmt):
    require_module_action(request, BadgeAward, VIEW, module="badges")
    if fmt not in documents.MIME:
        raise Http404
    today = timezone.localdate()
    ctx = _due_context(request, request.GET, today, full=True)
    issuer = ctx["issuer"]
    if issuer is None:
        raise Http404
    due = ctx["due"]
    content = documents.due_pdf(due, issuer, today) if fmt == "pdf" else documents.due_xlsx(due)
    resp = HttpResponse(content, content_type=documents.MIME[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{documents.filename(due, issuer, fmt)}"'
    return resp


@login_required
def awards(request):
    require_module_action(request, BadgeAward, VIEW, module="badges")
    today = timezone.localdate()
    tiers = badge_rules(today).tier_list
    form = forms.AwardFilterForm(
        request.GET or None,
        orgs=_offered_orgs(request, request.GET.get("organization")),
        tiers=tiers,
    )
    qs = scoped_queryset(request, BadgeAward).select_related("member__organization")
    if form.is_valid():
        d = form.cleaned_data
        if d.get("organization") is not None:
            qs = qs.filter(member__organization__path__startswith=d["organization"].path)
        if d.get("tier"):
            qs = qs.filter(tier=d["tier"])
        if d.get("year"):
            qs = qs.filter(occasion__year=d["year"])
    page = paginate(request, qs.order_by("-occasion", "tier", "member__name_sort", "id"), PER_PAGE)
    bootstrapify(form)
    return render(
        request,
        "badges/awards.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        },
    )


def _writable_members(user):
    return Member.objects.filter(
        organization__in=Organization.objects.restrict(user, ADD, module="badges")
    )


@login_required
def proposals(request):
    require_module_action(request, BadgeAward, VIEW, module="badges")
    today = timezone.localdate()
    can_add = can(request.user, ADD, model=BadgeProposal)
    form = None
    if can_add:
        form = forms.ProposalForm(
            request.POST or None,
            members=_writable_members(request.user),
            initial={"proposed_on": today},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.badge_proposal_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi đề nghị xét tặng sớm."))
                return redirect("badges:proposals")
        bootstrapify(form)
    elif request.method == "POST":
        require_module_action(request, BadgeProposal, ADD, module="badges")
    qs = scoped_queryset(request, BadgeProposal).select_related("member__organization")
    show = request.GET.get("show")
    if show != "all":
        qs = qs.open_on(today)
    page = paginate(request, qs.order_by("-proposed_on", "-id"), PER_PAGE)
    return render(
        request,
        "badges/proposals.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "show_all": show == "all",
            "can_change": can(request.user, CHANGE, model=BadgeProposal),
            "today": today,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def proposal_withdraw(request, pk):
    proposal = scoped_object(request, BadgeProposal, CHANGE, pk=pk)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.badge_proposal_withdraw(
                actor=request.user, proposal=proposal, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã rút đề nghị xét tặng sớm."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("badges:proposals")
