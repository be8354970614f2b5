"""Demo badges, loaded by `manage.py seed_demo` after the meetings (and the discipline demo).

Deterministic for a seed and a demo today:
- every member on the roll who reached a tier by the last occasion has that tier awarded at the
  first occasion on or after the day it was reached (decisions a week or two before it), unless
  discipline deferred them then (awarded at the first occasion after the deferral instead);
- a seriously ill member with an open proposal to award the next tier early (within the rulebook's
  limit), in the demo grassroots committee when one fits;
- a warning decided a month ago on a member who would otherwise be due at the next occasion, so
  the due list shows a deferral with its reason;
- the members who reach a tier between the last and the next occasion stay due.
"""

import bisect
import datetime as dt
import random
from collections import defaultdict

from simple_history.utils import bulk_create_with_history

from dangvu.core.audit import audit_context
from dangvu.core.dates import add_months
from dangvu.core.rulebook import cached_rules
from dangvu.discipline.models import DisciplineCase
from dangvu.members.choices import ACTIVE_STATUSES
from dangvu.members.models import Member, MemberEvent
from dangvu.organizations.models import Organization

from . import services
from .models import BadgeAward
from .policy import (
    EVENT_KINDS,
    badge_rules,
    discipline_block,
    effective_start,
    next_occasion,
    occasions_in_year,
    previous_occasion,
    reach_dates,
)
from .selectors import due_for_occasion

HISTORY = {
    "default_change_reason": "Dữ liệu trình diễn (seed_demo)",
    "custom_historical_attrs": {"source": "command"},
}


def load(plan) -> str:
    """Write this app's demo rows for `plan` (core.demo.generator.Plan); return a report line."""
    from dangvu.core.demo.agencies import DEMO_COMMITTEE

    if BadgeAward.objects.exists():
        return ""
    rng = random.Random(f"badges-{plan.seed}")
    today = plan.today
    with cached_rules():
        rules = badge_rules(today)
    month_days = rules.month_days()
    upcoming = next_occasion(today, month_days)
    last = previous_occasion(upcoming, month_days)
    occasions = [d for y in range(1960, today.year + 2) for d in occasions_in_year(y, month_days)]
    decisions = {}

    def decision(occasion):
        if occasion not in decisions:
            decisions[occasion] = (
                f"{rng.randint(20, 480)}-QĐ/ĐUK",
                occasion - dt.timedelta(days=rng.randint(6, 20)),
            )
        return decisions[occasion]

    members = list(Member.objects.filter(status__in=ACTIVE_STATUSES).order_by("pk"))
    events = defaultdict(list)
    for e in MemberEvent.objects.filter(kind__in=EVENT_KINDS).order_by("member_id", "date", "id"):
        events[e.member_id].append(e)
    cases = defaultdict(list)
    for c in DisciplineCase.objects.order_by("decided_on", "id"):
        cases[c.member_id].append(c)
    rows = []
    for m in members:
        start = effective_start(m, events[m.pk], last)
        if start is None:
            continue
        for tier, reached in reach_dates(start, rules.tier_list).items():
            if reached > last:
                continue
            i = bisect.bisect_left(occasions, reached)
            while i < len(occasions) and occasions[i] <= last:
                block = discipline_block(cases[m.pk], events[m.pk], occasions[i], rules)
                if block is None:
                    break
                i += 1
            if i >= len(occasions) or occasions[i] > last:
                continue
            number, decided = decision(occasions[i])
            rows.append(
                BadgeAward(
                    member=m,
                    tier=tier,
                    occasion=occasions[i],
                    decision_number=number,
                    awarded_on=max(decided, reached - dt.timedelta(days=30)),
                )
            )
    with audit_context(actor=None, source="command"):
        bulk_create_with_history(rows, BadgeAward, batch_size=1000, **HISTORY)
        committee = Organization.objects.filter(code=DEMO_COMMITTEE).first()
        proposal = _proposal(rules, upcoming, members, events, committee, rng, today)
        warned = _warning(upcoming, committee, proposal, rng, today)
    due = due_for_occasion(Organization.objects.all(), upcoming)
    counts = "; ".join(f"{t} năm: {n}" for t, n in due.tier_counts())
    return (
        f"  {len(rows)} Huy hiệu Đảng đã trao ở các dịp trước; dịp {upcoming:%d/%m/%Y}: "
        f"{len(due.due)} đảng viên đến mốc ({counts}), {len(due.held)} hoãn/không xét"
        + (f", {warned.full_name} bị cảnh cáo nên hoãn xét" if warned else "")
        + (f", {proposal.member.full_name} đề nghị xét sớm" if proposal else "")
    )


def _proposal(rules, upcoming, members, events, committee, rng, today):
    """A seriously ill member whose next tier falls within the early-award limit."""
    fits = []
    for m in members:
        start = effective_start(m, events[m.pk], upcoming)
        if start is None:
            continue
        for tier, reached in reach_dates(start, rules.tier_list).items():
            limit = add_months(upcoming, int(rules.early_rule(tier)))
            if add_months(upcoming, 3) < reached <= limit:
                fits.append(m)
    if not fits:
        return None
    local = [m for m in fits if committee and m.organization.path.startswith(committee.path)]
    member = rng.choice(local or fits)
    return services.badge_proposal_create(
        actor=None,
        member=member,
        proposed_on=today - dt.timedelta(days=12),
        note="Bệnh hiểm nghèo, đang điều trị dài ngày tại Bệnh viện tỉnh; chi bộ đề nghị xét "
        "tặng Huy hiệu sớm.",
    )


def _warning(upcoming, committee, proposal, rng, today):
    """A warning a month ago on a member due at the next occasion: deferred there."""
    from dangvu.discipline.services import discipline_case_create

    due = due_for_occasion(Organization.objects.all(), upcoming).due
    due = [
        r for r in due if r.early_reason == "none" and (not proposal or r.member != proposal.member)
    ]
    if not due:
        return None
    local = [r for r in due if committee and r.member.organization.path.startswith(committee.path)]
    row = rng.choice(local or due)
    discipline_case_create(
        actor=None,
        member=row.member,
        form="warning",
        decided_on=today - dt.timedelta(days=35),
        decision_number=f"{rng.randint(10, 99)}-QĐ/UBKT",
        deciding_body="Ủy ban Kiểm tra Đảng ủy Khối",
        reason="Vi phạm quy định về kê khai tài sản, thu nhập.",
    )
    return row.member
