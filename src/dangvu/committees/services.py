"""Writes about terms, congresses, committees and seats.

Each service is keyword-only, atomic, runs under `audit_context(actor=actor)` and raises
ValidationError keyed by the field it rejects, in Vietnamese, citing the rulebook when a rule
blocks ("Theo QĐ 294-QĐ/TW …"). Nothing is half-written. Scope (which organisations a user may
touch) is the callers' business, through `restrict()`.

Rules enforced (keys of the rulebook):
- a cell with fewer than `org.cell_committee_threshold` official members elects a secretary and at
  most `org.cell_deputy_max` deputy, and no cell committee; from the threshold on, a cell
  committee of at most `org.cell_committee_max` members with at most
  `org.cell_committee_deputy_max` deputy (official members counted as of the date);
- seats held never exceed the seats approved; a person holds one seat of a committee at a time;
- the holder belongs to the organisation (its subtree for committees above the cell) and is an
  official member on the date (`committee.seat_official_only`: probationary members may not
  stand for election, Điều lệ art. 3);
- holding a congress opens the new term (and closes the previous one, ending its seats).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dangvu.core.audit import audit_context
from dangvu.core.dates import fmt
from dangvu.core.rulebook import rule
from dangvu.organizations.choices import CELL_TYPES

from . import selectors
from .choices import (
    BODY_POSITIONS,
    DEPUTY_POSITIONS,
    SINGLE_POSITIONS,
    BodyKind,
    CongressKind,
    CongressStatus,
    EndReason,
    Position,
    StartKind,
)
from .models import (
    ChecklistTemplateItem,
    Committee,
    CommitteeSeat,
    CommitteeSeatQuota,
    Congress,
    CongressChecklistItem,
    Term,
)

MAX_APPROVED = 99


def _today() -> dt.date:
    return timezone.localdate()


def _error(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]}) if field else ValidationError(message)


def _cite(message: str, *rules) -> str:
    seen: list[str] = []
    for r in rules:
        if r.citation not in seen:
            seen.append(r.citation)
    return message + " " + "; ".join(seen) + "."


def _require(field: str, value, label: str) -> None:
    if value in (None, ""):
        raise _error(field, _("Chưa nhập %(label)s.") % {"label": label})


def _check_org(organization, on: dt.date | None = None) -> None:
    if organization is None:
        raise _error("organization", _("Chưa chọn tổ chức đảng."))
    if organization.dissolved_on is not None and (on is None or organization.dissolved_on <= on):
        raise _error("organization", _("Tổ chức đảng này đã giải thể."))


# =============================================================================================
# Terms
# =============================================================================================
def _end_seats(committees, end_date: dt.date, reason: str = EndReason.TERM_ENDED) -> int:
    """End the seats of `committees` still open on `end_date` (those starting later are left)."""
    seats = list(
        CommitteeSeat.objects.select_for_update()
        .filter(committee__in=committees, start_date__lt=end_date)
        .filter(end_date__isnull=True)
    )
    for s in seats:
        s.end_date = end_date
        s.end_reason = reason
        s.save(update_fields=["end_date", "end_reason"])
    return len(seats)


def _close(term: Term, end_date: dt.date) -> None:
    term.end_date = end_date
    term.full_clean()
    term.save(update_fields=["end_date"])
    _end_seats(list(term.committees.all()), end_date)


@transaction.atomic
def term_open(*, actor, organization, name: str, start_date: dt.date, note: str = "") -> Term:
    """Record a new term from `start_date`; the term running then closes on that date (its seats
    end with reason "term ended")."""
    with audit_context(actor=actor):
        _check_org(organization, start_date)
        name = (name or "").strip()
        _require("name", name, _("tên nhiệm kỳ (ví dụ 2025–2030)"))
        _require("start_date", start_date, _("ngày bắt đầu"))
        if organization.established_on and start_date < organization.established_on:
            raise _error(
                "start_date",
                _("Nhiệm kỳ không thể bắt đầu trước ngày thành lập tổ chức (%(d)s).")
                % {"d": fmt(organization.established_on)},
            )
        terms = list(
            Term.objects.select_for_update()
            .filter(organization=organization)
            .order_by("start_date")
        )
        for t in terms:
            if t.start_date >= start_date:
                raise _error(
                    "start_date",
                    _("Đã có nhiệm kỳ %(name)s bắt đầu ngày %(d)s: nhiệm kỳ mới phải bắt đầu sau.")
                    % {"name": t.name, "d": fmt(t.start_date)},
                )
            if t.end_date and t.end_date > start_date:
                raise _error(
                    "start_date",
                    _("Nhiệm kỳ %(name)s kéo dài đến %(d)s: hai nhiệm kỳ không được chồng nhau.")
                    % {"name": t.name, "d": fmt(t.end_date)},
                )
        if any(t.name.casefold() == name.casefold() for t in terms):
            raise _error("name", _("Tổ chức đã có nhiệm kỳ “%(name)s”.") % {"name": name})
        for t in terms:
            if t.end_date is None:
                _close(t, start_date)
        term = Term(organization=organization, name=name, start_date=start_date, note=note or "")
        term.full_clean()
        term.save()
        return term


@transaction.atomic
def term_close(*, actor, term: Term, end_date: dt.date) -> Term:
    """Close a running term on `end_date` (not counted); its open seats end that day."""
    with audit_context(actor=actor):
        term = Term.objects.select_for_update().get(pk=term.pk)
        _require("end_date", end_date, _("ngày kết thúc"))
        if term.end_date is not None:
            raise _error(
                "end_date",
                _("Nhiệm kỳ %(name)s đã kết thúc ngày %(d)s.")
                % {"name": term.name, "d": fmt(term.end_date)},
            )
        if end_date <= term.start_date:
            raise _error(
                "end_date",
                _("Ngày kết thúc phải sau ngày bắt đầu nhiệm kỳ (%(d)s).")
                % {"d": fmt(term.start_date)},
            )
        _close(term, end_date)
        return term


# =============================================================================================
# Congresses
# =============================================================================================
@transaction.atomic
def congress_plan(
    *,
    actor,
    organization,
    term_name: str,
    planned_date: dt.date,
    kind: str = CongressKind.MEMBERS,
    approval_decision: str = "",
    notes: str = "",
) -> Congress:
    """Plan the congress that opens `term_name`; its preparation list is copied from the
    default list (the administrator's checklist template)."""
    with audit_context(actor=actor):
        _check_org(organization)
        term_name = (term_name or "").strip()
        _require("term_name", term_name, _("nhiệm kỳ đại hội mở (ví dụ 2025–2030)"))
        _require("planned_date", planned_date, _("ngày dự kiến"))
        if kind not in CongressKind.values:
            raise _error("kind", _("Hình thức đại hội “%(k)s” không hợp lệ.") % {"k": kind})
        if Congress.objects.filter(
            organization=organization, status=CongressStatus.PLANNED
        ).exists():
            raise _error(
                "planned_date",
                _("Tổ chức đã có một đại hội dự kiến: ghi kết quả hoặc hủy đại hội đó trước."),
            )
        last = selectors.latest_term(organization)
        if last is not None and planned_date <= last.start_date:
            raise _error(
                "planned_date",
                _("Ngày dự kiến phải sau ngày bắt đầu nhiệm kỳ hiện tại (%(d)s).")
                % {"d": fmt(last.start_date)},
            )
        if Term.objects.filter(organization=organization, name__iexact=term_name).exists():
            raise _error("term_name", _("Tổ chức đã có nhiệm kỳ “%(name)s”.") % {"name": term_name})
        congress = Congress(
            organization=organization,
            term_name=term_name,
            kind=kind,
            planned_date=planned_date,
            approval_decision=(approval_decision or "").strip(),
            notes=notes or "",
        )
        congress.full_clean()
        congress.save()
        items = [
            CongressChecklistItem(congress=congress, order=t.order, title=t.title)
            for t in ChecklistTemplateItem.objects.filter(is_active=True).order_by("order", "id")
        ]
        bulk_create_with_history(
            items,
            CongressChecklistItem,
            default_user=actor if getattr(actor, "pk", None) else None,
        )
        return congress


def _require_planned(congress: Congress) -> None:
    if congress.status != CongressStatus.PLANNED:
        raise _error(
            None,
            _("Đại hội đang ở trạng thái “%(s)s”: không thể thay đổi.")
            % {"s": congress.get_status_display()},
        )


@transaction.atomic
def congress_hold(
    *, actor, congress: Congress, held_date: dt.date, result_decision: str = "", notes=None
) -> Congress:
    """Record that the congress was held on `held_date`: it opens its term from that date (the
    previous term closes and its seats end)."""
    with audit_context(actor=actor):
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        _require_planned(congress)
        _require("held_date", held_date, _("ngày tổ chức"))
        if held_date > _today():
            raise _error("held_date", _("Ngày tổ chức không được sau hôm nay."))
        try:
            term = term_open(
                actor=actor,
                organization=congress.organization,
                name=congress.term_name,
                start_date=held_date,
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    ("held_date" if f in ("start_date", "organization") else "term_name"): m
                    for f, m in exc.message_dict.items()
                }
            ) from exc
        congress.held_date = held_date
        congress.status = CongressStatus.HELD
        congress.term = term
        congress.result_decision = (result_decision or "").strip()
        if notes is not None:
            congress.notes = notes
        congress.full_clean()
        congress.save()
        return congress


