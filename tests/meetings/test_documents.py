"""Notice, attendance list and minutes as Word and PDF, opened back and checked for content."""

import datetime as dt
import io
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from dangvu.meetings import documents
from dangvu.meetings.models import Assignment, Attendance, Meeting, MeetingDocument, ObserverVisit

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NAMES = [
    "Lê Văn Chủ Trì",
    "Phạm Thị Thư Ký",
    "Hoàng Văn Có Mặt",
    "Vũ Thị Vắng Phép",
    "Đỗ Văn Vắng Hẳn",
    "Bùi Thị Dự Bị",
    "Ngô Văn Miễn",
    "Trịnh Văn Tạm Thời",
]


@pytest.fixture
def meeting(tree, users, make_member):
    """A held regular meeting of C11: 5 official (4 present… see below), 1 probationary,
    1 exempt, 1 temporary; votes 4/0/1 of 5 official members."""
    c11 = tree["C11"]
    m = {n: make_member(c11, full_name=n) for n in NAMES}
    start = dt.datetime(2026, 10, 20, 14, 0, tzinfo=TZ)
    meeting = Meeting.objects.create(
        organization=c11,
        kind="regular",
        status="held",
        scheduled_at=start,
        location="Phòng họp tầng 3, Sở Tài chính",
        started_at=start,
        ended_at=start + dt.timedelta(minutes=125),
        notice_sent_at=start - dt.timedelta(days=5),
        agenda=[
            {"section": "opening", "title": "Thu đảng phí"},
            {"section": "opening", "title": "Báo cáo số đảng viên có mặt"},
            {"section": "body", "title": "Đánh giá kết quả thực hiện nhiệm vụ tháng 10"},
            {"section": "closing", "title": "Thông qua biên bản"},
        ],
        chair=m["Lê Văn Chủ Trì"],
        minute_taker=m["Phạm Thị Thư Ký"],
        minutes="Đồng chí Bí thư quán triệt chỉ thị của cấp trên.\n\nChi bộ thảo luận sôi nổi.",
        resolution="Hoàn thành kế hoạch quý IV trước ngày 15/12/2026.",
        votes_for=4,
        votes_against=0,
        votes_abstain=1,
        resolution_passed=True,
        quality="good",
        minutes_approved=True,
    )
    rows = [
        ("Lê Văn Chủ Trì", "official", "present", ""),
        ("Phạm Thị Thư Ký", "official", "present", ""),
        ("Hoàng Văn Có Mặt", "official", "present", ""),
        ("Vũ Thị Vắng Phép", "official", "absent_excused", "Đi công tác"),
        ("Đỗ Văn Vắng Hẳn", "official", "absent_unexcused", ""),
        ("Bùi Thị Dự Bị", "probationary", "present", ""),
        ("Ngô Văn Miễn", "exempt", "unknown", ""),
        ("Trịnh Văn Tạm Thời", "temporary", "present", ""),
    ]
    for name, category, status, reason in rows:
        Attendance.objects.create(
            meeting=meeting, member=m[name], category=category, status=status, reason=reason
        )
    MeetingDocument.objects.create(
        meeting=meeting,
        kind="draft_resolution",
        title="Dự thảo nghị quyết tháng 10",
        file="meetings/documents/x.pdf",
        posted_at=start - dt.timedelta(days=3),
    )
    users["btv"].full_name = "Trần Đình Phúc"
    users["btv"].save()
    Assignment.objects.create(
        user=users["btv"], organization=tree["GC1"], valid_from=dt.date(2026, 1, 1)
    )
    ObserverVisit.objects.create(meeting=meeting, observer=users["btv"], assessment="good")
    return meeting


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return out.stdout


needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")

COMMON = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG BỘ SỞ TÀI CHÍNH",
    "CHI BỘ VĂN PHÒNG",
    "T/M CHI BỘ",
    "BÍ THƯ",
]


