"""Meetings in a real browser (Debian chromium): a phone check-in while the secretary's screen shows
the QR code and counts, the roster updated by htmx, and screenshots of the meeting pages at phone
and desktop size."""

import datetime as dt
import importlib
import re

import pytest
from django.utils import timezone

from tests.browser.fixtures import (
    DEFAULT_TIMEOUT_MS,
    DESKTOP,
    PHONE,
    login_browser,
    no_horizontal_scroll,
    screenshot,
)

pytestmark = [pytest.mark.browser]


def _today_at(hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour, minute)))


@pytest.fixture
def meeting_day(transactional_db, tree, users, make_member, make_user):
    """C11 with a meeting today (notice sent, roster built, a document), a second member with an
    account, a held meeting last month with a visit and a finding, and a year of plan."""
    from django.core.files.base import ContentFile

    from dangvu.meetings import services
    from dangvu.meetings.models import AgendaTemplate, ChecklistTemplate

    # a transactional test database is flushed: put back the default templates of migration 0002
    defaults = importlib.import_module("dangvu.meetings.migrations.0002_default_templates")
    AgendaTemplate.objects.create(name="Mặc định", items=defaults.AGENDA_ITEMS, is_default=True)
    ChecklistTemplate.objects.create(
        name="Mặc định", items=defaults.CHECKLIST_ITEMS, is_default=True
    )
    second = make_member(tree["C11"], full_name="Nguyễn Hữu Định")
    make_user("dinh", "member", tree["C11"], member=second)
    make_member(tree["C11"], full_name="Lê Thị Hồng Nhung")
    make_member(
        tree["C11"],
        full_name="Phạm Ngọc Ánh",
        admission_date=timezone.localdate() - dt.timedelta(days=60),
        official_date=None,
    )
    make_member(tree["C12"], full_name="Hoàng Minh Đức")
    today = services.meeting_create(
        actor=None,
        organization=tree["C11"],
        kind="regular",
        scheduled_at=_today_at(0, 1),
        title="Sinh hoạt chi bộ thường kỳ tháng này",
        location="Phòng họp tầng 3, trụ sở Sở Tài chính",
    )
    services.document_post(
        actor=None,
        meeting=today,
        kind="draft_resolution",
        title="Dự thảo nghị quyết tháng",
        file=ContentFile(b"du thao", name="du-thao.txt"),
    )
    services.meeting_send_notice(actor=None, meeting=today)
    past = services.meeting_create(
        actor=None,
        organization=tree["C11"],
        kind="thematic",
        scheduled_at=_today_at(8) - dt.timedelta(days=30),
        title="Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    services.roster_build(actor=None, meeting=past)
    for i, a in enumerate(past.attendances.select_related("member")):
        status = "present" if i else "absent_excused"
        services.attendance_set(
            actor=None, meeting=past, member=a.member, status=status, reason="Ốm" if not i else ""
        )
    services.meeting_close(
        actor=None,
        meeting=past,
        started_at=past.scheduled_at,
        ended_at=past.scheduled_at + dt.timedelta(minutes=100),
        minutes="Đồng chí Bí thư quán triệt chuyên đề; các đồng chí thảo luận.",
        resolution="Chi bộ thống nhất kế hoạch học tập chuyên đề.",
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
        quality="good",
        minutes_approved=True,
    )
    visit = services.visit_record(
        actor=users["btv"],
        meeting=past,
        checklist=[],
        assessment="fair",
        comments="Chi bộ chuẩn bị chu đáo.",
        recommendations="Đăng tài liệu sớm hơn.",
    )
    services.finding_add(
        actor=users["btv"],
        visit=visit,
        category="preparation",
        description="Tài liệu sinh hoạt đăng muộn, chưa đủ 1 ngày trước buổi sinh hoạt",
        action="Đăng tài liệu lên Sổ tay đảng viên trước ít nhất 1 ngày",
        owner="Bí thư chi bộ Văn phòng",
        deadline=timezone.localdate() - dt.timedelta(days=2),
    )
    services.meetings_plan_year(
        actor=None, organization=tree["C12"], year=timezone.localdate().year + 1
    )
    return {"today": today, "past": past, "second": second}


def _shots(page, name):
    """Desktop then phone screenshots of the same page, checking the phone layout fits."""
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    if not no_horizontal_scroll(page):
        wide = page.evaluate(WIDE_JS)
        raise AssertionError(f"{name}: wider than a phone: {wide}")
    screenshot(page, f"{name}-phone")


# what sticks out sideways, for the message of a failed layout check
WIDE_JS = """() => {
  const out = []; const w = window.innerWidth;
  document.querySelectorAll('body *').forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.right > w + 1) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
  });
  return out.slice(0, 10);
}"""


def _phone_context(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


def test_phone_checkin_by_code_and_by_qr_link(live_server, meeting_day, browser, browser_page):
    from playwright.sync_api import expect

    meeting = meeting_day["today"]
    secretary = browser_page
    secretary.set_viewport_size(DESKTOP)
    login_browser(secretary, live_server, "chibo")
    secretary.goto(f"{live_server.url}/meetings/{meeting.pk}/?tab=roster")
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Mở điểm danh QR").click()
    assert f"/meetings/{meeting.pk}/checkin/" in secretary.url
    expect(secretary.locator(".checkin-qr svg")).to_be_visible()
    code = secretary.locator("#checkin-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", code), code
    expect(secretary.locator("#present-count")).to_have_text("0")
    qr_url = secretary.locator(".checkin-url").inner_text().strip()
    assert "/meetings/checkin/t/" in qr_url
    _shots(secretary, "meetings-checkin-display")
    secretary.set_viewport_size(DESKTOP)

    # a member on a phone, in a second browser context: logs in, types the code
    member_ctx = _phone_context(browser)
    try:
        phone = member_ctx.new_page()
        login_browser(phone, live_server, "dangvien")
        phone.goto(live_server.url + "/meetings/checkin/")
        assert no_horizontal_scroll(phone)
        box = phone.locator("#id_code").bounding_box()
        assert box["height"] >= 48 and box["width"] >= 250  # big, touch-friendly
        phone.fill("#id_code", code.lower())
        screenshot(phone, "meetings-member-checkin-form-phone")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Điểm danh", exact=True).click()
        expect(phone.locator(".checkin-done")).to_contain_text("Đã điểm danh lúc")
        assert no_horizontal_scroll(phone)
        screenshot(phone, "meetings-member-checkin-done-phone")
        phone.goto(live_server.url + "/meetings/my/")
        expect(phone.locator(".my-row").first).to_contain_text("Có mặt")
        assert no_horizontal_scroll(phone)
        screenshot(phone, "meetings-my-phone")
    finally:
        member_ctx.close()

    # another member scans the QR code while logged out: login, then straight back to check-in
    qr_ctx = _phone_context(browser)
    try:
        phone = qr_ctx.new_page()
        phone.goto(qr_url)
        assert "/accounts/login/" in phone.url and "next=" in phone.url
        phone.fill("#id_username", "dinh")
        phone.fill("#id_password", "x-dinh-pass")
        with phone.expect_navigation():
            phone.locator("form [type=submit]").first.click()
        expect(phone.locator(".checkin-done")).to_contain_text("Đã điểm danh lúc")
        assert no_horizontal_scroll(phone)
    finally:
        qr_ctx.close()

    # the secretary's screen counts them (htmx polling), and the roster shows them present
    expect(secretary.locator("#present-count")).to_have_text("2", timeout=12_000)
    expect(secretary.locator(".checkin-recent")).to_contain_text("Nguyễn Hữu Định")
    secretary.goto(f"{live_server.url}/meetings/{meeting.pk}/?tab=roster")
    own = secretary.locator(".roster-row", has_text="Trần Thị Đảng Viên")
    expect(own.locator(".att-badge")).to_have_text("Có mặt")
    expect(own).to_contain_text("tự điểm danh")
    # the secretary marks another member absent without leaving the page (htmx)
    row = secretary.locator(".roster-row", has_text="Lê Thị Hồng Nhung")
    row.get_by_role("button", name="Vắng không lý do").click()
    expect(
        secretary.locator(".roster-row", has_text="Lê Thị Hồng Nhung").locator(".att-badge")
    ).to_have_text("Vắng không lý do")
    expect(secretary.locator(".rs-unexcused .rs-n")).to_have_text("1")
    # absent with a reason needs the reason: the message shows in the row
    row = secretary.locator(".roster-row", has_text="Phạm Ngọc Ánh")
    row.get_by_role("button", name="Vắng có lý do").click()
    expect(secretary.locator(".roster-row", has_text="Phạm Ngọc Ánh")).to_contain_text(
        "cần ghi lý do vắng"
    )
    row = secretary.locator(".roster-row", has_text="Phạm Ngọc Ánh")
    row.locator("input[name=reason]").fill("Đi công tác")
    row.get_by_role("button", name="Vắng có lý do").click()
    expect(
        secretary.locator(".roster-row", has_text="Phạm Ngọc Ánh").locator(".att-badge")
    ).to_have_text("Vắng có lý do")
    _shots(secretary, "meetings-roster-marking")


TABS = ["info", "documents", "roster", "record", "visits", "history"]


def test_meeting_pages_screenshots(live_server, meeting_day, browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    login_browser(page, live_server, "bithu")
    page.goto(live_server.url + "/meetings/")
    assert page.locator(".meet-item").count() >= 2
    _shots(page, "meetings-list")
    today = timezone.localdate()
    page.goto(f"{live_server.url}/meetings/calendar/?year={today.year}&month={today.month}")
    _shots(page, "meetings-calendar")
    for tab in TABS:
        page.goto(f"{live_server.url}/meetings/{meeting_day['past'].pk}/?tab={tab}")
        assert page.locator(f"#tab-{tab}.active").count() == 1
        if tab == "history":
            page.locator("#tab-history .history-table").wait_for()
        _shots(page, f"meetings-detail-{tab}")
    page.goto(f"{live_server.url}/meetings/{meeting_day['today'].pk}/")
    _shots(page, "meetings-detail-today")
    page.goto(live_server.url + "/meetings/plan/")
    _shots(page, "meetings-plan")
    page.goto(live_server.url + "/meetings/supervision/findings/")
    _shots(page, "meetings-findings")


def test_supervision_screenshots(live_server, meeting_day, browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    login_browser(page, live_server, "btv")
    page.goto(live_server.url + "/meetings/supervision/")
    _shots(page, "meetings-supervision")
    page.goto(f"{live_server.url}/meetings/{meeting_day['today'].pk}/visit/")
    page.locator(".checklist-row input[type=checkbox]").first.check()
    page.get_by_role("button", name="+ Thêm thiếu sót").click()
    assert page.locator(".finding-row").count() == 2
    _shots(page, "meetings-visit-form")
    finding = page.goto(live_server.url + "/meetings/supervision/findings/")
    assert finding.ok
    page.locator(".finding-item a").first.click()
    page.wait_for_load_state()
    _shots(page, "meetings-finding-detail")
