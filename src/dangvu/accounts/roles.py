"""Roles of product.md, what each may do per module, and which need a second factor.

A role is held at a node of the tree (RoleAssignment) and covers that node's subtree. Roles marked
`whole_tree` are meant to be held at the root. Later modules add their module names to the grants.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

V, A, C, D = "view", "add", "change", "delete"
ALL = frozenset({V, A, C, D})
READ = frozenset({V})


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    grants: dict = field(default_factory=dict)  # module -> set of actions; "*" = every module
    whole_tree: bool = False
    requires_otp: bool = False
    is_global: bool = False  # not tied to a node (administrator)


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            "admin",
            _("Quản trị hệ thống"),
            {"*": ALL},
            whole_tree=True,
            requires_otp=True,
            is_global=True,
        ),
        Role(
            "standing",
            _("Ủy viên Ban Thường vụ"),
            {
                "organizations": READ,
                "members": READ,
                "rulebook": READ,
                "audit": READ,
                "meetings": READ,
                # assignments, observer visits and their findings
                "supervision": ALL - {D},
                "committees": READ,
                "admission": READ,
                "badges": READ,
                "discipline": READ,
            },
            whole_tree=True,
        ),
        Role(
            "organization_dept",
            _("Ban Tổ chức"),
            {
                "organizations": ALL - {D},
                "members": ALL - {D},
                "member_events": ALL - {D},
                "rulebook": READ,
                "audit": READ,
                "meetings": READ,
                "supervision": ALL - {D},
                "committees": ALL - {D},
                "admission": ALL - {D},
                "badges": ALL - {D},
                "discipline": READ,
            },
            whole_tree=True,
        ),
        Role(
            "propaganda",
            _("Ban Tuyên giáo"),
            {
                "organizations": READ,
                "members": READ,
                "rulebook": READ,
                "meetings": READ,
                "committees": READ,
                "admission": READ,
                "badges": READ,
            },
            whole_tree=True,
        ),
        Role(
            "inspection",
            _("Ủy ban Kiểm tra"),
            {
                "organizations": READ,
                "members": READ,
                "rulebook": READ,
                "audit": READ,
                "meetings": READ,
                "supervision": READ,
                "committees": READ,
                "admission": READ,
                "badges": READ,
                "discipline": ALL - {D},
            },
            whole_tree=True,
            requires_otp=True,
        ),
        Role(
            "office",
            _("Văn phòng"),
            {
                "organizations": READ,
                "members": READ,
                "rulebook": READ,
                "meetings": READ,
                "supervision": READ,
                "committees": READ,
                "admission": READ,
                "badges": READ,
                "discipline": READ,
            },
            whole_tree=True,
        ),
        Role(
            "grassroots_secretary",
            _("Bí thư / cấp ủy viên cơ sở"),
            {
                "organizations": ALL - {D},
                "members": ALL - {D},
                "member_events": ALL - {D},
                "audit": READ,
                "meetings": ALL - {D},
                # follows up the corrective actions found in its subtree
                "supervision": frozenset({V, C}),
                "committees": ALL - {D},
                "admission": ALL - {D},
                "badges": ALL - {D},
                "discipline": READ,
            },
        ),
        Role(
            "cell_secretary",
            _("Bí thư chi bộ"),
            {
                "organizations": READ,
                "members": frozenset({V, C}),
                "meetings": ALL - {D},
                "supervision": frozenset({V, C}),
                "committees": READ,
                # prepares its candidates and records the cell's votes
                "admission": frozenset({V, A, C}),
                "badges": READ,
                "discipline": READ,
            },
        ),
        Role("member", _("Đảng viên"), {"organizations": READ, "members": READ, "meetings": READ}),
    ]
}

# Apps that add their own menu entries (dangvu/<app>/nav.py), in menu order.
NAV_APPS = ("committees", "admission", "badges", "discipline")
NAV_GROUP = _("Công tác đảng")  # their entries share one dropdown

ROLE_CHOICES = [(r.code, r.label) for r in ROLES.values()]


def role_allows(role: str, module: str | None, action: str) -> bool:
    r = ROLES.get(role)
    if r is None:
        return False
    actions = r.grants.get("*") or r.grants.get(module or "", frozenset())
    return action in actions


def active_grants(user) -> list[tuple[str, str | None, int | None, int | None]]:
    """Read on every request (core.scope memoises per user object), so one statement written
    out: the role assignments in force today with their organisation's path, and the user's
    member record (one at most: `Member.user` is unique). The ORM version took two queries and
    a quarter of an API list request's time (py-spy, docs/performance.md)."""
    from django.db import connection

    from dangvu.members.models import Member
    from dangvu.organizations.models import Organization

    from .models import RoleAssignment

    if user.pk is None:
        return []
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    # the member record through scalar sub-queries, not a join: SQLite's statistics on
    # members.user_id (NULL for nearly every member) made it scan the members for the join
    member = Member._meta.db_table
    with connection.cursor() as c:
        c.execute(
            "SELECT ra.role, ra.organization_id, o.path, "
            f"(SELECT m.id FROM {member} m WHERE m.user_id = ra.user_id), "
            f"(SELECT m.organization_id FROM {member} m WHERE m.user_id = ra.user_id) "
            f"FROM {RoleAssignment._meta.db_table} ra "
            f"LEFT JOIN {Organization._meta.db_table} o ON o.id = ra.organization_id "
            "WHERE ra.user_id = %s AND ra.valid_from <= %s "
            "AND (ra.valid_to IS NULL OR ra.valid_to > %s) ORDER BY ra.role, ra.id",
            [user.pk, today, today],
        )
        rows = c.fetchall()
    out = []
    for role, org_id, org_path, member_pk, member_org in rows:
        r = ROLES.get(role)
        if r is None:
            continue
        if not r.is_global and org_id is None:
            continue
        out.append((role, None if r.is_global else org_path, member_pk, member_org))
    if getattr(user, "is_superuser", False) and not any(g[0] == "admin" for g in out):
        out.append(("admin", None, None, None))
    return out


