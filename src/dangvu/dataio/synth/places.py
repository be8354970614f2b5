"""Places and people of the synthetic dataset: the 34 provinces (2025), their citizen-ID codes,
place-name syllables, and the ethnic/religious mix by region.

The bloc and province scales use Hà Tĩnh with the demo data's real district names
(`dangvu.core.demo.names.HOME_DISTRICTS`); other provinces get generated place names.
"""

from dataclasses import dataclass, field

# (name, citizen-ID province code, municipality?, region, relative size of the party organisation)
PROVINCES: list[tuple[str, str, bool, str, float]] = [
    ("Hà Nội", "001", True, "delta", 3.0),
    ("Huế", "046", True, "central", 0.8),
    ("Lai Châu", "012", False, "mountain", 0.4),
    ("Điện Biên", "011", False, "mountain", 0.5),
    ("Sơn La", "014", False, "mountain", 0.7),
    ("Lạng Sơn", "020", False, "mountain", 0.7),
    ("Quảng Ninh", "022", False, "delta", 1.0),
    ("Thanh Hóa", "038", False, "central", 1.6),
    ("Nghệ An", "040", False, "central", 1.6),
    ("Hà Tĩnh", "042", False, "central", 0.8),
    ("Cao Bằng", "004", False, "mountain", 0.5),
    ("Tuyên Quang", "008", False, "mountain", 0.9),
    ("Lào Cai", "010", False, "mountain", 0.9),
    ("Thái Nguyên", "019", False, "mountain", 1.0),
    ("Phú Thọ", "025", False, "delta", 1.6),
    ("Bắc Ninh", "024", False, "delta", 1.3),
    ("Hưng Yên", "033", False, "delta", 1.3),
    ("Hải Phòng", "031", True, "delta", 1.5),
    ("Ninh Bình", "037", False, "delta", 1.3),
    ("Quảng Trị", "045", False, "central", 0.8),
    ("Đà Nẵng", "048", True, "central", 1.0),
    ("Quảng Ngãi", "051", False, "central", 0.9),
    ("Gia Lai", "052", False, "highland", 1.0),
    ("Khánh Hòa", "056", False, "central", 0.8),
    ("Lâm Đồng", "068", False, "highland", 1.0),
    ("Đắk Lắk", "066", False, "highland", 1.0),
    ("Hồ Chí Minh", "079", True, "south", 2.6),
    ("Đồng Nai", "075", False, "south", 1.0),
    ("Tây Ninh", "072", False, "south", 0.8),
    ("Cần Thơ", "092", True, "mekong", 0.9),
    ("Vĩnh Long", "086", False, "mekong", 0.9),
    ("Đồng Tháp", "087", False, "mekong", 0.9),
    ("Cà Mau", "096", False, "mekong", 0.6),
    ("An Giang", "089", False, "mekong", 1.0),
]
assert len(PROVINCES) == 34
HA_TINH = "Hà Tĩnh"

# Syllables of place names (xã Thạch Khê, phường Tân Giang …).
SYLLABLES = [
    "An",
    "Bình",
    "Cẩm",
    "Châu",
    "Đại",
    "Đông",
    "Đức",
    "Gia",
    "Hà",
    "Hải",
    "Hòa",
    "Hồng",
    "Hưng",
    "Hương",
    "Khánh",
    "Kim",
    "Kỳ",
    "Lạc",
    "Lâm",
    "Liên",
    "Long",
    "Lộc",
    "Minh",
    "Mỹ",
    "Nam",
    "Nghĩa",
    "Ngọc",
    "Phong",
    "Phú",
    "Phúc",
    "Phước",
    "Quang",
    "Quảng",
    "Quý",
    "Sơn",
    "Tân",
    "Thạch",
    "Thái",
    "Thanh",
    "Thành",
    "Thiện",
    "Thịnh",
    "Thọ",
    "Thuận",
    "Thủy",
    "Tiến",
    "Trung",
    "Trường",
    "Tường",
    "Văn",
    "Vĩnh",
    "Xuân",
    "Yên",
    "Hoa",
    "Lợi",
    "Cát",
    "Bảo",
    "Diễn",
    "Tây",
    "Bắc",
    "Hậu",
    "Lương",
    "Mai",
    "Nhân",
    "Tâm",
    "Triệu",
    "Vân",
    "Khê",
    "Giang",
    "Hội",
    "Hiệp",
    "Định",
    "Điền",
    "Lĩnh",
]
VILLAGE_SUFFIX = ("Thượng", "Hạ", "Đông", "Tây", "Nam", "Bắc", "Trung", "Tiền", "Hậu")
STREETS = (
    "Trần Phú",
    "Lê Lợi",
    "Nguyễn Du",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Phan Đình Phùng",
    "Nguyễn Trãi",
    "Quang Trung",
    "Lê Duẩn",
    "Hùng Vương",
    "Trần Hưng Đạo",
    "Nguyễn Huệ",
    "Hà Huy Tập",
    "Xuân Diệu",
    "Điện Biên Phủ",
    "Võ Thị Sáu",
    "Nguyễn Văn Cừ",
    "Lê Hồng Phong",
)

