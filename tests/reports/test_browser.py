"""In a browser: the dashboard draws its charts on the home page; a secretary generates the
member statistics of its organisation, watches it finish and downloads the Excel file; desktop
and phone widths without horizontal scrolling."""

import datetime as dt
import io

import pytest

from tests.browser.fixtures import DESKTOP, PHONE, login_browser, no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def members(tree, make_member):
    for i in range(4):
        make_member(tree["C11"], gender="female" if i % 2 else "male",
                    date_of_birth=dt.date(1960 + 8 * i, 5, 1))  # fmt: skip
    for _ in range(2):
        make_member(tree["C21"])


def test_generate_and_download_statistics(live_server, transactional_db, users, members,
                                          browser_page, immediate_tasks):  # fmt: skip
    page = browser_page
    page.set_viewport_size(DESKTOP)
    login_browser(page, live_server, "bithu")
    page.goto(live_server.url + "/")
    page.wait_for_selector("#reports-panel canvas[data-chart='status']")
    page.wait_for_function(
        "document.getElementById('reports-charts') && document.getElementById('reports-charts').dataset.drawn"
    )
    assert "Số liệu tổng hợp: Đảng bộ Sở Tài chính" in page.inner_text("#reports-panel")
    screenshot(page, "reports-dashboard-desktop", full_page=False)

    page.goto(live_server.url + "/reports/")
    page.select_option("#id_kind", "statistics")
    assert page.is_hidden("#id_year") and page.is_visible("#id_as_of")
    assert page.input_value("#id_format") == "xlsx"
    page.fill("#id_as_of", "31/12/2025")
    screenshot(page, "reports-form-desktop")
    page.click("#report-generate")
    page.wait_for_selector(".report-row[data-status='done'] .report-download")
    row = page.inner_text(".report-row")
    assert "Thống kê đảng viên tại một ngày" in row and "tại ngày 31/12/2025" in row
    screenshot(page, "reports-list-desktop")
    with page.expect_download() as info:
        page.click(".report-download")
    download = info.value
    assert download.suggested_filename == "thong-ke-dang-vien-2025-12-31-GC1.xlsx"
    from openpyxl import load_workbook

    with open(download.path(), "rb") as fh:
        ws = load_workbook(io.BytesIO(fh.read())).active
    values = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value}
    assert values["Chính thức"] == 5 and values["Nữ"] == 2  # + the member account in C11

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/reports/")
    assert no_horizontal_scroll(page)
    screenshot(page, "reports-phone")
    page.goto(live_server.url + "/")
    page.wait_for_selector("#reports-panel canvas[data-chart='age']")
    assert no_horizontal_scroll(page)
    screenshot(page, "reports-dashboard-phone")
