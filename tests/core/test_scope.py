"""restrict(user, action) across roles: the one scope mechanism every list, form and API uses."""

import pytest

from dangvu.core.scope import can
from dangvu.members.models import Member, MemberEvent
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, make_member):
    return {code: make_member(tree[code]) for code in ("C11", "C12", "C21", "GCELL")}


def visible_codes(user):
    return set(Organization.objects.restrict(user).values_list("code", flat=True))


def test_whole_tree_roles_see_everything(users, people):
    for name in ("admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"):
        assert visible_codes(users[name]) == {"ROOT", "GC1", "C11", "C12", "GC2", "C21", "GCELL"}, (
            name
        )
        assert Member.objects.restrict(users[name]).count() == 5, name


def test_grassroots_secretary_sees_its_subtree_only(users, people):
    assert visible_codes(users["bithu"]) == {"GC1", "C11", "C12"}
    assert set(Member.objects.restrict(users["bithu"])) == {
        people["C11"],
        people["C12"],
        users["dangvien"].member,
    }
    assert not Member.objects.restrict(users["bithu"]).filter(pk=people["C21"].pk).exists()


def test_cell_secretary_sees_its_cell(users, people):
    assert visible_codes(users["chibo"]) == {"C11"}
    assert Member.objects.restrict(users["chibo"]).count() == 2


def test_member_sees_only_itself_and_its_organisation(users, people):
    me = users["dangvien"].member
    assert list(Member.objects.restrict(users["dangvien"])) == [me]
    assert visible_codes(users["dangvien"]) == {"C11"}
    assert set(
        MemberEvent.objects.restrict(users["dangvien"]).values_list("member_id", flat=True)
    ) == {me.pk}


def test_actions_follow_the_role_grants(users, people):
    m = people["C11"]
    assert can(users["tochuc"], "change", m)
    assert can(users["bithu"], "add", m)
    assert can(users["chibo"], "change", m)
    assert not can(users["chibo"], "add", m)
    assert not can(users["tuyengiao"], "change", m)
    assert not can(users["btv"], "change", m)
    assert not can(users["dangvien"], "change", m)
    assert not can(users["bithu"], "view", people["C21"])


def test_anonymous_and_inactive_users_see_nothing(users, people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert Member.objects.restrict(AnonymousUser()).count() == 0
    u = users["tochuc"]
    u.is_active = False
    u.save()
    assert Member.objects.restrict(u).count() == 0


def test_expired_role_gives_nothing(users, people):
    import datetime as dt

    from dangvu.core.scope import clear_cache

    ra = users["bithu"].role_assignments.get()
    ra.valid_to = dt.date(2021, 1, 1)
    ra.save()
    clear_cache(users["bithu"])
    assert Member.objects.restrict(users["bithu"]).count() == 0