@transaction.atomic
def congress_cancel(*, actor, congress: Congress, reason: str) -> Congress:
    with audit_context(actor=actor):
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        _require_planned(congress)
        reason = (reason or "").strip()
        _require("reason", reason, _("lý do hủy"))
        congress.status = CongressStatus.CANCELLED
        congress.notes = (congress.notes + "\n" if congress.notes else "") + _("Hủy: %(r)s") % {
            "r": reason
        }
        congress.save(update_fields=["status", "notes"])
        return congress


@transaction.atomic
def checklist_set(
    *, actor, item: CongressChecklistItem, done: bool, on: dt.date | None = None, note=None
) -> CongressChecklistItem:
    """Tick (or untick) one preparation step; ticking records the date and who."""
    with audit_context(actor=actor):
        item = (
            CongressChecklistItem.objects.select_for_update()
            .select_related("congress")
            .get(pk=item.pk)
        )
        if item.congress.status == CongressStatus.CANCELLED:
            raise _error(None, _("Đại hội đã hủy: không cập nhật việc chuẩn bị."))
        if done:
            on = on or _today()
            if on > _today():
                raise _error("done_on", _("Ngày xong không được sau hôm nay."))
            item.done, item.done_on = True, on
            item.done_by = actor if getattr(actor, "pk", None) else None
        else:
            item.done, item.done_on, item.done_by = False, None, None
        if note is not None:
            item.note = (note or "").strip()[:255]
        item.save()
        return item


