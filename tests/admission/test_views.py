"""Admission pages: every view × every role of the `users` fixture, in and out of scope; a refused
step re-renders with the rule's citation and writes nothing; targets page and home panel."""

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.admission import services
from dangvu.admission.choices import StepKind
from dangvu.admission.models import AdmissionStep, AdmissionTarget, Candidate

from .conftest import DATES, candidate_data

pytestmark = pytest.mark.django_db

ROLES = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "bithu", "chibo", "dangvien"]
WHOLE_TREE = {"admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"}
SEES = {"C11": WHOLE_TREE | {"bithu", "chibo"}, "C21": WHOLE_TREE}
CHANGES = {"C11": {"admin", "tochuc", "bithu", "chibo"}, "C21": {"admin", "tochuc"}}


@pytest.fixture
def cands(tree, users):
    return {
        code: services.candidate_create(
            actor=None,
            organization=tree[code],
            data=candidate_data(full_name=f"Quần Chúng {code}"),
        )
        for code in ("C11", "C21")
    }


def expected_view(role, org):
    return 200 if role in SEES[org] else 404


def expected_change(role, org):
    if role not in SEES[org]:
        return 404
    return 200 if role in CHANGES[org] else 403


@pytest.mark.parametrize("role", ROLES)
def test_list_per_role(role, users, cands, login):
    client = login(users[role])
    resp = client.get(reverse("admission:list"))
    if role == "dangvien":
        assert resp.status_code == 403
        return
    assert resp.status_code == 200
    html = resp.content.decode()
    assert ("Quần Chúng C11" in html) == (role in SEES["C11"])
    assert ("Quần Chúng C21" in html) == (role in SEES["C21"])
    assert "Phát triển đảng viên" in html


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("code", ["C11", "C21"])
def test_detail_and_edit_per_role(role, code, users, cands, login):
    client = login(users[role])
    c = cands[code]
    assert client.get(reverse("admission:detail", args=[c.pk])).status_code == expected_view(
        role, code
    )
    assert client.get(reverse("admission:edit", args=[c.pk])).status_code == expected_change(
        role, code
    )
    resp = client.post(
        reverse("admission:step", args=[c.pk]),
        {"kind": "awareness", "date": "10/01/2024", "decision_number": "GCN-1"},
    )
    want = expected_change(role, code)
    assert resp.status_code == (302 if want == 200 else want)


def test_list_filters(users, cands, login, tree):
    services.record_awareness(
        actor=None, candidate=cands["C11"], date=dt.date(2024, 1, 10), decision_number="1"
    )
    client = login(users["tochuc"])
    html = client.get(reverse("admission:list"), {"step": "awareness"}).content.decode()
    assert "Quần Chúng C11" in html and "Quần Chúng C21" not in html
    html = client.get(reverse("admission:list"), {"organization": tree["GC2"].pk}).content.decode()
    assert "Quần Chúng C21" in html and "Quần Chúng C11" not in html
    html = client.get(reverse("admission:list"), {"q": "quan chung c21"}).content.decode()
    assert "Quần Chúng C21" in html and "Quần Chúng C11" not in html
    Candidate.objects.filter(pk=cands["C21"].pk).update(next_due=dt.date(2024, 1, 1))
    html = client.get(reverse("admission:list"), {"overdue": "true"}).content.decode()
    assert "Quần Chúng C21" in html and "Quần Chúng C11" not in html
    services.candidate_close(
        actor=None, candidate=cands["C11"], status="withdrawn", date=dt.date(2024, 2, 1), reason="x"
    )
    html = client.get(reverse("admission:list")).content.decode()
    assert "Quần Chúng C11" not in html  # by default: candidates still in progress
    html = client.get(reverse("admission:list"), {"status": ""}).content.decode()
    assert "Quần Chúng C11" in html
    resp = client.get(
        reverse("admission:list"),
        {"status": "active"},
        headers={"HX-Request": "true", "HX-Target": "candidate-results"},
    )
    assert resp.status_code == 200 and "<html" not in resp.content.decode()


