"""Reading a member list from .xlsx (openpyxl read-only, streaming) or .csv, row by row.

Nothing here touches the database: a row becomes a `ParsedRow` with typed values and the cell
errors found in it (row number as Excel shows it, column header, Vietnamese message). Whether a
row is new or an update, and whether the database agrees with it, is `services.py`'s job.
"""

import csv
import datetime as dt
import gc
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dangvu.core.dates import fmt, parse_vn_date
from dangvu.members.choices import ETHNICITIES

from .columns import (
    CHOICE,
    COLUMNS_BY_KEY,
    DATE,
    KEY,
    MEMBER_SHEET_TITLE,
    ORG,
    REQUIRED_KEYS,
    TEXT,
    header_key,
    labels,
    match_choice,
    match_header,
)

HEADER_SCAN_ROWS = 20
_SPACES = re.compile(r"\s+")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,3}\)?$")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header row, required column missing)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        if self.column:
            return _("Dòng %(row)s, cột %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ParsedRow:
    row: int  # the row number Excel shows (1-based, header rows counted)
    data: dict  # model field → typed value, only for filled cells of columns in the sheet
    org_ref: str = ""  # the "Chi bộ" cell (code or exact name), "" when blank
    errors: list[RowError] = field(default_factory=list)

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.row, column_header(key), message))


@dataclass
class SheetInfo:
    kind: str  # "xlsx" or "csv"
    sheet_name: str
    header_row: int
    columns: dict[int, str]  # index in the row → column key
    headers: dict[str, str]  # column key → the header text as written in the file
    ignored_headers: list[str]
    estimated_rows: int | None


@dataclass
class ParseResult:
    info: SheetInfo
    rows: list[ParsedRow]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]


def column_header(key: str) -> str:
    col = COLUMNS_BY_KEY.get(key)
    return col.header if col else ""


# ------------------------------------------------------------------------------------------------
# Opening the file


def _open_binary(source):
    """(binary file object, display name, close?) from a path, a Django File or a file object."""
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb"), os.fspath(source), True  # noqa: SIM115
    name = getattr(source, "name", "") or ""
    if hasattr(source, "open") and getattr(source, "closed", False):
        source.open("rb")
    fileobj = getattr(source, "file", None) or source
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    return fileobj, name, False


def _sniff_kind(fileobj, name: str) -> str:
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Tệp .xls (Excel 97–2003) không được hỗ trợ. Mở tệp bằng Excel và lưu lại "
                "dưới dạng “Excel Workbook (.xlsx)” hoặc “CSV UTF-8”."
            )
        )
    lower = name.lower()
    if lower.endswith((".csv", ".txt")) or not lower.endswith((".xlsx", ".xlsm")):
        return "csv"
    raise ImportFileError(
        _("Tệp “%(name)s” không phải là tệp Excel .xlsx hợp lệ.") % {"name": os.path.basename(name)}
    )


