"""Every URL of the project, found by walking the URL conf, refuses anonymous users.

Generated, so a new view is covered the day it is added: pages redirect to the login page, API
endpoints answer 401/403. The only public URLs are listed in PUBLIC.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {
    "/accounts/login/",
    "/accounts/logout/",
    "/api/auth/token/",
    "/i18n/setlang/",
    "/meetings/calendar/x.ics",  # secret-token feed for calendar apps (404 for unknown tokens)
}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/__")


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def concrete(route: str) -> str:
    """Fill converters with sample values so the URL resolves."""
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug):[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "1", route)
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
    route = re.sub(r"\\\.|\?|\\", "", route)
    return "/" + route.lstrip("/")


def all_urls():
    seen = set()
    for route in walk(get_resolver().url_patterns):
        url = concrete(route)
        if url.startswith(SKIP_PREFIXES) or url in PUBLIC or "(" in url or "format" in route:
            continue
        if url not in seen:
            seen.add(url)
            yield url


URLS = sorted(all_urls())


def test_there_are_urls_to_check():
    assert "/" in URLS and "/members/" in URLS


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_refused(client, url):
    r = client.get(url)
    if url.startswith("/api/"):
        assert r.status_code in (401, 403), (url, r.status_code)
    else:
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], (url, r.status_code)