def test_create_by_cell_secretary_only_in_its_cell(users, login, tree):
    client = login(users["chibo"])
    form = client.get(reverse("admission:create")).content.decode()
    assert "Chi bộ Văn phòng" in form and "Chi bộ Phòng Kế hoạch" not in form
    data = {
        **{k: v for k, v in candidate_data().items() if k != "date_of_birth"},
        "date_of_birth": "15/06/1998",
        "organization": tree["C21"].pk,
    }
    resp = client.post(reverse("admission:create"), data)
    assert resp.status_code == 200 and not Candidate.objects.exists()
    data["organization"] = tree["C11"].pk
    resp = client.post(reverse("admission:create"), data)
    c = Candidate.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("admission:detail", args=[c.pk])
    assert c.date_of_birth == dt.date(1998, 6, 15)


def test_create_refused_for_a_grassroots_committee(users, login, tree):
    client = login(users["tochuc"])
    data = {
        **{k: v for k, v in candidate_data().items() if k != "date_of_birth"},
        "date_of_birth": "31/02/1998",
        "organization": tree["GC1"].pk,
    }
    resp = client.post(reverse("admission:create"), data)
    html = resp.content.decode()
    assert resp.status_code == 200 and "dd/mm/yyyy" in html
    assert not Candidate.objects.exists()


def test_refused_step_shows_the_rule_and_writes_nothing(users, login, walk, make_candidate):
    c = walk(make_candidate(date_of_birth=dt.date(2009, 1, 2)), upto=StepKind.BACKGROUND_CHECK)
    client = login(users["chibo"])
    detail = client.get(reverse("admission:detail", args=[c.pk])).content.decode()
    assert "Chưa đủ 18 tuổi" in detail  # shown before the form (blockers)
    n = AdmissionStep.objects.count()
    resp = client.post(
        reverse("admission:step", args=[c.pk]),
        {"kind": "cell_vote", "date": "01/03/2024", "votes_for": "9"},
    )
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "Chưa đủ 18 tuổi" in html and "Quy định 232-QĐ/TW" in html
    assert AdmissionStep.objects.count() == n


def test_only_the_next_step_is_accepted(users, login, cands):
    client = login(users["chibo"])
    c = cands["C11"]
    resp = client.post(
        reverse("admission:step", args=[c.pk]), {"kind": "decision", "date": "10/01/2024"}
    )
    assert resp.status_code == 302 and not c.steps.exists()
    page = client.get(reverse("admission:detail", args=[c.pk])).content.decode()
    assert 'value="awareness"' in page and 'value="decision"' not in page


def test_committee_vote_is_for_the_grassroots_level(users, login, walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.CELL_VOTE)
    body = {"kind": "committee_vote", "date": "11/03/2024", "votes_for": "7", "votes_total": "9"}
    assert (
        login(users["chibo"]).post(reverse("admission:step", args=[c.pk]), body).status_code == 403
    )
    assert (
        login(users["bithu"]).post(reverse("admission:step", args=[c.pk]), body).status_code == 302
    )


def test_introducer_and_close_forms(users, login, cands, cell_staff):
    client = login(users["chibo"])
    c = cands["C11"]
    resp = client.post(
        reverse("admission:introducer_add", args=[c.pk]),
        {"kind": "party_member", "member": cell_staff[0].pk, "months_together": "6"},
    )
    assert resp.status_code == 400 and "ít nhất 12 tháng" in resp.content.decode()
    assert not c.introducers.exists()
    resp = client.post(
        reverse("admission:introducer_add", args=[c.pk]),
        {"kind": "party_member", "member": cell_staff[0].pk, "months_together": "14"},
    )
    assert resp.status_code == 302 and c.introducers.count() == 1
    resp = client.post(
        reverse("admission:close", args=[c.pk]),
        {"status": "withdrawn", "date": "01/02/2024", "reason": ""},
    )
    assert resp.status_code == 400
    resp = client.post(
        reverse("admission:close", args=[c.pk]),
        {"status": "withdrawn", "date": "01/02/2024", "reason": "Xin thôi"},
    )
    c.refresh_from_db()
    assert resp.status_code == 302 and c.status == "withdrawn"


