"""Per-organisation member counts (OrganizationStats), kept current by the member writes.

Every service that changes a member calls `refresh()` for the organisations it touched, in the
same transaction, so the counts are exact; bulk writers refresh the set they touched once;
`refresh_all()` (command `refresh_stats`) rebuilds everything, e.g. after a raw data load.
Readers: `direct_counts`, `subtree_counts`, `totals`.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q, Sum

from .choices import ACTIVE_STATUSES, Gender, MemberStatus
from .models import Member, OrganizationStats

FIELDS = ["active", "official", "probationary", "exempt", "male", "female"]
_ACTIVE = Q(status__in=ACTIVE_STATUSES)
_AGGREGATES = {
    "active": Count("pk", filter=_ACTIVE),
    "official": Count("pk", filter=Q(status=MemberStatus.OFFICIAL)),
    "probationary": Count("pk", filter=Q(status=MemberStatus.PROBATIONARY)),
    "exempt": Count("pk", filter=Q(status=MemberStatus.EXEMPT)),
    "male": Count("pk", filter=_ACTIVE & Q(gender=Gender.MALE)),
    "female": Count("pk", filter=_ACTIVE & Q(gender=Gender.FEMALE)),
}
CHUNK = 2000


def refresh(org_ids: Iterable[int | None]) -> None:
    """Recount the members of these organisations (one grouped query per 2,000) and store it;
    bring the subtree counters of their ancestors up to date."""
    ids = sorted({i for i in org_ids if i})
    deltas: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        deltas.update(_refresh_direct(ids[start : start + CHUNK]))
    _add_subtree_active(deltas)
    _refresh_subtree_counts(ids)


def _refresh_direct(chunk: list[int]) -> dict[int, int]:
    """Store the direct counts; returns {org id: change of its active members}."""
    before = dict(
        OrganizationStats.objects.filter(organization_id__in=chunk).values_list(
            "organization_id", "active"
        )
    )
    counted = {
        row.pop("organization_id"): row
        for row in Member.objects.filter(organization_id__in=chunk)
        .order_by()
        .values("organization_id")
        .annotate(**_AGGREGATES)
    }
    rows = [
        OrganizationStats(organization_id=i, **counted.get(i, dict.fromkeys(FIELDS, 0)))
        for i in chunk
    ]
    OrganizationStats.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=[*FIELDS, "updated_at"],
    )
    return {r.organization_id: r.active - before.get(r.organization_id, 0) for r in rows}


@transaction.atomic
def _add_subtree_active(deltas: dict[int, int]) -> None:
    """Add each organisation's change of active members to it and every ancestor
    (`subtree_active`), under row locks taken root first."""
    from dangvu.organizations.models import Organization

    deltas = {k: v for k, v in deltas.items() if v}
    if not deltas:
        return
    step = _steplen()
    by_path: dict[str, int] = {}
    for pk, path in Organization.objects.filter(pk__in=list(deltas)).values_list("pk", "path"):
        for i in range(1, len(path) // step + 1):
            prefix = path[: i * step]
            by_path[prefix] = by_path.get(prefix, 0) + deltas[pk]
    rows = _stats_rows_for_update(sorted(by_path))
    groups: dict[int, list[int]] = {}
    for path, d in by_path.items():
        if d and path in rows:
            groups.setdefault(d, []).append(rows[path].organization_id)
    for d, ids in groups.items():
        OrganizationStats.objects.filter(organization_id__in=ids).update(
            subtree_active=F("subtree_active") + d
        )


def shift_subtree_active(moved_path: str, old_parent_path: str | None, new_parent_path: str):
    """An organisation moved with its subtree: its members leave the old ancestors' totals and
    join the new ones'."""
    moved = (
        OrganizationStats.objects.filter(organization__path=moved_path)
        .values_list("subtree_active", flat=True)
        .first()
    ) or 0
    if not moved:
        return
    step = _steplen()
    by_path: dict[str, int] = {}
    for parent, sign in ((old_parent_path, -1), (new_parent_path, 1)):
        for i in range(1, len(parent or "") // step + 1):
            by_path[parent[: i * step]] = by_path.get(parent[: i * step], 0) + sign * moved
    rows = _stats_rows_for_update(sorted(by_path))
    for path, d in by_path.items():
        if d and path in rows:
            OrganizationStats.objects.filter(pk=rows[path].pk).update(
                subtree_active=F("subtree_active") + d
            )


def recompute_subtree_active() -> int:
    """Every organisation's `subtree_active` from the direct counts (after a bulk load): one
    read of the counters, sums by path prefix in Python. Returns the rows changed."""
    from dangvu.organizations.models import Organization

    step = _steplen()
    direct = dict(OrganizationStats.objects.values_list("organization_id", "active"))
    paths = list(Organization.objects.values_list("pk", "path"))
    totals_by_path: dict[str, int] = {}
    for pk, path in paths:
        n = direct.get(pk, 0)
        if n:
            for i in range(1, len(path) // step + 1):
                totals_by_path[path[: i * step]] = totals_by_path.get(path[: i * step], 0) + n
    stored = dict(OrganizationStats.objects.values_list("organization_id", "subtree_active"))
    changed = [
        OrganizationStats(organization_id=pk, subtree_active=totals_by_path.get(path, 0))
        for pk, path in paths
        if stored.get(pk) != totals_by_path.get(path, 0)
    ]
    OrganizationStats.objects.bulk_create(
        changed,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=["subtree_active"],
    )
    return len(changed)


def refresh_all() -> int:
    from dangvu.organizations.models import Organization

    # one grouped pass over the member table (its index on the organisation), not one query
    # per 2,000 organisations: 60 -> about 25 s nationally
    counted = {
        row.pop("organization_id"): row
        for row in Member.objects.order_by().values("organization_id").annotate(**_AGGREGATES)
    }
    ids = list(Organization.objects.order_by().values_list("pk", flat=True))
    OrganizationStats.objects.bulk_create(
        [
            OrganizationStats(organization_id=i, **counted.get(i, dict.fromkeys(FIELDS, 0)))
            for i in ids
        ],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=[*FIELDS, "updated_at"],
    )
    recompute_subtree_active()
    recompute_subtree_counts()
    return len(ids)


def direct_counts(org_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{org_id: {"active": n, "official": n, …}} for the given organisations (zeros if absent)."""
    ids = list(org_ids)
    found = {
        s.organization_id: {f: getattr(s, f) for f in FIELDS}
        for s in OrganizationStats.objects.filter(organization_id__in=ids)
    }
    return {i: found.get(i, dict.fromkeys(FIELDS, 0)) for i in ids}


def totals(organizations) -> dict[str, int]:
    """Sums over an organisation queryset (e.g. Organization.objects.restrict(user))."""
    agg = OrganizationStats.objects.filter(organization__in=organizations.values("pk")).aggregate(
        **{f: Sum(f) for f in FIELDS}
    )
    return {f: agg[f] or 0 for f in FIELDS}


def subtree_active(paths: Iterable[str]) -> dict[str, int]:
    """{path: active members of the whole subtree under that path}: the kept
    `OrganizationStats.subtree_active`, one indexed read (no prefix sums over the counters)."""
    paths = list(paths)
    found = dict(
        OrganizationStats.objects.filter(organization__path__in=paths).values_list(
            "organization__path", "subtree_active"
        )
    )
    return {p: found.get(p, 0) for p in paths}


# ------------------------------------------------------------------------------------------------
# Subtree counters (OrganizationStats.subtree) for the upper levels of the tree.
#
# The home dashboard of a province or of the whole country counts members by status, gender,
# age band and month of admission over its whole subtree: nationally, millions of rows per
# request. Organisations at depth <= ROLLUP_DEPTH (the root, the provinces, the committees
# directly under them: about 750 of 300,000 nationally) keep these counts for their whole subtree
# in one JSON object:
#   "s|<status>"   active members (ACTIVE_STATUSES) by status
#   "g|<gender>"   active members by gender
#   "b|YYYY-MM"    active members by month of birth (age bands exactly: `age_band_counts`)
#   "a|YYYY-MM"    members of any status by month of admission
# Deeper organisations have a few thousand members at most: their figures are counted live
# (`subtree_tally`), from the same query shape, so both paths give the same numbers.
#
# Kept exact in the writer's transaction: `refresh()` recounts the deepest counted ancestor of
# each touched organisation (a subtree of at most a few thousand members) and adds the
# difference to the ancestors above it, under row locks taken root first (no deadlock between
# two writers). A structural change (move, merge, split) calls `recompute_subtree_counts`.

ROLLUP_DEPTH = 3
COMPUTED = "computed"  # present once counted: {} means "never counted", not "no members"


def _steplen() -> int:
    from dangvu.organizations.models import Organization

    return Organization.steplen


def _month(d) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _prefix(length: int):
    from django.db.models.functions import Substr

    return Substr("organization__path", 1, length)


def _tally_rows(qs, group=None, *, marginal: bool = False):
    """Grouped counts of a member queryset: {group value or None: Counter(key -> n)}, where
    `group` is an expression to group by (a path prefix, the organisation) or None.

    The counters hold marginals (by status, by gender, by month of birth), so they can be
    counted crossed in one query (few groups: a subtree's members) or, with `marginal`, one
    query per marginal: for the whole table, the crossed groups (716 committees x statuses x
    genders x 840 months) spilled to disk and took 159 s nationally, the marginals about 7 s
    each."""
    from collections import Counter

    from django.db.models.functions import TruncMonth

    out: dict = {}

    def grouped(q, *fields, **annotations):
        if group is not None:
            q = q.annotate(group=group)
            fields = ("group", *fields)
        return q.annotate(**annotations).order_by().values(*fields).annotate(n=Count("pk"))

    def add(rows, *keys):
        for row in rows:
            c = out.setdefault(row.get("group"), Counter())
            for prefix, field in keys:
                value = row[field]
                c[f"{prefix}|{_month(value) if prefix in ('a', 'b') else value}"] += row["n"]

    active = qs.filter(status__in=ACTIVE_STATUSES)
    born = TruncMonth("date_of_birth")
    if marginal:
        add(grouped(active, "status"), ("s", "status"))
        add(grouped(active, "gender"), ("g", "gender"))
        add(grouped(active, "born", born=born), ("b", "born"))
    else:
        add(
            grouped(active, "status", "gender", "born", born=born),
            ("s", "status"),
            ("g", "gender"),
            ("b", "born"),
        )
    add(grouped(qs, "admitted", admitted=TruncMonth("admission_date")), ("a", "admitted"))
    return out


def subtree_tally(org) -> dict[str, int]:
    """The counters of `org`'s whole subtree: stored for the upper levels, counted otherwise."""
    if org.depth <= ROLLUP_DEPTH:
        row = OrganizationStats.objects.filter(organization_id=org.pk).values("subtree").first()
        if row is not None and row["subtree"].get(COMPUTED):
            return {k: v for k, v in row["subtree"].items() if k != COMPUTED}
    return _live(org.path)


def _direct_tally(org_ids) -> dict[int, dict[str, int]]:
    """Counters of the members directly in these organisations, by organisation id."""
    counted = _tally_rows(
        Member.objects.filter(organization_id__in=list(org_ids)), F("organization_id")
    )
    return {i: dict(counted.get(i, {})) for i in org_ids}


def _add(into: dict, other: dict, sign: int = 1) -> None:
    for k, v in other.items():
        if k == COMPUTED:
            continue
        n = into.get(k, 0) + sign * v
        if n:
            into[k] = n
        else:
            into.pop(k, None)


def _stats_rows_for_update(paths: list[str]) -> dict[str, OrganizationStats]:
    """The stats rows of these organisations (created if missing), locked root first."""
    from dangvu.organizations.models import Organization

    orgs = dict(Organization.objects.filter(path__in=paths).values_list("path", "pk"))
    existing = set(
        OrganizationStats.objects.filter(organization_id__in=orgs.values()).values_list(
            "organization_id", flat=True
        )
    )
    missing = [OrganizationStats(organization_id=pk) for pk in orgs.values() if pk not in existing]
    if missing:
        OrganizationStats.objects.bulk_create(missing, ignore_conflicts=True)
    by_pk = {
        s.organization_id: s
        for s in OrganizationStats.objects.select_for_update(of=("self",))
        .filter(organization_id__in=orgs.values())
        .order_by("organization__path")
    }
    return {path: by_pk[pk] for path, pk in orgs.items() if pk in by_pk}


def start_counters(org) -> None:
    """A new organisation has no members: its counters are known (empty) from the start."""
    OrganizationStats.objects.update_or_create(
        organization_id=org.pk,
        defaults={"subtree": {COMPUTED: 1} if org.depth <= ROLLUP_DEPTH else {}},
    )


def _computed(counters) -> bool:
    return bool(counters) and bool(counters.get(COMPUTED))


def _live(path: str) -> dict:
    return dict(
        _tally_rows(Member.objects.filter(organization__path__startswith=path), None).get(None, {})
    )


def _children_sum(total: dict, path: str, depth: int, skip=frozenset()) -> None:
    """Add the counters of `path`'s children (stored, or counted live where never computed)."""
    from dangvu.organizations.models import Organization

    children = (
        Organization.objects.filter(path__startswith=path, depth=depth + 1)
        .exclude(path__in=list(skip))
        .values_list("path", "stats__subtree")
    )
    for child, sub in children:
        _add(total, sub if _computed(sub) else _live(child))


def _compute(path: str, depth: int, org_id: int) -> dict:
    """Fresh counters for one organisation at depth <= ROLLUP_DEPTH: live at ROLLUP_DEPTH,
    else its own members plus its children's counters (already up to date)."""
    if depth >= ROLLUP_DEPTH:
        return {**_live(path), COMPUTED: 1}
    total: dict = {COMPUTED: 1}
    _add(total, _direct_tally([org_id])[org_id])
    _children_sum(total, path, depth)
    return total


@transaction.atomic
def _refresh_subtree_counts(org_ids: list[int]) -> None:
    """Recount the deepest counted ancestor of each organisation; pass the difference up."""
    from dangvu.organizations.models import Organization

    step = _steplen()
    anchors: dict[str, int] = {}
    for path, depth in Organization.objects.filter(pk__in=org_ids).values_list("path", "depth"):
        d = min(depth, ROLLUP_DEPTH)
        anchors[path[: d * step]] = d
    if not anchors:
        return
    chain = sorted({a[: i * step] for a, d in anchors.items() for i in range(1, d + 1)})
    rows = _stats_rows_for_update(chain)

    # The anchors at the counted depth (an import touches hundreds): counted together, their
    # differences summed per ancestor, each ancestor written once.
    deep = sorted(a for a, d in anchors.items() if d == ROLLUP_DEPTH and a in rows)
    pending: dict[str, dict] = {}
    changed = []
    for start in range(0, len(deep), 200):
        group = deep[start : start + 200]
        live = _tally_rows(
            Member.objects.filter(prefix_q("organization__path", group)),
            _prefix(ROLLUP_DEPTH * step),
        )
        for anchor in group:
            row = rows[anchor]
            new = {**live.get(anchor, {}), COMPUTED: 1}
            delta: dict = {}
            _add(delta, new)
            _add(delta, row.subtree or {}, -1)
            if not delta and _computed(row.subtree):
                continue
            row.subtree = new
            changed.append(row)
            for i in range(1, len(anchor) // step):
                _add(pending.setdefault(anchor[: i * step], {}), delta)
    OrganizationStats.objects.bulk_update(changed, ["subtree"], batch_size=200)
    for path in sorted(pending, key=len, reverse=True):  # deepest first
        _apply(rows.get(path), path, pending[path])

    # Anchors above the counted depth (members directly in an upper organisation): rare.
    for anchor in sorted((a for a in anchors if a not in deep), key=lambda p: -len(p)):
        row = rows.get(anchor)
        if row is None:
            continue
        new = _compute(anchor, anchors[anchor], row.organization_id)
        delta = {}
        _add(delta, new)
        _add(delta, row.subtree or {}, -1)
        if not delta and _computed(row.subtree):
            continue
        row.subtree = new
        row.save(update_fields=["subtree"])
        for i in range(len(anchor) // step - 1, 0, -1):  # parent, …, root
            _apply(rows.get(anchor[: i * step]), anchor[: i * step], delta)


def _apply(row, path: str, delta: dict) -> None:
    """Add a difference to an ancestor's counters (or count it, if it never was)."""
    if row is None or not delta:
        return
    if _computed(row.subtree):
        merged = dict(row.subtree)
        _add(merged, delta)
    else:  # never counted: count it now (its children are up to date)
        merged = _compute(path, len(path) // _steplen(), row.organization_id)
    row.subtree = merged
    row.save(update_fields=["subtree"])


@transaction.atomic
def recompute_subtree_counts(
    chains: Iterable[str] | None = None, subtrees: Iterable[str] = ()
) -> int:
    """Recount subtree counters from the member table: all of them (no argument, after a bulk
    load), or those a structural change touched: the organisations at the `chains` paths and
    their ancestors, and for `subtrees` also their descendants down to ROLLUP_DEPTH (an
    organisation that moved). Returns the number of rows written."""
    from dangvu.organizations.models import Organization

    step = _steplen()
    orgs = Organization.objects.filter(depth__lte=ROLLUP_DEPTH)
    deeper = OrganizationStats.objects.filter(organization__depth__gt=ROLLUP_DEPTH)
    if chains is not None or subtrees:
        subtrees = sorted(set(subtrees))
        ends = set(chains or ()) | set(subtrees)
        chain = {
            p[: i * step] for p in ends for i in range(1, min(len(p) // step, ROLLUP_DEPTH) + 1)
        }
        under = prefix_q("path", subtrees) if subtrees else Q(pk__in=[])
        orgs = orgs.filter(under | Q(path__in=chain))
        deeper = deeper.filter(
            organization__in=Organization.objects.filter(under, depth__gt=ROLLUP_DEPTH)
        )
    targets = list(orgs.order_by("-depth", "path").values_list("pk", "path", "depth"))
    deeper.exclude(subtree={}).update(subtree={})
    if not targets:
        return 0
    rows = _stats_rows_for_update([p for _pk, p, _d in targets])
    bottom = [p for _pk, p, d in targets if d == ROLLUP_DEPTH]
    fresh: dict[str, dict] = {}
    if bottom:
        counted = _tally_rows(
            Member.objects.filter(organization__depth__gte=ROLLUP_DEPTH)
            if chains is None and not subtrees
            else Member.objects.filter(
                prefix_q("organization__path", bottom), organization__depth__gte=ROLLUP_DEPTH
            ),
            _prefix(ROLLUP_DEPTH * step),
            marginal=chains is None and not subtrees,
        )
        for p in bottom:
            fresh[p] = {**counted.get(p, {}), COMPUTED: 1}
    shallow = [(pk, p, d) for pk, p, d in targets if d < ROLLUP_DEPTH]
    direct = _direct_tally([pk for pk, _p, _d in shallow]) if shallow else {}
    for depth in range(ROLLUP_DEPTH - 1, 0, -1):
        for pk, p, d in shallow:
            if d != depth:
                continue
            total: dict = {COMPUTED: 1}
            _add(total, direct.get(pk, {}))
            children = [q for q in fresh if len(q) == len(p) + step and q.startswith(p)]
            for q in children:
                _add(total, fresh[q])
            _children_sum(total, p, depth, skip=set(children))
            fresh[p] = total
    changed = []
    for p, counters in fresh.items():
        row = rows.get(p)
        if row is not None and row.subtree != counters:
            row.subtree = counters
            changed.append(row)
    OrganizationStats.objects.bulk_update(changed, ["subtree"], batch_size=500)
    return len(changed)


def prefix_q(field: str, prefixes: list[str]) -> Q:
    q = Q()
    for p in prefixes:
        q |= Q(**{f"{field}__startswith": p})
    return q


def at_least_ages(org, tally: dict[str, int], today, ages: Iterable[int]) -> dict[int, int]:
    """{age: active members of the subtree at least that many full years old on `today`}.

    The counters are by month of birth; the members born in the month of each cut-off date are
    split on the exact date by one index range each (member_birth_status_idx): a few thousand
    index entries."""
    from dangvu.core.dates import add_years
    from dangvu.organizations.models import Organization

    cutoffs = {age: add_years(today, -age) for age in sorted(set(ages))}
    months = sorted((k[2:], n) for k, n in tally.items() if k.startswith("b|"))
    out = {}
    for age, c in cutoffs.items():
        m = _month(c)
        out[age] = sum(n for month, n in months if month < m)
    members = Member.objects.filter(status__in=ACTIVE_STATUSES)
    outside = Q(path__lt=org.path) | Q(path__gte=org._inc_path())  # two index ranges
    if org.depth == 1 and not Organization.objects.filter(outside).exists():
        # the only root: every member with an organisation (no join with 300,000 organisations)
        members = members.filter(organization__isnull=False)
    else:
        members = members.filter(organization__path__startswith=org.path)
    for age, c in cutoffs.items():
        # one range each: an index-only scan of member_birth_status_idx (an OR of the ranges
        # would be a bitmap scan reading every row's page)
        out[age] += members.filter(
            date_of_birth__gte=c.replace(day=1), date_of_birth__lte=c
        ).count()
    return out


def subtree_figures(org, today, bands) -> dict:
    """Active members of `org`'s whole subtree by status, gender and age band (`bands`:
    (code, lowest, highest or None) in full years on `today`), and members of any status admitted
    per month {"YYYY-MM": n}: from the counters, plus one small query for the age bands."""
    tally = subtree_tally(org)
    ages = {lo for _c, lo, _hi in bands} | {hi + 1 for _c, _lo, hi in bands if hi is not None}
    at_least = at_least_ages(org, tally, today, ages)
    return {
        "status": {s: tally.get(f"s|{s}", 0) for s in ACTIVE_STATUSES},
        "gender": {g: tally.get(f"g|{g}", 0) for g in Gender.values},
        "age": {
            code: at_least[lo] - (at_least[hi + 1] if hi is not None else 0)
            for code, lo, hi in bands
        },
        "admitted": {k[2:]: n for k, n in tally.items() if k.startswith("a|")},
    }
