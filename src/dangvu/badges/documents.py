"""The printable due list of an occasion: PDF (WeasyPrint, like meetings/documents.py) and Excel
(openpyxl, like the dataio exports).

The PDF follows the Party document format (Hướng dẫn 36-HD/VPTW) as the meeting documents do:
the issuing body top left ("*", number), "ĐẢNG CỘNG SẢN VIỆT NAM" and the place-and-date line top
right, the title, the table grouped by tier, the totals, "Nơi nhận" and the signature block.
A4 landscape (the table has eight columns), Times New Roman (Liberation Serif has its metrics).
A Party document is in Vietnamese whatever the language of the page that asks for it.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment

from dangvu.core.dates import fmt
from dangvu.dataio.export import DATE_FORMAT, HEADER_FILL, HEADER_FONT, XLSX_TYPE
from dangvu.meetings.documents import _issuer, _place, vn_long_date
from dangvu.organizations.choices import OrgType

from .choices import EarlyReason
from .selectors import DueList

PDF_MIME = "application/pdf"


@dataclass
class Header:
    superior: str
    issuer: str
    issuer_short: str
    on_behalf: str
    date_line: str
    secretary: str
    recipients: list[str]


def _secretary(org, on: dt.date) -> str:
    """The name of the secretary of `org` (a member account holding a secretary role there)."""
    from dangvu.accounts.models import RoleAssignment
    from dangvu.members.models import Member

    users = (
        RoleAssignment.objects.filter(
            organization=org,
            role__in=["cell_secretary", "grassroots_secretary"],
            valid_from__lte=on,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .values_list("user_id", flat=True)
    )
    member = Member.objects.filter(user_id__in=users).order_by("id").first()
    return member.full_name if member else ""


def header(org, today: dt.date) -> Header:
    issuer, short, on_behalf = _issuer(org.name, org.org_type)
    if org.org_type == OrgType.SUPERIOR_COMMITTEE:
        on_behalf = "T/M BAN THƯỜNG VỤ"
    parent = (
        type(org).objects.filter(path=org.path[: -org.steplen]).first() if org.depth > 1 else None
    )
    upper = parent.name if parent else ""
    if upper.lower().startswith("đảng bộ"):
        upper = "Đảng ủy" + upper[len("Đảng bộ") :]
    recipients = [*([f"{upper} (để báo cáo)"] if upper else []), "Ban Tổ chức", "Lưu văn phòng"]
    return Header(
        superior=parent.name.upper() if parent else "",
        issuer=issuer,
        issuer_short=short,
        on_behalf=on_behalf,
        date_line=f"{_place(org)}, {vn_long_date(today)}",
        secretary=_secretary(org, today),
        recipients=recipients,
    )


def row_note(row) -> str:
    """The "Ghi chú" cell: early or posthumous award, carried over, the date the tier is reached."""
    parts = []
    if row.early_reason == EarlyReason.SERIOUS_ILLNESS:
        parts.append(f"Xét sớm (bệnh nặng), đủ tuổi đảng ngày {fmt(row.reached_on)}")
    elif row.early_reason == EarlyReason.POSTHUMOUS:
        parts.append(f"Truy tặng, từ trần ngày {fmt(row.died_on)}")
        if row.reached_on > row.died_on:
            parts.append(f"lẽ ra đủ tuổi đảng ngày {fmt(row.reached_on)}")
    else:
        parts.append(f"Đủ tuổi đảng ngày {fmt(row.reached_on)}")
    if row.carried_over:
        parts.append("chưa được xét ở đợt trước")
    return "; ".join(parts)


def totals_line(due: DueList) -> str:
    counts = due.tier_counts()
    total = sum(n for _t, n in counts)
    if not total:
        return "Không có đảng viên đến mốc tặng Huy hiệu Đảng ở dịp này."
    parts = "; ".join(f"{t} năm: {n}" for t, n in counts)
    return f"Tổng cộng: {total} đồng chí ({parts})."


def due_pdf(due: DueList, org, today: dt.date) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        head = header(org, today)
        groups = []
        number = 0
        for tier, rows in due.by_tier():
            items = []
            for r in rows:
                number += 1
                items.append((number, r, row_note(r)))
            groups.append((tier, items))
        html = render_to_string(
            "badges/documents/due_list.html",
            {
                "h": head,
                "due": due,
                "groups": groups,
                "org_name": org.name,
                "occasion": fmt(due.occasion),
                "totals": totals_line(due),
                "number": f"Số       -DS/{head.issuer_short}",
            },
        )
        return HTML(string=html).write_pdf()


DUE_COLUMNS = [
    ("STT", 6),
    ("Họ và tên", 28),
    ("Ngày sinh", 12),
    ("Số thẻ đảng viên", 16),
    ("Ngày vào Đảng", 14),
    ("Ngày chính thức", 14),
    ("Tuổi đảng (đến dịp trao)", 16),
    ("Huy hiệu (năm)", 10),
    ("Đủ tuổi đảng ngày", 14),
    ("Trường hợp", 22),
    ("Chi bộ / tổ chức", 36),
    ("Ghi chú", 44),
]
HELD_COLUMNS = [
    ("STT", 6),
    ("Họ và tên", 28),
    ("Huy hiệu (năm)", 10),
    ("Đủ tuổi đảng ngày", 14),
    ("Chi bộ / tổ chức", 36),
    ("Tình trạng", 18),
    ("Lý do", 60),
    ("Căn cứ", 36),
    ("Xét lại từ ngày", 14),
]


def _sheet(wb, title, columns, rows, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    for i, (label, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "C2"
    return ws


def due_xlsx(due: DueList) -> bytes:
    with translation.override("vi"):
        wb = Workbook()
        due_rows = [
            [
                i,
                r.member.full_name,
                r.member.date_of_birth,
                r.member.card_number or "",
                r.member.admission_date,
                r.member.official_date,
                r.party_age_label,
                r.tier,
                r.reached_on,
                str(EarlyReason(r.early_reason).label),
                r.member.organization.name,
                row_note(r),
            ]
            for i, r in enumerate(due.due, start=1)
        ]
        _sheet(wb, f"Huy hiệu {due.occasion:%d-%m-%Y}", DUE_COLUMNS, due_rows, first=True)
        held_rows = [
            [
                i,
                r.member.full_name,
                r.tier,
                r.reached_on,
                r.member.organization.name,
                r.outcome_label,
                r.reason,
                r.citation,
                r.until,
            ]
            for i, r in enumerate([*due.held, *due.awarded], start=1)
        ]
        _sheet(wb, "Hoãn, không xét, đã tặng", HELD_COLUMNS, held_rows)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def filename(due: DueList, org, fmt_: str) -> str:
    return f"huy-hieu-dang-{org.code}-{due.occasion:%Y-%m-%d}.{fmt_}"


MIME = {"pdf": PDF_MIME, "xlsx": XLSX_TYPE}