def _has_member(user) -> bool:
    try:
        return user.member is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


def user_roles(user) -> list[str]:
    from dangvu.core.scope import _grants

    return sorted({g[0] for g in _grants(user)})


def requires_otp(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(ROLES[r].requires_otp for r in user_roles(user) if r in ROLES)


def navigation_for(user) -> list[dict]:
    from dangvu.core.scope import scope_q
    from dangvu.members.models import Member
    from dangvu.organizations.models import Organization

    items = [{"url": "core:home", "label": _("Trang chủ"), "icon": "house"}]
    if scope_q(Organization, user) is not None:
        items.append({"url": "organizations:tree", "label": _("Tổ chức đảng"), "icon": "diagram-3"})
    if scope_q(Member, user) is not None:
        items.append({"url": "members:list", "label": _("Đảng viên"), "icon": "people"})
    if scope_q(Member, user, "add") is not None:
        items.append({"url": "dataio:import", "label": _("Nhập danh sách"), "icon": "upload"})
    from dangvu.core.models import Rule

    if scope_q(Rule, user) is not None:
        items.append({"url": "core:rulebook", "label": _("Sổ quy tắc"), "icon": "journal"})
    from dangvu.meetings.models import Meeting

    if scope_q(Meeting, user) is not None:
        if set(user_roles(user)) == {"member"}:
            # a member's account: its own meetings and check-in
            items.append(
                {"url": "meetings:my", "label": _("Sinh hoạt của tôi"), "icon": "calendar"}
            )
        else:
            items.append(
                {"url": "meetings:list", "label": _("Sinh hoạt chi bộ"), "icon": "calendar"}
            )
    if scope_q(Meeting, user, module="supervision") is not None:
        items.append({"url": "meetings:supervision", "label": _("Dự sinh hoạt"), "icon": "eye"})
    from importlib import import_module

    items += import_module("dangvu.reports.nav").items(user)
    for app in NAV_APPS:
        for item in import_module(f"dangvu.{app}.nav").items(user):
            items.append({"group": NAV_GROUP, **item})
    return items
