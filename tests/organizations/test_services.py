import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvu.members.models import Member
from dangvu.members.selectors import members_as_of
from dangvu.organizations import selectors, services
from dangvu.organizations.models import Organization, OrganizationEvent

pytestmark = pytest.mark.django_db
D_MERGE = dt.date(2023, 7, 1)


def names_on(on, root=None):
    return [(r.depth, r.version.name) for r in selectors.tree_as_of(on, root)]


def test_establish_refuses_wrong_parent_type_and_writes_nothing(tree):
    before = Organization.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.organization_establish(
            actor=None,
            parent=tree["C11"],
            code="X1",
            name="Chi bộ con",
            org_type="cell",
            date=dt.date(2020, 1, 1),
            decision_number="1-QĐ",
        )
    assert "parent" in exc.value.message_dict
    assert Organization.objects.count() == before
    assert not OrganizationEvent.objects.filter(organization__code="X1").exists()


def test_establish_duplicate_code_refused(tree):
    with pytest.raises(ValidationError) as exc:
        services.organization_establish(
            actor=None,
            parent=tree["GC1"],
            code="C11",
            name="Chi bộ khác",
            org_type="cell",
            date=dt.date(2020, 1, 1),
            decision_number="1-QĐ",
        )
    assert "code" in exc.value.message_dict


def test_merge_moves_members_and_keeps_the_past(tree, make_member):
    a = [make_member(tree["C12"]) for _ in range(3)]
    make_member(tree["C11"])
    services.organization_merge(
        actor=None, source=tree["C12"], target=tree["C11"], date=D_MERGE, decision_number="15-QĐ/ĐU"
    )
    c12 = Organization.objects.get(code="C12")
    assert c12.dissolved_on == D_MERGE  # kept, not deleted
    for m in a:
        m.refresh_from_db()
        assert m.organization_id == tree["C11"].pk
    before, after = D_MERGE - dt.timedelta(days=1), D_MERGE
    assert members_as_of(c12, before).count() == 3
    assert members_as_of(c12, after).count() == 0
    assert members_as_of(tree["C11"], before).count() == 1
    assert members_as_of(tree["C11"], after).count() == 4
    assert (2, "Chi bộ Thanh tra") in names_on(before)
    assert (2, "Chi bộ Thanh tra") not in names_on(after)


def test_merge_of_committee_moves_its_cells(tree, make_member):
    make_member(tree["C21"])
    services.organization_merge(
        actor=None, source=tree["GC2"], target=tree["GC1"], date=D_MERGE, decision_number="1"
    )
    c21 = Organization.objects.get(code="C21")
    assert Organization.objects.get_parent(c21).code == "GC1"
    # As of before the merge, C21 was under GC2; after, under GC1.
    ids_before = selectors.subtree_ids_as_of(tree["GC2"], D_MERGE - dt.timedelta(days=1))
    ids_after = selectors.subtree_ids_as_of(tree["GC1"], D_MERGE)
    assert c21.pk in ids_before and c21.pk in ids_after
    assert members_as_of(tree["GC1"], D_MERGE, subtree=True).count() == 1
    assert members_as_of(tree["GC1"], D_MERGE - dt.timedelta(days=1), subtree=True).count() == 0


def test_split_requires_every_member_assigned_and_writes_nothing_otherwise(tree, make_member):
    ms = [make_member(tree["C11"]) for _ in range(4)]
    parts = [
        {"code": "C11A", "name": "Chi bộ Văn phòng 1", "member_ids": [ms[0].pk, ms[1].pk]},
        {"code": "C11B", "name": "Chi bộ Văn phòng 2", "member_ids": [ms[2].pk]},
    ]
    with pytest.raises(ValidationError):
        services.organization_split(
            actor=None, source=tree["C11"], parts=parts, date=D_MERGE, decision_number="3"
        )
    assert not Organization.objects.filter(code__in=["C11A", "C11B"]).exists()
    parts[1]["member_ids"].append(ms[3].pk)
    new = services.organization_split(
        actor=None, source=tree["C11"], parts=parts, date=D_MERGE, decision_number="3"
    )
    assert [o.code for o in new] == ["C11A", "C11B"]
    assert Member.objects.filter(organization=new[0]).count() == 2
    assert members_as_of(tree["C11"], D_MERGE - dt.timedelta(days=1)).count() == 4
    assert members_as_of(new[1], D_MERGE).count() == 2


