"""Exports of filtered lists (.xlsx, .csv) and the import template.

Member exports carry exactly the headers and labels of the import (columns.py), so an exported
file re-imports unchanged. Rows are read with `.iterator(chunk_size=2000)` and written with
openpyxl's write-only mode (xlsx) or streamed (csv, UTF-8 with BOM so Excel shows Vietnamese).
Querysets passed here are already restricted to the user's scope by the caller.
"""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangvu.core.dates import fmt
from dangvu.members.choices import ETHNICITIES, RELIGIONS
from dangvu.organizations.choices import OrgType

from .columns import (
    CHOICE,
    DATE,
    KEY,
    MEMBER_COLUMNS,
    MEMBER_SHEET_TITLE,
    ORG,
    ORGANIZATION_COLUMNS,
    ROWNUM,
    STATUS,
    choice_label,
    labels,
)

CHUNK = 2000
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="FCE4E4")
HEADER_FONT = Font(bold=True)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------------------------
# Rows


def member_values(member, number: int) -> list:
    """One member as the import reads it (choice labels, org code, dates as dates)."""
    out = []
    for col in MEMBER_COLUMNS:
        if col.kind == ROWNUM:
            out.append(number)
        elif col.kind == ORG:
            out.append(member.organization.code)
        elif col.kind == STATUS:
            out.append(choice_label("status", member.status))
        elif col.kind == CHOICE:
            out.append(choice_label(col.key, getattr(member, col.key)))
        elif col.kind == KEY:
            out.append(getattr(member, col.key) or "")
        else:
            value = getattr(member, col.key)
            out.append(value if value is not None else "")
    return out


def member_rows(qs) -> Iterator[list]:
    qs = qs.select_related("organization")
    for number, member in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        yield member_values(member, number)


def organization_rows(qs) -> Iterator[list]:
    """Organisations with their parent's code and name (one query per chunk for the parents)."""
    from dangvu.organizations.models import Organization

    type_labels = dict(OrgType.choices)
    steplen = Organization.steplen
    chunk: list = []
    number = 0

    def flush(items):
        nonlocal number
        parent_paths = {o.path[:-steplen] for o in items if o.depth > 1}
        parents = {
            p["path"]: p
            for p in Organization.objects.filter(path__in=parent_paths).values(
                "path", "code", "name"
            )
        }
        for o in items:
            number += 1
            parent = parents.get(o.path[:-steplen], {}) if o.depth > 1 else {}
            yield [
                number,
                o.code,
                o.name,
                o.short_name,
                str(type_labels.get(o.org_type, o.org_type)),
                parent.get("code", ""),
                parent.get("name", ""),
                o.address,
                o.phone,
                o.email,
                o.established_on or "",
                o.dissolved_on or "",
            ]

    for org in qs.iterator(chunk_size=CHUNK):
        chunk.append(org)
        if len(chunk) >= CHUNK:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


# ------------------------------------------------------------------------------------------------
# Writers


def _csv_value(value) -> str:
    if isinstance(value, dt.date):
        return fmt(value)
    return "" if value is None else str(value)


def csv_stream(headers: list[str], rows: Iterator[list]) -> Iterator[bytes]:
    """UTF-8 with BOM, comma separated, one chunk per ~500 rows."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    yield "\ufeff".encode()
    writer.writerow(headers)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(v) for v in row])
        if count % 500 == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def xlsx_file(
    title: str, headers: list[str], widths: list[int], rows: Iterator[list], text_columns=()
):
    """A write-only workbook in an anonymous temporary file (rewound), for FileResponse."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(fh)
    fh.seek(0)
    return fh


def members_xlsx(qs):
    return xlsx_file(
        MEMBER_SHEET_TITLE,
        [c.header for c in MEMBER_COLUMNS],
        [c.width for c in MEMBER_COLUMNS],
        member_rows(qs),
    )


def members_csv(qs) -> Iterator[bytes]:
    return csv_stream([c.header for c in MEMBER_COLUMNS], member_rows(qs))


def organizations_xlsx(qs):
    return xlsx_file(
        "Danh sách tổ chức đảng",
        [str(h) for _k, h, _w in ORGANIZATION_COLUMNS],
        [w for _k, _h, w in ORGANIZATION_COLUMNS],
        organization_rows(qs),
    )


def organizations_csv(qs) -> Iterator[bytes]:
    return csv_stream([str(h) for _k, h, _w in ORGANIZATION_COLUMNS], organization_rows(qs))


# ------------------------------------------------------------------------------------------------
# Template


TEMPLATE_ROWS = 2000  # rows prepared with validation lists and formats