# =============================================================================================
# Committees
# =============================================================================================
def _count_limits(organization, body: str, on: dt.date, counts: dict[str, int], field: str):
    """The structure rules of a cell on `on` for position counts `counts` ({position: n})."""
    if organization.org_type not in CELL_TYPES:
        return
    if body != BodyKind.PARTY_COMMITTEE:
        raise _error(
            "body",
            _("Chi bộ không có %(b)s: chỉ bầu bí thư, phó bí thư (hoặc chi ủy).")
            % {"b": BodyKind(body).label},
        )
    official = selectors.official_members_on(organization, on)
    threshold = rule("org.cell_committee_threshold", on)
    deputies = sum(n for p, n in counts.items() if p in DEPUTY_POSITIONS)
    total = sum(counts.values())
    if official < int(threshold.value):
        deputy_max = rule("org.cell_deputy_max", on)
        if counts.get(Position.MEMBER, 0):
            raise _error(
                field,
                _cite(
                    _(
                        "Chi bộ có %(n)s đảng viên chính thức (dưới %(t)s) ngày %(d)s: chỉ bầu bí "
                        "thư và phó bí thư, không lập chi ủy."
                    )
                    % {"n": official, "t": threshold.value, "d": fmt(on)},
                    threshold,
                ),
            )
        if deputies > int(deputy_max.value):
            raise _error(
                field,
                _cite(
                    _(
                        "Chi bộ có %(n)s đảng viên chính thức (dưới %(t)s): tối đa %(m)s phó bí "
                        "thư, đang có %(k)s."
                    )
                    % {"n": official, "t": threshold.value, "m": deputy_max.value, "k": deputies},
                    threshold,
                    deputy_max,
                ),
            )
        return
    committee_max = rule("org.cell_committee_max", on)
    deputy_max = rule("org.cell_committee_deputy_max", on)
    if total > int(committee_max.value):
        raise _error(
            field,
            _cite(
                _(
                    "Chi bộ có %(n)s đảng viên chính thức: chi ủy có tối đa %(m)s ủy viên, đang có "
                    "%(k)s."
                )
                % {"n": official, "m": committee_max.value, "k": total},
                threshold,
                committee_max,
            ),
        )
    if deputies > int(deputy_max.value):
        raise _error(
            field,
            _cite(
                _("Chi ủy bầu tối đa %(m)s phó bí thư, đang có %(k)s.")
                % {"m": deputy_max.value, "k": deputies},
                deputy_max,
            ),
        )