class _Table:
    """Rows of values (tuples) of the member sheet, streamed."""

    kind = ""
    sheet_name = ""
    estimated_rows: int | None = None

    def rows(self) -> Iterator[tuple[int, tuple]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _XlsxTable(_Table):
    """An .xlsx sheet read with calamine (Rust): 100,000 rows in seconds, where openpyxl's
    read-only mode took a minute. Values come back the way openpyxl gives them (None for an empty
    cell, whole numbers as int, dates as date/datetime), so the parsing is the same."""

    kind = "xlsx"

    def __init__(self, fileobj):
        from python_calamine import CalamineWorkbook

        try:
            data = fileobj.read()
            self.wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = self.wb.sheet_names
            wanted = header_key(MEMBER_SHEET_TITLE)
            name = next((n for n in names if header_key(n) == wanted), names[0])
            # skip_empty_area=False keeps the row numbers those of the sheet (errors name them);
            # no garbage collection while the rows are made (lists without cycles: each pass
            # would walk the rows made so far again)
            collecting = gc.isenabled()
            gc.disable()
            try:
                self._values = self.wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            finally:
                if collecting:
                    gc.enable()
        except Exception as exc:  # CalamineError, zip errors, an empty workbook …
            raise ImportFileError(
                _("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.")
            ) from exc
        self.sheet_name = name
        self.estimated_rows = len(self._values)

    @staticmethod
    def _cell(v):
        if v == "":
            return None
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return v

    def rows(self):
        # `_cell` written inline (a call per cell is a third of the reading time); each row's
        # list is let go once read, so the garbage collector does not walk the whole sheet
        # again and again while the rows are checked and written
        sheet = self._values
        for i, values in enumerate(sheet):
            sheet[i] = None
            yield (
                i + 1,
                tuple(
                    [
                        None
                        if v == ""
                        else (int(v) if isinstance(v, float) and v.is_integer() else v)
                        for v in values
                    ]
                ),
            )

    def close(self):
        self._values = []
        close = getattr(self.wb, "close", None)
        if close is not None:
            close()


class _CsvTable(_Table):
    kind = "csv"

    def __init__(self, fileobj):
        raw = fileobj.read()
        for encoding in ("utf-8-sig", "cp1258"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1258 decodes almost anything
            raise ImportFileError(_("Không đọc được tệp CSV: bảng mã không phải UTF-8."))
        if "\x00" in text[:4096]:
            raise ImportFileError(_("Tệp không phải là tệp CSV hoặc Excel .xlsx."))
        sample = text[:8192]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        self.text = text
        self.dialect = dialect
        self.sheet_name = "CSV"
        self.estimated_rows = text.count("\n") + (0 if text.endswith("\n") else 1)

    def rows(self):
        reader = csv.reader(io.StringIO(self.text), self.dialect)
        for number, values in enumerate(reader, start=1):
            yield number, tuple(values)


def open_table(source) -> _Table:
    fileobj, name, should_close = _open_binary(source)
    try:
        kind = _sniff_kind(fileobj, name)
        table = _XlsxTable(fileobj) if kind == "xlsx" else _CsvTable(fileobj)
    except Exception:
        if should_close:
            fileobj.close()
        raise
    if should_close:
        original_close = table.close

        def close():
            original_close()
            fileobj.close()

        table.close = close
    return table


# ------------------------------------------------------------------------------------------------
# Header row


def _find_header(rows: list[tuple[int, tuple]]):
    best = None
    for number, values in rows:
        matched = {}
        for idx, value in enumerate(values):
            if value in (None, ""):
                continue
            key = match_header(value)
            if key is not None:
                matched.setdefault(key, []).append(idx)
        if best is None or len(matched) > len(best[1]):
            best = (number, matched, values)
    if best is None or len(best[1]) < 2:
        raise ImportFileError(
            _(
                "Không tìm thấy dòng tiêu đề của danh sách đảng viên trong %(n)s dòng đầu "
                "(cần các cột như “Họ và tên”, “Ngày sinh”, “Số thẻ đảng viên”). "
                "Hãy dùng tệp mẫu."
            )
            % {"n": HEADER_SCAN_ROWS}
        )
    return best


def read_header(table: _Table) -> tuple[SheetInfo, Iterator[tuple[int, tuple]], list]:
    """Find the header row; return the sheet info and the iterator positioned after it."""
    iterator = table.rows()
    scanned = []
    for item in iterator:
        scanned.append(item)
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    number, matched, values = _find_header(scanned)
    duplicates = [
        _("“%(a)s” và “%(b)s” cùng là cột %(col)s")
        % {"a": values[idxs[0]], "b": values[idxs[1]], "col": column_header(key)}
        for key, idxs in matched.items()
        if len(idxs) > 1
    ]
    if duplicates:
        raise ImportFileError(
            _("Tiêu đề cột bị trùng: %(list)s. Xóa bớt một cột.") % {"list": "; ".join(duplicates)}
        )
    missing = [column_header(k) for k in REQUIRED_KEYS if k not in matched]
    if missing:
        raise ImportFileError(
            _("Thiếu cột bắt buộc: %(list)s (dòng tiêu đề là dòng %(row)s).")
            % {"list": ", ".join(missing), "row": number}
        )
    columns = {idxs[0]: key for key, idxs in matched.items()}
    headers = {key: str(values[idxs[0]]).strip() for key, idxs in matched.items()}
    ignored = [
        str(v).strip()
        for i, v in enumerate(values)
        if v not in (None, "") and i not in columns and str(v).strip()
    ]
    estimated = None
    if table.estimated_rows:
        estimated = max(table.estimated_rows - number, 0)
    info = SheetInfo(
        kind=table.kind,
        sheet_name=table.sheet_name,
        header_row=number,
        columns=columns,
        headers=headers,
        ignored_headers=ignored,
        estimated_rows=estimated,
    )
    rest = [item for item in scanned if item[0] > number]
    return info, iterator, rest


# ------------------------------------------------------------------------------------------------
# Cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return fmt(value if isinstance(value, dt.date) else value.date())
    return _SPACES.sub(" ", str(value)).strip()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value) -> dt.date:
    """A real Excel date (openpyxl gives datetime) or 'dd/mm/yyyy' text; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        raise ValueError(value)
    return parse_vn_date(str(value))


def _key(key: str, value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        # Numbers typed into Excel lose leading zeros; every CCCD starts with a 0 province code.
        if key == "citizen_id" and len(text) < 12:
            text = text.zfill(12)
        return text
    text = re.sub(r"[\s.]", "", str(value)).lstrip("'")
    # A CSV saved again by Excel turns "001085000123" into "1085000123": put the zeros back.
    if key == "citizen_id" and text.isdigit() and 10 <= len(text) < 12:
        text = text.zfill(12)
    return text


def _phone(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        return "0" + text if len(text) == 9 else text
    return _text(value)


def parse_cell(parsed: ParsedRow, key: str, value) -> None:
    col = COLUMNS_BY_KEY[key]
    if col.kind == ORG:
        parsed.org_ref = _text(value)
        return
    if col.kind not in (TEXT, DATE, CHOICE, KEY):
        return  # STT, Trạng thái: not imported
    result, messages = _parse_value(col, value)
    if result is not _MISSING:
        parsed.data[key] = result
    for message in messages:
        parsed.error(key, message)


def _parse_value(col, value) -> tuple:
    """A TEXT, DATE, CHOICE or KEY cell: (typed value or _MISSING, (messages,))."""
    key = col.key
    if _is_blank(value):
        if col.required:
            return _MISSING, (_("Chưa nhập %(col)s.") % {"col": col.header},)
        return _MISSING, ()
    if col.kind == DATE:
        try:
            return parse_date(value), ()
        except (ValueError, TypeError):
            return _MISSING, (
                _(
                    "“%(value)s” không phải là ngày hợp lệ; nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)."
                )
                % {"value": _text(value)},
            )
    if col.kind == CHOICE:
        choice = match_choice(key, value)
        if choice is not None:
            return choice, ()
        if key == "ethnicity":
            allowed = _("một trong %(n)s dân tộc (xem trang “Danh mục” của tệp mẫu)") % {
                "n": len(ETHNICITIES)
            }
        else:
            allowed = ", ".join(labels(key))
        return _MISSING, (
            _("“%(value)s” không hợp lệ; dùng %(allowed)s.")
            % {"value": _text(value), "allowed": allowed},
        )
    if col.kind == KEY:
        return _key(key, value), ()
    return (_phone(value) if key == "phone" else _text(value)), ()


def _is_blank_row(values: tuple) -> bool:
    return all(_is_blank(v) for v in values)


def _is_column_number_row(values: tuple) -> bool:
    """The "(1) (2) (3) …" row that official forms put under the header: at least three filled
    cells, all of them column numbers (stops at the first cell that is not one)."""
    filled = 0
    for v in values:
        if _is_blank(v):
            continue
        if not _COLUMN_NUMBERS.match(_text(v)):
            return False
        filled += 1
    return filled >= 3


# Columns whose cells repeat (choices, dates, places, occupations …): a cell's outcome depends on
# its value only, so each distinct value is parsed once per file. Keys (card, CCCD) and the
# organisation cell are unique or resolved elsewhere.
_MEMO_KINDS = (TEXT, DATE, CHOICE)


_MISSING = object()
# value types whose equal values are the same cell (no int/float/bool mixing; date != datetime)
_MEMO_TYPES = frozenset({str, dt.date, dt.datetime, type(None)})
_PARSED_KINDS = (TEXT, DATE, CHOICE, KEY, ORG)  # STT and Trạng thái are not imported


def iter_parsed_rows(info: SheetInfo, rows) -> Iterator[ParsedRow]:
    columns = [
        (idx, key, COLUMNS_BY_KEY[key], {} if COLUMNS_BY_KEY[key].kind in _MEMO_KINDS else None)
        for idx, key in info.columns.items()
        if COLUMNS_BY_KEY[key].kind in _PARSED_KINDS
    ]
    memo_types = _MEMO_TYPES
    for number, values in rows:
        if values is None or _is_blank_row(values) or _is_column_number_row(values):
            continue
        parsed = ParsedRow(row=number, data={})
        data = parsed.data
        width = len(values)
        for idx, key, col, memo in columns:
            value = values[idx] if idx < width else None
            if memo is None or type(value) not in memo_types:  # 1 == 1.0 == True: not memoised
                parse_cell(parsed, key, value)
                continue
            outcome = memo.get(value)
            if outcome is None:
                outcome = memo[value] = _parse_value(col, value)
            result, messages = outcome
            if result is not _MISSING:
                data[key] = result
            for message in messages:
                parsed.error(key, message)
        yield parsed


class MemberSheet:
    """Context manager streaming the parsed rows of a member list file.

    with MemberSheet(file) as sheet:
        sheet.info.headers …
        for row in sheet: …
    """

    def __init__(self, source):
        self.source = source
        self.table = None

    def __enter__(self):
        self.table = open_table(self.source)
        try:
            self.info, self._iterator, self._rest = read_header(self.table)
        except Exception:
            self.table.close()
            raise
        return self

    def __iter__(self) -> Iterator[ParsedRow]:
        def chained():
            yield from self._rest
            yield from self._iterator

        return iter_parsed_rows(self.info, chained())

    def __exit__(self, *exc):
        self.table.close()
        return False


def inspect_sheet(source) -> SheetInfo:
    """Open a file and read its header only (quick check at upload time)."""
    with MemberSheet(source) as sheet:
        return sheet.info


def parse_member_sheet(source) -> ParseResult:
    """Every parsed row of a (small) file in memory; big files go through MemberSheet."""
    with MemberSheet(source) as sheet:
        return ParseResult(info=sheet.info, rows=list(sheet))


__all__ = [
    "ImportFileError",
    "MemberSheet",
    "ParseResult",
    "ParsedRow",
    "RowError",
    "SheetInfo",
    "column_header",
    "inspect_sheet",
    "parse_date",
    "parse_member_sheet",
]
