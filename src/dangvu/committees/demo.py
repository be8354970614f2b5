"""Demo data of this app, loaded by `manage.py seed_demo` after the meetings.

Deterministic for a seed and the demo today (`plan.today`): terms 2020–2025 and 2025–2030 for the
root, the grassroots organisations and their sub-committees; cells on the 30-month cycle, their
terms started so that many congresses fall due in the coming months (some overdue, a few cells
with no term recorded); committees (party committee, standing committee and inspection
commission for grassroots committees; secretary and deputy, or a cell committee from the
threshold on, for cells) with seats held by official members of the organisation; some seats
left empty, some organisations without a secretary; planned congresses with their preparation
list about half done. Written in bulk (with their history rows).
"""

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from dangvu.core.audit import audit_context
from dangvu.core.dates import add_months
from dangvu.core.rulebook import rule
from dangvu.members.choices import MemberStatus
from dangvu.members.selectors import members_as_of

from .choices import BodyKind, CongressKind, CongressStatus, EndReason, Position, StartKind
from .models import (
    ChecklistTemplateItem,
    Committee,
    CommitteeSeat,
    CommitteeSeatQuota,
    Congress,
    CongressChecklistItem,
    Term,
)

BATCH = 2000


def _date(rng, year, m_from=6, m_to=10) -> dt.date:
    return dt.date(year, rng.randint(m_from, m_to), rng.randint(1, 28))


