"""Preview and commit: row errors with row + column + Vietnamese message, nothing half-written,
update by key (card number, then citizen ID), and bulk writes identical to member_create."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from dangvu.core.audit import audit_context
from dangvu.core.text import name_sort_key, normalize
from dangvu.dataio import services
from dangvu.dataio.reader import ImportFileError
from dangvu.dataio.services import commit_import, preview_import
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.members.services import member_create

from .conftest import HEADERS, counts, row_dict, rows_from, xlsx_file

pytestmark = pytest.mark.django_db


def commit(user, rows, org, headers=None):
    return commit_import(
        xlsx_file(rows_from(rows, headers), headers), actor=user, default_organization=org
    )


def preview(user, rows, org, headers=None):
    return preview_import(
        xlsx_file(rows_from(rows, headers), headers), actor=user, default_organization=org
    )


def test_valid_file_creates_members_events_memberships_and_history(users, tree):
    before = counts()
    rows = [row_dict(1, **{"Chi bộ": "C12"}), row_dict(2, **{"Ngày chính thức": ""})]
    result = commit(users["bithu"], rows, tree["C11"])
    assert result.committed and result.ok
    assert (result.new_count, result.update_count) == (2, 0)
    m1 = Member.objects.get(card_number="93000001")
    m2 = Member.objects.get(card_number="93000002")
    assert m1.organization == tree["C12"] and m1.status == "official"
    assert m2.organization == tree["C11"] and m2.status == "probationary"
    assert m1.gender == "female" and m1.political_theory == "intermediate"
    assert m1.general_education == "thpt" and m1.professional_degree == "bachelor"
    assert [e.kind for e in m1.events.order_by("date")] == ["admitted", "recognised_official"]
    assert [e.kind for e in m2.events.all()] == ["admitted"]
    assert m1.memberships.get().valid_from == dt.date(2012, 3, 3)
    after = counts()
    # members +2, events +3, memberships +2, and one history row for each
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 3, 2, 2, 3, 2]
    h = Member.history.get(id=m1.pk)
    assert h.history_user == users["bithu"] and h.source == "import" and h.history_type == "+"
    assert MemberEvent.history.filter(member_id=m1.pk, history_user=users["bithu"]).count() == 2
    assert Member.objects.search("le thi nhap 93000001").get() == m1


def test_bulk_rows_equal_member_create_rows(users, tree):
    data = {
        "full_name": "Vũ Thị Hồng Nhung",
        "other_names": "Nhung",
        "gender": "female",
        "date_of_birth": dt.date(1990, 4, 30),
        "citizen_id": "001190123456",
        "card_number": "79111111",
        "admission_date": dt.date(2015, 2, 3),
        "official_date": dt.date(2016, 2, 3),
        "ethnicity": "Tày",
        "religion": "Không",
        "phone": "0987654321",
        "political_theory": "elementary",
        "professional_degree": "master",
    }
    with audit_context(actor=users["tochuc"], source="import"):
        ref = member_create(actor=users["tochuc"], organization=tree["C11"], data=data)
    headers = [
        "Họ và tên",
        "Tên gọi khác",
        "Giới tính",
        "Ngày sinh",
        "Số CCCD",
        "Số thẻ đảng viên",
        "Ngày vào Đảng",
        "Ngày chính thức",
        "Dân tộc",
        "Tôn giáo",
        "Điện thoại",
        "Lý luận chính trị",
        "Trình độ chuyên môn",
    ]
    row = [
        "Vũ Thị Hồng Nhung",
        "Nhung",
        "Nữ",
        "30/04/1990",
        "001190123457",
        "79111112",
        "03/02/2015",
        "03/02/2016",
        "Tày",
        "Không",
        "0987654321",
        "Sơ cấp",
        "Thạc sĩ",
    ]
    result = commit_import(
        xlsx_file([row], headers), actor=users["tochuc"], default_organization=tree["C11"]
    )
    assert result.committed, result.errors
    new = Member.objects.get(card_number="79111112")
    skip = {"id", "card_number", "citizen_id", "search_text", "created_at", "updated_at"}

    def member_dict(m):
        return {k: v for k, v in model_to_dict(m).items() if k not in skip}

    assert member_dict(new) == member_dict(ref)
    assert new.search_text == normalize(
        new.full_name, new.other_names, new.card_number, new.citizen_id
    )
    assert new.name_sort == ref.name_sort == name_sort_key(ref.full_name)

    def events(m):
        return [
            {k: v for k, v in model_to_dict(e).items() if k not in {"id", "member"}}
            for e in m.events.order_by("date", "id")
        ]

    assert events(new) == events(ref)

    def memberships(m):
        return [
            {k: v for k, v in model_to_dict(x).items() if k not in {"id", "member"}}
            for x in m.memberships.all()
        ]

    assert memberships(new) == memberships(ref)
    for model, key in ((Member, "id"), (MemberEvent, "member_id"), (Membership, "member_id")):
        ref_h = model.history.filter(**{key: ref.pk}).order_by("history_id")
        new_h = model.history.filter(**{key: new.pk}).order_by("history_id")
        assert [(h.history_type, h.history_user_id, h.source) for h in ref_h] == [
            (h.history_type, h.history_user_id, h.source) for h in new_h
        ]


BAD_CELLS = [
    ("Số CCCD", "123", "Số CCCD", "12 chữ số"),
    ("Số CCCD", "001185500001", "Số CCCD", "giới tính"),
    ("Ngày vào Đảng", "01/05/2003", "Ngày vào Đảng", "chưa đủ 18 tuổi"),
    ("Ngày chính thức", "03/04/2012", "Ngày chính thức", "12 tháng dự bị"),
    ("Ngày sinh", "32/01/1980", "Ngày sinh", "dd/mm/yyyy"),
    ("Ngày sinh", "01/01/2090", "Ngày sinh", "tương lai"),
    ("Chi bộ", "KHONGCO", "Chi bộ", "Không tìm thấy tổ chức “KHONGCO”"),
    ("Chi bộ", "C21", "Chi bộ", "Không tìm thấy tổ chức “C21”"),  # exists, outside GC1
    ("Email", "khong-phai-email", "Email", "email"),
    ("Giới tính", "?", "Giới tính", "Nam, Nữ"),
]


@pytest.mark.parametrize(("header", "value", "column", "fragment"), BAD_CELLS)
def test_each_bad_cell_gives_row_column_message_and_writes_nothing(
    users, tree, header, value, column, fragment
):
    overrides = {header: value}
    if header == "Ngày vào Đảng":
        overrides["dob"] = dt.date(1986, 1, 1)
        overrides["Ngày chính thức"] = ""
    before = counts()
    rows = [row_dict(1), row_dict(2, **overrides), row_dict(3)]
    result = commit(users["bithu"], rows, tree["C11"])
    assert not result.committed
    assert counts() == before
    assert result.error_rows == 1
    assert any(
        e["row"] == 3 and e["column"] == column and fragment in e["message"] for e in result.errors
    ), result.errors
    # The preview says the same.
    assert preview(users["bithu"], rows, tree["C11"]).errors == result.errors


def test_dissolved_organisation_is_a_row_error(users, tree):
    from dangvu.organizations.models import Organization

    Organization.objects.filter(pk=tree["C12"].pk).update(dissolved_on=dt.date(2020, 1, 1))
    result = preview(users["bithu"], [row_dict(1, **{"Chi bộ": "Chi bộ Thanh tra"})], tree["C11"])
    assert result.errors == [
        {
            "row": 2,
            "column": "Chi bộ",
            "message": "Tổ chức “Chi bộ Thanh tra” đã giải thể ngày 01/01/2020.",
        }
    ]


def test_organisation_by_exact_name_and_ambiguous_name(users, tree):
    from dangvu.organizations.services import organization_establish

    ok = preview(users["tochuc"], [row_dict(1, **{"Chi bộ": "Chi bộ Thanh tra"})], None)
    assert ok.ok and ok.preview[0]["organization"] == "Chi bộ Thanh tra"
    organization_establish(
        actor=None,
        parent=tree["GC2"],
        code="C22",
        name="Chi bộ Thanh tra",
        org_type="cell",
        date=dt.date(2015, 1, 1),
        decision_number="9",
    )
    result = preview(users["tochuc"], [row_dict(1, **{"Chi bộ": "Chi bộ Thanh tra"})], None)
    assert "ghi mã tổ chức" in result.errors[0]["message"]
    result = preview(users["tochuc"], [row_dict(1)], None)
    assert result.errors[0]["column"] == "Chi bộ"


def test_duplicates_inside_the_file_name_the_first_row(users, tree):
    before = counts()
    rows = [
        row_dict(1),
        row_dict(2, **{"Số thẻ đảng viên": "93000001"}),
        row_dict(
            3,
            **{
                "Số CCCD": row_dict(1)["Số CCCD"],
                "Giới tính": "Nữ",
                "dob": row_dict(1)["Ngày sinh"],
            },
        ),
    ]
    result = commit(users["tochuc"], rows, tree["C11"])
    assert counts() == before
    assert {
        "row": 3,
        "column": "Số thẻ đảng viên",
        "message": "Số thẻ đảng viên 93000001 trùng với dòng 2 của tệp.",
    } in result.errors
    assert any(
        e["row"] == 4 and e["column"] == "Số CCCD" and "trùng với dòng 2" in e["message"]
        for e in result.errors
    )


def test_key_of_a_member_outside_the_scope_is_a_clash(users, tree, make_member):
    other = make_member(tree["C21"])
    before = counts()
    rows = [row_dict(1, **{"Số thẻ đảng viên": other.card_number})]
    result = commit(users["bithu"], rows, tree["C11"])
    assert counts() == before
    assert result.errors == [
        {
            "row": 2,
            "column": "Số thẻ đảng viên",
            "message": f"Số thẻ đảng viên {other.card_number} đã có trong hồ sơ của đảng viên khác.",
        }
    ]


def test_card_of_one_member_and_cccd_of_another_is_a_clash(users, tree, make_member):
    a = make_member(tree["C11"])
    b = make_member(tree["C12"])
    rows = [row_dict(1, **{"Số thẻ đảng viên": a.card_number, "Số CCCD": b.citizen_id})]
    before = counts()
    result = commit(users["tochuc"], rows, tree["C11"])
    assert counts() == before
    assert result.errors[0]["column"] == "Số CCCD"
    assert "đã có trong hồ sơ của đảng viên khác" in result.errors[0]["message"]


def test_update_by_card_number_then_by_citizen_id(users, tree, make_member):
    by_card = make_member(tree["C11"], full_name="Ngô Văn Cũ", phone="")
    by_cid = make_member(tree["C12"], card_number=None, full_name="Hà Thị Cũ")
    a = dict(
        row_dict(1),
        **{
            "Họ và tên": "Ngô Văn Mới",
            "Giới tính": "Nam",
            "Ngày sinh": by_card.date_of_birth,
            "Số CCCD": by_card.citizen_id,
            "Số thẻ đảng viên": by_card.card_number,
            "Ngày vào Đảng": by_card.admission_date,
            "Ngày chính thức": by_card.official_date,
            "Điện thoại": "0911222333",
            "Chi bộ": "",
        },
    )
    b = dict(
        row_dict(2),
        **{
            "Họ và tên": "Hà Thị Cũ",
            "Giới tính": "Nam",
            "Ngày sinh": by_cid.date_of_birth,
            "Số CCCD": by_cid.citizen_id,
            "Số thẻ đảng viên": "79555555",
            "Ngày vào Đảng": by_cid.admission_date,
            "Ngày chính thức": "",
            "Chi bộ": "C12",
        },
    )
    result = preview(users["tochuc"], [a, b], tree["GCELL"])
    assert result.ok, result.errors
    assert (result.new_count, result.update_count, result.unchanged_count) == (0, 2, 0)
    assert result.preview[0]["action"] == "update"
    assert set(result.preview[0]["changes"]) >= {"Họ và tên", "Điện thoại"}
    history_before = Member.history.count()
    result = commit(users["tochuc"], [a, b], tree["GCELL"])
    assert result.committed
    by_card.refresh_from_db()
    by_cid.refresh_from_db()
    assert by_card.full_name == "Ngô Văn Mới" and by_card.phone == "0911222333"
    assert by_card.organization == tree["C11"]  # the default organisation does not move anyone
    assert Member.objects.search("ngo van moi").get() == by_card
    assert by_cid.card_number == "79555555"
    assert by_cid.official_date is not None  # blank cell keeps the value
    assert Member.history.count() == history_before + 2
    h = by_card.history.first()
    assert h.history_type == "~" and h.history_user == users["tochuc"] and h.source == "import"
    assert Member.objects.count() == 3 + 0  # fixture's own member + the two


def test_update_cannot_move_member_or_change_admission_dates(users, tree, make_member):
    m = make_member(tree["C11"])
    row = dict(
        row_dict(1),
        **{
            "Ngày sinh": m.date_of_birth,
            "Giới tính": "Nam",
            "Số CCCD": m.citizen_id,
            "Số thẻ đảng viên": m.card_number,
            "Ngày vào Đảng": dt.date(2011, 1, 1),
            "Ngày chính thức": m.official_date,
            "Chi bộ": "C12",
        },
    )
    result = preview(users["tochuc"], [row], None)
    columns = {e["column"] for e in result.errors}
    assert columns == {"Ngày vào Đảng", "Chi bộ"}


def test_error_in_a_later_batch_rolls_back_earlier_batches(users, tree, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    before = counts()
    rows = [row_dict(i) for i in range(1, 6)] + [row_dict(6, **{"Số CCCD": "1"})]
    result = commit(users["tochuc"], rows, tree["C11"])
    assert not result.committed and result.error_rows == 1
    assert counts() == before


def test_exception_while_writing_rolls_everything_back(users, tree, monkeypatch):
    from dangvu.dataio import writer

    real = writer.insert_select

    def failing(model, *args, **kw):
        if model is Membership:  # members, their history and events are written by then
            raise RuntimeError("disk full")
        return real(model, *args, **kw)

    monkeypatch.setattr(writer, "insert_select", failing)
    before = counts()
    with pytest.raises(RuntimeError):
        commit(users["tochuc"], [row_dict(1), row_dict(2)], tree["C11"])
    assert counts() == before


def test_default_organisation_must_be_in_add_scope(users, tree):
    with pytest.raises(ImportFileError, match="phạm vi"):
        preview(users["bithu"], [row_dict(1)], tree["C21"])
    with pytest.raises(ImportFileError):
        preview(users["chibo"], [row_dict(1)], tree["C11"])


def test_missing_required_column_writes_nothing(users, tree):
    headers = [h for h in HEADERS if h != "Giới tính"]
    before = counts()
    with pytest.raises(ImportFileError, match="Giới tính"):
        commit(users["tochuc"], [row_dict(1)], tree["C11"], headers)
    assert counts() == before
