"""Committee pages: the overview (vacancies, organisations without a secretary, congresses due)
for a chosen subtree, an organisation's committee page (term, committees with their seats and
empty seats, congresses, history) and the forms that call `committees.services`.

Every object reaches the user through `restrict()` with module "committees": outside the scope
answers 404, a refused write 403; a service's ValidationError goes back onto the form.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core.forms import apply_service_errors, bootstrapify
from dangvu.core.scope import ADD, CHANGE, VIEW, can
from dangvu.core.viewmixins import history_rows, paginate, require_module_action
from dangvu.organizations.models import Organization

from . import forms, selectors, services
from .choices import BODY_POSITIONS, BodyKind, CongressStatus, DueStatus
from .models import Committee, CommitteeSeat, Congress, CongressChecklistItem, Term

MODULE = "committees"
PER_PAGE = 50
TABS = ("vacancies", "secretary", "due")
ORG_TABS = ("current", "congresses", "terms", "history")


def _orgs(request):
    return Organization.objects.restrict(request.user, VIEW, MODULE)


def _org(request, pk) -> Organization:
    org = _orgs(request).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def _obj(request, model, pk, action=VIEW, queryset=None):
    qs = queryset if queryset is not None else model.objects.all()
    obj = qs.restrict(request.user, VIEW).filter(pk=pk).first()
    if obj is None:
        raise Http404
    if action != VIEW and not can(request.user, action, obj):
        raise PermissionDenied
    return obj


def _require_org_write(request, org, action=ADD):
    if not can(request.user, action, org, module=MODULE):
        raise PermissionDenied


def org_url(org, tab="current") -> str:
    url = reverse("committees:org", args=[org.pk])
    return url if tab == "current" else f"{url}?tab={tab}"


def _months(request, default=6) -> int:
    raw = request.GET.get("months", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 60 else default


# =================================================================================== overview


@login_required
def index(request):
    """Vacancies, organisations without a secretary and congresses due, for a subtree."""
    require_module_action(request, Committee, VIEW)
    from dangvu.members.views import top_levels

    today = timezone.localdate()
    scoped = _orgs(request)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "vacancies"
    chosen = None
    org_id = request.GET.get("organization", "")
    orgs = scoped
    if org_id.isdigit():
        chosen = scoped.filter(pk=int(org_id)).first()
        if chosen is None:
            raise Http404
        orgs = scoped.filter(path__startswith=chosen.path)
    months = _months(request)
    ctx = {
        "tab": tab,
        "chosen": chosen,
        "org_choices": top_levels(scoped, org_id),
        "months": months,
        "today": today,
        "query": urlencode({k: v for k, v in (("organization", org_id), ("months", months)) if v}),
    }
    # the three counts of the tab headers: one query each, whatever the size of the subtree
    ctx["vacancy"] = selectors.vacancy_total(orgs, today)
    no_secretary = selectors.orgs_without_secretary(orgs, today)
    due = selectors.congresses_due(orgs, today, months)
    if tab == "vacancies":
        page = paginate(request, selectors.committees_with_vacancies(orgs, today), PER_PAGE)
    elif tab == "secretary":
        page = paginate(request, no_secretary, PER_PAGE)
    else:
        page = paginate(request, due, PER_PAGE)
        for o in page.object_list:
            d = selectors.describe_due(o, today)
            o.due = d
            o.due_status = d.status(today) if d else DueStatus.NO_TERM
            o.due_status_label = DueStatus(o.due_status).label
    _name_parents(page.object_list, tab)
    ctx.update(
        page=page,
        page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        no_secretary_count=page.paginator.count if tab == "secretary" else _capped(no_secretary),
        due_count=page.paginator.count if tab == "due" else _capped(due),
        rules=_due_rules(today) if tab == "due" else None,
    )
    return render(request, "committees/index.html", ctx)


def _capped(qs, cap=10_000) -> int:
    return qs.order_by()[: cap + 1].count()


def _name_parents(rows, tab) -> None:
    """`parent_name` on each organisation (cells are named with the organisation above them),
    `vacant` on each committee row; one query for the page."""
    orgs = [r.organization if tab == "vacancies" else r for r in rows]
    paths = {o.path[: -o.steplen] for o in orgs if o.depth > 1}
    names = dict(Organization.objects.filter(path__in=paths).values_list("path", "name"))
    for o in orgs:
        o.parent_name = names.get(o.path[: -o.steplen], "") if o.depth > 1 else ""
    if tab == "vacancies":
        for r in rows:
            r.vacant = r.approved - r.filled


def _due_rules(today):
    from dangvu.core.rulebook import rule

    keys = [
        "congress.cell_term_months",
        "congress.grassroots_term_months",
        "congress.tolerance_months",
    ]
    return [rule(k, today) for k in keys]


# =================================================================================== one organisation


@login_required
def org_page(request, pk):
    require_module_action(request, Committee, VIEW)
    org = _org(request, pk)
    today = timezone.localdate()
    tab = request.GET.get("tab") if request.GET.get("tab") in ORG_TABS else "current"
    term = selectors.term_on(org, today)
    latest = selectors.latest_term(org)
    due = selectors.next_congress_due(org.org_type, latest.start_date, today) if latest else None
    can_write = can(request.user, ADD, org, module=MODULE)
    congresses = list(
        Congress.objects.filter(organization=org)
        .prefetch_related("checklist")
        .order_by("-planned_date", "-id")
    )
    for c in congresses:
        items = list(c.checklist.all())
        c.done_count = sum(1 for i in items if i.done)
        c.total_count = len(items)
    ctx = {
        "org": org,
        "tab": tab,
        "today": today,
        "term": term,
        "latest": latest,
        "due": due,
        "due_status": due.status(today) if due else None,
        "rows": selectors.vacancies(org, today, term) if term else [],
        "congresses": congresses,
        "planned": next((c for c in congresses if c.status == CongressStatus.PLANNED), None),
        "terms": list(Term.objects.filter(organization=org).order_by("-start_date")),
        "can_write": can_write,
        "missing_bodies": _missing_bodies(org, term) if can_write and term else [],
        "official": selectors.official_members_on(org, today) if org.is_cell else None,
    }
    if tab == "history":
        ctx["seats"] = list(
            CommitteeSeat.objects.filter(committee__organization=org)
            .select_related("member", "committee__term")
            .order_by("-start_date", "-id")[:500]
        )
        ctx["audit"] = _audit(org)
    return render(request, "committees/org.html", ctx)


def _missing_bodies(org, term):
    have = set(Committee.objects.filter(term=term).values_list("body", flat=True))
    bodies = [BodyKind.PARTY_COMMITTEE] if org.is_cell else list(BodyKind)
    return [(b.value, b.label) for b in bodies if b not in have]


def _audit(org):
    """The latest changes of this organisation's terms, congresses, committees and seats."""
    committees = Committee.objects.filter(organization=org).values("pk")
    sources = [
        Term.history.filter(organization=org),
        Congress.history.filter(organization=org),
        Committee.history.filter(organization=org),
        CommitteeSeat.history.filter(committee_id__in=committees),
    ]
    rows = []
    for qs in sources:
        for h in qs.select_related("history_user").order_by("-history_date")[:30]:
            h.kind_label = qs.model.instance_type._meta.verbose_name
            rows.append(h)
    rows.sort(key=lambda h: h.history_date, reverse=True)
    return rows[:60]


