"""Shared fixtures for Playwright browser tests (Debian's /usr/bin/chromium, no downloads).

How to write one:

    import pytest
    from tests.browser.fixtures import PHONE, DESKTOP, login_browser, no_horizontal_scroll, screenshot

    pytestmark = [pytest.mark.browser]

    def test_something(live_server, transactional_db, users, browser_page):
        page = browser_page                      # a fresh page at PHONE size (375×812)
        login_browser(page, live_server, "tochuc")  # password defaults to "x-<username>-pass"
        page.goto(live_server.url + "/organizations/")
        assert no_horizontal_scroll(page)
        screenshot(page, "tree-phone")           # -> <project>/screenshots/tree-phone.png
        page.set_viewport_size(DESKTOP)          # switch to 1366×900 on the same page

- `browser` (session): one chromium for the whole run.
- `browser_page`: a new context and page per test (PHONE viewport, Vietnamese locale), closed after.
- Log in with a role that needs no second factor (admin and inspection are sent to /accounts/otp/):
  e.g. "tochuc", "btv", "bithu", "chibo", "dangvien" from the `users` fixture of tests/conftest.py.
- Browser tests use `live_server` (a real thread): request `transactional_db`, not `db`.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run there
# unless this is set. The live server runs in its own thread and is not affected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def browser_page(browser):
    """A new page at phone size; `page.set_viewport_size(DESKTOP)` to switch."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def login_browser(page, live_server, username: str, password: str | None = None) -> None:
    """Log in through the login form and wait until it has left the login page."""
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or f"x-{username}-pass")
    with page.expect_navigation():
        page.locator("form").filter(has=page.locator("#id_password")).locator(
            "[type=submit]"
        ).first.click()
    if "/accounts/login/" in page.url:
        raise AssertionError(f"login as {username} failed: still on {page.url}")


def no_horizontal_scroll(page) -> bool:
    """True if the page is not wider than the viewport (nothing sticks out sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && document.body.scrollWidth <= window.innerWidth"
    )


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save <project>/screenshots/<name>.png (the folder is git-ignored) and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
