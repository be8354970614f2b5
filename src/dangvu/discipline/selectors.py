"""Reads of discipline decisions."""

import datetime as dt

from .models import DisciplineCase


def cases_for_members(member_ids_query, on: dt.date) -> list[DisciplineCase]:
    """Decisions taken on or before `on` for the members of `member_ids_query` (a values("pk")
    queryset or a list), oldest first, lifted ones included (callers read `lifted_on`)."""
    return list(
        DisciplineCase.objects.filter(member__in=member_ids_query, decided_on__lte=on).order_by(
            "member_id", "decided_on", "id"
        )
    )
