"""Bulk registration of members: the rows `services.member_create(origin="registry")` writes, for
thousands of members at once (imports, demo data), with their audit history.

Validation is the caller's job (imports validate every row with the same rules before calling).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from dangvu.core.bulk import create_with_history

from . import stats
from .choices import EventKind, MemberStatus, TransferKind
from .models import Member, MemberEvent, Membership


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
        number, decided = admission_decision(m) if admission_decision else ("", None)
        events.append(
            MemberEvent(
                member=m,
                kind=EventKind.ADMITTED,
                date=m.admission_date,
                organization_id=m.organization_id,
                status_before="",
                status_after=MemberStatus.PROBATIONARY,
                decision_number=number,
                decision_date=decided,
                note=note,
            )
        )
        if m.official_date:
            events.append(
                MemberEvent(
                    member=m,
                    kind=EventKind.RECOGNISED_OFFICIAL,
                    date=m.official_date,
                    organization_id=m.organization_id,
                    status_before=MemberStatus.PROBATIONARY,
                    status_after=MemberStatus.OFFICIAL,
                )
            )
        memberships.append(
            Membership(
                member=m,
                organization_id=m.organization_id,
                kind=TransferKind.OFFICIAL,
                valid_from=joined_on(m) if joined_on else m.admission_date,
            )
        )
    create_with_history(events, MemberEvent, **hist)
    create_with_history(memberships, Membership, **hist)
    stats.refresh({m.organization_id for m in created})
    return created
