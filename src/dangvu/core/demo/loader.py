"""Writes a demo `Plan` in one transaction.

The tree, its 2025 changes and the few special lifecycle cases go through the real services; the
thousands of ordinary members are inserted in bulk with exactly the rows `member_create` would
write (Member with search_text/name_sort, the "admitted" and "recognised official" events, one open
official Membership), each with its history row, so the audit trail is complete.
"""

import datetime as dt
from collections import Counter

from django.db import transaction

from dangvu.core.audit import audit_context
from dangvu.members import services as ms
from dangvu.members.bulk import bulk_register
from dangvu.members.choices import TransferKind
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.organizations import services as os_
from dangvu.organizations.choices import OrgType
from dangvu.organizations.models import Organization

from . import agencies as A
from .generator import Plan

CHANGE_REASON = "Dữ liệu trình diễn (seed_demo)"
HISTORY_ATTRS = {"source": "command"}
BATCH = 500


def _superior(date: dt.date) -> str:
    return (
        "Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh"
        if date < A.ROOT_RENAMED
        else "Đảng ủy các cơ quan Đảng tỉnh Hà Tĩnh"
    )


def load(plan: Plan) -> dict:
    """Write the plan; return counts of what exists afterwards."""
    with audit_context(actor=None, source="command"), transaction.atomic():
        orgs = _establish(plan)
        members = _bulk_members(plan, orgs)
        _org_changes(plan, orgs)
        _specials(plan, members, orgs)
    return counts()


def _establish(plan: Plan) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for spec in plan.orgs:
        orgs[spec.code] = os_.organization_establish(
            actor=None,
            parent=orgs[spec.parent] if spec.parent else None,
            code=spec.code,
            name=spec.name,
            org_type=spec.org_type,
            date=spec.established,
            decision_number=spec.decision_number,
            decision_date=spec.established,
        )
    return orgs


def _bulk_members(plan: Plan, orgs: dict[str, Organization]) -> list[Member]:
    objs = []
    for s in plan.members:
        m = Member(
            organization=orgs[s.org],
            status=s.status,
            full_name=s.full_name,
            gender=s.gender,
            date_of_birth=s.date_of_birth,
            birth_place=s.birth_place,
            hometown=s.hometown,
            ethnicity=s.ethnicity,
            religion=s.religion,
            citizen_id=s.citizen_id,
            phone=s.phone,
            address=s.address,
            general_education=s.general_education,
            professional_degree=s.professional_degree,
            professional_field=s.professional_field,
            political_theory=s.political_theory,
            state_management=s.state_management,
            foreign_language=s.foreign_language,
            occupation=s.occupation,
            position=s.position,
            workplace=s.workplace,
            card_number=s.card_number,
            admission_date=s.admission_date,
            admission_place=s.admission_place,
            official_date=s.official_date,
            introducers=s.introducers,
        )
        objs.append(m)
    specs = {id(m): s for m, s in zip(objs, plan.members, strict=True)}
    return bulk_register(
        objs,
        batch_size=BATCH,
        change_reason=CHANGE_REASON,
        history_attrs=HISTORY_ATTRS,
        joined_on=lambda m: specs[id(m)].joined_on,
        admission_decision=lambda m: (specs[id(m)].admission_decision, specs[id(m)].admission_date),
    )


def _org_changes(plan: Plan, orgs: dict[str, Organization]) -> None:
    for c in sorted(plan.org_changes, key=lambda c: (c.date, c.kind, c.code)):
        if c.kind == "rename":
            os_.organization_rename(
                actor=None,
                organization=orgs[c.code],
                name=c.new_name,
                date=c.date,
                decision_number=c.decision_number,
                decision_date=c.date,
            )
        elif c.kind == "merge":
            os_.organization_merge(
                actor=None,
                source=orgs[c.code],
                target=orgs[c.target],
                date=c.date,
                decision_number=c.decision_number,
                decision_date=c.date,
                note="Sắp xếp lại các phòng sau hợp nhất Sở Kế hoạch và Đầu tư vào Sở Tài chính.",
            )
        else:  # pragma: no cover - the generator only writes the two kinds above
            raise ValueError(c.kind)


def _specials(plan: Plan, members: list[Member], orgs: dict[str, Organization]) -> None:
    for s in plan.specials:
        m = members[s.member]
        common = {"actor": None, "member": m}
        if s.kind == "exempt":
            ms.member_grant_exemption(
                **common,
                date=s.date,
                decision_number=s.decision_number,
                decision_date=s.date,
                note=s.note,
            )
        elif s.kind in ("transfer_out", "transfer_internal", "temporary"):
            ms.member_transfer_out(
                **common,
                date=s.date,
                decision_number=s.decision_number,
                kind=TransferKind.TEMPORARY if s.kind == "temporary" else TransferKind.OFFICIAL,
                to_organization=orgs[s.to_org] if s.to_org else None,
                external_place=s.place,
                decision_date=s.date,
                issuer=_superior(s.date),
                note=s.note,
            )
        elif s.kind == "end_temporary":
            ms.member_end_temporary(**common, date=s.date, note=s.note)
        elif s.kind == "remove":
            ms.member_remove(
                **common,
                date=s.date,
                decision_number=s.decision_number,
                decision_date=s.date,
                issuer=_superior(s.date),
                note=s.note,
            )
        elif s.kind == "expel":
            ms.member_expel(
                **common,
                date=s.date,
                decision_number=s.decision_number,
                decision_date=s.date,
                issuer="Ủy ban Kiểm tra " + _superior(s.date),
                note=s.note,
            )
        elif s.kind == "death":
            ms.member_record_death(**common, date=s.date, note=s.note)
        elif s.kind == "readmit":
            ms.member_readmit(
                **common,
                date=s.date,
                decision_number=s.decision_number,
                decision_date=s.date,
                issuer=_superior(s.date),
                note=s.note,
            )
        elif s.kind == "recognise":
            ms.member_recognise_official(
                **common,
                decision_number=s.decision_number,
                decision_date=s.date,
                issuer=_superior(s.date),
            )
        elif s.kind == "card":
            ms.member_reissue_card(**common, date=s.date, new_card_number=s.value, note=s.note)
        else:  # pragma: no cover
            raise ValueError(s.kind)


def counts() -> dict:
    by_type = Counter(
        Organization.objects.filter(dissolved_on__isnull=True).values_list("org_type", flat=True)
    )
    by_status = Counter(Member.objects.values_list("status", flat=True))
    return {
        "organizations": Organization.objects.count(),
        "dissolved": Organization.objects.filter(dissolved_on__isnull=False).count(),
        "grassroots_committees": by_type[OrgType.GRASSROOTS_COMMITTEE],
        "grassroots_cells": by_type[OrgType.GRASSROOTS_CELL],
        "cells": by_type[OrgType.CELL],
        "members": sum(by_status.values()),
        "by_status": dict(sorted(by_status.items())),
        "member_events": MemberEvent.objects.count(),
        "memberships": Membership.objects.count(),
        "member_history": Member.history.count(),
    }
