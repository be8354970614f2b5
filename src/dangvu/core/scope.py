"""One scope mechanism: `Model.objects.restrict(user, action)`.

A role is held at a node of the organisation tree and covers its subtree, for the modules and
actions the role grants (see `dangvu.accounts.roles`). A member account covers only its own
record. Models describe how they hang off the tree with class attributes:

- `scope_module`: module name checked against the role's grants ("members", "organizations", …);
- `scope_org_field`: lookup to the organisation that owns the row ("" = the row is the organisation);
- `scope_member_field`: lookup to the member the row belongs to (for the member role), or None;
  or a static `scope_member_q(member_ids) -> Q` when that needs a subquery (a member's meetings);
- `scope_global = True`: not tied to the tree (rulebook); any role granting the module sees all.

Everything that reaches a user (lists, details, form choices, API, exports) goes through here;
an object outside the scope answers 404, like a missing one.
"""

import contextlib

from django.db import models
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


def _grants(user):
    """[(role, path or None for global, member_id, org_id)] for the user's active roles."""
    cached = getattr(user, "_scope_grants", None)
    if cached is not None:
        return cached
    from dangvu.accounts.roles import active_grants

    grants = active_grants(user)
    with contextlib.suppress(AttributeError):
        user._scope_grants = grants
    return grants


def clear_cache(user) -> None:
    if hasattr(user, "_scope_grants"):
        del user._scope_grants


def scope_q(model, user, action: str = VIEW, module: str | None = None) -> Q | None:
    """The Q that limits `model` for `user`, Q() for everything, or None for nothing."""
    from dangvu.accounts.roles import role_allows

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    module = module or getattr(model, "scope_module", None)
    if getattr(user, "is_superuser", False):
        return Q()
    org_field = getattr(model, "scope_org_field", "")
    member_field = getattr(model, "scope_member_field", None)
    is_global_model = getattr(model, "scope_global", False)
    paths: list[str] = []
    member_ids: list[int] = []
    own_org_ids: list[int] = []
    for role, path, member_id, org_id in _grants(user):
        if not role_allows(role, module, action):
            continue
        if role == "member":
            # A member account covers its own record, may see its own organisation, and the
            # tree-independent reference data of the modules it is granted (type labels).
            if is_global_model:
                return Q()
            if (member_field is not None or hasattr(model, "scope_member_q")) and member_id:
                member_ids.append(member_id)
            elif not org_field and not is_global_model and org_id and member_field is None:
                own_org_ids.append(org_id)
            continue
        if path is None or is_global_model:
            return Q()
        paths.append(path)
    q = Q(pk__in=[])
    matched = False
    path_lookup = f"{org_field}__path" if org_field else "path"
    for path in _minimal_prefixes(paths):
        q |= Q(**{f"{path_lookup}__startswith": path})
        matched = True
    if own_org_ids:
        q |= Q(pk__in=own_org_ids)
        matched = True
    if member_ids:
        custom = getattr(model, "scope_member_q", None)
        q |= custom(member_ids) if custom else Q(**{f"{member_field}__in": member_ids})
        matched = True
    return q if matched else None


def subtree_roots(user, module: str, action: str = VIEW) -> list[str] | None:
    """The tree paths whose subtrees make up exactly the user's scope in `module` (disjoint), or
    None when the scope is empty or not a union of subtrees (a member's own record). Lets
    readers of per-subtree counters (members.stats) serve any scope without counting rows."""
    from dangvu.accounts.roles import role_allows
    from dangvu.organizations.models import Organization

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if getattr(user, "is_superuser", False):
        return [o.path for o in Organization.objects.get_root_nodes()]
    paths: list[str] = []
    for role, path, _member_id, _org_id in _grants(user):
        if not role_allows(role, module, action):
            continue
        if role == "member":
            return None
        if path is None:
            return [o.path for o in Organization.objects.get_root_nodes()]
        paths.append(path)
    return _minimal_prefixes(paths) or None


def _minimal_prefixes(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(o) for o in out):
            out.append(p)
    return out


def can(user, action: str, obj=None, *, module: str | None = None, model=None) -> bool:
    """True if `user` may do `action` on `obj` (or on some row of `model` when obj is None)."""
    model = model or type(obj)
    q = scope_q(model, user, action, module)
    if q is None:
        return False
    if obj is None:
        return True
    return model._default_manager.filter(q, pk=obj.pk).exists()


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW, module: str | None = None):
        q = scope_q(self.model, user, action, module)
        if q is None:
            return self.none()
        return self.filter(q) if q else self
