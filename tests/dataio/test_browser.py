"""The import pages in a real browser at phone size: upload, errors, preview, commit."""

import pytest

from tests.browser.fixtures import DESKTOP, login_browser, no_horizontal_scroll, screenshot

from .conftest import row_dict, rows_from, xlsx_bytes

pytestmark = [pytest.mark.browser]


def test_import_flow_on_a_phone(
    live_server, transactional_db, users, tree, browser_page, immediate_tasks, tmp_path
):
    from dangvu.members.models import Member

    page = browser_page
    login_browser(page, live_server, "bithu")
    page.goto(live_server.url + "/data/import/")
    assert no_horizontal_scroll(page)

    bad = tmp_path / "danh-sach-co-loi.xlsx"
    bad.write_bytes(
        xlsx_bytes(
            rows_from(
                [
                    row_dict(1),
                    row_dict(2, **{"Chi bộ": "C21"}),
                    row_dict(3, **{"Số CCCD": "0011234"}),
                    row_dict(4, **{"Ngày sinh": "31/02/1980"}),
                ]
            )
        )
    )
    page.select_option("#id_organization", label="\u2003Chi bộ Văn phòng (C11)")
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_selector("table.import-errors")
    assert page.locator("table.import-errors tbody tr").count() == 3
    assert page.get_by_text("Ghi vào hệ thống", exact=True).count() == 0
    assert no_horizontal_scroll(page)
    screenshot(page, "import-errors-phone")

    good = tmp_path / "danh-sach.xlsx"
    good.write_bytes(xlsx_bytes(rows_from([row_dict(1), row_dict(2, **{"Chi bộ": "C12"})])))
    page.goto(live_server.url + "/data/import/")
    page.select_option("#id_organization", label="\u2003Chi bộ Văn phòng (C11)")
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_selector("table.import-preview")
    assert no_horizontal_scroll(page)
    screenshot(page, "import-preview-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="Ghi vào hệ thống").click()
    page.wait_for_selector("text=Đã ghi vào hệ thống: 2 đảng viên mới")
    assert Member.objects.filter(card_number__in=["93000001", "93000002"]).count() == 2
    page.set_viewport_size(DESKTOP)
    screenshot(page, "import-done-desktop")
