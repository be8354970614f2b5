"""Per-organisation member counts (OrganizationStats), kept current by the member writes.

Every service that changes a member calls `refresh()` for the organisations it touched, in the
same transaction, so the counts are exact; bulk writers refresh the set they touched once;
`refresh_all()` (command `refresh_stats`) rebuilds everything, e.g. after a raw data load.
Readers: `direct_counts`, `subtree_counts`, `totals`.
"""

from collections.abc import Iterable

from django.db.models import Count, Q, Sum

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
    """Recount the members of these organisations (one grouped query per 2,000) and store it."""
    ids = sorted({i for i in org_ids if i})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
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


def refresh_all() -> int:
    from dangvu.organizations.models import Organization

    ids = list(Organization.objects.order_by().values_list("pk", flat=True))
    refresh(ids)
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


def subtree_active(paths: Iterable[str], steplen: int) -> dict[str, int]:
    """{path: active members of the whole subtree under that path}, from the stats rows."""
    from django.db.models.functions import Substr

    out: dict[str, int] = {}
    by_len: dict[int, list[str]] = {}
    for p in paths:
        by_len.setdefault(len(p), []).append(p)
    for length, group in by_len.items():
        rows = (
            OrganizationStats.objects.annotate(prefix=Substr("organization__path", 1, length))
            .filter(prefix__in=group)
            .order_by()
            .values("prefix")
            .annotate(n=Sum("active"))
        )
        for r in rows:
            out[r["prefix"]] = r["n"] or 0
        for p in group:
            out.setdefault(p, 0)
    return out
