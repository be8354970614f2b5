"""Member pages: list with filters, the record (Mẫu 2-HSĐV) with its process and history, the
profile form and one form per lifecycle action. Every lookup goes through core.viewmixins."""

import mimetypes

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.forms import apply_service_errors, bootstrapify
from dangvu.core.scope import ADD, CHANGE, VIEW, can
from dangvu.core.viewmixins import (
    history_rows,
    paginate,
    require_module_action,
    scoped_object,
    scoped_queryset,
)

from . import services
from .choices import EventKind, MemberStatus, TransferKind
from .filtersets import MemberFilterSet
from .forms import (
    EVENT_SPECS,
    PROFILE_GROUPS,
    SERVICE_FIELD_ALIASES,
    SHORT_FIELDS,
    WIDE_FIELDS,
    MemberEventForm,
    MemberForm,
    available_event_kinds,
    org_label,
)
from .models import Member
from .permissions import can_record_event
from .selectors import party_age

PER_PAGE = 50


# Columns of the list: (ordering param, label).
SORT_COLUMNS = [
    ("name", gettext_lazy("Họ và tên")),
    ("date_of_birth", gettext_lazy("Ngày sinh")),
    ("organization", gettext_lazy("Tổ chức")),
    ("admission_date", gettext_lazy("Ngày vào Đảng")),
    ("status", gettext_lazy("Trạng thái")),
]
# Filters shown in the collapsible panel (the search box and sort are outside it).
PANEL_FILTERS = [
    "organization",
    "status",
    "gender",
    "age_band",
    "party_age_band",
    "ethnicity",
    "general_education",
    "professional_degree",
    "political_theory",
    "admitted_from",
    "admitted_to",
]


MAX_ORG_OPTIONS = 1000
MAX_TREE_DEPTH = 64  # paths of 4 characters a level in 255


def top_levels(orgs, selected=None, limit: int | None = None):
    """The upper levels of a scope, as many as fit in `limit` options, plus the selected one.

    Nationally a whole-tree scope holds 300,000 organisations: a select of all of them would weigh
    megabytes. Deeper organisations are reached from the tree (each one links to its members).
    Each level is counted up to what still fits, through the (depth, path) index (migration
    organizations/0003): counting every organisation of the scope by depth read all 304,000
    rows, 33 ms on every page with an organisation filter.
    """
    limit = limit or MAX_ORG_OPTIONS
    if orgs.order_by()[: limit + 1].count() <= limit:
        return orgs  # every level fits (one query, as for most scopes)
    shallowest = orgs.order_by("depth").values_list("depth", flat=True).first()
    depth, within = shallowest - 1, 0
    for _level in range(MAX_TREE_DEPTH):  # the scope has more than `limit`: some level overflows
        room = limit - within
        n = orgs.filter(depth=depth + 1).order_by()[: room + 1].count()
        if n > room:
            break
        depth, within = depth + 1, within + n
    keep = orgs.filter(depth__lte=max(depth, shallowest))
    if selected and str(selected).isdigit():
        keep = keep | orgs.filter(pk=int(selected))
    return keep


@login_required
def member_list(request):
    require_module_action(request, Member, VIEW)
    qs = scoped_queryset(request, Member).select_related("organization")
    fs = MemberFilterSet(request.GET or None, queryset=qs, request=request)
    form = fs.form
    form.fields["organization"].label_from_instance = org_label
    form.fields["organization"].queryset = top_levels(
        form.fields["organization"].queryset, request.GET.get("organization")
    )
    form.fields["status"].widget = forms.CheckboxSelectMultiple(
        choices=form.fields["status"].choices, attrs={"class": "form-check-input"}
    )
    form.fields["organization"].empty_label = _("Tất cả trong phạm vi")
    for name, field in form.fields.items():
        if name not in ("status", "organization") and hasattr(field, "empty_label"):
            # django-filter adds ("", empty_label) in front of the choices
            field.empty_label = _("Mặc định (theo tên)") if name == "ordering" else _("Tất cả")
            field.widget.choices = list(field.choices)
    page = paginate(request, fs.qs, PER_PAGE)
    page.object_list = _attach_parent_names(request, page.object_list)
    bootstrapify(form)
    current = request.GET.get("ordering", "")
    columns = []
    for param, label in SORT_COLUMNS:
        if current == param:
            columns.append({"label": label, "next": "-" + param, "dir": "asc"})
        elif current == "-" + param:
            columns.append({"label": label, "next": param, "dir": "desc"})
        else:
            columns.append(
                {
                    "label": label,
                    "next": param,
                    "dir": "asc" if not current and param == "name" else "",
                }
            )
    active_filters = sum(
        1 for name in PANEL_FILTERS if request.GET.getlist(name) and any(request.GET.getlist(name))
    )
    ctx = {
        "filter": fs,
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "columns": columns,
        "panel_fields": [form[name] for name in PANEL_FILTERS],
        "active_filters": active_filters,
        "can_add": can(request.user, ADD, model=Member),
    }
    if getattr(request, "htmx", False) and request.htmx.target == "member-results":
        return render(request, "members/includes/list_results.html", ctx)
    return render(request, "members/list.html", ctx)


