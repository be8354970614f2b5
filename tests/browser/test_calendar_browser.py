"""The working-day calendar page, read by a standing-committee member, on a phone and a desktop."""

import pytest

from tests.browser.fixtures import DESKTOP, login_browser, no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser]


def test_calendar_on_phone_and_desktop(live_server, transactional_db, users, browser_page):
    from dangvu.core.workdays import seed_year

    seed_year(2026)
    page = browser_page
    login_browser(page, live_server, "btv")
    page.goto(live_server.url + "/rulebook/")
    page.get_by_role("link", name="Lịch ngày làm việc, ngày nghỉ lễ").click()
    page.get_by_role("link", name="2026", exact=True).click()
    assert page.get_by_text("Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)").is_visible()
    assert page.get_by_text("Tết Nguyên đán (mùng 1)").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "calendar-phone")
    page.set_viewport_size(DESKTOP)
    assert no_horizontal_scroll(page)
    screenshot(page, "calendar-desktop")
