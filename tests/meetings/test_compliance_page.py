"""The compliance page: checks and report figures for a chosen subtree and period."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("meetings:compliance")


@pytest.mark.parametrize(
    "role,status",
    [
        ("btv", 200),
        ("tochuc", 200),
        ("bithu", 200),
        ("chibo", 200),
        ("tuyengiao", 403),
        ("dangvien", 403),
    ],
)
def test_who_may_open_it(users, login, role, status):
    assert login(users[role]).get(URL).status_code == status


def test_subtree_and_period_and_scope(users, login, tree):
    client = login(users["bithu"])
    html = client.get(
        URL, {"organization": tree["C11"].pk, "from": "01/01/2026", "to": "31/03/2026"}
    ).content.decode()
    assert "Số liệu từ 01/01/2026 đến 31/03/2026" in html
    assert "Chi bộ Văn phòng" in html
    assert client.get(URL, {"organization": tree["C21"].pk}).status_code == 404  # outside GC1
    html = client.get(URL, {"from": "31/02/2026"}).content.decode()
    assert "không hợp lệ" in html
