"""OpenAPI schema and Swagger UI: complete, without warnings, served without any outside host."""

import re
from importlib import import_module

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/auth/token/",
    "/api/organizations/",
    "/api/organizations/{id}/",
    "/api/organizations/{id}/children/",
    "/api/organizations/{id}/members/",
    "/api/organizations/{id}/rename/",
    "/api/organizations/{id}/move/",
    "/api/organizations/{id}/merge/",
    "/api/organizations/{id}/split/",
    "/api/organizations/{id}/dissolve/",
    "/api/organizations/tree/",
    "/api/members/",
    "/api/members/{id}/",
    "/api/member-events/",
    "/api/member-events/{id}/",
    "/api/users/me/",
    "/api/organization-events/",
    "/api/organization-events/{id}/",
    "/api/organization-versions/",
    "/api/organization-versions/{id}/",
    "/api/organization-type-labels/",
    "/api/organization-type-labels/{id}/",
    "/api/memberships/",
    "/api/memberships/{id}/",
    "/api/rules/",
    "/api/rules/{id}/",
    "/api/holidays/",
    "/api/holidays/{id}/",
    "/api/role-assignments/",
    "/api/role-assignments/{id}/",
    "/api/organization-stats/",
    "/api/organization-stats/{organization}/",
    "/api/imports/",
    "/api/imports/{id}/",
    "/api/imports/{id}/commit/",
    "/api/meetings/",
    "/api/meetings/{id}/",
    "/api/meetings/plan-year/",
    "/api/meetings/{id}/notice/",
    "/api/meetings/{id}/roster/",
    "/api/meetings/{id}/checkin-open/",
    "/api/meetings/{id}/close/",
    "/api/meetings/{id}/cancel/",
    "/api/attendances/",
    "/api/attendances/{id}/",
    "/api/attendances/checkin/",
    "/api/assignments/",
    "/api/assignments/{id}/",
    "/api/observer-visits/",
    "/api/observer-visits/{id}/",
    "/api/findings/",
    "/api/findings/{id}/",
    "/api/findings/{id}/notes/",
    "/api/findings/{id}/close/",
}
# Later modules list their paths next to their tests (tests/<app>/api_cases.py).
for _app in ("committees", "discipline", "admission", "badges", "reports"):
    PATHS |= import_module(f"tests.{_app}.api_cases").PATHS


def test_schema_lists_the_paths(as_user, users):
    resp = as_user(users["btv"]).get("/api/schema/", {"format": "json"})
    assert resp.status_code == 200
    schema = resp.json()
    assert set(schema["paths"]) == PATHS
    assert "delete" not in schema["paths"]["/api/members/{id}/"]
    # history, never deletion; read-only endpoints offer no write at all
    for path in ("/api/rules/{id}/", "/api/role-assignments/{id}/"):
        assert set(schema["paths"][path]) == {"get", "patch"}
    for path in ("/api/organization-events/{id}/", "/api/memberships/{id}/"):
        assert set(schema["paths"][path]) == {"get"}
    kinds = schema["components"]["schemas"]["MemberEventCreateRequest"]["discriminator"]
    assert set(kinds["mapping"]) == {
        "recognised_official",
        "transfer_out",
        "transfer_in",
        "temporary_end",
        "exemption_granted",
        "exemption_ended",
        "removed",
        "expelled",
        "readmitted",
        "died",
        "card_reissued",
    }


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn raises on any warning or error of drf-spectacular
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_docs_are_served_locally(as_user, users):
    resp = as_user(users["btv"]).get("/api/docs/")
    assert resp.status_code == 200
    html = resp.content.decode()
    for word in ("cdn", "unpkg", "jsdelivr", "googleapis"):
        assert word not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
