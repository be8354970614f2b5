"""What a report says, computed once and written by every format (Word, PDF, Excel).

`collect(report)` asks the figures registry for the report's organisation and period with the
rights of the report's author (`compute_many(..., user=author)`): a section whose module the author
may not see is left out of the document, so a report never counts what its author may not see.
The organisation's name, its superior and its type are read as they were at the end of the period
(a report on a past period after a merge carries the names of then).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from dangvu.organizations.choices import CELL_TYPES

from . import figures as F
from .choices import NARRATIVE_SECTIONS, Half, ReportKind


class Ratio(float):
    """A share (0.6 = 60%): shown '60%' in Word/PDF, written as a number formatted 0.0% in Excel."""


def num(n) -> str:
    """'1.234' (Vietnamese thousands separator); a Ratio as '60%' or '33,3%'."""
    if n is None:
        return "—"
    if isinstance(n, Ratio):
        return num(round(100 * float(n), 1)) + "%"
    if isinstance(n, float):
        text = f"{n:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return text[:-2] if text.endswith(",0") else text
    return f"{n:,}".replace(",", ".")


def pct(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return num(round(100 * part / whole, 1)) + "%"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]  # first cell a label, the others numbers (int) or text
    total: list | None = None


@dataclass
class Section:
    code: str
    title: str
    sentences: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)


@dataclass
class ReportData:
    report: object
    kind: str
    org_name: str
    org_type: str
    superior: str
    issuer: str
    issuer_short: str
    on_behalf: str
    place: str
    date: dt.date  # the document's date
    title: str
    subtitle: str
    intro: str
    sections: list[Section]
    secretary: str
    recipients: list[str]
    figures: dict

    # the names `meetings.documents` header/closing helpers read
    def date_line(self, d: dt.date) -> str:
        from dangvu.meetings.documents import vn_long_date

        return f"{self.place}, {vn_long_date(d)}"

    @property
    def org_word(self) -> str:
        return "chi bộ" if self.org_type in CELL_TYPES else "đảng bộ"


MEMBER_KEYS = ["members.total", "members.by_status", "members.gains", "members.losses"]
STAT_KEYS = [
    "members.total",
    "members.by_status",
    "members.by_gender",
    "members.by_age_band",
    "members.by_ethnicity",
    "members.by_religion",
    "members.by_education",
    "members.by_political_theory",
    "members.gains",
    "members.losses",
]
ADMISSION_KEYS = [
    "admission.admitted",
    "admission.admitted_year",
    "admission.target",
    "admission.candidates_by_step",
]
COMMITTEE_KEYS = [
    "committees.vacancies",
    "committees.without_secretary",
    "committees.congresses_due",
]
MEETING_KEYS = ["meetings.held_by_kind", "meetings.average_attendance"]
SUPERVISION_KEYS = [
    "meetings.cells_visited",
    "meetings.visits",
    "meetings.findings_by_category",
    "meetings.findings_status",
]


def _secretary(org, on: dt.date) -> str:
    """The holder of the secretary role at the organisation on `on` (member name, else account
    name), or '' when none is recorded."""
    from dangvu.accounts.models import RoleAssignment
    from dangvu.members.models import Member

    users = (
        RoleAssignment.objects.filter(
            organization=org,
            role__in=["cell_secretary", "grassroots_secretary"],
            valid_from__lte=on,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("valid_from", "id")
        .values_list("user_id", flat=True)
    )
    member = Member.objects.filter(user_id__in=users).order_by("id").first()
    if member is not None:
        return member.full_name
    from dangvu.accounts.models import User

    account = User.objects.filter(pk__in=users).exclude(full_name="").order_by("id").first()
    return account.full_name if account else ""


def _titles(report) -> tuple[str, str]:
    if report.kind == ReportKind.STATISTICS:
        return (
            "Báo cáo thống kê",
            f"Số lượng, chất lượng đảng viên đến ngày {report.as_of:%d/%m/%Y}",
        )
    if report.kind == ReportKind.HALF_YEAR:
        half = "6 tháng đầu năm" if report.half == Half.FIRST else "6 tháng cuối năm"
        return "Báo cáo", f"Sơ kết công tác xây dựng Đảng {half} {report.year}"
    return "Báo cáo", f"Tổng kết công tác xây dựng Đảng năm {report.year}"


def _rows(breakdown) -> list[list]:
    return [[r.label, r.value] for r in breakdown.rows]


def _members_section(d: dict, report, word: str) -> Section | None:
    if "members.total" not in d:
        return None
    s = Section("members", "Công tác quản lý đảng viên")
    total = d["members.total"].value
    st = d["members.by_status"].as_dict()
    gains, losses = d["members.gains"], d["members.losses"]
    g, lo = gains.as_dict(), losses.as_dict()
    s.sentences.append(
        f"Tính đến ngày {report.as_of:%d/%m/%Y}, {word} có {num(total)} đảng viên "
        f"(chính thức: {num(st.get('official', 0))}; dự bị: {num(st.get('probationary', 0))}; "
        f"được miễn công tác và sinh hoạt: {num(st.get('exempt', 0))})."
    )
    s.sentences.append(
        f"Trong kỳ ({report.date_from:%d/%m/%Y} – {report.date_to:%d/%m/%Y}), đảng viên tăng "
        f"{num(gains.total)} (kết nạp mới: {num(g.get('admitted', 0))}; kết nạp lại: "
        f"{num(g.get('readmitted', 0))}; chuyển đến: {num(g.get('transfer_in', 0))}), giảm "
        f"{num(losses.total)} (chuyển đi: {num(lo.get('transfer_out', 0))}; xóa tên: "
        f"{num(lo.get('removed', 0))}; khai trừ: {num(lo.get('expelled', 0))}; từ trần: "
        f"{num(lo.get('died', 0))})."
    )
    s.tables.append(
        Table(
            "Số lượng đảng viên",
            ["Chỉ tiêu", "Số lượng"],
            _rows(d["members.by_status"]),
            ["Tổng số", total],
        )
    )
    rows = [[f"Tăng: {r.label.lower()}", r.value] for r in gains.rows]
    rows += [[f"Giảm: {r.label.lower()}", r.value] for r in losses.rows]
    s.tables.append(Table("Đảng viên tăng, giảm trong kỳ", ["Chỉ tiêu", "Số lượng"], rows))
    return s


def _admission_section(d: dict, report, word: str) -> Section | None:
    if "admission.admitted" not in d:
        return None
    s = Section("admission", "Công tác phát triển đảng viên")
    admitted = d["admission.admitted"].value
    year_n = d["admission.admitted_year"].value
    target = d["admission.target"].value
    steps = d["admission.candidates_by_step"]
    text = f"Trong kỳ, {word} kết nạp {num(admitted)} đảng viên mới"
    if target:
        text += (
            f"; từ đầu năm {report.date_to.year} đến ngày {report.date_to:%d/%m/%Y} kết nạp "
            f"{num(year_n)}/{num(target)} đảng viên theo chỉ tiêu năm, đạt {pct(year_n, target)}."
        )
    else:
        text += f"; năm {report.date_to.year} chưa giao chỉ tiêu kết nạp."
    s.sentences.append(text)
    s.sentences.append(
        f"Đến ngày {report.as_of:%d/%m/%Y} có {num(steps.total)} quần chúng ưu tú đang được bồi "
        f"dưỡng, xem xét kết nạp hoặc đang trong thời gian dự bị."
    )
    s.tables.append(
        Table(
            "Kết quả kết nạp đảng viên",
            ["Chỉ tiêu", "Số lượng"],
            [
                ["Kết nạp trong kỳ", admitted],
                [f"Kết nạp từ đầu năm {report.date_to.year}", year_n],
                [f"Chỉ tiêu năm {report.date_to.year}", target],
            ],
        )
    )
    s.tables.append(
        Table(
            "Quần chúng ưu tú theo bước đã qua",
            ["Bước đã qua", "Số người"],
            [r for r in _rows(steps) if r[1]],
            ["Tổng số", steps.total],
        )
    )
    return s


def _committees_section(d: dict, report, word: str) -> Section | None:
    if "committees.vacancies" not in d:
        return None
    s = Section("committees", "Củng cố tổ chức cơ sở đảng, cấp ủy")
    vac = d["committees.vacancies"].as_dict()
    without = d["committees.without_secretary"].value
    due = d["committees.congresses_due"].value
    s.sentences.append(
        f"Đến ngày {report.as_of:%d/%m/%Y}, có {num(vac.get('committees', 0))} cấp ủy còn thiếu "
        f"so với số lượng được chuẩn y ({num(vac.get('seats', 0))} chức danh còn trống); "
        f"{num(without)} tổ chức chưa có bí thư; {num(due)} tổ chức đến hạn đại hội trong "
        f"6 tháng tới (kể cả quá hạn)."
    )
    s.tables.append(
        Table(
            "Tổ chức, cấp ủy",
            ["Chỉ tiêu", "Số lượng"],
            [
                ["Cấp ủy còn thiếu", vac.get("committees", 0)],
                ["Chức danh còn trống", vac.get("seats", 0)],
                ["Tổ chức chưa có bí thư", without],
                ["Tổ chức đến hạn đại hội trong 6 tháng tới", due],
            ],
        )
    )
    return s


def _meetings_section(d: dict, report, word: str) -> Section | None:
    has_meetings = "meetings.held_by_kind" in d
    has_supervision = "meetings.cells_visited" in d
    if not (has_meetings or has_supervision):
        return None
    s = Section("meetings", "Sinh hoạt chi bộ, kiểm tra, giám sát")
    if has_meetings:
        held = d["meetings.held_by_kind"]
        att = d["meetings.average_attendance"].value
        parts = "; ".join(f"{r.label.lower()}: {num(r.value)}" for r in held.rows if r.value)
        s.sentences.append(
            f"Trong kỳ, {'chi bộ' if word == 'chi bộ' else 'các chi bộ'} tổ chức "
            f"{num(held.total)} buổi sinh hoạt"
            + (f" ({parts})" if parts else "")
            + f"; tỷ lệ đảng viên dự sinh hoạt bình quân {num(att) + '%' if att is not None else 'chưa có số liệu'}."
        )
        s.tables.append(
            Table(
                "Sinh hoạt chi bộ đã tổ chức",
                ["Loại sinh hoạt", "Số buổi"],
                _rows(held),
                ["Tổng số", held.total],
            )
        )
    if has_supervision:
        visited = d["meetings.cells_visited"].value
        visits = d["meetings.visits"].value
        fs = d["meetings.findings_status"].as_dict()
        cats = d["meetings.findings_by_category"]
        s.sentences.append(
            f"Cấp ủy cấp trên dự sinh hoạt {num(visits)} lượt tại {num(visited)} chi bộ; phát "
            f"hiện {num(cats.total)} thiếu sót (đã khắc phục: {num(fs.get('corrected', 0))}; "
            f"chưa khắc phục: {num(fs.get('open', 0))}, trong đó quá hạn: "
            f"{num(fs.get('overdue', 0))})."
        )
        rows = [["Số chi bộ được dự sinh hoạt", visited], ["Lượt dự sinh hoạt", visits]]
        rows += [[f"Thiếu sót: {r.label.lower()}", r.value] for r in cats.rows]
        s.tables.append(Table("Dự sinh hoạt, giám sát", ["Chỉ tiêu", "Số lượng"], rows))
    return s


def _paragraphs(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"\r?\n", text or "") if p.strip()]


def _stat_tables(d: dict) -> list[Table]:
    tables = []
    titles = [
        ("members.by_status", "Theo tình trạng đảng viên"),
        ("members.by_gender", "Theo giới tính"),
        ("members.by_age_band", "Theo độ tuổi"),
        ("members.by_ethnicity", "Theo dân tộc"),
        ("members.by_religion", "Theo tôn giáo"),
        ("members.by_education", "Theo trình độ giáo dục phổ thông"),
        ("members.by_political_theory", "Theo trình độ lý luận chính trị"),
    ]
    total = d["members.total"].value
    for key, title in titles:
        b = d[key]
        rows = [[r.label, r.value, Ratio(r.value / total) if total else None] for r in b.rows]
        tables.append(Table(title, ["Chỉ tiêu", "Số lượng", "Tỷ lệ"], rows, ["Cộng", b.total, ""]))
    for key, title in (("members.gains", "Đảng viên tăng"), ("members.losses", "Đảng viên giảm")):
        b = d[key]
        tables.append(Table(title, ["Lý do", "Số lượng"], _rows(b), ["Cộng", b.total]))
    return tables


def collect(report, progress: Callable[[int], None] | None = None) -> ReportData:
    """Everything the report's documents say (figures computed with the author's rights)."""
    from dangvu.meetings.documents import _issuer, _names_as_of, _place

    progress = progress or (lambda p: None)
    org = report.organization
    author = report.created_by
    name, parent_name, org_type = _names_as_of(org, report.as_of)
    issuer, short, on_behalf = _issuer(name, org_type)
    word = "chi bộ" if org_type in CELL_TYPES else "đảng bộ"
    ctx = F.Context(org, report.date_from, report.date_to, report.as_of)
    d: dict = {}
    narratives = report.narratives
    if report.kind == ReportKind.STATISTICS:
        d.update(F.compute_many(STAT_KEYS, ctx, user=author))
        progress(70)
        sections = []
        if "members.total" in d:
            s = Section("statistics", "Số lượng, chất lượng đảng viên")
            s.sentences.append(
                f"Tính đến ngày {report.as_of:%d/%m/%Y}, {word} có "
                f"{num(d['members.total'].value)} đảng viên. Đảng viên tăng, giảm từ ngày "
                f"{report.date_from:%d/%m/%Y} đến ngày {report.date_to:%d/%m/%Y}."
            )
            s.tables = _stat_tables(d)
            sections.append(s)
        intro = ""
    else:
        d.update(F.compute_many(MEMBER_KEYS, ctx, user=author))
        progress(30)
        d.update(F.compute_many(COMMITTEE_KEYS, ctx, user=author))
        progress(40)
        d.update(F.compute_many(ADMISSION_KEYS, ctx, user=author))
        progress(55)
        d.update(F.compute_many(MEETING_KEYS + SUPERVISION_KEYS, ctx, user=author))
        progress(75)
        built = {
            "members": _members_section(d, report, word),
            "committees": _committees_section(d, report, word),
            "admission": _admission_section(d, report, word),
            "meetings": _meetings_section(d, report, word),
        }
        sections = []
        for code, heading in NARRATIVE_SECTIONS:
            s = built.get(code)
            text = narratives.get(code, "")
            if s is None:
                if code in built:  # a module the author may not see: left out entirely
                    continue
                s = Section(code, str(heading))
            s.narrative = _paragraphs(text)
            sections.append(s)
        intro = (
            f"Thực hiện chương trình công tác, {name} báo cáo kết quả công tác xây dựng Đảng "
            f"từ ngày {report.date_from:%d/%m/%Y} đến ngày {report.date_to:%d/%m/%Y} như sau:"
        )
    title, subtitle = _titles(report)
    upper = parent_name or ""
    if upper.lower().startswith("đảng bộ"):
        upper = "Đảng ủy" + upper[len("Đảng bộ") :]
    recipients = [f"{upper} (để báo cáo)"] if upper else []
    if org_type in CELL_TYPES:
        recipients.append("Lưu chi bộ")
    else:
        recipients += ["Các chi bộ, đảng bộ trực thuộc", "Lưu văn phòng đảng ủy"]
    created = timezone.localdate(report.created_at) if report.created_at else timezone.localdate()
    return ReportData(
        report=report,
        kind=report.kind,
        org_name=name,
        org_type=org_type,
        superior=parent_name.upper() if parent_name else "",
        issuer=issuer,
        issuer_short=short,
        on_behalf=on_behalf,
        place=_place(org),
        date=created,
        title=title,
        subtitle=subtitle,
        intro=intro,
        sections=sections,
        secretary=_secretary(org, report.as_of),
        recipients=recipients,
        figures=d,
    )
