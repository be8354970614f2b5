"""The registry of figures: every module declares named numbers computed for (subtree, period,
as-of date), and reports, the dashboard and exports ask the registry, never the module.

A module adds figures in its own `figures.py` (found at start-up by `ReportsConfig.ready`):

    from dangvu.reports.figures import Breakdown, figure

    @figure("members.by_gender", _("Đảng viên theo giới tính"), module="members")
    def by_gender(ctx) -> Breakdown:
        ...

A figure is a pure function of its `Context` (organisation, period, as-of date): the same inputs
give the same answer, and a past period is computed on the tree and memberships as they were
(`ctx.org_ids` is the subtree as of `ctx.on`). `compute` refuses a user who may not see the
organisation in the figure's module, so a report never counts what its author may not see: a role
held at a node covers that node's whole subtree, which is exactly what the figure counts.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a code, its label, the number, and where the list behind it is."""

    code: str
    label: str
    value: int
    url: str = ""


@dataclass(frozen=True)
class Breakdown:
    rows: tuple[Row, ...]

    @property
    def total(self) -> int:
        return sum(r.value for r in self.rows)

    def as_dict(self) -> dict[str, int]:
        return {r.code: r.value for r in self.rows}


@dataclass(frozen=True)
class Number:
    value: int | float | None
    url: str = ""


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    module: str
    compute: Callable
    kind: str  # "number" or "breakdown"
    description: str = ""


REGISTRY: dict[str, Figure] = {}


def figure(key: str, title, *, module: str, kind: str = "breakdown", description: str = ""):
    """Register the decorated function `fn(ctx) -> Number | Breakdown` as figure `key`."""

    def register(fn):
        if key in REGISTRY and REGISTRY[key].compute is not fn:
            raise ValueError(f"figure {key} registered twice")
        REGISTRY[key] = Figure(key, title, module, fn, kind, description or (fn.__doc__ or ""))
        return fn

    return register


@dataclass
class Context:
    """What a figure is computed for: `organization`'s subtree as it was on `on`, the period
    [date_from, date_to] for flows (gains, meetings held), and stocks as at `on` (default:
    date_to)."""

    organization: object
    date_from: dt.date
    date_to: dt.date
    on: dt.date | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.on is None:
            self.on = self.date_to
        if self.date_from > self.date_to:
            raise ValueError("date_from after date_to")

    @cached_property
    def org_ids(self) -> list[int]:
        """The subtree as of `on` (merged, split, moved organisations as they were then)."""
        from dangvu.organizations.selectors import subtree_ids_as_of

        return subtree_ids_as_of(self.organization, self.on)

    @cached_property
    def orgs(self):
        from dangvu.organizations.models import Organization

        return Organization.objects.filter(pk__in=self.org_ids)


def get(key: str) -> Figure:
    try:
        return REGISTRY[key]
    except KeyError:
        raise KeyError(f"no figure {key!r}; registered: {sorted(REGISTRY)}") from None


def allowed(user, fig: Figure, organization) -> bool:
    """True if one of the user's roles covers the organisation's whole subtree in the figure's
    module. A member account sees its own cell but not its members' records: no figures."""
    from dangvu.accounts.roles import role_allows
    from dangvu.core.scope import _grants

    if getattr(user, "is_superuser", False):
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    for role, path, _member, _org in _grants(user):
        if role == "member" or not role_allows(role, fig.module, "view"):
            continue
        if path is None or organization.path.startswith(path):
            return True
    return False


def compute(key: str, ctx: Context, *, user=None):
    """The figure's value; with `user`, refused (PermissionDenied) outside the user's scope."""
    fig = get(key)
    if user is not None and not allowed(user, fig, ctx.organization):
        raise PermissionDenied(key)
    return fig.compute(ctx)


def compute_many(keys, ctx: Context, *, user=None) -> dict:
    """{key: value} for the figures the user may see (others are left out)."""
    out = {}
    for key in keys:
        fig = get(key)
        if user is not None and not allowed(user, fig, ctx.organization):
            continue
        out[key] = fig.compute(ctx)
    return out


def for_module(module: str) -> list[Figure]:
    return [f for f in REGISTRY.values() if f.module == module]
