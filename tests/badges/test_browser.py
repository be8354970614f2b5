"""The due list in a real browser, on a phone and on a desktop: tick a whole tier, record the
decision, see the awards; nothing sticks out sideways. Screenshots land in screenshots/."""

import datetime as dt

import pytest

from dangvu.badges.models import BadgeAward
from tests.browser.fixtures import DESKTOP, login_browser, no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser]


def test_record_a_tier_on_a_phone(live_server, transactional_db, users, member_at, browser_page):
    a = member_at(dt.date(1996, 7, 1), full_name="Trần Văn Ba Mươi")
    b = member_at(dt.date(1996, 8, 15), org="C12", full_name="Nguyễn Thị Đủ Mốc")
    member_at(dt.date(1986, 6, 1), full_name="Lê Văn Bốn Mươi")
    page = browser_page
    login_browser(page, live_server, "bithu")
    page.goto(live_server.url + "/badges/?occasion=2026-09-02")
    assert page.locator("#tier-30 input.pick").count() == 2
    assert no_horizontal_scroll(page)
    screenshot(page, "badges-due-phone")
    page.locator('input.pick-all[data-tier="30"]').check()
    assert page.locator("#pick-count").inner_text() == "2"
    page.fill("#id_decision_number", "215-QĐ/ĐU")
    page.fill("#id_awarded_on", "25/08/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Ghi tặng").click()
    assert "Đã ghi 2 đồng chí được tặng Huy hiệu Đảng" in page.content()
    assert {(x.member_id, x.tier) for x in BadgeAward.objects.all()} == {(a.pk, 30), (b.pk, 30)}
    assert page.locator("#tier-30").count() == 0 and page.locator("#tier-40").count() == 1
    page.set_viewport_size(DESKTOP)
    page.reload()
    assert no_horizontal_scroll(page)
    screenshot(page, "badges-due-desktop")
    page.goto(live_server.url + "/badges/awards/")
    assert "Trần Văn Ba Mươi" in page.content()
    screenshot(page, "badges-awards-desktop")
