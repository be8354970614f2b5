"""Reads of the admission module: the next step, deadlines, what blocks a candidate, progress.

Numbers come from the rulebook; working-day deadlines from `core.workdays` (weekends and the
administrator's holidays skipped).
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dangvu.core.dates import add_months, fmt, full_months_between
from dangvu.core.rulebook import RuleValue, rule
from dangvu.organizations.choices import GRASSROOTS_TYPES, OrgType
from dangvu.organizations.models import Organization

from .choices import (
    EDUCATION_RANK,
    RESOLUTION_KINDS,
    STEP_ORDER,
    CandidateStatus,
    IntroducerKind,
    StepKind,
)
from .models import AdmissionTarget, Candidate

# ---- the tree around a candidate ------------------------------------------------------------


def grassroots_of(org: Organization) -> Organization | None:
    """The grassroots organisation (committee or cell) at or above `org`."""
    if org.org_type in GRASSROOTS_TYPES:
        return org
    steplen = Organization.steplen
    prefixes = [org.path[:i] for i in range(steplen, len(org.path), steplen)]
    return (
        Organization.objects.filter(path__in=prefixes, org_type__in=GRASSROOTS_TYPES)
        .order_by("-depth")
        .first()
    )


def needs_committee_vote(candidate: Candidate) -> bool:
    """A cell under a grassroots committee: the committee votes too; a grassroots cell's
    resolution goes straight to the competent committee."""
    return candidate.organization.org_type != OrgType.GRASSROOTS_CELL


def steps_for(candidate: Candidate) -> list[str]:
    if needs_committee_vote(candidate):
        return list(STEP_ORDER)
    return [k for k in STEP_ORDER if k != StepKind.COMMITTEE_VOTE]


def next_step(candidate: Candidate) -> str | None:
    """The one step that may be recorded next, or None (closed, or official)."""
    if candidate.status == CandidateStatus.ADMITTED:
        return StepKind.RECOGNITION
    if candidate.status != CandidateStatus.ACTIVE:
        return None
    order = steps_for(candidate)
    if not candidate.current_step:
        return order[0]
    i = order.index(candidate.current_step)
    return order[i + 1] if i + 1 < len(order) else None


def reconsideration_allowed(candidate: Candidate, on: dt.date) -> bool:
    """The decision was not taken in time: the cell considers the candidate again."""
    due = decision_due(candidate)
    return (
        candidate.status == CandidateStatus.ACTIVE
        and candidate.current_step in (StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE)
        and due is not None
        and on > due
    )


# ---- counts of voters -----------------------------------------------------------------------


def official_member_count(org: Organization, on: dt.date) -> int:
    """Official members of the cell on `on` (probationary and exempt members are not counted:
    probationary members do not vote)."""
    from dangvu.members.choices import MemberStatus
    from dangvu.members.selectors import members_as_of

    return members_as_of(org, on).filter(status_on=MemberStatus.OFFICIAL).count()


def committee_size(org: Organization, on: dt.date) -> int | None:
    """Members of the organisation's committee on `on` (committees module), None when unknown
    (no committee recorded for the term running on that date)."""
    try:
        from dangvu.committees.selectors import committee_member_count
    except ImportError:  # a deployment without the committees module
        return None
    return committee_member_count(org, on)


def vote_passes(votes_for: int, total: int, fraction: Fraction) -> bool:
    """votes_for ≥ fraction × total, in exact arithmetic (6 of 9 is exactly 2/3)."""
    return total > 0 and votes_for * fraction.denominator >= fraction.numerator * total


def votes_needed(total: int, fraction: Fraction) -> int:
    return -((-fraction.numerator * total) // fraction.denominator)


# ---- deadlines ------------------------------------------------------------------------------


def decision_due(candidate: Candidate) -> dt.date | None:
    from dangvu.core.workdays import add_working_days

    if candidate.cell_vote_date is None:
        return None
    days = rule("admission.decision_working_days", on=candidate.cell_vote_date)
    return add_working_days(candidate.cell_vote_date, int(days))


def ceremony_due(candidate: Candidate) -> dt.date | None:
    from dangvu.core.workdays import add_working_days

    if candidate.decision_date is None:
        return None
    days = rule("admission.ceremony_working_days", on=candidate.decision_date)
    return add_working_days(candidate.decision_date, int(days))


def probation_end(ceremony: dt.date) -> dt.date:
    return add_months(ceremony, int(rule("admission.probation_months", on=ceremony)))


def recognition_due(candidate: Candidate) -> dt.date | None:
    from dangvu.core.workdays import add_working_days

    if candidate.probation_end is None:
        return None
    days = rule("admission.recognition_working_days", on=candidate.probation_end)
    return add_working_days(candidate.probation_end, int(days))


def next_due_for(candidate: Candidate) -> dt.date | None:
    """The deadline of the step that follows where the candidate stands (None: no deadline)."""
    if candidate.status == CandidateStatus.ADMITTED:
        return recognition_due(candidate)
    if candidate.status != CandidateStatus.ACTIVE:
        return None
    if candidate.current_step in (StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE):
        return decision_due(candidate)
    if candidate.current_step == StepKind.DECISION:
        return ceremony_due(candidate)
    return None


# ---- rules checked at the cell's consideration ----------------------------------------------


@dataclass(frozen=True)
class Blocker:
    field: str
    message: str


def age_blockers(candidate: Candidate, on: dt.date) -> list[Blocker]:
    months = full_months_between(candidate.date_of_birth, on)
    low = rule("admission.min_age_months", on=on)
    high = rule("admission.max_age_months", on=on)
    out = []
    if months < int(low):
        out.append(
            Blocker(
                "date_of_birth",
                _(
                    "Chưa đủ %(years)s tuổi (tính theo tháng) vào ngày chi bộ xét %(date)s: "
                    "mới %(y)s tuổi %(m)s tháng; đủ tuổi từ ngày %(ok)s. %(cite)s."
                )
                % {
                    "years": int(low) // 12,
                    "date": fmt(on),
                    "y": months // 12,
                    "m": months % 12,
                    "ok": fmt(add_months(candidate.date_of_birth, int(low))),
                    "cite": low.citation,
                },
            )
        )
    elif months > int(high):
        out.append(
            Blocker(
                "date_of_birth",
                _(
                    "Quá %(years)s tuổi (tính theo tháng) vào ngày chi bộ xét %(date)s: "
                    "%(y)s tuổi %(m)s tháng. %(note)s %(cite)s."
                )
                % {
                    "years": int(high) // 12,
                    "date": fmt(on),
                    "y": months // 12,
                    "m": months % 12,
                    "note": high.note or "",
                    "cite": high.citation,
                },
            )
        )
    return out


def education_blockers(candidate: Candidate, on: dt.date) -> list[Blocker]:
    from dangvu.core.forms import LEVEL_LABELS

    need = rule("admission.min_education", on=on)
    have = EDUCATION_RANK.get(candidate.general_education, 0)
    if have >= EDUCATION_RANK.get(str(need.value), 0):
        return []
    return [
        Blocker(
            "general_education",
            _("Trình độ học vấn chưa đạt: cần tốt nghiệp %(need)s trở lên. %(cite)s.")
            % {
                "need": str(LEVEL_LABELS.get(str(need.value), need.value)).lower(),
                "cite": need.citation,
            },
        )
    ]


def introducer_requirement(candidate: Candidate, on: dt.date) -> tuple[int, RuleValue, bool]:
    """(party members needed, the rule, whether a Youth Union/trade-union resolution counts)."""
    intros = list(candidate.introducers.all())
    has_resolution = any(i.kind in RESOLUTION_KINDS and i.resolution_number for i in intros)
    r = rule(
        "admission.introducers_with_youth_union"
        if has_resolution
        else "admission.introducers_default",
        on=on,
    )
    return int(r), r, has_resolution


def introducer_blockers(candidate: Candidate, on: dt.date) -> list[Blocker]:
    """Enough introducers: official members (on `on`) who have been with the candidate long enough."""
    from dangvu.members.choices import MemberStatus
    from dangvu.members.selectors import status_as_of

    need, r, has_resolution = introducer_requirement(candidate, on)
    months = rule("admission.introducer_min_months_together", on=on)
    ok = 0
    out = []
    for i in candidate.introducers.select_related("member"):
        if i.kind != IntroducerKind.PARTY_MEMBER or i.member is None:
            continue
        if status_as_of(i.member, on) != MemberStatus.OFFICIAL:
            out.append(
                Blocker(
                    "introducers",
                    _("%(name)s không phải đảng viên chính thức vào ngày %(date)s. %(cite)s.")
                    % {"name": i.member.full_name, "date": fmt(on), "cite": r.citation},
                )
            )
            continue
        if not i.is_replacement and (i.months_together or 0) < int(months):
            out.append(
                Blocker(
                    "introducers",
                    _(
                        "%(name)s mới cùng công tác, sinh sống với người vào Đảng %(n)s tháng "
                        "(cần ít nhất %(min)s tháng). %(cite)s."
                    )
                    % {
                        "name": i.member.full_name,
                        "n": i.months_together or 0,
                        "min": int(months),
                        "cite": months.citation,
                    },
                )
            )
            continue
        ok += 1
    if ok < need:
        text = (
            _(
                "Cần nghị quyết giới thiệu của Đoàn/Công đoàn và %(n)s đảng viên chính thức giới thiệu"
            )
            if has_resolution
            else _("Cần %(n)s đảng viên chính thức giới thiệu")
        )
        out.append(
            Blocker(
                "introducers",
                (text % {"n": need})
                + _(" (hiện có %(ok)s người đủ điều kiện). %(cite)s.")
                % {"ok": ok, "cite": r.citation},
            )
        )
        return out
    return []


def blockers(candidate: Candidate, on: dt.date) -> list[Blocker]:
    """What would refuse the candidate's next step if recorded on `on` (shown before the form)."""
    step = next_step(candidate)
    out: list[Blocker] = []
    if step == StepKind.INTRODUCERS:
        out += introducer_blockers(candidate, on)
    if step == StepKind.CELL_VOTE:
        out += age_blockers(candidate, on) + education_blockers(candidate, on)
        out += introducer_blockers(candidate, on)
    if step == StepKind.DECISION:
        due = decision_due(candidate)
        if due is not None and on > due:
            r = rule("admission.decision_working_days", on=candidate.cell_vote_date)
            out.append(
                Blocker(
                    "date",
                    _(
                        "Quá hạn quyết định kết nạp: cấp ủy có thẩm quyền phải quyết định trong "
                        "%(n)s ngày làm việc kể từ nghị quyết của chi bộ (%(vote)s), tức đến "
                        "%(due)s. Chi bộ cần xét lại. %(cite)s."
                    )
                    % {
                        "n": int(r),
                        "vote": fmt(candidate.cell_vote_date),
                        "due": fmt(due),
                        "cite": r.citation,
                    },
                )
            )
    return out


