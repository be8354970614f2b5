"""Column spec of the member list sheet "Danh sách đảng viên", shared by import, export and template.

Headers are matched ignoring accents, case, spacing, punctuation, text in parentheses and order
("SỐ THẺ ĐV", "so the dang vien (8 so)", "Số thẻ" are the same column). Choice cells accept the
Vietnamese labels the same way ("nu", "Nữ" → female; "12/12" → thpt). The export writes exactly
these headers and labels, so an exported file re-imports unchanged.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from dangvu.core.text import normalize
from dangvu.members.choices import (
    ETHNICITIES,
    RELIGIONS,
    Gender,
    GeneralEducation,
    MemberStatus,
    PoliticalTheory,
    ProfessionalDegree,
    StateManagement,
)

MEMBER_SHEET_TITLE = "Danh sách đảng viên"

# Kinds of cells
TEXT, DATE, CHOICE, KEY, ORG, ROWNUM, STATUS = (
    "text",
    "date",
    "choice",
    "key",
    "org",
    "rownum",
    "status",
)


@dataclass(frozen=True)
class Column:
    key: str  # model field name, or "stt" / "organization" / "status"
    header: str  # the header written by the export and the template
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be in the sheet and the cell filled for new rows
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for CHOICE columns
    choice_aliases: dict = field(default_factory=dict)  # extra spellings → value
    width: int = 16
    sample: object = ""
    note: str = ""


def _choices(text_choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in text_choices.choices)


def _same(values) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


MEMBER_COLUMNS: list[Column] = [
    Column("stt", "STT", ROWNUM, ("tt", "so tt", "so thu tu"), width=6, sample=1),
    Column(
        "full_name",
        "Họ và tên",
        TEXT,
        ("ho ten", "ho va ten khai sinh", "ho ten khai sinh", "ho ten dang vien"),
        required=True,
        width=26,
        sample="Nguyễn Văn An",
    ),
    Column("other_names", "Tên gọi khác", TEXT, ("ten khac", "bi danh"), width=16),
    Column(
        "gender",
        "Giới tính",
        CHOICE,
        ("gioi",),
        required=True,
        choices=_choices(Gender),
        choice_aliases={
            "nam": "male",
            "nu": "female",
            "gioi tinh nam": "male",
            "gioi tinh nu": "female",
        },
        width=10,
        sample="Nam",
    ),
    Column(
        "date_of_birth",
        "Ngày sinh",
        DATE,
        ("ngay thang nam sinh", "sinh ngay"),
        required=True,
        width=12,
        sample="10/03/1985",
    ),
    Column("birth_place", "Nơi sinh", TEXT, ("noi sinh khai sinh",), width=24),
    Column("hometown", "Quê quán", TEXT, ("que",), width=24, sample="Xã Đông Hội, huyện Đông Anh"),
    Column(
        "ethnicity",
        "Dân tộc",
        CHOICE,
        (),
        choices=_same(ETHNICITIES),
        choice_aliases={"hmong": "Mông", "h mong": "Mông", "meo": "Mông", "ede": "Ê Đê"},
        width=12,
        sample="Kinh",
    ),
    Column(
        "religion",
        "Tôn giáo",
        CHOICE,
        (),
        choices=_same(RELIGIONS),
        choice_aliases={
            "khong co": "Không",
            "thien chua": "Công giáo",
            "thien chua giao": "Công giáo",
            "dao phat": "Phật giáo",
            "hoa hao": "Phật giáo Hòa Hảo",
            "dao tin lanh": "Tin Lành",
            "tin lanh giao": "Tin Lành",
            "cao dai giao": "Cao Đài",
            "hoi giao islam": "Hồi giáo",
            "islam": "Hồi giáo",
        },
        width=12,
        sample="Không",
    ),
    Column(
        "citizen_id",
        "Số CCCD",
        KEY,
        (
            "cccd",
            "can cuoc cong dan",
            "so can cuoc cong dan",
            "so can cuoc",
            "can cuoc",
            "so dinh danh",
            "so dinh danh ca nhan",
            "ma dinh danh",
        ),
        width=15,
        sample="001085000123",
        note="12 chữ số",
    ),
    Column(
        "phone",
        "Điện thoại",
        TEXT,
        ("so dien thoai", "sdt", "dt", "dien thoai di dong"),
        width=13,
        sample="0912345678",
    ),
    Column("email", "Email", TEXT, ("e mail", "thu dien tu", "dia chi email"), width=24),
    Column(
        "address",
        "Nơi ở hiện nay",
        TEXT,
        ("noi o", "dia chi", "cho o hien nay", "noi o hien tai", "dia chi thuong tru"),
        width=28,
    ),
    Column(
        "general_education",
        "Giáo dục phổ thông",
        CHOICE,
        ("trinh do giao duc pho thong", "trinh do van hoa", "van hoa", "gdpt", "hoc van"),
        choices=_choices(GeneralEducation),
        choice_aliases={
            "thpt": "thpt",
            "12/12": "thpt",
            "10/10": "thpt",
            "cap 3": "thpt",
            "thcs": "thcs",
            "9/12": "thcs",
            "7/10": "thcs",
            "cap 2": "thcs",
            "5/12": "primary",
            "4/10": "primary",
            "cap 1": "primary",
        },
        width=12,
        sample="12/12",
    ),
    Column(
        "professional_degree",
        "Trình độ chuyên môn",
        CHOICE,
        ("chuyen mon", "trinh do chuyen mon nghiep vu", "chuyen mon nghiep vu", "tdcm"),
        choices=_choices(ProfessionalDegree),
        choice_aliases={
            "khong": "none",
            "chua qua dao tao": "none",
            "so cap": "vocational",
            "trung cap": "vocational",
            "trung cap nghe": "vocational",
            "dai hoc": "bachelor",
            "cu nhan": "bachelor",
            "ky su": "bachelor",
            "bac si": "bachelor",
            "thac si": "master",
            "tien si": "doctor",
            "tien si khoa hoc": "doctor",
        },
        width=14,
        sample="Đại học",
    ),
    Column(
        "professional_field",
        "Chuyên ngành",
        TEXT,
        ("chuyen nganh dao tao", "nganh dao tao", "nganh hoc"),
        width=18,
        sample="Kế toán",
    ),
    Column(
        "political_theory",
        "Lý luận chính trị",
        CHOICE,
        ("trinh do ly luan chinh tri", "trinh do llct", "llct", "ly luan"),
        choices=_choices(PoliticalTheory),
        choice_aliases={
            "khong": "none",
            "chua": "none",
            "so cap llct": "elementary",
            "trung cap llct": "intermediate",
            "cao cap llct": "advanced",
            "cu nhan chinh tri": "bachelor",
            "cu nhan llct": "bachelor",
        },
        width=14,
        sample="Trung cấp",
    ),
    Column(
        "state_management",
        "Quản lý nhà nước",
        CHOICE,
        ("trinh do quan ly nha nuoc", "qlnn"),
        choices=_choices(StateManagement),
        choice_aliases={
            "khong": "none",
            "chua": "none",
            "cv": "specialist",
            "cvc": "principal",
            "cvcc": "senior",
        },
        width=16,
    ),
    Column("foreign_language", "Ngoại ngữ", TEXT, ("trinh do ngoai ngu",), width=14),
    Column("occupation", "Nghề nghiệp", TEXT, ("nghe nghiep hien nay",), width=16),
    Column(
        "position",
        "Chức vụ",
        TEXT,
        ("chuc vu chinh quyen", "chuc danh", "chuc vu hien nay"),
        width=20,
        sample="Chuyên viên",
    ),
    Column(
        "workplace",
        "Nơi làm việc",
        TEXT,
        ("don vi cong tac", "co quan cong tac", "co quan don vi", "noi cong tac"),
        width=26,
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        KEY,
        ("so the", "so the dv", "so the dang", "the dang vien", "so the dang vien"),
        width=14,
        sample="79012345",
    ),
    Column(
        "admission_date",
        "Ngày vào Đảng",
        DATE,
        (
            "ngay ket nap",
            "ngay ket nap dang",
            "ngay ket nap vao dang",
            "ngay vao dang du bi",
            "ngay vao dang lan dau",
        ),
        required=True,
        width=13,
        sample="19/05/2010",
    ),
    Column(
        "admission_place",
        "Nơi vào Đảng",
        TEXT,
        ("noi ket nap", "noi ket nap dang", "chi bo ket nap"),
        width=24,
    ),
    Column(
        "official_date",
        "Ngày chính thức",
        DATE,
        (
            "ngay chuyen chinh thuc",
            "ngay cong nhan chinh thuc",
            "ngay vao dang chinh thuc",
            "ngay dang vien chinh thuc",
        ),
        width=13,
        sample="19/05/2011",
        note="để trống nếu còn dự bị",
    ),
    Column(
        "introducers",
        "Người giới thiệu",
        TEXT,
        ("nguoi gioi thieu vao dang", "nguoi gioi thieu ket nap"),
        width=26,
    ),
    Column(
        "organization",
        "Chi bộ",
        ORG,
        ("ma chi bo", "chi bo sinh hoat", "to chuc dang", "ma to chuc", "to chuc sinh hoat"),
        width=18,
        note="mã tổ chức hoặc đúng tên",
    ),
    Column(
        "status",
        "Trạng thái",
        STATUS,
        ("tinh trang",),
        choices=_choices(MemberStatus),
        width=14,
        note="chỉ để xem; không nhập",
    ),
]

COLUMNS_BY_KEY = {c.key: c for c in MEMBER_COLUMNS}
REQUIRED_KEYS = [c.key for c in MEMBER_COLUMNS if c.required]
# Model fields an import sets (not STT, organisation or status).
FIELD_KEYS = [c.key for c in MEMBER_COLUMNS if c.kind in (TEXT, DATE, CHOICE, KEY)]

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM = re.compile(r"[^a-z0-9/]+")


def header_key(text: object) -> str:
    """Comparable form of a header: 'Số thẻ ĐV (*)' → 'so the dv'."""
    text = _PARENS.sub(" ", str(text or ""))
    return _NON_ALNUM.sub(" ", normalize(text).replace("/", " ")).strip()


def choice_key(text: object) -> str:
    """Comparable form of a choice cell: 'Sơ cấp/Trung cấp' → 'so cap/trung cap'."""
    return " ".join(_NON_ALNUM.sub(" ", normalize(str(text or ""))).split())


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for col in MEMBER_COLUMNS:
        for name in (col.header, col.key.replace("_", " "), *col.aliases):
            key = header_key(name)
            if key in index and index[key] != col.key:
                raise ValueError(f"header alias {name!r} is ambiguous")
            index[key] = col.key
    return index


HEADER_INDEX = _header_index()


def match_header(text: object) -> str | None:
    """The column key of a header cell, or None if it is not one of ours."""
    return HEADER_INDEX.get(header_key(text))


def _choice_index(col: Column) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in col.choices:
        index[choice_key(value)] = value
        index[choice_key(label)] = value
        index[choice_key(label).replace(" ", "")] = value
    for alias, value in col.choice_aliases.items():
        index[choice_key(alias)] = value
        index[choice_key(alias).replace(" ", "")] = value
    return index


CHOICE_INDEX = {c.key: _choice_index(c) for c in MEMBER_COLUMNS if c.kind in (CHOICE, STATUS)}


def match_choice(key: str, text: object) -> str | None:
    index = CHOICE_INDEX[key]
    k = choice_key(text)
    return index.get(k) or index.get(k.replace(" ", ""))


def choice_label(key: str, value: str) -> str:
    for v, label in COLUMNS_BY_KEY[key].choices:
        if v == value:
            return label
    return value or ""


def labels(key: str) -> list[str]:
    return [label for _v, label in COLUMNS_BY_KEY[key].choices]


ORGANIZATION_COLUMNS = [
    ("stt", _("STT"), 6),
    ("code", _("Mã tổ chức"), 14),
    ("name", _("Tên tổ chức"), 36),
    ("short_name", _("Tên viết tắt"), 16),
    ("org_type", _("Loại tổ chức"), 20),
    ("parent_code", _("Mã cấp trên"), 14),
    ("parent_name", _("Trực thuộc"), 30),
    ("address", _("Địa chỉ"), 30),
    ("phone", _("Điện thoại"), 14),
    ("email", _("Email"), 24),
    ("established_on", _("Ngày thành lập"), 13),
    ("dissolved_on", _("Ngày giải thể"), 13),
]