@pytest.mark.parametrize("role", ROLES)
def test_targets_page_per_role(role, users, login, tree):
    services.target_set(actor=None, organization=tree["GC1"], year=2026, number=4)
    client = login(users[role])
    resp = client.get(reverse("admission:targets"), {"year": 2026})
    if role == "dangvien":
        assert resp.status_code == 403
        return
    assert resp.status_code == 200
    post = client.post(
        reverse("admission:targets") + "?year=2026",
        {"organization": tree["C11"].pk, "year": "2026", "number": "2"},
    )
    may_set = role in {"admin", "tochuc", "bithu", "chibo"}
    assert post.status_code == (302 if may_set else 403)
    assert AdmissionTarget.objects.filter(organization=tree["C11"]).exists() == may_set


def test_targets_page_progress(users, login, tree, make_member):
    services.target_set(actor=None, organization=tree["GC1"], year=2024, number=4)
    services.target_set(actor=None, organization=tree["GC2"], year=2024, number=2)
    make_member(tree["C11"], admission_date=dt.date(2024, 5, 1), official_date=None)
    client = login(users["tochuc"])
    html = client.get(reverse("admission:targets"), {"year": 2024}).content.decode()
    assert "Đảng bộ Sở Tài chính" in html and "Đảng bộ Sở Y tế" in html
    assert "<strong>1</strong> / chỉ tiêu <strong>6</strong>" in html
    html = login(users["bithu"]).get(reverse("admission:targets"), {"year": 2024}).content.decode()
    assert "<strong>1</strong> / chỉ tiêu <strong>4</strong>" in html
    assert "Đảng bộ Sở Y tế" not in html


def test_home_panel_and_menu(users, login, tree, cands):
    services.target_set(actor=None, organization=tree["GC1"], year=dt.date.today().year, number=5)
    html = login(users["bithu"]).get(reverse("core:home")).content.decode()
    assert 'id="admission-panel"' in html and "/ 5" in html
    assert reverse("admission:list") in html
    html = login(users["dangvien"]).get(reverse("core:home")).content.decode()
    assert 'id="admission-panel"' not in html and reverse("admission:list") not in html


def test_walk_through_the_pages_to_official(users, login, walk, make_candidate):
    """The detail page offers exactly the next step until the member is official."""
    c = walk(make_candidate(), upto=StepKind.DECISION)
    client = login(users["bithu"])
    resp = client.post(
        reverse("admission:step", args=[c.pk]), {"kind": "ceremony", "date": "15/04/2024"}
    )
    assert resp.status_code == 302
    c.refresh_from_db()
    assert c.member is not None
    resp = client.post(
        reverse("admission:step", args=[c.pk]),
        {
            "kind": "recognition",
            "date": DATES[StepKind.RECOGNITION].strftime("%d/%m/%Y"),
            "votes_for": "9",
            "decision_number": "88-QĐ/ĐU",
        },
    )
    assert resp.status_code == 302
    c.refresh_from_db()
    assert c.status == "official"
    page = client.get(reverse("admission:detail", args=[c.pk])).content.decode()
    assert 'name="kind"' not in page and "Hồ sơ đảng viên" in page


def test_export_the_filtered_list(users, login, cands, tree):
    import io

    from openpyxl import load_workbook

    client = login(users["bithu"])
    resp = client.get(reverse("admission:export"), {"organization": tree["GC1"].pk})
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][1] == "Họ và tên"
    assert [r[1] for r in rows[1:]] == ["Quần Chúng C11"]  # C21 is outside bithu's scope
    assert rows[1][2].date() == dt.date(1998, 6, 15)
    assert login(users["dangvien"]).get(reverse("admission:export")).status_code == 403


def test_list_queries_do_not_grow_with_rows(users, login, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users["tochuc"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("admission:list")).status_code == 200
        return len(ctx.captured_queries)

    services.candidate_create(actor=None, organization=tree["C11"], data=candidate_data())
    few = count()
    for i in range(8):
        services.candidate_create(
            actor=None, organization=tree["C21"], data=candidate_data(full_name=f"Người {i}")
        )
    assert count() == few
