"""Discipline pages: the list (filters, subtree), record a decision, a decision with its history
and the form to lift it. Every object through `restrict()` (out of scope = 404); writes call
`discipline.services` with actor=request.user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core.forms import apply_service_errors, bootstrapify
from dangvu.core.scope import ADD, CHANGE, VIEW, can
from dangvu.core.viewmixins import (
    history_rows,
    paginate,
    require_module_action,
    scoped_object,
    scoped_queryset,
)
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from . import forms, services
from .models import DisciplineCase

PER_PAGE = 50


def _filter_orgs(request):
    from dangvu.members.views import top_levels

    orgs = scoped_queryset(request, Organization, VIEW, module="discipline").active()
    return top_levels(orgs, request.GET.get("organization"))


def writable_members(user):
    """Members the user may record a decision for (organisations where the module grants "add")."""
    orgs = Organization.objects.restrict(user, ADD, module="discipline")
    return Member.objects.filter(organization__in=orgs)


@login_required
def case_list(request):
    require_module_action(request, DisciplineCase, VIEW)
    today = timezone.localdate()
    form = forms.DisciplineFilterForm(request.GET or None, orgs=_filter_orgs(request))
    qs = scoped_queryset(request, DisciplineCase).select_related("member__organization")
    if form.is_valid():
        d = form.cleaned_data
        if d.get("organization") is not None:
            qs = qs.filter(member__organization__path__startswith=d["organization"].path)
        if d.get("form"):
            qs = qs.filter(form=d["form"])
        if d.get("state") == "in_force":
            qs = qs.in_force(today)
        elif d.get("state") == "lifted":
            qs = qs.filter(lifted_on__isnull=False, lifted_on__lte=today)
    page = paginate(request, qs.order_by("-decided_on", "-id"), PER_PAGE)
    bootstrapify(form)
    return render(
        request,
        "discipline/list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "today": today,
            "can_add": can(request.user, ADD, model=DisciplineCase),
        },
    )


@login_required
def case_create(request):
    require_module_action(request, DisciplineCase, ADD)
    members = writable_members(request.user)
    initial = {}
    preset = request.GET.get("member", "")
    if preset.isdigit():
        found = members.filter(pk=int(preset)).first()
        if found is not None:
            initial["member"] = forms.member_lookup_value(found)
    form = forms.DisciplineCaseForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.discipline_case_create(actor=request.user, **d)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi quyết định kỷ luật."))
            return redirect("discipline:detail", pk=case.pk)
    bootstrapify(form)
    return render(request, "discipline/form.html", {"form": form})


def _case_page(request, case, lift_form=None, status=200):
    can_change = can(request.user, CHANGE, case)
    ctx = {
        "case": case,
        "in_force": case.in_force_on(timezone.localdate()),
        "can_change": can_change,
        "can_see_member": can(request.user, VIEW, case.member),
    }
    ctx["show_history"] = can(request.user, VIEW, case, module="audit")
    ctx["history"] = history_rows(case) if ctx["show_history"] else []
    if can_change and case.lifted_on is None:
        ctx["lift_form"] = lift_form or forms.LiftForm()
        bootstrapify(ctx["lift_form"])
    return render(request, "discipline/detail.html", ctx, status=status)


def _case_for(request, pk, action=VIEW):
    return scoped_object(
        request,
        DisciplineCase,
        action,
        queryset=DisciplineCase.objects.select_related("member__organization"),
        pk=pk,
    )


@login_required
def case_detail(request, pk):
    return _case_page(request, _case_for(request, pk))


@login_required
@require_POST
def case_lift(request, pk):
    case = _case_for(request, pk, CHANGE)
    form = forms.LiftForm(request.POST)
    if form.is_valid():
        try:
            services.discipline_case_lift(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận quyết định hết hiệu lực."))
            return redirect("discipline:detail", pk=case.pk)
    return _case_page(request, case, lift_form=form)
