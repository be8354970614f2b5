"""Member pages, home and rulebook in a real browser (Debian chromium), on a phone and a desktop."""

import datetime as dt
import re

import pytest

from tests.browser.fixtures import DESKTOP, PHONE, login_browser, no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser]

NAMES = [
    ("Nguyễn Hữu Định", "male", dt.date(1978, 4, 2)),
    ("Lê Thị Hồng Nhung", "female", dt.date(1990, 9, 15)),
    ("Trần Văn An", "male", dt.date(1969, 12, 1)),
    ("Phạm Ngọc Ánh", "female", dt.date(1986, 6, 20)),
    ("Hoàng Minh Đức", "male", dt.date(1982, 1, 30)),
    ("Võ Thị Thu Trang", "female", dt.date(1993, 3, 8)),
    ("Đặng Quốc Bảo", "male", dt.date(1975, 11, 11)),
    ("Bùi Thị Ngọc Hân", "female", dt.date(1998, 2, 14)),
]


@pytest.fixture
def populated(transactional_db, tree, users, make_member):
    from dangvu.members import services

    orgs = [tree["C11"], tree["C12"], tree["C21"], tree["GCELL"]]
    made = {}
    for i, (name, gender, dob) in enumerate(NAMES):
        admitted = dob.replace(year=dob.year + 24, day=min(dob.day, 28))
        made[name] = make_member(
            orgs[i % len(orgs)],
            full_name=name,
            gender=gender,
            date_of_birth=dob,
            admission_date=admitted,
            official_date=admitted.replace(year=admitted.year + 1),
        )
    # a probationary member admitted this year, and some history on Nguyễn Hữu Định
    today = dt.date.today()
    make_member(
        tree["C11"],
        full_name="Lý Thị Dự Bị",
        gender="female",
        date_of_birth=dt.date(2000, 5, 5),
        admission_date=today.replace(month=1, day=1),
        official_date=None,
    )
    m = made["Nguyễn Hữu Định"]
    services.member_transfer_out(
        actor=None,
        member=m,
        date=dt.date(2021, 3, 1),
        decision_number="12-QĐ/ĐUK",
        to_organization=tree["C12"],
        issuer="Đảng ủy Khối các cơ quan tỉnh",
    )
    m.refresh_from_db()  # the services work on their own copy
    services.member_update(actor=users["tochuc"], member=m, data={"phone": "0912 345 678"})
    return made


def _shots(page, name):
    """Screenshot at desktop then phone size (same page, re-laid out), checking the phone fits."""
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    assert no_horizontal_scroll(page), f"{name}: wider than a phone"
    screenshot(page, f"{name}-phone")


def test_find_member_by_unaccented_name(live_server, populated, browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    login_browser(page, live_server, "tochuc")
    page.goto(live_server.url + "/members/")
    assert page.locator(".member-link").count() == 10
    _shots(page, "members-list")

    page.set_viewport_size(DESKTOP)
    page.fill("#id_q", "nguyen huu dinh")
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r"q=nguyen"))
    page.locator(".member-link", has_text="Nguyễn Hữu Định").wait_for()
    page.wait_for_function("document.querySelectorAll('.member-link').length === 1")
    assert "1–1" in page.locator(".result-count").inner_text()

    page.locator(".member-link", has_text="Nguyễn Hữu Định").click()
    page.wait_for_url(re.compile(r"/members/\d+/$"))
    assert page.locator("h1").inner_text() == "Nguyễn Hữu Định"
    assert "Sơ yếu lý lịch" in page.content()
    _shots(page, "member-detail")

    page.set_viewport_size(DESKTOP)
    page.locator("#tab-process").click()
    page.locator("#process.show").wait_for()
    assert "12-QĐ/ĐUK" in page.locator("#process").inner_text()
    _shots(page, "member-detail-process")
    page.set_viewport_size(DESKTOP)
    page.locator("#tab-history").click()
    page.locator("#history.show").wait_for()
    assert "0912 345 678" in page.locator("#history").inner_text()
    _shots(page, "member-detail-history")

    # the filter panel, opened, on a phone
    page.goto(live_server.url + "/members/?status=official")
    page.set_viewport_size(PHONE)
    assert page.locator("#filter-panel.show").count() == 1
    assert no_horizontal_scroll(page)
    screenshot(page, "members-list-filter-phone")

    # typing in the search box refreshes the results (htmx) without a full page load
    page.goto(live_server.url + "/members/")
    page.evaluate("window.__stayed = true")
    page.fill("#id_q", "ĐỊNH")
    page.wait_for_function("document.querySelectorAll('.member-link').length === 1")
    assert page.locator(".member-link").inner_text() == "Nguyễn Hữu Định"
    assert page.evaluate("window.__stayed === true")
    assert "q=" in page.url  # the address follows the search (hx-push-url)