INSTRUCTIONS = [
    "Điền mỗi đảng viên trên một dòng của trang “Danh sách đảng viên”, bắt đầu từ dòng 3 "
    "(dòng 2 là ví dụ: xóa hoặc ghi đè).",
    "Không đổi tên các cột. Có thể bỏ các cột không dùng (trừ cột bắt buộc) hoặc đổi thứ tự; "
    "tên cột được nhận không phân biệt hoa thường, có dấu hay không dấu.",
    "Ngày ghi theo dạng ngày/tháng/năm (ví dụ 19/05/2010) hoặc dùng ô kiểu ngày của Excel.",
    "Số CCCD và số thẻ đảng viên nên để ở dạng văn bản để giữ số 0 ở đầu.",
    "Đảng viên đã có trong hệ thống (cùng số thẻ, hoặc cùng số CCCD) sẽ được cập nhật hồ sơ; "
    "ô để trống thì giữ nguyên giá trị đang có. Ngày vào Đảng, ngày chính thức và chi bộ của "
    "đảng viên đã có không sửa qua nhập tệp (dùng thủ tục trên trang hồ sơ).",
    "Cột “Chi bộ”: ghi mã tổ chức hoặc đúng tên tổ chức; để trống thì dùng tổ chức mặc định "
    "chọn khi tải tệp lên.",
    "Cột “Trạng thái” chỉ để xem (khi xuất danh sách); khi nhập, trạng thái tính từ ngày chính "
    "thức: có ngày chính thức là đảng viên chính thức, chưa có là dự bị.",
    "Hệ thống kiểm tra toàn bộ tệp trước; chỉ khi không còn lỗi nào mới ghi, và ghi tất cả "
    "trong một lần (có lỗi thì không ghi gì).",
]


def template_workbook() -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = MEMBER_SHEET_TITLE
    lists = wb.create_sheet("Danh mục")
    guide = wb.create_sheet("Hướng dẫn")

    columns = [c for c in MEMBER_COLUMNS if c.kind != STATUS]
    ws.append([c.header + (" (*)" if c.required else "") for c in columns])
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "C2"

    sample = []
    for col in columns:
        value = col.sample
        if col.kind == DATE and value:
            day, month, year = (int(x) for x in str(value).split("/"))
            value = dt.date(year, month, day)
        if col.key == "organization":
            value = ""
        sample.append(value)
    ws.append(sample)
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        if col.kind == DATE:
            for r in range(2, TEMPLATE_ROWS + 2):
                ws[f"{letter}{r}"].number_format = DATE_FORMAT
        elif col.kind == KEY or col.key == "phone":
            for r in range(2, TEMPLATE_ROWS + 2):
                ws[f"{letter}{r}"].number_format = "@"

    # Lists for the choice columns, on the "Danh mục" sheet.
    list_col = 0
    for i, col in enumerate(columns, start=1):
        if col.kind != CHOICE:
            continue
        list_col += 1
        values = (
            ETHNICITIES
            if col.key == "ethnicity"
            else RELIGIONS
            if col.key == "religion"
            else labels(col.key)
        )
        lc = get_column_letter(list_col)
        lists.cell(row=1, column=list_col, value=col.header).font = HEADER_FONT
        for r, v in enumerate(values, start=2):
            lists.cell(row=r, column=list_col, value=v)
        lists.column_dimensions[lc].width = max(14, col.width)
        dv = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${lc}$2:${lc}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=col.header,
            error="Chọn một giá trị trong danh sách.",
        )
        letter = get_column_letter(i)
        dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(dv)

    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 70
    guide.append(["HƯỚNG DẪN NHẬP DANH SÁCH ĐẢNG VIÊN"])
    guide["A1"].font = Font(bold=True, size=13)
    for line in INSTRUCTIONS:
        guide.append(["•", "", line])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in guide[guide.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for col in columns:
        if col.kind == DATE:
            how = "ngày/tháng/năm, ví dụ 19/05/2010"
        elif col.kind == CHOICE:
            how = (
                "một trong 54 dân tộc (trang “Danh mục”)"
                if col.key == "ethnicity"
                else "một trong: "
                + ", ".join(RELIGIONS if col.key == "religion" else labels(col.key))
            )
        elif col.kind == ROWNUM:
            how = "số thứ tự (không bắt buộc, không nhập vào hệ thống)"
        else:
            how = ""
        if col.note:
            how = f"{how}; {col.note}" if how else col.note
        guide.append([col.header, "có" if col.required else "", how])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


__all__ = [
    "XLSX_TYPE",
    "members_csv",
    "members_xlsx",
    "organizations_csv",
    "organizations_xlsx",
    "template_workbook",
]
