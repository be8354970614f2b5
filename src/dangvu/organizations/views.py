"""Pages of the organisation tree: the tree browser, an organisation's detail, the tree operations.

Everything reaches the user through `restrict()` (core.viewmixins): out of scope = 404, a write
without the right = 403. The tree page costs a fixed number of queries whatever the number of
nodes: counts, sub-tree counts, type labels and rules are fetched in batches.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.dates import fmt, parse_vn_date
from dangvu.core.rulebook import RuleCache
from dangvu.core.scope import ADD, CHANGE, VIEW, can, scope_q
from dangvu.core.viewmixins import (
    history_rows,
    paginate,
    require_module_action,
    scoped_object,
    scoped_queryset,
)

from . import forms, services
from .choices import ALLOWED_PARENTS, CELL_TYPES, OrgType
from .filtersets import OrganizationFilterSet
from .models import Organization, OrganizationTypeLabel
from .permissions import can_restructure
from .selectors import member_counts, size_warnings, versions_as_of

# Badge text when no short label is configured (OrganizationTypeLabel.short_label).
DEFAULT_SHORT_LABELS = {
    OrgType.SUPERIOR_COMMITTEE: gettext_lazy("ĐB cấp trên"),
    OrgType.GRASSROOTS_COMMITTEE: gettext_lazy("ĐBCS"),
    OrgType.GRASSROOTS_CELL: gettext_lazy("CBCS"),
    OrgType.SUB_COMMITTEE: gettext_lazy("ĐBBP"),
    OrgType.CELL: gettext_lazy("Chi bộ"),
}
MAX_TOP_NODES = 50


# --------------------------------------------------------------------------- batched reads


def type_labels() -> dict[str, tuple[str, str]]:
    """{org_type: (label, short label)} in one query; same source as models.org_type_label."""
    rows = {r.org_type: r for r in OrganizationTypeLabel.objects.all()}
    out = {}
    for value, label in OrgType.choices:
        row = rows.get(value)
        full = row.label if row else str(label)
        if row and row.short_label:
            short = row.short_label
        elif row:
            short = row.label
        else:
            short = str(DEFAULT_SHORT_LABELS[value])
        out[value] = (full, short)
    return out


def scope_top_nodes(base_qs) -> list[Organization]:
    """The highest organisations of a scoped queryset: those whose parent is not in it.

    In path order an ancestor comes before its descendants, so the first row is a top node and
    the next top node is the first row at or after the next sibling path of the last one: one
    indexed query per top node (a scope is a few sub-trees), plus one.
    """
    from treebeard.exceptions import PathOverflow

    qs = base_qs.order_by("path")
    tops: list[Organization] = []
    nxt = qs.first()
    while nxt is not None and len(tops) < MAX_TOP_NODES:
        tops.append(nxt)
        try:
            after = nxt._inc_path()  # treebeard: the path of the next sibling
        except PathOverflow:
            break
        nxt = qs.filter(path__gte=after).first()
    return tops


def children_of(base_qs, parents) -> list[Organization]:
    if not parents:
        return []
    q = Q()
    for p in parents:
        q |= Q(path__startswith=p.path, depth=p.depth + 1)
    return list(base_qs.filter(q).order_by("path"))


def subtree_member_counts(orgs) -> dict[int, int]:
    """{org_id: active members of the sub-tree} for the committees among `orgs`, from the
    per-organisation counters: one grouped query per depth."""
    from dangvu.members.stats import subtree_active

    committees = [o for o in orgs if o.org_type not in CELL_TYPES]
    by_path = subtree_active([o.path for o in committees])
    return {o.pk: by_path[o.path] for o in committees}


def member_counts_as_of(org_ids, on: dt.date) -> dict[int, int]:
    """{org_id: members on the organisation's roll on `on`} in one query."""
    from dangvu.members.choices import ACTIVE_STATUSES
    from dangvu.members.models import MemberEvent
    from dangvu.members.selectors import memberships_as_of

    latest = MemberEvent.objects.filter(member=OuterRef("member_id"), date__lte=on).order_by(
        "-date", "-id"
    )
    rows = (
        memberships_as_of(on, org_ids)
        .annotate(status_on=Subquery(latest.values("status_after")[:1]))
        .filter(status_on__in=ACTIVE_STATUSES)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    return {r["organization_id"]: r["n"] for r in rows}


# --------------------------------------------------------------------------- tree nodes


@dataclass
class Node:
    pk: int
    code: str
    name: str
    org_type: str
    type_label: str
    type_short: str
    own_count: int | None = None
    subtree_count: int | None = None
    warnings: list = field(default_factory=list)
    has_children: bool = False
    children: list | None = None  # None = not loaded (htmx loads them)
    dissolved_on: dt.date | None = None
    greyed: bool = False  # dissolved, in the current tree

    @property
    def is_committee(self) -> bool:
        return self.org_type not in CELL_TYPES

    @property
    def warning_text(self) -> str:
        return " · ".join(f"{w.message} {w.citation}." for w in self.warnings)


def current_nodes(orgs, labels, rules) -> list[Node]:
    counts = member_counts([o.pk for o in orgs])
    subtree = subtree_member_counts(orgs)
    nodes = []
    for o in orgs:
        label, short = labels[o.org_type]
        c = counts.get(o.pk, {"active": 0, "official": 0})
        nodes.append(
            Node(
                pk=o.pk,
                code=o.code,
                name=o.name,
                org_type=o.org_type,
                type_label=label,
                type_short=short,
                own_count=c["active"],
                subtree_count=subtree.get(o.pk),
                warnings=size_warnings(o, counts, subtree.get(o.pk, 0), rules),
                has_children=o.numchild > 0,
                dissolved_on=o.dissolved_on,
                greyed=o.dissolved_on is not None,
            )
        )
    return nodes


def as_of_nodes(versions, on: dt.date, labels, scoped_orgs) -> list[Node]:
    ids = [v.organization_id for v in versions]
    counts = member_counts_as_of(ids, on)
    child_counts = {
        r["parent_id"]: r["n"]
        for r in versions_as_of(on)
        .filter(parent_id__in=ids, organization__in=scoped_orgs)
        .order_by()
        .values("parent_id")
        .annotate(n=Count("id"))
    }
    nodes = []
    for v in versions:
        label, short = labels[v.org_type]
        nodes.append(
            Node(
                pk=v.organization_id,
                code=v.code,
                name=v.name,
                org_type=v.org_type,
                type_label=label,
                type_short=short,
                # Committees' own rolls are near empty; their sub-tree then is not counted here.
                own_count=None
                if v.org_type not in CELL_TYPES
                else counts.get(v.organization_id, 0),
                has_children=child_counts.get(v.organization_id, 0) > 0,
                dissolved_on=v.organization.dissolved_on,
            )
        )
    return nodes


@dataclass
class TreeState:
    """What the tree page shows: the date (None = today's tree) and whether dissolved ones too."""

    on: dt.date | None = None
    on_text: str = ""
    date_error: str = ""
    show_dissolved: bool = False

    @classmethod
    def from_request(cls, request) -> "TreeState":
        state = cls(show_dissolved=request.GET.get("dissolved") in {"1", "on", "true"})
        text = (request.GET.get("on") or "").strip()
        state.on_text = text
        if text:
            try:
                on = parse_vn_date(text)
            except ValueError:
                state.date_error = _(
                    "Ngày “%(d)s” không hợp lệ: nhập theo dạng dd/mm/yyyy (ví dụ 15/03/2024)."
                ) % {"d": text}
            else:
                if on > timezone.localdate():
                    state.date_error = _("Ngày xem không được ở tương lai (%(d)s).") % {
                        "d": fmt(on)
                    }
                else:
                    state.on = on
                    state.on_text = fmt(on)
        return state

    @property
    def querystring(self) -> str:
        params = {}
        if self.on:
            params["on"] = fmt(self.on)
        if self.show_dissolved:
            params["dissolved"] = "1"
        return urlencode(params)


def _ids_with_warnings(orgs) -> list[int]:
    """Organisations among `orgs` that break a size rule: a fixed number of queries."""
    orgs = list(orgs.order_by())
    counts = member_counts([o.pk for o in orgs])
    subtree = subtree_member_counts(orgs)
    rules = RuleCache()
    return [o.pk for o in orgs if size_warnings(o, counts, subtree.get(o.pk, 0), rules)]


def _scoped_orgs(request, state: TreeState | None = None):
    qs = scoped_queryset(request, Organization, VIEW)
    if state is not None and not state.on and not state.show_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return qs


def _scoped_versions(request, on: dt.date):
    return versions_as_of(on).filter(organization__in=scoped_queryset(request, Organization, VIEW))


# --------------------------------------------------------------------------- pages


@login_required
def tree(request):
    require_module_action(request, Organization, VIEW)
    state = TreeState.from_request(request)
    labels = type_labels()
    q = (request.GET.get("q") or "").strip()
    types = [t for t in request.GET.getlist("org_type") if t in OrgType.values]
    only_warnings = request.GET.get("warnings") == "1"
    ctx = {"state": state, "q": q, "labels": labels}
    if q or types or only_warnings:
        # List mode: search, a type (home page cards) or the organisations with size warnings.
        base = scoped_queryset(request, Organization, VIEW)
        if not state.show_dissolved:
            base = base.filter(dissolved_on__isnull=True)
        filterset = OrganizationFilterSet(
            {"q": q, "org_type": types}, queryset=base, request=request
        )
        found = filterset.qs.order_by("path")
        if only_warnings:
            found = found.filter(pk__in=_ids_with_warnings(found))
        page = paginate(request, found, per_page=50)
        parent_paths = {o.path[: -Organization.steplen] for o in page if o.depth > 1}
        parents = {
            p.path: p
            for p in scoped_queryset(request, Organization, VIEW).filter(path__in=parent_paths)
        }
        ctx["results"] = page
        ctx["list_filter"] = ", ".join(
            [str(labels[t][0]) for t in types]
            + ([_("có cảnh báo quy mô")] if only_warnings else [])
        )
        ctx["result_rows"] = [
            (o, labels[o.org_type], parents.get(o.path[: -Organization.steplen])) for o in page
        ]
    elif state.on:
        scoped = scoped_queryset(request, Organization, VIEW)
        versions = _scoped_versions(request, state.on).select_related("organization")
        tops = list(
            versions.filter(Q(parent__isnull=True) | ~Q(parent__in=scoped)).order_by(
                "organization__path"
            )[:MAX_TOP_NODES]
        )
        kids = list(
            versions.filter(parent_id__in=[v.organization_id for v in tops]).order_by(
                "organization__path"
            )
        )
        nodes = as_of_nodes(tops + kids, state.on, labels, scoped)
        ctx["nodes"] = _nest(nodes, [v.organization_id for v in tops], kids, "parent_id")
    else:
        base = _scoped_orgs(request, state)
        tops = scope_top_nodes(base)
        kids = children_of(base, tops)
        rules = RuleCache()
        nodes = current_nodes(tops + kids, labels, rules)
        parent_of = {k.pk: k.path[: -Organization.steplen] for k in kids}
        path_to_pk = {t.path: t.pk for t in tops}
        by_pk = {n.pk: n for n in nodes}
        top_nodes = [by_pk[t.pk] for t in tops]
        for n in top_nodes:
            n.children = []
        for k in kids:
            by_pk[path_to_pk[parent_of[k.pk]]].children.append(by_pk[k.pk])
        ctx["nodes"] = top_nodes
    return render(request, "organizations/tree.html", ctx)


def _nest(nodes, top_ids, kids, parent_attr):
    by_pk = {n.pk: n for n in nodes}
    top_nodes = [by_pk[pk] for pk in top_ids]
    for n in top_nodes:
        n.children = []
    for k in kids:
        by_pk[getattr(k, parent_attr)].children.append(by_pk[k.organization_id])
    return top_nodes


@login_required
def children(request, pk):
    """The children of one node (htmx partial of the tree)."""
    org = scoped_object(request, Organization, VIEW, pk=pk)
    state = TreeState.from_request(request)
    labels = type_labels()
    if state.on:
        scoped = scoped_queryset(request, Organization, VIEW)
        versions = list(
            _scoped_versions(request, state.on)
            .filter(parent=org)
            .select_related("organization")
            .order_by("organization__path")
        )
        nodes = as_of_nodes(versions, state.on, labels, scoped)
    else:
        kids = children_of(_scoped_orgs(request, state), [org])
        nodes = current_nodes(kids, labels, RuleCache())
    return render(
        request,
        "organizations/_children.html",
        {"nodes": nodes, "state": state, "parent": org},
    )


def _member_href():
    """reverse('members:detail') if the members pages provide it, else None (no link)."""
    try:
        reverse("members:detail", args=[0])
    except NoReverseMatch:
        return None
    return lambda pk: reverse("members:detail", args=[pk])


TABS = ("info", "members", "events", "history")


@login_required
def detail(request, pk):
    from dangvu.members.models import Member
    from dangvu.members.selectors import members_as_of

    org = scoped_object(request, Organization, VIEW, pk=pk)
    user = request.user
    scoped = scoped_queryset(request, Organization, VIEW)
    labels = type_labels()
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "info"

    parent = None
    parent_visible = False
    if org.depth > 1:
        parent = Organization.objects.filter(path=org.path[: -Organization.steplen]).first()
        parent_visible = parent is not None and scoped.filter(pk=parent.pk).exists()
    kids = list(scoped.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path"))
    counts = member_counts([org.pk] + [k.pk for k in kids])
    own = counts.get(org.pk, {"active": 0, "official": 0})
    subtree = subtree_member_counts([org, *kids])
    warnings = size_warnings(org, counts)
    child_rows = [
        (k, labels[k.org_type], counts.get(k.pk, {}).get("active", 0), subtree.get(k.pk))
        for k in kids
    ]

    # Members tab: the roll on a chosen date (today by default), within the user's member scope.
    members_on = timezone.localdate()
    members_on_text = request.GET.get("members_on", "").strip()
    members_error = ""
    if members_on_text:
        try:
            chosen = parse_vn_date(members_on_text)
        except ValueError:
            members_error = _(
                "Ngày “%(d)s” không hợp lệ: nhập theo dạng dd/mm/yyyy (ví dụ 15/03/2024)."
            ) % {"d": members_on_text}
        else:
            if chosen > timezone.localdate():
                members_error = _("Ngày xem không được ở tương lai (%(d)s).") % {"d": fmt(chosen)}
            else:
                members_on = chosen
    member_q = scope_q(Member, user, VIEW)
    roll = members_as_of(org, members_on)
    roll = roll.filter(member_q) if member_q is not None else roll.none()
    member_page = paginate(request, roll.order_by("name_sort", "id"), per_page=100)
    href = _member_href()
    status_labels = dict(Member._meta.get_field("status").flatchoices)
    member_rows = [
        (m, href(m.pk) if href else None, status_labels.get(m.status_on, m.status_on))
        for m in member_page
    ]

    events = list(org.events.select_related("related"))
    related_ids = {e.related_id for e in events if e.related_id}
    visible_related = set(scoped.filter(pk__in=related_ids).values_list("pk", flat=True))

    can_change = org.dissolved_on is None and can(user, CHANGE, org)
    allowed_child_types = [t for t in OrgType if org.org_type in ALLOWED_PARENTS[t]]
    can_add = can_change and bool(allowed_child_types) and can(user, ADD, org)
    may_restructure = can_restructure(user, org)
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "tab": tab,
            "type_label": labels[org.org_type],
            "parent": parent,
            "parent_visible": parent_visible,
            "child_rows": child_rows,
            "own": own,
            "subtree_count": subtree.get(org.pk),
            "warnings": warnings,
            "members_on": members_on,
            "members_on_text": members_on_text or fmt(members_on),
            "members_error": members_error,
            "member_page": member_page,
            "member_rows": member_rows,
            "events": events,
            "visible_related": visible_related,
            "history": history_rows(org),
            "can_change": can_change,
            "can_add": can_add,
            "can_restructure": may_restructure,
            "can_see_committees": can(user, VIEW, org, module="committees"),
        },
    )


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Operation:
    form_class: type
    title: str
    submit: str
    help: str = ""
    danger: bool = False
    template: str = "organizations/operation.html"


def _run_operation(request, org, op: Operation, perform, *, success):
    """GET shows the form; POST calls `perform(form)`; service errors go onto the form."""
    form = op.form_class(
        request.POST if request.method == "POST" else None, organization=org, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            return success(result)
    return render(
        request,
        op.template,
        {"org": org, "form": form, "op": op, "type_label": type_labels()[org.org_type]},
    )


def _changeable(request, pk):
    org = scoped_object(request, Organization, CHANGE, pk=pk)
    if org.dissolved_on:
        messages.error(request, _("Tổ chức đã giải thể: không thể thực hiện thao tác này."))
        return org, redirect("organizations:detail", pk=org.pk)
    return org, None


def _restructurable(request, pk):
    """Rename, move, merge, split, dissolve: decisions of the level above (see permissions.py)."""
    org, stop = _changeable(request, pk)
    if stop is None and not can_restructure(request.user, org):
        raise PermissionDenied
    return org, stop


def _done(request, message, pk, tab="events"):
    messages.success(request, message)
    return redirect(reverse("organizations:detail", args=[pk]) + f"?tab={tab}")


@login_required
def establish(request, pk):
    parent, stop = _changeable(request, pk)
    if stop:
        return stop
    if not can(request.user, ADD, parent):
        raise PermissionDenied
    op = Operation(
        forms.EstablishForm,
        _("Thành lập tổ chức trực thuộc"),
        _("Thành lập"),
        _("Tổ chức mới trực thuộc “%(p)s”.") % {"p": parent.name},
    )

    def perform(form):
        cd = form.cleaned_data
        return services.organization_establish(
            actor=request.user,
            parent=parent,
            code=cd["code"],
            name=cd["name"],
            short_name=cd.get("short_name") or "",
            org_type=cd["org_type"],
            address=cd.get("address") or "",
            phone=cd.get("phone") or "",
            email=cd.get("email") or "",
            **form.decision_kwargs(),
        )

    return _run_operation(
        request,
        parent,
        op,
        perform,
        success=lambda org: _done(
            request, _("Đã thành lập “%(o)s”.") % {"o": org.name}, org.pk, "info"
        ),
    )


@login_required
def rename(request, pk):
    org, stop = _restructurable(request, pk)
    if stop:
        return stop
    op = Operation(forms.RenameForm, _("Đổi tên tổ chức"), _("Đổi tên"))

    def perform(form):
        cd = form.cleaned_data
        return services.organization_rename(
            actor=request.user,
            organization=org,
            name=cd["name"],
            short_name=cd.get("short_name") or "",
            **form.decision_kwargs(),
        )

    return _run_operation(
        request,
        org,
        op,
        perform,
        success=lambda ev: _done(
            request, _("Đã đổi tên thành “%(n)s”.") % {"n": ev.new_value}, org.pk
        ),
    )


@login_required
def move(request, pk):
    org, stop = _restructurable(request, pk)
    if stop:
        return stop
    op = Operation(
        forms.MoveForm,
        _("Chuyển trực thuộc"),
        _("Chuyển"),
        _("Tổ chức được chuyển cùng toàn bộ tổ chức trực thuộc và đảng viên của nó."),
    )

    def perform(form):
        return services.organization_move(
            actor=request.user,
            organization=org,
            new_parent=form.cleaned_data["new_parent"],
            **form.decision_kwargs(),
        )

    return _run_operation(
        request,
        org,
        op,
        perform,
        success=lambda ev: _done(
            request, _("Đã chuyển sang trực thuộc “%(p)s”.") % {"p": ev.new_value}, org.pk
        ),
    )


@login_required
def merge(request, pk):
    org, stop = _restructurable(request, pk)
    if stop:
        return stop
    op = Operation(
        forms.MergeForm,
        _("Hợp nhất tổ chức"),
        _("Hợp nhất"),
        _(
            "Đảng viên và tổ chức trực thuộc được chuyển sang tổ chức nhận; tổ chức này kết thúc "
            "hoạt động (hồ sơ được giữ lại)."
        ),
        danger=True,
    )

    def perform(form):
        target = form.cleaned_data["target"]
        services.organization_merge(
            actor=request.user, source=org, target=target, **form.decision_kwargs()
        )
        return target

    return _run_operation(
        request,
        org,
        op,
        perform,
        success=lambda target: _done(
            request,
            _("Đã hợp nhất “%(s)s” vào “%(t)s”.") % {"s": org.name, "t": target.name},
            target.pk,
        ),
    )


@login_required
def split(request, pk):
    org, stop = _restructurable(request, pk)
    if stop:
        return stop
    op = Operation(
        forms.SplitForm,
        _("Chia tách tổ chức"),
        _("Chia tách"),
        _(
            "Các tổ chức mới cùng trực thuộc cấp trên hiện nay. Xếp mỗi đảng viên đang sinh hoạt "
            "vào một tổ chức mới (trừ khi giữ lại tổ chức cũ)."
        ),
        danger=True,
        template="organizations/split.html",
    )

    def perform(form):
        return services.organization_split(
            actor=request.user,
            source=org,
            parts=form.parts(),
            keep_source=form.cleaned_data.get("keep_source", False),
            **form.decision_kwargs(),
        )

    return _run_operation(
        request,
        org,
        op,
        perform,
        success=lambda new: _done(
            request,
            _("Đã chia tách thành: %(n)s.") % {"n": ", ".join(o.name for o in new)},
            org.pk,
        ),
    )


@login_required
def dissolve(request, pk):
    org, stop = _restructurable(request, pk)
    if stop:
        return stop
    op = Operation(
        forms.DissolveForm,
        _("Giải thể tổ chức"),
        _("Giải thể"),
        _(
            "Chỉ giải thể được tổ chức không còn đảng viên đang sinh hoạt và không còn tổ chức "
            "trực thuộc. Hồ sơ của tổ chức được giữ lại."
        ),
        danger=True,
    )

    def perform(form):
        return services.organization_dissolve(
            actor=request.user, organization=org, **form.decision_kwargs()
        )

    return _run_operation(
        request,
        org,
        op,
        perform,
        success=lambda ev: _done(request, _("Đã giải thể “%(o)s”.") % {"o": org.name}, org.pk),
    )


@login_required
def edit(request, pk):
    org, stop = _changeable(request, pk)
    if stop:
        return stop
    op = Operation(
        forms.EditForm,
        _("Sửa thông tin liên hệ"),
        _("Lưu"),
        _(
            "Tên và cấp trực thuộc thay đổi bằng quyết định: dùng “Đổi tên” hoặc “Chuyển trực thuộc”."
        ),
    )

    def perform(form):
        return services.organization_update(
            actor=request.user, organization=org, data=form.cleaned_data
        )

    return _run_operation(
        request,
        org,
        op,
        perform,
        success=lambda o: _done(request, _("Đã lưu thông tin."), org.pk, "info"),
    )
