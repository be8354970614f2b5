"""Pages: overview tabs, an organisation's committee page, the forms; per role in and out of
scope (404 outside, 403 for readers' writes); bad input shows a Vietnamese message and writes
nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.committees import services
from dangvu.committees.models import CommitteeSeat, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, users, make_member):
    """C11: term from 100 days ago, cell leadership (secretary m11, deputy empty), a planned
    congress; C21: term and secretary m21 (outside bithu's and chibo's scope)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=100)
    m11 = make_member(tree["C11"], full_name="Lê Văn Bí Thư")
    m21 = make_member(tree["C21"], full_name="Hoàng Văn Hai Mốt")
    out = {"m11": m11, "m21": m21, "today": today}
    for code, m in (("C11", m11), ("C21", m21)):
        t = services.term_open(
            actor=None, organization=tree[code], name="2025–2030", start_date=start
        )
        c = services.committee_create(
            actor=None,
            organization=tree[code],
            term=t,
            quotas={"secretary": 1, "deputy_secretary": 1},
        )
        out[f"seat_{code}"] = services.seat_fill(
            actor=None, committee=c, member=m, position="secretary", start_date=start
        )
        out[f"committee_{code}"] = c
        out[f"term_{code}"] = t
    out["congress"] = services.congress_plan(
        actor=None,
        organization=tree["C11"],
        term_name="2028–2033",
        planned_date=today + dt.timedelta(days=90),
    )
    return out


