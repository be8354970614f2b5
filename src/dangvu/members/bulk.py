"""Bulk registration of members: the rows `services.member_create(origin="registry")` writes, for
thousands of members at once (imports, demo data), with their audit history.

Validation is the caller's job (imports validate every row with the same rules before calling).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from dangvu.core.bulk import create_rows_with_history, create_with_history

from . import stats
from .choices import EventKind, MemberStatus, TransferKind
from .models import Member, MemberEvent, Membership


def _admission_rows(
    member_id, organization_id, admission_date, official_date, *, note, decision=("", None)
) -> list[dict]:
    """The events member_create writes for a member recorded from its file: `admitted`, and
    `recognised_official` when the official date is known."""
    number, decided = decision
    rows = [
        {
            "member_id": member_id,
            "kind": EventKind.ADMITTED,
            "date": admission_date,
            "organization_id": organization_id,
            "status_before": "",
            "status_after": MemberStatus.PROBATIONARY,
            "decision_number": number,
            "decision_date": decided,
            "note": note,
        }
    ]
    if official_date:
        rows.append(
            {
                "member_id": member_id,
                "kind": EventKind.RECOGNISED_OFFICIAL,
                "date": official_date,
                "organization_id": organization_id,
                "status_before": MemberStatus.PROBATIONARY,
                "status_after": MemberStatus.OFFICIAL,
            }
        )
    return rows


def _membership_row(member_id, organization_id, valid_from) -> dict:
    return {
        "member_id": member_id,
        "organization_id": organization_id,
        "kind": TransferKind.OFFICIAL,
        "valid_from": valid_from,
    }


def bulk_register(
    members: list[Member],
    *,
    batch_size: int = 500,
    default_user=None,
    history_attrs: dict | None = None,
    change_reason: str | None = None,
    joined_on: Callable[[Member], object] | None = None,
    admission_decision: Callable[[Member], tuple[str, object]] | None = None,
) -> list[Member]:
    """Create the members, their `admitted` (and `recognised_official`) events and an open official
    membership from `joined_on(m)` (default: the admission date), all with history rows."""
    hist = {
        "batch_size": batch_size,
        "default_user": default_user,
        "default_change_reason": change_reason,
        "custom_historical_attrs": history_attrs or {},
    }
    for m in members:
        m.refresh_derived()
        m.status = MemberStatus.OFFICIAL if m.official_date else MemberStatus.PROBATIONARY
    created = create_with_history(members, Member, **hist)
    note = _("Ghi nhận từ hồ sơ đảng viên.")
    events: list[MemberEvent] = []
    memberships: list[Membership] = []
    for m in created:
        for row in _admission_rows(
            m.pk,
            m.organization_id,
            m.admission_date,
            m.official_date,
            note=note,
            decision=admission_decision(m) if admission_decision else ("", None),
        ):
            events.append(MemberEvent(**row))
        memberships.append(
            Membership(
                **_membership_row(
                    m.pk, m.organization_id, joined_on(m) if joined_on else m.admission_date
                )
            )
        )
    create_with_history(events, MemberEvent, **hist)
    create_with_history(memberships, Membership, **hist)
    stats.refresh({m.organization_id for m in created})
    return created


class _Derived:
    """A row dict seen as a Member by `Member.refresh_derived` (reads the fields, sets
    search_text and name_sort), so the derived columns come from the model's own code."""

    __slots__ = ("_row",)
    _defaults = {
        f.attname: f.get_default() for f in Member._meta.concrete_fields if not f.is_relation
    }

    def __init__(self, row: dict):
        object.__setattr__(self, "_row", row)

    def __getattr__(self, name):
        row = self._row
        return row[name] if name in row else self._defaults[name]

    def __setattr__(self, name, value):
        self._row[name] = value


def bulk_register_rows(
    rows: list[dict],
    *,
    batch_size: int = 500,
    default_user=None,
    history_attrs: dict | None = None,
    change_reason: str | None = None,
    refresh_stats: bool = True,
) -> list[int]:
    """`bulk_register` for members given as {field: value} (imports): the same member, event,
    membership and history rows, written without building model instances on PostgreSQL
    (core.bulk.create_rows_with_history). Returns the new members' ids. `refresh_stats=False`
    leaves the organisations' counters to the caller (an import refreshes them once at the end
    instead of recounting the same organisation after every batch)."""
    hist = {
        "batch_size": batch_size,
        "default_user": default_user,
        "default_change_reason": change_reason,
        "custom_historical_attrs": history_attrs or {},
    }
    refresh_derived = Member.refresh_derived
    for row in rows:
        refresh_derived(_Derived(row))
        row["status"] = (
            MemberStatus.OFFICIAL if row.get("official_date") else MemberStatus.PROBATIONARY
        )
    ids = create_rows_with_history(rows, Member, **hist)
    note = _("Ghi nhận từ hồ sơ đảng viên.")
    events: list[dict] = []
    memberships: list[dict] = []
    for row, member_id in zip(rows, ids, strict=True):
        org_id, admitted = row["organization_id"], row["admission_date"]
        events.extend(
            _admission_rows(member_id, org_id, admitted, row.get("official_date"), note=note)
        )
        memberships.append(_membership_row(member_id, org_id, admitted))
    create_rows_with_history(events, MemberEvent, **hist)
    create_rows_with_history(memberships, Membership, **hist)
    if refresh_stats:
        stats.refresh({row["organization_id"] for row in rows})
    return ids
