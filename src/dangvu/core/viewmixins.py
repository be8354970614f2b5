"""Base pieces for views: every object and list reaches the user through `restrict()`.

- `scoped_object(request, Model, action, **lookup)`: the object or 404 (out of scope = missing);
  for write actions on an object the user can see but not change: 403.
- `ScopedListMixin` / `ScopedObjectMixin` for class-based views.
- `history_rows(obj)`: the audit trail of an object with before/after values, for its history tab.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from .scope import VIEW, can


def scoped_queryset(request, model, action: str = VIEW, module: str | None = None):
    return model._default_manager.restrict(request.user, action, module)


def scoped_object(request, model, action: str = VIEW, *, queryset=None, **lookup):
    qs = queryset if queryset is not None else model._default_manager.all()
    obj = qs.restrict(request.user, VIEW).filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != VIEW and not can(request.user, action, obj):
        raise PermissionDenied
    return obj


def require_module_action(request, model, action: str, module: str | None = None) -> None:
    """403 unless the user may do `action` on some row of `model` (e.g. may add members somewhere)."""
    if not can(request.user, action, model=model, module=module):
        raise PermissionDenied


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows, so a page of 50 never costs a count of the whole table
    (5.6 million members nationally). Past the cap, lists say "more than 10,000". A queryset
    may lower the cap (`count_cap`: member searches stop at 1,000)."""

    cap = 10_000

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        qs = self.object_list
        if not isinstance(qs, QuerySet):
            return len(qs), False
        cap = qs.count_cap(self.cap) if hasattr(qs, "count_cap") else self.cap
        n = qs.order_by()[: cap + 1].count()
        return (cap, True) if n > cap else (n, False)

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def capped(self) -> bool:
        return self._counted[1]

    def page(self, number):
        """A queryset may choose how to fetch a page once it knows the (capped) count: member
        search results do (MemberQuerySet.for_page)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if hasattr(rows, "for_page"):
            rows = rows.for_page(capped=self.capped)
        page = self._get_page(rows[bottom:top], number, self)
        page.unsorted = getattr(rows, "unsorted", False)
        return page


def paginate(request, qs, per_page: int = 50):
    paginator = CappedPaginator(qs, per_page)
    return paginator.get_page(request.GET.get("page"))


class ScopedObjectMixin:
    model = None
    action = VIEW
    pk_url_kwarg = "pk"

    def get_object(self, queryset=None):
        return scoped_object(
            self.request, self.model, self.action, pk=self.kwargs[self.pk_url_kwarg]
        )


class ScopedListMixin:
    model = None
    action = VIEW

    def get_queryset(self):
        return self.model._default_manager.restrict(self.request.user, self.action)


HIDDEN_HISTORY_FIELDS = {
    "id",
    "search_text",
    "name_sort",
    "path",
    "depth",
    "numchild",
    "created_at",
    "updated_at",
}


def history_rows(obj, limit: int = 200):
    """[(record, [(field label, old, new)])] newest first, from simple-history.

    Foreign keys show the related object's name (looked up in one query per related model), not
    its id.
    """
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    raw = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev)
            for change in delta.changes:
                if change.field in HIDDEN_HISTORY_FIELDS:
                    continue
                changes.append((obj._meta.get_field(change.field), change.old, change.new))
        elif rec.history_type == "+":
            for field in obj._meta.concrete_fields:
                value = getattr(rec, field.attname, None)
                if value not in (None, "") and field.name not in HIDDEN_HISTORY_FIELDS:
                    changes.append((field, None, value))
        raw.append((rec, changes))
    names = _related_names(raw)
    return [
        (
            rec,
            [
                (f.verbose_name, _display(f, old, names), _display(f, new, names))
                for f, old, new in changes
            ],
        )
        for rec, changes in raw
    ]


def _related_names(raw) -> dict:
    wanted: dict = {}
    for _rec, changes in raw:
        for field, old, new in changes:
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v)
    names = {}
    for model, pks in wanted.items():
        for o in model._default_manager.filter(pk__in=pks):
            names[(model, o.pk)] = str(o)
    return names


def _display(field, value, names=None):
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return (names or {}).get((field.related_model, value), f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return value