READERS = ["btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "admin", "bithu", "chibo"]


@pytest.mark.parametrize("role", READERS)
def test_pages_in_scope(role, tree, users, world, login):
    client = login(users[role])
    for url in (
        reverse("committees:index"),
        reverse("committees:index") + "?tab=secretary",
        reverse("committees:index") + "?tab=due&months=12",
        reverse("committees:org", args=[tree["C11"].pk]),
        reverse("committees:org", args=[tree["C11"].pk]) + "?tab=congresses",
        reverse("committees:org", args=[tree["C11"].pk]) + "?tab=terms",
        reverse("committees:org", args=[tree["C11"].pk]) + "?tab=history",
        reverse("committees:congress", args=[world["congress"].pk]),
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
    page = client.get(reverse("committees:org", args=[tree["C11"].pk])).content.decode()
    assert "Lê Văn Bí Thư" in page
    assert "Còn trống" in page
    assert reverse("members:detail", args=[world["m11"].pk]) in page
    assert reverse("organizations:detail", args=[tree["C11"].pk]) in page


@pytest.mark.parametrize("role", ["bithu", "chibo"])
def test_out_of_scope_is_404(role, tree, users, world, login):
    client = login(users[role])
    assert client.get(reverse("committees:org", args=[tree["C21"].pk])).status_code == 404
    assert (
        client.get(reverse("committees:index") + f"?organization={tree['C21'].pk}").status_code
        == 404
    )
    assert (
        client.get(reverse("committees:seat_end", args=[world["seat_C21"].pk])).status_code == 404
    )
    assert (
        client.get(reverse("committees:seat_fill", args=[world["committee_C21"].pk])).status_code
        == 404
    )


def test_member_account_has_no_page(users, world, login):
    client = login(users["dangvien"])
    assert client.get(reverse("committees:index")).status_code == 403


@pytest.mark.parametrize("role", ["btv", "tuyengiao", "kiemtra", "vanphong", "chibo"])
def test_readers_cannot_write(role, tree, users, world, login):
    client = login(users[role])
    assert (
        client.get(reverse("committees:seat_fill", args=[world["committee_C11"].pk])).status_code
        == 403
    )
    assert client.get(reverse("committees:term_create", args=[tree["C11"].pk])).status_code == 403
    item = world["congress"].checklist.first()
    assert (
        client.post(
            reverse("committees:checklist_tick", args=[item.pk]), {"done": "on"}
        ).status_code
        == 403
    )
    page = client.get(reverse("committees:org", args=[tree["C11"].pk])).content.decode()
    assert "Bổ sung" not in page


def test_secretary_fills_the_empty_deputy_seat(tree, users, world, login, make_member):
    deputy = make_member(tree["C11"], full_name="Phạm Thị Phó")
    client = login(users["bithu"])
    url = reverse("committees:seat_fill", args=[world["committee_C11"].pk])
    resp = client.post(
        url,
        {
            "member": deputy.pk,
            "position": "deputy_secretary",
            "start_date": world["today"].strftime("%d/%m/%Y"),
            "start_kind": "elected",
        },
    )
    assert resp.status_code == 302
    seat = CommitteeSeat.objects.get(member=deputy)
    assert seat.position == "deputy_secretary"
    assert seat.history.first().history_user == users["bithu"]


def test_bad_seat_fill_shows_the_rule_and_writes_nothing(tree, users, world, login, make_member):
    """A probationary member as deputy: refused with the rule's source, nothing written."""
    prob = make_member(
        tree["C11"], admission_date=world["today"] - dt.timedelta(days=60), official_date=None
    )
    client = login(users["tochuc"])
    url = reverse("committees:seat_fill", args=[world["committee_C11"].pk])
    before = CommitteeSeat.objects.count()
    # the probationary member is not offered in the list; the form refuses the choice
    resp = client.post(
        url,
        {
            "member": prob.pk,
            "position": "deputy_secretary",
            "start_date": world["today"].strftime("%d/%m/%Y"),
            "start_kind": "elected",
        },
    )
    assert resp.status_code == 200
    assert "Chưa lưu được" in resp.content.decode()
    assert CommitteeSeat.objects.count() == before


def test_bad_term_shows_message_and_writes_nothing(tree, users, world, login):
    client = login(users["tochuc"])
    before = Term.objects.count()
    resp = client.post(
        reverse("committees:term_create", args=[tree["C11"].pk]),
        {"name": "2020–2025", "start_date": "01/01/2021"},
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "nhiệm kỳ mới phải bắt đầu sau" in html
    assert Term.objects.count() == before
    resp = client.post(
        reverse("committees:term_create", args=[tree["C11"].pk]),
        {"name": "2030", "start_date": "31/02/2026"},
    )
    assert "dd/mm/yyyy" in resp.content.decode()
    assert Term.objects.count() == before


def test_congress_page_ticks_and_holds(tree, users, world, login):
    congress = world["congress"]
    client = login(users["bithu"])
    item = congress.checklist.order_by("order").first()
    resp = client.post(reverse("committees:checklist_tick", args=[item.pk]), {"done": "on"})
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.done and item.done_on == world["today"] and item.done_by == users["bithu"]
    resp = client.post(
        reverse("committees:congress", args=[congress.pk]),
        {"action": "hold", "hold-held_date": world["today"].strftime("%d/%m/%Y")},
    )
    assert resp.status_code == 302
    congress.refresh_from_db()
    assert congress.status == "held" and congress.term.name == "2028–2033"
    world["seat_C11"].refresh_from_db()
    assert world["seat_C11"].end_reason == "term_ended"


def test_committee_form_refuses_a_cell_committee_below_threshold(tree, users, world, login):
    client = login(users["tochuc"])
    t = services.term_open(
        actor=None,
        organization=tree["C12"],
        name="2025–2030",
        start_date=world["today"] - dt.timedelta(days=5),
    )
    resp = client.post(
        reverse("committees:committee_create", args=[tree["C12"].pk]),
        {"body": "party_committee", "q_secretary": "1", "q_member": "3"},
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "không lập chi ủy" in html and "Theo QĐ 294-QĐ/TW" in html
    assert not t.committees.exists()


def test_home_panel_links_to_filtered_lists(users, world, login):
    client = login(users["tochuc"])
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-figure="vacancies"' in html
    assert reverse("committees:index") + "?tab=secretary" in html
    assert reverse("committees:index") + "?tab=due&amp;months=6" in html or "tab=due" in html


def test_menu_entry(users, login):
    assert "Cấp ủy, đại hội" in login(users["chibo"]).get(reverse("core:home")).content.decode()