def test_notice_docx(meeting):
    text = docx_text(documents.notice_docx(meeting))
    for s in COMMON:
        assert s in text, s
    assert "THÔNG BÁO" in text
    assert "Số       -TB/CB" in text
    assert "ngày 15 tháng 10 năm 2026" in text  # the day the notice was sent
    assert "14 giờ 00, thứ Ba, ngày 20/10/2026" in text
    assert "Phòng họp tầng 3, Sở Tài chính" in text
    assert "Đánh giá kết quả thực hiện nhiệm vụ tháng 10" in text
    assert "Thu đảng phí" not in text  # the notice announces the body, not the routine steps
    assert "Dự thảo nghị quyết tháng 10" in text
    assert "kính mời đồng chí Trần Đình Phúc" in text
    assert "Nơi nhận:" in text and "- Lưu chi bộ." in text
    assert "Đảng ủy Sở Tài chính (để báo cáo)" in text
    assert "Lê Văn Chủ Trì" in text  # no secretary account: the chair signs


def test_notice_docx_layout(meeting):
    doc = Document(io.BytesIO(documents.notice_docx(meeting)))
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 3.0 and round(section.top_margin.cm, 1) == 2.0
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14
    header = doc.tables[0].rows[0].cells
    party = next(r for p in header[1].paragraphs for r in p.runs if r.text)
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.bold and party.underline
    date_run = next(r for r in header[1].paragraphs[-1].runs if r.text)
    assert date_run.italic and "ngày" in date_run.text
    issuer = next(r for r in header[0].paragraphs[1].runs)
    assert issuer.text == "CHI BỘ VĂN PHÒNG" and issuer.bold
    assert header[0].paragraphs[2].text == "*"


def test_secretary_account_signs(meeting, make_user, tree):
    secretary = Meeting.objects.get(pk=meeting.pk).minute_taker
    make_user("bt-c11", "cell_secretary", tree["C11"], member=secretary)
    text = docx_text(documents.notice_docx(meeting))
    block = text.split("BÍ THƯ", 1)[1]
    assert "Phạm Thị Thư Ký" in block


def test_secretary_account_without_member_record_signs(meeting, make_user, tree):
    make_user("bt-c11", "cell_secretary", tree["C11"], full_name="Đặng Thị Hương")
    text = docx_text(documents.attendance_docx(meeting))
    assert "Đặng Thị Hương" in text.split("BÍ THƯ", 1)[1]


def test_attendance_docx(meeting):
    data = documents.attendance_docx(meeting)
    text = docx_text(data)
    for s in COMMON:
        assert s in text, s
    assert "DANH SÁCH ĐẢNG VIÊN DỰ SINH HOẠT" in text
    for name in NAMES:
        assert name in text, name
    doc = Document(io.BytesIO(data))
    table = doc.tables[1]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["STT", "Họ và tên", "Diện", "Có mặt / Vắng (lý do)", "Ký tên"]
    body = {
        r.cells[1].text: (r.cells[0].text, r.cells[2].text, r.cells[3].text, r.cells[4].text)
        for r in table.rows[1:]
        if r.cells[0].text.isdigit()
    }
    assert len(body) == 8
    assert body["Vũ Thị Vắng Phép"][2] == "Vắng có lý do (Đi công tác)"
    assert body["Đỗ Văn Vắng Hẳn"][2] == "Vắng không lý do"
    assert body["Hoàng Văn Có Mặt"][1:] == ("Chính thức", "Có mặt", "")
    assert body["Bùi Thị Dự Bị"][1] == "Dự bị"
    assert body["Ngô Văn Miễn"][1:3] == ("Miễn sinh hoạt", "Miễn sinh hoạt")
    assert body["Trịnh Văn Tạm Thời"][1] == "Sinh hoạt tạm thời"
    # exempt and temporary members are listed apart, after the cell's own members
    order = [r.cells[1].text for r in table.rows[1:]]
    assert order.index("Trịnh Văn Tạm Thời") > order.index("Bùi Thị Dự Bị")
    assert order.index("Ngô Văn Miễn") > order.index("Trịnh Văn Tạm Thời")
    assert "Đảng viên được miễn công tác và sinh hoạt" in order
    assert sorted(int(b[0]) for b in body.values()) == list(range(1, 9))
    assert "Tổng số: 8 đồng chí (chính thức: 5; dự bị: 1; sinh hoạt tạm thời: 1; " in text
    assert "Có mặt: 5; vắng có lý do: 1; vắng không lý do: 1." in text


