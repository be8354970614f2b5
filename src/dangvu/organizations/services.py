"""Changes to the organisation tree, each a dated OrganizationEvent with its decision number.

Nothing is deleted: a merged or dissolved organisation keeps its row with `dissolved_on`, its
versions keep what it was, and its members move with a dated record (MemberEvent "moved").
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.dates import fmt

from .choices import ALLOWED_PARENTS, OrgEventKind, OrgType
from .models import Organization, OrganizationEvent, OrganizationVersion


def _check_date(date: dt.date, organization: Organization | None = None) -> None:
    if date is None:
        raise ValidationError({"date": _("Chưa nhập ngày hiệu lực.")})
    if date > timezone.localdate():
        raise ValidationError(
            {"date": _("Ngày hiệu lực không được ở tương lai (%(d)s).") % {"d": fmt(date)}}
        )
    if organization is not None:
        current = _current_version(organization)
        if current and date < current.valid_from:
            raise ValidationError(
                {
                    "date": _(
                        "Ngày hiệu lực phải từ %(d)s trở đi (sau thay đổi gần nhất của tổ chức)."
                    )
                    % {"d": fmt(current.valid_from)}
                }
            )
        if organization.dissolved_on:
            raise ValidationError(_("Tổ chức “%(o)s” đã giải thể.") % {"o": organization.name})


def _require_decision(decision_number: str) -> None:
    if not (decision_number or "").strip():
        raise ValidationError({"decision_number": _("Chưa nhập số quyết định.")})


def _check_parent(org_type: str, parent: Organization | None, field: str = "parent") -> None:
    allowed = ALLOWED_PARENTS[OrgType(org_type)]
    parent_type = OrgType(parent.org_type) if parent is not None else None
    if parent_type not in allowed:
        if parent is None:
            msg = _("%(t)s phải trực thuộc một tổ chức cấp trên.") % {"t": OrgType(org_type).label}
        else:
            msg = _("%(t)s không thể trực thuộc %(p)s.") % {
                "t": OrgType(org_type).label,
                "p": OrgType(parent.org_type).label.lower(),
            }
        raise ValidationError({field: msg})
    if parent is not None and parent.dissolved_on:
        raise ValidationError({field: _("Tổ chức cấp trên đã giải thể.")})


def _current_version(org: Organization) -> OrganizationVersion | None:
    return org.versions.filter(valid_to__isnull=True).order_by("-valid_from").first()


def _new_version(
    org: Organization, date: dt.date, event: OrganizationEvent, parent: Organization | None
) -> None:
    current = _current_version(org)
    if current is not None:
        if current.valid_from == date:
            # Same-day change: the earlier state never held at any date; replace it.
            current.name, current.short_name, current.code = org.name, org.short_name, org.code
            current.org_type, current.parent, current.event = org.org_type, parent, event
            current.save()
            return
        current.valid_to = date
        current.save(update_fields=["valid_to"])
    OrganizationVersion.objects.create(
        organization=org,
        valid_from=date,
        parent=parent,
        code=org.code,
        name=org.name,
        short_name=org.short_name,
        org_type=org.org_type,
        event=event,
    )


def _close_versions(org: Organization, date: dt.date) -> None:
    current = _current_version(org)
    if current is not None:
        current.valid_to = max(date, current.valid_from)
        current.save(update_fields=["valid_to"])


def _record(org, kind, date, decision_number, **extra) -> OrganizationEvent:
    event = OrganizationEvent(
        organization=org, kind=kind, date=date, decision_number=decision_number.strip(), **extra
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def organization_establish(
    *,
    actor,
    parent: Organization | None,
    code: str,
    name: str,
    org_type: str,
    date: dt.date,
    decision_number: str,
    decision_date: dt.date | None = None,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    note: str = "",
) -> Organization:
    with audit_context(actor=actor):
        _check_date(date)
        _require_decision(decision_number)
        if org_type not in OrgType.values:
            raise ValidationError({"org_type": _("Loại tổ chức không hợp lệ.")})
        _check_parent(org_type, parent)
        code = (code or "").strip()
        if not code:
            raise ValidationError({"code": _("Chưa nhập mã tổ chức.")})
        if Organization.objects.filter(code=code).exists():
            raise ValidationError({"code": _("Mã tổ chức %(c)s đã được dùng.") % {"c": code}})
        if not (name or "").strip():
            raise ValidationError({"name": _("Chưa nhập tên tổ chức.")})
        fields = dict(
            code=code,
            name=name.strip(),
            short_name=short_name.strip(),
            org_type=org_type,
            address=address,
            phone=phone,
            email=email,
            established_on=date,
        )
        probe = Organization(**fields)
        probe.full_clean(exclude=["path", "depth", "numchild"])
        if parent is not None:
            org = Organization.objects.add_child(
                Organization.objects.get(pk=parent.pk), instance=probe
            )
        else:
            org = Organization.objects.add_root(instance=probe)
        if parent is not None:
            parent.refresh_from_db()
        event = _record(
            org,
            OrgEventKind.ESTABLISH,
            date,
            decision_number,
            decision_date=decision_date,
            related=parent,
            note=note,
        )
        _new_version(org, date, event, parent)
        from dangvu.members.stats import start_counters

        start_counters(org)
        return org


@transaction.atomic
def organization_rename(
    *,
    actor,
    organization: Organization,
    name: str,
    date: dt.date,
    decision_number: str,
    short_name: str | None = None,
    decision_date: dt.date | None = None,
    note: str = "",
) -> OrganizationEvent:
    with audit_context(actor=actor):
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        _check_date(date, org)
        _require_decision(decision_number)
        name = (name or "").strip()
        if not name:
            raise ValidationError({"name": _("Chưa nhập tên mới.")})
        if name == org.name and (short_name is None or short_name == org.short_name):
            raise ValidationError({"name": _("Tên mới trùng với tên hiện tại.")})
        old = org.name
        org.name = name
        if short_name is not None:
            org.short_name = short_name.strip()
        org.save()
        event = _record(
            org,
            OrgEventKind.RENAME,
            date,
            decision_number,
            decision_date=decision_date,
            old_value=old,
            new_value=name,
            note=note,
        )
        _new_version(org, date, event, Organization.objects.get_parent(org))
        return event


@transaction.atomic
def organization_move(
    *,
    actor,
    organization: Organization,
    new_parent: Organization,
    date: dt.date,
    decision_number: str,
    decision_date: dt.date | None = None,
    note: str = "",
) -> OrganizationEvent:
    """Place an organisation (with its whole subtree) under another parent."""
    with audit_context(actor=actor):
        org = Organization.objects.get(pk=organization.pk)
        new_parent = Organization.objects.get(pk=new_parent.pk)
        _check_date(date, org)
        _require_decision(decision_number)
        if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
            raise ValidationError(
                {
                    "new_parent": _(
                        "Không thể chuyển tổ chức vào chính nó hoặc tổ chức cấp dưới của nó."
                    )
                }
            )
        old_parent = Organization.objects.get_parent(org)
        if old_parent is not None and old_parent.pk == new_parent.pk:
            raise ValidationError({"new_parent": _("Tổ chức đã trực thuộc tổ chức này.")})
        _check_parent(org.org_type, new_parent, field="new_parent")
        Organization.objects.move(org, new_parent, pos="last-child")
        org = Organization.objects.get(pk=org.pk)
        from dangvu.members.stats import recompute_subtree_counts, shift_subtree_active

        # the members under `org` now count for other ancestors
        shift_subtree_active(org.path, old_parent.path if old_parent else None, new_parent.path)
        recompute_subtree_counts(
            chains=[old_parent.path] if old_parent else [], subtrees=[org.path]
        )
        event = _record(
            org,
            OrgEventKind.MOVE,
            date,
            decision_number,
            decision_date=decision_date,
            related=new_parent,
            old_value=old_parent.name if old_parent else "",
            new_value=new_parent.name,
            note=note,
        )
        _new_version(org, date, event, new_parent)
        return event


def _active_children(org: Organization):
    return Organization.objects.get_children(org).filter(dissolved_on__isnull=True)


@transaction.atomic
def organization_merge(
    *,
    actor,
    source: Organization,
    target: Organization,
    date: dt.date,
    decision_number: str,
    decision_date: dt.date | None = None,
    note: str = "",
) -> OrganizationEvent:
    """Merge `source` into `target`: its members and child organisations move, then it ends."""
    from dangvu.members.choices import ACTIVE_STATUSES
    from dangvu.members.services import member_move_with_organization

    with audit_context(actor=actor):
        source = Organization.objects.get(pk=source.pk)
        target = Organization.objects.get(pk=target.pk)
        _check_date(date, source)
        _check_date(date, target)
        _require_decision(decision_number)
        if source.pk == target.pk:
            raise ValidationError({"target": _("Tổ chức nhận phải khác tổ chức được hợp nhất.")})
        if target.path.startswith(source.path):
            raise ValidationError(
                {"target": _("Không thể hợp nhất vào tổ chức cấp dưới của chính nó.")}
            )
        event = _record(
            source,
            OrgEventKind.MERGE,
            date,
            decision_number,
            decision_date=decision_date,
            related=target,
            old_value=source.name,
            new_value=target.name,
            note=note,
        )
        for child in list(_active_children(source)):
            _check_parent(child.org_type, target, field="target")
            organization_move(
                actor=actor,
                organization=child,
                new_parent=target,
                date=date,
                decision_number=decision_number,
                decision_date=decision_date,
                note=_("Theo hợp nhất %(s)s vào %(t)s") % {"s": source.name, "t": target.name},
            )
        for member in list(source.members.filter(status__in=ACTIVE_STATUSES)):
            member_move_with_organization(
                actor=actor,
                member=member,
                to_organization=target,
                date=date,
                org_event_note=_("Hợp nhất theo quyết định %(d)s") % {"d": decision_number},
            )
        source = Organization.objects.get(pk=source.pk)
        source.dissolved_on = date
        source.save()
        _close_versions(source, date)
        return event


@transaction.atomic
def organization_split(
    *,
    actor,
    source: Organization,
    parts: list[dict],
    date: dt.date,
    decision_number: str,
    decision_date: dt.date | None = None,
    keep_source: bool = False,
    note: str = "",
) -> list[Organization]:
    """Split `source` into new organisations under the same parent.

    Each part: {"code", "name", "org_type" (default: the source's), "member_ids": [...]}. Unless the
    source is kept, every active member must be given a part.
    """
    from dangvu.members.choices import ACTIVE_STATUSES
    from dangvu.members.models import Member
    from dangvu.members.services import member_move_with_organization

    with audit_context(actor=actor):
        source = Organization.objects.get(pk=source.pk)
        _check_date(date, source)
        _require_decision(decision_number)
        if len(parts) < (1 if keep_source else 2):
            raise ValidationError(
                {"parts": _("Chia tách cần ít nhất hai tổ chức mới (hoặc một nếu giữ tổ chức cũ).")}
            )
        if _active_children(source).exists() and not keep_source:
            raise ValidationError(
                {
                    "parts": _(
                        "Tổ chức còn tổ chức trực thuộc: chuyển các tổ chức này trước khi chia tách."
                    )
                }
            )
        active_ids = set(
            source.members.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True)
        )
        assigned: dict[int, int] = {}
        for i, part in enumerate(parts):
            for mid in part.get("member_ids", []):
                if mid not in active_ids:
                    raise ValidationError(
                        {
                            "parts": _(
                                "Phần %(i)s: đảng viên #%(m)s không sinh hoạt tại tổ chức bị chia tách."
                            )
                            % {"i": i + 1, "m": mid}
                        }
                    )
                if mid in assigned:
                    raise ValidationError(
                        {"parts": _("Đảng viên #%(m)s được xếp vào hai tổ chức mới.") % {"m": mid}}
                    )
                assigned[mid] = i
        if not keep_source and set(assigned) != active_ids:
            missing = len(active_ids - set(assigned))
            raise ValidationError(
                {"parts": _("Còn %(n)s đảng viên chưa được xếp vào tổ chức mới.") % {"n": missing}}
            )
        parent = Organization.objects.get_parent(source)
        new_orgs = []
        for part in parts:
            org = organization_establish(
                actor=actor,
                parent=parent,
                code=part.get("code", ""),
                name=part.get("name", ""),
                org_type=part.get("org_type") or source.org_type,
                date=date,
                decision_number=decision_number,
                decision_date=decision_date,
                note=_("Chia tách từ %(s)s") % {"s": source.name},
            )
            new_orgs.append(org)
            _record(
                org,
                OrgEventKind.SPLIT,
                date,
                decision_number,
                decision_date=decision_date,
                related=source,
                old_value=source.name,
                new_value=org.name,
                note=note,
            )
        for member in Member.objects.filter(pk__in=assigned):
            member_move_with_organization(
                actor=actor,
                member=member,
                to_organization=new_orgs[assigned[member.pk]],
                date=date,
                org_event_note=_("Chia tách theo quyết định %(d)s") % {"d": decision_number},
            )
        if not keep_source:
            source = Organization.objects.get(pk=source.pk)
            source.dissolved_on = date
            source.save()
            _record(
                source,
                OrgEventKind.SPLIT,
                date,
                decision_number,
                decision_date=decision_date,
                new_value=", ".join(o.name for o in new_orgs),
                note=note,
            )
            _close_versions(source, date)
        return new_orgs


@transaction.atomic
def organization_dissolve(
    *,
    actor,
    organization: Organization,
    date: dt.date,
    decision_number: str,
    decision_date: dt.date | None = None,
    note: str = "",
) -> OrganizationEvent:
    from dangvu.members.choices import ACTIVE_STATUSES

    with audit_context(actor=actor):
        org = Organization.objects.get(pk=organization.pk)
        _check_date(date, org)
        _require_decision(decision_number)
        if _active_children(org).exists():
            raise ValidationError(_("Không thể giải thể: còn tổ chức trực thuộc đang hoạt động."))
        n = org.members.filter(status__in=ACTIVE_STATUSES).count()
        if n:
            raise ValidationError(
                _(
                    "Không thể giải thể: còn %(n)s đảng viên đang sinh hoạt. Chuyển sinh hoạt hoặc hợp nhất trước."
                )
                % {"n": n}
            )
        org.dissolved_on = date
        org.save()
        event = _record(
            org,
            OrgEventKind.DISSOLVE,
            date,
            decision_number,
            decision_date=decision_date,
            note=note,
        )
        _close_versions(org, date)
        return event


@transaction.atomic
def organization_update(*, actor, organization: Organization, data: dict) -> Organization:
    """Plain record fields (address, phone, email); names and parents change through events."""
    with audit_context(actor=actor):
        org = Organization.objects.get(pk=organization.pk)
        for field in ("address", "phone", "email"):
            if field in data:
                setattr(org, field, data[field] or "")
        org.full_clean(exclude=["path", "depth", "numchild"])
        org.save()
        return org
