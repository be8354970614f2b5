"""On a phone, a grassroots secretary fills the empty deputy seat of a cell; screenshots of the
committee pages at phone and desktop width (screenshots/committees-*.png)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.fixtures import DESKTOP, PHONE, login_browser, no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def cell(transactional_db, tree, users, make_member):
    from dangvu.committees import services

    today = timezone.localdate()
    start = today - dt.timedelta(days=800)
    people = [
        make_member(tree["C11"], full_name=n)
        for n in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường")
    ]
    t = services.term_open(actor=None, organization=tree["C11"], name="2024–2026", start_date=start)
    c = services.committee_create(
        actor=None, organization=tree["C11"], term=t, quotas={"secretary": 1, "deputy_secretary": 1}
    )
    services.seat_fill(
        actor=None, committee=c, member=people[0], position="secretary", start_date=start
    )
    congress = services.congress_plan(
        actor=None,
        organization=tree["C11"],
        term_name="2026–2028",
        planned_date=today + dt.timedelta(days=40),
    )
    for item in list(congress.checklist.order_by("order"))[:4]:
        services.checklist_set(actor=users["bithu"], item=item, done=True)
    t2 = services.term_open(
        actor=None,
        organization=tree["C21"],
        name="2025–2030",
        start_date=today - dt.timedelta(days=30),
    )
    services.committee_create(
        actor=None, organization=tree["C21"], term=t2, quotas={"secretary": 1}
    )
    return {"people": people, "congress": congress, "committee": c}


def test_fill_a_seat_on_a_phone(live_server, users, tree, cell, browser_page):
    page = browser_page
    login_browser(page, live_server, "bithu")
    page.goto(live_server.url + f"/committees/org/{tree['C11'].pk}/")
    screenshot(page, "committees-org-phone")
    assert no_horizontal_scroll(page)
    page.locator(".seat-empty a", has_text="Bổ sung").first.click()
    page.wait_for_url("**/seats/new/**")
    assert page.locator("#id_position").input_value() == "deputy_secretary"
    page.select_option("#id_member", label="Trần Thị Bình")
    screenshot(page, "committees-seat-fill-phone")
    assert no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    assert f"/committees/org/{tree['C11'].pk}/" in page.url
    assert page.locator(".seat-row", has_text="Trần Thị Bình").count() == 1
    assert page.locator(".seat-empty").count() == 0
    # the other pages, at phone and desktop width
    for name, url in (
        ("index", "/committees/"),
        ("due", "/committees/?tab=due"),
        ("secretary", "/committees/?tab=secretary"),
        ("congress", f"/committees/congresses/{cell['congress'].pk}/"),
    ):
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + url)
        screenshot(page, f"committees-{name}-phone")
        assert no_horizontal_scroll(page), name
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + url)
        screenshot(page, f"committees-{name}-desktop")
    page.goto(live_server.url + f"/committees/org/{tree['C11'].pk}/")
    screenshot(page, "committees-org-desktop")
    page.goto(live_server.url + "/")
    screenshot(page, "committees-home-desktop")
