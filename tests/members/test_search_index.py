"""The search helpers the database keeps by itself (members.search_index: the name-word list on
PostgreSQL, the FTS5 index on SQLite) and the typo fallback that corrects a term against the word
list instead of comparing the query with every member."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.text import one_edit_variants
from dangvu.core.viewmixins import CappedPaginator
from dangvu.members import search_index
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the typo fallback is PostgreSQL only"
)

NAMES = [
    "Nguyễn Hữu Định",
    "NGUYỄN HỮU ĐỊNH",
    "Trần Thị Ánh",
    "Đặng Văn Đức",
    "Lê Văn Dinh",
    "Phạm Thị Hương",
]


@pytest.fixture
def named(tree, make_member):
    return {n: make_member(tree["C11"], full_name=n) for n in NAMES}


def names(qs):
    return set(qs.values_list("full_name", flat=True))


def test_one_edit_variants_are_the_usual_typing_slips():
    variants = one_edit_variants("vinh")
    assert {"vnih", "ivnh", "vih", "vinhh", "vanh", "vin"} <= variants  # swap, drop, add, replace
    assert "vinh" not in variants and "hniv" not in variants and "" not in variants


def test_a_renamed_member_is_found_by_the_new_name_only(tree, make_member):
    m = make_member(tree["C11"], full_name="Hoàng Văn Quý")
    assert names(Member.objects.search("quy", fuzzy=False)) == {"Hoàng Văn Quý"}
    m.full_name = "Hoàng Văn Tâm"
    m.save()
    assert names(Member.objects.search("quy", fuzzy=False)) == set()
    assert names(Member.objects.search("hoang tam", fuzzy=False)) == {"Hoàng Văn Tâm"}


def test_members_written_in_bulk_are_searchable(tree, make_member):
    """bulk_create skips save(): the database's triggers index the rows."""
    m = make_member(tree["C11"], full_name="Hoàng Văn Quý")
    skip = {"id", "card_number", "citizen_id", "user_id"}
    copy = Member(
        **{
            f.attname: getattr(m, f.attname)
            for f in Member._meta.concrete_fields
            if f.attname not in skip
        }
    )
    copy.full_name = "Lò Thị Xuyến"
    copy.refresh_derived()
    Member.objects.bulk_create([copy])
    assert names(Member.objects.search("lo xuyen")) == {"Lò Thị Xuyến"}


def _drop_triggers():
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            for name in search_index._PG_TRIGGERS:
                c.execute(f"DROP TRIGGER {name} ON members_member")
        else:
            for name in search_index._SQLITE_TRIGGERS:
                c.execute(f"DROP TRIGGER {name}")


def test_after_migrate_triggers_a_table_rebuild_dropped_are_back_and_rows_indexed(
    tree, make_member
):
    """SQLite's ALTER TABLE rebuilds the table without its triggers; post_migrate puts them back
    and indexes what was written meanwhile."""
    from django.apps import apps

    _drop_triggers()
    make_member(tree["C11"], full_name="Lò Văn Xìa")
    search_index.on_post_migrate(sender=apps.get_app_config("members"), using="default")
    assert names(Member.objects.search("xia", fuzzy=False)) == {"Lò Văn Xìa"}
    make_member(tree["C11"], full_name="Lò Văn Xiêm")  # the triggers work again
    assert names(Member.objects.search("lo xiem", fuzzy=False)) == {"Lò Văn Xiêm"}
    if connection.vendor == "postgresql":
        assert search_index.Words(connection).unknown(["xia", "xiem"]) == []


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite rebuilds tables to alter them")
def test_after_a_table_rebuild_sqlite_has_the_planner_statistics_back(tree, make_member):
    """A rebuild drops the table's sqlite_stat1 rows with its triggers; post_migrate's re-index
    runs ANALYZE, so the search plans stay those of a loaded database."""
    from django.apps import apps

    make_member(tree["C11"], full_name="Lò Văn Xìa")
    _drop_triggers()
    with connection.cursor() as c:
        c.execute("ANALYZE members_member")
        c.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'members_member'")
    search_index.on_post_migrate(sender=apps.get_app_config("members"), using="default")
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'members_member'")
        assert c.fetchone()[0] > 0


