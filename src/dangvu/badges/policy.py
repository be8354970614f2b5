"""The badge rules of the rulebook, the award occasions, and whether one member may be awarded.

Every number comes from the rulebook (keys `badge.*`), read on the occasion date:
- `badge.tiers_years`: the tiers (30, 40, 45 … 90 years of party age, gaps excluded);
- `badge.occasions`: the award occasions of a year (3/2, 19/5, 2/9, 7/11), as "MM-DD" (ISO
  month-day) or "D/M" (the Vietnamese way) items separated by commas;
- `badge.early_months_low_tiers` / `badge.early_months_high_tiers` / `badge.high_tiers_from_years`:
  how early a seriously ill member may be awarded (tiers below / from the high-tier threshold);
- `badge.early_months_posthumous`: how far before the tier a deceased member may be awarded;
- `badge.defer_months_warning` / `badge.defer_months_dismissal`: a member disciplined with a
  warning (dismissal) is not considered until that many months after the decision. Expulsion:
  not considered (unless readmitted after it); a reprimand does not defer.

`assess()` decides for one member and one occasion from data already loaded (events, awards,
discipline decisions, early-award proposals), so the due list (`selectors.due_for_occasion`)
decides for thousands of members without a query each, and the award service checks a single
award with the very same code.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from dangvu.core.dates import add_months, add_years, fmt, full_months_between
from dangvu.core.rulebook import RuleValue, rule
from dangvu.discipline.choices import DisciplineForm
from dangvu.members.choices import ACTIVE_STATUSES, EventKind, MemberStatus
from dangvu.members.selectors import party_age

from .choices import EarlyReason, Outcome

# Member events that matter here: gaps in party age (members.selectors.party_periods), death,
# and readmission after an expulsion.
EVENT_KINDS = (EventKind.REMOVED, EventKind.EXPELLED, EventKind.READMITTED, EventKind.DIED)


# --------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class BadgeRules:
    on: dt.date
    tiers: RuleValue
    occasions: RuleValue
    early_low: RuleValue
    early_high: RuleValue
    high_from: RuleValue
    posthumous: RuleValue
    defer_warning: RuleValue
    defer_dismissal: RuleValue

    @cached_property
    def tier_list(self) -> list[int]:
        return sorted(self.tiers.value)

    def early_rule(self, tier: int) -> RuleValue:
        """The rule of how early a seriously ill member may get `tier`."""
        return self.early_high if tier >= int(self.high_from) else self.early_low

    def month_days(self) -> list[tuple[int, int]]:
        return parse_occasions(self.occasions.raw)


def badge_rules(on: dt.date) -> BadgeRules:
    """The badge rules in force on `on` (eight reads; wrap in `cached_rules()` for a batch)."""
    return BadgeRules(
        on=on,
        tiers=rule("badge.tiers_years", on=on),
        occasions=rule("badge.occasions", on=on),
        early_low=rule("badge.early_months_low_tiers", on=on),
        early_high=rule("badge.early_months_high_tiers", on=on),
        high_from=rule("badge.high_tiers_from_years", on=on),
        posthumous=rule("badge.early_months_posthumous", on=on),
        defer_warning=rule("badge.defer_months_warning", on=on),
        defer_dismissal=rule("badge.defer_months_dismissal", on=on),
    )


# ----------------------------------------------------------------------------------- occasions
def parse_occasions(raw: str) -> list[tuple[int, int]]:
    """[(month, day)] of "MM-DD" items (ISO order) or "D/M" items (Vietnamese order)."""
    out = []
    for part in (raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        if "/" in part:
            day, month = (int(x) for x in part.split("/", 1))
        else:
            month, day = (int(x) for x in part.split("-", 1))
        dt.date(2024, month, day)  # ValueError on a day that never exists
        out.append((month, day))
    return sorted(set(out))


def occasions_in_year(year: int, month_days: list[tuple[int, int]]) -> list[dt.date]:
    return [dt.date(year, m, d) for m, d in month_days]


def next_occasion(today: dt.date, month_days: list[tuple[int, int]] | None = None) -> dt.date:
    """The first occasion on or after `today`."""
    month_days = month_days or badge_rules(today).month_days()
    for year in (today.year, today.year + 1):
        for d in occasions_in_year(year, month_days):
            if d >= today:
                return d
    raise ValueError("no occasion")  # pragma: no cover - month_days is never empty


def previous_occasion(occasion: dt.date, month_days: list[tuple[int, int]]) -> dt.date:
    """The last occasion strictly before `occasion` (an anniversary date works too)."""
    for year in (occasion.year, occasion.year - 1):
        for d in reversed(occasions_in_year(year, month_days)):
            if d < occasion:
                return d
    raise ValueError("no occasion")  # pragma: no cover


def occasions_around(today: dt.date, month_days, before: int = 4, after: int = 4) -> list[dt.date]:
    """`before` occasions before today and `after` from today on, in date order."""
    dates = [
        d for y in range(today.year - 2, today.year + 3) for d in occasions_in_year(y, month_days)
    ]
    past = [d for d in dates if d < today][-before:]
    future = [d for d in dates if d >= today][:after]
    return past + future


# ----------------------------------------------------------------------------- one member
@dataclass
class Assessment:
    """The answer for one member at one occasion.

    outcome None: due (`tier`, `early_reason`); otherwise deferred, excluded or already awarded,
    with a sentence (`reason`) and the rule it rests on (`citation`)."""

    member: object
    tier: int
    reached_on: dt.date
    early_reason: str = EarlyReason.NONE
    months_early: int = 0
    age_years: int = 0
    age_months: int = 0
    died_on: dt.date | None = None
    carried_over: bool = False  # reached before the previous occasion (deferred, proposed …)
    outcome: str | None = None
    reason: str = ""
    citation: str = ""
    until: dt.date | None = None  # deferred: reconsidered from this date
    case: object | None = None
    award: object | None = None
    proposal: object | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_due(self) -> bool:
        return self.outcome is None

    @property
    def pick_value(self) -> str:
        """How the due page names this row in its form: "member:tier:early_reason"."""
        return f"{self.member.pk}:{self.tier}:{self.early_reason}"

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label) if self.outcome else ""

    @property
    def early_reason_label(self) -> str:
        return str(EarlyReason(self.early_reason).label)

    @property
    def party_age_label(self) -> str:
        if not self.age_months:
            return _("%(y)d năm") % {"y": self.age_years}
        return _("%(y)d năm %(m)d tháng") % {"y": self.age_years, "m": self.age_months}


def death_date(events) -> dt.date | None:
    dates = [e.date for e in events if e.kind == EventKind.DIED]
    return max(dates) if dates else None


def effective_start(member, events, on: dt.date) -> dt.date | None:
    """Admission date shifted by the gaps (removal/expulsion → readmission) up to `on`: the
    party age of the members app (members.selectors.party_age), from which tiers count."""
    if not events:  # no gap, no death: the admission date itself (most members, fast)
        adm = member.admission_date
        return adm if adm is not None and adm <= on else None
    return party_age(member, on=on, events=events).effective_start


def years_later(d: dt.date, years: int) -> dt.date:
    """`core.dates.add_years` (29/02 + n years = 28/02 when that year has none), faster: the due
    list computes it for every tier of thousands of members."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def reach_dates(start: dt.date, tiers: list[int]) -> dict[int, dt.date]:
    return {t: years_later(start, t) for t in tiers}


