"""Validation of Vietnamese identifiers.

Citizen ID (CCCD, 12 digits, Thông tư 59/2021/TT-BCA): 3 digits province code, 1 digit for
century and gender (0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd …), 2 digits of the
birth year, 6 random digits.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PROVINCE_CODES = {
    "001",
    "002",
    "004",
    "006",
    "008",
    "010",
    "011",
    "012",
    "014",
    "015",
    "017",
    "019",
    "020",
    "022",
    "024",
    "025",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
    "042",
    "044",
    "045",
    "046",
    "048",
    "049",
    "051",
    "052",
    "054",
    "056",
    "058",
    "060",
    "062",
    "064",
    "066",
    "067",
    "068",
    "070",
    "072",
    "074",
    "075",
    "077",
    "079",
    "080",
    "082",
    "083",
    "084",
    "086",
    "087",
    "089",
    "091",
    "092",
    "093",
    "094",
    "095",
    "096",
}

_DIGITS12 = re.compile(r"^\d{12}$")


def validate_citizen_id(value: str, *, date_of_birth=None, gender=None) -> None:
    if not _DIGITS12.match(value or ""):
        raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), code="citizen_id_format")
    if value[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("Số CCCD không hợp lệ: mã tỉnh nơi đăng ký khai sinh “%(code)s” không tồn tại.")
            % {"code": value[:3]},
            code="citizen_id_province",
        )
    century_digit = int(value[3])
    century = 1900 + (century_digit // 2) * 100
    if gender is not None:
        expected_female = century_digit % 2 == 1
        if (gender == "female") != expected_female:
            raise ValidationError(
                _("Số CCCD không khớp với giới tính (chữ số thứ 4 là mã thế kỷ và giới tính)."),
                code="citizen_id_gender",
            )
    if date_of_birth is not None:
        year = century + int(value[4:6])
        if year != date_of_birth.year:
            raise ValidationError(
                _("Số CCCD không khớp với năm sinh %(year)s (chữ số thứ 4–6 mã hóa năm sinh).")
                % {"year": date_of_birth.year},
                code="citizen_id_year",
            )


def citizen_id_for(province: str, gender: str, birth_year: int, serial: int) -> str:
    """Build a well-formed citizen ID (used by demo data and tests)."""
    century_digit = ((birth_year // 100) - 19) * 2 + (1 if gender == "female" else 0)
    return f"{province}{century_digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"
