"""Home page and rulebook pages: permissions per role, counts behind links, dated rule values."""

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.models import Rule
from dangvu.core.rulebook import rule

pytestmark = pytest.mark.django_db

ROLES = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "bithu", "chibo", "dangvien"]
RULEBOOK_READERS = {"admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"}
KEY = "admission.probation_months"


@pytest.fixture
def probation_rule(db):
    return Rule.objects.filter(key=KEY).order_by("-effective_from").first()


# --- home ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_home_opens_for_every_role(role, users, login):
    resp = login(users[role]).get(reverse("core:home"))
    assert resp.status_code == 200
    html = resp.content.decode()
    if role == "dangvien":
        assert "Trần Thị Đảng Viên" in html and "Xem hồ sơ của tôi" in html
        assert "Đảng viên đang sinh hoạt" not in html
    else:
        assert "Đảng viên đang sinh hoạt" in html


def test_home_anonymous_goes_to_login(client):
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def _links(html: str) -> dict[str, str]:
    """{label: href} of the stat cards."""
    out = {}
    for href, label in re.findall(
        r'<a class="card stat-card[^"]*"\s+href="([^"]+)"[^>]*>\s*<div class="card-body"><div class="stat-label">([^<]+)</div>',
        html,
    ):
        out[label.strip()] = unescape(href)
    return out


def _number(html: str, label: str) -> int:
    m = re.search(re.escape(label) + r'</div><div class="display-6">([\d.]+)</div>', html)
    assert m, label
    return int(m.group(1).replace(".", ""))


def test_home_counts_are_scoped_and_links_lead_to_the_same_numbers(users, login, tree, make_member):
    today = dt.date.today()
    make_member(
        tree["C12"],
        official_date=None,
        admission_date=today.replace(month=1, day=1),
        date_of_birth=dt.date(1995, 1, 1),
        gender="female",
    )
    make_member(tree["C21"])
    make_member(tree["GCELL"], gender="female")
    for role, expected_active in [("tochuc", 4), ("bithu", 2), ("chibo", 1)]:
        client = login(users[role])
        html = client.get(reverse("core:home")).content.decode()
        assert _number(html, "Đảng viên đang sinh hoạt") == expected_active, role
        links = _links(html)
        for label in [
            "Đảng viên đang sinh hoạt",
            "Đảng viên dự bị",
            "Đảng viên chính thức",
            f"Kết nạp năm {today.year}",
        ]:
            shown = _number(html, label)
            url = urlsplit(links[label])
            resp = client.get(url.path + "?" + url.query)
            assert resp.status_code == 200
            assert resp.context["page"].paginator.count == shown, (role, label)
    html = login(users["tochuc"]).get(reverse("core:home")).content.decode()
    assert _number(html, "Đảng viên dự bị") == 1
    assert _number(html, f"Kết nạp năm {today.year}") == 1
    # organisations by type: GC1, GC2 (grassroots committees), GCELL, three cells, the root
    assert _number(html, "Đảng bộ cơ sở") == 2
    assert _number(html, "Chi bộ trực thuộc") == 3
    assert _number(html, "Tổ chức đảng đang hoạt động") == 7


def test_home_size_warnings_follow_the_rulebook(users, login, tree, make_member):
    # Cells need 3 official members; grassroots committees 30 members: with a nearly empty tree
    # every cell and committee is flagged.
    html = login(users["tochuc"]).get(reverse("core:home")).content.decode()
    # C11 (1 member), C12, C21, GCELL below 3 official; GC1, GC2 below 30
    assert _number(html, "Cảnh báo quy mô tổ chức") == 6
    for _ in range(2):
        make_member(tree["C11"])
    html = login(users["tochuc"]).get(reverse("core:home")).content.decode()
    assert _number(html, "Cảnh báo quy mô tổ chức") == 5