def test_minutes_docx(meeting):
    text = docx_text(documents.minutes_docx(meeting))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CHI BỘ VĂN PHÒNG" in text
    assert "BIÊN BẢN" in text and "Số       -BB/CB" in text
    assert "Chủ trì: đồng chí Lê Văn Chủ Trì" in text
    assert "Thư ký: đồng chí Phạm Thị Thư Ký" in text
    assert "Tổng số đảng viên trong danh sách: 8 (chính thức: 5; dự bị: 1;" in text
    assert "Có mặt: 4/6 đảng viên phải dự (66,7%); đảng viên sinh hoạt tạm thời có mặt: 1." in text
    assert "Vắng có lý do: 1 (đồng chí Vũ Thị Vắng Phép)" in text
    assert "Vắng không lý do: 1 (đồng chí Đỗ Văn Vắng Hẳn)" in text
    assert "Miễn sinh hoạt: 1." in text
    assert "Đại biểu cấp trên dự: đồng chí Trần Đình Phúc" in text
    assert "Chi bộ thảo luận sôi nổi." in text
    assert "Hoàn thành kế hoạch quý IV" in text
    assert "Tán thành: 4 (80%); không tán thành: 0 (0%); không biểu quyết: 1 (20%)" in text
    assert "Nghị quyết được thông qua" in text
    assert "chất lượng buổi sinh hoạt: tốt" in text
    assert "kết thúc vào lúc 16 giờ 05 cùng ngày (thời lượng 125 phút)" in text
    assert "THƯ KÝ" in text and "CHỦ TRÌ" in text
    assert "ngày 20 tháng 10 năm 2026" in text


def test_minutes_without_votes_and_pass_computed_from_the_rule(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(resolution_passed=None, votes_for=2)
    text = docx_text(documents.minutes_docx(meeting))
    assert "Tán thành: 2 (40%)" in text
    assert "Nghị quyết không được thông qua." in text
    Meeting.objects.filter(pk=meeting.pk).update(
        votes_for=None, votes_against=None, votes_abstain=None
    )
    text = docx_text(documents.minutes_docx(meeting))
    assert "Không có nội dung biểu quyết." in text


def test_documents_stay_vietnamese_under_english(meeting, settings):
    from django.utils import translation

    with translation.override("en"):
        text = docx_text(documents.attendance_docx(meeting))
    assert "Chính thức" in text and "Official" not in text


def test_committee_meeting_is_issued_by_the_committee(tree):
    meeting = Meeting.objects.create(
        organization=tree["GC1"],
        kind="all_member",
        scheduled_at=dt.datetime(2026, 7, 2, 8, 0, tzinfo=TZ),
    )
    text = docx_text(documents.notice_docx(meeting))
    assert "ĐẢNG ỦY SỞ TÀI CHÍNH" in text and "T/M ĐẢNG ỦY" in text
    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH" in text
    assert "Số       -TB/ĐU" in text


def test_names_as_of_the_meeting_date(tree, meeting):
    from dangvu.organizations.services import organization_rename

    organization_rename(
        actor=None,
        organization=tree["C11"],
        name="Chi bộ Văn phòng Sở",
        date=dt.date(2026, 11, 1),
        decision_number="9-QĐ/ĐU",
        decision_date=dt.date(2026, 11, 1),
    )
    assert "CHI BỘ VĂN PHÒNG\n" in docx_text(documents.minutes_docx(meeting)) + "\n"
    assert "CHI BỘ VĂN PHÒNG SỞ" not in docx_text(documents.minutes_docx(meeting))


def test_render_gives_name_and_type(meeting):
    content, mime, name = documents.render(meeting, "minutes", "docx")
    assert content[:2] == b"PK" and mime.endswith("document")
    assert name == "bien-ban-C11-2026-10-20.docx"
    with pytest.raises(KeyError):
        documents.render(meeting, "minutes", "odt")


@needs_pdftotext
def test_pdfs(meeting, tmp_path):
    notice = pdf_text(documents.notice_pdf(meeting), tmp_path)
    listing = pdf_text(documents.attendance_pdf(meeting), tmp_path)
    minutes = pdf_text(documents.minutes_pdf(meeting), tmp_path)
    for text in (notice, listing):
        for s in COMMON:
            assert s in text, s
    assert "THÔNG BÁO" in notice and "Số -TB/CB" in " ".join(notice.split())
    assert "kính mời đồng chí Trần Đình Phúc" in " ".join(notice.split())
    assert "DANH SÁCH ĐẢNG VIÊN DỰ SINH HOẠT" in listing
    for name in NAMES:
        assert name in listing, name
    flat = " ".join(listing.split())
    assert "Vắng có lý do" in flat and "công tác)" in flat  # the cell wraps
    assert "Có mặt: 5; vắng có lý do: 1; vắng không lý do: 1." in flat
    flat = " ".join(minutes.split())
    assert "BIÊN BẢN" in flat and "ĐẢNG CỘNG SẢN VIỆT NAM" in flat
    assert "Có mặt: 4/6 đảng viên phải dự (66,7%); đảng viên sinh hoạt tạm thời có mặt: 1." in flat
    assert "Tán thành: 4 (80%); không tán thành: 0 (0%); không biểu quyết: 1 (20%)" in flat
    assert "Nghị quyết được thông qua" in flat
    assert "THƯ KÝ" in flat and "CHỦ TRÌ" in flat


@needs_pdftotext
def test_pdf_is_a4_with_the_serif_font(meeting, tmp_path):
    path = tmp_path / "m.pdf"
    path.write_bytes(documents.minutes_pdf(meeting))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    names = fonts.replace("-", "").replace(" ", "")
    assert "LiberationSerif" in names or "TimesNewRoman" in names
    if _serif_covers_vietnamese():
        # every glyph from the one serif family: no fallback font for the Vietnamese letters
        assert "DejaVu" not in fonts


def _serif_covers_vietnamese() -> bool:
    """Liberation Serif 2 (fonts-liberation2) has the Vietnamese letters; version 1 has not."""
    out = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True).stdout
    return "Liberation Serif" in out or "Times New Roman" in out


