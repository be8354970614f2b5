"""The demo tree: a provincial superior committee and the agencies whose party organisations it leads.

Modelled on the provincial agencies of Hà Tĩnh (which reported 66 grassroots organisations, 289
cells and about 4,000 members in 2017) after the 2025 restructuring. Names are those of real kinds
of agencies; the members are fictional.

Each `Agency` becomes a grassroots committee (Đảng bộ …) when it lists cells, otherwise a grassroots
cell (Chi bộ …). Codes are fixed here, so they never depend on the random generator.
"""

import datetime as dt
from dataclasses import dataclass, field

PROVINCE = "Hà Tĩnh"
ROOT_CODE = "DBK"
ROOT_OLD_NAME = "Đảng bộ Khối các cơ quan tỉnh Hà Tĩnh"
ROOT_NAME = "Đảng bộ các cơ quan Đảng tỉnh Hà Tĩnh"
ROOT_SHORT = "ĐUK"
ROOT_ESTABLISHED = dt.date(1992, 3, 26)
ROOT_RENAMED = dt.date(2025, 2, 1)
RESTRUCTURE_2025 = dt.date(2025, 3, 1)

# Kinds decide occupations, positions and training fields of the members (see generator.PROFILES).
PARTY, STATE, FINANCE, HEALTH, SCHOOL, MEDIA, MASS = (
    "party",
    "state",
    "finance",
    "health",
    "school",
    "media",
    "mass",
)


@dataclass(frozen=True)
class Cell:
    name: str
    established: dt.date | None = None  # None: with the grassroots organisation
    size: int | None = None  # fixed number of members (special cases)
    probationary: int | None = None  # fixed number of probationary members among `size`


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    kind: str
    cells: tuple[Cell, ...] = ()
    established: dt.date | None = None  # None: drawn by the generator
    small: bool = False  # part of the small tree used by tests (--scale small)
    female_share: float | None = None
    size: int | None = None  # fixed size of a grassroots cell
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_committee(self) -> bool:
        return bool(self.cells)

    @property
    def org_name(self) -> str:
        return ("Đảng bộ " if self.is_committee else "Chi bộ ") + self.name

    @property
    def workplace(self) -> str:
        n = self.name
        if PROVINCE in n:
            return n
        if n.endswith(" tỉnh") or n.endswith("Tỉnh ủy"):
            return f"{n} {PROVINCE}"
        return f"{n} tỉnh {PROVINCE}"


def _cells(*names: str | Cell) -> tuple[Cell, ...]:
    return tuple(n if isinstance(n, Cell) else Cell("Chi bộ " + n) for n in names)


R25 = RESTRUCTURE_2025

# The cells merged in 2025 (inside the Sở Tài chính committee) and the organisation renamed.
MERGE_SOURCE = "STC-06"  # Chi bộ Phòng Tài chính doanh nghiệp
MERGE_TARGET = "STC-05"  # Chi bộ Phòng Tài chính đầu tư
MERGE_DATE = R25
MERGE_DECISION = "312-QĐ/ĐU"
RENAMED_CODE = "THUE"
RENAMED_OLD = "Đảng bộ Cục Thuế tỉnh Hà Tĩnh"
RENAMED_NEW = "Đảng bộ Thuế tỉnh Hà Tĩnh"
RENAMED_DATE = R25
# The demo accounts live here.
DEMO_COMMITTEE = "STC"
DEMO_CELL = "STC-01"

