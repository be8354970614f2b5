import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.text import name_sort_key, normalize, split_name


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Nguyễn Hữu Định", "nguyen huu dinh"),
        ("NGUYỄN HỮU ĐỊNH", "nguyen huu dinh"),
        ("  Trần   Thị  Ánh ", "tran thi anh"),
        ("Đặng Văn Đức", "dang van duc"),
        ("Ơ Đu", "o du"),
    ],
)
def test_normalize_folds_accents_case_and_spaces(raw, expected):
    assert normalize(raw) == expected


def test_vietnamese_name_order_given_then_family_then_middle():
    names = [
        "Trần Văn Anh",
        "Nguyễn Thị Ánh",
        "Lê Văn Ân",
        "Phạm Đức Dũng",
        "Vũ Thị Bình",
        "Hoàng Minh Đạt",
        "Nguyễn Văn Anh",
        "Nguyễn Anh",
        "Bùi Thị Ă",
    ]
    ordered = sorted(names, key=name_sort_key)
    assert ordered == [
        "Nguyễn Anh",  # given "Anh", family Nguyễn, no middle name first
        "Nguyễn Văn Anh",
        "Trần Văn Anh",
        "Nguyễn Thị Ánh",  # tone only breaks ties after the letters
        "Bùi Thị Ă",  # ă after a
        "Lê Văn Ân",  # â after ă
        "Vũ Thị Bình",
        "Phạm Đức Dũng",
        "Hoàng Minh Đạt",  # đ after d
    ]


def test_split_name():
    assert split_name("Nguyễn Hữu Định") == ("Nguyễn", "Hữu", "Định")
    assert split_name("Lê  Thị Thu  Hà") == ("Lê", "Thị Thu", "Hà")
    assert split_name("Hà") == ("", "", "Hà")


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậ ", min_size=1, max_size=30))
def test_normalize_is_ascii_and_idempotent(text):
    once = normalize(text)
    assert once.isascii()
    assert normalize(once) == once