def clean_quotas(body: str, quotas) -> dict[str, int]:
    """{position: approved} for `body`: known positions of that body, whole numbers, one
    secretary (chair) at most, at least one seat."""
    if body not in BodyKind.values:
        raise _error("body", _("Cơ quan “%(b)s” không hợp lệ.") % {"b": body})
    allowed = BODY_POSITIONS[BodyKind(body)]
    out: dict[str, int] = {}
    for position, n in dict(quotas or {}).items():
        if position not in allowed:
            raise _error(
                "quotas",
                _("%(b)s không có chức danh “%(p)s”.")
                % {"b": BodyKind(body).label, "p": dict(Position.choices).get(position, position)},
            )
        try:
            n = int(n or 0)
        except (TypeError, ValueError):
            raise _error("quotas", _("Số lượng phải là số nguyên.")) from None
        if n < 0 or n > MAX_APPROVED:
            raise _error("quotas", _("Số lượng phải từ 0 đến %(m)s.") % {"m": MAX_APPROVED})
        if position in SINGLE_POSITIONS and n > 1:
            raise _error(
                "quotas",
                _("Mỗi cơ quan chỉ có một %(p)s.") % {"p": Position(position).label.lower()},
            )
        if n:
            out[position] = n
    if not out:
        raise _error("quotas", _("Chưa nhập số lượng được duyệt của chức danh nào."))
    return out


@transaction.atomic
def committee_create(
    *,
    actor,
    organization,
    term: Term,
    body: str = BodyKind.PARTY_COMMITTEE,
    formed_on: dt.date | None = None,
    quotas: dict,
    decision_number: str = "",
    note: str = "",
) -> Committee:
    """A committee of `term` with its approved seats per position ({position: number})."""
    with audit_context(actor=actor):
        _check_org(organization)
        if term is None or term.organization_id != organization.pk:
            raise _error("term", _("Nhiệm kỳ không thuộc tổ chức này."))
        formed_on = formed_on or term.start_date
        if not term.covers(formed_on):
            raise _error(
                "formed_on",
                _("Ngày thành lập phải trong nhiệm kỳ %(name)s.") % {"name": term.name},
            )
        counts = clean_quotas(body, quotas)
        if Committee.objects.filter(term=term, body=body).exists():
            raise _error(
                "body",
                _("Nhiệm kỳ %(name)s đã có %(b)s.")
                % {"name": term.name, "b": BodyKind(body).label.lower()},
            )
        _count_limits(organization, body, formed_on, counts, "quotas")
        committee = Committee(
            organization=organization,
            term=term,
            body=body,
            formed_on=formed_on,
            decision_number=(decision_number or "").strip(),
            note=note or "",
        )
        committee.full_clean()
        committee.save()
        for position, n in counts.items():
            CommitteeSeatQuota.objects.create(committee=committee, position=position, approved=n)
        return committee


