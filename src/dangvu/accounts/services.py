"""Writes on accounts: role assignments are added and ended, never deleted (history stays)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
        if assignment.role == "admin" and assignment.valid_to and _is_last_admin(assignment):
            raise ValidationError(
                {"valid_to": _("Không thể kết thúc vai trò quản trị cuối cùng của hệ thống.")}
            )
        assignment.save()
        return assignment


def _is_last_admin(assignment: RoleAssignment) -> bool:
    """No other admin role (nor superuser account) stays active after this one ends."""
    today = timezone.localdate()
    others = (
        RoleAssignment.objects.filter(role="admin", user__is_active=True, valid_from__lte=today)
        .exclude(pk=assignment.pk)
        .exclude(valid_to__isnull=False, valid_to__lte=today)
    )
    superusers = User.objects.filter(is_superuser=True, is_active=True).exclude(
        pk=assignment.user_id
    )
    return not (others.exists() or superusers.exists())


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
        if assignment.role == "admin" and assignment.valid_to and _is_last_admin(assignment):
            raise ValidationError(
                {"valid_to": _("Không thể kết thúc vai trò quản trị cuối cùng của hệ thống.")}
            )
        assignment.save()
        return assignment


def _is_last_admin(assignment: RoleAssignment) -> bool:
    """No other admin role (nor superuser account) stays active after this one ends."""
    today = timezone.localdate()
    others = (
        RoleAssignment.objects.filter(role="admin", user__is_active=True, valid_from__lte=today)
        .exclude(pk=assignment.pk)
        .exclude(valid_to__isnull=False, valid_to__lte=today)
    )
    superusers = User.objects.filter(is_superuser=True, is_active=True).exclude(
        pk=assignment.user_id
    )
    return not (others.exists() or superusers.exists())