def test_home_query_count_is_bounded(users, login, tree, make_member):
    from dangvu.organizations.services import organization_establish

    client = login(users["tochuc"])
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    for i in range(6):
        cell = organization_establish(
            actor=None,
            parent=tree["GC2"],
            code=f"X{i}",
            name=f"Chi bộ thêm {i}",
            org_type="cell",
            date=dt.date(2016, 1, 1),
            decision_number=f"{i}-QĐ",
        )
        make_member(cell)
        make_member(
            cell,
            official_date=None,
            date_of_birth=dt.date(1995, 1, 1),
            admission_date=dt.date.today() - dt.timedelta(days=10),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:home"))
    # a compliance check with more than the five items shown asks one capped COUNT of its own
    assert len(few) <= len(many) <= len(few) + 6, [q["sql"] for q in many.captured_queries]
    for i in range(6, 12):
        cell = organization_establish(
            actor=None,
            parent=tree["GC1"],
            code=f"X{i}",
            name=f"Chi bộ thêm {i}",
            org_type="cell",
            date=dt.date(2016, 1, 1),
            decision_number=f"{i}-QĐ",
        )
        make_member(cell)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("core:home"))
    assert len(more) == len(many), [q["sql"] for q in more.captured_queries]
    # fixed: size warnings per tree depth, compliance checks per kind, the apps' panels
    assert len(more) <= 95


def test_heavy_panels_of_a_large_scope_load_after_the_page(users, login, settings):
    """Past HOME_LAZY_PANEL_MEMBERS active members in scope, the badge panel (it assesses every
    member reaching a tier) is a placeholder the page loads by its own request, then kept."""
    client = login(users["tochuc"])
    inline = client.get(reverse("core:home")).content.decode()
    assert "Đến mốc ở dịp" in inline and 'id="lazy-badges"' not in inline
    settings.HOME_LAZY_PANEL_MEMBERS = 0
    page = client.get(reverse("core:home")).content.decode()
    url = reverse("core:home_panel", args=["badges"])
    assert 'id="lazy-badges"' in page and f'hx-get="{url}"' in page
    assert "Đến mốc ở dịp" not in page
    with CaptureQueriesContext(connection) as computed:
        first = client.get(url)
    assert first.status_code == 200 and "Đến mốc ở dịp" in first.content.decode()
    assert "Số liệu tính lúc" in first.content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert second.content == first.content
    assert not any("badges_" in q["sql"] for q in again)  # from the cache
    assert len(again) < len(computed)
    assert client.get(reverse("core:home_panel", args=["reports"])).status_code == 404


def test_lazy_panel_is_the_users_own(users, login, settings):
    settings.HOME_LAZY_PANEL_MEMBERS = 0
    url = reverse("core:home_panel", args=["badges"])
    assert "Đến mốc ở dịp" in login(users["tochuc"]).get(url).content.decode()
    # a member account has no badge panel, whatever another user's cached one holds
    assert "Đến mốc ở dịp" not in login(users["dangvien"]).get(url).content.decode()


# --- rulebook ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_rulebook_permissions(role, users, login, probation_rule):
    client = login(users[role])
    resp = client.get(reverse("core:rulebook"))
    assert resp.status_code == (200 if role in RULEBOOK_READERS else 403)
    detail = client.get(reverse("core:rule_detail", args=[probation_rule.pk]))
    assert detail.status_code == (200 if role in RULEBOOK_READERS else 404)
    for name in ("core:rule_edit", "core:rule_add"):
        expected = 200 if role == "admin" else (403 if role in RULEBOOK_READERS else 404)
        assert client.get(reverse(name, args=[probation_rule.pk])).status_code == expected
    if resp.status_code == 200:
        html = resp.content.decode()
        assert ("/edit/" in html) == (role == "admin")


def test_rulebook_groups_by_area_with_units_sources_and_unverified_badge(users, login):
    Rule.objects.filter(key="meeting.min_duration_minutes").update(verified=False)
    html = login(users["btv"]).get(reverse("core:rulebook")).content.decode()
    for area in ["Kết nạp đảng viên", "Sinh hoạt chi bộ", "Đảng phí", "Tổ chức cơ sở đảng"]:
        assert area in html
    assert "Quy định 232-QĐ/TW" in html
    assert '216</span> <span class="text-muted">tháng' in html
    assert "chưa đối chiếu" in html


