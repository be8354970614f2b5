"""manage.py generate_dataset: a tiny dataset on whichever database the suite runs on (SQLite or
PostgreSQL, where it goes through COPY): valid tree, consistent members, history, determinism."""

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from dangvu.core.dates import add_months
from dangvu.core.demo.generator import demo_today
from dangvu.core.text import normalize
from dangvu.members.choices import ACTIVE_STATUSES, EventKind, MemberStatus, TransferKind
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.members.stats import totals
from dangvu.members.validators import validate_citizen_id
from dangvu.organizations.choices import OrgEventKind, OrgType
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationVersion

pytestmark = pytest.mark.django_db

# A member leaving the roll: the event that ends the membership.
LEAVING = {
    MemberStatus.TRANSFERRED_OUT: EventKind.TRANSFER_OUT,
    MemberStatus.REMOVED: EventKind.REMOVED,
    MemberStatus.EXPELLED: EventKind.EXPELLED,
    MemberStatus.DECEASED: EventKind.DIED,
}


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_dataset", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    h = hashlib.sha256()
    for row in Member.objects.order_by("id").values_list(
        "full_name", "card_number", "organization__code"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


class _Rollback(Exception):
    pass


def digest_of(*args) -> str:
    """Generate in a savepoint, hash, and roll back (the next run starts from an empty DB)."""
    result = ""
    try:
        with transaction.atomic():
            generate(*args)
            result = digest()
            raise _Rollback
    except _Rollback:
        pass
    assert not Member.objects.exists()
    return result


@pytest.fixture
def bloc():
    out = generate("--scale", "bloc", "--members", "300", "--seed", "5")
    assert "Xong" in out
    return out


def test_refuses_a_database_with_data(tree):
    with pytest.raises(CommandError, match="chỉ sinh bộ dữ liệu vào cơ sở dữ liệu trống"):
        generate("--scale", "bloc", "--members", "100")
    assert not Member.objects.exists()
    assert Organization.objects.count() == len(tree)


def test_deterministic_for_a_seed():
    first = digest_of("--scale", "bloc", "--members", "120", "--seed", "7")
    assert first == digest_of("--scale", "bloc", "--members", "120", "--seed", "7")
    assert first != digest_of("--scale", "bloc", "--members", "120", "--seed", "8")


def test_tree_is_a_valid_treebeard_tree(bloc):
    assert all(not problems for problems in Organization.objects.find_problems())
    orgs = list(Organization.objects.annotate(n=Count("pk")).order_by("path"))
    children = {o.pk: 0 for o in orgs}
    by_path = {o.path: o for o in orgs}
    for o in orgs:
        assert o.depth == len(o.path) // Organization.steplen
        if o.depth > 1:
            children[by_path[o.path[: -Organization.steplen]].pk] += 1
    assert all(o.numchild == children[o.pk] for o in orgs)
    assert [o.pk for o in Organization.objects.get_tree()] == [o.pk for o in orgs]
    root = Organization.objects.get_root_nodes().get()
    assert root.org_type == OrgType.SUPERIOR_COMMITTEE
    assert Organization.objects.get_descendant_count(root) == len(orgs) - 1
    # One establish event and one open version per organisation, under the parent it has.
    assert OrganizationEvent.objects.filter(kind=OrgEventKind.ESTABLISH).count() == len(orgs)
    for v in OrganizationVersion.objects.select_related("organization", "parent", "event"):
        parent = Organization.objects.get_parent(v.organization)
        assert v.parent_id == (parent.pk if parent else None)
        assert v.valid_to is None and v.valid_from == v.organization.established_on
        assert v.event.organization_id == v.organization_id and v.name == v.organization.name
        if parent is not None:
            assert v.organization.established_on >= parent.established_on


def test_members_are_consistent(bloc):
    today = demo_today()
    members = list(Member.objects.select_related("organization"))
    assert len(members) == 300
    events: dict[int, list[MemberEvent]] = {}
    for e in MemberEvent.objects.order_by("member_id", "date", "id"):
        events.setdefault(e.member_id, []).append(e)
    memberships: dict[int, list[Membership]] = {}
    for s in Membership.objects.all():
        memberships.setdefault(s.member_id, []).append(s)
    cards = [m.card_number for m in members if m.card_number]
    assert len(cards) == len(set(cards))
    assert len({m.citizen_id for m in members}) == len(members)
    for m in members:
        validate_citizen_id(m.citizen_id, date_of_birth=m.date_of_birth, gender=m.gender)
        assert m.organization.org_type in (OrgType.CELL, OrgType.GRASSROOTS_CELL)
        assert m.date_of_birth < m.admission_date <= today
        evs = events[m.pk]
        assert evs[0].kind == EventKind.ADMITTED and evs[0].date == m.admission_date
        assert evs[0].status_after == MemberStatus.PROBATIONARY and evs[0].decision_number
        if m.official_date:
            assert m.official_date == add_months(m.admission_date, 12) <= today
            assert m.card_number
            assert evs[1].kind == EventKind.RECOGNISED_OFFICIAL
            assert evs[1].date == m.official_date
        else:
            assert m.status == MemberStatus.PROBATIONARY and m.card_number is None
            assert len(evs) == 1
        assert evs[-1].status_after == m.status
        assert all(e.date <= today and e.organization_id == m.organization_id for e in evs)
        (ship,) = memberships[m.pk]
        assert ship.organization_id == m.organization_id and ship.kind == TransferKind.OFFICIAL
        assert m.admission_date <= ship.valid_from <= today
        assert ship.valid_from >= m.organization.established_on
        if m.status in ACTIVE_STATUSES:
            assert ship.valid_to is None
        else:
            assert evs[-1].kind == LEAVING[m.status]
            assert ship.valid_to == evs[-1].date
        search, sort = m.search_text, m.name_sort
        m.refresh_derived()
        assert (search, sort) == (m.search_text, m.name_sort)
    assert {m.status for m in members} >= {MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY}
    # The per-organisation counters are those of the loaded members.
    active = [m for m in members if m.status in ACTIVE_STATUSES]
    stats = totals(Organization.objects.all())
    assert stats["active"] == len(active)
    assert stats["female"] == sum(m.gender == "female" for m in active)
    assert stats["probationary"] == sum(m.status == MemberStatus.PROBATIONARY for m in members)


def test_history_rows_as_the_services_write_them(bloc):
    n = Member.objects.count()
    changed = Member.objects.exclude(
        status__in=[MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY]
    ).count()
    added = Member.history.filter(history_type="+")
    assert added.count() == n and not added.exclude(source="command").exists()
    assert set(added.values_list("status", flat=True)) <= {"official", "probationary"}
    assert Member.history.filter(history_type="~").count() == changed
    assert MemberEvent.history.filter(history_type="+").count() == MemberEvent.objects.count()
    closed = Membership.objects.filter(valid_to__isnull=False).count()
    assert Membership.history.filter(history_type="+", valid_to__isnull=True).count() == n
    assert Membership.history.filter(history_type="~").count() == closed
    for model in (Organization, OrganizationEvent, OrganizationVersion):
        assert model.history.count() == model.objects.count()
    m = Member.objects.order_by("?").first()
    assert m.history.earliest("history_date").history_type == "+"


def test_the_app_keeps_working_after_a_load(bloc):
    """Sequences were moved past the loaded ids: the services create rows as usual."""
    from dangvu.members.services import member_create
    from dangvu.organizations.services import organization_establish

    from ..conftest import member_data

    root = Organization.objects.get_root_nodes().get()
    cell = organization_establish(
        actor=None,
        parent=root,
        code="MOI",
        name="Chi bộ Mới",
        org_type=OrgType.GRASSROOTS_CELL,
        date=dt.date(2024, 1, 1),
        decision_number="1-QĐ",
    )
    member = member_create(actor=None, organization=cell, data=member_data())
    assert member.pk > 300 and Member.objects.count() == 301
    assert all(not problems for problems in Organization.objects.find_problems())
    assert Member.objects.search(member.full_name).filter(pk=member.pk).exists()


def test_search_index_is_filled_once_after_the_load_and_its_triggers_are_back(bloc):
    """The loader drops the search index's triggers and fills the index once at the end: a
    loaded member is found through it, and a member written afterwards too."""
    from django.db import connection

    from dangvu.members import search_index
    from dangvu.members.services import member_update

    loaded = Member.objects.order_by("pk").last()
    word = normalize(loaded.full_name).split()[-1]
    assert Member.objects.search(loaded.full_name).filter(pk=loaded.pk).exists()
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(f"SELECT 1 FROM {search_index.WORD_TABLE} WHERE word = %s", [word])
            assert c.fetchone()
            names = search_index._PG_TRIGGERS
            c.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'members_member'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            c.execute(
                f"SELECT rowid FROM {search_index.FTS_TABLE} WHERE {search_index.FTS_TABLE} "
                "MATCH %s",
                [f'"{word}"'],
            )
            assert loaded.pk in {r[0] for r in c.fetchall()}
            names = search_index._SQLITE_TRIGGERS
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert set(names) <= {r[0] for r in c.fetchall()}
    member_update(actor=None, member=loaded, data={"full_name": "Phạm Thị Quỳnh Xuyến"})
    assert Member.objects.search("quynh xuyen").filter(pk=loaded.pk).exists()


def test_province_scale_shrinks_with_every_kind_of_node():
    out = generate("--scale", "province", "--members", "1500", "--seed", "2")
    assert "1.500 đảng viên" in out
    assert all(not problems for problems in Organization.objects.find_problems())
    types = set(Organization.objects.values_list("org_type", flat=True))
    assert {
        OrgType.SUPERIOR_COMMITTEE,
        OrgType.GRASSROOTS_COMMITTEE,
        OrgType.GRASSROOTS_CELL,
        OrgType.CELL,
    } <= types
    assert Organization.objects.filter(depth=1).count() == 1
    assert Organization.objects.filter(depth=2, org_type=OrgType.SUPERIOR_COMMITTEE).count() >= 3
    statuses = set(Member.objects.values_list("status", flat=True))
    assert MemberStatus.EXEMPT in statuses
    assert not Member.objects.filter(organization__numchild__gt=0).exists()


def test_too_few_members_for_the_tree_is_refused():
    with pytest.raises(CommandError, match="Cần ít nhất"):
        generate("--scale", "province", "--members", "3")