def is_overdue(candidate: Candidate, on: dt.date) -> bool:
    return candidate.next_due is not None and candidate.next_due < on


# ---- lists ----------------------------------------------------------------------------------


def overdue_q(on: dt.date) -> Q:
    return Q(
        status__in=[CandidateStatus.ACTIVE, CandidateStatus.ADMITTED],
        next_due__isnull=False,
        next_due__lt=on,
    )


def step_counts(candidates) -> dict[str, int]:
    """Open candidates by the step they have passed (one grouped query)."""
    rows = (
        candidates.filter(status=CandidateStatus.ACTIVE)
        .order_by()
        .values_list("current_step")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


# ---- targets and progress -------------------------------------------------------------------


def admitted_in_year(year: int):
    """Members admitted in `year` (the admission date is the date on the admission decision)."""
    from dangvu.members.models import Member

    return Member.objects.filter(
        admission_date__gte=dt.date(year, 1, 1), admission_date__lte=dt.date(year, 12, 31)
    )


@dataclass(frozen=True)
class Progress:
    target: int
    admitted: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.admitted / self.target) if self.target else None

    @property
    def bar(self) -> int:
        return min(self.percent or 0, 100)


def progress(scope_q: Q, year: int, roots: list[str] | None = None) -> Progress:
    """Sum of the targets and count of the members admitted in the year under `scope_q`
    (a Q on `organization__…`, e.g. a subtree or a user's scope): two aggregate queries.
    When the scope is whole subtrees (`roots`, their paths: core.scope.subtree_roots), the
    admissions come from their counters (members.stats) instead of counting members."""
    target = AdmissionTarget.objects.filter(scope_q, year=year).aggregate(
        n=Coalesce(Sum("number"), Value(0))
    )["n"]
    if roots is not None:
        from dangvu.members.stats import subtree_tally

        months = {f"a|{year:04d}-{m:02d}" for m in range(1, 13)}
        admitted = sum(
            n
            for org in Organization.objects.filter(path__in=roots)
            for key, n in subtree_tally(org).items()
            if key in months
        )
    else:
        admitted = admitted_in_year(year).filter(scope_q).count()
    return Progress(target, admitted)


def subtree_q(org: Organization) -> Q:
    return Q(organization__path__startswith=org.path)


def progress_rows(orgs, year: int):
    """`orgs` annotated with `target_sum` and `admitted_n` over each one's subtree: one query
    (correlated subqueries on the path prefix, no loop over organisations)."""
    from dangvu.members.models import Member

    targets = (
        AdmissionTarget.objects.filter(year=year, organization__path__startswith=OuterRef("path"))
        .order_by()
        .values(dummy=Value(1))
        .annotate(s=Sum("number"))
        .values("s")
    )
    admitted = (
        Member.objects.filter(
            admission_date__gte=dt.date(year, 1, 1),
            admission_date__lte=dt.date(year, 12, 31),
            organization__path__startswith=OuterRef("path"),
        )
        .order_by()
        .values(dummy=Value(1))
        .annotate(n=Count("pk"))
        .values("n")
    )
    own_target = AdmissionTarget.objects.filter(year=year, organization=OuterRef("pk")).values(
        "number"
    )[:1]
    return orgs.annotate(
        target_sum=Coalesce(Subquery(targets), Value(0)),
        admitted_n=Coalesce(Subquery(admitted), Value(0)),
        own_target=Subquery(own_target),
    )