@transaction.atomic
def committee_set_quotas(*, actor, committee: Committee, quotas: dict, on=None) -> Committee:
    """Change the approved seats (e.g. the superior approves one more deputy); never below the
    seats held now."""
    with audit_context(actor=actor):
        committee = (
            Committee.objects.select_for_update()
            .select_related("organization")
            .get(pk=committee.pk)
        )
        on = on or _today()
        counts = clean_quotas(committee.body, quotas)
        _count_limits(committee.organization, committee.body, on, counts, "quotas")
        held = _held_counts(committee, on)
        for position, n in held.items():
            if n > counts.get(position, 0):
                raise _error(
                    "quotas",
                    _("%(p)s: đang có %(n)s người giữ chức, không thể duyệt ít hơn.")
                    % {"p": Position(position).label, "n": n},
                )
        existing = {q.position: q for q in committee.quotas.all()}
        for position in set(existing) | set(counts):
            n = counts.get(position, 0)
            q = existing.get(position)
            if q is None:
                CommitteeSeatQuota.objects.create(
                    committee=committee, position=position, approved=n
                )
            elif q.approved != n:
                q.approved = n
                q.save(update_fields=["approved"])
        return committee


def _open_from(on: dt.date):
    """Seats not ended by `on` (held then, or starting later): what `on` must leave room for."""
    from django.db.models import Q

    return Q(end_date__isnull=True) | Q(end_date__gt=on)


def _held_counts(committee: Committee, on: dt.date) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in committee.seats.filter(_open_from(on)).values_list("position", flat=True):
        out[p] = out.get(p, 0) + 1
    return out


def _check_holder(committee: Committee, member, on: dt.date) -> None:
    """The holder belongs to the organisation (its subtree above the cell) on `on` and is an
    official member then."""
    from dangvu.members.choices import MemberStatus
    from dangvu.members.selectors import members_as_of

    org = committee.organization
    row = (
        members_as_of(org, on, subtree=org.org_type not in CELL_TYPES)
        .filter(pk=member.pk)
        .values_list("status_on", flat=True)
        .first()
    )
    if row is None:
        where = _("của %(org)s") if org.org_type in CELL_TYPES else _("thuộc %(org)s")
        raise _error(
            "member",
            _("%(name)s không phải đảng viên đang sinh hoạt %(where)s ngày %(d)s.")
            % {"name": member.full_name, "where": where % {"org": org.name}, "d": fmt(on)},
        )
    if row == MemberStatus.PROBATIONARY:
        r = rule("committee.seat_official_only", on)
        if int(r.value):
            raise _error(
                "member",
                _cite(
                    _(
                        "%(name)s là đảng viên dự bị ngày %(d)s: đảng viên dự bị không có quyền "
                        "ứng cử, bầu cử cơ quan lãnh đạo của Đảng."
                    )
                    % {"name": member.full_name, "d": fmt(on)},
                    r,
                ),
            )
    elif row != MemberStatus.OFFICIAL:
        raise _error(
            "member",
            _("%(name)s đang %(s)s ngày %(d)s: không giữ chức danh cấp ủy.")
            % {"name": member.full_name, "s": MemberStatus(row).label.lower(), "d": fmt(on)},
        )


