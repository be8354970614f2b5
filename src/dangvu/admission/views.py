"""Admission pages: candidates (list with filters, create, edit, detail with the timeline of steps
and the one next-step form), introducers, closing a candidate, and the yearly targets page.

Every object reaches the user through core.viewmixins (out of scope = 404, refused write = 403);
every write calls admission.services with actor=request.user; a refusal comes back on the form
with the rule it cites.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core.forms import apply_service_errors, bootstrapify
from dangvu.core.rulebook import cached_rules
from dangvu.core.scope import ADD, CHANGE, VIEW, can, scope_q
from dangvu.core.viewmixins import (
    history_rows,
    paginate,
    require_module_action,
    scoped_object,
    scoped_queryset,
)
from dangvu.members.choices import MemberStatus
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from . import forms, selectors, services
from .choices import CandidateStatus, IntroducerKind, StepKind
from .filtersets import CandidateFilterSet
from .models import AdmissionTarget, Candidate

PER_PAGE = 50


def _filter_orgs(request, qs):
    from dangvu.members.views import top_levels

    return top_levels(qs, request.GET.get("organization"))


# ==================================================================================== list


@login_required
def candidate_list(request):
    require_module_action(request, Candidate, VIEW)
    today = timezone.localdate()
    qs = scoped_queryset(request, Candidate).select_related("organization")
    data = request.GET.copy()
    data.setdefault("status", "open")  # by default the candidates still in progress
    fs = CandidateFilterSet(data, queryset=qs, request=request)
    form = fs.form
    form.fields["organization"].queryset = _filter_orgs(
        request, form.fields["organization"].queryset.active()
    )
    form.fields["overdue"].widget.choices = [
        ("", _("Tất cả")),
        ("true", _("Chỉ hồ sơ quá hạn")),
        ("false", _("Không quá hạn")),
    ]
    results = fs.qs.order_by("name_sort", "id")
    page = paginate(request, results, PER_PAGE)
    for c in page:
        c.overdue = selectors.is_overdue(c, today)
        c.next_kind = selectors.next_step(c)
    bootstrapify(form)
    ctx = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "active_filters": sum(1 for k in ("q", "organization", "step", "overdue") if data.get(k))
        + (data["status"] != "open"),
        "can_add": can(request.user, ADD, model=Candidate),
        "today": today,
        "steps": StepKind,
        "export_query": data.urlencode(),
    }
    if getattr(request, "htmx", False) and request.htmx.target == "candidate-results":
        return render(request, "admission/includes/list_results.html", ctx)
    return render(request, "admission/list.html", ctx)


EXPORT_COLUMNS = [
    (_("STT"), 6),
    (_("Họ và tên"), 28),
    (_("Ngày sinh"), 12),
    (_("Giới tính"), 9),
    (_("Chi bộ"), 32),
    (_("Tình trạng"), 26),
    (_("Đã qua bước"), 32),
    (_("Bước tiếp theo"), 32),
    (_("Hạn bước tiếp theo"), 14),
    (_("Quá hạn"), 9),
    (_("Ngày chi bộ biểu quyết"), 14),
    (_("Ngày quyết định kết nạp"), 14),
    (_("Ngày lễ kết nạp"), 14),
    (_("Hết dự bị"), 14),
]


@login_required
def candidate_export(request):
    """The filtered list as an Excel file (same filters as the list page; dates dd/mm/yyyy)."""
    import tempfile

    from django.http import FileResponse
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    require_module_action(request, Candidate, VIEW)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("status", "open")
    qs = scoped_queryset(request, Candidate).select_related("organization")
    fs = CandidateFilterSet(data, queryset=qs, request=request)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Quần chúng ưu tú"))
    for i, (_label, width) in enumerate(EXPORT_COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    header = []
    for label, _width in EXPORT_COLUMNS:
        cell = WriteOnlyCell(ws, value=str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    labels = dict(StepKind.choices)

    def date_cell(d):
        cell = WriteOnlyCell(ws, value=d)
        cell.number_format = "DD/MM/YYYY"
        return cell

    rows = fs.qs.order_by("name_sort", "id") if fs.is_valid() else qs.none()
    for n, c in enumerate(rows.iterator(chunk_size=2000), start=1):
        nxt = selectors.next_step(c)
        ws.append(
            [
                n,
                c.full_name,
                date_cell(c.date_of_birth),
                c.get_gender_display(),
                c.organization.name,
                c.get_status_display(),
                c.get_current_step_display() if c.current_step else "",
                str(labels.get(nxt, "")) if nxt else "",
                date_cell(c.next_due),
                _("Có") if selectors.is_overdue(c, today) else "",
                date_cell(c.cell_vote_date),
                date_cell(c.decision_date),
                date_cell(c.ceremony_date),
                date_cell(c.probation_end),
            ]
        )
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"quan-chung-uu-tu-{today:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# ==================================================================================== create / edit


@login_required
def candidate_create(request):
    require_module_action(request, Candidate, ADD)
    initial = {}
    if request.GET.get("organization", "").isdigit():
        initial["organization"] = request.GET["organization"]
    form = forms.CandidateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.service_data(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm quần chúng %(n)s.") % {"n": candidate.full_name})
            return redirect("admission:detail", pk=candidate.pk)
    bootstrapify(form)
    return render(
        request,
        "admission/form.html",
        {"form": form, "candidate": None, "wide": forms.WIDE_FIELDS, "short": forms.SHORT_FIELDS},
    )


@login_required
def candidate_edit(request, pk):
    candidate = scoped_object(
        request,
        Candidate,
        CHANGE,
        queryset=Candidate.objects.select_related("organization"),
        pk=pk,
    )
    if candidate.member_id:
        messages.info(
            request, _("Quần chúng đã được kết nạp: sửa thông tin trong hồ sơ đảng viên.")
        )
        return redirect("members:detail", pk=candidate.member_id)
    form = forms.CandidateForm(request.POST or None, instance=candidate, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(
                actor=request.user,
                candidate=candidate,
                data=form.service_data(),
                organization=form.cleaned_data.get("organization"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hồ sơ quần chúng."))
            return redirect("admission:detail", pk=candidate.pk)
    bootstrapify(form)
    return render(
        request,
        "admission/form.html",
        {
            "form": form,
            "candidate": candidate,
            "wide": forms.WIDE_FIELDS,
            "short": forms.SHORT_FIELDS,
        },
    )


# ==================================================================================== detail


def _candidate_for(request, pk, action=VIEW):
    return scoped_object(
        request,
        Candidate,
        action,
        queryset=Candidate.objects.select_related("organization", "member"),
        pk=pk,
    )


def _introducer_members(request, candidate):
    grassroots = selectors.grassroots_of(candidate.organization) or candidate.organization
    return (
        Member.objects.restrict(request.user, VIEW)
        .filter(organization__path__startswith=grassroots.path, status=MemberStatus.OFFICIAL)
        .order_by("name_sort", "id")
    )


def _timeline(candidate, today):
    """The steps in order: done (with their rows), the next one, those still ahead; the
    probation shown between the ceremony and the recognition."""
    rows = list(candidate.steps.order_by("date", "id"))
    done_kinds = {r.kind for r in rows}
    nxt = selectors.next_step(candidate)
    out = []
    for kind in selectors.steps_for(candidate):
        mine = [r for r in rows if r.kind == kind]
        if kind == StepKind.RECOGNITION and candidate.ceremony_date:
            out.append(
                {
                    "kind": "probation",
                    "label": _("Thời gian dự bị"),
                    "state": "done" if candidate.status == CandidateStatus.OFFICIAL else "current",
                    "probation": True,
                    "rows": [],
                }
            )
        state = "done" if kind in done_kinds else ("next" if kind == nxt else "todo")
        if kind == StepKind.RECOGNITION and mine and not any(r.passed for r in mine):
            state = "next" if nxt == kind else "failed"
        out.append({"kind": kind, "label": StepKind(kind).label, "state": state, "rows": mine})
    return out


def _detail_context(request, candidate, *, step_form=None, intro_form=None, close_form=None):
    user = request.user
    today = timezone.localdate()
    with cached_rules():
        nxt = selectors.next_step(candidate)
        can_change = can(user, CHANGE, candidate)
        ctx = {
            "candidate": candidate,
            "today": today,
            "timeline": _timeline(candidate, today),
            "next_kind": nxt,
            "next_label": StepKind(nxt).label if nxt else "",
            "can_change": can_change,
            "introducers": list(candidate.introducers.select_related("member")),
            "blockers": selectors.blockers(candidate, today) if nxt else [],
            "overdue": selectors.is_overdue(candidate, today),
            "reconsider": selectors.reconsideration_allowed(candidate, today),
            "show_history": can(user, VIEW, candidate, module="audit"),
        }
        need, r, _res = selectors.introducer_requirement(candidate, today)
        ctx["introducer_rule"] = {"need": need, "citation": r.citation}
    if can_change and nxt:
        ctx["step_form"] = step_form or forms.StepForm(kind=nxt)
        bootstrapify(ctx["step_form"])
    if ctx["reconsider"] and can_change:
        ctx["reconsider_form"] = forms.StepForm(kind=StepKind.CELL_VOTE)
        bootstrapify(ctx["reconsider_form"])
    if can_change and candidate.status == CandidateStatus.ACTIVE and not candidate.cell_vote_date:
        ctx["intro_form"] = intro_form or forms.IntroducerForm(
            members=_introducer_members(request, candidate)
        )
        bootstrapify(ctx["intro_form"])
    if can_change and candidate.status == CandidateStatus.ACTIVE:
        ctx["close_form"] = close_form or forms.CloseForm()
        bootstrapify(ctx["close_form"])
    if ctx["show_history"]:
        ctx["history"] = history_rows(candidate, limit=50)
    return ctx


@login_required
def candidate_detail(request, pk):
    candidate = _candidate_for(request, pk)
    return render(request, "admission/detail.html", _detail_context(request, candidate))


@login_required
@require_POST
def candidate_step(request, pk):
    candidate = _candidate_for(request, pk, CHANGE)
    kind = request.POST.get("kind") or ""
    allowed = {selectors.next_step(candidate)}
    if selectors.reconsideration_allowed(candidate, timezone.localdate()):
        allowed.add(StepKind.CELL_VOTE)
    if kind not in allowed - {None}:
        messages.error(request, _("Bước này không còn là bước tiếp theo của hồ sơ."))
        return redirect("admission:detail", pk=candidate.pk)
    form = forms.StepForm(request.POST, request.FILES, kind=kind)
    if form.is_valid():
        try:
            services.step_record(
                actor=request.user, candidate=candidate, kind=kind, **form.service_data()
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi bước “%(s)s”.") % {"s": StepKind(kind).label})
            return redirect("admission:detail", pk=candidate.pk)
    candidate.refresh_from_db()
    return render(
        request,
        "admission/detail.html",
        _detail_context(request, candidate, step_form=form),
        status=400,
    )


@login_required
@require_POST
def introducer_add(request, pk):
    candidate = _candidate_for(request, pk, CHANGE)
    form = forms.IntroducerForm(request.POST, members=_introducer_members(request, candidate))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.introducer_add(
                actor=request.user,
                candidate=candidate,
                kind=d["kind"],
                member=d.get("member") if d["kind"] == IntroducerKind.PARTY_MEMBER else None,
                months_together=d.get("months_together"),
                is_replacement=d.get("is_replacement") or False,
                resolution_number=d.get("resolution_number") or "",
                resolution_date=d.get("resolution_date"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm người giới thiệu."))
            return redirect("admission:detail", pk=candidate.pk)
    return render(
        request,
        "admission/detail.html",
        _detail_context(request, candidate, intro_form=form),
        status=400,
    )


@login_required
@require_POST
def candidate_close(request, pk):
    candidate = _candidate_for(request, pk, CHANGE)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_close(actor=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã kết thúc hồ sơ."))
            return redirect("admission:detail", pk=candidate.pk)
    return render(
        request,
        "admission/detail.html",
        _detail_context(request, candidate, close_form=form),
        status=400,
    )


# ==================================================================================== targets


def _default_root(request, orgs):
    return orgs.order_by("depth", "path").first()


@login_required
def targets(request):
    """Progress against the yearly targets for any subtree and year; set a target."""
    require_module_action(request, AdmissionTarget, VIEW)
    user = request.user
    today = timezone.localdate()
    orgs = Organization.objects.restrict(user, VIEW, module="admission").active()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    if not data.get("organization"):
        root = _default_root(request, orgs)
        data["organization"] = str(root.pk) if root else ""
    form = forms.TargetFilterForm(data, orgs=_filter_orgs(request, orgs))
    org, year = None, today.year
    if form.is_valid():
        org = form.cleaned_data.get("organization")
        year = form.cleaned_data.get("year") or today.year
    org = org or _default_root(request, orgs)
    set_form = None
    if can(user, ADD, model=AdmissionTarget):
        set_form = forms.TargetForm(
            request.POST or None,
            user=user,
            initial={"year": year, "organization": org.pk if org else None},
        )
        if request.method == "POST" and set_form.is_valid():
            d = set_form.cleaned_data
            try:
                services.target_set(actor=user, **d)
            except ValidationError as exc:
                apply_service_errors(set_form, exc)
            else:
                messages.success(
                    request,
                    _("Đã đặt chỉ tiêu năm %(y)s của %(o)s: %(n)s đảng viên.")
                    % {"y": d["year"], "o": d["organization"].name, "n": d["number"]},
                )
                return redirect(
                    reverse("admission:targets")
                    + f"?organization={org.pk if org else ''}&year={d['year']}"
                )
        bootstrapify(set_form)
    elif request.method == "POST":
        raise PermissionDenied
    ctx = {"form": form, "set_form": set_form, "org": org, "year": year, "today": today}
    if org is not None:
        ctx["total"] = selectors.progress(selectors.subtree_q(org), year)
        children = Organization.objects.filter(
            Q(path__startswith=org.path, depth=org.depth + 1)
        ).active()
        rows = list(selectors.progress_rows(children.order_by("path"), year))
        for r in rows:
            r.percent = round(100 * r.admitted_n / r.target_sum) if r.target_sum else None
            r.bar = min(r.percent or 0, 100)
            r.members_url = _admitted_url(r, year)
        ctx["rows"] = rows
        ctx["own"] = AdmissionTarget.objects.filter(organization=org, year=year).first()
        ctx["members_url"] = _admitted_url(org, year)
        ctx["candidates_url"] = reverse("admission:list") + f"?organization={org.pk}"
    bootstrapify(form)
    return render(request, "admission/targets.html", ctx)


def _admitted_url(org, year: int) -> str:
    from urllib.parse import urlencode

    return (
        reverse("members:list")
        + "?"
        + urlencode(
            {
                "organization": org.pk,
                "admitted_from": dt.date(year, 1, 1).strftime("%d/%m/%Y"),
                "admitted_to": dt.date(year, 12, 31).strftime("%d/%m/%Y"),
            }
        )
    )


def scope_has_admission(user) -> bool:
    return scope_q(Candidate, user) is not None
