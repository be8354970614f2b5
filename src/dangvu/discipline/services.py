"""Writes of discipline decisions: record one, lift one. Keyword-only, atomic, audited.

Scope (who may record for which member) is the callers' business through `restrict()`; the
services check the data. Recording an expulsion does not change the member's status (the
members app's `member_expel` does, with the lifecycle event): this app only keeps the decision.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.dates import fmt
from dangvu.members.choices import ACTIVE_STATUSES, MemberStatus
from dangvu.members.models import Member
from dangvu.members.selectors import status_as_of

from .choices import PROBATIONARY_FORMS, DisciplineForm
from .models import DisciplineCase


def _today() -> dt.date:
    return timezone.localdate()


def _clean_text(value) -> str:
    return (value or "").strip()


@transaction.atomic
def discipline_case_create(
    *,
    actor,
    member: Member,
    form: str,
    decided_on: dt.date | None,
    decision_number: str,
    deciding_body: str,
    reason: str,
) -> DisciplineCase:
    """Record a discipline decision on `member`.

    Checks: every field given; the decision date not in the future, not before the member's
    admission, and on a day the member was on the roll (probationary, official or exempt); a
    probationary member can only be reprimanded or warned; one decision number once per member.
    An expulsion is recorded as decided; the member's status changes only through the members
    app's `expelled` lifecycle event.
    """
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        errors: dict[str, list[str]] = {}
        decision_number = _clean_text(decision_number)
        deciding_body = _clean_text(deciding_body)
        reason = _clean_text(reason)
        if form not in DisciplineForm.values:
            errors["form"] = [_("Hình thức kỷ luật không hợp lệ.")]
        if not decision_number:
            errors["decision_number"] = [_("Chưa nhập số quyết định kỷ luật.")]
        elif decision_number.casefold() in {
            n.casefold()
            for n in DisciplineCase.objects.filter(member=member).values_list(
                "decision_number", flat=True
            )
        }:
            errors["decision_number"] = [
                _("Quyết định số %(n)s đã được ghi cho đảng viên này.") % {"n": decision_number}
            ]
        if not deciding_body:
            errors["deciding_body"] = [_("Chưa nhập cấp quyết định kỷ luật.")]
        if not reason:
            errors["reason"] = [_("Chưa nhập nội dung vi phạm, lý do kỷ luật.")]
        if decided_on is None:
            errors["decided_on"] = [_("Chưa nhập ngày quyết định.")]
        elif decided_on > _today():
            errors["decided_on"] = [
                _("Ngày quyết định không được ở tương lai (%(d)s).") % {"d": fmt(decided_on)}
            ]
        elif decided_on < member.admission_date:
            errors["decided_on"] = [
                _("Ngày quyết định %(d)s trước ngày vào Đảng %(a)s của đảng viên.")
                % {"d": fmt(decided_on), "a": fmt(member.admission_date)}
            ]
        else:
            status = status_as_of(member, decided_on)
            if status not in ACTIVE_STATUSES:
                label = MemberStatus(status).label if status else _("chưa có")
                errors["decided_on"] = [
                    _(
                        "Ngày %(d)s đảng viên không còn sinh hoạt đảng (trạng thái: %(s)s): "
                        "không thể ghi quyết định kỷ luật vào ngày này."
                    )
                    % {"d": fmt(decided_on), "s": label}
                ]
            elif (
                status == MemberStatus.PROBATIONARY
                and form in DisciplineForm.values
                and form not in PROBATIONARY_FORMS
            ):
                errors["form"] = [
                    _(
                        "Ngày %(d)s đồng chí là đảng viên dự bị: chỉ áp dụng khiển trách hoặc "
                        "cảnh cáo (QĐ 69-QĐ/TW, Điều 7)."
                    )
                    % {"d": fmt(decided_on)}
                ]
        if errors:
            raise ValidationError(errors)
        case = DisciplineCase(
            member=member,
            form=form,
            decided_on=decided_on,
            decision_number=decision_number,
            deciding_body=deciding_body,
            reason=reason,
        )
        case.full_clean()
        case.save()
        return case


@transaction.atomic
def discipline_case_lift(
    *, actor, case: DisciplineCase, lifted_on: dt.date | None, note: str
) -> DisciplineCase:
    """The decision stops applying from `lifted_on` (annulled or changed on appeal, or its
    effect ended): kept, with the date and the basis (`note`), never deleted."""
    with audit_context(actor=actor):
        case = DisciplineCase.objects.select_for_update().get(pk=case.pk)
        errors: dict[str, list[str]] = {}
        note = _clean_text(note)
        if case.lifted_on is not None:
            raise ValidationError(
                {
                    "lifted_on": [
                        _("Quyết định này đã hết hiệu lực từ ngày %(d)s.")
                        % {"d": fmt(case.lifted_on)}
                    ]
                }
            )
        if lifted_on is None:
            errors["lifted_on"] = [_("Chưa nhập ngày hết hiệu lực.")]
        elif lifted_on > _today():
            errors["lifted_on"] = [
                _("Ngày hết hiệu lực không được ở tương lai (%(d)s).") % {"d": fmt(lifted_on)}
            ]
        elif lifted_on < case.decided_on:
            errors["lifted_on"] = [
                _("Ngày hết hiệu lực phải từ ngày quyết định %(d)s trở đi.")
                % {"d": fmt(case.decided_on)}
            ]
        if not note:
            errors["note"] = [_("Chưa nhập căn cứ (quyết định giải quyết khiếu nại, …).")]
        if errors:
            raise ValidationError(errors)
        case.lifted_on = lifted_on
        case.lift_note = note
        case.full_clean()
        case.save(update_fields=["lifted_on", "lift_note"])
        return case