@transaction.atomic
def seat_fill(
    *,
    actor,
    committee: Committee,
    member,
    position: str,
    start_date: dt.date,
    start_kind: str = StartKind.ELECTED,
    decision_number: str = "",
    note: str = "",
) -> CommitteeSeat:
    """A member takes a seat (elected or appointed) from `start_date`."""
    with audit_context(actor=actor):
        committee = (
            Committee.objects.select_for_update()
            .select_related("organization", "term")
            .get(pk=committee.pk)
        )
        if position not in BODY_POSITIONS[BodyKind(committee.body)]:
            raise _error(
                "position",
                _("%(b)s không có chức danh “%(p)s”.")
                % {
                    "b": committee.get_body_display(),
                    "p": dict(Position.choices).get(position, position),
                },
            )
        if start_kind not in StartKind.values:
            raise _error("start_kind", _("Hình thức “%(k)s” không hợp lệ.") % {"k": start_kind})
        if member is None:
            raise _error("member", _("Chưa chọn đảng viên."))
        _require("start_date", start_date, _("ngày bắt đầu"))
        term = committee.term
        if not term.covers(start_date):
            raise _error(
                "start_date",
                _("Ngày bắt đầu phải trong nhiệm kỳ %(name)s (từ %(a)s%(b)s).")
                % {
                    "name": term.name,
                    "a": fmt(term.start_date),
                    "b": _(" đến trước %(d)s") % {"d": fmt(term.end_date)} if term.end_date else "",
                },
            )
        _check_holder(committee, member, start_date)
        taken = committee.seats.filter(member=member).filter(_open_from(start_date)).first()
        if taken is not None:
            raise _error(
                "member",
                _(
                    "%(name)s đang giữ chức %(p)s của %(c)s (từ %(d)s): mỗi người chỉ giữ một "
                    "chức danh trong một cơ quan."
                )
                % {
                    "name": member.full_name,
                    "p": taken.get_position_display().lower(),
                    "c": committee.get_body_display().lower(),
                    "d": fmt(taken.start_date),
                },
            )
        held = _held_counts(committee, start_date)
        approved = dict(committee.quotas.values_list("position", "approved"))
        if held.get(position, 0) + 1 > approved.get(position, 0):
            raise _error(
                "position",
                _("%(p)s: đã đủ %(n)s/%(a)s theo số lượng được duyệt; không thể bổ sung thêm.")
                % {
                    "p": Position(position).label,
                    "n": held.get(position, 0),
                    "a": approved.get(position, 0),
                },
            )
        after = dict(held)
        after[position] = after.get(position, 0) + 1
        _count_limits(committee.organization, committee.body, start_date, after, "position")
        seat = CommitteeSeat(
            committee=committee,
            member=member,
            position=position,
            start_date=start_date,
            start_kind=start_kind,
            decision_number=(decision_number or "").strip(),
            note=(note or "").strip(),
        )
        seat.full_clean()
        seat.save()
        return seat


@transaction.atomic
def seat_end(
    *,
    actor,
    seat: CommitteeSeat,
    end_date: dt.date,
    reason: str,
    decision_number: str = "",
    note=None,
) -> CommitteeSeat:
    """The holder leaves the seat on `end_date` (not counted) for `reason`."""
    with audit_context(actor=actor):
        seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
        if seat.end_date is not None:
            raise _error(
                "end_date",
                _("%(name)s đã thôi chức danh này từ ngày %(d)s.")
                % {"name": seat.member.full_name, "d": fmt(seat.end_date)},
            )
        _require("end_date", end_date, _("ngày thôi"))
        if end_date <= seat.start_date:
            raise _error(
                "end_date",
                _("Ngày thôi phải sau ngày bắt đầu (%(d)s).") % {"d": fmt(seat.start_date)},
            )
        if reason not in EndReason.values:
            raise _error("reason", _("Chưa chọn lý do thôi giữ chức."))
        seat.end_date = end_date
        seat.end_reason = reason
        seat.end_decision_number = (decision_number or "").strip()
        if note is not None:
            seat.note = (note or "").strip()
        seat.full_clean()
        seat.save()
        return seat
