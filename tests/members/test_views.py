"""Member pages: permissions per role and scope, bad input, search, sort, paging, lifecycle forms."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.members import services
from dangvu.members.choices import MemberStatus
from dangvu.members.models import Member, MemberEvent
from tests.conftest import TREE, member_data

pytestmark = pytest.mark.django_db

ROLES = ["admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong", "bithu", "chibo", "dangvien"]
WHOLE_TREE = {"admin", "btv", "tochuc", "tuyengiao", "kiemtra", "vanphong"}
WRITERS_WHOLE_TREE = {"admin", "tochuc"}


@pytest.fixture
def people(users, tree, make_member):
    return {
        "own": users["dangvien"].member,
        "c11": make_member(tree["C11"], full_name="Lê Văn Cùng Chi"),
        "c21": make_member(tree["C21"], full_name="Phạm Văn Ngoài Phạm Vi"),
    }


def _expected_view(role, target):
    if target == "own":
        return 200
    if target == "c11":
        return 404 if role == "dangvien" else 200
    return 200 if role in WHOLE_TREE else 404  # c21


def _expected_change(role, target):
    if target == "own":
        return (
            403
            if role == "dangvien"
            else (200 if role in {*WRITERS_WHOLE_TREE, "bithu", "chibo"} else 403)
        )
    if target == "c11":
        if role == "dangvien":
            return 404
        return 200 if role in {*WRITERS_WHOLE_TREE, "bithu", "chibo"} else 403
    # c21: outside GC1/C11
    if role in {"bithu", "chibo", "dangvien"}:
        return 404
    return 200 if role in WRITERS_WHOLE_TREE else 403


@pytest.mark.parametrize("role", ROLES)
def test_list_opens_for_every_role_and_shows_only_scope(role, users, people, login):
    client = login(users[role])
    resp = client.get(reverse("members:list"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert ("Phạm Văn Ngoài Phạm Vi" in html) == (role in WHOLE_TREE)
    assert ("Lê Văn Cùng Chi" in html) == (role != "dangvien")
    assert "Trần Thị Đảng Viên" in html


@pytest.mark.parametrize("target", ["own", "c11", "c21"])
@pytest.mark.parametrize("role", ROLES)
def test_detail_permissions(role, target, users, people, login):
    client = login(users[role])
    resp = client.get(reverse("members:detail", args=[people[target].pk]))
    assert resp.status_code == _expected_view(role, target)
    if resp.status_code == 200:
        assert people[target].full_name in resp.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_create_permissions(role, users, people, login, tree):
    client = login(users[role])
    expected = 200 if role in {*WRITERS_WHOLE_TREE, "bithu"} else 403
    assert client.get(reverse("members:create")).status_code == expected
    before = Member.objects.count()
    resp = client.post(reverse("members:create"), _post_data(tree["C11"]))
    if expected == 403:
        assert resp.status_code == 403
        assert Member.objects.count() == before
    else:
        assert resp.status_code == 302, _errors(resp)
        assert Member.objects.count() == before + 1


@pytest.mark.parametrize("target", ["own", "c11", "c21"])
@pytest.mark.parametrize("role", ROLES)
def test_edit_permissions(role, target, users, people, login):
    client = login(users[role])
    member = people[target]
    url = reverse("members:edit", args=[member.pk])
    expected = _expected_change(role, target)
    assert client.get(url).status_code == expected
    data = _post_data(None, instance=member, phone="0912345678")
    resp = client.post(url, data)
    member.refresh_from_db()
    if expected == 200:
        assert resp.status_code == 302, _errors(resp)
        assert member.phone == "0912345678"
    else:
        assert resp.status_code == expected
        assert member.phone == ""


def test_cell_secretary_records_cell_level_events_only(users, people, login):
    """The cell decides exemption (QĐ 24 §7.1); removal and transfers come from above."""
    client = login(users["chibo"])
    member = people["c11"]
    detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "kind=exemption_granted" in detail
    assert "kind=removed" not in detail and "kind=transfer_out" not in detail
    url = reverse("members:event", args=[member.pk])
    assert client.get(url + "?kind=removed").status_code == 403
    resp = client.post(
        url + "?kind=exemption_granted",
        {"kind": "exemption_granted", "date": "01/02/2024", "decision_number": "3-QĐ/CB"},
    )
    assert resp.status_code == 302, _errors(resp)
    member.refresh_from_db()
    assert member.status == "exempt"


@pytest.mark.parametrize("target", ["own", "c11", "c21"])
@pytest.mark.parametrize("role", ROLES)
def test_event_permissions(role, target, users, people, login):
    """Card reissue is a committee decision: the cell secretary may not record it."""
    client = login(users[role])
    member = people[target]
    url = reverse("members:event", args=[member.pk]) + "?kind=card_reissued"
    expected = _expected_change(role, target)
    if role == "chibo" and expected == 200:
        expected = 403
    assert client.get(url).status_code == expected
    resp = client.post(
        url, {"kind": "card_reissued", "date": "01/02/2024", "new_card_number": f"NEW{member.pk}"}
    )
    member.refresh_from_db()
    if expected == 200:
        assert resp.status_code == 302, _errors(resp)
        assert member.card_number == f"NEW{member.pk}"
    else:
        assert resp.status_code == expected
        assert member.card_number != f"NEW{member.pk}"


def test_anonymous_is_sent_to_login(people, client):
    for url in [
        reverse("members:list"),
        reverse("members:detail", args=[people["c11"].pk]),
        reverse("members:create"),
        reverse("members:edit", args=[people["c11"].pk]),
        reverse("members:event", args=[people["c11"].pk]) + "?kind=died",
    ]:
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_history_tab_only_for_roles_with_audit(users, people, login):
    member = people["c11"]
    url = reverse("members:detail", args=[member.pk])
    assert 'id="history"' in login(users["tochuc"]).get(url).content.decode()
    assert 'id="history"' in login(users["bithu"]).get(url).content.decode()
    assert 'id="history"' not in login(users["chibo"]).get(url).content.decode()
    assert 'id="history"' not in login(users["dangvien"]).get(url).content.decode()


def test_detail_shows_profile_groups_party_age_and_timeline(users, people, login, tree):
    member = people["c11"]
    services.member_transfer_out(
        actor=None,
        member=member,
        date=dt.date(2022, 1, 10),
        decision_number="9-QĐ/ĐUK",
        to_organization=tree["C12"],
    )
    html = login(users["tochuc"]).get(reverse("members:detail", args=[member.pk])).content.decode()
    for text in ["Sơ yếu lý lịch", "Trình độ", "Vào Đảng", "Tuổi đảng", "Quá trình", "Lịch sử"]:
        assert text in html
    assert "19/05/2010" in html  # admission date, dd/mm/yyyy
    assert "9-QĐ/ĐUK" in html and "Chuyển sinh hoạt đi" in html
    assert "Chi bộ Văn phòng → Chi bộ Thanh tra" in html
    # lifecycle actions offered for an official member
    assert "?kind=exemption_granted" in html and "?kind=recognised_official" not in html


def test_lifecycle_buttons_hidden_without_change(users, people, login):
    html = login(users["btv"]).get(reverse("members:detail", args=[people["c11"].pk])).content
    assert (
        b"?kind=" not in html
        and reverse("members:edit", args=[people["c11"].pk]).encode() not in html
    )


# --- create form: bad input ----------------------------------------------------------------------


def _post_data(org, instance=None, **overrides):
    """Form POST data (dates as dd/mm/yyyy) from valid member data or an existing record."""
    if instance is not None:
        from dangvu.members.forms import FORM_FIELDS

        data = {f: getattr(instance, f) for f in FORM_FIELDS if f != "photo"}
    else:
        data = member_data()
        data["organization"] = org.pk
        # what the selects post by default
        data.update(
            general_education="thpt",
            professional_degree="none",
            political_theory="none",
            state_management="none",
        )
    data.update(overrides)
    out = {}
    for key, value in data.items():
        if value is None:
            out[key] = ""
        elif isinstance(value, dt.date):
            out[key] = value.strftime("%d/%m/%Y")
        else:
            out[key] = value
    return out


def _errors(resp):
    ctx = getattr(resp, "context", None)
    return ctx["form"].errors if ctx and "form" in ctx else resp.status_code


FUTURE = dt.date.today() + dt.timedelta(days=5)


@pytest.mark.parametrize(
    "overrides,field,fragment",
    [
        ({"citizen_id": "12345"}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "003085000001"}, "citizen_id", "mã tỉnh"),
        ({"citizen_id": "001185000001", "date_of_birth": "01/01/1985"}, "citizen_id", "giới tính"),
        (
            {"date_of_birth": "10/06/1990", "admission_date": "09/06/2008", "official_date": ""},
            "admission_date",
            "chưa đủ 18 tuổi",
        ),
        (
            {"admission_date": "01/03/2020", "official_date": "28/02/2021"},
            "official_date",
            "12 tháng dự bị",
        ),
        (
            {"admission_date": FUTURE.strftime("%d/%m/%Y"), "official_date": ""},
            "admission_date",
            "không được ở tương lai",
        ),
        ({"date_of_birth": "31/02/1985"}, "date_of_birth", "dd/mm/yyyy"),
        ({"full_name": ""}, "full_name", ""),
    ],
)
def test_create_bad_input_rerenders_with_message_on_field(
    overrides, field, fragment, users, login, tree
):
    client = login(users["tochuc"])
    data = _post_data(tree["C11"])
    if "date_of_birth" in overrides and "citizen_id" not in overrides:
        data["citizen_id"] = ""
    data.update(overrides)
    before = (Member.objects.count(), MemberEvent.objects.count())
    resp = client.post(reverse("members:create"), data)
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    html = resp.content.decode()
    assert "is-invalid" in html and "Chưa lưu được" in html
    if fragment:
        assert fragment in html
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


@pytest.mark.parametrize("field", ["card_number", "citizen_id"])
def test_create_duplicate_identifiers_refused(field, users, people, login, tree):
    client = login(users["tochuc"])
    other = people["c11"]
    data = _post_data(tree["C12"])
    data[field] = getattr(other, field)
    if field == "citizen_id":
        data["date_of_birth"] = other.date_of_birth.strftime("%d/%m/%Y")
        data["gender"] = other.gender
    before = Member.objects.count()
    resp = client.post(reverse("members:create"), data)
    assert resp.status_code == 200
    assert "đã có trong hồ sơ của đảng viên khác" in " ".join(resp.context["form"].errors[field])
    assert Member.objects.count() == before


def test_create_outside_scope_organisation_refused(users, login, tree):
    client = login(users["bithu"])
    resp = client.post(reverse("members:create"), _post_data(tree["C21"]))
    assert resp.status_code == 200
    assert "organization" in resp.context["form"].errors
    assert not Member.objects.filter(organization=tree["C21"]).exists()


def test_create_choices_limited_to_active_orgs_in_add_scope(users, login, tree):
    from dangvu.organizations.services import organization_dissolve

    organization_dissolve(
        actor=None, organization=tree["C12"], date=dt.date(2023, 1, 1), decision_number="9-QĐ"
    )
    resp = login(users["bithu"]).get(reverse("members:create"))
    codes = {o.code for o in resp.context["form"].fields["organization"].queryset}
    assert codes == {"GC1", "C11"}  # C12 dissolved, GC2/C21 outside the scope


def test_create_then_detail_and_dates_parse(users, login, tree):
    client = login(users["tochuc"])
    data = _post_data(tree["C11"], full_name="Nguyễn Hữu Định", decision_number="15-QĐ/ĐU")
    resp = client.post(reverse("members:create"), data)
    assert resp.status_code == 302
    member = Member.objects.get(full_name="Nguyễn Hữu Định")
    assert resp["Location"] == reverse("members:detail", args=[member.pk])
    assert member.admission_date == dt.date(2010, 5, 19)
    assert member.status == MemberStatus.OFFICIAL
    admitted = member.events.get(kind="admitted")
    assert admitted.decision_number == "15-QĐ/ĐU"
    # the audit trail names the actor and the channel
    rec = member.history.first()
    assert rec.history_user == users["tochuc"] and rec.source == "ui"


def test_photo_upload_and_scoped_photo_view(users, login, tree, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 30, 30)).save(buf, "PNG")
    buf.seek(0)
    buf.name = "anh.png"
    client = login(users["tochuc"])
    data = _post_data(tree["C21"], full_name="Có Ảnh")
    data["photo"] = buf
    resp = client.post(reverse("members:create"), data)
    assert resp.status_code == 302, _errors(resp)
    member = Member.objects.get(full_name="Có Ảnh")
    assert member.photo
    photo_url = reverse("members:photo", args=[member.pk])
    r = client.get(photo_url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert login(users["bithu"]).get(photo_url).status_code == 404


def test_edit_maps_service_errors_and_keeps_record(users, people, login):
    client = login(users["tochuc"])
    member = people["c11"]
    data = _post_data(None, instance=member, card_number=people["c21"].card_number)
    resp = client.post(reverse("members:edit", args=[member.pk]), data)
    assert resp.status_code == 200
    assert "card_number" in resp.context["form"].errors
    member.refresh_from_db()
    assert member.card_number != people["c21"].card_number


def test_edit_form_shows_dates_as_dd_mm_yyyy(users, people, login):
    html = login(users["tochuc"]).get(reverse("members:edit", args=[people["c11"].pk])).content
    assert b'value="19/05/2010"' in html and b'placeholder="dd/mm/yyyy"' in html
    assert b'enctype="multipart/form-data"' in html


# --- list: search, sort, paging, filters, query count --------------------------------------------


def test_search_ignores_accents_and_case(users, login, tree, make_member):
    make_member(tree["C11"], full_name="Nguyễn Hữu Định")
    make_member(tree["C11"], full_name="LÊ VĂN ĐỊNH")
    make_member(tree["C11"], full_name="Nguyễn Hữu Đình Khác")
    client = login(users["tochuc"])
    html = client.get(reverse("members:list"), {"q": "nguyen huu dinh"}).content.decode()
    assert "Nguyễn Hữu Định" in html and "LÊ VĂN ĐỊNH" not in html
    html = client.get(reverse("members:list"), {"q": "ĐỊNH"}).content.decode()
    assert "Nguyễn Hữu Định" in html and "LÊ VĂN ĐỊNH" in html
    html = client.get(reverse("members:list"), {"q": "le van dinh"}).content.decode()
    assert "LÊ VĂN ĐỊNH" in html and "Nguyễn Hữu Định" not in html


def test_a_search_past_its_count_cap_says_more_than_and_on_postgresql_not_by_name(
    users, login, tree, make_member, monkeypatch
):
    """SEARCH_COUNT_CAP: "hơn N"; on PostgreSQL the page also says it is not in name order."""
    from dangvu.members import models

    for name in ["Nguyễn Văn Hùng", "Trần Văn Hùng", "Lê Văn Hùng"]:
        make_member(tree["C11"], full_name=name)
    monkeypatch.setattr(models, "SEARCH_COUNT_CAP", 2)
    client = login(users["tochuc"])
    html = client.get(reverse("members:list"), {"q": "van hung"}).content.decode()
    assert "<strong>hơn 2</strong>" in html
    note = "Quá nhiều kết quả để xếp theo tên"
    assert (note in html) == (connection.vendor == "postgresql")
    assert ("▲" in html) == (connection.vendor != "postgresql")  # no column claims the order
    html = client.get(reverse("members:list"), {"q": "nguyen van hung"}).content.decode()
    assert "tổng số <strong>1</strong>" in html and note not in html


def test_default_order_is_vietnamese_given_name_first(users, login, tree, make_member):
    for name in ["Trần Thị Bình", "Lê Anh", "Nguyễn Văn An", "Đỗ Văn Ấn"]:
        make_member(tree["C12"], full_name=name)
    html = (
        login(users["tochuc"])
        .get(reverse("members:list"), {"organization": tree["C12"].pk})
        .content.decode()
    )
    names = re.findall(r'class="fw-semibold member-link">([^<]+)<', html)
    assert names == ["Nguyễn Văn An", "Lê Anh", "Đỗ Văn Ấn", "Trần Thị Bình"]
    html = (
        login(users["tochuc"])
        .get(reverse("members:list"), {"organization": tree["C12"].pk, "ordering": "-name"})
        .content.decode()
    )
    names = re.findall(r'class="fw-semibold member-link">([^<]+)<', html)
    assert names[0] == "Trần Thị Bình"


def _bulk_members(org, n, prefix="Hàng Loạt"):
    from dangvu.core.text import name_sort_key, normalize

    rows = []
    for i in range(n):
        name = f"{prefix} Số {i:03d}"
        rows.append(
            Member(
                organization=org,
                full_name=name,
                gender="male" if i % 2 else "female",
                date_of_birth=dt.date(1980, 1, 1),
                admission_date=dt.date(2010, 1, 1),
                status=MemberStatus.OFFICIAL,
                search_text=normalize(name),
                name_sort=name_sort_key(name),
            )
        )
    Member.objects.bulk_create(rows)


def test_paging_fifty_per_page_with_total(users, login, tree):
    _bulk_members(tree["C12"], 55)
    client = login(users["tochuc"])
    resp = client.get(reverse("members:list"), {"organization": tree["C12"].pk})
    html = resp.content.decode()
    assert len(resp.context["page"].object_list) == 50
    assert "tổng số <strong>55</strong>" in html
    resp = client.get(reverse("members:list"), {"organization": tree["C12"].pk, "page": 2})
    assert len(resp.context["page"].object_list) == 5


def test_filters_status_gender_and_subtree(users, login, tree, make_member):
    make_member(
        tree["C12"],
        full_name="Dự Bị Một",
        official_date=None,
        gender="female",
        date_of_birth=dt.date(1990, 1, 1),
        admission_date=dt.date.today() - dt.timedelta(days=40),
    )
    make_member(tree["C21"], full_name="Chính Thức Hai")
    client = login(users["tochuc"])

    def names(**params):
        page = client.get(reverse("members:list"), params).context["page"]
        return {m.full_name for m in page.object_list}

    assert names(status="probationary") == {"Dự Bị Một"}
    assert names(organization=tree["GC2"].pk) == {"Chính Thức Hai"}
    assert names(gender="female", organization=tree["GC1"].pk) == {"Dự Bị Một"}
    assert names(status=["probationary", "official"], organization=tree["C11"].pk) == {
        "Trần Thị Đảng Viên"
    }
    year = dt.date.today().year
    assert names(admitted_from=f"01/01/{year - 1}") == {"Dự Bị Một"}


def test_organisation_filter_outside_scope_does_not_leak(users, login, tree, make_member):
    make_member(tree["C21"], full_name="Ngoài Phạm Vi Bí Thư")
    resp = login(users["bithu"]).get(reverse("members:list"), {"organization": tree["C21"].pk})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Ngoài Phạm Vi Bí Thư" not in html
    codes = {o.code for o in resp.context["form"].fields["organization"].queryset}
    assert codes == {"GC1", "C11", "C12"}


def test_list_query_count_does_not_grow_with_rows(users, login, tree):
    client = login(users["tochuc"])
    _bulk_members(tree["C11"], 3, "Ít")
    client.get(reverse("members:list"))  # warm caches (content types, rules)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("members:list")).status_code == 200
    _bulk_members(tree["C12"], 40, "Nhiều")
    _bulk_members(tree["C21"], 5, "Khác")
    with CaptureQueriesContext(connection) as many:
        resp = client.get(reverse("members:list"))
    assert len(resp.context["page"].object_list) == 49
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 12, [q["sql"] for q in many.captured_queries]
    # the cell's parent is named (cells often share a name), within the same bounded queries
    assert '<div class="small text-muted">Đảng bộ Sở Tài chính</div>' in resp.content.decode()


def test_parent_organisation_named_only_inside_scope(users, people, login):
    html = login(users["chibo"]).get(reverse("members:list")).content.decode()
    assert "Chi bộ Văn phòng" in html and "Đảng bộ Sở Tài chính" not in html


def test_htmx_search_returns_results_fragment(users, login, tree, make_member):
    make_member(tree["C11"], full_name="Nguyễn Hữu Định")
    resp = login(users["tochuc"]).get(
        reverse("members:list"),
        {"q": "dinh"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="member-results",
    )
    html = resp.content.decode()
    assert "Nguyễn Hữu Định" in html and "<html" not in html


# --- lifecycle events ----------------------------------------------------------------------------


def _event(client, member, kind, **data):
    url = reverse("members:event", args=[member.pk]) + f"?kind={kind}"
    return client.post(url, {"kind": kind, **data})


def test_unknown_event_kind_is_404(users, people, login):
    client = login(users["tochuc"])
    url = reverse("members:event", args=[people["c11"].pk]) + "?kind=nonsense"
    assert client.get(url).status_code == 404


def test_event_without_decision_number_refused_and_nothing_written(users, people, login):
    client = login(users["tochuc"])
    member = people["c11"]
    n = MemberEvent.objects.count()
    resp = _event(client, member, "removed", date="01/02/2024", decision_number="")
    assert resp.status_code == 200
    assert "Chưa nhập số quyết định" in " ".join(resp.context["form"].errors["decision_number"])
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL and MemberEvent.objects.count() == n


def test_event_future_date_refused(users, people, login):
    client = login(users["tochuc"])
    resp = _event(
        client,
        people["c11"],
        "died",
        date=(dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y"),
    )
    assert resp.status_code == 200
    assert "tương lai" in " ".join(resp.context["form"].errors["date"])


def test_event_not_allowed_for_status_shows_warning(users, people, login):
    client = login(users["tochuc"])
    resp = client.get(reverse("members:event", args=[people["c11"].pk]) + "?kind=readmitted")
    assert resp.status_code == 200
    assert "Không thực hiện được thao tác này" in resp.content.decode()
    resp = _event(client, people["c11"], "readmitted", date="01/02/2024", decision_number="1-QĐ")
    assert resp.status_code == 200 and resp.context["form"].non_field_errors()


def test_lifecycle_chain_through_the_forms(users, login, tree, make_member):
    client = login(users["tochuc"])
    m = make_member(tree["C11"], full_name="Vòng Đời Đầy Đủ")

    def ok(kind, **data):
        resp = _event(client, m, kind, **data)
        assert resp.status_code == 302, _errors(resp)
        m.refresh_from_db()

    ok(
        "transfer_out",
        transfer_kind="temporary",
        date="01/02/2020",
        to_organization=tree["C21"].pk,
        decision_number="1-QĐ/ĐU",
    )
    assert m.memberships.filter(kind="temporary", valid_to__isnull=True).exists()
    ok("temporary_end", date="01/08/2020")
    ok("exemption_granted", date="01/09/2020", decision_number="2-QĐ/ĐU")
    assert m.status == MemberStatus.EXEMPT
    ok("exemption_ended", date="01/10/2020")
    assert m.status == MemberStatus.OFFICIAL
    ok(
        "transfer_out",
        transfer_kind="official",
        date="01/11/2020",
        external_place="Tỉnh ủy Bình Định",
        decision_number="3-QĐ/ĐU",
    )
    assert m.status == MemberStatus.TRANSFERRED_OUT
    ok("transfer_in", organization=tree["C12"].pk, date="01/12/2020", decision_number="4-QĐ/ĐU")
    assert m.status == MemberStatus.OFFICIAL and m.organization == tree["C12"]
    ok("removed", date="01/01/2021", decision_number="5-QĐ/ĐU")
    assert m.status == MemberStatus.REMOVED
    ok("readmitted", date="01/01/2022", decision_number="6-QĐ/ĐU")
    assert m.status == MemberStatus.PROBATIONARY
    ok("recognised_official", decision_number="7-QĐ/ĐU")
    assert m.status == MemberStatus.OFFICIAL and m.official_date == dt.date(2023, 1, 1)
    ok("card_reissued", date="02/01/2023", new_card_number="99887766")
    assert m.card_number == "99887766"
    ok("expelled", date="03/01/2023", decision_number="8-QĐ/ĐU")
    assert m.status == MemberStatus.EXPELLED
    html = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    for number in ["1-QĐ/ĐU", "4-QĐ/ĐU", "8-QĐ/ĐU", "Tỉnh ủy Bình Định"]:
        assert number in html


def test_death_closes_record(users, people, login):
    client = login(users["bithu"])
    m = people["c11"]
    resp = _event(client, m, "died", date="05/05/2024", note="Từ trần tại nhà")
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.status == MemberStatus.DECEASED
    html = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert "?kind=" not in html  # no lifecycle action left for a deceased member


def test_filter_panel_labels(users, login):
    html = login(users["tochuc"]).get(reverse("members:list")).content.decode()
    assert "---------" not in html
    assert "Tất cả trong phạm vi" in html and "Mặc định (theo tên)" in html


@pytest.mark.parametrize(
    "kind",
    [
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
    ],
)
def test_every_event_form_renders_with_dd_mm_yyyy_dates(kind, users, people, login):
    resp = login(users["tochuc"]).get(
        reverse("members:event", args=[people["c11"].pk]), {"kind": kind}
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert f'name="kind" value="{kind}"' in html
    if "date" in resp.context["form"].fields:
        assert 'placeholder="dd/mm/yyyy"' in html


def test_list_offers_import_and_export_of_the_filtered_list(users, people, login):
    html = login(users["bithu"]).get(reverse("members:list") + "?q=le+van&page=1").content.decode()
    assert reverse("dataio:import") in html
    assert reverse("dataio:export_members") + "?q=le+van&amp;format=xlsx" in html
    html = login(users["tuyengiao"]).get(reverse("members:list")).content.decode()
    assert reverse("dataio:import") not in html  # read-only role: no import, export only
    assert reverse("dataio:export_members") in html


def test_list_count_is_capped_so_a_page_never_counts_the_whole_table(
    users, people, login, monkeypatch
):
    from dangvu.core.viewmixins import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    html = login(users["tochuc"]).get(reverse("members:list")).content.decode()
    assert "hơn 2" in html
    page = CappedPaginator(Member.objects.all(), 1).get_page(3)
    assert page.paginator.capped and page.paginator.count == 2 and page.number == 2


def test_organisation_filter_lists_only_upper_levels_of_a_large_scope(
    users, people, login, tree, monkeypatch
):
    """A national scope has 300,000 organisations: the filter offers the levels that fit."""
    from dangvu.members import views as member_views

    monkeypatch.setattr(member_views, "MAX_ORG_OPTIONS", 4)
    html = login(users["tochuc"]).get(reverse("members:list")).content.decode()
    assert f'value="{tree["GC1"].pk}"' in html  # depth 2 fits with the root
    assert f'value="{tree["C11"].pk}"' not in html  # cells are reached from the tree
    html = (
        login(users["tochuc"])
        .get(reverse("members:list") + f"?organization={tree['C11'].pk}")
        .content.decode()
    )
    assert f'value="{tree["C11"].pk}" selected' in html


def test_list_filter_form_keeps_every_field_and_chosen_value(users, login, tree):
    """Rule (product: lists filter and sort): the filter form of the member list, rendered without
    a template per option, carries every filter with the values chosen, exactly as Django's own
    widget templates write it (the page before the faster rendering)."""
    from django.forms.renderers import DjangoTemplates

    from dangvu.members.views import PANEL_FILTERS

    params = {
        "q": "nguyen van",
        "status": ["official", "exempt"],
        "ordering": "-admission_date",
        "organization": tree["GC1"].pk,
        "gender": "female",
        "ethnicity": "Kinh",
        "admitted_from": "01/01/2000",
    }
    resp = login(users["tochuc"]).get(reverse("members:list"), params)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert '<input type="search" name="q" id="id_q" value="nguyen van"' in html
    for name in [*PANEL_FILTERS, "ordering"]:
        assert re.search(rf'<(select|input type="\w+") name="{name}"', html), name
    assert set(re.findall(r'name="status" value="(\w+)"[^>]*checked>', html)) == {
        "official",
        "exempt",
    }
    assert (
        '<input type="checkbox" name="status" value="official" class="form-check-input"'
        ' id="id_status_1" checked><label class="form-check-label" for="id_status_1">'
        "Chính thức</label>"
    ) in html
    assert '<select name="ordering" class="form-select" id="id_ordering">' in html
    assert '<option value="-admission_date" selected>Ngày vào Đảng (giảm dần)</option>' in html
    assert (
        '<option value="" selected>' not in html.split('name="ordering"')[1].split("</select>")[0]
    )
    assert f'<option value="{tree["GC1"].pk}" selected>' in html
    assert '<option value="female" selected>Nữ</option>' in html
    assert '<option value="Kinh" selected>Kinh</option>' in html
    assert '<option value="" selected>Tất cả</option>' in html  # an unchosen filter
    assert 'name="admitted_from" value="01/01/2000"' in html

    # Character for character what Django's widget templates give, options and checkboxes too.
    form = resp.context["form"]
    stock = DjangoTemplates()
    assert form.renderer is not stock
    for name, field in form.fields.items():
        fast = field.get_bound_field(form, name)
        form.renderer, renderer = stock, form.renderer
        slow = field.get_bound_field(form, name)
        assert str(slow) == str(fast), name
        assert [w.tag() for w in slow] == [w.tag() for w in fast], name
        form.renderer = renderer
        if name == "status":  # the page lays the checkboxes out itself
            assert all(w.tag() in html for w in fast)
        elif name != "q":  # the search box is written in the page
            assert str(fast) in html, name


def test_sort_labels_follow_the_language():
    """The descending sort choices are translated when shown, not once at import: "(giảm dần)"
    in Vietnamese, "(descending)" in English."""
    from django.utils import translation

    from dangvu.members.filtersets import MemberFilterSet

    def labels():
        return [str(label) for _v, label in MemberFilterSet().form.fields["ordering"].choices]

    with translation.override("vi"):
        assert any(label.endswith("(giảm dần)") for label in labels())
    with translation.override("en"):
        english = labels()
        assert any(label.endswith("(descending)") for label in english)
        assert not any("giảm dần" in label for label in english)


@pytest.mark.parametrize(
    "limit,selected,expected",
    [
        (7, None, {"ROOT", "GC1", "GC2", "GCELL", "C11", "C12", "C21"}),  # all fit
        (4, None, {"ROOT", "GC1", "GC2", "GCELL"}),  # 1 + 3 fit, 1 + 3 + 3 do not
        (3, None, {"ROOT"}),
        (3, "C21", {"ROOT", "C21"}),  # the selected one is kept
    ],
)
def test_top_levels_keeps_the_levels_that_fit_in_the_options(tree, limit, selected, expected):
    """The organisation filter lists whole upper levels up to `limit` options
    (members.views.top_levels), counted level by level."""
    from dangvu.members.views import top_levels
    from dangvu.organizations.models import Organization

    orgs = Organization.objects.filter(code__in=[c for c, *_ in TREE])
    pick = str(tree[selected].pk) if selected else None
    assert set(top_levels(orgs, pick, limit=limit).values_list("code", flat=True)) == expected


def test_top_levels_with_a_level_missing_or_the_first_level_too_big(tree):
    from django.db.models import Q

    from dangvu.members.views import top_levels
    from dangvu.organizations.models import Organization

    orgs = Organization.objects.filter(code__in=[c for c, *_ in TREE])
    gap = orgs.filter(Q(depth=1) | Q(org_type="cell"))  # levels 1 and 3, none at 2
    assert set(top_levels(gap, limit=3).values_list("code", flat=True)) == {"ROOT"}
    assert set(top_levels(gap, limit=4).values_list("code", flat=True)) == {
        "ROOT",
        "C11",
        "C12",
        "C21",
    }
    cells = orgs.filter(org_type="cell")  # one level of 3, more than the limit: kept whole
    assert set(top_levels(cells, limit=2).values_list("code", flat=True)) == {"C11", "C12", "C21"}
