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
from bisect import bisect_left
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from dangvu.core.dates import add_months, add_years
from dangvu.core.rulebook import cached_rules
from dangvu.discipline.choices import DisciplineForm
from dangvu.discipline.models import DisciplineCase
from dangvu.members.choices import ACTIVE_STATUSES, EventKind
from dangvu.members.models import Member, MemberEvent

from .choices import Outcome
from .models import BadgeAward, BadgeProposal
from .policy import (
    EVENT_KINDS,
    Assessment,
    BadgeRules,
    assess,
    badge_rules,
    previous_occasion,
    years_later,
)

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
    return assess_members(members_q, occasion=occasion, since=since, rules=rules)


def assess_members(members_q, *, occasion: dt.date, since: dt.date, rules: BadgeRules) -> DueList:
    """`policy.assess` for each member of `members_q` (a Member queryset), from one read of the
    members and one each of their events, awards, discipline decisions and open proposals."""
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
    for rows in (out.due, out.held, out.awarded):
        rows.sort(key=row_key)
    return out


def row_key(r: Assessment) -> tuple:
    """The order of every list of an occasion: tier, organisation (tree order), name."""
    return (r.tier, r.member.organization.path, r.member.name_sort, r.member.pk)


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


# ----------------------------------------------------------------------------- at scale
# Nationally about 100,000 members reach a tier at an occasion. Nearly all of them are plain: on
# the roll and not reconsidered (`reconsidered_ids`: no readmission, open proposal, deferral
# ended or death since `since`). A plain member has no gap in party age: the status changes only
# through member events, and the only way back to the roll after a removal or an expulsion is a
# readmission (a death is final). For them `policy.assess` reduces to the admission date: the
# highest tier reached by the occasion, due when reached after `since`, "awarded" when that tier
# was awarded, held when a discipline decision in force blocks it. That is one range of
# `admission_date` per tier (`tier_bands`) and two indexed EXISTS, counted in SQL; the
# reconsidered (a few hundred) go through `assess_members`. The figures equal the due list's
# (tests/badges/test_counts.py).

ONE_DAY = dt.timedelta(days=1)