def discipline_block(cases, events, occasion: dt.date, rules: BadgeRules):
    """(outcome, reason, citation, until, case) when discipline keeps the member off the list of
    `occasion`, else None. Cases lifted by the occasion do not count; a reprimand never defers."""
    readmissions = [e.date for e in events if e.kind == EventKind.READMITTED]
    deferred = None
    for case in cases:
        if not case.in_force_on(occasion):
            continue
        if case.form == DisciplineForm.EXPULSION:
            if any(d > case.decided_on for d in readmissions):
                continue
            r = rules.defer_dismissal
            reason = _(
                "Bị kỷ luật khai trừ (quyết định số %(n)s ngày %(d)s): không xét tặng Huy hiệu."
            ) % {"n": case.decision_number, "d": fmt(case.decided_on)}
            return (Outcome.EXCLUDED, reason, r.citation, None, case)
        if case.form == DisciplineForm.WARNING:
            r = rules.defer_warning
        elif case.form == DisciplineForm.DISMISSAL:
            r = rules.defer_dismissal
        else:
            continue
        until = add_months(case.decided_on, int(r))
        if occasion < until and (deferred is None or until > deferred[3]):
            reason = _(
                "Bị kỷ luật %(form)s (quyết định số %(n)s ngày %(d)s): chưa xét, xét lại sau "
                "%(months)s tháng, từ ngày %(until)s."
            ) % {
                "form": case.get_form_display().lower(),
                "n": case.decision_number,
                "d": fmt(case.decided_on),
                "months": int(r),
                "until": fmt(until),
            }
            deferred = (Outcome.DEFERRED, reason, r.citation, until, case)
    return deferred


