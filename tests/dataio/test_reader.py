"""Reading files: header row anywhere in the first rows, real and text dates, bad files."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.dataio.reader import ImportFileError, inspect_sheet, parse_member_sheet

from .conftest import HEADERS, row_dict, rows_from, xlsx_file


def parse(rows, headers=None, **kw):
    return parse_member_sheet(xlsx_file(rows, headers, **kw))


def test_real_excel_dates_and_text_dates():
    headers = ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức"]
    result = parse(
        [
            ["A", "Nam", dt.datetime(1985, 3, 10), dt.date(2010, 5, 19), "19/05/2011"],
            ["B", "Nữ", "1/2/1990", "2012-06-30", "  "],
        ],
        headers,
    )
    a, b = result.rows
    assert a.errors == [] and b.errors == []
    assert a.data["date_of_birth"] == dt.date(1985, 3, 10)
    assert a.data["admission_date"] == dt.date(2010, 5, 19)
    assert a.data["official_date"] == dt.date(2011, 5, 19)
    assert b.data["date_of_birth"] == dt.date(1990, 2, 1)
    assert b.data["admission_date"] == dt.date(2012, 6, 30)
    assert "official_date" not in b.data  # blank cell: not given


def test_headers_in_any_order_with_accents_case_and_aliases_after_title_rows():
    headers = ["NGAY KET NAP", "ho ten", "Số thẻ ĐV", "CCCD", "gioi tinh", "Ngày Sinh", "Ghi chú"]
    result = parse(
        [["19/05/2010", "Trần Văn B", 79001234, 1085000123, "nam", "10/03/1985", "x"]],
        headers,
        before=[["ĐẢNG BỘ KHỐI"], ["DANH SÁCH ĐẢNG VIÊN"], []],
    )
    assert result.info.header_row == 4
    assert result.info.ignored_headers == ["Ghi chú"]
    (row,) = result.rows
    assert row.row == 5
    assert row.errors == []
    assert row.data["full_name"] == "Trần Văn B"
    assert row.data["card_number"] == "79001234"
    # A CCCD typed as a number lost its leading zero: it is put back.
    assert row.data["citizen_id"] == "001085000123"
    assert row.data["admission_date"] == dt.date(2010, 5, 19)


def test_column_number_row_and_blank_rows_are_skipped():
    numbers = [f"({i})" for i in range(1, len(HEADERS) + 1)]
    result = parse([numbers, [], rows_from([row_dict(1)])[0], [None] * 5])
    assert [r.row for r in result.rows] == [4]


@pytest.mark.parametrize(
    ("header", "value", "fragment"),
    [
        ("Ngày sinh", "31/02/1985", "không phải là ngày hợp lệ"),
        ("Ngày sinh", "1985", "không phải là ngày hợp lệ"),
        ("Ngày vào Đảng", 2010, "không phải là ngày hợp lệ"),
        ("Giới tính", "X", "Nam, Nữ"),
        ("Lý luận chính trị", "Tiến sĩ", "Sơ cấp"),
        ("Dân tộc", "Kinhh", "54 dân tộc"),
        ("Họ và tên", "", "Chưa nhập Họ và tên"),
    ],
)
def test_bad_cells_name_row_and_column(header, value, fragment):
    result = parse(rows_from([row_dict(1), row_dict(2, **{header: value})]))
    assert result.rows[0].errors == []
    (error,) = result.rows[1].errors
    assert error.row == 3
    assert error.column == header
    assert fragment in error.message


def test_missing_required_column_is_a_file_error():
    headers = [h for h in HEADERS if h != "Ngày vào Đảng"]
    with pytest.raises(ImportFileError) as exc:
        inspect_sheet(xlsx_file(rows_from([row_dict(1)], headers), headers))
    assert "Thiếu cột bắt buộc: Ngày vào Đảng" in str(exc.value)


def test_no_header_row_is_a_file_error():
    with pytest.raises(ImportFileError, match="Không tìm thấy dòng tiêu đề"):
        inspect_sheet(xlsx_file([["a", "b"]], ["x", "y"]))


def test_duplicate_headers_are_a_file_error():
    headers = [*HEADERS, "Số thẻ"]
    with pytest.raises(ImportFileError, match="trùng"):
        inspect_sheet(xlsx_file([], headers))


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        ("broken.xlsx", b"PK\x03\x04garbage", "Không đọc được tệp Excel"),
        ("notes.xlsx", b"hello", "không phải là tệp Excel"),
    ],
)
def test_bad_files(name, content, fragment):
    with pytest.raises(ImportFileError) as exc:
        inspect_sheet(SimpleUploadedFile(name, content))
    assert fragment in str(exc.value)


def test_csv_with_bom_semicolons_and_text_keys():
    text = (
        "\ufeffHọ và tên;Giới tính;Ngày sinh;Ngày vào Đảng;Số CCCD;Số thẻ đảng viên\n"
        "Phạm Thị C;Nữ;05/06/1990;01/02/2015;001190000777;0079001\n"
        "Đỗ Văn D;Nam;05/06/1991;01/02/2016;1091000778;\n"
    )
    result = parse_member_sheet(SimpleUploadedFile("ds.csv", text.encode("utf-8")))
    c, d = result.rows
    assert c.errors == [] and d.errors == []
    assert c.data["citizen_id"] == "001190000777"
    assert c.data["card_number"] == "0079001"
    assert d.data["citizen_id"] == "001091000778"  # zeros lost by Excel put back
    assert "card_number" not in d.data


def test_repeated_cell_values_give_each_row_its_own_outcome():
    """Each distinct value is parsed once per file; every row still gets its value and errors
    (row number included), and 1, True and "1" stay different cells."""
    headers = ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Quê quán", "Tôn giáo"]
    rows = [
        ["A", "Nam", "10/03/1985", "32/01/2010", 1, "Không"],
        ["B", "nam", "10/03/1985", "32/01/2010", True, "Không"],
        ["C", "?", "10/03/1985", dt.date(2010, 5, 19), "1", "Không"],
        ["D", "?", "10/03/1985", dt.date(2010, 5, 19), 1, "Không"],
    ]
    result = parse(rows, headers)
    a, b, c, d = result.rows
    assert [r.data["gender"] for r in (a, b)] == ["male", "male"]
    assert all(r.data["date_of_birth"] == dt.date(1985, 3, 10) for r in result.rows)
    assert [(e.row, e.column) for e in a.errors + b.errors] == [
        (2, "Ngày vào Đảng"),
        (3, "Ngày vào Đảng"),
    ]
    assert a.errors[0].message == b.errors[0].message and "32/01/2010" in a.errors[0].message
    assert [(e.row, e.column) for e in c.errors + d.errors] == [(4, "Giới tính"), (5, "Giới tính")]
    assert [r.data["hometown"] for r in result.rows] == ["1", "True", "1", "1"]
