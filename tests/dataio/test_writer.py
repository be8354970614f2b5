"""The import's writer: member rows with the search text of `core.text.normalize`, events,
memberships and history derived in the database, and the one-parameter id lists."""

import datetime as dt

import pytest
from django.db import connection

from dangvu.core.bulk import ids_match
from dangvu.core.text import normalize
from dangvu.dataio.services import commit_import
from dangvu.dataio.writer import search_text
from dangvu.members.models import Member, MemberEvent, Membership

from .conftest import row_dict, rows_from, xlsx_file

NAMES = [
    "Nguyễn Hữu Định",
    "ĐẶNG THỊ  Ánh",
    "  Lê\tVăn\u00a0Tám  ",  # tab, no-break space, spaces at both ends
    "Hồ Thị Nguyệt-Ánh (Út)",
    "Ngô\u2003Quyền",  # em space
    "Trần Văn A\u0301nh",  # combining acute accent
    "İbrahim Ökten",
    "王小明",  # transliterated with spaces inside
    "Nguyễn 😀 Văn",  # a character unidecode drops
    "",
]


@pytest.mark.parametrize("name", NAMES)
def test_search_text_is_normalize(name):
    """Rule: imported members get the search text Member.refresh_derived gives (normalize)."""
    for parts in (
        (name,),
        (name, "Tư", "79000001", "001085000001"),
        (name, "", None, "001085000001"),
        (name, "  Bé  Đen ", "02004242", None),
    ):
        assert search_text(*parts) == normalize(*parts)


@pytest.mark.django_db
def test_ids_match_one_parameter_any_values(make_member, tree):
    """Card numbers with quotes, backslashes, commas and braces are matched exactly."""
    odd = ['a"b', "c\\d", "e,f", "{g}", "h i", "NULL", "k'l"]
    made = [make_member(tree["C11"], card_number=card) for card in odd]
    made.append(make_member(tree["C11"], card_number="plain"))
    where, params = ids_match(connection.ops.quote_name("card_number"), odd)
    assert len(params) == 1
    with connection.cursor() as c:
        c.execute(f"SELECT id FROM members_member WHERE {where}", params)
        found = {row[0] for row in c.fetchall()}
    assert found == {m.pk for m in made[:-1]}
    where, params = ids_match("id", [made[0].pk, made[-1].pk], Member._meta.pk)
    with connection.cursor() as c:
        c.execute(f"SELECT id FROM members_member WHERE {where}", params)
        assert {row[0] for row in c.fetchall()} == {made[0].pk, made[-1].pk}


@pytest.mark.django_db
def test_imported_rows_have_events_memberships_history_and_are_found(users, tree):
    """Rule: an import writes what member_create writes, with history for every row, and the
    search index (triggers) knows the new members."""
    rows = [
        row_dict(1, **{"Họ và tên": "Phạm Thị Quỳnh Xuyến"}),
        row_dict(2, **{"Ngày chính thức": ""}),
        row_dict(3),
    ]
    result = commit_import(
        xlsx_file(rows_from(rows)), actor=users["tochuc"], default_organization=tree["C11"]
    )
    assert result.committed, result.errors
    members = list(Member.objects.filter(card_number__in=["93000001", "93000002", "93000003"]))
    assert len(members) == 3
    for m in members:
        events = list(MemberEvent.objects.filter(member=m).order_by("id"))
        expected = ["admitted"] + (["recognised_official"] if m.official_date else [])
        assert [e.kind for e in events] == expected
        assert events[0].date == m.admission_date and events[0].organization_id == tree["C11"].pk
        assert events[0].note == "Ghi nhận từ hồ sơ đảng viên."
        if m.official_date:
            assert events[1].date == m.official_date and events[1].status_before == "probationary"
        ms = Membership.objects.get(member=m)
        assert (ms.organization_id, ms.valid_from, ms.valid_to) == (
            tree["C11"].pk,
            m.admission_date,
            None,
        )
        assert m.search_text == normalize(m.full_name, m.other_names, m.card_number, m.citizen_id)
        h = Member.history.get(id=m.pk)
        assert (h.history_type, h.history_user, h.source, h.full_name, h.citizen_id) == (
            "+",
            users["tochuc"],
            "import",
            m.full_name,
            m.citizen_id,
        )
        assert isinstance(h.history_date, dt.datetime)
        for model, objs in ((MemberEvent, events), (Membership, [ms])):
            hist = model.history.filter(member_id=m.pk).order_by("history_id")
            assert [(x.id, x.history_type, x.history_user_id, x.source) for x in hist] == [
                (o.pk, "+", users["tochuc"].pk, "import") for o in objs
            ]
    assert [m.full_name for m in Member.objects.search("xuyen")] == ["Phạm Thị Quỳnh Xuyến"]
    if connection.vendor == "postgresql":  # the name words the typo correction knows
        assert list(Member.objects.search("quynh xuyeb")) == list(
            Member.objects.search("quynh xuyen")
        )


@pytest.mark.django_db
def test_bulk_session_raises_the_sqlite_page_cache_and_puts_it_back():
    """SQLite: the import's connection gets a page cache its indexes fit in, for the import only."""
    from dangvu.dataio.writer import SQLITE_CACHE_KIB, bulk_session

    def pragma(name):
        with connection.cursor() as c:
            c.execute(f"PRAGMA {name}")
            return c.fetchone()[0]

    if connection.vendor != "sqlite":
        with bulk_session():
            pass
        return
    before = pragma("cache_size")
    assert pragma("cache_spill") > 0
    with bulk_session():
        assert pragma("cache_size") == -SQLITE_CACHE_KIB
        assert pragma("cache_spill") == 0
    assert pragma("cache_size") == before
    assert pragma("cache_spill") > 0