@contextmanager
def without_jit():
    """PostgreSQL compiles to machine code (JIT) a plan estimated above `jit_above_cost`: the
    window queries over tens of thousands of members qualify, and the compiling took 0.4 s, ten
    times the query itself. Off for the block, as it was after it."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
            before = c.fetchone()[0]
        yield
        with connection.cursor() as c:
            c.execute("SELECT set_config('jit', %s, true)", [before])


def last_start_reaching(on: dt.date, years: int) -> dt.date:
    """The latest party-age start whose `years` anniversary (`policy.years_later`, 29/02 → 28/02)
    falls on or before `on`: a start on or before it has reached `years` by `on`."""
    d = add_years(on, -years)
    while years_later(d + ONE_DAY, years) <= on:
        d += ONE_DAY
    while years_later(d, years) > on:
        d -= ONE_DAY
    return d


def last_decision_ended(on: dt.date, months: int) -> dt.date:
    """The latest decision date whose deferral of `months` (`core.dates.add_months`, as
    `policy.discipline_block`) is over on `on`: decided after it, the member is still deferred."""
    d = add_months(on, -months)
    while add_months(d + ONE_DAY, months) <= on:
        d += ONE_DAY
    while add_months(d, months) > on:
        d -= ONE_DAY
    return d


def tier_bands(
    rules: BadgeRules, occasion: dt.date, since: dt.date
) -> list[tuple[int, dt.date, dt.date]]:
    """[(tier, after, until)]: a member without gaps admitted in (after, until] has `tier` as the
    highest tier reached by `occasion`, reached after `since` (policy.assess: `top`,
    `in_window`). Disjoint; one index range of `admission_date` each."""
    tiers = rules.tier_list
    out = []
    for i, t in enumerate(tiers):
        until = last_start_reaching(occasion, t)
        after = last_start_reaching(since, t)
        if i + 1 < len(tiers):  # reached the next tier too: that one is the highest
            after = max(after, last_start_reaching(occasion, tiers[i + 1]))
        if after < until:
            out.append((t, after, until))
    return out


def blocking_cases(rules: BadgeRules, occasion: dt.date):
    """Discipline decisions that keep a member without readmission off the list of `occasion`
    (policy.discipline_block): in force on it, and an expulsion, or a warning / dismissal whose
    deferral (`badge.defer_months_*`) is not over. A reprimand never defers."""
    return (
        DisciplineCase.objects.filter(decided_on__lte=occasion)
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=occasion))
        .filter(
            Q(form=DisciplineForm.EXPULSION)
            | Q(
                form=DisciplineForm.WARNING,
                decided_on__gt=last_decision_ended(occasion, int(rules.defer_warning)),
            )
            | Q(
                form=DisciplineForm.DISMISSAL,
                decided_on__gt=last_decision_ended(occasion, int(rules.defer_dismissal)),
            )
        )
    )


@dataclass
class DueCounts:
    """The figures of the due list of an occasion, without the list: due by tier, held (deferred
    or excluded by discipline), already awarded. `special` is the part assessed one by one."""

    occasion: dt.date
    since: dt.date
    rules: BadgeRules
    due: dict[int, int]
    held: int
    awarded: int
    special: DueList
    plain: "PlainMembers"
    picked: tuple | None = None  # (start, stop, groups): the last `page_groups`

    def page_groups(self, start: int = 0, stop: int = 0) -> list["Group"]:
        """`PlainMembers.groups` for due rows [start, stop) (plain rows numbering), the held and
        the first `AWARDED_SHOWN` awarded; the last answer is kept for `due_page_list`."""
        if self.picked is None or self.picked[:2] != (start, stop):
            with without_jit():
                groups = self.plain.groups(start, stop, AWARDED_SHOWN)
            self.picked = (start, stop, groups)
        return self.picked[2]

    def tier_counts(self) -> list[tuple[int, int]]:
        return sorted((t, n) for t, n in self.due.items() if n)

    @property
    def total(self) -> int:
        return sum(self.due.values())


class Group(NamedTuple):
    """Plain members of one organisation in one band with one outcome (`PlainMembers`), and how
    many rows of that outcome come before them in list order (tier, organisation path)."""

    tier: int
    path: str
    organization_id: int
    awarded: bool
    held: bool
    n: int
    before: int


@dataclass
class PlainMembers:
    """The plain members of the window (see above). `qs`: annotated with `tier` (the band's),
    `awarded` (that tier) and `held` (`blocking_cases`). `tally()`: their number by tier and
    outcome, read band by band, each band one range of an index on the admission date (an
    index-only scan where the index also holds status and organisation)."""

    base: object  # in scope, on the roll, not reconsidered
    bands: list
    held: Exists

    def _annotate(self, qs, tier):
        qs = qs.annotate(tier=tier)
        award = BadgeAward.objects.filter(
            member=OuterRef("pk"), tier=tier if isinstance(tier, Value) else OuterRef("tier")
        )
        return qs.annotate(awarded=Exists(award), held=self.held)

    @cached_property
    def qs(self):
        tier = Case(
            *[
                When(admission_date__gt=a, admission_date__lte=b, then=Value(t))
                for t, a, b in self.bands
            ],
            default=None,
            output_field=IntegerField(),
        )
        window = Q(pk__in=[])
        for _t, a, b in self.bands:
            window |= Q(admission_date__gt=a, admission_date__lte=b)
        return self._annotate(self.base.filter(window), tier)

    def outcome(self, *, awarded: bool, held: bool = False):
        qs = self.qs.filter(awarded=awarded)
        return qs if awarded else qs.filter(held=held)

    def _per_band(self, *fields: str):
        return [
            self._annotate(
                self.base.filter(admission_date__gt=a, admission_date__lte=b),
                Value(t, output_field=IntegerField()),
            )
            .values("tier", *fields, "awarded", "held")
            .annotate(n=Count("pk"))
            .order_by()
            for t, a, b in self.bands
        ]

    def tally(self) -> list[dict]:
        """[{tier, awarded, held, n}]: one query (UNION ALL of the bands)."""
        parts = self._per_band()
        return list(parts[0].union(*parts[1:], all=True)) if parts else []

    def groups(self, start: int, stop: int, first_awarded: int) -> list[Group]:
        """The organisations (with their running totals) whose plain members are due rows
        [start, stop), held, or among the first `first_awarded` awarded rows, in list order.
        One query: the tally per organisation (index-only where the admission index holds
        status and organisation), a running total per outcome in SQL; only those few return."""
        from dangvu.organizations.models import Organization

        parts = self._per_band("organization_id")
        if not parts:
            return []
        try:
            sql, params = parts[0].union(*parts[1:], all=True).query.sql_with_params()
        except EmptyResultSet:  # nothing in scope (`orgs` empty): no groups
            return []
        qn = connection.ops.quote_name
        collate = 'COLLATE "C"' if connection.vendor == "postgresql" else "COLLATE BINARY"
        with connection.cursor() as cur:
            cur.execute(
                "SELECT tier, path, organization_id, awarded, held, n, before FROM ("
                "SELECT g.*, SUM(g.n) OVER (PARTITION BY g.awarded, g.held "
                f"ORDER BY g.tier, g.path {collate}) - g.n AS before FROM ("
                "SELECT c.tier, o.path, c.organization_id, c.awarded, c.held, c.n "
                f"FROM ({sql}) c INNER JOIN {qn(Organization._meta.db_table)} o "
                "ON o.id = c.organization_id) g) r "
                "WHERE (NOT awarded AND NOT held AND before < %s AND before + n > %s) "
                "OR (held AND NOT awarded) OR (awarded AND before < %s)",
                [*params, stop, start, first_awarded],
            )
            rows = cur.fetchall()
        return sorted(
            Group(t, p, org, bool(aw), bool(h), n, int(b)) for t, p, org, aw, h, n, b in rows
        )

    def rows_of(self, groups: list[Group]) -> list[tuple[tuple, Group]]:
        """The members of `groups` (a few organisations) as (row_key, group), in list order."""
        if not groups:
            return []
        wanted = {(g.tier, g.organization_id, g.awarded, g.held): g for g in groups}
        found = []
        for pk, tier, org, path, name, awarded, held in self.qs.filter(
            organization_id__in=sorted({g.organization_id for g in groups})
        ).values_list(
            "pk", "tier", "organization_id", "organization__path", "name_sort", "awarded", "held"
        ):
            g = wanted.get((tier, org, bool(awarded), bool(held)))
            if g is not None:
                found.append(((tier, path, name, pk), g))
        return sorted(found, key=lambda x: x[0])


def in_scope(qs, orgs):
    """Members of `qs` in the organisations `orgs`; None = the whole tree (no filter to join)."""
    return qs if orgs is None else qs.filter(organization__in=orgs)


def whole_tree_or(user, orgs):
    """None when `user`'s badge scope is the whole tree (the counts need no organisation filter:
    nationally the filter alone reads the 300,000 organisations), else `orgs`."""
    from dangvu.core.scope import subtree_roots
    from dangvu.organizations.models import Organization

    roots = subtree_roots(user, "badges")
    if roots is None:
        return orgs
    everything = Organization.objects.filter(depth=1).values_list("path", flat=True)
    return None if set(everything) <= set(roots) else orgs


def plain_members(orgs, rules: BadgeRules, occasion: dt.date, since: dt.date, reconsidered):
    return PlainMembers(
        base=in_scope(Member.objects.all(), orgs)
        .filter(status__in=ACTIVE_STATUSES)
        .exclude(pk__in=reconsidered),
        bands=tier_bands(rules, occasion, since),
        held=Exists(blocking_cases(rules, occasion).filter(member=OuterRef("pk"))),
    )


def due_counts(orgs, occasion: dt.date, *, since: dt.date | None = None) -> DueCounts:
    """The figures of `due_for_occasion(orgs, occasion, since=since)` (due by tier, held,
    awarded) without building the list: one grouped count over the plain members, and
    `assess_members` for the reconsidered ones. A fixed number of queries, whatever the scope.
    `orgs` None: the whole tree (`whole_tree_or`)."""
    with without_jit():
        with cached_rules():
            rules = badge_rules(occasion)
        since = since or previous_occasion(occasion, rules.month_days())
        reconsidered = sorted(reconsidered_ids(rules, occasion, since))
        plain = plain_members(orgs, rules, occasion, since, reconsidered)
        due: dict[int, int] = defaultdict(int)
        held = awarded = 0
        for row in plain.tally():
            if row["awarded"]:
                awarded += row["n"]
            elif row["held"]:
                held += row["n"]
            else:
                due[row["tier"]] += row["n"]
        special = assess_members(
            in_scope(Member.objects.filter(pk__in=reconsidered), orgs),
            occasion=occasion,
            since=since,
            rules=rules,
        )
    for row in special.due:
        due[row.tier] += 1
    return DueCounts(
        occasion=occasion,
        since=since,
        rules=rules,
        due=dict(due),
        held=held + len(special.held),
        awarded=awarded + len(special.awarded),
        special=special,
        plain=plain,
    )


def _slice(plain: PlainMembers, groups: list[Group], start: int, stop: int):
    """Rows [start, stop) of one outcome as (pk, row_key), from `groups` (`PlainMembers.groups`,
    that outcome): only the members of those organisations are read."""
    picked = [g for g in groups if g.before < stop and g.before + g.n > start]
    out, rank = [], defaultdict(int)
    for key, g in plain.rows_of(picked):
        i = g.before + rank[g]
        rank[g] += 1
        if start <= i < stop:
            out.append((key[3], key))
    return out


class DueRows:
    """The due rows of an occasion in list order (`row_key`), for a Paginator: the length from
    the counts, a slice reads only its rows. The plain rows are merged with the special ones
    (`DueCounts.special`, S rows): rows [o, o+n) of the merged list are among plain rows
    [o − S, o + n), read from the few organisations that hold them (`_slice`); the page then
    assesses the rows it shows (`assess_members`)."""

    def __init__(self, counts: DueCounts):
        self.counts = counts

    def __len__(self) -> int:
        return self.counts.total

    def count(self) -> int:
        return len(self)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("DueRows takes slices")
        start, stop, _step = index.indices(len(self))
        if stop <= start:
            return []
        c = self.counts
        special = c.special.due
        keys = [row_key(r) for r in special]
        lo = max(0, start - len(special))
        due = [g for g in c.page_groups(lo, stop) if not g.awarded and not g.held]
        plain = _slice(c.plain, due, lo, stop)
        plain_keys = [k for _pk, k in plain]
        shown_plain = []
        for j, (pk, key) in enumerate(plain):
            if start <= lo + j + bisect_left(keys, key) < stop:
                shown_plain.append(pk)
        shown = [
            r
            for k, r in enumerate(special)
            if start <= k + lo + bisect_left(plain_keys, keys[k]) < stop
        ]
        if shown_plain:
            rows = assess_members(
                Member.objects.filter(pk__in=shown_plain),
                occasion=c.occasion,
                since=c.since,
                rules=c.rules,
            )
            shown += rows.due
        return sorted(shown, key=row_key)


AWARDED_SHOWN = 200


def due_page_list(counts: DueCounts, rows: list[Assessment]) -> DueList:
    """A DueList for one page of the due list: its due `rows`, every held row (few: discipline),
    the first `AWARDED_SHOWN` awarded rows (`counts.awarded` says how many there are)."""
    c = counts
    groups = c.page_groups(*c.picked[:2]) if c.picked else c.page_groups()
    held = [g for g in groups if g.held and not g.awarded]
    awarded = [g for g in groups if g.awarded]
    extra = [pk for pk, _key in _slice(c.plain, held, 0, sum(g.n for g in held))]
    first_awarded = [pk for pk, _key in _slice(c.plain, awarded, 0, AWARDED_SHOWN)]
    out = DueList(occasion=c.occasion, since=c.since, rules=c.rules, due=list(rows))
    out.held = list(c.special.held)
    out.awarded = list(c.special.awarded)
    if extra or first_awarded:
        more = assess_members(
            Member.objects.filter(pk__in=extra + first_awarded),
            occasion=c.occasion,
            since=c.since,
            rules=c.rules,
        )
        out.held += more.held
        out.awarded += more.awarded
    out.held.sort(key=row_key)
    out.awarded = sorted(out.awarded, key=row_key)[:AWARDED_SHOWN]
    return out
