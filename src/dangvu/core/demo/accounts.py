"""Demo accounts: one per role, password = user name, only in demo mode (DEBUG=1, DANGVU_DEMO=1).

Used by `manage.py demo_accounts` and at the end of `manage.py seed_demo`. Idempotent: running it
again resets the passwords and roles of the demo accounts and touches nothing else; it refuses to
take over an account of the same name that is not a demo account.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from dangvu.accounts.models import RoleAssignment, User
from dangvu.accounts.roles import ROLES
from dangvu.core.audit import audit_context
from dangvu.members.choices import MemberStatus
from dangvu.members.models import Member
from dangvu.organizations.choices import OrgType
from dangvu.organizations.models import Organization

from . import agencies as A

ROLE_VALID_FROM = dt.date(2020, 1, 1)

# user name, role, where ("root", "committee", "cell" or None), full name, what the role sees
ACCOUNTS = [
    ("admin", "admin", None, "Quản trị hệ thống", "mọi thứ, cả trang quản trị Django"),
    ("btv", "standing", "root", "Trần Đình Phúc", "toàn bộ cây tổ chức, chỉ xem"),
    ("tochuc", "organization_dept", "root", "Lê Thị Thu Hà", "toàn bộ; thêm, sửa đảng viên"),
    ("tuyengiao", "propaganda", "root", "Nguyễn Văn Hải", "toàn bộ cây, chỉ xem"),
    ("kiemtra", "inspection", "root", "Phan Văn Thắng", "toàn bộ cây, chỉ xem"),
    ("vanphong", "office", "root", "Hoàng Thị Lan", "toàn bộ cây, chỉ xem"),
    ("bithu", "grassroots_secretary", "committee", "Võ Đức Hùng", "đảng bộ cơ sở của mình"),
    ("chibo", "cell_secretary", "cell", "Đặng Thị Hương", "chi bộ của mình"),
    ("dangvien", "member", "cell", "", "hồ sơ của chính mình"),
]


class DemoAccountsError(Exception):
    """The demo accounts cannot be made; the message says why, in Vietnamese."""


class DemoModeOff(DemoAccountsError):
    pass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    role_label: str
    organization: str
    full_name: str
    sees: str


def _targets() -> dict[str, Organization | None]:
    active = Organization.objects.filter(dissolved_on__isnull=True)
    root = active.filter(code=A.ROOT_CODE).first() or (
        active.filter(depth=1, org_type=OrgType.SUPERIOR_COMMITTEE).first()
    )
    if root is None:
        return {"root": None, "committee": None, "cell": None}
    committee = active.filter(code=A.DEMO_COMMITTEE).first() or (
        active.filter(path__startswith=root.path, org_type=OrgType.GRASSROOTS_COMMITTEE)
        .order_by("path")
        .first()
    )
    cell = active.filter(code=A.DEMO_CELL).first()
    if cell is None and committee is not None:
        cell = (
            active.filter(path__startswith=committee.path, org_type=OrgType.CELL)
            .order_by("path")
            .first()
        )
    return {"root": root, "committee": committee, "cell": cell}


def ensure_demo_accounts() -> list[DemoAccount]:
    """Create or reset the nine demo accounts; return them for printing."""
    if not settings.DEMO_MODE:
        raise DemoModeOff(
            "Chỉ tạo tài khoản trình diễn khi bật chế độ trình diễn (DEBUG=1 và DANGVU_DEMO=1)."
        )
    targets = _targets()
    if targets["root"] is None:
        raise DemoAccountsError(
            "Chưa có tổ chức đảng nào: chạy `manage.py seed_demo` trước khi tạo tài khoản trình diễn."
        )
    out = []
    with audit_context(actor=None, source="command"), transaction.atomic():
        for username, role, where, full_name, sees in ACCOUNTS:
            org = targets[where] if where else None
            if where and org is None:
                continue
            user = User.objects.filter(username=username).first()
            if user is not None and not user.is_demo:
                raise DemoAccountsError(
                    f"Tài khoản “{username}” đã có và không phải tài khoản trình diễn: "
                    "không ghi đè."
                )
            user = user or User(username=username)
            member = _demo_member(org, user) if role == "member" else None
            user.full_name = member.full_name if member else full_name
            user.is_demo = True
            user.is_active = True
            user.is_staff = user.is_superuser = role == "admin"
            user.set_password(username)
            user.save()
            _ensure_role(user, role, org)
            if member is not None and member.user_id != user.pk:
                Member.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
                member.user = user
                member.save(update_fields=["user"])
            out.append(
                DemoAccount(
                    username=username,
                    password=username,
                    role=role,
                    role_label=str(ROLES[role].label),
                    organization=org.name if org else "—",
                    full_name=user.full_name,
                    sees=sees,
                )
            )
    return out


def _demo_member(cell: Organization, user: User) -> Member | None:
    current = Member.objects.filter(user=user).first() if user.pk else None
    if current is not None and current.organization_id == cell.pk:
        return current
    qs = Member.objects.filter(organization=cell, status=MemberStatus.OFFICIAL)
    return qs.filter(user__isnull=True).order_by("name_sort", "id").first()


def _ensure_role(user: User, role: str, org: Organization | None) -> None:
    keep = None
    for ra in RoleAssignment.objects.filter(user=user).order_by("id"):
        if keep is None and ra.role == role and ra.organization_id == (org.pk if org else None):
            keep = ra
        else:
            ra.delete()
    if keep is None:
        keep = RoleAssignment(user=user, role=role, organization=org)
    keep.valid_from, keep.valid_to = ROLE_VALID_FROM, None
    keep.note = "Tài khoản trình diễn"
    keep.full_clean()
    keep.save()


def format_table(accounts: list[DemoAccount]) -> str:
    header = ("Tài khoản", "Mật khẩu", "Vai trò", "Tổ chức")
    rows = [(a.username, a.password, a.role_label, a.organization) for a in accounts]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    sep = "-+-".join("-" * w for w in widths)
    lines = [fmt.format(*header), sep, *(fmt.format(*r) for r in rows)]
    return "\n".join(line.rstrip() for line in lines)
