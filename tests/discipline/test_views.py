"""Discipline pages per role, in and out of scope; recording (bad input writes nothing), lifting."""

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.discipline import services
from dangvu.discipline.models import DisciplineCase

pytestmark = pytest.mark.django_db

ROLES = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "bithu", "chibo", "dangvien"]
READERS = {"admin", "btv", "tochuc", "kiemtra", "vanphong", "bithu", "chibo"}
WRITERS = {"admin", "kiemtra"}
SEES = {"C11": READERS, "C21": READERS - {"bithu", "chibo"}}


@pytest.fixture
def cases(tree, make_member):
    out = {}
    for code, name in (("C11", "Lê Văn Khiển Trách"), ("C21", "Hồ Thị Cảnh Cáo")):
        m = make_member(tree[code], full_name=name)
        out[code] = services.discipline_case_create(
            actor=None,
            member=m,
            form="reprimand" if code == "C11" else "warning",
            decided_on=dt.date(2026, 2, 1),
            decision_number=f"1-QĐ/{code}",
            deciding_body="Chi bộ",
            reason="Vắng sinh hoạt không lý do",
        )
    return out


@pytest.mark.parametrize("role", ROLES)
def test_list_by_role_and_scope(role, users, cases, login):
    resp = login(users[role]).get(reverse("discipline:list"))
    if role not in READERS:
        assert resp.status_code == 403
        return
    html = resp.content.decode()
    assert ("Lê Văn Khiển Trách" in html) == (role in SEES["C11"])
    assert ("Hồ Thị Cảnh Cáo" in html) == (role in SEES["C21"])
    assert (reverse("discipline:create") in html) == (role in WRITERS)


@pytest.mark.parametrize("role", ROLES)
def test_detail_in_and_out_of_scope(role, users, cases, login):
    client = login(users[role])
    for code, case in cases.items():
        resp = client.get(reverse("discipline:detail", args=[case.pk]))
        assert resp.status_code == (200 if role in SEES[code] else 404), code
        if resp.status_code == 200:
            assert ("Ghi nhận quyết định hết hiệu lực" in resp.content.decode()) == (
                role in WRITERS
            )


@pytest.mark.parametrize("role", ROLES)
def test_menu_entry_only_with_the_module(role, users, login):
    html = login(users[role]).get(reverse("core:home")).content.decode()
    assert (reverse("discipline:list") in html) == (role in READERS)


def test_filters(users, cases, login, tree):
    client = login(users["btv"])
    html = client.get(reverse("discipline:list"), {"form": "warning"}).content.decode()
    assert "Hồ Thị Cảnh Cáo" in html and "Lê Văn Khiển Trách" not in html
    html = client.get(reverse("discipline:list"), {"organization": tree["GC1"].pk}).content.decode()
    assert "Lê Văn Khiển Trách" in html and "Hồ Thị Cảnh Cáo" not in html
    html = client.get(reverse("discipline:list"), {"state": "lifted"}).content.decode()
    assert "Không có quyết định kỷ luật nào phù hợp." in html


def test_record_by_card_number(users, tree, make_member, login):
    m = make_member(tree["C12"], full_name="Đinh Văn Vi Phạm", card_number="79555001")
    client = login(users["kiemtra"])
    assert client.get(reverse("discipline:create") + f"?member={m.pk}").status_code == 200
    resp = client.post(
        reverse("discipline:create"),
        {
            "member": "79555001",
            "form": "warning",
            "decided_on": "15/03/2026",
            "decision_number": "31-QĐ/UBKT",
            "deciding_body": "Ủy ban Kiểm tra Đảng ủy Khối",
            "reason": "Vi phạm quy định về kê khai tài sản",
        },
    )
    case = DisciplineCase.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "discipline:detail", args=[case.pk]
    )
    assert case.member == m and case.history.get().history_user == users["kiemtra"]


def test_record_bad_input_writes_nothing(users, tree, make_member, login):
    make_member(tree["C12"], card_number="79555002")
    client = login(users["kiemtra"])
    resp = client.post(
        reverse("discipline:create"),
        {
            "member": "79555002",
            "form": "warning",
            "decided_on": "15/03/2099",
            "decision_number": "",
            "deciding_body": "UBKT",
            "reason": "x",
        },
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Số quyết định" in html and "Chưa lưu được" in html
    resp = client.post(
        reverse("discipline:create"),
        {
            "member": "79555002",
            "form": "warning",
            "decided_on": "15/03/2099",
            "decision_number": "1",
            "deciding_body": "UBKT",
            "reason": "x",
        },
    )
    assert "tương lai" in resp.content.decode()
    resp = client.post(reverse("discipline:create"), {"member": "00000000", "form": "warning"})
    assert "Không tìm thấy đảng viên" in resp.content.decode()
    assert not DisciplineCase.objects.exists()


def test_record_refused_without_add(users, login):
    assert login(users["btv"]).get(reverse("discipline:create")).status_code == 403
    assert login(users["bithu"]).post(reverse("discipline:create"), {}).status_code == 403


def test_lift(users, cases, login):
    case = cases["C11"]
    url = reverse("discipline:lift", args=[case.pk])
    assert login(users["tochuc"]).post(url, {}).status_code == 403
    assert (
        login(users["chibo"])
        .post(reverse("discipline:lift", args=[cases["C21"].pk]), {})
        .status_code
        == 404
    )
    client = login(users["kiemtra"])
    resp = client.post(url, {"lifted_on": "01/01/2026", "note": ""})
    assert resp.status_code == 200 and "Chưa lưu được" in resp.content.decode()
    case.refresh_from_db()
    assert case.lifted_on is None
    resp = client.post(url, {"lifted_on": "01/06/2026", "note": "QĐ 7-QĐ/UBKTTW"})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.lifted_on == dt.date(2026, 6, 1)
    html = client.get(reverse("discipline:detail", args=[case.pk])).content.decode()
    assert "Hết hiệu lực" in html and "Lịch sử thay đổi" in html
