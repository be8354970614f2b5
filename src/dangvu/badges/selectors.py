"""Who is due a badge at an occasion: `due_for_occasion(orgs, occasion)`.

Scale: the national database holds 5.6 million members. The candidates are found in SQL, from
the indexed admission date: for each tier T, members admitted between (previous occasion − T
years) and (occasion − T years), a few days wider on each side for month-end arithmetic (one
index range per tier); plus the few members found in small indexed tables: readmitted members
(their party age has a gap: their tiers come later than the admission date says), members with an
open early-award proposal, those whose discipline deferral ended since the previous occasion, and
members deceased since then. Only this small set is read, and the exact party age
(members.selectors.party_age, gaps excluded) is computed in Python. The number of queries does
not depend on the number of members: the rules (memoised), four small id reads, the members, their
events, awards, discipline decisions and proposals — one each.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from dangvu.core.dates import add_months, add_years
from dangvu.core.rulebook import cached_rules
from dangvu.discipline.choices import DisciplineForm
from dangvu.discipline.models import DisciplineCase
from dangvu.members.choices import ACTIVE_STATUSES, EventKind
from dangvu.members.models import Member, MemberEvent

from .choices import Outcome
from .models import BadgeAward, BadgeProposal
from .policy import EVENT_KINDS, Assessment, BadgeRules, assess, badge_rules, previous_occasion

SLACK = dt.timedelta(days=3)
# What the due list, its pages, documents and API read of a member (model instances are the
# main cost past the SQL: load no more than this).
MEMBER_FIELDS = (
    "id",
    "status",
    "full_name",
    "date_of_birth",
    "card_number",
    "admission_date",
    "official_date",
    "name_sort",
    "organization__id",
    "organization__code",
    "organization__name",
    "organization__path",
    "organization__depth",
)  # month-end arithmetic (29/02 + 30 years = 28/02)


@dataclass
class DueList:
    occasion: dt.date
    since: dt.date  # members who reached their tier after this date (the previous occasion)
    rules: BadgeRules
    due: list[Assessment] = field(default_factory=list)
    held: list[Assessment] = field(default_factory=list)  # deferred or excluded by discipline
    awarded: list[Assessment] = field(default_factory=list)  # already have that tier

    def by_tier(self) -> list[tuple[int, list[Assessment]]]:
        groups: dict[int, list[Assessment]] = defaultdict(list)
        for row in self.due:
            groups[row.tier].append(row)
        return sorted(groups.items())

    def tier_counts(self) -> list[tuple[int, int]]:
        return [(t, len(rows)) for t, rows in self.by_tier()]

    @property
    def deferred(self) -> list[Assessment]:
        return [r for r in self.held if r.outcome == Outcome.DEFERRED]

    @property
    def excluded(self) -> list[Assessment]:
        return [r for r in self.held if r.outcome == Outcome.EXCLUDED]


def window_q(rules: BadgeRules, occasion: dt.date, since: dt.date) -> Q:
    """Members admitted so that a tier falls in (since, occasion] (without gaps): one indexed
    range of `admission_date` per tier."""
    window = Q()
    for t in rules.tier_list:
        window |= Q(
            admission_date__gt=add_years(since, -t) - SLACK,
            admission_date__lte=add_years(occasion, -t) + SLACK,
        )
    return Q(status__in=ACTIVE_STATUSES) & window


def reconsidered_ids(rules: BadgeRules, occasion: dt.date, since: dt.date) -> set[int]:
    """The few members outside the admission window who may be due (see the module docstring):
    readmitted (their party age has a gap), with an open early-award proposal, whose discipline
    deferral ended (or decision was lifted) since `since`, deceased since `since`. Four small
    reads of indexed tables, whatever the size of the member table."""
    ids = set(
        MemberEvent.objects.filter(kind=EventKind.READMITTED).values_list("member_id", flat=True)
    )
    ids |= set(BadgeProposal.objects.open_on(occasion).values_list("member_id", flat=True))
    ended = Q(lifted_on__gt=since, lifted_on__lte=occasion)
    for form, r in (
        (DisciplineForm.WARNING, rules.defer_warning),
        (DisciplineForm.DISMISSAL, rules.defer_dismissal),
    ):
        ended |= Q(
            form=form,
            decided_on__gt=add_months(since, -int(r)),
            decided_on__lte=add_months(occasion, -int(r)),
        )
    ids |= set(DisciplineCase.objects.filter(ended).values_list("member_id", flat=True))
    ids |= set(
        MemberEvent.objects.filter(
            kind=EventKind.DIED, date__gt=since, date__lte=occasion
        ).values_list("member_id", flat=True)
    )
    return ids


def due_for_occasion(orgs, occasion: dt.date, *, since: dt.date | None = None) -> DueList:
    """The members of the organisations `orgs` (a queryset, already restricted to the user's
    scope) due a badge at `occasion`, with those deferred or excluded by discipline and those who
    already have the tier. `since` defaults to the previous occasion: a tier reached before it was
    due then (reconsidered members — deferral ended, early-award proposal — come back anyway)."""
    with cached_rules():
        rules = badge_rules(occasion)
    since = since or previous_occasion(occasion, rules.month_days())
    members_q = Member.objects.filter(organization__in=orgs).filter(
        window_q(rules, occasion, since)
        | Q(pk__in=sorted(reconsidered_ids(rules, occasion, since)))
    )
    members = list(
        members_q.select_related("organization").only(*MEMBER_FIELDS).order_by("name_sort", "id")
    )
    ids = members_q.values("pk")
    events: dict[int, list] = defaultdict(list)
    for e in MemberEvent.objects.filter(member__in=ids, kind__in=EVENT_KINDS).order_by(
        "member_id", "date", "id"
    ):
        events[e.member_id].append(e)
    awards: dict[int, list] = defaultdict(list)
    for a in BadgeAward.objects.filter(member__in=ids):
        awards[a.member_id].append(a)
    cases: dict[int, list] = defaultdict(list)
    for c in DisciplineCase.objects.filter(member__in=ids, decided_on__lte=occasion).order_by(
        "decided_on", "id"
    ):
        cases[c.member_id].append(c)
    proposals = {
        p.member_id: p
        for p in BadgeProposal.objects.open_on(occasion)
        .filter(member__in=ids)
        .order_by("proposed_on", "id")
    }
    out = DueList(occasion=occasion, since=since, rules=rules)
    for m in members:
        row = assess(
            m,
            occasion=occasion,
            rules=rules,
            events=events.get(m.pk, ()),
            awards=awards.get(m.pk, ()),
            cases=cases.get(m.pk, ()),
            proposal=proposals.get(m.pk),
            since=since,
        )
        if row is None:
            continue
        if row.outcome is None:
            out.due.append(row)
        elif row.outcome == Outcome.AWARDED:
            out.awarded.append(row)
        else:
            out.held.append(row)
    key = lambda r: (r.tier, r.member.organization.path, r.member.name_sort, r.member.pk)  # noqa: E731
    for rows in (out.due, out.held, out.awarded):
        rows.sort(key=key)
    return out


def hide_discipline_details(due: DueList, user) -> DueList:
    """Discipline decisions are the inspection module's data: a user who may not see a held
    member's decision (e.g. the propaganda department) reads only that the member is deferred
    or excluded for discipline, until when, and the rule — not the form, number or date of the
    decision. One query, whatever the number of rows."""
    from django.utils.translation import gettext as _

    held = [r for r in due.held if r.case is not None]
    if not held:
        return due
    visible = set(
        DisciplineCase.objects.restrict(user, "view")
        .filter(pk__in=[r.case.pk for r in held])
        .values_list("pk", flat=True)
    )
    for r in held:
        if r.case.pk in visible:
            continue
        r.case = None
        if r.outcome == Outcome.DEFERRED:
            r.reason = _("Đang trong thời hạn chưa xét do kỷ luật đảng; xét lại từ ngày %(d)s.") % {
                "d": r.until.strftime("%d/%m/%Y")
            }
        else:
            r.reason = _("Không xét do kỷ luật đảng.")
    return due
