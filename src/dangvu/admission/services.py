"""Writes of the admission module. Every step is a service that checks the rule and, when it
refuses, says why with the rule's source (`rule(key, on).citation`).

Keyword-only, atomic (nothing half-written), audited through `audit_context(actor=…)`:
- candidate_create / candidate_update / candidate_close;
- introducer_add;
- the steps, in order: record_awareness, record_application, record_introducers,
  record_background_check, record_cell_vote, record_committee_vote, record_decision,
  record_ceremony (creates the probationary member through members.services), record_recognition
  (recognised official through members.services, or a failed vote counted; after the rulebook's
  number of failures the case goes up: status escalated); `step_record(kind=…)` dispatches;
- target_set (yearly admission target of an organisation).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.dates import fmt
from dangvu.core.rulebook import rule
from dangvu.core.scope import CHANGE, can
from dangvu.members.choices import MemberStatus
from dangvu.members.validators import validate_citizen_id
from dangvu.organizations.choices import CELL_TYPES

from . import selectors as S
from .choices import (
    CLOSE_STATUSES,
    CandidateStatus,
    IntroducerKind,
    StepKind,
)
from .models import AdmissionStep, AdmissionTarget, Candidate, Introducer

# Profile fields (the member record's names) a form or the API may set.
PROFILE_FIELDS = [
    "full_name",
    "other_names",
    "gender",
    "date_of_birth",
    "birth_place",
    "hometown",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "email",
    "address",
    "general_education",
    "professional_degree",
    "professional_field",
    "political_theory",
    "state_management",
    "foreign_language",
    "occupation",
    "position",
    "workplace",
    "note",
]
# Copied to the member record at the ceremony.
MEMBER_FIELDS = [f for f in PROFILE_FIELDS if f != "note"]


def _today() -> dt.date:
    return timezone.localdate()


def _lock(candidate: Candidate) -> Candidate:
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("organization", "member")
        .get(pk=candidate.pk)
    )


# ==================================================================================== candidates


def _validate_profile(data: dict, *, instance: Candidate | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.get("full_name") or "").strip():
        errors["full_name"] = [_("Chưa nhập họ và tên.")]
    dob = data.get("date_of_birth")
    if dob is None:
        errors["date_of_birth"] = [_("Chưa nhập ngày sinh.")]
    elif dob > _today():
        errors["date_of_birth"] = [_("Ngày sinh không được ở tương lai.")]
    citizen_id = (data.get("citizen_id") or "").strip()
    if citizen_id:
        try:
            validate_citizen_id(citizen_id, date_of_birth=dob, gender=data.get("gender"))
        except ValidationError as exc:
            errors.setdefault("citizen_id", []).extend(exc.messages)
        from dangvu.members.models import Member

        if Member.objects.filter(citizen_id=citizen_id).exists():
            errors.setdefault("citizen_id", []).append(
                _("Số CCCD %(v)s đã có trong hồ sơ một đảng viên.") % {"v": citizen_id}
            )
        clash = Candidate.objects.filter(
            citizen_id=citizen_id, status__in=[CandidateStatus.ACTIVE, CandidateStatus.ADMITTED]
        )
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.setdefault("citizen_id", []).append(
                _("Số CCCD %(v)s đã có trong hồ sơ một quần chúng đang được xét kết nạp.")
                % {"v": citizen_id}
            )
    if errors:
        raise ValidationError(errors)


def _check_cell(organization) -> None:
    if organization is None:
        raise ValidationError({"organization": _("Chưa chọn chi bộ.")})
    if organization.org_type not in CELL_TYPES:
        raise ValidationError(
            {
                "organization": _(
                    "Quần chúng do chi bộ bồi dưỡng, xét kết nạp: chọn một chi bộ (không chọn "
                    "đảng bộ)."
                )
            }
        )
    if not organization.is_active:
        raise ValidationError({"organization": _("Chi bộ này đã giải thể.")})


@transaction.atomic
def candidate_create(*, actor, organization, data: dict) -> Candidate:
    with audit_context(actor=actor):
        _check_cell(organization)
        data = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
        data["citizen_id"] = (data.get("citizen_id") or "").strip()
        _validate_profile(data)
        candidate = Candidate(organization=organization, **data)
        candidate.full_clean()
        candidate.save()
        return candidate


@transaction.atomic
def candidate_update(*, actor, candidate: Candidate, data: dict, organization=None) -> Candidate:
    """Correct the profile (and, before the cell's vote, the preparing cell). After the ceremony
    the member record is the one to correct."""
    with audit_context(actor=actor):
        candidate = _lock(candidate)
        if candidate.member_id:
            raise ValidationError(
                _("Quần chúng đã được kết nạp: sửa thông tin trong hồ sơ đảng viên.")
            )
        if not candidate.is_open:
            raise ValidationError(_("Hồ sơ đã kết thúc, không sửa được."))
        allowed = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
        if "citizen_id" in allowed:
            allowed["citizen_id"] = (allowed["citizen_id"] or "").strip()
        merged = {f: getattr(candidate, f) for f in PROFILE_FIELDS} | allowed
        _validate_profile(merged, instance=candidate)
        if organization is not None and organization.pk != candidate.organization_id:
            if candidate.cell_vote_date is not None:
                raise ValidationError(
                    {"organization": _("Chi bộ đã biểu quyết: không đổi chi bộ được nữa.")}
                )
            _check_cell(organization)
            candidate.organization = organization
        for k, v in allowed.items():
            setattr(candidate, k, v)
        candidate.full_clean()
        candidate.save()
        return candidate


@transaction.atomic
def candidate_close(
    *, actor, candidate: Candidate, status: str, date: dt.date, reason: str
) -> Candidate:
    """Stop a candidate's admission: not admitted (refused) or withdrawn."""
    with audit_context(actor=actor):
        candidate = _lock(candidate)
        if status not in CLOSE_STATUSES:
            raise ValidationError({"status": _("Chọn “không kết nạp” hoặc “dừng”.")})
        if candidate.status != CandidateStatus.ACTIVE:
            raise ValidationError(
                _("Chỉ dừng được hồ sơ đang xét kết nạp (hiện: %(s)s).")
                % {"s": candidate.get_status_display()}
            )
        _check_date(candidate, date)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Chưa nhập lý do.")})
        candidate.status = status
        candidate.closed_on = date
        candidate.next_due = None
        candidate.note = (candidate.note + "\n" if candidate.note else "") + _(
            "%(date)s: %(status)s. %(reason)s"
        ) % {"date": fmt(date), "status": candidate.get_status_display(), "reason": reason.strip()}
        candidate.save()
        return candidate


# ==================================================================================== introducers


@transaction.atomic
def introducer_add(
    *,
    actor,
    candidate: Candidate,
    kind: str,
    member=None,
    months_together: int | None = None,
    is_replacement: bool = False,
    resolution_number: str = "",
    resolution_date: dt.date | None = None,
    note: str = "",
) -> Introducer:
    """An official member who has worked or lived with the candidate long enough (a replacement
    assigned by the cell is exempt from the duration), or a Youth Union/trade-union resolution."""
    with audit_context(actor=actor):
        candidate = _lock(candidate)
        if candidate.status != CandidateStatus.ACTIVE or candidate.cell_vote_date:
            raise ValidationError(
                _("Chỉ thêm người giới thiệu trước khi chi bộ biểu quyết kết nạp.")
            )
        today = _today()
        if kind not in IntroducerKind.values:
            raise ValidationError({"kind": _("Hình thức giới thiệu không hợp lệ.")})
        intro = Introducer(
            candidate=candidate,
            kind=kind,
            is_replacement=bool(is_replacement),
            note=note or "",
        )
        if kind == IntroducerKind.PARTY_MEMBER:
            if member is None:
                raise ValidationError({"member": _("Chọn đảng viên giới thiệu.")})
            if member.status != MemberStatus.OFFICIAL:
                r = rule("admission.introducers_default", on=today)
                raise ValidationError(
                    {
                        "member": _(
                            "%(name)s không phải đảng viên chính thức (hiện: %(s)s): người giới "
                            "thiệu phải là đảng viên chính thức. %(cite)s."
                        )
                        % {
                            "name": member.full_name,
                            "s": member.get_status_display(),
                            "cite": r.citation,
                        }
                    }
                )
            months = rule("admission.introducer_min_months_together", on=today)
            if months_together is None and not is_replacement:
                raise ValidationError(
                    {"months_together": _("Nhập số tháng cùng công tác, học tập, sinh sống.")}
                )
            if not is_replacement and months_together < int(months):
                raise ValidationError(
                    {
                        "months_together": _(
                            "Người giới thiệu phải cùng công tác, học tập hoặc sinh sống với người "
                            "vào Đảng ít nhất %(n)s tháng (nhập %(got)s tháng). Người giới thiệu "
                            "thay thế do chi bộ phân công thì không cần điều kiện này. %(cite)s."
                        )
                        % {"n": int(months), "got": months_together, "cite": months.citation}
                    }
                )
            if candidate.introducers.filter(member=member).exists():
                raise ValidationError({"member": _("Đảng viên này đã là người giới thiệu.")})
            intro.member = member
            intro.months_together = months_together
        else:
            if not (resolution_number or "").strip():
                raise ValidationError({"resolution_number": _("Nhập số nghị quyết giới thiệu.")})
            if resolution_date and resolution_date > today:
                raise ValidationError(
                    {"resolution_date": _("Ngày nghị quyết không được ở tương lai.")}
                )
            intro.resolution_number = resolution_number.strip()
            intro.resolution_date = resolution_date
        intro.full_clean()
        intro.save()
        return intro


# ==================================================================================== steps


def _check_date(candidate: Candidate, date, field: str = "date") -> None:
    if date is None:
        raise ValidationError({field: _("Chưa nhập ngày.")})
    if date > _today():
        raise ValidationError({field: _("Ngày %(d)s không được ở tương lai.") % {"d": fmt(date)}})
    last = candidate.steps.order_by("-date").values_list("date", flat=True).first()
    if last and date < last:
        raise ValidationError(
            {
                field: _("Ngày phải từ %(d)s trở đi (không trước bước đã ghi gần nhất).")
                % {"d": fmt(last)}
            }
        )


def _check_order(candidate: Candidate, kind: str, date: dt.date) -> None:
    expected = S.next_step(candidate)
    if kind == expected:
        return
    if kind == StepKind.CELL_VOTE and S.reconsideration_allowed(candidate, date):
        return
    if expected is None:
        raise ValidationError(
            _("Hồ sơ đang ở tình trạng “%(s)s”: không ghi thêm bước nào.")
            % {"s": candidate.get_status_display()}
        )
    raise ValidationError(
        {
            "kind": _("Chưa đến bước “%(kind)s”: bước tiếp theo là “%(next)s”.")
            % {"kind": StepKind(kind).label, "next": StepKind(expected).label}
        }
    )


def _require_scope(actor, org, what: str) -> None:
    """Votes and decisions above the cell are recorded by those whose scope covers the level."""
    if actor is None or org is None:
        return
    if not can(actor, CHANGE, org, module="admission"):
        raise PermissionDenied(
            _("Chỉ cấp ủy có phạm vi quản lý %(org)s mới ghi được %(what)s.")
            % {"org": org.name, "what": what}
        )


def _save_step(candidate: Candidate, kind: str, date: dt.date, **fields) -> AdmissionStep:
    step = AdmissionStep(candidate=candidate, kind=kind, date=date, **fields)
    step.full_clean()
    step.save()
    return step


def _advance(candidate: Candidate, kind: str, **changes) -> None:
    candidate.current_step = kind
    for k, v in changes.items():
        setattr(candidate, k, v)
    candidate.next_due = S.next_due_for(candidate)
    candidate.save()


def _begin(actor, candidate: Candidate, kind: str, date):
    candidate = _lock(candidate)
    _check_date(candidate, date)
    _check_order(candidate, kind, date)
    return candidate


def _simple_step(
    kind,
    *,
    actor,
    candidate,
    date,
    decision_number="",
    notes="",
    attachment=None,
    require_number: str = "",
):
    with audit_context(actor=actor):
        candidate = _begin(actor, candidate, kind, date)
        if require_number and not (decision_number or "").strip():
            raise ValidationError({"decision_number": require_number})
        step = _save_step(
            candidate,
            kind,
            date,
            decision_number=(decision_number or "").strip(),
            notes=notes or "",
            attachment=attachment or "",
        )
        _advance(candidate, kind)
        return step


@transaction.atomic
def record_awareness(*, actor, candidate, date, decision_number="", notes="", attachment=None):
    """Passed the awareness course (lớp bồi dưỡng nhận thức về Đảng): certificate number and date."""
    return _simple_step(
        StepKind.AWARENESS,
        actor=actor,
        candidate=candidate,
        date=date,
        decision_number=decision_number,
        notes=notes,
        attachment=attachment,
        require_number=_("Nhập số giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng."),
    )


@transaction.atomic
def record_application(*, actor, candidate, date, notes="", attachment=None, **_ignored):
    return _simple_step(
        StepKind.APPLICATION,
        actor=actor,
        candidate=candidate,
        date=date,
        notes=notes,
        attachment=attachment,
    )


@transaction.atomic
def record_introducers(*, actor, candidate, date, notes="", attachment=None, **_ignored):
    """The introducers are complete: enough official members (or a resolution plus one)."""
    with audit_context(actor=actor):
        candidate = _begin(actor, candidate, StepKind.INTRODUCERS, date)
        problems = S.introducer_blockers(candidate, date)
        if problems:
            raise ValidationError({"introducers": [p.message for p in problems]})
        names = ", ".join(str(i) for i in candidate.introducers.select_related("member"))
        step = _save_step(
            candidate,
            StepKind.INTRODUCERS,
            date,
            notes=notes or names,
            attachment=attachment or "",
        )
        _advance(candidate, StepKind.INTRODUCERS)
        return step


@transaction.atomic
def record_background_check(*, actor, candidate, date, notes="", attachment=None, **_ignored):
    """Thẩm tra lý lịch: conclusion in the notes."""
    if not (notes or "").strip():
        raise ValidationError({"notes": _("Ghi kết luận thẩm tra lý lịch.")})
    return _simple_step(
        StepKind.BACKGROUND_CHECK,
        actor=actor,
        candidate=candidate,
        date=date,
        notes=notes,
        attachment=attachment,
    )


def _votes(votes_for, votes_against, total):
    errors = {}
    if votes_for is None:
        errors["votes_for"] = [_("Nhập số tán thành.")]
    elif votes_for < 0:
        errors["votes_for"] = [_("Số tán thành không được âm.")]
    if votes_against is not None and votes_against < 0:
        errors["votes_against"] = [_("Số không tán thành không được âm.")]
    if errors:
        raise ValidationError(errors)
    if total is not None and votes_for + (votes_against or 0) > total:
        raise ValidationError(
            {
                "votes_for": _(
                    "Tổng số phiếu (%(n)s) lớn hơn số người có quyền biểu quyết (%(t)s)."
                )
                % {"n": votes_for + (votes_against or 0), "t": total}
            }
        )


@transaction.atomic
def record_cell_vote(
    *,
    actor,
    candidate,
    date,
    votes_for,
    votes_against=None,
    decision_number="",
    notes="",
    attachment=None,
    **_ignored,
):
    """The cell considers the candidate (age in months and education on this date; introducers)
    and votes: at least the rulebook fraction of the cell's OFFICIAL members on the date
    (probationary members do not vote and are not counted)."""
    with audit_context(actor=actor):
        candidate = _begin(actor, candidate, StepKind.CELL_VOTE, date)
        problems = (
            S.age_blockers(candidate, date)
            + S.education_blockers(candidate, date)
            + S.introducer_blockers(candidate, date)
        )
        if problems:
            errors: dict[str, list[str]] = {}
            for p in problems:
                errors.setdefault(p.field, []).append(p.message)
            raise ValidationError(errors)
        total = S.official_member_count(candidate.organization, date)
        _votes(votes_for, votes_against, total)
        fraction = rule("admission.cell_vote_fraction", on=date)
        if not S.vote_passes(votes_for, total, fraction.value):
            raise ValidationError(
                {
                    "votes_for": _(
                        "Chưa đủ số tán thành: %(got)s/%(total)s đảng viên chính thức của chi bộ "
                        "vào ngày %(date)s; cần ít nhất %(need)s (%(frac)s số đảng viên chính "
                        "thức, không tính đảng viên dự bị). %(cite)s."
                    )
                    % {
                        "got": votes_for,
                        "total": total,
                        "date": fmt(date),
                        "need": S.votes_needed(total, fraction.value),
                        "frac": fraction.raw,
                        "cite": fraction.citation,
                    }
                }
            )
        step = _save_step(
            candidate,
            StepKind.CELL_VOTE,
            date,
            decision_number=(decision_number or "").strip(),
            votes_for=votes_for,
            votes_against=votes_against,
            votes_total=total,
            passed=True,
            notes=notes or "",
            attachment=attachment or "",
        )
        _advance(candidate, StepKind.CELL_VOTE, cell_vote_date=date, decision_date=None)
        return step


@transaction.atomic
def record_committee_vote(
    *,
    actor,
    candidate,
    date,
    votes_for,
    votes_against=None,
    votes_total=None,
    decision_number="",
    notes="",
    attachment=None,
    **_ignored,
):
    """The grassroots committee votes: at least the rulebook fraction of its members (from the
    committees module on the date; otherwise the number given with the vote)."""
    with audit_context(actor=actor):
        candidate = _begin(actor, candidate, StepKind.COMMITTEE_VOTE, date)
        grassroots = S.grassroots_of(candidate.organization)
        _require_scope(actor, grassroots, _("biểu quyết của đảng ủy cơ sở"))
        total = S.committee_size(grassroots, date) if grassroots else None
        if total is None:
            total = votes_total
        if not total:
            raise ValidationError(
                {
                    "votes_total": _(
                        "Nhập tổng số cấp ủy viên của đảng ủy cơ sở vào ngày biểu quyết."
                    )
                }
            )
        _votes(votes_for, votes_against, total)
        fraction = rule("admission.committee_vote_fraction", on=date)
        if not S.vote_passes(votes_for, total, fraction.value):
            raise ValidationError(
                {
                    "votes_for": _(
                        "Chưa đủ số tán thành: %(got)s/%(total)s cấp ủy viên; cần ít nhất "
                        "%(need)s (%(frac)s). %(cite)s."
                    )
                    % {
                        "got": votes_for,
                        "total": total,
                        "need": S.votes_needed(total, fraction.value),
                        "frac": fraction.raw,
                        "cite": fraction.citation,
                    }
                }
            )
        step = _save_step(
            candidate,
            StepKind.COMMITTEE_VOTE,
            date,
            decision_number=(decision_number or "").strip(),
            votes_for=votes_for,
            votes_against=votes_against,
            votes_total=total,
            passed=True,
            issuer=grassroots.name if grassroots else "",
            notes=notes or "",
            attachment=attachment or "",
        )
        _advance(candidate, StepKind.COMMITTEE_VOTE)
        return step


@transaction.atomic
def record_decision(
    *, actor, candidate, date, decision_number, issuer="", notes="", attachment=None, **_ignored
):
    """The competent committee's admission decision, within the rulebook's working days of the
    cell's resolution. Its date is the admission date (party age counts from it)."""
    with audit_context(actor=actor):
        candidate = _begin(actor, candidate, StepKind.DECISION, date)
        _require_scope(actor, S.grassroots_of(candidate.organization), _("quyết định kết nạp"))
        if not (decision_number or "").strip():
            raise ValidationError({"decision_number": _("Nhập số quyết định kết nạp.")})
        due = S.decision_due(candidate)
        if due is not None and date > due:
            r = rule("admission.decision_working_days", on=candidate.cell_vote_date)
            raise ValidationError(
                {
                    "date": _(
                        "Quá hạn: cấp ủy có thẩm quyền phải quyết định trong %(n)s ngày làm việc "
                        "kể từ nghị quyết của chi bộ ngày %(vote)s, tức đến hết %(due)s. Chi bộ "
                        "cần xét lại. %(cite)s."
                    )
                    % {
                        "n": int(r),
                        "vote": fmt(candidate.cell_vote_date),
                        "due": fmt(due),
                        "cite": r.citation,
                    }
                }
            )
        step = _save_step(
            candidate,
            StepKind.DECISION,
            date,
            decision_number=decision_number.strip(),
            issuer=(issuer or "").strip(),
            notes=notes or "",
            attachment=attachment or "",
        )
        _advance(candidate, StepKind.DECISION, decision_date=date)
        return step


def _member_data(candidate: Candidate, decision: AdmissionStep) -> dict:
    data = {f: getattr(candidate, f) for f in MEMBER_FIELDS}
    data["citizen_id"] = candidate.citizen_id or None
    data["admission_date"] = decision.date
    data["admission_place"] = candidate.organization.name
    data["introducers"] = ", ".join(str(i) for i in candidate.introducers.select_related("member"))[
        :255
    ]
    return data


@transaction.atomic
def record_ceremony(
    *,
    actor,
    candidate,
    date,
    consent_reference="",
    notes="",
    attachment=None,
    **_ignored,
):
    """The admission ceremony, within the rulebook's working days of the decision (later only
    with the superior's consent, whose reference is recorded). Creates the probationary member
    through members.services (admission date = the decision's date, the decision's number), and
    starts the probation (months from the ceremony)."""
    from dangvu.members.services import member_create

    with audit_context(actor=actor):
        candidate = _begin(actor, candidate, StepKind.CEREMONY, date)
        due = S.ceremony_due(candidate)
        consent_reference = (consent_reference or "").strip()
        if due is not None and date > due and not consent_reference:
            r = rule("admission.ceremony_working_days", on=candidate.decision_date)
            raise ValidationError(
                {
                    "consent_reference": _(
                        "Lễ kết nạp ngày %(date)s muộn hơn %(n)s ngày làm việc kể từ quyết định "
                        "(%(decision)s, hạn %(due)s): cần văn bản đồng ý của cấp ủy cấp trên — "
                        "nhập số văn bản. %(cite)s."
                    )
                    % {
                        "date": fmt(date),
                        "n": int(r),
                        "decision": fmt(candidate.decision_date),
                        "due": fmt(due),
                        "cite": r.citation,
                    }
                }
            )
        decision = candidate.steps.filter(kind=StepKind.DECISION).order_by("-date", "-id").first()
        step = _save_step(
            candidate,
            StepKind.CEREMONY,
            date,
            consent_reference=consent_reference,
            notes=notes or "",
            attachment=attachment or "",
        )
        try:
            member = member_create(
                actor=actor,
                organization=candidate.organization,
                data=_member_data(candidate, decision),
                decision_number=decision.decision_number,
                decision_date=decision.date,
                issuer=decision.issuer,
                note=_("Kết nạp qua quy trình phát triển đảng viên."),
            )
        except ValidationError as exc:
            # The profile was valid as a candidate but not as a member (e.g. the citizen ID is
            # now on another member): say so on the candidate's form.
            raise ValidationError(
                [_("Không tạo được hồ sơ đảng viên từ hồ sơ quần chúng:")] + exc.messages
            ) from exc
        _advance(
            candidate,
            StepKind.CEREMONY,
            ceremony_date=date,
            probation_end=S.probation_end(date),
            status=CandidateStatus.ADMITTED,
            member=member,
        )
        return step


@transaction.atomic
def record_recognition(
    *,
    actor,
    candidate,
    date,
    votes_for,
    votes_against=None,
    decision_number="",
    issuer="",
    notes="",
    attachment=None,
    **_ignored,
):
    """The cell's vote on official recognition after the probation months. Passed: the member is
    recognised official through members.services, effective exactly when the probation ends.
    Failed: counted; after the rulebook's number of failed votes the case goes to the superior
    (status escalated) with the proposal to remove the name."""
    from dangvu.members.services import member_recognise_official

    with audit_context(actor=actor):
        candidate = _begin(actor, candidate, StepKind.RECOGNITION, date)
        member = candidate.member
        end = candidate.probation_end
        if end is None or member is None:
            raise ValidationError(_("Chưa có lễ kết nạp: chưa xét công nhận chính thức được."))
        if date < end:
            probation = rule("admission.probation_months", on=candidate.ceremony_date)
            raise ValidationError(
                {
                    "date": _(
                        "Chưa hết %(n)s tháng dự bị (từ lễ kết nạp %(c)s đến %(end)s): chi bộ xét "
                        "công nhận chính thức từ ngày %(end)s. %(cite)s."
                    )
                    % {
                        "n": int(probation),
                        "c": fmt(candidate.ceremony_date),
                        "end": fmt(end),
                        "cite": probation.citation,
                    }
                }
            )
        total = S.official_member_count(member.organization, date)
        _votes(votes_for, votes_against, total)
        fraction = rule("admission.cell_vote_fraction", on=date)
        passed = S.vote_passes(votes_for, total, fraction.value)
        if passed and not (decision_number or "").strip():
            raise ValidationError(
                {"decision_number": _("Nhập số quyết định công nhận đảng viên chính thức.")}
            )
        step = _save_step(
            candidate,
            StepKind.RECOGNITION,
            date,
            decision_number=(decision_number or "").strip(),
            issuer=(issuer or "").strip(),
            votes_for=votes_for,
            votes_against=votes_against,
            votes_total=total,
            passed=passed,
            notes=notes or "",
            attachment=attachment or "",
        )
        if passed:
            member_recognise_official(
                actor=actor,
                member=member,
                decision_number=decision_number.strip(),
                decision_date=date,
                issuer=(issuer or "").strip(),
                probation_start=candidate.ceremony_date,
            )
            _advance(candidate, StepKind.RECOGNITION, status=CandidateStatus.OFFICIAL)
            return step
        failures = candidate.failed_recognitions + 1
        limit = rule("admission.recognition_max_failed_votes", on=date)
        changes = {"failed_recognitions": failures}
        if failures >= int(limit):
            changes["status"] = CandidateStatus.ESCALATED
            step.notes = (step.notes + "\n" if step.notes else "") + _(
                "Biểu quyết không đạt lần thứ %(n)s: chi bộ đề nghị xóa tên trong danh sách "
                "đảng viên, báo cáo cấp ủy cấp trên xem xét, quyết định. %(cite)s."
            ) % {"n": failures, "cite": limit.citation}
            step.save(update_fields=["notes"])
        _advance(candidate, StepKind.RECOGNITION, **changes)
        return step


STEP_SERVICES = {
    StepKind.AWARENESS: record_awareness,
    StepKind.APPLICATION: record_application,
    StepKind.INTRODUCERS: record_introducers,
    StepKind.BACKGROUND_CHECK: record_background_check,
    StepKind.CELL_VOTE: record_cell_vote,
    StepKind.COMMITTEE_VOTE: record_committee_vote,
    StepKind.DECISION: record_decision,
    StepKind.CEREMONY: record_ceremony,
    StepKind.RECOGNITION: record_recognition,
}


def step_record(*, actor, candidate, kind: str, **data) -> AdmissionStep:
    """Record step `kind` with its fields (the form and the API call this)."""
    service = STEP_SERVICES.get(kind)
    if service is None:
        raise ValidationError({"kind": _("Bước không hợp lệ.")})
    return service(actor=actor, candidate=candidate, **data)


# ==================================================================================== targets


@transaction.atomic
def target_set(*, actor, organization, year: int, number: int, note: str = "") -> AdmissionTarget:
    """Set (or change) an organisation's admission target for a year."""
    with audit_context(actor=actor):
        errors = {}
        if organization is None:
            errors["organization"] = [_("Chưa chọn tổ chức đảng.")]
        elif not organization.is_active:
            errors["organization"] = [_("Tổ chức đảng này đã giải thể.")]
        if year is None or not (2000 <= int(year) <= 2100):
            errors["year"] = [_("Năm không hợp lệ.")]
        if number is None or int(number) < 0:
            errors["number"] = [_("Chỉ tiêu phải là số không âm.")]
        if errors:
            raise ValidationError(errors)
        target, _created = AdmissionTarget.objects.select_for_update().get_or_create(
            organization=organization,
            year=int(year),
            defaults={"number": int(number), "note": note or ""},
        )
        if not _created:
            target.number = int(number)
            target.note = note or ""
            target.full_clean()
            target.save()
        return target
