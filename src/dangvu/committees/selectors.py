"""Reads about committees, terms and congresses.

Lists over a subtree take `orgs`, an Organization queryset (typically `Organization.objects.
restrict(user, module="committees")` narrowed to a subtree), and answer with one SQL query each:
nothing loops over organisations in Python (a national database holds 300,000 of them).

- `committee_member_count(organization, on)`: members of the party committee on a date (the
  admission rule "committee vote ≥ 2/3 of committee members" divides by it);
- `vacancies(organization, on)`: approved − filled per committee and position;
- `committees_with_vacancies(orgs, on)`, `orgs_without_secretary(orgs, on)`: the lists to fill;
- `congresses_due(orgs, today, months)`: organisations whose next congress falls in the next
  `months` months (or is overdue), and those without any term recorded.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from dangvu.core.dates import add_months
from dangvu.core.rulebook import RuleValue, rule
from dangvu.organizations.choices import OrgType

from .choices import BODY_POSITIONS, BodyKind, CongressStatus, Position
from .models import Committee, CommitteeSeat, CommitteeSeatQuota, Congress, Term, in_force_q


# ---------------------------------------------------------------------------------------------
# One organisation
# ---------------------------------------------------------------------------------------------
def term_on(organization, on: dt.date) -> Term | None:
    """The term of `organization` running on `on` (the latest one started, not yet closed)."""
    return (
        Term.objects.filter(organization=organization)
        .filter(in_force_q(on))
        .order_by("-start_date", "-id")
        .first()
    )


def latest_term(organization) -> Term | None:
    return Term.objects.filter(organization=organization).order_by("-start_date", "-id").first()


def committee_on(organization, on: dt.date, body: str = BodyKind.PARTY_COMMITTEE):
    """The committee (`body`) of the term running on `on`, or None."""
    return (
        Committee.objects.filter(organization=organization, body=body)
        .filter(in_force_q(on, "term__start_date", "term__end_date"))
        .select_related("term")
        .order_by("-term__start_date", "-id")
        .first()
    )


def seats_on(committee, on: dt.date):
    """Seats of `committee` held on `on`."""
    return CommitteeSeat.objects.filter(committee=committee).filter(in_force_q(on))


def committee_member_count(organization, on: dt.date) -> int | None:
    """Members of the organisation's party (cell) committee holding a seat on `on`; None when no
    committee is recorded for the term running on that date."""
    committee = committee_on(organization, on)
    if committee is None:
        return None
    return seats_on(committee, on).values("member_id").distinct().count()


def official_members_on(organization, on: dt.date) -> int:
    """Official members of the organisation itself on `on` (from the member records: status and
    membership as of that date; probationary and exempt members are not counted)."""
    from dangvu.members.choices import MemberStatus
    from dangvu.members.selectors import members_as_of

    return members_as_of(organization, on).filter(status_on=MemberStatus.OFFICIAL).count()


@dataclass
class PositionRow:
    position: str
    label: str
    approved: int
    seats: list  # CommitteeSeat held on the date

    @property
    def filled(self) -> int:
        return len(self.seats)

    @property
    def vacant(self) -> int:
        return max(self.approved - self.filled, 0)

    @property
    def empty_slots(self) -> range:
        return range(self.vacant)


@dataclass
class CommitteeRow:
    committee: Committee
    positions: list[PositionRow]

    @property
    def approved(self) -> int:
        return sum(p.approved for p in self.positions)

    @property
    def filled(self) -> int:
        return sum(p.filled for p in self.positions)

    @property
    def vacant(self) -> int:
        return sum(p.vacant for p in self.positions)


def vacancies(organization, on: dt.date, term: Term | None = None) -> list[CommitteeRow]:
    """Each committee of the term running on `on` (or of `term`): per position, the approved
    number, the seats held on the date and the empty seats (approved − filled)."""
    term = term or term_on(organization, on)
    if term is None:
        return []
    committees = list(
        Committee.objects.filter(term=term).select_related("term").order_by("body", "id")
    )
    quotas: dict[int, dict[str, int]] = {}
    for q in CommitteeSeatQuota.objects.filter(committee__in=committees):
        quotas.setdefault(q.committee_id, {})[q.position] = q.approved
    seats: dict[tuple[int, str], list] = {}
    for s in (
        CommitteeSeat.objects.filter(committee__in=committees)
        .filter(in_force_q(on))
        .select_related("member")
        .order_by("member__name_sort", "id")
    ):
        seats.setdefault((s.committee_id, s.position), []).append(s)
    order = {b: i for i, b in enumerate(BodyKind.values)}
    committees.sort(key=lambda c: (order.get(c.body, 9), c.pk))
    out = []
    labels = dict(Position.choices)
    for c in committees:
        rows = []
        for pos in BODY_POSITIONS[BodyKind(c.body)]:
            approved = quotas.get(c.pk, {}).get(pos, 0)
            held = seats.get((c.pk, pos), [])
            if approved or held:
                rows.append(PositionRow(pos, labels[pos], approved, held))
        out.append(CommitteeRow(c, rows))
    return out


# ---------------------------------------------------------------------------------------------
# Subtrees (SQL only)
# ---------------------------------------------------------------------------------------------
def _approved_sq():
    return Subquery(
        CommitteeSeatQuota.objects.filter(committee=OuterRef("pk"))
        .order_by()
        .values("committee")
        .annotate(s=Sum("approved"))
        .values("s")[:1],
        output_field=IntegerField(),
    )


def _filled_sq(on: dt.date):
    return Subquery(
        CommitteeSeat.objects.filter(committee=OuterRef("pk"))
        .filter(in_force_q(on))
        .order_by()
        .values("committee")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def current_committees(orgs, on: dt.date):
    """Committees of the terms running on `on` in the organisations `orgs` (active ones)."""
    return Committee.objects.filter(organization__in=orgs.active(on).values("pk")).filter(
        in_force_q(on, "term__start_date", "term__end_date")
    )


def committees_with_vacancies(orgs, on: dt.date):
    """Committees running on `on` with fewer seats held than approved, annotated `approved`,
    `filled`, `vacant`; in tree order."""
    return (
        current_committees(orgs, on)
        .annotate(
            approved=Coalesce(_approved_sq(), Value(0)),
            filled=Coalesce(_filled_sq(on), Value(0)),
        )
        .filter(approved__gt=F("filled"))
        .select_related("organization", "term")
        .order_by("organization__path", "body", "id")
    )


def vacancy_total(orgs, on: dt.date) -> dict[str, int]:
    """{"committees": n, "seats": empty seats} over `orgs` on `on` (one query)."""
    qs = (
        committees_with_vacancies(orgs, on)
        .annotate(gap=ExpressionWrapper(F("approved") - F("filled"), output_field=IntegerField()))
        .order_by()
        .values("pk", "gap")
    )
    agg = qs.aggregate(committees=Count("pk"), seats=Sum("gap"))
    return {"committees": agg["committees"] or 0, "seats": agg["seats"] or 0}


def secretary_held_q(on: dt.date) -> Exists:
    """Exists: the organisation (OuterRef pk) has a secretary seat held on `on` in the party
    committee of its running term."""
    return Exists(
        CommitteeSeat.objects.filter(
            committee__organization=OuterRef("pk"),
            committee__body=BodyKind.PARTY_COMMITTEE,
            position=Position.SECRETARY,
        )
        .filter(in_force_q(on))
        .filter(in_force_q(on, "committee__term__start_date", "committee__term__end_date"))
    )


def orgs_without_secretary(orgs, on: dt.date):
    """Active organisations of `orgs` with no secretary on `on`, annotated `has_term` (a term
    running on that date is recorded); in tree order."""
    has_term = Exists(Term.objects.filter(organization=OuterRef("pk")).filter(in_force_q(on)))
    return (
        orgs.active(on)
        .annotate(has_secretary=secretary_held_q(on), has_term=has_term)
        .filter(has_secretary=False)
        .order_by("path")
    )


# ---------------------------------------------------------------------------------------------
# Congresses due
# ---------------------------------------------------------------------------------------------
def term_months_rule(org_type: str, on: dt.date) -> RuleValue:
    """Cells under a grassroots committee (type `cell`) follow the cell cycle; others five years."""
    key = (
        "congress.cell_term_months"
        if org_type == OrgType.CELL
        else "congress.grassroots_term_months"
    )
    return rule(key, on)


@dataclass(frozen=True)
class Due:
    date: dt.date  # the next congress is due (term start + term months)
    earliest: dt.date  # window: ± tolerance months
    latest: dt.date
    rules: tuple

    def status(self, today: dt.date) -> str:
        if today > self.latest:
            return "overdue"
        if today >= self.earliest:
            return "window"
        return "upcoming"

    @property
    def citation(self) -> str:
        seen: list[str] = []
        for r in self.rules:
            if r.citation not in seen:
                seen.append(r.citation)
        return "; ".join(seen)


def next_congress_due(org_type: str, term_start: dt.date, on: dt.date | None = None) -> Due:
    on = on or term_start
    months = term_months_rule(org_type, on)
    tol = rule("congress.tolerance_months", on)
    due = add_months(term_start, int(months.value))
    return Due(
        due, add_months(due, -int(tol.value)), add_months(due, int(tol.value)), (months, tol)
    )


def _latest_start_for(target: dt.date, months: int) -> dt.date:
    """The latest term start whose due date (start + months) is on or before `target`."""
    x = add_months(target, -months)
    while add_months(x + dt.timedelta(days=1), months) <= target:
        x += dt.timedelta(days=1)
    return x


def congresses_due(orgs, today: dt.date, months: int = 6):
    """Active organisations of `orgs` whose next congress is due by `today` + `months` months
    (overdue ones included), or that have no term recorded; annotated `last_term_start`,
    `last_term_name`, `planned_congress` (date of the next planned congress). Tree order."""
    horizon = add_months(today, months)
    cell_months = int(rule("congress.cell_term_months", today).value)
    other_months = int(rule("congress.grassroots_term_months", today).value)
    latest = Term.objects.filter(organization=OuterRef("pk")).order_by("-start_date", "-id")
    planned = Congress.objects.filter(
        organization=OuterRef("pk"), status=CongressStatus.PLANNED
    ).order_by("planned_date", "id")
    qs = orgs.active(today).annotate(
        last_term_start=Subquery(latest.values("start_date")[:1]),
        last_term_name=Subquery(latest.values("name")[:1]),
        planned_congress=Subquery(planned.values("planned_date")[:1]),
    )
    cell_cut = _latest_start_for(horizon, cell_months)
    other_cut = _latest_start_for(horizon, other_months)
    return qs.filter(
        Q(last_term_start__isnull=True)
        | Q(org_type=OrgType.CELL, last_term_start__lte=cell_cut)
        | (~Q(org_type=OrgType.CELL) & Q(last_term_start__lte=other_cut))
    ).order_by("path")


def describe_due(org, today: dt.date) -> Due | None:
    """The due date of a row of `congresses_due` (None: no term recorded)."""
    if org.last_term_start is None:
        return None
    return next_congress_due(org.org_type, org.last_term_start, today)
