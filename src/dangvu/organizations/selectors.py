"""Reads about the tree: as of a date, subtree ids, and the size warnings of the rulebook."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from dangvu.core.rulebook import rule

from .choices import CELL_TYPES, OrgType
from .models import Organization, OrganizationVersion


def versions_as_of(on: dt.date):
    return OrganizationVersion.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )


def children_as_of(organization: Organization | None, on: dt.date):
    """Versions of the organisations directly under `organization` (roots when None) on `on`."""
    qs = versions_as_of(on).select_related("organization")
    if organization is None:
        return qs.filter(parent__isnull=True).order_by("name")
    return qs.filter(parent=organization).order_by("name")


def subtree_ids_as_of(organization: Organization, on: dt.date) -> list[int]:
    """Ids of `organization` and everything that was under it on `on` (one query per level)."""
    ids = [organization.pk]
    frontier = [organization.pk]
    while frontier:
        frontier = list(
            versions_as_of(on)
            .filter(parent_id__in=frontier)
            .values_list("organization_id", flat=True)
        )
        ids.extend(frontier)
    return ids


@dataclass
class TreeRow:
    version: OrganizationVersion
    depth: int


def tree_as_of(
    on: dt.date, root: Organization | None = None, max_rows: int = 5000
) -> list[TreeRow]:
    """The tree as it stood on `on`, depth-first, from `root` (or every root)."""
    rows = list(versions_as_of(on).select_related("organization"))
    by_parent: dict[int | None, list[OrganizationVersion]] = {}
    for v in rows:
        by_parent.setdefault(v.parent_id, []).append(v)
    for lst in by_parent.values():
        lst.sort(key=lambda v: v.organization.path)
    out: list[TreeRow] = []

    def walk(parent_id, depth):
        for v in by_parent.get(parent_id, []):
            if len(out) >= max_rows:
                return
            out.append(TreeRow(v, depth))
            walk(v.organization_id, depth + 1)

    if root is None:
        walk(None, 0)
    else:
        top = next((v for v in rows if v.organization_id == root.pk), None)
        if top is not None:
            out.append(TreeRow(top, 0))
            walk(root.pk, 1)
    return out


@dataclass(frozen=True)
class SizeWarning:
    code: str
    message: str
    citation: str


def member_counts(org_ids) -> dict[int, dict[str, int]]:
    """{org_id: {"active": n, "official": n, …}} for the given organisations (current state),
    from the per-organisation counters (members.stats)."""
    from dangvu.members.stats import direct_counts

    return direct_counts(org_ids)


def subtree_member_count(org: Organization) -> int:
    from dangvu.members.stats import subtree_active

    return subtree_active([org.path])[org.path]


def size_warnings(
    org: Organization, counts: dict | None = None, subtree_count: int | None = None, rules=None
) -> list[SizeWarning]:
    """Warnings from the size rules of the rulebook (shown, never blocking).

    For a page of many nodes pass `counts` (member_counts of all of them), the subtree count of a
    committee and a `RuleCache`, so the whole page costs a fixed number of queries.
    """
    rules = rules or rule
    if org.dissolved_on:
        return []
    out: list[SizeWarning] = []
    if org.org_type in CELL_TYPES:
        c = (counts if counts is not None else member_counts([org.pk])).get(
            org.pk, {"active": 0, "official": 0}
        )
        minimum = rules("org.cell_min_official_members")
        if c["official"] < int(minimum):
            out.append(
                SizeWarning(
                    "cell_too_small",
                    _("Chi bộ chỉ có %(n)s đảng viên chính thức (tối thiểu %(m)s).")
                    % {"n": c["official"], "m": int(minimum)},
                    minimum.citation,
                )
            )
        if org.org_type == OrgType.GRASSROOTS_CELL:
            maximum = rules("org.grassroots_cell_max_members")
            if c["active"] >= int(maximum):
                out.append(
                    SizeWarning(
                        "grassroots_cell_too_large",
                        _(
                            "Chi bộ cơ sở có %(n)s đảng viên (từ %(m)s trở lên nên lập đảng bộ cơ sở)."
                        )
                        % {"n": c["active"], "m": int(maximum)},
                        maximum.citation,
                    )
                )
    elif org.org_type == OrgType.GRASSROOTS_COMMITTEE:
        n = subtree_count if subtree_count is not None else subtree_member_count(org)
        minimum = rules("org.grassroots_committee_min_members")
        if n < int(minimum):
            out.append(
                SizeWarning(
                    "grassroots_committee_too_small",
                    _("Đảng bộ cơ sở chỉ có %(n)s đảng viên (thường từ %(m)s trở lên).")
                    % {"n": n, "m": int(minimum)},
                    minimum.citation,
                )
            )
    return out


def count_size_warnings(orgs, rules=None) -> int:
    """The number of warnings `size_warnings` would give over the organisations in `orgs`,
    counted in SQL on the per-organisation counters: a fixed number of queries whatever the size
    of the tree (the home page of a whole-tree user nationally covers 300,000 organisations).
    tests/organizations/test_services.py checks it agrees with `size_warnings` node by node."""
    from django.db.models import Count
    from django.db.models.functions import Coalesce

    rules = rules or rule
    live = orgs.filter(dissolved_on__isnull=True).order_by()
    # the three rules in one pass over the organisations (conditional counts); a committee's
    # size is its whole subtree's (stats.subtree_active, kept per organisation)
    small = Q(org_type__in=CELL_TYPES, official_n__lt=int(rules("org.cell_min_official_members")))
    large = Q(
        org_type=OrgType.GRASSROOTS_CELL,
        active_n__gte=int(rules("org.grassroots_cell_max_members")),
    )
    thin = Q(
        org_type=OrgType.GRASSROOTS_COMMITTEE,
        subtree_n__lt=int(rules("org.grassroots_committee_min_members")),
    )
    counted = (
        live.filter(org_type__in=[*CELL_TYPES, OrgType.GRASSROOTS_COMMITTEE])
        .annotate(
            official_n=Coalesce("stats__official", 0),
            active_n=Coalesce("stats__active", 0),
            subtree_n=Coalesce("stats__subtree_active", 0),
        )
        .aggregate(
            small=Count("pk", filter=small),
            large=Count("pk", filter=large),
            thin=Count("pk", filter=thin),
        )
    )
    n = counted["small"] + counted["large"] + counted["thin"]
    return n
