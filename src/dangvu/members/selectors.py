"""Reads about members: party age with gaps, status and membership as of a date."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import ngettext

from dangvu.core.dates import add_years, full_months_between

from .choices import ACTIVE_STATUSES, EventKind, TransferKind
from .models import Member, MemberEvent, Membership

_LEAVE = {EventKind.REMOVED, EventKind.EXPELLED}
_RETURN = {EventKind.READMITTED}


@dataclass(frozen=True)
class PartyAge:
    years: int
    months: int  # remaining months after the full years
    gap_days: int
    effective_start: dt.date | None  # admission date shifted by the gaps: tiers count from here

    def __str__(self):
        years = ngettext("%(n)d năm", "%(n)d năm", self.years) % {"n": self.years}
        if not self.months:
            return years
        months = ngettext("%(n)d tháng", "%(n)d tháng", self.months) % {"n": self.months}
        return f"{years} {months}"


def party_periods(events, admission_date: dt.date, on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Periods inside the Party up to `on`: from admission, cut by removal/expulsion, resumed by readmission.

    Death ends the membership too. Transfers are not gaps: the member stays a member elsewhere.
    """
    periods = []
    start = admission_date
    for ev in sorted(events, key=lambda e: (e.date, e.pk or 0)):
        if ev.date > on:
            break
        if ev.kind in _LEAVE or ev.kind == EventKind.DIED:
            if start is not None:
                periods.append((start, ev.date))
                start = None
        elif ev.kind in _RETURN and start is None:
            start = ev.date
    if start is not None and start <= on:
        periods.append((start, on))
    return periods


def party_age(member: Member, on: dt.date | None = None, events=None) -> PartyAge:
    """Tuổi đảng: from the admission decision date, minus periods outside the Party."""
    on = on or timezone.localdate()
    if member.admission_date is None or member.admission_date > on:
        return PartyAge(0, 0, 0, None)
    if events is None:
        events = list(member.events.filter(kind__in=[*_LEAVE, *_RETURN, EventKind.DIED]))
    periods = party_periods(events, member.admission_date, on)
    if not periods:
        return PartyAge(0, 0, 0, None)
    end = periods[-1][1]
    total_span = (end - member.admission_date).days
    inside = sum((b - a).days for a, b in periods)
    gap = total_span - inside
    effective_start = member.admission_date + dt.timedelta(days=gap)
    months = full_months_between(effective_start, end)
    return PartyAge(months // 12, months % 12, gap, effective_start)


def party_age_reached_on(member: Member, years: int, events=None) -> dt.date | None:
    """Date the member reaches `years` of party age (if no further gap occurs)."""
    age = party_age(member, events=events)
    if age.effective_start is None:
        return None
    return add_years(age.effective_start, years)


def status_as_of(member: Member, on: dt.date) -> str | None:
    ev = member.events.filter(date__lte=on).order_by("-date", "-id").first()
    return ev.status_after if ev else None


def annotate_status_as_of(qs, on: dt.date):
    latest = MemberEvent.objects.filter(member=OuterRef("pk"), date__lte=on).order_by(
        "-date", "-id"
    )
    return qs.annotate(status_on=Subquery(latest.values("status_after")[:1]))


def memberships_as_of(on: dt.date, organization_ids=None, kind: str | None = TransferKind.OFFICIAL):
    qs = Membership.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    if kind:
        qs = qs.filter(kind=kind)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    return qs


def members_as_of(
    organization, on: dt.date, *, subtree: bool = False, include_temporary: bool = False
):
    """Members who belonged to the organisation (or its subtree as it was then) on `on`.

    Returns a Member queryset annotated with `status_on`; only statuses on the roll are kept.
    """
    from dangvu.organizations.selectors import subtree_ids_as_of

    org_ids = subtree_ids_as_of(organization, on) if subtree else [organization.pk]
    kinds = (
        [TransferKind.OFFICIAL, TransferKind.TEMPORARY]
        if include_temporary
        else [TransferKind.OFFICIAL]
    )
    member_ids = (
        Membership.objects.filter(organization_id__in=org_ids, kind__in=kinds, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .values("member_id")
    )
    qs = annotate_status_as_of(Member.objects.filter(pk__in=member_ids), on)
    return qs.filter(status_on__in=ACTIVE_STATUSES)


def known_large(qs, user):
    """`qs`, the unfiltered members of `user`'s scope, told that it holds at least as many rows
    as the subtree counters show active members: a list's capped count (10,001 rows read, a
    quarter of an API list request nationally) is then not run when that is past the cap.
    Filtering `qs` afterwards drops the bound (`MemberQuerySet._narrowed`)."""
    from dangvu.core.scope import subtree_roots

    from .stats import subtree_active

    roots = subtree_roots(user, Member.scope_module)
    if not roots:
        return qs
    return qs.at_least(sum(subtree_active(roots).values()))