# =================================================================================== terms


@login_required
def term_create(request, pk):
    org = _org(request, pk)
    _require_org_write(request, org)
    form = forms.TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_open(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận nhiệm kỳ."))
            return redirect(org_url(org))
    bootstrapify(form)
    return render(
        request,
        "committees/form.html",
        {"form": form, "org": org, "title": _("Ghi nhận nhiệm kỳ"), "button": _("Lưu")},
    )


@login_required
def term_close(request, pk):
    term = _obj(request, Term, pk, CHANGE, Term.objects.select_related("organization"))
    form = forms.TermCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_close(actor=request.user, term=term, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã kết thúc nhiệm kỳ %(n)s.") % {"n": term.name})
            return redirect(org_url(term.organization, "terms"))
    bootstrapify(form)
    return render(
        request,
        "committees/form.html",
        {
            "form": form,
            "org": term.organization,
            "title": _("Kết thúc nhiệm kỳ %(n)s") % {"n": term.name},
            "button": _("Kết thúc nhiệm kỳ"),
        },
    )


# =================================================================================== congresses


@login_required
def congress_create(request, pk):
    org = _org(request, pk)
    _require_org_write(request, org)
    form = forms.CongressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            congress = services.congress_plan(
                actor=request.user, organization=org, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lập kế hoạch đại hội."))
            return redirect("committees:congress", pk=congress.pk)
    bootstrapify(form)
    return render(
        request,
        "committees/form.html",
        {"form": form, "org": org, "title": _("Lập kế hoạch đại hội"), "button": _("Lưu")},
    )


@login_required
def congress_detail(request, pk):
    congress = _obj(request, Congress, pk, VIEW, Congress.objects.select_related("organization"))
    can_change = can(request.user, CHANGE, congress)
    hold_form = forms.CongressHoldForm(prefix="hold")
    cancel_form = forms.CongressCancelForm(prefix="cancel")
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        which = request.POST.get("action")
        try:
            if which == "hold":
                hold_form = forms.CongressHoldForm(request.POST, prefix="hold")
                if hold_form.is_valid():
                    services.congress_hold(
                        actor=request.user, congress=congress, **hold_form.cleaned_data
                    )
                    messages.success(request, _("Đã ghi nhận đại hội; nhiệm kỳ mới đã mở."))
                    return redirect(org_url(congress.organization))
            elif which == "cancel":
                cancel_form = forms.CongressCancelForm(request.POST, prefix="cancel")
                if cancel_form.is_valid():
                    services.congress_cancel(
                        actor=request.user, congress=congress, **cancel_form.cleaned_data
                    )
                    messages.success(request, _("Đã hủy đại hội dự kiến."))
                    return redirect("committees:congress", pk=congress.pk)
        except ValidationError as exc:
            apply_service_errors(hold_form if which == "hold" else cancel_form, exc)
    items = list(congress.checklist.select_related("done_by").order_by("order", "id"))
    last = selectors.latest_term(congress.organization)
    due = (
        selectors.next_congress_due(congress.organization.org_type, last.start_date)
        if last and congress.status == CongressStatus.PLANNED
        else None
    )
    bootstrapify(hold_form)
    bootstrapify(cancel_form)
    return render(
        request,
        "committees/congress.html",
        {
            "congress": congress,
            "org": congress.organization,
            "items": items,
            "done_count": sum(1 for i in items if i.done),
            "can_change": can_change and congress.status == CongressStatus.PLANNED,
            "can_tick": can_change and congress.status != CongressStatus.CANCELLED,
            "hold_form": hold_form,
            "cancel_form": cancel_form,
            "due": due,
            "outside_window": due and not (due.earliest <= congress.planned_date <= due.latest),
            "history": history_rows(congress, limit=50)
            if can(request.user, VIEW, congress, module="audit")
            else None,
        },
    )


@login_required
@require_POST
def checklist_tick(request, pk):
    item = _obj(
        request,
        CongressChecklistItem,
        pk,
        CHANGE,
        CongressChecklistItem.objects.select_related("congress"),
    )
    form = forms.ChecklistTickForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_set(
                actor=request.user,
                item=item,
                done=form.cleaned_data["done"],
                on=form.cleaned_data.get("done_on"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("committees:congress", args=[item.congress_id]) + "#checklist")


# =================================================================================== committees


@login_required
def committee_create(request, pk):
    org = _org(request, pk)
    _require_org_write(request, org)
    today = timezone.localdate()
    term = selectors.term_on(org, today)
    if term is None:
        messages.warning(request, _("Chưa có nhiệm kỳ đang diễn ra: ghi nhận nhiệm kỳ trước."))
        return redirect("committees:term_create", pk=org.pk)
    form = forms.CommitteeForm(request.POST or None, body=request.GET.get("body"))
    if org.is_cell:
        form.fields["body"].choices = [(BodyKind.PARTY_COMMITTEE, BodyKind.PARTY_COMMITTEE.label)]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.committee_create(
                actor=request.user,
                organization=org,
                term=term,
                body=d["body"],
                formed_on=d.get("formed_on"),
                quotas=form.quotas(),
                decision_number=d.get("decision_number") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lập cấp ủy với số lượng được duyệt."))
            return redirect(org_url(org))
    bootstrapify(form)
    return render(
        request,
        "committees/committee_form.html",
        {
            "form": form,
            "org": org,
            "term": term,
            "body_positions": {b.value: list(BODY_POSITIONS[b]) for b in BodyKind},
            "official": selectors.official_members_on(org, today) if org.is_cell else None,
        },
    )


def _candidates(request, committee, on):
    from dangvu.members.choices import MemberStatus
    from dangvu.members.models import Member
    from dangvu.members.selectors import members_as_of

    org = committee.organization
    ids = members_as_of(org, on, subtree=not org.is_cell).filter(status_on=MemberStatus.OFFICIAL)
    return (
        Member.objects.restrict(request.user, VIEW)
        .filter(pk__in=ids.values("pk"))
        .select_related("organization")
    )


@login_required
def seat_fill(request, pk):
    committee = _obj(
        request, Committee, pk, ADD, Committee.objects.select_related("organization", "term")
    )
    today = timezone.localdate()
    initial = {}
    if request.GET.get("position") in BODY_POSITIONS[BodyKind(committee.body)]:
        initial["position"] = request.GET["position"]
    form = forms.SeatFillForm(
        request.POST or None,
        committee=committee,
        candidates=_candidates(request, committee, today),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_fill(actor=request.user, committee=committee, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã bổ sung cấp ủy viên."))
            return redirect(org_url(committee.organization))
    bootstrapify(form)
    return render(
        request,
        "committees/form.html",
        {
            "form": form,
            "org": committee.organization,
            "title": _("Bổ sung: %(c)s, nhiệm kỳ %(t)s")
            % {"c": committee.get_body_display(), "t": committee.term.name},
            "button": _("Lưu"),
        },
    )


@login_required
def seat_end(request, pk):
    seat = _obj(
        request,
        CommitteeSeat,
        pk,
        CHANGE,
        CommitteeSeat.objects.select_related(
            "member", "committee__organization", "committee__term"
        ),
    )
    form = forms.SeatEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_end(actor=request.user, seat=seat, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận thôi giữ chức."))
            return redirect(org_url(seat.committee.organization))
    bootstrapify(form)
    return render(
        request,
        "committees/form.html",
        {
            "form": form,
            "org": seat.committee.organization,
            "title": _("Thôi giữ chức: %(n)s, %(p)s")
            % {"n": seat.member.full_name, "p": seat.get_position_display().lower()},
            "button": _("Ghi nhận"),
            "danger": True,
        },
    )