def test_create_member_with_an_error_then_fix_it(live_server, populated, tree, browser_page):
    from dangvu.members.models import Member
    from dangvu.members.validators import citizen_id_for

    page = browser_page
    page.set_viewport_size(DESKTOP)
    login_browser(page, live_server, "tochuc")
    page.goto(live_server.url + "/members/new/")
    before = Member.objects.count()

    page.select_option("#id_organization", str(tree["C11"].pk))
    page.fill("#id_full_name", "Đỗ Thị Thanh Xuân")
    page.select_option("#id_gender", "female")
    page.fill("#id_date_of_birth", "12/08/1991")
    page.fill("#id_citizen_id", "12345")
    page.fill("#id_card_number", "79123456")
    page.fill("#id_admission_date", "03/02/2015")
    page.fill("#id_official_date", "03/02/2016")
    page.fill("#id_hometown", "Xã Hòa Phong, huyện Hòa Vang, thành phố Đà Nẵng")
    page.click("button[type=submit].btn-danger")
    page.wait_for_load_state()

    assert "/members/new/" in page.url
    error = page.locator("#id_citizen_id ~ .invalid-feedback")
    assert "12 chữ số" in error.inner_text()
    assert "is-invalid" in page.get_attribute("#id_citizen_id", "class")
    assert page.input_value("#id_date_of_birth") == "12/08/1991"  # kept as typed
    assert Member.objects.count() == before
    page.locator("#id_citizen_id").scroll_into_view_if_needed()
    _shots(page, "member-form-error")

    page.set_viewport_size(DESKTOP)
    page.fill("#id_citizen_id", citizen_id_for("048", "female", 1991, 4321))
    page.click("button[type=submit].btn-danger")
    page.wait_for_url(re.compile(r"/members/\d+/$"))
    assert page.locator("h1").inner_text() == "Đỗ Thị Thanh Xuân"
    assert "Đã thêm đảng viên" in page.content()
    member = Member.objects.get(full_name="Đỗ Thị Thanh Xuân")
    assert member.date_of_birth == dt.date(1991, 8, 12)
    assert member.admission_date == dt.date(2015, 2, 3)
    assert page.url.endswith(f"/members/{member.pk}/")


def test_lifecycle_action_from_the_record(live_server, populated, browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    login_browser(page, live_server, "bithu")
    m = populated["Hoàng Minh Đức"]  # in C11
    page.goto(f"{live_server.url}/members/{m.pk}/")
    page.get_by_role("button", name="Biến động").click()
    page.get_by_role("link", name="Miễn công tác và sinh hoạt").click()
    page.wait_for_url(re.compile(r"kind=exemption_granted"))
    page.fill("#id_date", "01/03/2024")
    page.click("button[type=submit].btn-danger")
    page.wait_for_load_state()
    assert "Chưa nhập số quyết định" in page.content()
    _shots(page, "member-event-error")
    page.set_viewport_size(DESKTOP)
    page.fill("#id_decision_number", "25-QĐ/ĐU")
    page.click("button[type=submit].btn-danger")
    page.wait_for_url(re.compile(rf"/members/{m.pk}/"))
    assert "Miễn công tác và sinh hoạt" in page.locator(".status-badge").first.inner_text()


def test_home_rulebook_and_login_pages(live_server, populated, users, browser_page):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    _shots(page, "login")

    page.set_viewport_size(DESKTOP)
    login_browser(page, live_server, "tochuc")
    page.goto(live_server.url + "/")
    assert page.locator(".stat-card").count() >= 8
    _shots(page, "home")
    # each number leads to the list behind it
    page.set_viewport_size(DESKTOP)
    card = page.locator("a.stat-card[data-status=probationary]")
    shown = card.locator(".display-6").inner_text()
    card.click()
    page.wait_for_url(re.compile(r"/members/\?status=probationary"))
    assert f"tổng số {shown} đảng viên" in page.locator(".result-count").inner_text()

    # a member's own home page on a phone
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login_browser(page, live_server, "dangvien")
    page.goto(live_server.url + "/")
    assert "Xem hồ sơ của tôi" in page.content()
    assert no_horizontal_scroll(page)
    screenshot(page, "home-member-phone")

    # the administrator: second factor, then the rulebook with its edit links
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    admin = users["admin"]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    login_browser(page, live_server, "admin")
    assert "/accounts/otp/" in page.url
    _shots(page, "otp")
    page.fill(
        "#id_token", f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    )
    page.click("button[type=submit].btn-danger")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(live_server.url + "/rulebook/")
    assert page.locator("text=Kết nạp đảng viên").count() >= 1
    _shots(page, "rulebook")
    page.set_viewport_size(DESKTOP)
    row = page.locator(".rule-item", has_text="admission.probation_months")
    row.get_by_role("link", name="Giá trị mới").click()
    page.wait_for_url(re.compile(r"/rulebook/\d+/new-value/"))
    page.fill("#id_effective_from", "01/01/2031")
    page.fill("#id_value", "18")
    page.click("button[type=submit].btn-danger")
    page.wait_for_url(re.compile(r"/rulebook/\d+/$"))
    assert "01/01/2031" in page.content()
    _shots(page, "rule-detail")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Sửa giá trị này").click()
    page.fill("#id_value", "-3")
    page.click("button[type=submit].btn-danger")
    page.wait_for_load_state()
    assert "không được âm" in page.content()
    _shots(page, "rule-edit-error")
