"""The report documents: half-year and annual reports (Word, PDF) in the Party document format,
member statistics (Excel, PDF).

The layout is the one of the meeting documents (HD 36-HD/VPTW; `meetings.documents`): its Word
header, title and signature helpers and its PDF base template are reused, so every document of the
system looks the same. Everything is written from one `content.ReportData`, so the Word file, the
PDF and the Excel sheet say the same numbers. A Party document is always in Vietnamese.
"""

import io

from django.template.loader import render_to_string
from django.utils import translation

from dangvu.meetings import documents as md

from .content import Ratio, ReportData, num

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _number(data: ReportData) -> str:
    return f"Số       -BC/{data.issuer_short}"


# ---------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------
def _table_docx(doc, table) -> None:
    from docx.shared import Cm

    _p = md._para(doc, table.title, bold=True, italic=True, size=13, before=4, after=2)
    _p.paragraph_format.keep_with_next = True
    cols = len(table.columns)
    widths = [10.0] + [6.5 / (cols - 1)] * (cols - 1) if cols > 1 else [16.5]
    t = doc.add_table(rows=1, cols=cols)
    t.style = doc.styles["Table Grid"]
    t.autofit = False
    md._repeat_header(t.rows[0])
    for cell, label, w in zip(t.rows[0].cells, table.columns, widths, strict=True):
        cell.width = Cm(w)
        md._set_cell(cell, label, bold=True, align="center")
    body = list(table.rows) + ([table.total] if table.total else [])
    for i, row in enumerate(body):
        cells = t.add_row().cells
        is_total = table.total is not None and i == len(body) - 1
        for j, (cell, value, w) in enumerate(zip(cells, row, widths, strict=True)):
            cell.width = Cm(w)
            if value is None:
                text = "—"
            else:
                text = num(value) if isinstance(value, int | float) else str(value)
            md._set_cell(cell, text, bold=is_total, align="left" if j == 0 else "center")
    md._para(doc, "", after=4)


def _docx(data: ReportData) -> bytes:
    doc = md._docx()
    md._header(doc, data, data.date, "BC")
    md._title(doc, data.title, data.subtitle)
    if data.intro:
        md._body(doc, data.intro)
    for i, s in enumerate(data.sections):
        md._body(doc, f"{ROMAN[i]}. {s.title.upper()}", bold=True, indent=0)
        for sentence in s.sentences:
            md._body(doc, sentence)
        for table in s.tables:
            _table_docx(doc, table)
        if s.narrative:
            for p in s.narrative:
                md._body(doc, p)
        elif data.kind != "statistics":
            md._body(doc, "…………………………………………………………………………………………")
    md._closing(doc, data, data.recipients)
    return md._save(doc)


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------
def _pdf(data: ReportData) -> bytes:
    from weasyprint import HTML

    def fmt_row(row):
        return [row[0]] + [num(v) if isinstance(v, int | float) else v for v in row[1:]]

    sections = []
    for i, s in enumerate(data.sections):
        tables = [
            {
                "title": t.title,
                "columns": t.columns,
                "rows": [fmt_row(r) for r in t.rows],
                "total": fmt_row(t.total) if t.total else None,
            }
            for t in s.tables
        ]
        sections.append(
            {
                "number": ROMAN[i],
                "title": s.title.upper(),
                "sentences": s.sentences,
                "tables": tables,
                "narrative": s.narrative,
            }  # fmt: skip
        )
    html = render_to_string(
        "reports/documents/report.html",
        {
            "doc": data,
            "date_line": data.date_line(data.date),
            "number": _number(data),
            "sections": sections,
            "recipients": data.recipients,
            "placeholders": data.kind != "statistics",
        },
    )
    return HTML(string=html).write_pdf()


# ---------------------------------------------------------------------------------------------
# Excel (statistics): real numbers, no formulas
# ---------------------------------------------------------------------------------------------
def _xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Thống kê đảng viên"
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.column_dimensions["A"].width = 46
    for col in "BCD":
        ws.column_dimensions[col].width = 14
    r = 1
    for text, font in (
        (data.superior, normal),
        (data.issuer, bold),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", bold),
        (data.date_line(data.date), Font(name="Times New Roman", italic=True, size=12)),
        ("", normal),
        (data.title.upper(), Font(name="Times New Roman", bold=True, size=14)),
        (data.subtitle, bold),
    ):
        if text:
            ws.cell(row=r, column=1, value=text).font = font
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
            ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
        r += 1
    r += 1
    for s in data.sections:
        for sentence in s.sentences:
            ws.cell(row=r, column=1, value=sentence).font = normal
            r += 1
        for table in s.tables:
            r += 1
            ws.cell(row=r, column=1, value=table.title).font = bold
            r += 1
            for j, label in enumerate(table.columns, 1):
                c = ws.cell(row=r, column=j, value=label)
                c.font, c.border, c.alignment = bold, box, center
            r += 1
            body = list(table.rows) + ([table.total] if table.total else [])
            for i, row in enumerate(body):
                is_total = table.total is not None and i == len(body) - 1
                for j, value in enumerate(row, 1):
                    c = ws.cell(row=r, column=j, value=value)
                    c.font = bold if is_total else normal
                    c.border = box
                    if j > 1:
                        c.alignment = Alignment(horizontal="center")
                        if isinstance(value, Ratio):
                            c.value = round(float(value), 4)
                            c.number_format = "0.0%"
                        elif isinstance(value, int):
                            c.number_format = "#,##0"
                r += 1
    r += 1
    ws.cell(row=r, column=3, value=data.on_behalf).font = bold
    ws.cell(row=r + 1, column=3, value="BÍ THƯ").font = bold
    ws.cell(row=r + 5, column=3, value=data.secretary or "").font = bold
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False
    _ = get_column_letter
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


WRITERS = {"docx": _docx, "pdf": _pdf, "xlsx": _xlsx}


def render(data: ReportData, fmt: str) -> bytes:
    with translation.override("vi"):
        return WRITERS[fmt](data)


def file_name(report) -> str:
    stem = {
        "half_year": f"bao-cao-so-ket-6-thang-{report.half}-{report.year}",
        "annual": f"bao-cao-tong-ket-nam-{report.year}",
        "statistics": f"thong-ke-dang-vien-{report.as_of:%Y-%m-%d}",
    }[report.kind]
    return f"{stem}-{report.organization.code}.{report.format}"
