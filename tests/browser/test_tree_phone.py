"""The organisation tree on a phone (375 px) and a desktop (1366 px), in a real browser."""

import datetime as dt

import pytest

from tests.browser.fixtures import DESKTOP, PHONE, login_browser, no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def populated(transactional_db, tree, users, make_member):
    """The shared tree with members, a long name and a dissolved cell, like a real one."""
    from dangvu.organizations.services import organization_establish, organization_merge

    gc1 = tree["GC1"]
    for _ in range(4):
        make_member(tree["C11"])
    for _ in range(2):
        make_member(tree["C12"])
    for _ in range(5):
        make_member(tree["C21"])
    make_member(tree["GCELL"], official_date=None, admission_date=dt.date(2024, 3, 1))
    long_cell = organization_establish(
        actor=None,
        parent=gc1,
        code="C13-KHTC-TTCNTT",
        name="Chi bộ Phòng Kế hoạch – Tài chính và Trung tâm Công nghệ thông tin, Truyền thông",
        org_type="cell",
        date=dt.date(2018, 1, 1),
        decision_number="09-QĐ/ĐU",
    )
    for _ in range(3):
        make_member(long_cell)
    old = organization_establish(
        actor=None,
        parent=gc1,
        code="C14",
        name="Chi bộ Phòng Tổng hợp (cũ)",
        org_type="cell",
        date=dt.date(2016, 1, 1),
        decision_number="08-QĐ/ĐU",
    )
    organization_merge(
        actor=None, source=old, target=tree["C12"], date=dt.date(2022, 1, 1), decision_number="1-QĐ"
    )
    return tree


def test_tree_on_a_phone_then_on_a_desktop(live_server, populated, browser_page):
    page = browser_page
    login_browser(page, live_server, "tochuc")

    # The tree: ROOT expanded one level, the committees closed.
    page.goto(live_server.url + "/organizations/")
    gc1 = page.locator('li[data-org="GC1"]')
    gc1.wait_for()
    assert page.locator('li[data-org="C11"]').count() == 0  # not loaded yet
    assert no_horizontal_scroll(page)
    screenshot(page, "org-tree-phone")

    # Expanding a committee loads its cells through htmx.
    gc1.locator("summary").first.click(position={"x": 20, "y": 20})
    cell = page.locator('li[data-org="C11"]')
    cell.wait_for()
    assert page.locator('li[data-org="C13-KHTC-TTCNTT"]').is_visible()
    assert page.locator('li[data-org="C14"]').count() == 0  # dissolved: hidden by default
    toggle = gc1.locator("summary .org-toggle").first.bounding_box()
    assert toggle["width"] >= 32 and toggle["height"] >= 32  # touch-sized
    row = gc1.locator("summary").first.bounding_box()
    assert row["height"] >= 44
    assert no_horizontal_scroll(page)
    screenshot(page, "org-tree-phone-expanded")

    # A size warning explains itself with the rule it comes from.
    warn = page.locator('li[data-org="GC1"] > details > summary .org-warn').first
    assert "Theo " in (warn.get_attribute("aria-label") or "")
    warn.click()
    tip = page.locator(".tooltip")
    tip.wait_for()
    assert "Đảng bộ cơ sở chỉ có" in tip.inner_text() and "Theo " in tip.inner_text()
    assert page.locator('li[data-org="GC1"] > details').get_attribute("open") is not None
    screenshot(page, "org-tree-phone-warning", full_page=False)
    page.locator("h1").click()

    # Dissolved organisations, greyed, on request.
    page.locator("#org-dissolved").check()
    page.wait_for_url("**dissolved=1**")
    page.locator('li[data-org="GC1"] summary').first.click(position={"x": 20, "y": 20})
    page.locator('li[data-org="C14"]').wait_for()
    assert "org-greyed" in page.locator('li[data-org="C14"]').get_attribute("class")
    assert no_horizontal_scroll(page)

    # The tree as of a date.
    page.fill("#org-on", "01/06/2017")
    page.locator(".org-filter button[type=submit]").click()
    page.wait_for_url("**on=01%2F06%2F2017**")
    assert page.locator('li[data-org="GC1"]').count() == 1
    page.locator('li[data-org="GC1"] summary').first.click(position={"x": 20, "y": 20})
    page.locator('li[data-org="C14"]').wait_for()  # existed then
    assert page.locator('li[data-org="C13-KHTC-TTCNTT"]').count() == 0  # established 2018
    screenshot(page, "org-tree-phone-as-of")

    # A bad date: a Vietnamese message, no crash.
    page.fill("#org-on", "31/02/2020")
    page.locator(".org-filter button[type=submit]").click()
    page.locator("#org-on-error").wait_for()
    assert "dd/mm/yyyy" in page.locator("#org-on-error").inner_text()

    # Search.
    page.goto(live_server.url + "/organizations/?q=cong+nghe")
    page.locator(".org-results a").first.wait_for()
    assert page.locator(".org-results a").count() == 1
    assert no_horizontal_scroll(page)
    screenshot(page, "org-search-phone")

    # Open a cell's detail from the tree.
    page.goto(live_server.url + "/organizations/")
    page.locator('li[data-org="GC1"] summary').first.click(position={"x": 20, "y": 20})
    page.locator('li[data-org="C13-KHTC-TTCNTT"] a.org-name').click()
    page.wait_for_url("**/organizations/*/")
    assert "Trung tâm Công nghệ" in page.locator("h1").inner_text()
    assert no_horizontal_scroll(page)
    screenshot(page, "org-detail-phone")
    for tab, name in (("members", "members"), ("events", "events"), ("history", "history")):
        page.locator(f'.org-tabs [data-tab="{tab}"]').click()
        page.locator(f"#tab-{tab}.show").wait_for()
        assert no_horizontal_scroll(page), tab
        screenshot(page, f"org-detail-phone-{name}")
    tabs = page.locator(".org-tabs").bounding_box()
    assert tabs["x"] + tabs["width"] <= PHONE["width"]
    assert page.locator("#tab-members .org-members li").count() == 3

    # An operation form on the phone, with an error from the server.
    page.goto(page.url.split("?")[0] + "rename/")
    page.fill("#id_decision_number", "")
    page.locator("main form button[type=submit]").click()
    page.locator(".invalid-feedback").first.wait_for()
    assert "Chưa nhập số quyết định." in page.locator("body").inner_text()
    assert no_horizontal_scroll(page)
    screenshot(page, "org-rename-phone-error")

    # Splitting a cell: its members are shared out with touch-sized checkboxes.
    page.goto(live_server.url + f"/organizations/{populated['C11'].pk}/split/")
    checks = page.locator("#id_part1_members input[type=checkbox]")
    assert checks.count() == 5
    assert checks.first.locator("xpath=..").bounding_box()["height"] >= 36
    assert no_horizontal_scroll(page)
    screenshot(page, "org-split-phone")

    # The same pages on a desktop.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/organizations/")
    page.locator('li[data-org="GC1"] summary').first.click(position={"x": 20, "y": 20})
    page.locator('li[data-org="C11"]').wait_for()
    assert no_horizontal_scroll(page)
    screenshot(page, "org-tree-desktop")
    page.locator('li[data-org="GC1"] > details > summary a.org-name').click()
    page.wait_for_url("**/organizations/*/")
    assert no_horizontal_scroll(page)
    screenshot(page, "org-detail-desktop")
    page.goto(page.url + "split/")
    assert no_horizontal_scroll(page)
    screenshot(page, "org-split-desktop")