def test_rename_and_move_as_of(tree):
    services.organization_rename(
        actor=None,
        organization=tree["GCELL"],
        name="Chi bộ Sở Dân tộc và Tôn giáo",
        date=dt.date(2025, 3, 1),
        decision_number="20-QĐ",
    )
    assert (1, "Chi bộ Ban Dân tộc") in names_on(dt.date(2025, 2, 28))
    assert (1, "Chi bộ Sở Dân tộc và Tôn giáo") in names_on(dt.date(2025, 3, 1))
    services.organization_move(
        actor=None,
        organization=tree["C12"],
        new_parent=tree["GC2"],
        date=dt.date(2025, 4, 1),
        decision_number="21",
    )
    assert tree["C12"].pk in selectors.subtree_ids_as_of(tree["GC1"], dt.date(2025, 3, 31))
    assert tree["C12"].pk in selectors.subtree_ids_as_of(tree["GC2"], dt.date(2025, 4, 1))


def test_move_into_own_subtree_refused(tree):
    with pytest.raises(ValidationError):
        services.organization_move(
            actor=None,
            organization=tree["GC1"],
            new_parent=tree["C11"],
            date=dt.date(2025, 1, 1),
            decision_number="1",
        )


def test_dissolve_refused_while_members_remain(tree, make_member):
    make_member(tree["C21"])
    with pytest.raises(ValidationError):
        services.organization_dissolve(
            actor=None, organization=tree["C21"], date=dt.date(2025, 1, 1), decision_number="1"
        )
    assert Organization.objects.get(code="C21").dissolved_on is None


def test_size_warnings_cite_the_rulebook(tree, make_member):
    make_member(tree["C11"])
    make_member(tree["C11"])
    warnings = selectors.size_warnings(Organization.objects.get(code="C11"))
    assert warnings and warnings[0].code == "cell_too_small"
    assert "Điều lệ" in warnings[0].citation
    for _ in range(30):
        make_member(tree["GCELL"])
    codes = [w.code for w in selectors.size_warnings(Organization.objects.get(code="GCELL"))]
    assert "grassroots_cell_too_large" in codes


def test_counted_size_warnings_agree_with_the_per_node_rules(tree, make_member):
    """count_size_warnings (SQL over the counters, for the home page) = sum of size_warnings."""
    for _ in range(2):
        make_member(tree["C11"])
    for _ in range(31):
        make_member(tree["GCELL"])
    for _ in range(3):
        make_member(tree["C21"])
    orgs = Organization.objects.all()
    expected = sum(len(selectors.size_warnings(o)) for o in orgs)
    assert selectors.count_size_warnings(orgs) == expected == 5  # C11, C12, GCELL, GC1, GC2


def test_member_counters_follow_every_write(tree, make_member):
    """OrganizationStats equal a live count after creates, transfers, removal and death."""
    from dangvu.members import services as ms
    from dangvu.members.choices import ACTIVE_STATUSES
    from dangvu.members.models import OrganizationStats

    a, b, c = (make_member(tree["C11"]) for _ in range(3))
    ms.member_transfer_out(
        actor=None,
        member=a,
        date=dt.date(2024, 1, 1),
        decision_number="1",
        to_organization=tree["C21"],
    )
    ms.member_remove(actor=None, member=b, date=dt.date(2024, 2, 1), decision_number="2")
    ms.member_grant_exemption(actor=None, member=c, date=dt.date(2024, 3, 1), decision_number="3")
    ms.member_update(actor=None, member=c, data={"gender": "female", "citizen_id": ""})
    for org in Organization.objects.all():
        live = Member.objects.filter(organization=org, status__in=ACTIVE_STATUSES)
        st = OrganizationStats.objects.filter(organization=org).first()
        got = (st.active, st.exempt, st.female) if st else (0, 0, 0)
        assert got == (
            live.count(),
            live.filter(status="exempt").count(),
            live.filter(gender="female").count(),
        ), org.code