def test_rule_add_creates_dated_row_closes_previous_and_is_audited(users, login, probation_rule):
    client = login(users["admin"])
    old = probation_rule
    start = dt.date(2030, 1, 1)
    resp = client.post(
        reverse("core:rule_add", args=[old.pk]),
        {
            "value": "18",
            "effective_from": "01/01/2030",
            "source": "Quy định 999-QĐ/TW",
            "note": "thử",
        },
    )
    assert resp.status_code == 302, resp.context and resp.context["form"].errors
    new = Rule.objects.get(key=KEY, effective_from=start)
    old.refresh_from_db()
    assert old.effective_to == start
    assert new.value == "18" and new.effective_to is None and new.unit == old.unit
    assert new.title == old.title and not new.verified
    assert int(rule(KEY, on=dt.date(2029, 12, 31))) == 12
    assert int(rule(KEY, on=start)) == 18
    # audited: the new row was created by the admin from the UI, the old one changed
    created = new.history.get()
    assert created.history_type == "+" and created.history_user == users["admin"]
    # the rule's own "source" (its document) is kept in the history, not the audit channel
    assert created.source == new.source == "Quy định 999-QĐ/TW" and created.ip_address
    changed = old.history.order_by("-history_date").first()
    assert changed.history_type == "~" and changed.history_user == users["admin"]
    # both show on the rule's history tab
    html = client.get(reverse("core:rule_detail", args=[new.pk])).content.decode()
    assert "Quy định 999-QĐ/TW" in html and "01/01/2030" in html
    history_tab = html.split('id="pane-history"', 1)[1]
    assert "Tạo mới" in history_tab and "Sửa" in history_tab and "admin" in history_tab


def test_rule_add_between_two_values_ends_where_the_next_starts(users, login, probation_rule):
    client = login(users["admin"])
    client.post(
        reverse("core:rule_add", args=[probation_rule.pk]),
        {"value": "18", "effective_from": "01/01/2030", "source": "QĐ A"},
    )
    resp = client.post(
        reverse("core:rule_add", args=[probation_rule.pk]),
        {"value": "15", "effective_from": "01/01/2028", "source": "QĐ B"},
    )
    assert resp.status_code == 302
    mid = Rule.objects.get(key=KEY, effective_from=dt.date(2028, 1, 1))
    assert mid.effective_to == dt.date(2030, 1, 1)
    probation_rule.refresh_from_db()
    assert probation_rule.effective_to == dt.date(2028, 1, 1)


@pytest.mark.parametrize(
    "data,field,fragment",
    [
        (
            {"value": "mười hai", "effective_from": "01/01/2030", "source": "x"},
            "value",
            "không đúng dạng",
        ),
        (
            {"value": "18", "effective_from": "32/01/2030", "source": "x"},
            "effective_from",
            "dd/mm/yyyy",
        ),
        ({"value": "18", "effective_from": "", "source": "x"}, "effective_from", ""),
        ({"value": "-1", "effective_from": "01/01/2030", "source": "x"}, "value", "không được âm"),
        ({"value": "18", "effective_from": "01/01/2030", "source": ""}, "source", ""),
    ],
)
def test_rule_add_bad_input_writes_nothing(data, field, fragment, users, login, probation_rule):
    client = login(users["admin"])
    before = Rule.objects.count()
    resp = client.post(reverse("core:rule_add", args=[probation_rule.pk]), data)
    assert resp.status_code == 200
    assert fragment in " ".join(resp.context["form"].errors[field])
    assert Rule.objects.count() == before
    probation_rule.refresh_from_db()
    assert probation_rule.effective_to is None


def test_rule_add_same_date_as_existing_refused(users, login, probation_rule):
    client = login(users["admin"])
    resp = client.post(
        reverse("core:rule_add", args=[probation_rule.pk]),
        {
            "value": "18",
            "effective_from": probation_rule.effective_from.strftime("%d/%m/%Y"),
            "source": "x",
        },
    )
    assert resp.status_code == 200
    assert "Đã có giá trị hiệu lực từ ngày" in " ".join(
        resp.context["form"].errors["effective_from"]
    )