def test_counts_agree_with_the_services(meeting):
    from dangvu.meetings import services

    ctx = documents.document_context(meeting)
    assert ctx.counts.present / ctx.counts.expected == pytest.approx(
        services.attendance_rate(meeting)
    )
    assert ctx.votes.official == services.vote_result(meeting).official_on_roster == 5
    # an exempt member who comes is counted among the official members who may vote
    Attendance.objects.filter(meeting=meeting, category="exempt").update(status="present")
    ctx = documents.document_context(meeting)
    assert ctx.votes.official == 6
    assert ctx.counts.present / ctx.counts.expected == pytest.approx(
        services.attendance_rate(meeting)
    )


def test_signature_block_keeps_with_the_text(meeting):
    doc = Document(io.BytesIO(documents.notice_docx(meeting)))
    assert doc.paragraphs[-1].paragraph_format.keep_with_next
    sign = doc.tables[-1]
    assert "cantSplit" in sign.rows[0]._tr.xml


def test_documents_of_a_planned_meeting_have_blanks_to_fill(tree, make_member):
    """Before the meeting: the list prints with empty status and signature columns, the minutes
    with dotted blanks."""
    member = make_member(tree["C12"], full_name="Hồ Văn Sắp Họp")
    m = Meeting.objects.create(
        organization=tree["C12"], kind="thematic", title="Chuyển đổi số",
        scheduled_at=dt.datetime(2026, 12, 4, 8, 0, tzinfo=TZ),
    )  # fmt: skip
    Attendance.objects.create(meeting=m, member=member, category="official")
    doc = Document(io.BytesIO(documents.attendance_docx(m)))
    row = [c.text for c in doc.tables[1].rows[1].cells]
    assert row == ["1", "Hồ Văn Sắp Họp", "Chính thức", "", ""]
    text = docx_text(documents.minutes_docx(m))
    assert "sinh hoạt chuyên đề “Chuyển đổi số”" in text
    assert "Chủ trì: đồng chí …………………" in text
    assert "kết thúc vào lúc ….. giờ ….. cùng ngày" in text
    assert "Không có nội dung biểu quyết." in text
    assert documents.minutes_pdf(m)[:5] == b"%PDF-"
