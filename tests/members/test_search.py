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