# Ethnicity and religion of party members by region (weights).
ETHNICITY_BY_REGION: dict[str, list[tuple[str, float]]] = {
    "delta": [("Kinh", 985.0), ("Mường", 5.0), ("Tày", 4.0), ("Nùng", 3.0), ("Hoa", 2.0)],
    "central": [
        ("Kinh", 955.0),
        ("Thái", 12.0),
        ("Mường", 12.0),
        ("Khơ Mú", 5.0),
        ("Bru - Vân Kiều", 4.0),
        ("Cơ Tu", 4.0),
        ("Hrê", 4.0),
        ("Chứt", 2.0),
        ("Hoa", 2.0),
    ],
    "mountain": [
        ("Kinh", 420.0),
        ("Tày", 150.0),
        ("Thái", 140.0),
        ("Nùng", 90.0),
        ("Mông", 90.0),
        ("Dao", 60.0),
        ("Mường", 20.0),
        ("Hà Nhì", 10.0),
        ("Giáy", 10.0),
        ("Khơ Mú", 10.0),
    ],
    "highland": [
        ("Kinh", 760.0),
        ("Gia Rai", 70.0),
        ("Ê Đê", 60.0),
        ("Ba Na", 40.0),
        ("Cơ Ho", 30.0),
        ("Mnông", 20.0),
        ("Tày", 10.0),
        ("Nùng", 10.0),
    ],
    "south": [("Kinh", 955.0), ("Hoa", 25.0), ("Khmer", 10.0), ("Chơ Ro", 5.0), ("Xtiêng", 5.0)],
    "mekong": [("Kinh", 900.0), ("Khmer", 80.0), ("Hoa", 15.0), ("Chăm", 5.0)],
}
RELIGION_BY_REGION: dict[str, list[tuple[str, float]]] = {
    "delta": [("Không", 950.0), ("Phật giáo", 30.0), ("Công giáo", 20.0)],
    "central": [("Không", 930.0), ("Phật giáo", 30.0), ("Công giáo", 40.0)],
    "mountain": [("Không", 975.0), ("Phật giáo", 10.0), ("Công giáo", 8.0), ("Tin Lành", 7.0)],
    "highland": [("Không", 900.0), ("Phật giáo", 40.0), ("Công giáo", 40.0), ("Tin Lành", 20.0)],
    "south": [("Không", 880.0), ("Phật giáo", 70.0), ("Công giáo", 30.0), ("Cao Đài", 20.0)],
    "mekong": [
        ("Không", 850.0),
        ("Phật giáo", 80.0),
        ("Phật giáo Hòa Hảo", 40.0),
        ("Cao Đài", 20.0),
        ("Công giáo", 10.0),
    ],
}


@dataclass
class Province:
    name: str
    code: str  # citizen-ID province code, "042"
    municipal: bool
    region: str
    weight: float
    # Filled while the tree is built: where members come from and live.
    hometowns: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # where members were admitted before

    @property
    def label(self) -> str:
        return ("thành phố " if self.municipal else "tỉnh ") + self.name

    @property
    def committee(self) -> str:
        return "Thành ủy" if self.municipal else "Tỉnh ủy"

    @property
    def card_prefix(self) -> str:
        return self.code[-2:]

    def localise(self, text: str) -> str:
        """A demo agency name ("Văn phòng Tỉnh ủy", "Thống kê tỉnh Hà Tĩnh") for this province."""
        text = text.replace(HA_TINH, self.name)
        if self.municipal:
            text = (
                text.replace("Tỉnh ủy", "Thành ủy")
                .replace("Tỉnh đoàn", "Thành đoàn")
                .replace("tỉnh " + self.name, "thành phố " + self.name)
            )
            if text.endswith(" tỉnh"):
                text = text[: -len(" tỉnh")] + " thành phố"
        return text

    def workplace(self, agency_name: str) -> str:
        n = self.localise(agency_name)
        if self.name in n:
            return n
        if n.endswith((" tỉnh", " thành phố", "Tỉnh ủy", "Thành ủy")):
            return f"{n} {self.name}"
        return f"{n} {self.label}"


def provinces() -> list[Province]:
    return [Province(*row) for row in PROVINCES]


def province(name: str) -> Province:
    return next(p for p in provinces() if p.name == name)
