"""Writes on accounts: role assignments are added and ended, never deleted (history stays)."""

import datetime as dt

from django.db import transaction

from dangvu.core.audit import audit_context

from .models import RoleAssignment, User

# What a correction of an assignment may change: its end (to end the role) and its note.
UPDATABLE_FIELDS = ("valid_to", "note")


@transaction.atomic
def role_assign(
    *,
    actor,
    user: User,
    role: str,
    organization=None,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
) -> RoleAssignment:
    """Give `user` the role `role` at `organization` (covering its subtree) from `valid_from`.

    Roles other than the administrator need an organisation; the model names the field.
    """
    with audit_context(actor=actor):
        assignment = RoleAssignment(
            user=user,
            role=role,
            organization=organization,
            valid_from=valid_from,
            valid_to=valid_to,
            note=note or "",
        )
        assignment.full_clean()
        assignment.save()
        return assignment


@transaction.atomic
def role_assignment_update(*, actor, assignment: RoleAssignment, data: dict) -> RoleAssignment:
    """End a role (`valid_to`, exclusive) or correct its note; the rest is history."""
    with audit_context(actor=actor):
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        for field in UPDATABLE_FIELDS:
            if field in data:
                value = data[field]
                setattr(assignment, field, "" if field == "note" and value is None else value)
        assignment.full_clean()
        assignment.save()
        return assignment
