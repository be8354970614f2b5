"""Pages of the organisation tree: scope per role, operations through the forms, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.core.dates import fmt
from dangvu.core.rulebook import RuleCache
from dangvu.organizations import selectors, services
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationTypeLabel
from dangvu.organizations.views import subtree_member_counts

pytestmark = pytest.mark.django_db

WHOLE_TREE = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"]
ALL_CODES = {"ROOT", "GC1", "C11", "C12", "GC2", "C21", "GCELL"}
# Which organisations each role of the `users` fixture may open.
VISIBLE = {
    **{role: ALL_CODES for role in WHOLE_TREE},
    "bithu": {"GC1", "C11", "C12"},
    "chibo": {"C11"},
    "dangvien": {"C11"},
}
# Roles that may edit the contact fields of each organisation ("change" on it).
EDITORS = {
    "admin": ALL_CODES,
    "tochuc": ALL_CODES,
    "bithu": {"GC1", "C11", "C12"},
}
# Rename, move, merge, split, dissolve are decided by the level above: "change" on the parent.
RESTRUCTURERS = {
    "admin": ALL_CODES,
    "tochuc": ALL_CODES - {"ROOT"},
    "bithu": {"C11", "C12"},
}


def url(name, org=None, **query):
    path = reverse(f"organizations:{name}", args=[org.pk] if org is not None else [])
    if query:
        from urllib.parse import urlencode

        path += "?" + urlencode(query)
    return path


def decision(**extra):
    data = {"date": "01/06/2024", "decision_number": "25-QĐ/ĐUK", "decision_date": "", "note": ""}
    data.update(extra)
    return data


# --------------------------------------------------------------------------- scope, per role


@pytest.mark.parametrize("role", list(VISIBLE))
@pytest.mark.parametrize("code", sorted(ALL_CODES))
def test_detail_and_children_in_and_out_of_scope(users, tree, login, role, code):
    client = login(users[role])
    org = tree[code]
    expected = 200 if code in VISIBLE[role] else 404
    assert client.get(url("detail", org)).status_code == expected
    assert client.get(url("children", org)).status_code == expected


@pytest.mark.parametrize("role", list(VISIBLE))
def test_tree_shows_the_top_of_the_scope_expanded_one_level(users, tree, login, role):
    client = login(users[role])
    resp = client.get(url("tree"))
    assert resp.status_code == 200
    html = resp.content.decode()
    shown = {code for code in ALL_CODES if f'data-org="{code}"' in html}
    if role in WHOLE_TREE:
        # ROOT and its children; the cells of GC1/GC2 load lazily.
        assert shown == {"ROOT", "GC1", "GC2", "GCELL"}
    elif role == "bithu":
        assert shown == {"GC1", "C11", "C12"}
    else:
        assert shown == {"C11"}
    assert tree["GC1"].name in html if "GC1" in shown else tree["GC1"].name not in html


@pytest.mark.parametrize(
    "role,code,expected",
    [
        ("bithu", "GC2", 404),
        ("bithu", "C11", 200),
        ("chibo", "C12", 404),
        ("dangvien", "GC1", 404),
        ("tuyengiao", "C11", 403),
        ("btv", "GC1", 403),
        ("chibo", "C11", 403),
        ("dangvien", "C11", 403),
    ],
)
def test_rename_get_permissions(users, tree, login, role, code, expected):
    client = login(users[role])
    assert client.get(url("rename", tree[code])).status_code == expected


@pytest.mark.parametrize("name", ["edit", "rename", "move", "merge", "split", "dissolve"])
@pytest.mark.parametrize("role", list(VISIBLE))
def test_operation_pages_by_role(users, tree, login, role, name):
    client = login(users[role])
    for code in ("GC1", "C12"):
        org = tree[code]
        resp = client.get(url(name, org))
        if code not in VISIBLE[role]:
            assert resp.status_code == 404
        elif code in (EDITORS if name == "edit" else RESTRUCTURERS).get(role, ()):
            assert resp.status_code == 200
        else:
            assert resp.status_code == 403


def test_restructuring_is_decided_by_the_level_above(users, tree, login):
    """bithu reorganises the cells of GC1 but not GC1 itself; only a global role touches the root."""
    assert login(users["bithu"]).get(url("rename", tree["C11"])).status_code == 200
    assert login(users["bithu"]).get(url("rename", tree["GC1"])).status_code == 403
    assert login(users["tochuc"]).get(url("rename", tree["ROOT"])).status_code == 403
    assert login(users["admin"]).get(url("rename", tree["ROOT"])).status_code == 200
    html = login(users["bithu"]).get(url("detail", tree["GC1"])).content.decode()
    assert url("rename", tree["GC1"]) not in html and url("edit", tree["GC1"]) in html


@pytest.mark.parametrize("role", list(VISIBLE))
def test_establish_needs_add_and_change_on_the_parent(users, tree, login, role):
    client = login(users[role])
    resp = client.get(url("establish", tree["GC1"]))
    if "GC1" not in VISIBLE[role]:
        assert resp.status_code == 404
    elif role in {"admin", "tochuc", "bithu"}:
        assert resp.status_code == 200  # bithu establishes the cells of its own committee
    else:  # read-only roles
        assert resp.status_code == 403


def test_tuyengiao_read_only_gets_403_on_rename_post_and_nothing_changes(users, tree, login):
    client = login(users["tuyengiao"])
    resp = client.post(url("rename", tree["C11"]), decision(name="Chi bộ Mới"))
    assert resp.status_code == 403
    assert Organization.objects.get(pk=tree["C11"].pk).name == "Chi bộ Văn phòng"


def test_out_of_scope_post_is_404(users, tree, login):
    client = login(users["bithu"])
    resp = client.post(url("rename", tree["C21"]), decision(name="Chi bộ Mới"))
    assert resp.status_code == 404
    assert Organization.objects.get(pk=tree["C21"].pk).name == "Chi bộ Phòng Kế hoạch"


def test_anonymous_is_sent_to_login(client, tree):
    resp = client.get(url("tree"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_action_buttons_follow_permissions(users, tree, login):
    html = login(users["tochuc"]).get(url("detail", tree["GC1"])).content.decode()
    for name in ["establish", "edit", "rename", "move", "merge", "split", "dissolve"]:
        assert url(name, tree["GC1"]) in html
    html = login(users["bithu"]).get(url("detail", tree["GC1"])).content.decode()
    assert url("rename", tree["GC1"]) not in html  # decided by the level above
    assert url("establish", tree["GC1"]) in html and url("edit", tree["GC1"]) in html
    html = login(users["bithu"]).get(url("detail", tree["C11"])).content.decode()
    assert url("rename", tree["C11"]) in html and url("dissolve", tree["C11"]) in html
    html = login(users["btv"]).get(url("detail", tree["GC1"])).content.decode()
    assert url("rename", tree["GC1"]) not in html
    # a cell gets no "establish under it" button even for a full-rights role
    html = login(users["tochuc"]).get(url("detail", tree["C11"])).content.decode()
    assert url("establish", tree["C11"]) not in html


# --------------------------------------------------------------------------- operations


def test_rename_through_the_form_writes_event_and_audited_history(users, tree, login):
    actor = users["tochuc"]
    client = login(actor)
    resp = client.post(url("rename", tree["C11"]), decision(name="Chi bộ Văn phòng Sở"))
    assert resp.status_code == 302
    org = Organization.objects.get(pk=tree["C11"].pk)
    assert org.name == "Chi bộ Văn phòng Sở"
    ev = OrganizationEvent.objects.get(organization=org, kind="rename")
    assert ev.decision_number == "25-QĐ/ĐUK" and ev.date == dt.date(2024, 6, 1)
    assert ev.old_value == "Chi bộ Văn phòng"
    rec = org.history.order_by("-history_date", "-history_id").first()
    assert rec.history_user_id == actor.pk
    assert rec.ip_address == "127.0.0.1"
    assert rec.source == "ui"
    ev_rec = ev.history.first()
    assert ev_rec.history_user_id == actor.pk and ev_rec.ip_address
    # the detail page shows the new name, the event and the history row
    html = client.get(url("detail", org)).content.decode()
    assert "Chi bộ Văn phòng Sở" in html and "25-QĐ/ĐUK" in html and "127.0.0.1" in html


def test_establish_through_the_form(users, tree, login):
    actor = users["tochuc"]
    client = login(actor)
    resp = client.post(
        url("establish", tree["GC1"]),
        decision(
            org_type="cell",
            code="C13",
            name="Chi bộ Kế toán",
            short_name="",
            address="12 Lê Lợi",
            phone="",
            email="",
        ),
    )
    assert resp.status_code == 302, resp.content.decode()
    org = Organization.objects.get(code="C13")
    assert resp["Location"].startswith(url("detail", org))
    assert Organization.objects.get_parent(org).pk == tree["GC1"].pk
    assert org.established_on == dt.date(2024, 6, 1) and org.address == "12 Lê Lợi"
    ev = OrganizationEvent.objects.get(organization=org, kind="establish")
    assert ev.decision_number == "25-QĐ/ĐUK"
    rec = org.history.first()
    assert rec.history_user_id == actor.pk and rec.ip_address == "127.0.0.1"


def test_merge_through_the_form(users, tree, login, make_member):
    actor = users["tochuc"]
    client = login(actor)
    members = [make_member(tree["C12"]) for _ in range(2)]
    resp = client.post(url("merge", tree["C12"]), decision(target=tree["C11"].pk))
    assert resp.status_code == 302
    assert resp["Location"].startswith(url("detail", tree["C11"]))
    c12 = Organization.objects.get(pk=tree["C12"].pk)
    assert c12.dissolved_on == dt.date(2024, 6, 1)
    ev = OrganizationEvent.objects.get(organization=c12, kind="merge")
    assert ev.related_id == tree["C11"].pk
    for m in members:
        m.refresh_from_db()
        assert m.organization_id == tree["C11"].pk
    rec = c12.history.order_by("-history_date", "-history_id").first()
    assert rec.history_user_id == actor.pk and rec.ip_address == "127.0.0.1"
    # a dissolved organisation offers no actions any more
    html = client.get(url("detail", c12)).content.decode()
    assert url("rename", c12) not in html
    assert client.get(url("rename", c12)).status_code == 302


def test_move_through_the_form(users, tree, login):
    client = login(users["tochuc"])
    resp = client.post(url("move", tree["C12"]), decision(new_parent=tree["GC2"].pk))
    assert resp.status_code == 302
    c12 = Organization.objects.get(pk=tree["C12"].pk)
    assert Organization.objects.get_parent(c12).pk == tree["GC2"].pk


def test_move_offers_only_allowed_parents(users, tree, login):
    html = login(users["tochuc"]).get(url("move", tree["C12"])).content.decode()
    assert f'value="{tree["GC2"].pk}"' in html  # another grassroots committee
    assert f'value="{tree["GC1"].pk}"' not in html  # its present parent
    assert f'value="{tree["ROOT"].pk}"' not in html  # a cell cannot sit under the root
    assert f'value="{tree["C11"].pk}"' not in html


def test_move_choices_are_limited_to_changeable_orgs(users, tree, login):
    # bithu may change GC1's subtree only: GC2 is not offered, and posting it is refused.
    client = login(users["bithu"])
    html = client.get(url("move", tree["C12"])).content.decode()
    assert f'value="{tree["GC2"].pk}"' not in html
    resp = client.post(url("move", tree["C12"]), decision(new_parent=tree["GC2"].pk))
    assert resp.status_code == 200
    assert "new_parent" in resp.context["form"].errors
    c12 = Organization.objects.get(pk=tree["C12"].pk)
    assert Organization.objects.get_parent(c12).pk == tree["GC1"].pk


def test_split_through_the_form(users, tree, login, make_member):
    client = login(users["tochuc"])
    a, b, c = (make_member(tree["C12"]) for _ in range(3))
    data = decision(
        part1_code="C12A",
        part1_name="Chi bộ Thanh tra 1",
        part1_members=[a.pk, b.pk],
        part2_code="C12B",
        part2_name="Chi bộ Thanh tra 2",
        part2_members=[c.pk],
    )
    resp = client.post(url("split", tree["C12"]), data)
    assert resp.status_code == 302, resp.context["form"].errors
    new_a = Organization.objects.get(code="C12A")
    for m, org in ((a, new_a), (b, new_a), (c, Organization.objects.get(code="C12B"))):
        m.refresh_from_db()
        assert m.organization_id == org.pk
    assert Organization.objects.get(pk=tree["C12"].pk).dissolved_on == dt.date(2024, 6, 1)


def test_split_with_an_unassigned_member_writes_nothing(users, tree, login, make_member):
    client = login(users["tochuc"])
    a, _b = make_member(tree["C12"]), make_member(tree["C12"])
    before = (Organization.objects.count(), OrganizationEvent.objects.count())
    data = decision(
        part1_code="C12A",
        part1_name="Chi bộ 1",
        part1_members=[a.pk],
        part2_code="C12B",
        part2_name="Chi bộ 2",
    )
    resp = client.post(url("split", tree["C12"]), data)
    assert resp.status_code == 200
    assert "Còn 1 đảng viên chưa được xếp" in resp.content.decode()
    assert (Organization.objects.count(), OrganizationEvent.objects.count()) == before


def test_split_part_without_name_is_refused_on_the_field(users, tree, login):
    client = login(users["tochuc"])
    resp = client.post(url("split", tree["C12"]), decision(part1_code="X1", part2_code="X2"))
    assert resp.status_code == 200
    assert resp.context["form"].errors["part1_name"] == ["Chưa nhập tên tổ chức."]


def test_dissolve_refused_with_members_shows_message(users, tree, login, make_member):
    client = login(users["tochuc"])
    make_member(tree["C12"])
    resp = client.post(url("dissolve", tree["C12"]), decision())
    assert resp.status_code == 200
    assert "còn 1 đảng viên đang sinh hoạt" in resp.content.decode()
    assert Organization.objects.get(pk=tree["C12"].pk).dissolved_on is None


def test_dissolve_through_the_form(users, tree, login):
    client = login(users["tochuc"])
    resp = client.post(url("dissolve", tree["C12"]), decision())
    assert resp.status_code == 302
    assert Organization.objects.get(pk=tree["C12"].pk).dissolved_on == dt.date(2024, 6, 1)


def test_edit_contact_fields(users, tree, login):
    client = login(users["bithu"])
    resp = client.post(
        url("edit", tree["C11"]), {"address": "1 Hùng Vương", "phone": "0236 3822 111", "email": ""}
    )
    assert resp.status_code == 302
    org = Organization.objects.get(pk=tree["C11"].pk)
    assert org.address == "1 Hùng Vương" and org.phone == "0236 3822 111"
    resp = client.post(url("edit", tree["C11"]), {"address": "", "phone": "", "email": "không-hợp"})
    assert resp.status_code == 200
    assert resp.context["form"].errors["email"] == ["Địa chỉ email không hợp lệ."]


def _counts():
    return (
        Organization.objects.count(),
        OrganizationEvent.objects.count(),
        Organization.history.count(),
    )


@pytest.mark.parametrize(
    "name,target,data,field,message",
    [
        (
            "rename",
            "C11",
            decision(name="Chi bộ Mới", decision_number=""),
            "decision_number",
            "Chưa nhập số quyết định.",
        ),
        (
            "rename",
            "C11",
            decision(name="Chi bộ Mới", decision_number="   "),
            "decision_number",
            "Chưa nhập số quyết định.",
        ),
        (
            "rename",
            "C11",
            decision(name="Chi bộ Mới", date=fmt(timezone.localdate() + dt.timedelta(days=3))),
            "date",
            "Ngày hiệu lực không được ở tương lai",
        ),
        (
            "rename",
            "C11",
            decision(name="Chi bộ Mới", date="31/02/2024"),
            "date",
            "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy",
        ),
        (
            "rename",
            "C11",
            decision(name="Chi bộ Mới", date="01/01/2010"),
            "date",
            "Ngày hiệu lực phải từ 01/01/2015 trở đi",
        ),
        ("rename", "C11", decision(name="Chi bộ Văn phòng"), "name", "Tên mới trùng"),
        (
            "establish",
            "GC1",
            decision(org_type="grassroots_committee", code="X1", name="Đảng bộ con"),
            "org_type",
            "Đảng bộ cơ sở không thể trực thuộc đảng bộ cơ sở",
        ),
        (
            "establish",
            "GC1",
            decision(org_type="cell", code="C11", name="Chi bộ trùng mã"),
            "code",
            "Mã tổ chức C11 đã được dùng.",
        ),
        (
            "establish",
            "GC1",
            decision(org_type="cell", code="X1", name="Chi bộ", decision_number=""),
            "decision_number",
            "Chưa nhập số quyết định.",
        ),
        (
            "merge",
            "C12",
            decision(target="", decision_number="1-QĐ"),
            "target",
            "Chưa chọn tổ chức nhận.",
        ),
    ],
)
def test_bad_input_rerenders_with_message_on_the_field_and_writes_nothing(
    users, tree, login, name, target, data, field, message
):
    client = login(users["tochuc"])
    before = _counts()
    resp = client.post(url(name, tree[target]), data)
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    html = resp.content.decode()
    assert message.split(":")[0] in html.replace("&amp;", "&")
    assert _counts() == before
    assert Organization.objects.get(pk=tree["C11"].pk).name == "Chi bộ Văn phòng"


def test_establish_offers_only_types_allowed_under_the_parent(users, tree, login):
    client = login(users["tochuc"])
    form = client.get(url("establish", tree["GC1"])).context["form"]
    assert [v for v, _ in form.fields["org_type"].widget.choices] == ["sub_committee", "cell"]
    form = client.get(url("establish", tree["ROOT"])).context["form"]
    offered = [v for v, _ in form.fields["org_type"].widget.choices]
    assert offered == ["superior_committee", "grassroots_committee", "grassroots_cell"]


# --------------------------------------------------------------------------- tree page


def test_tree_search_lists_matching_orgs_in_scope(users, tree, login):
    client = login(users["bithu"])
    html = client.get(url("tree", q="chi bo")).content.decode()
    assert "Chi bộ Văn phòng" in html and "Chi bộ Thanh tra" in html
    assert "Chi bộ Phòng Kế hoạch" not in html  # out of scope
    html = login(users["tochuc"]).get(url("tree", q="THANH TRA")).content.decode()
    assert "Chi bộ Thanh tra" in html and "thuộc" in html and "Đảng bộ Sở Tài chính" in html


def test_tree_bad_date_shows_vietnamese_error_and_the_current_tree(users, tree, login):
    client = login(users["tochuc"])
    resp = client.get(url("tree", on="32/13/2020"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "không hợp lệ: nhập theo dạng dd/mm/yyyy" in html
    assert 'data-org="GC1"' in html
    resp = client.get(url("tree", on=fmt(timezone.localdate() + dt.timedelta(days=1))))
    assert "không được ở tương lai" in resp.content.decode()


def test_tree_as_of_a_date_shows_orgs_dissolved_since(users, tree, login, make_member):
    services.organization_merge(
        actor=None,
        source=tree["GC2"],
        target=tree["GC1"],
        date=dt.date(2023, 7, 1),
        decision_number="15-QĐ/ĐUK",
    )
    client = login(users["tochuc"])
    html = client.get(url("tree")).content.decode()
    assert 'data-org="GC2"' not in html  # dissolved: hidden by default
    html = client.get(url("tree", dissolved="1")).content.decode()
    assert 'data-org="GC2"' in html and "org-greyed" in html
    html = client.get(url("tree", on="01/01/2020")).content.decode()
    assert 'data-org="GC2"' in html and "01/01/2020" in html
    # as of 2020, C21 was under GC2; now it is under GC1
    kids = client.get(url("children", tree["GC2"], on="01/01/2020")).content.decode()
    assert 'data-org="C21"' in kids
    kids = client.get(url("children", tree["GC1"], on="01/01/2020")).content.decode()
    assert 'data-org="C21"' not in kids and 'data-org="C11"' in kids
    kids = client.get(url("children", tree["GC1"])).content.decode()
    assert 'data-org="C21"' in kids


def test_tree_as_of_is_limited_to_the_scope(users, tree, login):
    html = login(users["bithu"]).get(url("tree", on="01/01/2020")).content.decode()
    assert 'data-org="GC1"' in html and 'data-org="C11"' in html
    assert 'data-org="ROOT"' not in html and 'data-org="GC2"' not in html
    html = login(users["dangvien"]).get(url("tree", on="01/01/2020")).content.decode()
    assert {c for c in ALL_CODES if f'data-org="{c}"' in html} == {"C11"}


def test_tree_before_anything_existed_is_empty(users, tree, login):
    html = login(users["tochuc"]).get(url("tree", on="01/01/2000")).content.decode()
    assert "Không có tổ chức nào" in html


def test_children_partial_lazy_loads_with_htmx_links(users, tree, login):
    client = login(users["tochuc"])
    html = client.get(url("tree")).content.decode()
    assert f'hx-get="{url("children", tree["GC1"])}"' in html
    kids = client.get(url("children", tree["GC1"]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-org="C11"' in kids and 'data-org="C12"' in kids
    assert "<html" not in kids


def test_counts_and_size_warnings_in_the_tree(users, tree, login, make_member):
    for _ in range(3):
        make_member(tree["C12"])
    client = login(users["tochuc"])
    kids = client.get(url("children", tree["GC1"])).content.decode()
    # C11 has one member (the dangvien user): warning citing the rule; C12 has three.
    assert "Chi bộ chỉ có 1 đảng viên chính thức (tối thiểu 3)." in kids
    assert "Theo " in kids
    html = client.get(url("tree")).content.decode()
    # GC1: sub-tree count 4 and the grassroots-committee size warning
    assert "4 đảng viên" in html
    assert "Đảng bộ cơ sở chỉ có 4 đảng viên" in html


def test_batched_warnings_agree_with_the_selector(tree, make_member):
    for _ in range(3):
        make_member(tree["C12"])
    make_member(tree["GCELL"], official_date=None, admission_date=dt.date(2024, 1, 1))
    orgs = list(Organization.objects.all())
    counts = selectors.member_counts([o.pk for o in orgs])
    subtree = subtree_member_counts(orgs)
    rules = RuleCache()
    for o in orgs:
        batched = selectors.size_warnings(o, counts, subtree.get(o.pk, 0), rules)
        assert batched == selectors.size_warnings(o), o.code
        if o.org_type not in {"cell", "grassroots_cell"}:
            assert subtree[o.pk] == selectors.subtree_member_count(o)


def test_configurable_type_label_is_used(users, tree, login):
    OrganizationTypeLabel.objects.create(
        org_type="superior_committee", label="Đảng ủy các cơ quan Đảng tỉnh", short_label="ĐU CQĐ"
    )
    html = login(users["tochuc"]).get(url("tree")).content.decode()
    assert "ĐU CQĐ" in html and "Đảng ủy các cơ quan Đảng tỉnh" in html


def _extra_cells(parent, n, org_type="cell"):
    for i in range(n):
        services.organization_establish(
            actor=None,
            parent=parent,
            code=f"X{parent.code}{i:02d}",
            name=f"Chi bộ số {i}",
            org_type=org_type,
            date=dt.date(2016, 1, 1),
            decision_number=f"{i}-QĐ",
        )


@pytest.mark.parametrize("extra", [0, 30])
def test_tree_page_query_count_does_not_grow_with_children(
    users, tree, login, make_member, django_assert_max_num_queries, extra
):
    for code in ("C11", "C12", "GCELL"):
        make_member(tree[code])
    root = Organization.objects.get(pk=tree["ROOT"].pk)
    _extra_cells(root, extra, "grassroots_cell")  # shown on the tree page
    gc1 = Organization.objects.get(pk=tree["GC1"].pk)
    _extra_cells(gc1, extra)  # shown by GC1's children partial
    client = login(users["tochuc"])
    client.get(url("tree"))  # warm the session
    with django_assert_max_num_queries(20):
        resp = client.get(url("tree"))
    assert resp.content.decode().count('class="org-node') == 4 + extra
    with django_assert_max_num_queries(20):
        resp = client.get(url("children", gc1))
    assert resp.content.decode().count('class="org-node') == 2 + extra
    with django_assert_max_num_queries(20):
        client.get(url("tree", on=fmt(timezone.localdate())))
    with django_assert_max_num_queries(20):
        client.get(url("children", gc1, on=fmt(timezone.localdate())))


# --------------------------------------------------------------------------- detail page


def test_detail_tabs_and_members_as_of(users, tree, login, make_member):
    client = login(users["tochuc"])
    m = make_member(tree["C11"], full_name="Lê Văn Mới", joined_on=dt.date(2024, 1, 1))
    resp = client.get(url("detail", tree["C11"]))
    html = resp.content.decode()
    for label in ("Thông tin", "Đảng viên", "Sự kiện", "Lịch sử"):
        assert label in html
    assert "Lê Văn Mới" in html and "Trần Thị Đảng Viên" in html
    assert "03-QĐ/ĐU" in html  # establishing decision in the events tab
    resp = client.get(url("detail", tree["C11"], tab="members", members_on="01/06/2023"))
    assert resp.context["tab"] == "members"
    names = [row[0].pk for row in resp.context["member_rows"]]
    assert m.pk not in names
    resp = client.get(url("detail", tree["C11"], tab="members", members_on="hôm qua"))
    assert resp.status_code == 200
    assert "không hợp lệ: nhập theo dạng dd/mm/yyyy" in resp.content.decode()


def test_detail_members_tab_respects_member_scope(users, tree, login, make_member):
    other = make_member(tree["C11"], full_name="Phạm Văn Khác")
    html = login(users["dangvien"]).get(url("detail", tree["C11"])).content.decode()
    assert "Trần Thị Đảng Viên" in html
    assert other.full_name not in html
    html = login(users["chibo"]).get(url("detail", tree["C11"])).content.decode()
    assert other.full_name in html


def test_detail_hides_out_of_scope_parent_link(users, tree, login):
    html = login(users["bithu"]).get(url("detail", tree["GC1"])).content.decode()
    assert url("detail", tree["ROOT"]) not in html
    assert tree["ROOT"].name not in html  # out of scope: not even its name
    html = login(users["dangvien"]).get(url("detail", tree["C11"])).content.decode()
    assert tree["GC1"].name not in html and "ngoài phạm vi" in html
    html = login(users["tochuc"]).get(url("detail", tree["GC1"])).content.decode()
    assert url("detail", tree["ROOT"]) in html
    assert url("detail", tree["C11"]) in html and url("detail", tree["C12"]) in html


def test_member_links_only_when_members_detail_exists(users, tree, login):
    from django.urls import NoReverseMatch

    resp = login(users["tochuc"]).get(url("detail", tree["C11"]))
    rows = resp.context["member_rows"]
    assert rows
    try:
        expected = reverse("members:detail", args=[rows[0][0].pk])
    except NoReverseMatch:
        expected = None
    assert rows[0][1] == expected


def test_top_nodes_of_a_scope_made_of_several_subtrees(tree, make_user, client):
    from dangvu.accounts.models import RoleAssignment

    user = make_user("haicho", "grassroots_secretary", tree["GC1"])
    RoleAssignment.objects.create(
        user=user, role="cell_secretary", organization=tree["C21"], valid_from=dt.date(2020, 1, 1)
    )
    RoleAssignment.objects.create(
        user=user, role="cell_secretary", organization=tree["C11"], valid_from=dt.date(2020, 1, 1)
    )
    client.force_login(user)
    resp = client.get(url("tree"))
    tops = [n.code for n in resp.context["nodes"]]
    assert tops == ["GC1", "C21"]
    assert [c.code for c in resp.context["nodes"][0].children] == ["C11", "C12"]


def test_global_admin_sees_every_root(users, tree, login):
    services.organization_establish(
        actor=None,
        parent=None,
        code="ROOT2",
        name="Đảng bộ Khối Doanh nghiệp tỉnh",
        org_type="superior_committee",
        date=dt.date(2016, 1, 1),
        decision_number="02-QĐ/TU",
    )
    resp = login(users["admin"]).get(url("tree"))
    assert [n.code for n in resp.context["nodes"]] == ["ROOT", "ROOT2"]
    resp = login(users["tochuc"]).get(url("tree"))  # held at ROOT: ROOT2 is outside
    assert [n.code for n in resp.context["nodes"]] == ["ROOT"]


def test_list_mode_by_type_and_by_size_warning(users, tree, login, make_member):
    """The home page cards link here: organisations of one type, or those breaking a size rule."""
    client = login(users["tochuc"])
    html = client.get(url("tree", org_type="cell")).content.decode()
    assert "3 tổ chức" in html and "Chi bộ Văn phòng" in html
    assert f'href="{url("detail", tree["GC2"])}"' not in html  # a committee, not a cell
    for _ in range(3):
        make_member(tree["C12"])
    html = client.get(url("tree", warnings="1")).content.decode()
    assert "Chi bộ Thanh tra" not in html  # 3 official members: no warning
    assert "Chi bộ Văn phòng" in html  # empty cell: too small
    html = login(users["bithu"]).get(url("tree", org_type="cell")).content.decode()
    assert "Chi bộ Phòng Kế hoạch" not in html  # outside bithu's scope
    assert "/data/export/organizations/?org_type=cell&amp;format=xlsx" in html