def test_a_page_of_search_results_runs_the_search_twice_not_three_times(named):
    """Count (capped) and page; PostgreSQL's decision on the typo fallback reuses the count."""
    with CaptureQueriesContext(connection) as q:
        page = CappedPaginator(Member.objects.search("dinh"), 50).page(1)
        assert len(page.object_list) == 3 and page.paginator.count == 3
    on_members = [x["sql"] for x in q.captured_queries if '"members_member"' in x["sql"]]
    estimates = [sql for sql in on_members if sql.startswith("EXPLAIN")]
    assert len(on_members) - len(estimates) == 2
    # PostgreSQL asks the planner (no rows read) whether to read the table instead of the index
    assert len(estimates) == (connection.vendor == "postgresql")


def test_the_filterset_searches_last_so_its_count_serves_the_page(named, users, tree):
    """MemberFilterSet.filter_queryset: with an organisation filter too (declared after the
    search), the search's own count is the page's (one count), and the search sees the filtered
    rows it chooses its plan for."""
    from dangvu.members.filtersets import MemberFilterSet

    qs = Member.objects.restrict(users["tochuc"]).select_related("organization")
    data = {"q": "dinh", "organization": tree["GC1"].pk}
    fs = MemberFilterSet(data, queryset=qs, user=users["tochuc"])
    with CaptureQueriesContext(connection) as q:
        page = CappedPaginator(fs.qs, 50).page(1)
        assert {m.full_name for m in page.object_list} == {
            "Nguyễn Hữu Định",
            "NGUYỄN HỮU ĐỊNH",
            "Lê Văn Dinh",
        }
    counts = [x["sql"] for x in q.captured_queries if x["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and f"{tree['GC1'].path}%" in counts[0]


def test_a_count_after_another_filter_is_not_taken_from_the_search(named):
    qs = Member.objects.search("dinh").filter(full_name__startswith="NGUYỄN")
    assert CappedPaginator(qs, 50).count == 1


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 index")
def test_on_sqlite_the_candidates_come_from_the_fts_index(named):
    sql = str(Member.objects.search("nguyen dinh").query)
    assert "member_search_fts MATCH" in sql
    assert names(Member.objects.search("nguyen dinh")) == {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}


@postgresql_only
@pytest.mark.parametrize(
    "query,expected",
    [
        ("nguyen huu dihn", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),  # two letters swapped
        ("tran thi anhh", {"Trần Thị Ánh"}),  # a letter added
        ("dng van duc", {"Đặng Văn Đức"}),  # a letter dropped
        ("pham thi hyong", {"Phạm Thị Hương"}),  # a letter replaced
        ("nguyen huu qqqq", set()),  # no known word one slip away
    ],
)
def test_a_slip_in_a_term_is_corrected_against_the_known_words(named, query, expected):
    with CaptureQueriesContext(connection) as q:
        found = names(Member.objects.search(query))
    assert found == expected
    sql = " ".join(x["sql"] for x in q.captured_queries)
    assert "%>" not in sql and "word_similarity" not in sql  # never compares every member


@postgresql_only
def test_a_slip_that_makes_another_known_word_is_tolerated_in_one_term(named, tree, make_member):
    make_member(tree["C11"], full_name="Lê Văn Hùng")  # "hung" is a known word
    assert names(Member.objects.search("pham thi hung")) == {"Phạm Thị Hương"}
    assert names(Member.objects.search("le van hung")) == {"Lê Văn Hùng"}  # exact first


@postgresql_only
def test_the_word_list_has_no_numbers_and_grows_with_new_names(named, tree, make_member):
    words = search_index.Words(connection)
    card = named["Trần Thị Ánh"].card_number
    with connection.cursor() as c:
        c.execute(f"SELECT count(*) FROM {search_index.WORD_TABLE} WHERE word ~ '[0-9]'")
        assert c.fetchone()[0] == 0
    assert words.unknown(["dinh", "huon", "zyxw", card]) == ["zyxw"]  # numbers are not checked
    make_member(tree["C11"], full_name="Zyxw Văn Tèo")
    assert words.unknown(["zyxw"]) == []


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 index")
def test_on_sqlite_a_page_past_the_cap_walks_the_name_index(named, monkeypatch):
    """Many matches: the FTS5 test no longer drives the query (`+id IN …`), so SQLite reads the
    name index until it has a page instead of sorting every match; the rows are the same."""
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    with CaptureQueriesContext(connection) as q:
        page = CappedPaginator(Member.objects.search("thi"), 5).page(1)
        found = [m.full_name for m in page.object_list]
    assert page.paginator.capped and found == ["Trần Thị Ánh"]  # the first in name order
    assert '+"members_member"."id" IN' in q.captured_queries[-1]["sql"]
