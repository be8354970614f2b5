"""Writes of the badges module: record awards (one, or several under one decision), propose an
early award for a seriously ill member, withdraw a proposal. Keyword-only, atomic, audited.

The checks are `policy.award_errors` (the same rules the due list applies): the tier is one of
`badge.tiers_years`; reached by the occasion (party age, gaps excluded), or early within
`badge.early_months_*` for serious illness, or posthumously within
`badge.early_months_posthumous`; not awarded before; no discipline deferral at the occasion
(`badge.defer_months_*`; expulsion excludes). Scope is the callers' business (`restrict()`).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.dates import fmt
from dangvu.core.rulebook import cached_rules
from dangvu.discipline.models import DisciplineCase
from dangvu.members.choices import ACTIVE_STATUSES
from dangvu.members.models import Member, MemberEvent

from .choices import EarlyReason
from .models import BadgeAward, BadgeProposal
from .policy import EVENT_KINDS, award_errors, badge_rules


def _today() -> dt.date:
    return timezone.localdate()


def _check_common(errors, *, occasion, decision_number, awarded_on, member=None):
    if occasion is None:
        errors["occasion"] = [_("Chưa chọn dịp trao Huy hiệu.")]
    if not (decision_number or "").strip():
        errors["decision_number"] = [_("Chưa nhập số quyết định tặng Huy hiệu.")]
    if awarded_on is None:
        errors["awarded_on"] = [_("Chưa nhập ngày quyết định.")]
    elif awarded_on > _today():
        errors["awarded_on"] = [
            _("Ngày quyết định không được ở tương lai (%(d)s).") % {"d": fmt(awarded_on)}
        ]
    elif member is not None and awarded_on < member.admission_date:
        errors["awarded_on"] = [
            _("Ngày quyết định trước ngày vào Đảng %(d)s.") % {"d": fmt(member.admission_date)}
        ]


def _award_one(*, member, tier, occasion, decision_number, awarded_on, early_reason, note):
    """Checks and writes one award (inside the caller's transaction and audit context)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, list[str]] = {}
    _check_common(
        errors,
        occasion=occasion,
        decision_number=decision_number,
        awarded_on=awarded_on,
        member=member,
    )
    try:
        tier = int(tier)
    except (TypeError, ValueError):
        errors["tier"] = [_("Mốc Huy hiệu phải là số năm tuổi đảng.")]
    if occasion is not None and "tier" not in errors:
        with cached_rules():
            rules = badge_rules(occasion)
        found = award_errors(
            member,
            tier=tier,
            occasion=occasion,
            early_reason=early_reason,
            rules=rules,
            events=MemberEvent.objects.filter(member=member, kind__in=EVENT_KINDS).order_by(
                "date", "id"
            ),
            awards=list(BadgeAward.objects.filter(member=member)),
            cases=list(
                DisciplineCase.objects.filter(member=member, decided_on__lte=occasion).order_by(
                    "decided_on", "id"
                )
            ),
        )
        for key, messages in found.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    award = BadgeAward(
        member=member,
        tier=tier,
        occasion=occasion,
        decision_number=decision_number.strip(),
        awarded_on=awarded_on,
        early_reason=early_reason,
        note=(note or "").strip(),
    )
    award.full_clean()
    award.save()
    # The proposal to award early has been used (or is moot once the tier is awarded).
    for p in BadgeProposal.objects.open_on(awarded_on).filter(member=member):
        p.closed_on = awarded_on
        p.close_note = _("Đã tặng Huy hiệu %(t)s năm.") % {"t": tier}
        p.save(update_fields=["closed_on", "close_note"])
    return award


@transaction.atomic
def badge_award_create(
    *,
    actor,
    member: Member,
    tier: int,
    occasion: dt.date,
    decision_number: str,
    awarded_on: dt.date,
    early_reason: str = EarlyReason.NONE,
    note: str = "",
) -> BadgeAward:
    """Record that `member` was awarded the badge of `tier` years at `occasion`."""
    with audit_context(actor=actor):
        return _award_one(
            member=member,
            tier=tier,
            occasion=occasion,
            decision_number=decision_number,
            awarded_on=awarded_on,
            early_reason=early_reason,
            note=note,
        )


@transaction.atomic
def badge_awards_record(
    *,
    actor,
    picks: list[tuple[Member, int, str]],
    occasion: dt.date,
    decision_number: str,
    awarded_on: dt.date,
    note: str = "",
) -> list[BadgeAward]:
    """Several awards under one decision: `picks` = [(member, tier, early_reason)]. All or
    nothing: any refusal names its member (key "members") and nothing is written."""
    with audit_context(actor=actor):
        errors: dict[str, list[str]] = {}
        _check_common(
            errors, occasion=occasion, decision_number=decision_number, awarded_on=awarded_on
        )
        if not picks:
            errors["members"] = [_("Chưa chọn đảng viên nào.")]
        if errors:
            raise ValidationError(errors)
        awards, problems = [], []
        for member, tier, early_reason in picks:
            try:
                with transaction.atomic():
                    awards.append(
                        _award_one(
                            member=member,
                            tier=tier,
                            occasion=occasion,
                            decision_number=decision_number,
                            awarded_on=awarded_on,
                            early_reason=early_reason,
                            note=note,
                        )
                    )
            except ValidationError as exc:
                problems.append(f"{member.full_name}: {' '.join(exc.messages)}")
        if problems:
            raise ValidationError({"members": problems})
        return awards


@transaction.atomic
def badge_proposal_create(*, actor, member: Member, proposed_on: dt.date, note: str):
    """Propose to award a seriously ill member early (the due list then considers the next tier
    up to `badge.early_months_*` months before it is reached)."""
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        errors: dict[str, list[str]] = {}
        if member.status not in ACTIVE_STATUSES:
            errors["member"] = [
                _("Đảng viên không còn sinh hoạt đảng (trạng thái: %(s)s).")
                % {"s": member.get_status_display()}
            ]
        elif BadgeProposal.objects.open_on(_today()).filter(member=member).exists():
            errors["member"] = [_("Đảng viên này đã có đề nghị xét tặng sớm đang mở.")]
        if proposed_on is None:
            errors["proposed_on"] = [_("Chưa nhập ngày đề nghị.")]
        elif proposed_on > _today():
            errors["proposed_on"] = [
                _("Ngày đề nghị không được ở tương lai (%(d)s).") % {"d": fmt(proposed_on)}
            ]
        if not (note or "").strip():
            errors["note"] = [_("Chưa nhập tình trạng bệnh, căn cứ đề nghị.")]
        if errors:
            raise ValidationError(errors)
        proposal = BadgeProposal(member=member, proposed_on=proposed_on, note=note.strip())
        proposal.full_clean()
        proposal.save()
        return proposal


@transaction.atomic
def badge_proposal_withdraw(*, actor, proposal: BadgeProposal, date: dt.date, note: str = ""):
    with audit_context(actor=actor):
        proposal = BadgeProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.closed_on is not None:
            raise ValidationError({"date": [_("Đề nghị này đã kết thúc.")]})
        if date is None:
            raise ValidationError({"date": [_("Chưa nhập ngày.")]})
        if date < proposal.proposed_on or date > _today():
            raise ValidationError(
                {
                    "date": [
                        _("Ngày rút đề nghị phải từ %(a)s đến hôm nay.")
                        % {"a": fmt(proposal.proposed_on)}
                    ]
                }
            )
        proposal.closed_on = date
        proposal.close_note = (note or "").strip() or _("Rút đề nghị.")
        proposal.save(update_fields=["closed_on", "close_note"])
        return proposal
