"""Who may restructure an organisation.

Establishing, renaming, moving, merging, splitting and dissolving an organisation are decisions of
the level above it, so they need "change" on the parent: a grassroots secretary reorganises the
cells under its committee, not its own committee; the organisation department (held at the root)
reorganises everything below the root; the root itself only a global role (administrator).
Plain fields (address, phone, email) need "change" on the organisation itself.
"""

from django.db.models import Q

from dangvu.core.scope import CHANGE, can, scope_q

from .models import Organization


def can_restructure(user, org: Organization) -> bool:
    if org.dissolved_on:
        return False
    parent = Organization.objects.get_parent(org)
    if parent is None:
        return scope_q(Organization, user, CHANGE) == Q()
    return can(user, CHANGE, parent)
