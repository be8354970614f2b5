from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    HALF_YEAR = "half_year", _("Báo cáo sơ kết 6 tháng")
    ANNUAL = "annual", _("Báo cáo tổng kết năm")
    STATISTICS = "statistics", _("Thống kê đảng viên tại một ngày")


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("Word (.docx)")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel (.xlsx)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class Half(models.IntegerChoices):
    FIRST = 1, _("6 tháng đầu năm")
    SECOND = 2, _("6 tháng cuối năm")


# The formats each kind is written in (a narrative report is a Word/PDF document, statistics
# are tables: Excel/PDF).
FORMATS_BY_KIND = {
    ReportKind.HALF_YEAR: (ReportFormat.DOCX, ReportFormat.PDF),
    ReportKind.ANNUAL: (ReportFormat.DOCX, ReportFormat.PDF),
    ReportKind.STATISTICS: (ReportFormat.XLSX, ReportFormat.PDF),
}

# The narrative sections of a half-year / annual report (the generation form takes optional text
# for each): code -> heading.
NARRATIVE_SECTIONS = [
    ("situation", _("Tình hình chung")),
    ("members", _("Công tác quản lý đảng viên")),
    ("committees", _("Củng cố tổ chức cơ sở đảng, cấp ủy")),
    ("admission", _("Công tác phát triển đảng viên")),
    ("meetings", _("Sinh hoạt chi bộ, kiểm tra, giám sát")),
    ("tasks", _("Phương hướng, nhiệm vụ kỳ tới")),
]

MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