def test_rule_edit_in_place_is_audited(users, login, probation_rule):
    client = login(users["admin"])
    resp = client.post(
        reverse("core:rule_edit", args=[probation_rule.pk]),
        {
            "value": "12",
            "title": probation_rule.title,
            "source": probation_rule.source + " (đã sửa)",
            "verified": "on",
            "note": "đối chiếu lại",
        },
    )
    assert resp.status_code == 302
    probation_rule.refresh_from_db()
    assert probation_rule.source.endswith("(đã sửa)") and probation_rule.verified
    rec = probation_rule.history.order_by("-history_date").first()
    assert rec.history_type == "~" and rec.history_user == users["admin"]
    html = client.get(reverse("core:rule_detail", args=[probation_rule.pk])).content.decode()
    assert "(đã sửa)" in html and "Văn bản nguồn" in html


def test_rule_edit_bad_value_refused(users, login, probation_rule):
    client = login(users["admin"])
    resp = client.post(
        reverse("core:rule_edit", args=[probation_rule.pk]),
        {"value": "abc", "title": "t", "source": "s"},
    )
    assert resp.status_code == 200
    assert "value" in resp.context["form"].errors
    probation_rule.refresh_from_db()
    assert probation_rule.value == "12"


def test_rule_values_keep_to_their_unit(users, login):
    client = login(users["admin"])
    fraction = Rule.objects.filter(unit="fraction").first()
    percent = Rule.objects.filter(unit="percent").first()
    for row, bad, good in [(fraction, "3/2", "3/4"), (percent, "120", "50")]:
        url = reverse("core:rule_add", args=[row.pk])
        data = {"effective_from": "01/01/2032", "source": "x"}
        resp = client.post(url, {**data, "value": bad})
        assert resp.status_code == 200 and "phải trong khoảng" in str(resp.context["form"].errors)
        assert client.post(url, {**data, "value": good}).status_code == 302


@pytest.mark.parametrize("role", ["btv", "tochuc", "kiemtra"])
def test_rule_writes_forbidden_for_readers(role, users, login, probation_rule):
    client = login(users[role])
    before = Rule.objects.count()
    resp = client.post(
        reverse("core:rule_add", args=[probation_rule.pk]),
        {"value": "18", "effective_from": "01/01/2030", "source": "x"},
    )
    assert resp.status_code == 403
    resp = client.post(
        reverse("core:rule_edit", args=[probation_rule.pk]),
        {"value": "99", "title": "t", "source": "s"},
    )
    assert resp.status_code == 403
    assert Rule.objects.count() == before
    probation_rule.refresh_from_db()
    assert probation_rule.value == "12"


def test_home_uses_configured_organisation_type_labels(users, login):
    from dangvu.organizations.models import OrganizationTypeLabel

    OrganizationTypeLabel.objects.update_or_create(
        org_type="grassroots_committee", defaults={"label": "Đảng bộ trực thuộc"}
    )
    html = login(users["tochuc"]).get(reverse("core:home")).content.decode()
    assert _number(html, "Đảng bộ trực thuộc") == 2


@pytest.mark.parametrize(
    "path,active",
    [
        ("/", "Trang chủ"),
        ("/members/", "Đảng viên"),
        ("/rulebook/", "Sổ quy tắc"),
        ("/meetings/", "Sinh hoạt chi bộ"),
        ("/meetings/supervision/", "Dự sinh hoạt"),
        ("/committees/", "Cấp ủy, đại hội"),  # an entry inside the "Công tác đảng" dropdown
        ("/admission/", "Phát triển đảng viên"),
    ],
)
def test_exactly_one_menu_entry_is_active(users, login, path, active):
    html = login(users["tochuc"]).get(path).content.decode()
    marked = html.count('aria-current="page"')
    assert marked == 1 and 'aria-current="page" href' in html
    start = html.index('aria-current="page"')
    assert active in html[start : start + 200]
