"""Browser: one candidate walked through the pages from the new record to official member, at
phone width (steps recorded with past dates); screenshots of the pages at phone and desktop width."""

import datetime as dt

import pytest

from dangvu.admission import services
from dangvu.admission.models import Candidate
from tests.browser.fixtures import DESKTOP, PHONE, login_browser, no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser]


def _step(page, fields: dict, shot: str | None = None):
    form = page.locator("#next-step form")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(str(value))
    if shot:
        screenshot(page, shot)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_walk_one_candidate_to_official_member(
    live_server, transactional_db, users, tree, make_member, browser_page
):
    staff = [make_member(tree["C11"], full_name=f"Đảng Viên Chi Bộ {i}") for i in range(1, 10)]
    services.target_set(actor=None, organization=tree["GC1"], year=dt.date.today().year, number=3)
    page = browser_page
    login_browser(page, live_server, "bithu")

    # new candidate, at phone width
    page.goto(live_server.url + "/admission/new/")
    page.select_option("#id_organization", str(tree["C11"].pk))
    page.fill("#id_full_name", "Trương Thị Mai Anh")
    page.select_option("#id_gender", "female")
    page.fill("#id_date_of_birth", "12/08/1999")
    page.fill("#id_workplace", "Văn phòng Sở Tài chính")
    assert no_horizontal_scroll(page)
    screenshot(page, "admission-create-phone")
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    c = Candidate.objects.get(full_name="Trương Thị Mai Anh")
    assert f"/admission/{c.pk}/" in page.url

    _step(page, {"date": "10/01/2024", "decision_number": "GCN-88"})
    _step(page, {"date": "20/01/2024"})
    # the introducers step is refused until two official members introduce her
    _step(page, {"date": "01/02/2024"})
    assert "Cần 2 đảng viên chính thức" in page.content()
    screenshot(page, "admission-refused-phone")
    for member in staff[:2]:
        page.locator("#introducers summary").click()
        page.select_option("#id_member", str(member.pk))
        page.fill("#id_months_together", "26")
        with page.expect_navigation():
            page.locator("#introducers button[type=submit]").click()
    _step(page, {"date": "01/02/2024"})
    _step(page, {"date": "15/02/2024", "notes": "Lý lịch rõ ràng."})
    # 10 official members in C11 (nine staff and the member account's own record)
    _step(page, {"date": "01/03/2024", "votes_for": 10, "votes_against": 0})
    _step(page, {"date": "11/03/2024", "votes_for": 8, "votes_total": 9})
    _step(
        page,
        {"date": "01/04/2024", "decision_number": "125-QĐ/ĐUK", "issuer": "BTV Đảng ủy Khối"},
    )
    _step(page, {"date": "15/04/2024"}, shot="admission-ceremony-phone")
    assert no_horizontal_scroll(page)
    c.refresh_from_db()
    assert c.status == "admitted" and c.member.status == "probationary"
    _step(
        page,
        {"date": "05/05/2025", "votes_for": 9, "decision_number": "301-QĐ/ĐUK"},
    )
    c.refresh_from_db()
    c.member.refresh_from_db()
    assert c.status == "official" and c.member.status == "official"
    assert c.member.official_date == dt.date(2025, 4, 15)
    assert "Đã là đảng viên chính thức" in page.content()
    screenshot(page, "admission-detail-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "admission-detail-desktop")

    # the member record, typed once
    page.locator("a", has_text="Hồ sơ đảng viên").first.click()
    page.wait_for_load_state()
    assert "Trương Thị Mai Anh" in page.content()

    # list, targets and home panel at both widths
    services.candidate_create(
        actor=None,
        organization=tree["C12"],
        data={"full_name": "Lý Văn Chờ", "gender": "male", "date_of_birth": dt.date(2000, 1, 1)},
    )
    for size, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.goto(live_server.url + "/admission/?status=")
        assert "Lý Văn Chờ" in page.content()
        assert no_horizontal_scroll(page)
        screenshot(page, f"admission-list-{tag}")
        page.goto(live_server.url + "/admission/targets/")
        assert "Đảng bộ Sở Tài chính" in page.content()
        assert no_horizontal_scroll(page)
        screenshot(page, f"admission-targets-{tag}")
        page.goto(live_server.url + "/")
        assert page.locator("#admission-panel").count() == 1
        assert no_horizontal_scroll(page)
        screenshot(page, f"admission-home-{tag}")
