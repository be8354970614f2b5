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


def test_past_the_cap_the_page_is_still_in_name_order(named, monkeypatch):
    names, capped = _page_names(
        Member.objects.search("thi"), per_page=5, cap=1, monkeypatch=monkeypatch
    )
    assert capped and names == ["Trần Thị Ánh"]


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
    with CaptureQueriesContext(connection) as q:
        list(CappedPaginator(Member.objects.all(), 50).page(1).object_list)
    assert 'COLLATE "C"' not in q.captured_queries[-1]["sql"]  # the index serves the plain list
