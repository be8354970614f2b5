"""Badge pages per role, in and out of scope: the due list, recording awards (bad input writes
nothing), the printable list opened back (PDF and Excel), history, proposals, home panel, menu."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.badges.models import BadgeAward, BadgeProposal

from .conftest import OCC

pytestmark = pytest.mark.django_db

ROLES = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "bithu", "chibo", "dangvien"]
READERS = set(ROLES) - {"dangvien"}
WRITERS = {"admin", "tochuc", "bithu"}
SEES = {"C11": READERS, "C21": READERS - {"bithu", "chibo"}}
Q = {"occasion": OCC.isoformat()}


@pytest.fixture
def cast(member_at, users):
    """Due at 02/09/2026: Trần Văn Ba Mươi (C11), Lê Thị Bốn Mươi (C12, 40 years), Hồ Văn Ngoài
    (C21); deferred: Phan Văn Cảnh Cáo (C11, warning in August)."""
    from dangvu.discipline.services import discipline_case_create

    out = {
        "c11": member_at(dt.date(1996, 7, 1), full_name="Trần Văn Ba Mươi"),
        "c12": member_at(
            dt.date(1986, 6, 1), org="C12", full_name="Lê Thị Bốn Mươi", gender="female"
        ),
        "c21": member_at(dt.date(1996, 8, 1), org="C21", full_name="Hồ Văn Ngoài"),
        "warned": member_at(dt.date(1996, 7, 15), full_name="Phan Văn Cảnh Cáo"),
    }
    discipline_case_create(
        actor=None,
        member=out["warned"],
        form="warning",
        decided_on=dt.date(2026, 8, 1),
        decision_number="9-QĐ/UBKT",
        deciding_body="Ủy ban Kiểm tra",
        reason="Vi phạm",
    )
    return out


@pytest.mark.parametrize("role", ROLES)
def test_due_page_by_role_and_scope(role, users, cast, login):
    resp = login(users[role]).get(reverse("badges:due"), Q)
    if role not in READERS:
        assert resp.status_code == 403
        return
    assert resp.status_code == 200
    html = resp.content.decode()
    assert ("Trần Văn Ba Mươi" in html) == (role in SEES["C11"])
    assert ("Hồ Văn Ngoài" in html) == (role in SEES["C21"])
    assert "Phan Văn Cảnh Cáo" in html and "QĐ 29-QĐ/TW" in html
    # the decision itself only for those who may see discipline (not the propaganda department)
    assert ("9-QĐ/UBKT" in html) == (role != "tuyengiao")
    assert "01/02/2027" in html and ("xét lại sau 6 tháng, từ ngày" in html) == (
        role != "tuyengiao"
    )
    assert ('name="pick"' in html) == (role in WRITERS)


@pytest.mark.parametrize("role", ROLES)
def test_menu_entry_only_with_the_module(role, users, login):
    html = login(users[role]).get(reverse("core:home")).content.decode()
    assert (reverse("badges:due") in html) == (role in READERS)


def test_subtree_filter_and_tier_groups(users, cast, login, tree):
    client = login(users["tochuc"])
    html = client.get(reverse("badges:due"), {**Q, "organization": tree["GC1"].pk}).content.decode()
    assert "Trần Văn Ba Mươi" in html and "Lê Thị Bốn Mươi" in html
    assert "Hồ Văn Ngoài" not in html
    assert 'id="tier-30"' in html and 'id="tier-40"' in html
    # an organisation outside the scope is not offered: bithu gets its own scope
    html = (
        login(users["bithu"])
        .get(reverse("badges:due"), {**Q, "organization": tree["C21"].pk})
        .content.decode()
    )
    assert "Hồ Văn Ngoài" not in html


def _pick(m, tier):
    return f"{m.pk}:{tier}:none"


def test_record_several_awards(users, cast, login):
    client = login(users["bithu"])
    resp = client.post(
        reverse("badges:record"),
        {
            **Q,
            "pick": [_pick(cast["c11"], 30), _pick(cast["c12"], 40)],
            "decision_number": "210-QĐ/ĐU",
            "awarded_on": "25/08/2026",
        },
    )
    assert resp.status_code == 302 and "occasion=2026-09-02" in resp["Location"]
    awards = BadgeAward.objects.order_by("tier")
    assert [(a.member_id, a.tier) for a in awards] == [(cast["c11"].pk, 30), (cast["c12"].pk, 40)]
    assert awards[0].history.get().history_user == users["bithu"]
    html = client.get(reverse("badges:due"), Q).content.decode()
    assert "Đã được tặng mốc này (2)" in html


def test_record_bad_input_writes_nothing(users, cast, login):
    client = login(users["tochuc"])
    resp = client.post(
        reverse("badges:record"),
        {**Q, "pick": [_pick(cast["c11"], 30), _pick(cast["warned"], 30)], "awarded_on": "x"},
    )
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Số quyết định" in html and "dd/mm/yyyy" in html
    resp = client.post(
        reverse("badges:record"),
        {
            **Q,
            "pick": [_pick(cast["c11"], 30), _pick(cast["warned"], 30)],
            "decision_number": "211-QĐ/ĐUK",
            "awarded_on": "25/08/2026",
        },
    )
    assert resp.status_code == 400
    assert "Phan Văn Cảnh Cáo" in resp.content.decode()
    assert not BadgeAward.objects.exists()


def test_record_refused_to_readers_and_out_of_scope(users, cast, login):
    body = {
        **Q,
        "pick": [_pick(cast["c21"], 30)],
        "decision_number": "1",
        "awarded_on": "25/08/2026",
    }
    assert login(users["chibo"]).post(reverse("badges:record"), body).status_code == 403
    assert login(users["bithu"]).post(reverse("badges:record"), body).status_code == 404
    assert not BadgeAward.objects.exists()


def test_excel_opened_back(users, cast, login):
    resp = login(users["tochuc"]).get(reverse("badges:export", args=["xlsx"]), Q)
    assert resp.status_code == 200
    assert "huy-hieu-dang-ROOT-2026-09-02.xlsx" in resp["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.content))
    due, held = wb.worksheets
    rows = list(due.iter_rows(values_only=True))
    assert rows[0][:2] == ("STT", "Họ và tên")
    names = {r[1]: r for r in rows[1:]}
    assert set(names) == {"Trần Văn Ba Mươi", "Lê Thị Bốn Mươi", "Hồ Văn Ngoài"}
    assert names["Lê Thị Bốn Mươi"][7] == 40
    assert names["Trần Văn Ba Mươi"][4] == dt.datetime(1996, 7, 1)
    held_rows = list(held.iter_rows(values_only=True))[1:]
    assert held_rows[0][1] == "Phan Văn Cảnh Cáo" and held_rows[0][8] == dt.datetime(2027, 2, 1)


def test_excel_of_a_narrow_scope(users, cast, login):
    resp = login(users["chibo"]).get(reverse("badges:export", args=["xlsx"]), Q)
    wb = load_workbook(io.BytesIO(resp.content))
    names = [r[1] for r in list(wb.worksheets[0].iter_rows(values_only=True))[1:]]
    assert names == ["Trần Văn Ba Mươi"]
    assert "huy-hieu-dang-C11-" in resp["Content-Disposition"]


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")


@needs_poppler
def test_pdf_opened_back(users, cast, login, tmp_path):
    resp = login(users["bithu"]).get(
        reverse("badges:export", args=["pdf"]), {**Q, "organization": ""}
    )
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    path = tmp_path / "ds.pdf"
    path.write_bytes(resp.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "ĐẢNG ỦY SỞ TÀI CHÍNH" in text
    assert "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG" in text
    assert "Huy hiệu 30 năm tuổi đảng (1 đồng chí)" in text
    assert "Trần Văn Ba Mươi" in text and "Lê Thị Bốn Mươi" in text
    assert "Hồ Văn Ngoài" not in text and "Phan Văn Cảnh Cáo" not in text
    assert "Tổng cộng: 2 đồng chí (30 năm: 1; 40 năm: 1)." in text
    assert "Nơi nhận:" in text and "T/M ĐẢNG ỦY" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Liberation-Serif" in fonts and "DejaVu" not in fonts


def test_export_refused_without_the_module(users, login):
    resp = login(users["dangvien"]).get(reverse("badges:export", args=["pdf"]))
    assert resp.status_code == 403
    resp = login(users["tochuc"]).get(reverse("badges:export", args=["docx"]))
    assert resp.status_code == 404


def test_award_history_in_scope(users, cast, login):
    for m, tier in ((cast["c11"], 30), (cast["c21"], 30)):
        BadgeAward.objects.create(
            member=m, tier=tier, occasion=OCC, decision_number="5-QĐ", awarded_on=OCC
        )
    html = login(users["chibo"]).get(reverse("badges:awards")).content.decode()
    assert "Trần Văn Ba Mươi" in html and "Hồ Văn Ngoài" not in html
    html = login(users["vanphong"]).get(reverse("badges:awards"), {"tier": 30}).content.decode()
    assert "Trần Văn Ba Mươi" in html and "Hồ Văn Ngoài" in html
    assert login(users["dangvien"]).get(reverse("badges:awards")).status_code == 403


def test_proposal_page(users, cast, login, member_at):
    ill = member_at(dt.date(1997, 5, 1), full_name="Đỗ Văn Bệnh", card_number="79123456")
    client = login(users["bithu"])
    resp = client.post(
        reverse("badges:proposals"),
        {"member": "79123456", "proposed_on": "01/08/2026", "note": "Ung thư giai đoạn cuối"},
    )
    assert resp.status_code == 302
    p = BadgeProposal.objects.get()
    assert p.member == ill
    html = client.get(reverse("badges:due"), Q).content.decode()
    assert "Đỗ Văn Bệnh" in html and "Xét sớm (bệnh nặng)" in html
    # out of scope or unknown: a clear message, nothing written
    resp = client.post(
        reverse("badges:proposals"),
        {"member": cast["c21"].card_number, "proposed_on": "01/08/2026", "note": "x"},
    )
    assert resp.status_code == 400 and "Không tìm thấy đảng viên" in resp.content.decode()
    assert login(users["chibo"]).post(reverse("badges:proposals"), {}).status_code == 403
    client = login(users["bithu"])
    resp = client.post(reverse("badges:proposal_withdraw", args=[p.pk]), {"date": "02/08/2026"})
    assert resp.status_code == 302
    p.refresh_from_db()
    assert p.closed_on == dt.date(2026, 8, 2)
    assert BadgeProposal.objects.count() == 1


def test_home_panel(users, login, member_at):
    member_at(dt.date(1996, 12, 1), full_name="Vũ Văn Dịp Tới")  # 30 years on 01/12/2026
    html = login(users["tochuc"]).get(reverse("core:home")).content.decode()
    assert "Đến mốc ở dịp 03/02/2027" in html and "Huy hiệu 30 năm" in html
    assert "badge-panel" not in login(users["dangvien"]).get(reverse("core:home")).content.decode()


def test_due_page_and_api_queries_do_not_grow_with_the_list(users, login, member_at, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        member_at(dt.date(1996, 6, 1) + dt.timedelta(days=i))
    client = login(users["tochuc"])
    api = as_user(users["tochuc"])
    client.get(reverse("badges:due"), Q)  # the session's first request reads more
    api.get("/api/badges/due/", Q)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("badges:due"), Q).status_code == 200
    with CaptureQueriesContext(connection) as small_api:
        assert len(api.get("/api/badges/due/", Q).json()["due"]) == 3
    for i in range(12):
        member_at(dt.date(1986, 6, 1) + dt.timedelta(days=i), org="C12")
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("badges:due"), Q).content.decode()
    with CaptureQueriesContext(connection) as large_api:
        assert len(api.get("/api/badges/due/", Q).json()["due"]) == 15
    assert html.count('name="pick"') == 15
    assert len(large) == len(small)
    assert len(large_api) == len(small_api)