class _Writer:
    def __init__(self, plan):
        from dangvu.members.models import Member
        from dangvu.organizations.models import Organization

        self.rng = random.Random(f"committees-{plan.seed}")
        self.today = plan.today
        self.orgs = list(Organization.objects.filter(dissolved_on__isnull=True).order_by("path"))
        self.officials: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
        for pk, org_id, official_date in (
            Member.objects.filter(status=MemberStatus.OFFICIAL)
            .order_by("pk")
            .values_list("pk", "organization_id", "official_date")
        ):
            self.officials[org_id].append((pk, official_date or dt.date(1900, 1, 1)))
        self.by_path = {o.path: o for o in self.orgs}
        on = self.today
        self.threshold = int(rule("org.cell_committee_threshold", on).value)
        self.cell_max = int(rule("org.cell_committee_max", on).value)
        self.cell_months = int(rule("congress.cell_term_months", on).value)
        self.terms: list[Term] = []
        self.congresses: list[Congress] = []
        self.committees: list[tuple[Committee, dict, list]] = []  # committee, quotas, pool
        self.counts = defaultdict(int)

    def subtree_officials(self, org) -> list[tuple[int, dt.date]]:
        out = []
        for o in self.orgs:
            if o.path.startswith(org.path):
                out += self.officials.get(o.pk, [])
        return out

    # -- terms and congresses -------------------------------------------------------------------
    def plan_terms(self):
        rng, today = self.rng, self.today
        self.current: dict[int, Term] = {}
        self.pending_old: dict[int, Term] = {}
        for org in self.orgs:
            if org.org_type == "cell":
                if rng.random() < 0.05:
                    continue  # no term recorded
                # started 8–33 months ago: due (30 months) from 3 months ago to 22 months ahead,
                # about a third within the next six months
                start = add_months(today, -rng.randint(8, 33)) - dt.timedelta(rng.randint(0, 27))
                if start > today:
                    start = today - dt.timedelta(days=30)
                prev = add_months(start, -self.cell_months)
                old = Term(
                    organization=org,
                    name=f"{prev.year}–{start.year}",
                    start_date=prev,
                    end_date=start,
                )
                new = Term(
                    organization=org,
                    name=f"{start.year}–{add_months(start, self.cell_months).year}",
                    start_date=start,
                )
            else:
                old_start = _date(rng, 2020)
                start = _date(rng, 2025)
                if start > today:
                    start = today - dt.timedelta(days=10)
                old = Term(organization=org, name="2020–2025", start_date=old_start, end_date=start)
                new = Term(organization=org, name="2025–2030", start_date=start)
            if org.established_on and old.start_date < org.established_on:
                old = None
                if new.start_date < org.established_on:
                    new.start_date = org.established_on
            if old:
                self.terms.append(old)
            self.terms.append(new)
            self.current[org.pk] = new
            if old:
                self.pending_old[org.pk] = old

    def write_terms(self):
        bulk_create_with_history(self.terms, Term, batch_size=BATCH)
        self.counts["terms"] = len(self.terms)
        for t in self.terms:
            self.congresses.append(
                Congress(
                    organization_id=t.organization_id,
                    term=t,
                    term_name=t.name,
                    kind=CongressKind.DELEGATES
                    if t.organization.org_type == "grassroots_committee"
                    else CongressKind.MEMBERS,
                    planned_date=t.start_date,
                    held_date=t.start_date,
                    status=CongressStatus.HELD,
                    result_decision=f"{self.rng.randint(10, 399)}-QĐ/ĐUK",
                )
            )

    def plan_congresses(self):
        """Planned congresses for cells whose next congress is due within six months."""
        rng, today = self.rng, self.today
        horizon = add_months(today, 6)
        self.planned: list[Congress] = []
        for org in self.orgs:
            term = self.current.get(org.pk)
            if term is None or org.org_type != "cell":
                continue
            due = add_months(term.start_date, self.cell_months)
            if due > horizon or rng.random() < 0.3:
                continue
            planned = max(due, today + dt.timedelta(days=rng.randint(10, 120)))
            c = Congress(
                organization=org,
                term_name=f"{planned.year}–{add_months(planned, self.cell_months).year}",
                kind=CongressKind.MEMBERS,
                planned_date=planned,
                status=CongressStatus.PLANNED,
                approval_decision=f"{rng.randint(10, 399)}-CV/ĐU" if rng.random() < 0.5 else "",
            )
            self.planned.append(c)
        bulk_create_with_history(self.congresses + self.planned, Congress, batch_size=BATCH)
        self.counts["congresses"] = len(self.congresses)
        self.counts["planned"] = len(self.planned)
        template = list(
            ChecklistTemplateItem.objects.filter(is_active=True).order_by("order", "id")
        )
        items = []
        for c in self.planned:
            done_n = len(template) // 2 + rng.randint(-1, 1)
            for i, t in enumerate(template):
                done = i < done_n
                items.append(
                    CongressChecklistItem(
                        congress=c,
                        order=t.order,
                        title=t.title,
                        done=done,
                        done_on=today - dt.timedelta(days=rng.randint(1, 60)) if done else None,
                    )
                )
        bulk_create_with_history(items, CongressChecklistItem, batch_size=BATCH)
        self.counts["checklist"] = len(items)

    # -- committees and seats -------------------------------------------------------------------
    def quotas_for(self, org, n_official: int) -> list[tuple[str, dict]]:
        rng = self.rng
        if org.org_type in ("cell", "grassroots_cell"):
            if n_official < self.threshold:
                q = {Position.SECRETARY: 1}
                if n_official >= 5:
                    q[Position.DEPUTY_SECRETARY] = 1
                return [(BodyKind.PARTY_COMMITTEE, q)]
            members = min(self.cell_max - 2, max(1, n_official // 4))
            return [
                (
                    BodyKind.PARTY_COMMITTEE,
                    {Position.SECRETARY: 1, Position.DEPUTY_SECRETARY: 1, Position.MEMBER: members},
                )
            ]
        total = max(3, min(15, n_official // 8))
        deputies = 2 if total >= 9 else 1
        out = [
            (
                BodyKind.PARTY_COMMITTEE,
                {
                    Position.SECRETARY: 1,
                    Position.DEPUTY_SECRETARY: deputies,
                    Position.MEMBER: max(total - 1 - deputies, 0),
                },
            )
        ]
        if total >= 9:
            out.append(
                (
                    BodyKind.STANDING,
                    {
                        Position.SECRETARY: 1,
                        Position.DEPUTY_SECRETARY: deputies,
                        Position.STANDING: rng.randint(1, 2),
                    },
                )
            )
        out.append(
            (
                BodyKind.INSPECTION,
                {
                    Position.INSPECTION_CHAIR: 1,
                    Position.INSPECTION_DEPUTY: 1 if total >= 9 else 0,
                    Position.INSPECTION_MEMBER: rng.randint(1, 3),
                },
            )
        )
        return out

    def write_committees(self):
        committees, quota_rows = [], []
        plans = []
        for org in self.orgs:
            term = self.current.get(org.pk)
            if term is None:
                continue
            if org.org_type in ("cell", "grassroots_cell"):
                # the structure rule counts the cell's official members on the term's first day
                then = set(
                    members_as_of(org, term.start_date)
                    .filter(status_on=MemberStatus.OFFICIAL)
                    .values_list("pk", flat=True)
                )
                n_official = len(then)
                pool = [m for m in self.officials.get(org.pk, []) if m[0] in then]
            else:
                pool = self.subtree_officials(org)
                n_official = len(pool)
            if not pool:
                continue
            eligible = sum(1 for _pk, official in pool if official <= term.start_date)
            for body, q in self.quotas_for(org, n_official):
                # approve no more seats than there are people to hold them
                for p in (Position.MEMBER, Position.STANDING, Position.INSPECTION_MEMBER):
                    while p in q and q[p] and sum(q.values()) > eligible:
                        q[p] -= 1
                if not any(q.values()):
                    continue
                c = Committee(
                    organization=org,
                    term=term,
                    body=body,
                    formed_on=term.start_date,
                    decision_number=f"{self.rng.randint(10, 499)}-QĐ/ĐUK",
                )
                committees.append(c)
                plans.append((c, {p: n for p, n in q.items() if n}, pool))
        bulk_create_with_history(committees, Committee, batch_size=BATCH)
        for c, q, _pool in plans:
            for p, n in q.items():
                quota_rows.append(CommitteeSeatQuota(committee=c, position=p, approved=n))
        bulk_create_with_history(quota_rows, CommitteeSeatQuota, batch_size=BATCH)
        self.counts["committees"] = len(committees)
        self.write_seats(plans)

    def write_seats(self, plans):
        rng = self.rng
        seats = []
        secretary_of: dict[int, int] = {}  # org -> member holding the party committee secretary
        party_holders: dict[int, list] = defaultdict(list)
        for c, q, pool in plans:
            start = c.term.start_date
            eligible = [pk for pk, official in pool if official <= start]
            rng.shuffle(eligible)
            vacancy_roll = rng.random()
            others = [p for p in q if p != Position.SECRETARY]
            # leave seats empty: the secretary in ~6% of organisations, one other seat in ~12%
            left_empty = rng.choice(others) if others and vacancy_roll > 0.88 else None
            taken: set[int] = set()
            for position, n in q.items():
                for i in range(n):
                    if position == Position.SECRETARY and c.body == BodyKind.PARTY_COMMITTEE:
                        if vacancy_roll < 0.06:
                            continue
                    elif position == left_empty and i == n - 1:
                        continue
                    if c.body == BodyKind.STANDING and position in (
                        Position.SECRETARY,
                        Position.DEPUTY_SECRETARY,
                    ):
                        # the same people as in the party committee
                        same = [
                            m
                            for m, p in party_holders.get(c.organization_id, [])
                            if p == position and m not in taken
                        ]
                        member = same[0] if same else None
                    else:
                        member = next((m for m in eligible if m not in taken), None)
                    if member is None:
                        continue
                    taken.add(member)
                    if c.body == BodyKind.PARTY_COMMITTEE:
                        party_holders[c.organization_id].append((member, position))
                        if position == Position.SECRETARY:
                            secretary_of[c.organization_id] = member
                    appointed = rng.random() < 0.1
                    seats.append(
                        CommitteeSeat(
                            committee=c,
                            member_id=member,
                            position=position,
                            start_date=start
                            + (
                                dt.timedelta(days=rng.randint(30, 300))
                                if appointed
                                else dt.timedelta()
                            ),
                            start_kind=StartKind.APPOINTED if appointed else StartKind.ELECTED,
                            decision_number=f"{rng.randint(10, 499)}-QĐ/ĐU",
                        )
                    )
        # a few seats ended during the term (history of the page; the place stays empty)
        for s in seats:
            if s.start_date > self.today:
                s.start_date = self.today
            if s.position == Position.MEMBER and rng.random() < 0.04:
                end = s.start_date + dt.timedelta(days=rng.randint(60, 400))
                if end < self.today:
                    s.end_date = end
                    s.end_reason = rng.choice(
                        [EndReason.TRANSFERRED, EndReason.RESIGNED, EndReason.OTHER]
                    )
        bulk_create_with_history(seats, CommitteeSeat, batch_size=BATCH)
        self.counts["seats"] = len(seats)


def load(plan) -> str:
    """Write this app's demo rows for `plan` (core.demo.generator.Plan); return a report line."""
    with audit_context(actor=None, source="command"), transaction.atomic():
        w = _Writer(plan)
        w.plan_terms()
        w.write_terms()
        w.plan_congresses()
        w.write_committees()
    c = w.counts
    return (
        f"  {c['terms']} nhiệm kỳ, {c['congresses']} đại hội đã tổ chức, {c['planned']} đại hội "
        f"dự kiến ({c['checklist']} việc chuẩn bị), {c['committees']} cấp ủy, {c['seats']} cấp ủy viên"
    )