COMMITTEES: list[Agency] = [
    Agency(
        "VPTU",
        "Văn phòng Tỉnh ủy",
        PARTY,
        _cells(
            "Phòng Tổng hợp",
            "Phòng Hành chính - Lưu trữ",
            "Phòng Quản trị - Tài vụ",
            "Phòng Tài chính Đảng",
            "Phòng Cơ yếu - Công nghệ thông tin",
            "Nhà khách Tỉnh ủy",
        ),
        small=True,
    ),
    Agency(
        "BTCTU",
        "Ban Tổ chức Tỉnh ủy",
        PARTY,
        _cells(
            "Văn phòng",
            "Phòng Tổ chức đảng - đảng viên",
            "Phòng Cán bộ",
            "Phòng Bảo vệ chính trị nội bộ",
        ),
    ),
    Agency(
        "BTGDV",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        PARTY,
        _cells(
            "Văn phòng",
            "Phòng Tuyên truyền - Báo chí - Xuất bản",
            "Phòng Lý luận chính trị - Lịch sử Đảng",
            "Phòng Dân vận - Dân tộc - Tôn giáo",
            "Phòng Khoa giáo - Văn hóa - Văn nghệ",
        ),
        established=dt.date(2025, 2, 1),
    ),
    Agency(
        "UBKTTU",
        "Cơ quan Ủy ban Kiểm tra Tỉnh ủy",
        PARTY,
        _cells("Văn phòng", "Phòng Kiểm tra số 1", "Phòng Kiểm tra số 2", "Phòng Kiểm tra số 3"),
    ),
    Agency(
        "VPUB",
        "Văn phòng Ủy ban nhân dân tỉnh",
        STATE,
        _cells(
            "Phòng Tổng hợp",
            "Phòng Kinh tế",
            "Phòng Nội chính",
            "Phòng Khoa giáo - Văn xã",
            "Phòng Hành chính - Tổ chức",
            "Phòng Quản trị - Tài vụ",
            "Trung tâm Phục vụ hành chính công",
            "Cổng Thông tin điện tử",
            Cell("Chi bộ Phòng Ngoại vụ", established=R25),
        ),
    ),
    Agency(
        "STC",
        "Sở Tài chính",
        FINANCE,
        _cells(
            "Văn phòng",
            "Thanh tra",
            "Phòng Quản lý ngân sách",
            "Phòng Tài chính hành chính sự nghiệp",
            "Phòng Tài chính đầu tư",
            "Phòng Tài chính doanh nghiệp",
            "Phòng Quản lý giá và công sản",
            Cell("Chi bộ Phòng Đăng ký kinh doanh", established=R25),
            Cell("Chi bộ Phòng Kế hoạch tổng hợp", established=R25),
        ),
        small=True,
        fields=("Tài chính - Ngân hàng", "Kế toán", "Kinh tế", "Kinh tế đầu tư", "Luật kinh tế"),
    ),
    Agency(
        "SYT",
        "Sở Y tế",
        STATE,
        _cells(
            "Văn phòng",
            "Thanh tra",
            "Phòng Nghiệp vụ Y",
            "Phòng Nghiệp vụ Dược",
            "Phòng Kế hoạch - Tài chính",
            "Chi cục Dân số",
            "Chi cục An toàn vệ sinh thực phẩm",
            "Trung tâm Kiểm nghiệm thuốc, mỹ phẩm, thực phẩm",
        ),
        female_share=0.5,
        fields=("Y đa khoa", "Dược học", "Y tế công cộng", "Kinh tế", "Luật"),
    ),
    Agency(
        "SGD",
        "Sở Giáo dục và Đào tạo",
        STATE,
        _cells(
            "Văn phòng",
            "Thanh tra",
            "Phòng Giáo dục Trung học",
            "Phòng Giáo dục Mầm non - Tiểu học",
            "Phòng Giáo dục chuyên nghiệp - Giáo dục thường xuyên",
            "Phòng Khảo thí và Quản lý chất lượng",
            "Phòng Kế hoạch - Tài chính",
        ),
        female_share=0.5,
        fields=("Sư phạm Toán", "Sư phạm Ngữ văn", "Quản lý giáo dục", "Sư phạm Vật lý", "Kế toán"),
    ),
    Agency(
        "SNV",
        "Sở Nội vụ",
        STATE,
        _cells(
            "Văn phòng",
            "Thanh tra",
            "Phòng Tổ chức, biên chế",
            "Phòng Xây dựng chính quyền",
            Cell("Chi bộ Phòng Lao động - Việc làm", established=R25),
            "Phòng Người có công",
            "Ban Thi đua - Khen thưởng",
            "Chi cục Văn thư - Lưu trữ",
        ),
    ),
    Agency(
        "STP",
        "Sở Tư pháp",
        STATE,
        _cells(
            "Văn phòng - Thanh tra",
            "Phòng Xây dựng và Kiểm tra văn bản",
            "Phòng Hành chính tư pháp",
            Cell("Chi bộ Trung tâm Trợ giúp pháp lý nhà nước", size=2),
            Cell("Chi bộ Phòng Công chứng số 1", size=3, probationary=1),
        ),
        small=True,
        fields=("Luật", "Luật kinh tế", "Luật hành chính"),
    ),
    Agency(
        "SXD",
        "Sở Xây dựng",
        STATE,
        _cells(
            "Văn phòng",
            "Thanh tra",
            "Phòng Quản lý hạ tầng giao thông",
            "Phòng Quy hoạch - Kiến trúc",
            "Phòng Quản lý xây dựng",
            "Phòng Quản lý vận tải, phương tiện và người lái",
            "Trung tâm Đăng kiểm",
            "Chi cục Giám định xây dựng",
        ),
        fields=("Kỹ thuật xây dựng", "Kiến trúc", "Xây dựng cầu đường", "Kinh tế xây dựng"),
    ),
    Agency(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        STATE,
        _cells(
            "Văn phòng",
            "Thanh tra",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Quản lý đất đai",
            "Phòng Môi trường",
            "Chi cục Kiểm lâm",
            "Chi cục Thủy lợi",
            "Chi cục Trồng trọt và Bảo vệ thực vật",
            "Chi cục Chăn nuôi và Thú y",
            "Chi cục Thủy sản",
        ),
        established=R25,
        fields=("Nông học", "Lâm nghiệp", "Quản lý đất đai", "Khoa học môi trường", "Thủy lợi"),
    ),
    Agency(
        "SCT",
        "Sở Công Thương",
        STATE,
        _cells(
            "Văn phòng",
            "Thanh tra",
            "Phòng Quản lý công nghiệp",
            "Phòng Quản lý thương mại",
            "Phòng Quản lý năng lượng",
            Cell("Chi bộ Chi cục Quản lý thị trường", established=R25),
            "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        ),
    ),
    Agency(
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        STATE,
        _cells(
            "Văn phòng",
            "Phòng Quản lý khoa học",
            Cell("Chi bộ Phòng Chuyển đổi số", established=R25),
            Cell("Chi bộ Phòng Bưu chính - Viễn thông", established=R25),
            "Trung tâm Công nghệ thông tin và Truyền thông",
            "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        ),
        fields=("Công nghệ thông tin", "Điện tử - Viễn thông", "Vật lý", "Hóa học", "Sinh học"),
    ),
    Agency(
        "SVHTT",
        "Sở Văn hóa, Thể thao và Du lịch",
        STATE,
        _cells(
            "Văn phòng",
            "Phòng Quản lý văn hóa",
            "Phòng Quản lý thể dục thể thao",
            "Phòng Quản lý du lịch",
            "Bảo tàng tỉnh",
            "Thư viện tỉnh",
            "Trung tâm Huấn luyện và Thi đấu thể thao",
            "Nhà hát Nghệ thuật truyền thống",
            "Trung tâm Văn hóa - Điện ảnh",
        ),
        fields=("Văn hóa học", "Quản lý văn hóa", "Du lịch", "Giáo dục thể chất", "Lịch sử"),
    ),
    Agency(
        "BAO",
        "Báo Hà Tĩnh",
        MEDIA,
        _cells(
            "Ban Thư ký tòa soạn",
            "Phòng Thời sự",
            "Phòng Kinh tế",
            "Phòng Văn hóa - Xã hội",
            "Phòng Báo điện tử",
            "Phòng Hành chính - Trị sự",
        ),
    ),
    Agency(
        "PTTH",
        "Đài Phát thanh - Truyền hình Hà Tĩnh",
        MEDIA,
        _cells(
            "Phòng Thời sự",
            "Phòng Biên tập",
            "Phòng Chuyên đề",
            "Phòng Kỹ thuật - Công nghệ",
            "Phòng Thông tin điện tử",
            "Phòng Hành chính - Tổng hợp",
        ),
    ),
    Agency(
        "TCT",
        "Trường Chính trị Trần Phú",
        SCHOOL,
        _cells(
            "Khoa Lý luận cơ sở",
            "Khoa Xây dựng Đảng",
            "Khoa Nhà nước và Pháp luật",
            "Khoa Dân vận",
            "Phòng Tổ chức - Hành chính",
            "Phòng Quản lý đào tạo - Nghiên cứu khoa học",
        ),
        fields=("Triết học", "Kinh tế chính trị", "Xây dựng Đảng", "Luật", "Lịch sử Đảng"),
    ),
    Agency(
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        HEALTH,
        _cells(
            "Khoa Cấp cứu",
            "Khoa Hồi sức tích cực - Chống độc",
            "Khoa Nội tổng hợp",
            "Khoa Nội Tim mạch",
            "Khoa Nội Thần kinh",
            "Khoa Nội Tiêu hóa",
            "Khoa Nội Thận - Tiết niệu",
            "Khoa Ngoại tổng hợp",
            "Khoa Ngoại Chấn thương chỉnh hình",
            "Khoa Ngoại Thần kinh - Lồng ngực",
            "Khoa Phẫu thuật - Gây mê hồi sức",
            "Khoa Phụ sản",
            "Khoa Nhi",
            "Khoa Ung bướu",
            "Khoa Mắt",
            "Khoa Tai Mũi Họng",
            "Khoa Răng Hàm Mặt",
            "Khoa Truyền nhiễm",
            "Khoa Lão khoa",
            "Khoa Y học cổ truyền",
            "Khoa Khám bệnh",
            "Khoa Chẩn đoán hình ảnh",
            "Khoa Xét nghiệm",
            "Khoa Giải phẫu bệnh",
            "Khoa Dược",
            "Khoa Dinh dưỡng",
            "Khoa Kiểm soát nhiễm khuẩn",
            "Phòng Kế hoạch tổng hợp",
            "Phòng Tổ chức cán bộ",
            "Phòng Tài chính kế toán",
            "Phòng Điều dưỡng",
            "Phòng Hành chính quản trị",
        ),
        female_share=0.62,
    ),
    Agency(
        "BVYHCT",
        "Bệnh viện Y dược cổ truyền tỉnh",
        HEALTH,
        _cells(
            "Khoa Khám bệnh",
            "Khoa Nội",
            "Khoa Châm cứu - Dưỡng sinh",
            "Khoa Phục hồi chức năng",
            "Khoa Dược",
            "Phòng Hành chính - Tổ chức",
        ),
        female_share=0.6,
    ),
    Agency(
        "BVPHCN",
        "Bệnh viện Phục hồi chức năng tỉnh",
        HEALTH,
        _cells("Khoa Vật lý trị liệu", "Khoa Nhi", "Khoa Khám bệnh", "Phòng Hành chính tổng hợp"),
        female_share=0.6,
    ),
    Agency(
        "CDC",
        "Trung tâm Kiểm soát bệnh tật tỉnh",
        HEALTH,
        _cells(
            "Khoa Phòng chống bệnh truyền nhiễm",
            "Khoa Dinh dưỡng",
            "Khoa Xét nghiệm - Chẩn đoán hình ảnh",
            "Khoa Sức khỏe môi trường - Y tế trường học",
            "Phòng Kế hoạch - Nghiệp vụ",
            "Phòng Tổ chức - Hành chính",
        ),
        female_share=0.58,
    ),
    Agency(
        "DHHT",
        "Trường Đại học Hà Tĩnh",
        SCHOOL,
        _cells(
            "Khoa Sư phạm",
            "Khoa Kinh tế - Quản trị kinh doanh",
            "Khoa Kỹ thuật - Công nghệ",
            "Khoa Nông - Lâm - Ngư",
            "Khoa Ngoại ngữ",
            "Khoa Lý luận chính trị",
            "Khoa Luật",
            "Khoa Khoa học tự nhiên",
            "Khoa Khoa học xã hội",
            "Phòng Đào tạo",
            "Phòng Tổ chức - Hành chính",
            "Phòng Khảo thí và Đảm bảo chất lượng",
            "Trung tâm Thông tin - Thư viện",
            "Sinh viên",
        ),
        female_share=0.52,
    ),
    Agency(
        "CDYT",
        "Trường Cao đẳng Y tế Hà Tĩnh",
        SCHOOL,
        _cells("Khoa Điều dưỡng", "Khoa Dược", "Khoa Khoa học cơ bản", "Phòng Đào tạo"),
        female_share=0.6,
        fields=("Y đa khoa", "Điều dưỡng", "Dược học", "Sinh học"),
    ),
    Agency(
        "KBNN",
        "Kho bạc Nhà nước Hà Tĩnh",
        FINANCE,
        _cells(
            "Văn phòng",
            "Phòng Kiểm soát chi",
            "Phòng Kế toán nhà nước",
            "Phòng Thanh tra - Kiểm tra",
            "Phòng Giao dịch số 1",
            "Phòng Tổ chức cán bộ",
        ),
    ),
    Agency(
        RENAMED_CODE,
        "Cục Thuế tỉnh Hà Tĩnh",
        FINANCE,
        _cells(
            "Văn phòng",
            "Phòng Kiểm tra thuế số 1",
            "Phòng Kiểm tra thuế số 2",
            "Phòng Thanh tra thuế",
            "Phòng Quản lý hộ kinh doanh, cá nhân",
            "Phòng Nghiệp vụ - Dự toán - Pháp chế",
            "Phòng Tuyên truyền - Hỗ trợ người nộp thuế",
            "Phòng Công nghệ thông tin",
            "Phòng Quản lý nợ và cưỡng chế nợ thuế",
        ),
        small=True,
    ),
    Agency(
        "BHXH",
        "Bảo hiểm xã hội tỉnh",
        FINANCE,
        _cells(
            "Văn phòng",
            "Phòng Thu - Sổ thẻ",
            "Phòng Chế độ bảo hiểm xã hội",
            "Phòng Giám định bảo hiểm y tế",
            "Phòng Công nghệ thông tin",
            "Phòng Thanh tra - Kiểm tra",
            "Phòng Kế hoạch - Tài chính",
        ),
    ),
]

GRASSROOTS_CELLS: list[Agency] = [
    Agency("BNC", "Ban Nội chính Tỉnh ủy", PARTY),
    Agency("BCSCL", "Ban Chính sách, chiến lược Tỉnh ủy", PARTY, established=dt.date(2025, 2, 1)),
    Agency("MTTQ", "Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", MASS, size=34, small=True),
    Agency("TDOAN", "Tỉnh đoàn", MASS, small=True),
    Agency("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", MASS, female_share=0.9),
    Agency("HND", "Hội Nông dân tỉnh", MASS),
    Agency("HCCB", "Hội Cựu chiến binh tỉnh", MASS, female_share=0.1),
    Agency("LDLD", "Liên đoàn Lao động tỉnh", MASS),
    Agency("VPDBQH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", STATE),
    Agency("TTRA", "Thanh tra tỉnh", STATE, fields=("Luật", "Kinh tế", "Thanh tra")),
    Agency("SDTTG", "Sở Dân tộc và Tôn giáo", STATE, established=R25),
    Agency("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", STATE),
    Agency(
        "BQLDD", "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh", STATE
    ),
    Agency("BQLGT", "Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh", STATE),
    Agency("BQLNN", "Ban Quản lý dự án đầu tư xây dựng công trình nông nghiệp tỉnh", STATE),
    Agency("QDTPT", "Quỹ Đầu tư phát triển tỉnh", FINANCE),
    Agency("TTXTDT", "Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp tỉnh", STATE),
    Agency("LMHTX", "Liên minh Hợp tác xã tỉnh", MASS),
    Agency("HCTD", "Hội Chữ thập đỏ tỉnh", MASS),
    Agency("HVHNT", "Hội Văn học Nghệ thuật tỉnh", MASS),
    Agency("LHHKH", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", MASS),
    Agency("LHHN", "Liên hiệp các tổ chức hữu nghị tỉnh", MASS),
    Agency("HNB", "Hội Nhà báo tỉnh", MEDIA),
    Agency("HLG", "Hội Luật gia tỉnh", MASS, fields=("Luật",)),
    Agency("TKE", "Thống kê tỉnh Hà Tĩnh", FINANCE),
    Agency("NHNN", "Ngân hàng Nhà nước Chi nhánh tỉnh Hà Tĩnh", FINANCE),
    Agency("NHCS", "Ngân hàng Chính sách xã hội Chi nhánh tỉnh Hà Tĩnh", FINANCE),
    Agency("TTBTXH", "Trung tâm Bảo trợ xã hội tỉnh", STATE),
    Agency("QBVR", "Quỹ Bảo vệ và Phát triển rừng tỉnh", STATE),
    Agency("BVMAT", "Bệnh viện Mắt tỉnh", HEALTH, female_share=0.6),
    Agency("BVPHOI", "Bệnh viện Phổi tỉnh", HEALTH, female_share=0.6),
    Agency("TTPY", "Trung tâm Pháp y tỉnh", HEALTH),
    Agency("TTGDYK", "Trung tâm Giám định y khoa tỉnh", HEALTH),
    Agency("CDVD", "Trường Cao đẳng Kỹ thuật Việt - Đức Hà Tĩnh", SCHOOL),
    Agency("CDND", "Trường Cao đẳng Nguyễn Du", SCHOOL),
    Agency("THPTC", "Trường Trung học phổ thông chuyên Hà Tĩnh", SCHOOL, female_share=0.6),
    Agency("PTDTNT", "Trường Phổ thông dân tộc nội trú tỉnh", SCHOOL, female_share=0.6),
    Agency("TTGDTX", "Trung tâm Giáo dục thường xuyên tỉnh", SCHOOL),
    Agency("TTLT", "Trung tâm Lưu trữ lịch sử tỉnh", STATE),
    Agency("BQLDT", "Ban Quản lý các di tích tỉnh", STATE),
    Agency("VQGVQ", "Vườn quốc gia Vũ Quang", STATE, fields=("Lâm nghiệp", "Sinh học")),
    Agency("TTKN", "Trung tâm Khuyến nông tỉnh", STATE, fields=("Nông học", "Chăn nuôi")),
    Agency("DLS", "Đoàn Luật sư tỉnh", MASS, fields=("Luật",)),
    Agency("TTPTQD", "Trung tâm Phát triển quỹ đất tỉnh", STATE, fields=("Quản lý đất đai",)),
    Agency("TTDVTC", "Trung tâm Dịch vụ tài chính công tỉnh", FINANCE),
]

# Places members leave for (transfer out of the system) or study at (temporary transfer).
EXTERNAL_PLACES = [
    "Đảng bộ phường Thành Sen, tỉnh Hà Tĩnh",
    "Đảng bộ phường Trần Phú, tỉnh Hà Tĩnh",
    "Đảng bộ xã Thạch Khê, tỉnh Hà Tĩnh",
    "Đảng bộ Bộ Tài chính",
    "Đảng bộ tỉnh Nghệ An",
    "Đảng bộ Thành phố Hà Nội",
]
STUDY_PLACES = [
    "Học viện Chính trị quốc gia Hồ Chí Minh",
    "Trường Đại học Y Hà Nội",
    "Học viện Hành chính và Quản trị công",
]
