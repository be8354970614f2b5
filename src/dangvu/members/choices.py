from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    EXEMPT = "exempt", _("Miễn công tác và sinh hoạt")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    REMOVED = "removed", _("Xóa tên")
    EXPELLED = "expelled", _("Khai trừ")
    DECEASED = "deceased", _("Từ trần")


# Statuses that are on an organisation's roll (counted in its headcount).
ACTIVE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL, MemberStatus.EXEMPT)
# Statuses outside the Party (their periods are gaps in party age).
OUTSIDE_STATUSES = (MemberStatus.REMOVED, MemberStatus.EXPELLED)


class EventKind(models.TextChoices):
    # Context "member event": the same Vietnamese words name a status (MemberStatus) and the
    # event that leads to it; English needs a noun for the event (Expulsion vs Expelled).
    ADMITTED = "admitted", _("Kết nạp")
    RECOGNISED_OFFICIAL = "recognised_official", _("Công nhận đảng viên chính thức")
    TRANSFER_OUT = "transfer_out", _("Chuyển sinh hoạt đi")
    TRANSFER_IN = "transfer_in", _("Chuyển sinh hoạt đến")
    TEMPORARY_END = "temporary_end", _("Kết thúc sinh hoạt tạm thời")
    EXEMPTION_GRANTED = (
        "exemption_granted",
        pgettext_lazy("member event", "Miễn công tác và sinh hoạt"),
    )
    EXEMPTION_ENDED = "exemption_ended", _("Thôi miễn công tác và sinh hoạt")
    REMOVED = "removed", pgettext_lazy("member event", "Xóa tên")
    EXPELLED = "expelled", pgettext_lazy("member event", "Khai trừ")
    READMITTED = "readmitted", _("Kết nạp lại")
    DIED = "died", pgettext_lazy("member event", "Từ trần")
    CARD_REISSUED = "card_reissued", _("Cấp lại/đổi thẻ đảng viên")
    MOVED = "moved", _("Chuyển theo tổ chức")


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Chính thức")
    TEMPORARY = "temporary", _("Tạm thời")


class GeneralEducation(models.TextChoices):
    PRIMARY = "primary", _("Tiểu học")
    THCS = "thcs", _("Trung học cơ sở")
    THPT = "thpt", _("Trung học phổ thông")


class ProfessionalDegree(models.TextChoices):
    NONE = "none", _("Chưa qua đào tạo")
    VOCATIONAL = "vocational", _("Sơ cấp/Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    BACHELOR = "bachelor", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class PoliticalTheory(models.TextChoices):
    NONE = "none", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class StateManagement(models.TextChoices):
    NONE = "none", _("Chưa qua bồi dưỡng")
    SPECIALIST = "specialist", _("Chuyên viên")
    PRINCIPAL = "principal", _("Chuyên viên chính")
    SENIOR = "senior", _("Chuyên viên cao cấp")


ETHNICITIES = [
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru - Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ - Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "Kháng",
    "La Chí",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Lự",
    "Ngái",
    "Chứt",
    "Lô Lô",
    "Mảng",
    "Cơ Lao",
    "Bố Y",
    "Cống",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
]
assert len(ETHNICITIES) == 54
ETHNICITY_CHOICES = [(e, e) for e in ETHNICITIES]

RELIGIONS = [
    "Không",
    "Phật giáo",
    "Công giáo",
    "Tin Lành",
    "Cao Đài",
    "Phật giáo Hòa Hảo",
    "Hồi giáo",
    "Bà La Môn",
    "Tịnh độ Cư sĩ Phật hội Việt Nam",
    "Khác",
]
RELIGION_CHOICES = [(r, r) for r in RELIGIONS]
