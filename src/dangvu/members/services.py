"""Writes to member records. Every status change is a dated MemberEvent with its decision.

Each service is keyword-only, atomic, validates with the rulebook and names the field it rejects,
so forms, API, imports and commands call these and repeat none of the checks.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.dates import add_months, fmt, full_months_between
from dangvu.core.rulebook import rule

from . import stats
from .choices import ACTIVE_STATUSES, EventKind, MemberStatus, TransferKind
from .models import Member, MemberEvent, Membership
from .validators import validate_citizen_id

# Profile fields a form or import may set; status, organisation and dates of events are not here.
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
    "card_number",
    "admission_place",
    "introducers",
    "photo",
]
# Set when the record is created (from the admission decision), corrected only through update.
ADMISSION_FIELDS = ["admission_date", "official_date"]


def _today() -> dt.date:
    return timezone.localdate()


def validate_member_data(
    data: dict, *, instance: Member | None = None, check_unique: bool = True
) -> None:
    """Checks of the rules on a member's own data; raises ValidationError keyed by field.

    Bulk callers that look up card numbers and citizen IDs for a whole batch pass check_unique=False.
    """
    errors = _member_data_errors(data, today=_today(), rule_on=rule)
    for field, label in (("card_number", _("Số thẻ đảng viên")), ("citizen_id", _("Số CCCD"))):
        if not check_unique:
            break
        value = (data.get(field) or "").strip()
        if not value:
            continue
        clash = Member.objects.filter(**{field: value})
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        other = clash.first()
        if other is not None:
            errors.setdefault(field, []).append(
                _("%(label)s %(value)s đã có trong hồ sơ của đảng viên khác.")
                % {"label": label, "value": value}
            )
    if errors:
        raise ValidationError(errors)


# translated when a message needs them (an import checks 100,000 rows that mostly have none)
_FUTURE_LABELS = {
    "date_of_birth": lambda: _("Ngày sinh"),
    "admission_date": lambda: _("Ngày vào Đảng"),
    "official_date": lambda: _("Ngày chính thức"),
}


def _member_data_errors(data: dict, *, today: dt.date, rule_on) -> dict[str, list[str]]:
    """The rule checks of `validate_member_data` (all but uniqueness), as {field: [messages]}.

    `rule_on(key, on=date)` is `core.rulebook.rule` or a memoised stand-in (MemberDataChecker)."""
    errors: dict[str, list[str]] = {}
    dob = data.get("date_of_birth")
    admission = data.get("admission_date")
    official = data.get("official_date")
    for field, value in (
        ("date_of_birth", dob),
        ("admission_date", admission),
        ("official_date", official),
    ):
        if value and value > today:
            errors.setdefault(field, []).append(
                _("%(label)s không được ở tương lai (%(date)s).")
                % {"label": _FUTURE_LABELS[field](), "date": fmt(value)}
            )

    citizen_id = (data.get("citizen_id") or "").strip()
    if citizen_id:
        try:
            validate_citizen_id(citizen_id, date_of_birth=dob, gender=data.get("gender"))
        except ValidationError as exc:
            errors.setdefault("citizen_id", []).extend(exc.messages)

    if dob and admission:
        min_age = rule_on("admission.min_age_months", on=admission)
        if full_months_between(dob, admission) < int(min_age):
            errors.setdefault("admission_date", []).append(
                _(
                    "Ngày vào Đảng %(date)s khi chưa đủ 18 tuổi (tính theo tháng; sinh ngày %(dob)s). %(cite)s."
                )
                % {"date": fmt(admission), "dob": fmt(dob), "cite": min_age.citation}
            )
    if official and admission:
        probation = rule_on("admission.probation_months", on=admission)
        earliest = add_months(admission, int(probation))
        if official < earliest:
            errors.setdefault("official_date", []).append(
                _(
                    "Ngày chính thức %(official)s phải sau khi hết %(months)s tháng dự bị, tức từ %(earliest)s. %(cite)s."
                )
                % {
                    "official": fmt(official),
                    "months": int(probation),
                    "earliest": fmt(earliest),
                    "cite": probation.citation,
                }
            )
    return errors


class MemberDataChecker:
    """`validate_member_data(data, check_unique=False)` for many rows (imports): the same checks
    and messages (the same code), returned as {field: [messages]} instead of raised.

    Per row only what depends on the row runs: today is taken once, and the rule in force on
    an admission date is looked up once per date (a 100,000-row file has a few thousand dates).
    """

    def __init__(self, today: dt.date | None = None):
        self.today = today or _today()
        self._rules: dict = {}

    def _rule_on(self, key: str, on: dt.date):
        found = self._rules.get((key, on))
        if found is None:
            found = self._rules[(key, on)] = rule(key, on=on)
        return found

    def errors(self, data: dict) -> dict[str, list[str]]:
        return _member_data_errors(data, today=self.today, rule_on=self._rule_on)


def clash_message(field: str, value: str) -> str:
    label = _("Số thẻ đảng viên") if field == "card_number" else _("Số CCCD")
    return _("%(label)s %(value)s đã có trong hồ sơ của đảng viên khác.") % {
        "label": label,
        "value": value,
    }


def _clean_blank_unique(member: Member) -> None:
    member.card_number = (member.card_number or "").strip() or None
    member.citizen_id = (member.citizen_id or "").strip() or None


def _event(
    member, kind, date, *, organization=None, status_before="", status_after=None, **extra
) -> MemberEvent:
    event = MemberEvent(
        member=member,
        kind=kind,
        date=date,
        organization=organization or member.organization,
        status_before=status_before,
        status_after=status_after or member.status,
        **extra,
    )
    event.full_clean()
    event.save()
    stats.refresh([member.organization_id, event.organization_id, event.to_organization_id])
    return event


def _check_event_date(date: dt.date, member: Member | None = None, field: str = "date") -> None:
    if date is None:
        raise ValidationError({field: _("Chưa nhập ngày hiệu lực.")})
    if date > _today():
        raise ValidationError(
            {field: _("Ngày hiệu lực không được ở tương lai (%(date)s).") % {"date": fmt(date)}}
        )
    if member is not None:
        last = member.events.order_by("-date").values_list("date", flat=True).first()
        if last and date < last:
            raise ValidationError(
                {
                    field: _("Ngày hiệu lực phải từ %(date)s trở đi (sau sự kiện gần nhất).")
                    % {"date": fmt(last)}
                }
            )


def _require_decision(decision_number: str, field: str = "decision_number") -> None:
    if not (decision_number or "").strip():
        raise ValidationError({field: _("Chưa nhập số quyết định.")})


def _require_status(member: Member, allowed, action_label: str) -> None:
    if member.status not in allowed:
        raise ValidationError(
            _("Không thể %(action)s: đảng viên đang ở trạng thái “%(status)s”.")
            % {"action": action_label, "status": member.get_status_display()}
        )


def _open_membership(member, organization, date, event, kind=TransferKind.OFFICIAL) -> Membership:
    return Membership.objects.create(
        member=member, organization=organization, kind=kind, valid_from=date, event=event
    )


def _close_memberships(member, date, kind=TransferKind.OFFICIAL, organization=None) -> None:
    qs = member.memberships.filter(valid_to__isnull=True, kind=kind)
    if organization is not None:
        qs = qs.filter(organization=organization)
    for m in qs:
        m.valid_to = max(date, m.valid_from)
        m.save(update_fields=["valid_to"])


@transaction.atomic
def member_create(
    *,
    actor,
    organization,
    data: dict,
    joined_on: dt.date | None = None,
    origin: str = "registry",
    decision_number: str = "",
    decision_date: dt.date | None = None,
    issuer: str = "",
    external_place: str = "",
    note: str = "",
) -> Member:
    """Enter a member into the registry (`note` goes on the admission event).

    origin "registry": an existing member recorded from the paper file (events admitted, and
    recognised official when the official date is known); "transfer_in": a member arriving from an
    organisation outside the system (admission events recorded for the party-age history too).
    """
    with audit_context(actor=actor):
        data = {k: v for k, v in data.items() if k in PROFILE_FIELDS + ADMISSION_FIELDS}
        validate_member_data(data)
        if not organization.is_active:
            raise ValidationError({"organization": _("Tổ chức đảng này đã giải thể.")})
        official = data.get("official_date")
        member = Member(organization=organization, **data)
        member.status = MemberStatus.OFFICIAL if official else MemberStatus.PROBATIONARY
        _clean_blank_unique(member)
        member.full_clean()
        member.save()
        admission = member.admission_date
        _event(
            member,
            EventKind.ADMITTED,
            admission,
            status_before="",
            status_after=MemberStatus.PROBATIONARY,
            decision_number=decision_number if origin == "registry" else "",
            decision_date=decision_date if origin == "registry" else None,
            issuer=issuer if origin == "registry" else "",
            note=note or (_("Ghi nhận từ hồ sơ đảng viên.") if origin == "registry" else ""),
        )
        if official:
            _event(
                member,
                EventKind.RECOGNISED_OFFICIAL,
                official,
                status_before=MemberStatus.PROBATIONARY,
                status_after=MemberStatus.OFFICIAL,
            )
        start = joined_on or admission
        if origin == "transfer_in":
            _check_event_date(start, field="joined_on")
            _require_decision(decision_number)
            event = _event(
                member,
                EventKind.TRANSFER_IN,
                start,
                status_before=MemberStatus.TRANSFERRED_OUT,
                status_after=member.status,
                transfer_kind=TransferKind.OFFICIAL,
                decision_number=decision_number,
                decision_date=decision_date,
                issuer=issuer,
                external_place=external_place,
            )
        else:
            event = None
        _open_membership(member, organization, start, event)
        return member


@transaction.atomic
def member_update(*, actor, member: Member, data: dict) -> Member:
    """Correct profile data. Status and organisation change only through lifecycle events."""
    with audit_context(actor=actor):
        # Re-read under lock: a stale copy must not undo a transfer or status change made since.
        member = Member.objects.select_for_update().get(pk=member.pk)
        allowed = {k: v for k, v in data.items() if k in PROFILE_FIELDS + ADMISSION_FIELDS}
        merged = {f: getattr(member, f) for f in PROFILE_FIELDS + ADMISSION_FIELDS}
        merged.update(allowed)
        validate_member_data(merged, instance=member)
        for k, v in allowed.items():
            setattr(member, k, v)
        _clean_blank_unique(member)
        member.full_clean()
        member.save()
        stats.refresh([member.organization_id])
        # Keep the admission/official events consistent with corrected dates.
        if "admission_date" in allowed:
            member.events.filter(kind=EventKind.ADMITTED).order_by("date").filter(
                pk=member.events.filter(kind=EventKind.ADMITTED).order_by("date").values("pk")[:1]
            ).update(date=member.admission_date)
        if "official_date" in allowed and member.official_date:
            member.events.filter(kind=EventKind.RECOGNISED_OFFICIAL).update(
                date=member.official_date
            )
        return member


@transaction.atomic
def member_recognise_official(
    *,
    actor,
    member: Member,
    decision_number: str,
    decision_date: dt.date | None = None,
    issuer: str = "",
    probation_start: dt.date | None = None,
) -> MemberEvent:
    """End of probation. Takes effect exactly when the probation months end, even if decided later.

    Probation runs from the admission ceremony (Điều lệ Điều 5); the admission pipeline passes
    the ceremony date as `probation_start`. Without it (records entered from paper files) it runs
    from the admission date, or from the last readmission."""
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        _require_status(member, [MemberStatus.PROBATIONARY], _("công nhận chính thức"))
        _require_decision(decision_number)
        start = probation_start or _probation_start(member)
        probation = rule("admission.probation_months", on=start)
        effective = add_months(start, int(probation))
        if effective > _today():
            raise ValidationError(
                _(
                    "Chưa hết %(months)s tháng dự bị: ngày chính thức sớm nhất là %(date)s. %(cite)s."
                )
                % {"months": int(probation), "date": fmt(effective), "cite": probation.citation}
            )
        if decision_date and decision_date > _today():
            raise ValidationError({"decision_date": _("Ngày quyết định không được ở tương lai.")})
        before = member.status
        member.status = MemberStatus.OFFICIAL
        member.official_date = effective
        member.save(
            update_fields=["status", "official_date", "updated_at", "search_text", "name_sort"]
        )
        return _event(
            member,
            EventKind.RECOGNISED_OFFICIAL,
            effective,
            status_before=before,
            decision_number=decision_number,
            decision_date=decision_date,
            issuer=issuer,
        )


def _probation_start(member: Member) -> dt.date:
    readmit = (
        member.events.filter(kind=EventKind.READMITTED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return readmit or member.admission_date


@transaction.atomic
def member_transfer_out(
    *,
    actor,
    member: Member,
    date: dt.date,
    decision_number: str,
    kind: str = TransferKind.OFFICIAL,
    to_organization=None,
    external_place: str = "",
    decision_date: dt.date | None = None,
    issuer: str = "",
    note: str = "",
) -> MemberEvent:
    """Move a member's party activity: to another organisation of the tree, or out of the system.

    Official transfer inside the tree moves the member; out of the system the status becomes
    "transferred out". A temporary transfer keeps the home organisation and opens a temporary
    attachment at the host (the host does not count the member in its headcount).
    """
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        _require_status(member, ACTIVE_STATUSES, _("chuyển sinh hoạt"))
        _check_event_date(date, member)
        _require_decision(decision_number)
        if kind not in TransferKind.values:
            raise ValidationError({"kind": _("Hình thức chuyển không hợp lệ.")})
        if to_organization is None and not external_place.strip():
            raise ValidationError(
                {"to_organization": _("Chọn tổ chức đến hoặc nhập nơi chuyển đến.")}
            )
        if to_organization is not None:
            if to_organization.pk == member.organization_id:
                raise ValidationError(
                    {"to_organization": _("Tổ chức đến trùng với tổ chức hiện tại.")}
                )
            if not to_organization.is_active:
                raise ValidationError({"to_organization": _("Tổ chức đến đã giải thể.")})
        before = member.status
        from_org = member.organization
        if kind == TransferKind.OFFICIAL:
            _close_memberships(member, date, TransferKind.TEMPORARY)
            _close_memberships(member, date)
            if to_organization is not None:
                member.organization = to_organization
            else:
                member.status = MemberStatus.TRANSFERRED_OUT
            member.save()
        event = _event(
            member,
            EventKind.TRANSFER_OUT,
            date,
            organization=from_org,
            status_before=before,
            status_after=member.status,
            to_organization=to_organization,
            external_place=external_place,
            transfer_kind=kind,
            decision_number=decision_number,
            decision_date=decision_date,
            issuer=issuer,
            note=note,
        )
        if to_organization is not None:
            _open_membership(member, to_organization, date, event, kind=kind)
        return event


@transaction.atomic
def member_transfer_in(
    *,
    actor,
    member: Member,
    organization,
    date: dt.date,
    decision_number: str,
    external_place: str = "",
    decision_date: dt.date | None = None,
    issuer: str = "",
) -> MemberEvent:
    """A member who had transferred out of the system comes back (official transfer in)."""
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        _require_status(member, [MemberStatus.TRANSFERRED_OUT], _("nhận chuyển sinh hoạt đến"))
        _check_event_date(date, member)
        _require_decision(decision_number)
        if not organization.is_active:
            raise ValidationError({"organization": _("Tổ chức đến đã giải thể.")})
        last_out = (
            member.events.filter(kind=EventKind.TRANSFER_OUT).order_by("-date", "-id").first()
        )
        restored = (last_out.status_before if last_out else "") or MemberStatus.OFFICIAL
        member.status = restored
        member.organization = organization
        member.save()
        event = _event(
            member,
            EventKind.TRANSFER_IN,
            date,
            organization=organization,
            status_before=MemberStatus.TRANSFERRED_OUT,
            status_after=restored,
            transfer_kind=TransferKind.OFFICIAL,
            external_place=external_place,
            decision_number=decision_number,
            decision_date=decision_date,
            issuer=issuer,
        )
        _open_membership(member, organization, date, event)
        return event


@transaction.atomic
def member_end_temporary(*, actor, member: Member, date: dt.date, note: str = "") -> MemberEvent:
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        open_temp = member.memberships.filter(
            kind=TransferKind.TEMPORARY, valid_to__isnull=True
        ).first()
        if open_temp is None:
            raise ValidationError(_("Đảng viên không có sinh hoạt tạm thời nào đang mở."))
        _check_event_date(date, member)
        _close_memberships(member, date, TransferKind.TEMPORARY)
        return _event(
            member,
            EventKind.TEMPORARY_END,
            date,
            organization=member.organization,
            to_organization=open_temp.organization,
            transfer_kind=TransferKind.TEMPORARY,
            status_before=member.status,
            note=note,
        )


def _status_change(
    *,
    actor,
    member,
    kind,
    date,
    decision_number,
    allowed,
    action_label,
    new_status,
    close=False,
    reopen=False,
    new_organization=None,
    **extra,
):
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        _require_status(member, allowed, action_label)
        _check_event_date(date, member)
        if kind not in (EventKind.DIED, EventKind.EXEMPTION_ENDED):
            _require_decision(decision_number)
        before = member.status
        member.status = new_status
        if new_organization is not None:
            member.organization = new_organization
        member.save()
        event = _event(
            member,
            kind,
            date,
            status_before=before,
            status_after=new_status,
            decision_number=decision_number,
            **extra,
        )
        if close:
            _close_memberships(member, date, TransferKind.TEMPORARY)
            _close_memberships(member, date)
        if reopen:
            _open_membership(member, member.organization, date, event)
        return event


@transaction.atomic
def member_grant_exemption(
    *, actor, member, date, decision_number, note="", decision_date=None, issuer=""
):
    """The cell exempts an elderly or ill member from work and activity (QĐ 24 §7.1)."""
    return _status_change(
        actor=actor,
        member=member,
        kind=EventKind.EXEMPTION_GRANTED,
        date=date,
        decision_number=decision_number,
        allowed=[MemberStatus.OFFICIAL],
        action_label=_("miễn công tác và sinh hoạt"),
        new_status=MemberStatus.EXEMPT,
        note=note,
        decision_date=decision_date,
        issuer=issuer,
    )


@transaction.atomic
def member_end_exemption(*, actor, member, date, decision_number="", note=""):
    return _status_change(
        actor=actor,
        member=member,
        kind=EventKind.EXEMPTION_ENDED,
        date=date,
        decision_number=decision_number,
        allowed=[MemberStatus.EXEMPT],
        action_label=_("thôi miễn công tác và sinh hoạt"),
        new_status=MemberStatus.OFFICIAL,
        note=note,
    )


@transaction.atomic
def member_remove(*, actor, member, date, decision_number, note="", decision_date=None, issuer=""):
    """Removal from the list (xóa tên)."""
    return _status_change(
        actor=actor,
        member=member,
        kind=EventKind.REMOVED,
        date=date,
        decision_number=decision_number,
        allowed=ACTIVE_STATUSES,
        action_label=_("xóa tên"),
        new_status=MemberStatus.REMOVED,
        close=True,
        note=note,
        decision_date=decision_date,
        issuer=issuer,
    )


@transaction.atomic
def member_expel(*, actor, member, date, decision_number, note="", decision_date=None, issuer=""):
    return _status_change(
        actor=actor,
        member=member,
        kind=EventKind.EXPELLED,
        date=date,
        decision_number=decision_number,
        allowed=ACTIVE_STATUSES,
        action_label=_("khai trừ"),
        new_status=MemberStatus.EXPELLED,
        close=True,
        note=note,
        decision_date=decision_date,
        issuer=issuer,
    )


@transaction.atomic
def member_readmit(
    *,
    actor,
    member,
    date,
    decision_number,
    organization=None,
    note="",
    decision_date=None,
    issuer="",
):
    """Readmission (kết nạp lại): a new probation; the time outside is a gap in party age."""
    if organization is not None and not organization.is_active:
        raise ValidationError({"organization": _("Tổ chức đảng này đã giải thể.")})
    return _status_change(
        actor=actor,
        member=member,
        kind=EventKind.READMITTED,
        date=date,
        decision_number=decision_number,
        allowed=[MemberStatus.REMOVED, MemberStatus.EXPELLED],
        action_label=_("kết nạp lại"),
        new_status=MemberStatus.PROBATIONARY,
        reopen=True,
        new_organization=organization,
        note=note,
        decision_date=decision_date,
        issuer=issuer,
    )


@transaction.atomic
def member_record_death(*, actor, member, date, note=""):
    return _status_change(
        actor=actor,
        member=member,
        kind=EventKind.DIED,
        date=date,
        decision_number="",
        allowed=ACTIVE_STATUSES,
        action_label=_("ghi nhận từ trần"),
        new_status=MemberStatus.DECEASED,
        close=True,
        note=note,
    )


@transaction.atomic
def member_reissue_card(*, actor, member, date, new_card_number, decision_number="", note=""):
    with audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        _check_event_date(date, member)
        new_card_number = (new_card_number or "").strip()
        if not new_card_number:
            raise ValidationError({"new_card_number": _("Chưa nhập số thẻ mới.")})
        if Member.objects.filter(card_number=new_card_number).exclude(pk=member.pk).exists():
            raise ValidationError(
                {
                    "new_card_number": _("Số thẻ %(v)s đã có trong hồ sơ của đảng viên khác.")
                    % {"v": new_card_number}
                }
            )
        old = member.card_number or ""
        member.card_number = new_card_number
        member.save()
        return _event(
            member,
            EventKind.CARD_REISSUED,
            date,
            status_before=member.status,
            old_value=old,
            new_value=new_card_number,
            decision_number=decision_number,
            note=note,
        )


@transaction.atomic
def member_move_with_organization(
    *, actor, member, to_organization, date, org_event_note=""
) -> MemberEvent:
    """A member follows a merge or split of the organisation (no individual decision)."""
    with audit_context(actor=actor):
        from_org = member.organization
        _close_memberships(member, date, organization=from_org)
        member.organization = to_organization
        member.save()
        event = _event(
            member,
            EventKind.MOVED,
            date,
            organization=from_org,
            to_organization=to_organization,
            status_before=member.status,
            note=org_event_note,
        )
        _open_membership(member, to_organization, date, event)
        return event
