"""Generated documents opened back: the Word report's header, title, sentences, tables,
narrative, signature and recipients; the statistics workbook's real numbers (no formulas); the PDF's
text. Includes a past-period report after a merge and a transfer (the world of test_figures), a
report that leaves out what its author may not see, and a failed job."""

import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError

from dangvu.reports.models import GeneratedReport
from tests.reports.test_figures import world  # noqa: F401 - the hand-counted world

pytestmark = pytest.mark.django_db
D = dt.date


def docx_text(report) -> tuple[str, list[list[str]]]:
    import docx

    doc = docx.Document(io.BytesIO(report.file.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = []
    for t in doc.tables:
        for row in t.rows:
            cells.append([c.text for c in row.cells])
    return text, cells


def pdf_text(report) -> str:
    data = report.file.read()
    assert data[:5] == b"%PDF-"
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return out.stdout.decode()


def test_half_year_word_report_after_a_merge_and_a_transfer(world, tree, users, generate):  # noqa: F811
    r = generate(
        actor=users["tochuc"], organization=tree["GC1"], kind="half_year", format="docx",
        year=2025, half=2,
        narratives={"situation": "Đảng bộ đoàn kết.\nHoàn thành nhiệm vụ.", "tasks": "Tiếp tục."},
    )  # fmt: skip
    assert r.status == "done" and r.progress == 100, r.error
    assert r.file_name == "bao-cao-so-ket-6-thang-2-2025-GC1.docx"
    text, cells = docx_text(r)
    header = " ".join(" ".join(row) for row in cells[:1])
    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH" in header and "ĐẢNG ỦY SỞ TÀI CHÍNH" in header
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "Số       -BC/ĐU" in header
    assert "BÁO CÁO" in text
    assert "Sơ kết công tác xây dựng Đảng 6 tháng cuối năm 2025" in text
    # 31/12/2025: C11 4 + C12 2 (merged in) + 1 transferred from C21 = 7; the member account
    # of the `users` fixture is in C11 too: 8 (1 probationary, admitted 2024)
    assert "Tính đến ngày 31/12/2025, đảng bộ có 8 đảng viên (chính thức: 7; dự bị: 1;" in text
    # the transfer (01/03) and the merge (01/06) fall in H1: nothing gained or lost in H2
    assert "đảng viên tăng 0" in text and "giảm 0" in text
    assert ["Tổng số", "8"] in cells
    assert "I. TÌNH HÌNH CHUNG" in text and "Đảng bộ đoàn kết." in text
    assert "Hoàn thành nhiệm vụ." in text and "Tiếp tục." in text
    assert "III. CỦNG CỐ TỔ CHỨC CƠ SỞ ĐẢNG, CẤP ỦY" in text
    assert "0 cấp ủy còn thiếu" in text and "tổ chức chưa có bí thư" in text
    assert "IV. CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN" in text
    closing = " ".join(" ".join(row) for row in cells[-1:])
    assert "Nơi nhận:" in closing and "T/M ĐẢNG ỦY" in closing and "BÍ THƯ" in closing
    assert "Đảng ủy Khối các cơ quan tỉnh (để báo cáo)" in closing

    h1 = generate(actor=users["tochuc"], organization=tree["GC1"], kind="half_year",
                  format="docx", year=2025, half=1)  # fmt: skip
    text, _cells = docx_text(h1)
    assert "đảng viên tăng 1 (kết nạp mới: 0; kết nạp lại: 0; chuyển đến: 1)" in text


def test_past_report_on_an_organisation_merged_away(world, tree, users, generate):  # noqa: F811
    """C12 was merged into C11 on 01/06/2025: its 2024 annual report still finds its members and
    carries its name of then."""
    r = generate(actor=users["tochuc"], organization=tree["C12"], kind="annual", format="pdf",
                 year=2024)  # fmt: skip
    text = pdf_text(r)
    assert "CHI BỘ THANH TRA" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Tổng kết công tác xây dựng Đảng năm 2024" in text
    assert "Tính đến ngày 31/12/2024, chi bộ có 2 đảng viên" in text
    assert "T/M CHI BỘ" in text and "Nơi nhận:" in text


def test_statistics_workbook_real_numbers_no_formulas(world, tree, users, generate):  # noqa: F811
    from openpyxl import load_workbook

    r = generate(actor=users["btv"], organization=tree["GC1"], kind="statistics", format="xlsx",
                 as_of=D(2024, 12, 31))  # fmt: skip
    assert r.status == "done" and r.file_name.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(r.file.read())).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert not any(isinstance(v, str) and v.startswith("=") for row in rows for v in row)
    labels = {row[0]: row[1:] for row in rows if row and isinstance(row[0], str)}
    # 31/12/2024: C11 4 + member account 1 + C12 2 = 7, one woman, one probationary
    assert labels["Chính thức"][0] == 6 and labels["Dự bị"][0] == 1
    assert labels["Nam"][0] == 6 and labels["Nữ"][0] == 1
    assert labels["Dưới 30 tuổi"][0] == 1
    assert labels["Kết nạp"][0] == 1  # the probationary member admitted 10/01/2024
    assert isinstance(labels["Nam"][0], int)
    assert labels["Nam"][1] == pytest.approx(6 / 7, abs=1e-4)  # a share, formatted 0.0%
    cell = next(c for row in ws.iter_rows() for c in row if c.value == labels["Nam"][1])
    assert cell.number_format == "0.0%"
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in labels and "BÁO CÁO THỐNG KÊ" in labels


def test_statistics_pdf(world, tree, users, generate):  # noqa: F811
    r = generate(actor=users["btv"], organization=tree["GC1"], kind="statistics", format="pdf",
                 as_of=D(2024, 12, 31))  # fmt: skip
    text = pdf_text(r)
    assert "BÁO CÁO THỐNG KÊ" in text and "Theo giới tính" in text
    assert "85,7%" in text  # 6 men of 7, Vietnamese decimal comma
    assert "Số lượng, chất lượng đảng viên đến ngày 31/12/2024" in text


def test_a_report_leaves_out_what_its_author_may_not_see(world, tree, users, generate):  # noqa: F811
    # the propaganda department sees meetings but not supervision (observer visits, findings)
    r = generate(actor=users["tuyengiao"], organization=tree["GC1"], kind="annual",
                 format="docx", year=2025)  # fmt: skip
    text, _ = docx_text(r)
    assert "các chi bộ tổ chức 0 buổi sinh hoạt" in text
    assert "dự sinh hoạt" not in text.replace("dự sinh hoạt bình quân", "")
    full, _ = docx_text(generate(actor=users["btv"], organization=tree["GC1"], kind="annual",
                                 format="docx", year=2025))  # fmt: skip
    assert "Cấp ủy cấp trên dự sinh hoạt 0 lượt tại 0 chi bộ" in full


def test_a_cell_secretary_may_not_report_on_its_committee(tree, users):
    with pytest.raises(ValidationError) as exc:
        from dangvu.reports.services import report_request

        report_request(actor=users["chibo"], organization=tree["GC1"], kind="annual",
                       format="docx", year=2025)  # fmt: skip
    assert "phạm vi" in exc.value.message_dict["organization"][0]
    assert GeneratedReport.objects.count() == 0


def test_a_running_year_counts_up_to_today(tree, users, generate):
    from django.utils import timezone

    today = timezone.localdate()
    r = generate(actor=users["tochuc"], organization=tree["GC1"], kind="annual", format="docx",
                 year=today.year)  # fmt: skip
    assert r.date_to == today and r.as_of == today
    assert r.parameters["period_end"] == f"{today.year}-12-31"


def test_a_failed_job_says_so_and_keeps_no_file(tree, users, generate, monkeypatch):
    from dangvu.reports import documents

    def broken(data, fmt):
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents, "render", broken)
    r = generate(actor=users["tochuc"], organization=tree["GC1"], kind="annual", format="docx",
                 year=2025)  # fmt: skip
    assert r.status == "failed" and "Lỗi hệ thống" in r.error and not r.file


def test_a_job_runs_once(tree, users, generate):
    from dangvu.reports.tasks import execute_report

    r = generate(actor=users["tochuc"], organization=tree["GC1"], kind="annual", format="pdf",
                 year=2025)  # fmt: skip
    assert execute_report(r.pk) == "skipped"
