"""Member records are sensitive: no page may make the browser contact another host (no CDN,
no web fonts, no analytics). Every request of every main page goes to the server itself."""

from urllib.parse import urlparse

import pytest

from tests.browser.fixtures import login_browser

pytestmark = [pytest.mark.browser]

PAGES = ["/", "/members/", "/organizations/", "/rulebook/", "/data/import/", "/api/docs/"]


def test_pages_request_nothing_from_other_hosts(live_server, transactional_db, users, browser_page):
    page = browser_page
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    login_browser(page, live_server, "tochuc")
    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    own = urlparse(live_server.url).netloc
    outside = sorted(
        {u for u in seen if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != own}
    )
    assert seen and not outside, outside