def deferral_ended_between(cases, start: dt.date, end: dt.date, rules: BadgeRules) -> bool:
    """True when a deferral ended (or its decision was lifted) in (start, end]: the member is
    reconsidered at `end` even for a tier reached before `start`."""
    for case in cases:
        if case.lifted_on and start < case.lifted_on <= end:
            return True
        r = {
            DisciplineForm.WARNING: rules.defer_warning,
            DisciplineForm.DISMISSAL: rules.defer_dismissal,
        }.get(case.form)
        if r is not None and start < add_months(case.decided_on, int(r)) <= end:
            return True
    return False


def assess(
    member,
    *,
    occasion: dt.date,
    rules: BadgeRules,
    events,
    awards,
    cases,
    proposal=None,
    since: dt.date | None = None,
) -> Assessment | None:
    """Whether `member` is due a badge at `occasion`, and which tier; None when no tier is at stake.

    - A living member (on the roll) who reached a tier by the occasion: due for the highest tier
      reached, when reached after `since` (the previous occasion; None = any time), or at any
      time when the member is reconsidered (a deferral ended since then, or an early-award
      proposal is open).
    - Serious illness (an open proposal): the next tier, at most `early_rule(tier)` months before
      it is reached.
    - A deceased member who died after `since` and by the occasion: posthumously, the tier reached
      by the death, or the next one when the death came at most `badge.early_months_posthumous`
      months before it.
    - Then: already awarded that tier → outcome awarded; discipline → deferred or excluded.
    """
    events = list(events)
    died = death_date(events)
    deceased = member.status == MemberStatus.DECEASED and died is not None
    if not deceased and member.status not in ACTIVE_STATUSES:
        return None
    if deceased and (died > occasion or (since is not None and died <= since)):
        return None
    ref = died if deceased else occasion
    start = effective_start(member, events, ref)
    if start is None:
        return None
    tiers = rules.tier_list
    reach = reach_dates(start, tiers)
    reached = [t for t in tiers if reach[t] <= ref]
    upcoming = [t for t in tiers if reach[t] > ref]
    awarded = {a.tier: a for a in awards}
    months = full_months_between(start, ref)

    def make(t, early_reason, **kw):
        return Assessment(
            member=member,
            tier=t,
            reached_on=reach[t],
            early_reason=early_reason,
            age_years=months // 12,
            age_months=months % 12,
            died_on=died if deceased else None,
            proposal=proposal,
            **kw,
        )

    top = reached[-1] if reached else None
    in_window = top is not None and (since is None or reach[top] > since)
    reconsider = proposal is not None or (
        since is not None and deferral_ended_between(cases, since, occasion, rules)
    )
    regular_reason = EarlyReason.POSTHUMOUS if deceased else EarlyReason.NONE
    result = None
    if top is not None and top not in awarded and (in_window or reconsider):
        result = make(top, regular_reason, carried_over=not in_window)
    if result is None and upcoming and (deceased or proposal is not None):
        nxt = upcoming[0]
        limit = rules.posthumous if deceased else rules.early_rule(nxt)
        if reach[nxt] <= add_months(ref, int(limit)):
            result = make(
                nxt,
                EarlyReason.POSTHUMOUS if deceased else EarlyReason.SERIOUS_ILLNESS,
                months_early=_months_before(ref, reach[nxt]),
                citation=limit.citation,
            )
    if result is None and in_window and top in awarded:
        result = make(top, regular_reason)
    if result is None:
        return None
    award = awarded.get(result.tier)
    if award is not None:
        result.outcome = Outcome.AWARDED
        result.award = award
        result.reason = _("Đã được tặng Huy hiệu %(t)s năm tuổi đảng (quyết định số %(n)s).") % {
            "t": result.tier,
            "n": award.decision_number,
        }
        return result
    block = discipline_block(cases, events, occasion, rules)
    if block is not None:
        result.outcome, result.reason, result.citation, result.until, result.case = block
    return result


