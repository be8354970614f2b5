"""Header and choice matching ignore accents, case, spacing, punctuation and order."""

import pytest

from dangvu.dataio.columns import HEADER_INDEX, MEMBER_COLUMNS, match_choice, match_header


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("  ho   va ten ", "full_name"),
        ("Họ tên", "full_name"),
        ("Họ và tên (*)", "full_name"),
        ("Ngày sinh (dd/mm/yyyy)", "date_of_birth"),
        ("Số thẻ", "card_number"),
        ("Số thẻ ĐV", "card_number"),
        ("SO THE DANG VIEN", "card_number"),
        ("CCCD", "citizen_id"),
        ("Căn cước công dân", "citizen_id"),
        ("Số CCCD", "citizen_id"),
        ("Ngày kết nạp", "admission_date"),
        ("Ngày vào Đảng", "admission_date"),
        ("ngay vao dang", "admission_date"),
        ("Ngày chính thức", "official_date"),
        ("Trình độ LLCT", "political_theory"),
        ("Lý luận chính trị", "political_theory"),
        ("Chi bộ", "organization"),
        ("Mã chi bộ", "organization"),
        ("E-mail", "email"),
        ("SĐT", "phone"),
        ("Trạng thái", "status"),
        ("STT", "stt"),
        ("Ghi chú", None),
        ("", None),
    ],
)
def test_header_matching(text, key):
    assert match_header(text) == key


def test_every_header_matches_itself_and_aliases_are_unambiguous():
    assert len(HEADER_INDEX) > len(MEMBER_COLUMNS)
    for col in MEMBER_COLUMNS:
        assert match_header(col.header) == col.key
        assert match_header(col.header.upper()) == col.key


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("gender", "Nữ", "female"),
        ("gender", "nu", "female"),
        ("gender", "NAM", "male"),
        ("gender", "female", "female"),
        ("political_theory", "Trung cấp", "intermediate"),
        ("political_theory", "trung cap", "intermediate"),
        ("political_theory", "Cao cấp", "advanced"),
        ("political_theory", "Chưa qua đào tạo", "none"),
        ("general_education", "THPT", "thpt"),
        ("general_education", "12/12", "thpt"),
        ("general_education", "Trung học cơ sở", "thcs"),
        ("professional_degree", "Sơ cấp/Trung cấp", "vocational"),
        ("professional_degree", "Đại học", "bachelor"),
        ("professional_degree", "thac si", "master"),
        ("state_management", "Chuyên viên chính", "principal"),
        ("ethnicity", "kinh", "Kinh"),
        ("ethnicity", "Ê Đê", "Ê Đê"),
        ("ethnicity", "ede", "Ê Đê"),
        ("ethnicity", "Bru-Vân Kiều", "Bru - Vân Kiều"),
        ("religion", "phat giao", "Phật giáo"),
        ("religion", "Thiên Chúa giáo", "Công giáo"),
        ("gender", "khác", None),
        ("political_theory", "tiến sĩ", None),
    ],
)
def test_choice_matching(key, text, value):
    assert match_choice(key, text) == value
