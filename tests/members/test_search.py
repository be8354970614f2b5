"""Accent- and case-insensitive search and Vietnamese name order, on SQLite and PostgreSQL."""

import pytest
from django.db import connection  # noqa: F401 - used by skipif

from dangvu.members.models import Member

pytestmark = pytest.mark.django_db

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


@pytest.mark.parametrize(
    "query,expected",
    [
        ("nguyen huu dinh", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        ("NGUYEN HUU DINH", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        (
            "Định",
            {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH", "Lê Văn Dinh"},
        ),  # accents ignored both ways
        ("dinh", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH", "Lê Văn Dinh"}),
        ("duc dang", {"Đặng Văn Đức"}),
        ("anh", {"Trần Thị Ánh"}),
        ("huong", {"Phạm Thị Hương"}),
        ("xyz", set()),
    ],
)
def test_search_ignores_accents_case_and_word_order(named, query, expected):
    found = set(Member.objects.search(query).values_list("full_name", flat=True))
    assert found == expected


def test_search_by_card_number(named):
    m = named["Trần Thị Ánh"]
    assert list(Member.objects.search(m.card_number)) == [m]


def test_default_order_is_given_name_family_middle(named):
    ordered = list(
        Member.objects.filter(organization__code="C11").values_list("full_name", flat=True)
    )
    assert ordered == [
        "Trần Thị Ánh",
        "Lê Văn Dinh",
        "Nguyễn Hữu Định",
        "NGUYỄN HỮU ĐỊNH",
        "Đặng Văn Đức",
        "Phạm Thị Hương",
    ]


def test_terms_match_word_starts_not_the_middle_of_words(tree, make_member):
    make_member(tree["C11"], full_name="Lê Văn Thanh")
    make_member(tree["C11"], full_name="Ngô Thị Ánh")
    assert set(Member.objects.search("anh").values_list("full_name", flat=True)) == {"Ngô Thị Ánh"}


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="trigram similarity is PostgreSQL only"
)
def test_typo_tolerant_on_postgresql(named):
    found = list(Member.objects.search("nguyen huu dihn").values_list("full_name", flat=True))
    assert found[:2] and set(found[:2]) == {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}


def _page_names(qs, per_page=3, number=1, cap=None, monkeypatch=None):
    from dangvu.core.viewmixins import CappedPaginator

    if cap is not None:
        monkeypatch.setattr(CappedPaginator, "cap", cap)
    page = CappedPaginator(qs, per_page).page(number)
    return [m.full_name for m in page.object_list], page.paginator.capped


def test_a_page_of_search_results_is_in_name_order(named, tree, make_member):
    """The page of a search is the matches in Vietnamese name order, whatever plan fetches it
    (PostgreSQL sorts only the matches: MemberQuerySet.for_page)."""
    names, capped = _page_names(Member.objects.search("zzqx"), per_page=5)
    assert names == [] and not capped
    names, capped = _page_names(Member.objects.search("dinh"), per_page=2)
    assert names == ["Lê Văn Dinh", "Nguyễn Hữu Định"] and not capped
    names, _ = _page_names(Member.objects.search("dinh"), per_page=2, number=2)
    assert names == ["NGUYỄN HỮU ĐỊNH"]
    # a sort the user chose is kept
    qs = Member.objects.search("dinh").order_by("-name_sort", "-id")
    assert _page_names(qs, per_page=1)[0] == ["NGUYỄN HỮU ĐỊNH"]


def test_past_the_cap_sqlite_keeps_name_order_postgresql_lists_storage_order_and_says_so(
    named, tree, make_member, monkeypatch
):
    """Past the count cap no name order is cheap on PostgreSQL (MemberQuerySet.for_page): the
    page lists the matches in storage order and says so; SQLite walks its name index."""
    from dangvu.core.viewmixins import CappedPaginator

    make_member(tree["C11"], full_name="Lê Thị An")  # added last, sorts first
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    page = CappedPaginator(Member.objects.search("thi"), 5).page(1)
    shown = [m.full_name for m in page.object_list]
    assert page.paginator.capped and page.paginator.count == 2 and len(shown) == 2
    assert set(shown) <= {"Trần Thị Ánh", "Phạm Thị Hương", "Lê Thị An"}
    if connection.vendor == "postgresql":
        assert page.unsorted
    else:
        assert not page.unsorted and shown == ["Lê Thị An", "Trần Thị Ánh"]
    # up to the cap the page is in name order and says nothing
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    page = CappedPaginator(Member.objects.search("thi"), 5).page(1)
    assert not page.unsorted
    assert [m.full_name for m in page.object_list] == [
        "Lê Thị An",
        "Trần Thị Ánh",
        "Phạm Thị Hương",
    ]


def test_a_search_counts_at_most_search_count_cap_matches(named, monkeypatch):
    """A search stops counting at SEARCH_COUNT_CAP (1,000), other lists at the paginator's cap:
    3 matches with a search cap of 2 say "more than 2"; the same rows unsearched count 3."""
    from dangvu.core.viewmixins import CappedPaginator
    from dangvu.members import models

    monkeypatch.setattr(models, "SEARCH_COUNT_CAP", 2)
    searched = CappedPaginator(Member.objects.search("dinh"), 50)
    assert (searched.count, searched.capped) == (2, True)
    plain = CappedPaginator(Member.objects.filter(search_text__contains="dinh"), 50)
    assert (plain.count, plain.capped) == (3, False)
    assert models.SEARCH_COUNT_CAP == 2 and CappedPaginator.cap == 10_000


@pytest.mark.parametrize(
    "query,expected",
    [
        ("ng nguyen", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),  # two terms, one word
        ("nguyen nguyen", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        ("d dinh", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH", "Lê Văn Dinh"}),
        ("dinh huu nguyen", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        ("le van dinh", {"Lê Văn Dinh"}),
        ("le dinh", {"Lê Văn Dinh"}),  # family and given, the middle name left out
        ("le huu", set()),  # each word is someone's, not both the same member's
        ("t a", {"Trần Thị Ánh"}),
        ("dang van duc d", {"Đặng Văn Đức"}),
    ],
)
def test_terms_in_pairs_find_what_every_term_alone_finds(named, query, expected, monkeypatch):
    """On PostgreSQL two terms are looked up as the pairs of words they begin (migration 0011);
    past MAX_PAIR_KEYS pairs they are looked up one by one: both ways give the same members,
    on SQLite too."""
    from dangvu.members import search_index

    found = set(Member.objects.search(query, fuzzy=False).values_list("full_name", flat=True))
    assert found == expected
    monkeypatch.setattr(search_index, "MAX_PAIR_KEYS", 0)
    found = set(Member.objects.search(query, fuzzy=False).values_list("full_name", flat=True))
    assert found == expected


@pytest.mark.parametrize(
    "query,expected",
    [
        ("nguyen dinh", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        ("ng nguyen", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        ("d", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH", "Lê Văn Dinh", "Đặng Văn Đức"}),
        ("thi huong", {"Phạm Thị Hương"}),
    ],
)
def test_a_search_read_from_the_table_finds_what_the_index_finds(
    named, query, expected, monkeypatch
):
    """A search the planner expects to match SCAN_SHARE of the members or more is counted and
    paged by reading the table (MemberQuerySet.search): forced here, the same members."""
    from dangvu.members import models

    monkeypatch.setattr(models, "SCAN_SHARE", 0.0)
    monkeypatch.setattr(models, "SEARCH_COUNT_CAP", 0)  # past the cap: the scan is kept
    qs = Member.objects.search(query)
    assert set(qs.values_list("full_name", flat=True)) == expected
    if connection.vendor == "postgresql":
        sql = str(qs.query)
        assert "LIKE" in sql and "member_search_keys(" not in sql


def test_a_number_is_the_start_of_a_card_or_citizen_number_or_a_word_of_the_name(tree, make_member):
    a = make_member(tree["C11"], full_name="Nguyễn Văn Thử 812", card_number="77001234")
    b = make_member(tree["C11"], full_name="Trần Văn Bảy", citizen_id="001085812345")

    def found(q):
        return set(Member.objects.search(q).values_list("pk", flat=True))

    assert found("770012") == {a.pk}  # the start of a card number
    assert found("0010858") == {b.pk}  # the start of a citizen ID
    assert found("thu 812") == {a.pk}  # a number in the name
    assert found("van 812") == {a.pk}
    assert found("812345") == set()  # the middle of a number is not its start
    assert found("bay 77001234") == set()  # every term must match the same member


@pytest.mark.parametrize(
    "query,expected",
    [
        ("thi huong", {"Phạm Thị Hương"}),  # a common word with a rare one
        ("pham thi", {"Phạm Thị Hương"}),  # only common words
        ("nguyen dinh", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        ("huu nguyen dinh", {"Nguyễn Hữu Định", "NGUYỄN HỮU ĐỊNH"}),
        ("van", {"Đặng Văn Đức", "Lê Văn Dinh"}),
        ("ien", set()),  # not the start of a word
    ],
)
def test_common_name_words_find_the_same_members(named, query, expected):
    """Common words (COMMON_NAME_WORDS) are tested differently for the query plan only."""
    found = set(Member.objects.search(query, fuzzy=False).values_list("full_name", flat=True))
    assert found == expected


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL plan choice")
def test_on_postgresql_the_search_page_sorts_the_matches_not_the_table(named):
    from django.test.utils import CaptureQueriesContext

    from dangvu.core.viewmixins import CappedPaginator

    with CaptureQueriesContext(connection) as q:
        list(CappedPaginator(Member.objects.search("dinh"), 50).page(1).object_list)
    page_sql = q.captured_queries[-1]["sql"]
    assert 'COLLATE "C"' in page_sql
    assert "member_search_keys(" in page_sql  # the exact keys index (migration 0011)
    with CaptureQueriesContext(connection) as q:
        list(CappedPaginator(Member.objects.all(), 50).page(1).object_list)
    assert 'COLLATE "C"' not in q.captured_queries[-1]["sql"]  # the index serves the plain list