def award_errors(
    member,
    *,
    tier,
    occasion: dt.date,
    early_reason: str,
    rules: BadgeRules,
    events,
    awards,
    cases,
) -> dict[str, list[str]]:
    """Why `member` may not be awarded `tier` at `occasion` (empty: may be). Keyed by field."""
    errors: dict[str, list[str]] = {}
    events = list(events)
    tiers = rules.tier_list
    if tier not in tiers:
        errors["tier"] = [
            _("Mốc %(t)s năm không phải là mốc Huy hiệu Đảng (%(list)s). %(cite)s.")
            % {"t": tier, "list": ", ".join(str(t) for t in tiers), "cite": rules.tiers.citation}
        ]
    if early_reason not in EarlyReason.values:
        errors["early_reason"] = [_("Trường hợp xét tặng không hợp lệ.")]
    if errors:
        return errors
    died = death_date(events)
    deceased = member.status == MemberStatus.DECEASED and died is not None
    if early_reason == EarlyReason.POSTHUMOUS:
        if not deceased or died > occasion:
            errors["early_reason"] = [
                _("Chỉ truy tặng cho đảng viên đã từ trần trước dịp trao %(d)s.")
                % {"d": fmt(occasion)}
            ]
            return errors
        ref = died
    else:
        if deceased and died < occasion:
            errors["early_reason"] = [
                _("Đồng chí đã từ trần ngày %(d)s: chọn trường hợp truy tặng.") % {"d": fmt(died)}
            ]
            return errors
        if not deceased and member.status not in ACTIVE_STATUSES:
            errors["member"] = [
                _("Đảng viên không còn sinh hoạt đảng (trạng thái: %(s)s).")
                % {"s": member.get_status_display()}
            ]
            return errors
        ref = occasion
    start = effective_start(member, events, ref)
    if start is None:
        errors["member"] = [_("Đến ngày %(d)s đồng chí chưa vào Đảng.") % {"d": fmt(ref)}]
        return errors
    reach = add_years(start, tier)
    age = full_months_between(start, ref)
    age_text = _("%(y)d năm %(m)d tháng") % {"y": age // 12, "m": age % 12}
    if early_reason == EarlyReason.NONE and reach > occasion:
        errors["tier"] = [
            _(
                "Đến dịp trao %(d)s đồng chí có %(age)s tuổi đảng (không kể thời gian ra khỏi "
                "Đảng), chưa đủ %(t)s năm: đủ vào ngày %(r)s. %(cite)s."
            )
            % {
                "d": fmt(occasion),
                "age": age_text,
                "t": tier,
                "r": fmt(reach),
                "cite": rules.tiers.citation,
            }
        ]
    elif early_reason == EarlyReason.SERIOUS_ILLNESS:
        limit = rules.early_rule(tier)
        if reach <= occasion:
            errors["early_reason"] = [
                _("Đồng chí đã đủ %(t)s năm tuổi đảng ngày %(r)s: không phải trường hợp xét sớm.")
                % {"t": tier, "r": fmt(reach)}
            ]
        elif reach > add_months(occasion, int(limit)):
            errors["tier"] = [
                _(
                    "Xét sớm do bệnh nặng mốc %(t)s năm: tối đa %(n)s tháng trước khi đủ tuổi "
                    "đảng; đồng chí đủ vào ngày %(r)s, còn hơn %(n)s tháng sau dịp trao %(d)s. "
                    "%(cite)s."
                )
                % {
                    "t": tier,
                    "n": int(limit),
                    "r": fmt(reach),
                    "d": fmt(occasion),
                    "cite": limit.citation,
                }
            ]
    elif early_reason == EarlyReason.POSTHUMOUS:
        limit = rules.posthumous
        if reach > add_months(died, int(limit)):
            errors["tier"] = [
                _(
                    "Truy tặng mốc %(t)s năm: tối đa %(n)s tháng trước khi đủ tuổi đảng; đồng chí "
                    "từ trần ngày %(died)s, lẽ ra đủ vào ngày %(r)s. %(cite)s."
                )
                % {
                    "t": tier,
                    "n": int(limit),
                    "died": fmt(died),
                    "r": fmt(reach),
                    "cite": limit.citation,
                }
            ]
    previous = next((a for a in awards if a.tier == tier), None)
    if previous is not None:
        errors.setdefault("tier", []).append(
            _("Đồng chí đã được tặng Huy hiệu %(t)s năm (quyết định số %(n)s, dịp %(d)s).")
            % {"t": tier, "n": previous.decision_number, "d": fmt(previous.occasion)}
        )
    block = discipline_block(cases, events, occasion, rules)
    if block is not None:
        errors.setdefault("member", []).append(f"{block[1]} {block[2]}.")
    return errors


def _months_before(ref: dt.date, later: dt.date) -> int:
    """Months (rounded up) from `ref` to `later`: how early an award is."""
    months = full_months_between(ref, later)
    return months + (1 if add_months(ref, months) < later else 0)
