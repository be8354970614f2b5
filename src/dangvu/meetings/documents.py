"""Documents of a meeting in the Party document format (Hướng dẫn 36-HD/VPTW): Word and PDF.

Three documents: the notice (thông báo, giấy mời), the attendance list with a signature column
(danh sách đảng viên dự sinh hoạt) and the minutes (biên bản). Each exists as `.docx` (python-docx)
and as PDF (an HTML template under templates/meetings/documents/ rendered by WeasyPrint). Both are
built from one context (`document_context`), so the Word file and the PDF say the same thing.

The layout follows HD 36: the issuing body top left (the superior committee, then the cell in
bold capitals, "*", the number "Số …-TB/CB"), "ĐẢNG CỘNG SẢN VIỆT NAM" top right, underlined, with
the place-and-date line in italics under it; the title centred in bold; the body; "Nơi nhận:"
bottom left and the signature block ("T/M CHI BỘ" / "BÍ THƯ" / name) bottom right. A4, margins
2 cm top and bottom, 3 cm left, 1.5 cm right, Times New Roman (Liberation Serif has its metrics).

A Party document is always in Vietnamese, whatever the language of the page that asks for it.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dangvu.organizations.choices import CELL_TYPES

from .choices import AttendanceStatus, MeetingKind, RosterCategory
from .models import Assignment, Meeting

FONT = "Times New Roman"
WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"
SECTION_TITLES = {"opening": "Phần mở đầu", "body": "Phần nội dung", "closing": "Phần kết thúc"}
_PLACE_RE = re.compile(r"\b(?:tỉnh|thành phố)\s+(\S.*)$", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# What the documents say (shared by Word and PDF)
# ---------------------------------------------------------------------------------------------
@dataclass
class RosterRow:
    number: int
    name: str
    category: str
    category_label: str
    status: str
    status_label: str  # "Có mặt", "Vắng (lý do)", "" before the meeting


@dataclass
class Counts:
    total: int = 0
    official: int = 0
    probationary: int = 0
    temporary: int = 0
    exempt: int = 0
    # every row of the list
    present_all: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0
    unknown: int = 0
    # the attendance rate, as `services.attendance_rate`: temporarily attached members aside,
    # exempt members counted only when present
    expected: int = 0
    present: int = 0
    temporary_present: int = 0

    @property
    def rate(self) -> Decimal | None:
        if not self.expected:
            return None
        return _pct(self.present, self.expected)


@dataclass
class Votes:
    official: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    passed: bool | None
    pct_for: Decimal | None
    pct_against: Decimal | None
    pct_abstain: Decimal | None


@dataclass
class DocumentContext:
    meeting: Meeting
    superior: str  # "ĐẢNG BỘ SỞ TÀI CHÍNH" (empty for a root)
    issuer: str  # "CHI BỘ VĂN PHÒNG"
    issuer_short: str  # "CB" or "ĐU"
    on_behalf: str  # "T/M CHI BỘ"
    place: str
    kind_phrase: str  # "sinh hoạt chi bộ thường kỳ tháng 11 năm 2026"
    when: str  # "14 giờ 00, thứ Sáu, ngày 27/11/2026"
    secretary: str
    chair: str
    minute_taker: str
    observers: list[str]
    supervisor: str  # the upper-level member in charge of the organisation
    rows: list[RosterRow]
    counts: Counts
    votes: Votes | None
    agenda: list[dict]  # [{"title": section title, "items": [..]}]
    documents: list[str]
    recipients_notice: list[str] = field(default_factory=list)
    recipients_list: list[str] = field(default_factory=list)

    @property
    def notice_items(self) -> list[str]:
        """What the notice announces: the body of the agenda (the opening and closing steps are
        the same at every meeting), or every item when the agenda has no body section."""
        body = [i for s in self.agenda if s["section"] == "body" for i in s["items"]]
        return body or [i for s in self.agenda for i in s["items"]]

    def date_line(self, d: dt.date) -> str:
        return f"{self.place}, {vn_long_date(d)}"


def vn_long_date(d: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2026' (HD 36: a leading zero on days below 10 and months 1 and 2)."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def fmt_pct(value: Decimal | None) -> str:
    """'93,3%' (Vietnamese decimal comma; '100%' without decimals)."""
    if value is None:
        return "—"
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def _time(t: dt.datetime) -> str:
    local = timezone.localtime(t)
    return f"{local.hour} giờ {local.minute:02d}"


def _when(t: dt.datetime) -> str:
    local = timezone.localtime(t)
    return f"{_time(t)}, {WEEKDAYS[local.weekday()]}, ngày {local:%d/%m/%Y}"


def _kind_phrase(meeting: Meeting, on: dt.date) -> str:
    month = f"tháng {on.month} năm {on.year}"
    topic = f" “{meeting.title}”" if meeting.title else ""
    return {
        MeetingKind.REGULAR: f"sinh hoạt chi bộ thường kỳ {month}",
        MeetingKind.THEMATIC: f"sinh hoạt chuyên đề{topic}",
        MeetingKind.COMBINED: f"sinh hoạt chi bộ thường kỳ kết hợp chuyên đề {month}{topic}",
        MeetingKind.EXTRAORDINARY: f"sinh hoạt chi bộ bất thường{topic}",
        MeetingKind.ALL_MEMBER: f"hội nghị đảng viên toàn đảng bộ{topic}",
    }.get(meeting.kind, f"sinh hoạt{topic}")


def _names_as_of(org, on: dt.date) -> tuple[str, str | None, str]:
    """(name, parent name, org type) of the organisation as it was on `on` (its current name when
    no version covers the date)."""
    from dangvu.organizations.selectors import versions_as_of

    version = versions_as_of(on).filter(organization=org).select_related("parent").first()
    if version is None:
        parent = org.get_parent()
        return org.name, parent.name if parent else None, org.org_type
    parent_name = None
    if version.parent_id:
        pv = versions_as_of(on).filter(organization_id=version.parent_id).first()
        parent_name = pv.name if pv else version.parent.name
    return version.name, parent_name, version.org_type


def _issuer(name: str, org_type: str) -> tuple[str, str, str]:
    """(issuing body in capitals, short sign for the number, 'T/M …')."""
    if org_type in CELL_TYPES:
        return name.upper(), "CB", "T/M CHI BỘ"
    committee = re.sub(r"^Đảng bộ\s+", "Đảng ủy ", name, flags=re.IGNORECASE)
    return committee.upper(), "ĐU", "T/M ĐẢNG ỦY"


def _place(org) -> str:
    """The place of the date line: the province of the tree (from 'tỉnh X' / 'thành phố X' in the
    names of the organisation and its ancestors), else the last part of an address."""
    from django.conf import settings

    configured = getattr(settings, "DANGVU_DOCUMENT_PLACE", "")
    if configured:
        return configured
    chain = list(type(org).objects.filter(path__in=_path_prefixes(org)).order_by("depth"))
    for o in reversed(chain):
        m = _PLACE_RE.search(o.name)
        if m:
            return m.group(1).strip()
    for o in reversed(chain):
        if o.address:
            return o.address.rsplit(",", 1)[-1].strip()
    return "…………"


def _person(member) -> str:
    return member.full_name if member else ""


def _secretary_name(meeting: Meeting) -> str:
    """The secretary of the organisation (a member account holding the secretary role there on the
    meeting date), else the chair of the meeting."""
    from dangvu.accounts.models import RoleAssignment
    from dangvu.members.models import Member

    on = timezone.localdate(meeting.scheduled_at)
    ra = (
        RoleAssignment.objects.filter(
            organization=meeting.organization_id,
            role__in=["cell_secretary", "grassroots_secretary"],
            valid_from__lte=on,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("valid_from", "id")
        .values_list("user_id", flat=True)
    )
    member = Member.objects.filter(user_id__in=ra).order_by("id").first()
    if member is not None:
        return member.full_name
    from dangvu.accounts.models import User

    account = User.objects.filter(pk__in=ra).exclude(full_name="").order_by("id").first()
    if account is not None:
        return account.full_name
    return _person(meeting.chair)


def _path_prefixes(org) -> list[str]:
    """Paths of the organisation and its ancestors."""
    return [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]


def _supervisor(meeting: Meeting, on: dt.date) -> str:
    row = (
        Assignment.objects.filter(
            organization__path__in=_path_prefixes(meeting.organization), valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("user", "organization")
        .order_by("-organization__depth", "valid_from")
        .first()
    )
    if row is None:
        return ""
    return row.user.full_name or row.user.get_username()


def roster_counts(rows) -> Counts:
    """Counts of attendance rows (objects with `category` and `status`)."""
    c = Counts()
    for a in rows:
        c.total += 1
        present = a.status == AttendanceStatus.PRESENT
        if a.category == RosterCategory.OFFICIAL:
            c.official += 1
        elif a.category == RosterCategory.PROBATIONARY:
            c.probationary += 1
        elif a.category == RosterCategory.TEMPORARY:
            c.temporary += 1
            c.temporary_present += present
        elif a.category == RosterCategory.EXEMPT:
            c.exempt += 1
        if present:
            c.present_all += 1
        elif a.status == AttendanceStatus.ABSENT_EXCUSED:
            c.absent_excused += a.category != RosterCategory.EXEMPT
        elif a.status == AttendanceStatus.ABSENT_UNEXCUSED:
            c.absent_unexcused += a.category != RosterCategory.EXEMPT
        elif a.category != RosterCategory.EXEMPT:
            c.unknown += 1
        if a.category == RosterCategory.TEMPORARY:
            continue
        if present:
            c.present += 1
            c.expected += 1
        elif a.category != RosterCategory.EXEMPT:
            c.expected += 1
    return c


def _votes(meeting: Meeting) -> Votes | None:
    """Votes as percentages of the official members on the roster (`services.vote_result`)."""
    from .services import vote_result

    if meeting.votes_for is None and meeting.votes_against is None:
        return None
    result = vote_result(meeting)
    official = result.official_on_roster
    vf, va, vb = meeting.votes_for or 0, meeting.votes_against or 0, meeting.votes_abstain or 0
    passed = meeting.resolution_passed
    if passed is None:
        passed = result.passed
    return Votes(
        official=official,
        votes_for=vf,
        votes_against=va,
        votes_abstain=vb,
        passed=passed,
        pct_for=_pct(vf, official) if official else None,
        pct_against=_pct(va, official) if official else None,
        pct_abstain=_pct(vb, official) if official else None,
    )


def _status_label(a) -> str:
    if a.status == AttendanceStatus.PRESENT:
        return "Có mặt"
    if a.status == AttendanceStatus.ABSENT_EXCUSED:
        return f"Vắng có lý do ({a.reason})" if a.reason else "Vắng có lý do"
    if a.status == AttendanceStatus.ABSENT_UNEXCUSED:
        return "Vắng không lý do"
    if a.category == RosterCategory.EXEMPT:
        return "Miễn sinh hoạt"
    return ""


_CATEGORY_ORDER = {
    RosterCategory.OFFICIAL: 0,
    RosterCategory.PROBATIONARY: 0,
    RosterCategory.TEMPORARY: 1,
    RosterCategory.EXEMPT: 2,
}


def _agenda(meeting: Meeting) -> list[dict]:
    sections: dict[str, list[str]] = {}
    for item in meeting.agenda or []:
        if isinstance(item, dict):
            title = str(item.get("title") or "").strip()
            section = str(item.get("section") or "body")
        else:
            title, section = str(item).strip(), "body"
        if title:
            sections.setdefault(section, []).append(title)
    order = ["opening", "body", "closing"]
    keys = sorted(sections, key=lambda s: order.index(s) if s in order else 9)
    return [{"section": k, "title": SECTION_TITLES.get(k, ""), "items": sections[k]} for k in keys]


def document_context(meeting: Meeting) -> DocumentContext:
    """Everything the three documents say, read in a handful of queries."""
    meeting = (
        Meeting.objects.select_related("organization", "chair", "minute_taker")
        .prefetch_related("visits__observer")
        .get(pk=meeting.pk)
    )
    org = meeting.organization
    on = timezone.localdate(meeting.scheduled_at)
    name, parent_name, org_type = _names_as_of(org, on)
    issuer, short, on_behalf = _issuer(name, org_type)
    attendances = sorted(
        meeting.attendances.select_related("member").order_by("member__name_sort", "member_id"),
        key=lambda a: _CATEGORY_ORDER.get(a.category, 3),
    )
    rows = [
        RosterRow(
            number=i,
            name=a.member.full_name,
            category=a.category,
            category_label=str(RosterCategory(a.category).label),
            status=a.status,
            status_label=_status_label(a),
        )
        for i, a in enumerate(attendances, 1)
    ]
    counts = roster_counts(attendances)
    supervisor = _supervisor(meeting, on)
    superior = parent_name.upper() if parent_name else ""
    upper_body = parent_name or ""
    if upper_body.lower().startswith("đảng bộ"):
        upper_body = "Đảng ủy" + upper_body[len("Đảng bộ") :]
    recipients_notice = []
    if upper_body:
        recipients_notice.append(f"{upper_body} (để báo cáo)")
    if supervisor:
        recipients_notice.append(f"Đồng chí {supervisor} (phụ trách)")
    recipients_notice += ["Đảng viên trong chi bộ", "Lưu chi bộ"]
    if org_type not in CELL_TYPES:
        recipients_notice[-2:] = ["Đảng viên trong đảng bộ", "Lưu văn phòng đảng ủy"]
    recipients_list = [*([f"{upper_body} (để báo cáo)"] if upper_body else []), "Lưu chi bộ"]
    return DocumentContext(
        meeting=meeting,
        superior=superior,
        issuer=issuer,
        issuer_short=short,
        on_behalf=on_behalf,
        place=_place(org),
        kind_phrase=_kind_phrase(meeting, on),
        when=_when(meeting.scheduled_at),
        secretary=_secretary_name(meeting),
        chair=_person(meeting.chair),
        minute_taker=_person(meeting.minute_taker),
        observers=[v.observer.full_name or v.observer.get_username() for v in meeting.visits.all()],
        supervisor=supervisor,
        rows=rows,
        counts=counts,
        votes=_votes(meeting),
        agenda=_agenda(meeting),
        documents=[d.title for d in meeting.documents.exclude(kind="notice")],
        recipients_notice=recipients_notice,
        recipients_list=recipients_list,
    )


def _notice_date(ctx: DocumentContext) -> dt.date:
    m = ctx.meeting
    if m.notice_sent_at:
        return timezone.localdate(m.notice_sent_at)
    return min(timezone.localdate(), timezone.localdate(m.scheduled_at))


def _meeting_date(ctx: DocumentContext) -> dt.date:
    return timezone.localdate(ctx.meeting.scheduled_at)


def attendance_sentences(ctx: DocumentContext) -> list[str]:
    """The headcount of the minutes, one line each."""
    c = ctx.counts
    lines = [
        f"Tổng số đảng viên trong danh sách: {c.total} "
        f"(chính thức: {c.official}; dự bị: {c.probationary}; "
        f"sinh hoạt tạm thời: {c.temporary}; miễn công tác và sinh hoạt: {c.exempt}).",
        f"Có mặt: {c.present}/{c.expected} đảng viên phải dự ({fmt_pct(c.rate)})"
        + (
            f"; đảng viên sinh hoạt tạm thời có mặt: {c.temporary_present}." if c.temporary else "."
        ),
    ]
    excused = [r for r in ctx.rows if r.status == AttendanceStatus.ABSENT_EXCUSED]
    unexcused = [r for r in ctx.rows if r.status == AttendanceStatus.ABSENT_UNEXCUSED]
    line = f"Vắng có lý do: {c.absent_excused}"
    if excused:
        line += " (" + "; ".join(f"đồng chí {r.name}" for r in excused) + ")"
    lines.append(line + ".")
    line = f"Vắng không lý do: {c.absent_unexcused}"
    if unexcused:
        line += " (" + "; ".join(f"đồng chí {r.name}" for r in unexcused) + ")"
    lines.append(line + ".")
    lines.append(f"Miễn sinh hoạt: {c.exempt}.")
    return lines


def vote_sentence(ctx: DocumentContext) -> str:
    v = ctx.votes
    if v is None:
        return "Không có nội dung biểu quyết."
    return (
        f"Số đảng viên chính thức trong danh sách: {v.official}. "
        f"Tán thành: {v.votes_for} ({fmt_pct(v.pct_for)}); "
        f"không tán thành: {v.votes_against} ({fmt_pct(v.pct_against)}); "
        f"không biểu quyết: {v.votes_abstain} ({fmt_pct(v.pct_abstain)})."
    )


def passed_sentence(ctx: DocumentContext) -> str:
    v = ctx.votes
    if v is None or v.passed is None:
        return ""
    if v.passed:
        return "Nghị quyết được thông qua (quá một nửa số đảng viên chính thức tán thành)."
    return "Nghị quyết không được thông qua."


def end_sentence(ctx: DocumentContext) -> str:
    m = ctx.meeting
    if not m.ended_at:
        return "Buổi sinh hoạt kết thúc vào lúc ….. giờ ….. cùng ngày."
    text = f"Buổi sinh hoạt kết thúc vào lúc {_time(m.ended_at)} cùng ngày"
    if m.duration_minutes is not None:
        text += f" (thời lượng {m.duration_minutes} phút)"
    text += "."
    if m.minutes_approved:
        text += " Biên bản đã được đọc lại trước chi bộ và được nhất trí thông qua."
    return text


def _org_name(ctx: DocumentContext) -> str:
    name, _parent, _t = _names_as_of(ctx.meeting.organization, _meeting_date(ctx))
    return name


# ---------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------
def _docx():
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    for style_name in ("Normal", "Table Grid"):
        style = doc.styles[style_name]
        style.font.name = FONT
        style.font.size = Pt(14)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
    fmt = doc.styles["Normal"].paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing = 1.0
    return doc


def _para(container, text="", *, bold=False, italic=False, underline=False, size=14,
          align="left", before=0, after=0, indent=None, caps=False):  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    pf = p.paragraph_format
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if indent is not None:
        pf.first_line_indent = Cm(indent)
    if text:
        run = p.add_run(text.upper() if caps else text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
    return p


def _run(p, text, *, bold=False, italic=False, underline=False, size=14):
    from docx.shared import Pt

    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return run


def _cell_first(cell):
    """The empty paragraph a new cell starts with: reuse it for the first line."""
    return cell.paragraphs[0]


def _fill(cell, lines):
    """Write [(text, options)] into a table cell, reusing its first paragraph."""
    first = True
    for text, opts in lines:
        if first:
            p = _cell_first(cell)
            from docx.enum.text import WD_ALIGN_PARAGRAPH
            from docx.shared import Pt

            p.alignment = {
                "left": WD_ALIGN_PARAGRAPH.LEFT,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
            }[opts.get("align", "center")]
            p.paragraph_format.space_before = Pt(opts.get("before", 0))
            p.paragraph_format.space_after = Pt(opts.get("after", 0))
            if text:
                _run(
                    p,
                    text,
                    bold=opts.get("bold", False),
                    italic=opts.get("italic", False),
                    underline=opts.get("underline", False),
                    size=opts.get("size", 14),
                )
            first = False
        else:
            _para(cell, text, **{"align": "center", **opts})


def _borderless_table(doc, widths_cm):
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(widths_cm))
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"})
        borders.append(el)
    tbl_pr.append(borders)
    _zero_cell_margins(table, left=0, right=0)
    for cell, w in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(w)
    for col, w in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(w)
    return table


def _zero_cell_margins(table, left=0, right=0):
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    mar = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for edge, value in (("left", left), ("right", right)):
        el = mar.makeelement(qn(f"w:{edge}"), {qn("w:w"): str(value), qn("w:type"): "dxa"})
        mar.append(el)
    tbl_pr.append(mar)


def _header(doc, ctx: DocumentContext, date: dt.date, number_sign: str | None):
    """Issuing body (left) and 'ĐẢNG CỘNG SẢN VIỆT NAM' with the place and date (right)."""
    table = _borderless_table(doc, [7.0, 9.5])
    left, right = table.rows[0].cells
    lines = []
    if ctx.superior:
        lines.append((ctx.superior, {"size": 14}))
    lines.append((ctx.issuer, {"bold": True, "size": 14}))
    lines.append(("*", {"size": 14}))
    if number_sign:
        lines.append((f"Số       -{number_sign}/{ctx.issuer_short}", {"size": 14, "before": 2}))
    _fill(left, lines)
    _fill(
        right,
        [
            ("ĐẢNG CỘNG SẢN VIỆT NAM", {"bold": True, "underline": True, "size": 15}),
            ("", {"size": 8}),
            (ctx.date_line(date), {"italic": True, "size": 14, "before": 6}),
        ],
    )


def _title(doc, title: str, subtitle: str = ""):
    _para(doc, title, bold=True, size=15, align="center", before=18, caps=True)
    if subtitle:
        _para(doc, subtitle, bold=True, size=14, align="center", before=2)
    _para(doc, "-----", size=14, align="center", after=8)


def _body(doc, text: str, *, bold=False, italic=False, indent=1.0, after=4):
    return _para(doc, text, bold=bold, italic=italic, align="justify", indent=indent, after=after)


def _signature_lines(on_behalf: str, title: str, name: str) -> list:
    lines = []
    if on_behalf:
        lines.append((on_behalf, {"bold": True, "size": 14}))
    lines.append((title, {"bold": True, "size": 14}))
    lines.append(("", {"size": 14, "before": 54}))
    lines.append((name, {"bold": True, "size": 14}))
    return lines


def _keep_with_signature(doc, table) -> None:
    """The signature block is not left alone on a page: the paragraph before it keeps with it,
    and its row is not split."""
    from docx.oxml.ns import qn

    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))


def _closing(doc, ctx: DocumentContext, recipients: list[str], sign_title: str = "BÍ THƯ"):
    table = _borderless_table(doc, [8.0, 8.5])
    _keep_with_signature(doc, table)
    left, right = table.rows[0].cells
    lines = [("Nơi nhận:", {"underline": True, "size": 14, "align": "left", "before": 14})]
    for i, r in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ","
        lines.append((f"- {r}{end}", {"size": 12, "align": "left"}))
    _fill(left, lines)
    right_lines = _signature_lines(ctx.on_behalf, sign_title, ctx.secretary)
    right_lines[0] = (right_lines[0][0], {**right_lines[0][1], "before": 14})
    _fill(right, right_lines)


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _with_vi(fn):
    def wrapper(meeting):
        with translation.override("vi"):
            return fn(document_context(meeting))

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _notice_docx(ctx: DocumentContext) -> bytes:
    m = ctx.meeting
    doc = _docx()
    _header(doc, ctx, _notice_date(ctx), "TB")
    _title(doc, "Thông báo", f"Về việc {ctx.kind_phrase}")
    _body(doc, f"{_org_name(ctx)} thông báo tổ chức {ctx.kind_phrase} như sau:")
    _body(doc, f"1. Thời gian: {ctx.when}.")
    _body(doc, f"2. Địa điểm: {m.location or '…………………………'}.")
    _body(doc, "3. Nội dung:")
    if not ctx.notice_items:
        _body(doc, "Theo chương trình sinh hoạt của chi bộ.", indent=1.5)
    for item in ctx.notice_items:
        _body(doc, f"- {item}", indent=1.5, after=0)
    _body(doc, "4. Tài liệu:", after=0).paragraph_format.space_before = _pt(4)
    if ctx.documents:
        for title in ctx.documents:
            _body(doc, f"- {title}", indent=1.5, after=0)
        _body(
            doc,
            "Tài liệu được đăng trên Sổ tay đảng viên điện tử; đề nghị các đồng chí nghiên cứu "
            "trước khi dự sinh hoạt.",
            indent=1.5,
        )
    else:
        _body(doc, "Không có tài liệu gửi kèm.", indent=1.5)
    guests = "Toàn thể đảng viên trong chi bộ"
    if ctx.supervisor:
        guests += f"; kính mời đồng chí {ctx.supervisor}, đồng chí cấp trên phụ trách, đến dự"
    _body(doc, f"5. Thành phần: {guests}.")
    _body(doc, "Đề nghị các đồng chí đảng viên tham dự đầy đủ, đúng giờ.")
    _closing(doc, ctx, ctx.recipients_notice)
    return _save(doc)


def _pt(v):
    from docx.shared import Pt

    return Pt(v)


def _set_cell(cell, text, *, bold=False, align="left", size=13, italic=False):
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = cell.paragraphs[0]
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }[align]
    p.paragraph_format.space_before = _pt(2)
    p.paragraph_format.space_after = _pt(2)
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _repeat_header(row):
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    tr_pr.append(el)


LIST_COLUMNS = [("STT", 1.2), ("Họ và tên", 5.0), ("Diện", 2.9), ("Có mặt / Vắng (lý do)", 4.2),
                ("Ký tên", 3.2)]  # fmt: skip
LIST_GROUPS = [
    ("official", "Đảng viên chính thức và dự bị"),
    ("temporary", "Đảng viên sinh hoạt tạm thời"),
    ("exempt", "Đảng viên được miễn công tác và sinh hoạt"),
]


def _group_of(row: RosterRow) -> str:
    if row.category in (RosterCategory.OFFICIAL, RosterCategory.PROBATIONARY):
        return "official"
    return row.category


def grouped_rows(ctx: DocumentContext) -> list[tuple[str, list[RosterRow]]]:
    out = []
    for code, label in LIST_GROUPS:
        rows = [r for r in ctx.rows if _group_of(r) == code]
        if rows:
            out.append((label, rows))
    return out


def list_totals(ctx: DocumentContext) -> list[str]:
    c = ctx.counts
    return [
        f"Tổng số: {c.total} đồng chí (chính thức: {c.official}; dự bị: {c.probationary}; "
        f"sinh hoạt tạm thời: {c.temporary}; miễn sinh hoạt: {c.exempt}).",
        f"Có mặt: {c.present_all}; vắng có lý do: {c.absent_excused}; "
        f"vắng không lý do: {c.absent_unexcused}.",
    ]


def _attendance_docx(ctx: DocumentContext) -> bytes:
    from docx.shared import Cm

    doc = _docx()
    date = _meeting_date(ctx)
    _header(doc, ctx, date, None)
    _title(
        doc,
        "Danh sách đảng viên dự sinh hoạt",
        f"{ctx.kind_phrase[0].upper()}{ctx.kind_phrase[1:]}, ngày {date:%d/%m/%Y}",
    )
    groups = grouped_rows(ctx)
    table = doc.add_table(rows=1, cols=len(LIST_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    hdr = table.rows[0]
    _repeat_header(hdr)
    for cell, (label, width) in zip(hdr.cells, LIST_COLUMNS, strict=True):
        cell.width = Cm(width)
        _set_cell(cell, label, bold=True, align="center")
    for label, rows in groups:
        if len(groups) > 1 or label != LIST_GROUPS[0][1]:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            _set_cell(merged, label, bold=True, italic=True)
        for r in rows:
            cells = table.add_row().cells
            for cell, (_l, width) in zip(cells, LIST_COLUMNS, strict=True):
                cell.width = Cm(width)
            _set_cell(cells[0], str(r.number), align="center")
            _set_cell(cells[1], r.name)
            _set_cell(cells[2], r.category_label, align="center")
            _set_cell(cells[3], r.status_label)
            _set_cell(cells[4], "")
    for line in list_totals(ctx):
        _body(doc, line, indent=0, after=0).paragraph_format.space_before = _pt(4)
    _closing(doc, ctx, ctx.recipients_list)
    return _save(doc)


def _minutes_docx(ctx: DocumentContext) -> bytes:
    m = ctx.meeting
    doc = _docx()
    date = _meeting_date(ctx)
    _header(doc, ctx, date, "BB")
    _title(doc, "Biên bản", f"{ctx.kind_phrase[0].upper()}{ctx.kind_phrase[1:]}")
    _body(doc, minutes_opening(ctx))
    _body(doc, "I. THÀNH PHẦN", bold=True, indent=0)
    _body(doc, f"- Chủ trì: đồng chí {ctx.chair or '…………………'}.")
    _body(doc, f"- Thư ký: đồng chí {ctx.minute_taker or '…………………'}.")
    for line in attendance_sentences(ctx):
        _body(doc, f"- {line}")
    if ctx.observers:
        _body(
            doc,
            "- Đại biểu cấp trên dự: " + "; ".join(f"đồng chí {n}" for n in ctx.observers) + ".",
        )
    _body(doc, "II. NỘI DUNG", bold=True, indent=0)
    if ctx.agenda:
        _body(doc, "Chương trình sinh hoạt:", italic=True)
        for section in ctx.agenda:
            for item in section["items"]:
                _body(doc, f"- {item}", after=0, indent=1.5)
    _body(doc, "Diễn biến:", italic=True).paragraph_format.space_before = _pt(4)
    for chunk in _paragraphs(m.minutes) or ["…………………………………………"]:
        _body(doc, chunk)
    _body(doc, "III. NGHỊ QUYẾT, KẾT LUẬN", bold=True, indent=0)
    for chunk in _paragraphs(m.resolution) or ["…………………………………………"]:
        _body(doc, chunk)
    _body(doc, "Kết quả biểu quyết: " + vote_sentence(ctx))
    if passed_sentence(ctx):
        _body(doc, passed_sentence(ctx), bold=True)
    _body(doc, "IV. TỰ ĐÁNH GIÁ CHẤT LƯỢNG SINH HOẠT", bold=True, indent=0)
    _body(doc, f"Chi bộ tự đánh giá chất lượng buổi sinh hoạt: {quality_label(ctx)}.")
    _body(doc, end_sentence(ctx))
    table = _borderless_table(doc, [8.0, 8.5])
    _keep_with_signature(doc, table)
    left, right = table.rows[0].cells
    _fill(left, [("THƯ KÝ", {"bold": True, "before": 14}), ("", {"before": 54}),
                 (ctx.minute_taker, {"bold": True})])  # fmt: skip
    _fill(right, [("CHỦ TRÌ", {"bold": True, "before": 14}), ("", {"before": 54}),
                  (ctx.chair, {"bold": True})])  # fmt: skip
    return _save(doc)


def quality_label(ctx: DocumentContext) -> str:
    m = ctx.meeting
    return str(m.get_quality_display()).lower() if m.quality else "chưa đánh giá"


def minutes_opening(ctx: DocumentContext) -> str:
    m = ctx.meeting
    start = m.started_at or m.scheduled_at
    local = timezone.localtime(start)
    where = f", tại {m.location}" if m.location else ""
    return (
        f"Hôm nay, vào lúc {_time(start)}, {WEEKDAYS[local.weekday()]}, "
        f"{vn_long_date(local.date())}{where}, {_org_name(ctx)} tiến hành {ctx.kind_phrase}."
    )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\r?\n", text or "") if p.strip()]


# ---------------------------------------------------------------------------------------------
# PDF (HTML + WeasyPrint)
# ---------------------------------------------------------------------------------------------
def _pdf(template: str, ctx: DocumentContext, **extra) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {"doc": ctx, "m": ctx.meeting, **extra})
    return HTML(string=html).write_pdf()


def _notice_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(
        "meetings/documents/notice.html",
        ctx,
        date_line=ctx.date_line(_notice_date(ctx)),
        org_name=_org_name(ctx),
        number=f"Số       -TB/{ctx.issuer_short}",
    )


def _attendance_pdf(ctx: DocumentContext) -> bytes:
    date = _meeting_date(ctx)
    return _pdf(
        "meetings/documents/attendance.html",
        ctx,
        date_line=ctx.date_line(date),
        subtitle=f"{ctx.kind_phrase[0].upper()}{ctx.kind_phrase[1:]}, ngày {date:%d/%m/%Y}",
        groups=grouped_rows(ctx),
        totals=list_totals(ctx),
        number="",
    )


def _minutes_pdf(ctx: DocumentContext) -> bytes:
    m = ctx.meeting
    return _pdf(
        "meetings/documents/minutes.html",
        ctx,
        date_line=ctx.date_line(_meeting_date(ctx)),
        subtitle=f"{ctx.kind_phrase[0].upper()}{ctx.kind_phrase[1:]}",
        number=f"Số       -BB/{ctx.issuer_short}",
        opening=minutes_opening(ctx),
        attendance_lines=attendance_sentences(ctx),
        minutes_paragraphs=_paragraphs(m.minutes),
        resolution_paragraphs=_paragraphs(m.resolution),
        vote_line=vote_sentence(ctx),
        passed_line=passed_sentence(ctx),
        quality=quality_label(ctx),
        end_line=end_sentence(ctx),
    )


# ---------------------------------------------------------------------------------------------
# Public functions (the pages link them; see `DOCUMENTS`)
# ---------------------------------------------------------------------------------------------
notice_docx = _with_vi(_notice_docx)
attendance_docx = _with_vi(_attendance_docx)
minutes_docx = _with_vi(_minutes_docx)
notice_pdf = _with_vi(_notice_pdf)
attendance_pdf = _with_vi(_attendance_pdf)
minutes_pdf = _with_vi(_minutes_pdf)

notice_docx.__doc__ = "Thông báo sinh hoạt chi bộ (.docx)."
attendance_docx.__doc__ = "Danh sách đảng viên dự sinh hoạt, có cột ký tên (.docx)."
minutes_docx.__doc__ = "Biên bản sinh hoạt chi bộ (.docx)."

# kind -> (file name stem, docx builder, pdf builder)
DOCUMENTS = {
    "notice": ("thong-bao", notice_docx, notice_pdf),
    "attendance": ("danh-sach-du-sinh-hoat", attendance_docx, attendance_pdf),
    "minutes": ("bien-ban", minutes_docx, minutes_pdf),
}


def render(meeting: Meeting, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, MIME type, file name) of one document: kind in DOCUMENTS, fmt 'docx' or 'pdf'.

    For a download view: `content, mime, name = render(meeting, "minutes", "pdf")`.
    """
    if kind not in DOCUMENTS or fmt not in ("docx", "pdf"):
        raise KeyError(f"{kind}.{fmt}")
    stem, docx_fn, pdf_fn = DOCUMENTS[kind]
    content = docx_fn(meeting) if fmt == "docx" else pdf_fn(meeting)
    on = timezone.localdate(meeting.scheduled_at)
    name = f"{stem}-{meeting.organization.code}-{on:%Y-%m-%d}.{fmt}"
    return content, DOCX_MIME if fmt == "docx" else PDF_MIME, name
