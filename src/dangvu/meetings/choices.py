from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Sinh hoạt thường kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
    COMBINED = "combined", _("Thường kỳ kết hợp chuyên đề")
    EXTRAORDINARY = "extraordinary", _("Sinh hoạt bất thường")
    ALL_MEMBER = "all_member", _("Hội nghị đảng viên toàn đảng bộ")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    NOTIFIED = "notified", _("Đã thông báo")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Hủy")


class RosterCategory(models.TextChoices):
    OFFICIAL = "official", pgettext_lazy("roster", "Chính thức")
    PROBATIONARY = "probationary", pgettext_lazy("roster", "Dự bị")
    EXEMPT = "exempt", _("Miễn sinh hoạt")
    TEMPORARY = "temporary", _("Sinh hoạt tạm thời")


class AttendanceStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Chưa điểm danh")
    PRESENT = "present", _("Có mặt")
    ABSENT_EXCUSED = "absent_excused", _("Vắng có lý do")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Vắng không lý do")


class CheckinMethod(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư điểm danh")
    QR = "qr", _("Tự điểm danh (mã QR / mã ngắn)")


class Quality(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Kém")


class DocumentKind(models.TextChoices):
    NOTICE = "notice", _("Thông báo, giấy mời")
    DRAFT_RESOLUTION = "draft_resolution", _("Dự thảo nghị quyết")
    MATERIAL = "material", _("Tài liệu sinh hoạt")
    OTHER = "other", _("Khác")


class FindingCategory(models.TextChoices):
    PREPARATION = "preparation", _("Chuẩn bị sinh hoạt")
    PROCEDURE = "procedure", _("Trình tự, thủ tục")
    CONTENT = "content", _("Nội dung sinh hoạt")
    ATTENDANCE = "attendance", _("Duy trì sinh hoạt, tỷ lệ dự họp")
    CRITICISM = "criticism", _("Tự phê bình và phê bình")
    RESOLUTION = "resolution", _("Nghị quyết, biểu quyết")
    RECORDS = "records", _("Biên bản, hồ sơ, sổ sách")
    OTHER = "other", _("Khác")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Đang khắc phục")
    CLOSED = "closed", _("Đã khắc phục")
