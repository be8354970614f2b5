"""Who may record which lifecycle event of a member.

The cell decides exemption from activity (QĐ 24 §7.1) and reports deaths and the end of a
temporary attachment, so a cell secretary records those ("change" on the member). Admission,
official recognition, transfers, removal, expulsion, readmission and card reissue are decisions of
a grassroots committee or above: they need the "member_events" module, which the organisation
department and grassroots secretaries hold for their subtree, and cell secretaries do not.
"""

from dangvu.core.scope import CHANGE, can

from .choices import EventKind

CELL_LEVEL_KINDS = frozenset(
    {
        EventKind.EXEMPTION_GRANTED,
        EventKind.EXEMPTION_ENDED,
        EventKind.DIED,
        EventKind.TEMPORARY_END,
    }
)


def can_record_event(user, member, kind: str) -> bool:
    if not can(user, CHANGE, member):
        return False
    if kind in CELL_LEVEL_KINDS:
        return True
    return can(user, CHANGE, member, module="member_events")
