"""API details beyond the permission matrix: refusals keyed by field in Vietnamese with nothing
written, the vacancy and due lists, the checklist nested in a congress."""

import datetime as dt

import pytest
from django.utils import timezone

from dangvu.committees import services
from dangvu.committees.models import CommitteeSeat, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(tree, make_member):
    today = timezone.localdate()
    start = today - dt.timedelta(days=50)
    t = services.term_open(actor=None, organization=tree["C11"], name="2025–2030", start_date=start)
    c = services.committee_create(
        actor=None, organization=tree["C11"], term=t, quotas={"secretary": 1, "deputy_secretary": 1}
    )
    official = make_member(tree["C11"], full_name="Lê Văn Chính")
    prob = make_member(
        tree["C11"], admission_date=today - dt.timedelta(days=100), official_date=None
    )
    return {"term": t, "committee": c, "official": official, "prob": prob, "today": today}


def test_probationary_holder_refused_over_the_api(users, as_user, cell):
    client = as_user(users["tochuc"])
    resp = client.post(
        "/api/committee-seats/",
        {
            "committee": cell["committee"].pk,
            "member": cell["prob"].pk,
            "position": "secretary",
            "start_date": cell["today"].isoformat(),
        },
        format="json",
    )
    assert resp.status_code == 400
    assert "đảng viên dự bị" in resp.json()["member"][0]
    assert "Điều lệ Đảng, Điều 3" in resp.json()["member"][0]
    assert not CommitteeSeat.objects.exists()


def test_fill_then_vacancies(users, as_user, cell, tree):
    client = as_user(users["bithu"])
    resp = client.get(f"/api/committees/vacancies/?organization={tree['GC1'].pk}")
    assert resp.status_code == 200
    [row] = resp.json()["results"]
    assert (row["approved"], row["filled"], row["vacant"]) == (2, 0, 2)
    resp = client.post(
        "/api/committee-seats/",
        {
            "committee": cell["committee"].pk,
            "member": cell["official"].pk,
            "position": "secretary",
            "start_date": cell["today"].isoformat(),
            "start_kind": "appointed",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["position_label"] == "Bí thư"
    [row] = client.get("/api/committees/vacancies/").json()["results"]
    assert row["vacant"] == 1
    names = {
        r["organization_name"]
        for r in client.get("/api/committees/without-secretary/").json()["results"]
    }
    assert "Chi bộ Văn phòng" not in names and "Chi bộ Thanh tra" in names


def test_bad_input_messages(users, as_user, cell, tree):
    client = as_user(users["tochuc"])
    before = Term.objects.count()
    resp = client.post(
        "/api/terms/",
        {"organization": tree["C11"].pk, "name": "2026", "start_date": "2020-01-01"},
        format="json",
    )
    assert resp.status_code == 400 and "start_date" in resp.json()
    resp = client.post(
        "/api/terms/",
        {"organization": tree["C11"].pk, "name": "x", "start_date": "31/02/2026"},
        format="json",
    )
    assert resp.status_code == 400 and "Ngày sai định dạng" in resp.json()["start_date"][0]
    assert Term.objects.count() == before
    assert client.get("/api/congresses/due/?months=0").status_code == 400
    assert client.get("/api/committees/vacancies/?on=hôm-nay").status_code == 400


def test_congress_detail_nests_its_checklist_and_ticks(users, as_user, tree, cell):
    congress = services.congress_plan(
        actor=None,
        organization=tree["C11"],
        term_name="2027–2032",
        planned_date=cell["today"] + dt.timedelta(days=30),
    )
    client = as_user(users["bithu"])
    data = client.get(f"/api/congresses/{congress.pk}/").json()
    assert data["checklist_total"] == len(data["checklist"]) == 8 and data["checklist_done"] == 0
    item = data["checklist"][0]["id"]
    resp = client.patch(f"/api/congress-checklist-items/{item}/", {"done": True}, format="json")
    assert resp.status_code == 200
    assert resp.json()["done_on"] == cell["today"].isoformat() and resp.json()["done_by_name"]
    assert client.get(f"/api/congresses/{congress.pk}/").json()["checklist_done"] == 1
    due = client.get(f"/api/congresses/due/?organization={tree['GC1'].pk}&months=6").json()[
        "results"
    ]
    assert {r["organization_name"]: r["status"] for r in due} == {
        "Đảng bộ Sở Tài chính": "no_term",
        "Chi bộ Thanh tra": "no_term",
    }