def _attach_parent_names(request, members) -> list:
    """`m.org_parent`: the organisation above each member's cell, when the user may see it
    (many cells share a name such as "Chi bộ Văn phòng"). One query for the whole page.
    `m.status_label`: the status as get_status_display() gives it."""
    from dangvu.organizations.models import Organization

    members = list(members)
    steplen = Organization.steplen
    # the root (the superior committee) adds nothing: name parents below it only
    paths = {m.organization.path[:-steplen] for m in members if m.organization.depth > 2}
    parents = {}
    if paths:
        parents = dict(
            scoped_queryset(request, Organization)
            .filter(path__in=paths)
            .order_by()
            .values_list("path", "name")
        )
    # get_status_display() rebuilds the status choices (hashing each lazy label) on every call
    status_labels = {value: str(label) for value, label in MemberStatus.choices}
    for m in members:
        m.org_parent = (
            parents.get(m.organization.path[:-steplen], "") if m.organization.depth > 2 else ""
        )
        m.status_label = status_labels.get(m.status, m.status)
    return members


def _member_context(request, member):
    events = list(member.events.select_related("organization", "to_organization"))
    memberships = list(member.memberships.select_related("organization"))
    can_change = can(request.user, CHANGE, member)
    show_history = can(request.user, VIEW, member, module="audit")
    open_temporary = any(
        m.kind == TransferKind.TEMPORARY and m.valid_to is None for m in memberships
    )
    groups = []
    for title, names in PROFILE_GROUPS:
        rows = []
        for name in names:
            if name == "decision_number":
                admitted = next((e for e in events if e.kind == EventKind.ADMITTED), None)
                value = admitted.decision_number if admitted else ""
                rows.append((_("Số quyết định kết nạp"), value or "—"))
                continue
            field = Member._meta.get_field(name)
            value = getattr(member, name)
            if field.choices:
                value = getattr(member, f"get_{name}_display")()
            elif hasattr(value, "strftime"):
                value = value.strftime("%d/%m/%Y")
            rows.append((field.verbose_name, value if value not in (None, "") else "—"))
        groups.append((title, rows))
    return {
        "member": member,
        "groups": groups,
        "events": events,
        "memberships": memberships,
        "party_age": party_age(member, events=events),
        "can_change": can_change,
        "actions": [
            (k, label)
            for k, label in (available_event_kinds(member, open_temporary) if can_change else [])
            if can_record_event(request.user, member, k)
        ],
        "show_history": show_history,
        "history": history_rows(member) if show_history else [],
    }


@login_required
def member_detail(request, pk):
    member = scoped_object(
        request, Member, VIEW, queryset=Member.objects.select_related("organization"), pk=pk
    )
    return render(request, "members/detail.html", _member_context(request, member))


@login_required
def member_photo(request, pk):
    """The photo through the same scope as the record (never a public media URL)."""
    member = scoped_object(request, Member, VIEW, pk=pk)
    if not member.photo:
        raise Http404
    try:
        handle = member.photo.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(member.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def member_create(request):
    require_module_action(request, Member, ADD)
    initial = {}
    if request.GET.get("organization", "").isdigit():
        initial["organization"] = request.GET["organization"]
    form = MemberForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.service_data(),
                decision_number=form.cleaned_data.get("decision_number") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm đảng viên %(name)s.") % {"name": member.full_name})
            return redirect("members:detail", pk=member.pk)
    bootstrapify(form)
    return render(
        request,
        "members/form.html",
        {"form": form, "member": None, "wide_fields": WIDE_FIELDS, "short_fields": SHORT_FIELDS},
    )


@login_required
def member_edit(request, pk):
    member = scoped_object(request, Member, CHANGE, pk=pk)
    form = MemberForm(
        request.POST or None, request.FILES or None, user=request.user, instance=member
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hồ sơ của %(name)s.") % {"name": member.full_name})
            return redirect("members:detail", pk=member.pk)
    bootstrapify(form)
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "wide_fields": WIDE_FIELDS, "short_fields": SHORT_FIELDS},
    )


@login_required
def member_event(request, pk):
    member = scoped_object(
        request, Member, CHANGE, queryset=Member.objects.select_related("organization"), pk=pk
    )
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in EVENT_SPECS:
        raise Http404
    if not can_record_event(request.user, member, kind):
        raise PermissionDenied
    open_temporary = member.memberships.filter(
        kind=TransferKind.TEMPORARY, valid_to__isnull=True
    ).exists()
    allowed = kind in dict(available_event_kinds(member, open_temporary))
    form = MemberEventForm(request.POST or None, kind=kind, member=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = form.call_service(request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc, SERVICE_FIELD_ALIASES)
        else:
            messages.success(
                request,
                _("Đã ghi nhận: %(kind)s ngày %(date)s.")
                % {"kind": event.get_kind_display(), "date": event.date.strftime("%d/%m/%Y")},
            )
            return redirect(reverse("members:detail", args=[member.pk]) + "#process")
    bootstrapify(form)
    return render(
        request,
        "members/event_form.html",
        {
            "member": member,
            "form": form,
            "kind": kind,
            "kind_label": EventKind(kind).label,
            "spec": EVENT_SPECS[kind],
            "allowed": allowed,
        },
    )
