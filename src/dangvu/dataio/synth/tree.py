"""The organisation tree of a synthetic dataset, with treebeard materialized paths computed here.

Scales (members by default):
- bloc (5,000): one superior committee with the demo's agencies (`core.demo.agencies`):
  27 grassroots committees with their 211 cells and 45 grassroots cells;
- province (200,000): a provincial committee with the agencies' committee, an enterprises'
  committee and 12 district committees (communes with village cells, schools, district agencies):
  about 1,000 grassroots organisations and 4,800 cells;
- national (5,600,000): the 34 provinces of 2025 under one root, each like a province with
  districts in proportion to its size: about 52,000 grassroots organisations and 250,000 cells.

With fewer members than the default (`--members`), every level shrinks so that cells keep
plausible sizes (the tree of a tiny test dataset still has every kind of node).
"""

import datetime as dt
import random
from dataclasses import dataclass

from dangvu.core.demo import agencies as A
from dangvu.core.demo import names as DN
from dangvu.core.demo.generator import ELSEWHERE_ADMITTED, _leader_title, _unit_head_title
from dangvu.organizations.choices import OrgType

from . import places as PL
from .places import Province

SCALES = {"bloc": 5_000, "province": 200_000, "national": 5_600_000}
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard MP_Node.alphabet
STEPLEN = 4

# Profiles of people by unit kind (see people.py); the demo's agency kinds plus these.
VILLAGE, TEACHER, ENTERPRISE, LOCAL = "village", "teacher", "enterprise", "local"


def path_step(n: int) -> str:
    """The n-th (1-based) step of a treebeard path: 1 → '0001', 36 → '0010'."""
    if not 0 < n < 36**STEPLEN:
        raise ValueError(f"too many children: {n}")
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(STEPLEN, "0")


@dataclass(slots=True, eq=False)
class Org:
    id: int
    path: str
    code: str
    name: str
    short_name: str
    org_type: str
    parent: "Org | None"
    established: dt.date
    decision: str
    numchild: int = 0
    # Where members sit (cells and grassroots cells): who they are.
    kind: str = ""
    weight: float = 0.0
    province: Province | None = None
    female_share: float = 0.4
    fields: tuple = ()
    workplace: str = ""
    head_title: str = ""
    admission_label: str = ""  # "Nơi vào Đảng" of members admitted here
    admission_suffix: str = ""  # of the admission decision number ("QĐ/ĐU")
    issuer: str = ""  # the committee that decides transfers and removals
    address: str = ""  # where its members live (villages), else "" (drawn per member)

    @property
    def depth(self) -> int:
        return len(self.path) // STEPLEN

    @property
    def is_unit(self) -> bool:
        return bool(self.kind)


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _committee_label(org: Org) -> str:
    """'Đảng bộ huyện Can Lộc' → 'Đảng ủy huyện Can Lộc' (who decides)."""
    return "Đảng ủy " + org.name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ")


def _superior(org: Org | None) -> Org | None:
    while org is not None and org.org_type != OrgType.SUPERIOR_COMMITTEE:
        org = org.parent
    return org


class Tree:
    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.orgs: list[Org] = []
        self.roots = 0
        self.provinces: list[Province] = []

    def add(
        self,
        parent: Org | None,
        code: str,
        name: str,
        org_type: str,
        established,
        decision,
        short_name: str = "",
    ) -> Org:
        if parent is None:
            self.roots += 1
            path = path_step(self.roots)
        else:
            if established < parent.established:
                established = parent.established
            parent.numchild += 1
            path = parent.path + path_step(parent.numchild)
        org = Org(
            id=len(self.orgs) + 1,
            path=path,
            code=code,
            name=name,
            short_name=short_name,
            org_type=org_type,
            parent=parent,
            established=established,
            decision=decision,
        )
        self.orgs.append(org)
        return org

    def unit(self, org: Org, province: Province, kind: str, weight: float, **attrs) -> Org:
        """Mark `org` as a place where members sit."""
        org.kind = kind
        org.weight = weight
        org.province = province
        parent = org.parent
        grassroots = org if org.org_type == OrgType.GRASSROOTS_CELL else parent
        while grassroots is not None and grassroots.org_type not in (
            OrgType.GRASSROOTS_COMMITTEE,
            OrgType.GRASSROOTS_CELL,
        ):
            grassroots = grassroots.parent
        superior = _superior(org)
        if org.org_type == OrgType.GRASSROOTS_CELL:
            org.admission_label = f"{org.name}, {_committee_label(superior)}"
            org.admission_suffix = "QĐ/" + _suffix(superior)
        else:
            org.admission_label = f"{org.name}, {grassroots.name}" if grassroots else org.name
            org.admission_suffix = "QĐ/ĐU"
        org.issuer = _committee_label(superior) if superior else ""
        for k, v in attrs.items():
            setattr(org, k, v)
        return org

    @property
    def units(self) -> list[Org]:
        return [o for o in self.orgs if o.kind]


def _suffix(superior: Org | None) -> str:
    """Decision suffix of the committee: TU (Tỉnh ủy), HU (Huyện ủy), ĐUK (bloc committees)."""
    if superior is None:
        return "ĐU"
    name = superior.name
    if name.startswith("Đảng bộ tỉnh"):
        return "TU"
    if name.startswith("Đảng bộ thành phố") and superior.parent is not None:
        if superior.parent.name.startswith("Đảng Cộng sản"):
            return "ThU"
        return "HU"
    if name.startswith(("Đảng bộ huyện", "Đảng bộ quận", "Đảng bộ thị xã")):
        return "QU" if name.startswith("Đảng bộ quận") else "HU"
    return "ĐUK"


# ------------------------------------------------------------------------------------------------
# Builders


def build_tree(scale: str, members: int, rng: random.Random, today: dt.date) -> Tree:
    if scale not in SCALES:
        raise ValueError(scale)
    f = min(1.0, members / SCALES[scale])
    tree = Tree(rng, today)
    if scale == "bloc":
        p = PL.province(PL.HA_TINH)
        _demo_homes(p)
        tree.provinces.append(p)
        root = tree.add(
            None,
            A.ROOT_CODE,
            A.ROOT_NAME,
            OrgType.SUPERIOR_COMMITTEE,
            A.ROOT_ESTABLISHED,
            "125-QĐ/TU",
            short_name=A.ROOT_SHORT,
        )
        _agencies(tree, root, p, f, prefix="")
        _fill_places(tree, p, [])
    elif scale == "province":
        p = PL.province(PL.HA_TINH)
        tree.provinces.append(p)
        _province(tree, None, p, f, districts=12)
    else:
        root = tree.add(
            None,
            "TW",
            "Đảng Cộng sản Việt Nam",
            OrgType.SUPERIOR_COMMITTEE,
            dt.date(1930, 2, 3),
            "01-NQ/HNTL",
            short_name="ĐCSVN",
        )
        provs = PL.provinces()
        mean = sum(p.weight for p in provs) / len(provs)
        for p in provs:
            tree.provinces.append(p)
            _province(tree, root, p, f, districts=19 * p.weight / mean)
    return tree


def _demo_homes(p: Province) -> None:
    """Hà Tĩnh at bloc scale: the demo's homes (with their citizen-ID province codes)."""
    p.hometowns = [
        (home, DN.CITIZEN_PROVINCE.get(home, DN.HA_TINH_CODE), w) for home, w in DN.HOME_DISTRICTS
    ]
    p.addresses = [f"{a}, tỉnh Hà Tĩnh" for a in DN.ADDRESSES]
    p.elsewhere = list(ELSEWHERE_ADMITTED)


NATIONAL_SCHOOLS = [
    "Đảng bộ Trường Đại học Kinh tế Quốc dân",
    "Đảng bộ Học viện Tài chính",
    "Đảng bộ Trường Đại học Sư phạm Hà Nội",
    "Đảng bộ Đại học Quốc gia Hà Nội",
    "Đảng bộ Đại học Quốc gia Thành phố Hồ Chí Minh",
    "Đảng bộ Trường Đại học Vinh",
    "Đảng bộ Đại học Huế",
    "Đảng bộ Đại học Đà Nẵng",
    "Đảng bộ Trường Đại học Cần Thơ",
    "Đảng bộ Học viện Chính trị quốc gia Hồ Chí Minh",
]


def _agencies(tree: Tree, parent: Org, p: Province, f: float, prefix: str) -> None:
    """The demo's provincial agencies under `parent` (codes as in the demo, with `prefix`)."""
    rng = tree.rng
    n_comm = max(1, round(len(A.COMMITTEES) * f))
    n_cells = max(1, round(len(A.GRASSROOTS_CELLS) * f))
    for agency in A.COMMITTEES[:n_comm] + A.GRASSROOTS_CELLS[:n_cells]:
        est = agency.established or _date(rng, dt.date(1992, 6, 1), dt.date(2012, 12, 31))
        name = p.localise(agency.org_name)
        workplace = p.workplace(agency.name)
        share = agency.female_share if agency.female_share is not None else 0.38
        if not agency.is_committee:
            org = tree.add(
                parent,
                prefix + agency.code,
                name,
                OrgType.GRASSROOTS_CELL,
                est,
                f"{rng.randint(12, 980)}-QĐ/ĐUK",
            )
            tree.unit(
                org,
                p,
                agency.kind,
                rng.uniform(0.3, 1.0),
                female_share=share,
                fields=agency.fields,
                workplace=workplace,
                head_title=_leader_title(agency),
            )
            continue
        org = tree.add(
            parent,
            prefix + agency.code,
            name,
            OrgType.GRASSROOTS_COMMITTEE,
            est,
            f"{rng.randint(12, 980)}-QĐ/ĐUK",
        )
        for i, cell in enumerate(agency.cells, start=1):
            if cell.established:
                cest = cell.established
            elif rng.random() < 0.2:
                cest = _date(rng, est, max(est, dt.date(2020, 12, 31)))
            else:
                cest = est
            c = tree.add(
                org,
                f"{prefix}{agency.code}-{i:02d}",
                p.localise(cell.name),
                OrgType.CELL,
                cest,
                f"{rng.randint(12, 980)}-QĐ/ĐU",
            )
            w = rng.uniform(0.5, 1.6) * (1.3 if cell.name.endswith("Văn phòng") else 1.0)
            tree.unit(
                c,
                p,
                agency.kind,
                w,
                female_share=share,
                fields=agency.fields,
                workplace=workplace,
                head_title=_leader_title(agency) if i == 1 else _unit_head_title(cell.name),
            )


class _Names:
    """Unique two-syllable place names within a province."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> str:
        rng = self.rng
        for _ in range(1000):
            name = f"{rng.choice(PL.SYLLABLES)} {rng.choice(PL.SYLLABLES)}"
            a, b = name.split()
            if a != b and name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("out of place names")  # pragma: no cover


ENTERPRISES = [
    "Công ty Cổ phần Cấp nước",
    "Công ty TNHH MTV Thủy lợi",
    "Công ty Cổ phần Môi trường và Công trình đô thị",
    "Công ty Cổ phần Xây dựng",
    "Công ty Cổ phần Vận tải",
    "Công ty Cổ phần Dược phẩm",
    "Công ty TNHH MTV Lâm nghiệp",
    "Công ty Cổ phần Khoáng sản",
    "Công ty Cổ phần Thương mại",
    "Công ty Cổ phần Xi măng",
    "Công ty Cổ phần Cơ khí",
    "Công ty Cổ phần Du lịch",
    "Công ty Cổ phần Giống cây trồng",
    "Công ty Cổ phần Tư vấn thiết kế",
    "Công ty Cổ phần Xuất nhập khẩu",
    "Công ty Cổ phần In",
]
ENTERPRISE_CELLS = [
    "Văn phòng",
    "Phòng Tổ chức - Hành chính",
    "Phòng Kế toán - Tài chính",
    "Phòng Kỹ thuật",
    "Phòng Kinh doanh",
    "Phòng Kế hoạch - Vật tư",
]
DISTRICT_AGENCIES = [
    ("Phòng Giáo dục và Đào tạo", "state"),
    ("Trung tâm Y tế", "health"),
    ("Bệnh viện Đa khoa", "health"),
    ("Kho bạc Nhà nước", "finance"),
    ("Chi cục Thuế", "finance"),
    ("Bảo hiểm xã hội", "finance"),
    ("Ngân hàng Chính sách xã hội", "finance"),
    ("Viện Kiểm sát nhân dân", "state"),
    ("Tòa án nhân dân", "state"),
    ("Chi cục Thi hành án dân sự", "state"),
    ("Trung tâm Văn hóa - Thể thao và Truyền thông", "media"),
    ("Hạt Kiểm lâm", "state"),
    ("Trường Trung học phổ thông", TEACHER),
    ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên", TEACHER),
]


def _province(tree: Tree, parent: Org | None, p: Province, f: float, districts: float) -> None:
    rng = tree.rng
    s2, s3 = f**0.5, f ** (1 / 3)
    committee_suffix = "TU" if not p.municipal else "ThU"
    root = tree.add(
        parent,
        f"T{p.code}",
        f"Đảng bộ {p.label}",
        OrgType.SUPERIOR_COMMITTEE,
        _date(rng, dt.date(1930, 3, 1), dt.date(1946, 12, 31)),
        f"{rng.randint(1, 99):02d}-QĐ/TW",
        short_name=p.committee + " " + p.name,
    )

    def decision(suffix):
        return f"{rng.randint(12, 980)}-QĐ/{suffix}"

    # The agencies' committee (the demo's list of agencies, localised).
    cqd = tree.add(
        root,
        f"T{p.code}-CQD",
        f"Đảng bộ các cơ quan Đảng {p.label}",
        OrgType.SUPERIOR_COMMITTEE,
        _date(rng, dt.date(1990, 1, 1), dt.date(1992, 6, 1)),
        decision(committee_suffix),
    )
    _agencies(tree, cqd, p, f, prefix=f"T{p.code}-")

    names = _Names(rng)
    # Enterprises' committee.
    dn = tree.add(
        root,
        f"T{p.code}-DN",
        f"Đảng bộ Khối doanh nghiệp {p.label}",
        OrgType.SUPERIOR_COMMITTEE,
        _date(rng, dt.date(1996, 1, 1), dt.date(2008, 12, 31)),
        decision(committee_suffix),
    )
    for k in range(1, max(1, round(40 * s2)) + 1):
        kind = rng.choice(ENTERPRISES)
        company = f"{kind} {p.name if k <= 3 else names()}"
        ent = tree.add(
            dn,
            f"T{p.code}-DN-{k:03d}",
            f"Đảng bộ {company}",
            OrgType.GRASSROOTS_COMMITTEE,
            _date(rng, dn.established, dt.date(2015, 12, 31)),
            decision("ĐUK"),
        )
        cells = rng.sample(ENTERPRISE_CELLS, rng.randint(2, 4))
        cells += [f"Phân xưởng số {i}" for i in range(1, rng.randint(2, 5))]
        n = max(1, round(len(cells) * s2))
        for i, cname in enumerate(cells[:n], start=1):
            c = tree.add(
                ent,
                f"{ent.code}-{i:02d}",
                f"Chi bộ {cname}",
                OrgType.CELL,
                ent.established,
                decision("ĐU"),
            )
            tree.unit(
                c,
                p,
                ENTERPRISE,
                rng.uniform(0.6, 1.4),
                female_share=0.3,
                workplace=company + f", {p.label}",
                head_title="Giám đốc" if i == 1 else "Trưởng bộ phận",
            )
        if rng.random() < 0.15:
            # A sub-committee (Đảng bộ bộ phận) for a branch factory, with its own cells.
            branch = names()
            sub = tree.add(
                ent,
                f"{ent.code}-B1",
                f"Đảng bộ bộ phận Xí nghiệp {branch}",
                OrgType.SUB_COMMITTEE,
                ent.established,
                decision("ĐU"),
            )
            for i in range(1, rng.randint(2, 4) + 1):
                c = tree.add(
                    sub,
                    f"{sub.code}-{i:02d}",
                    f"Chi bộ Tổ sản xuất số {i}",
                    OrgType.CELL,
                    sub.established,
                    decision("ĐU"),
                )
                tree.unit(
                    c,
                    p,
                    ENTERPRISE,
                    rng.uniform(0.6, 1.2),
                    female_share=0.25,
                    workplace=f"Xí nghiệp {branch}, {company}",
                    head_title="Tổ trưởng sản xuất",
                )
    for k in range(1, max(1, round(20 * s2)) + 1):
        company = f"Công ty TNHH {names()}"
        c = tree.add(
            dn,
            f"T{p.code}-DN-C{k:02d}",
            f"Chi bộ {company}",
            OrgType.GRASSROOTS_CELL,
            _date(rng, dn.established, dt.date(2018, 12, 31)),
            decision("ĐUK"),
        )
        tree.unit(
            c,
            p,
            ENTERPRISE,
            rng.uniform(0.3, 0.8),
            female_share=0.35,
            workplace=f"{company}, {p.label}",
            head_title="Giám đốc",
        )

    # Districts with their communes.
    if p.name == PL.HA_TINH:
        known = [h.split(",")[0] for h, _w in DN.HOME_DISTRICTS if h.endswith("tỉnh Hà Tĩnh")]
        for n in known:
            names.used.add(n.split(" ", 1)[1] if n.startswith("huyện") else n.split(" ", 2)[-1])
    else:
        known = []
    n_districts = max(1, round(districts * s3))
    homes: list[str] = []
    for k in range(1, n_districts + 1):
        if k <= len(known):
            dlabel = known[k - 1]
        elif k == 1 and not p.municipal:
            dlabel = f"thành phố {names()}"
        else:
            r = rng.random()
            if p.municipal:
                dlabel = ("quận " if r < 0.4 else "huyện ") + names()
            else:
                dlabel = ("thị xã " if r < 0.1 else "huyện ") + names()
        urban = not dlabel.startswith("huyện")
        district = tree.add(
            root,
            f"T{p.code}-H{k:02d}",
            f"Đảng bộ {dlabel}",
            OrgType.SUPERIOR_COMMITTEE,
            _date(rng, dt.date(1976, 1, 1), dt.date(1999, 12, 31)),
            decision(committee_suffix),
        )
        dsuffix = "QU" if dlabel.startswith("quận") else "HU"
        communes = []
        for c_i in range(1, max(1, round(rng.randint(16, 24) * s3)) + 1):
            ward = urban and rng.random() < 0.8
            cname = names()
            clabel = ("phường " if ward else "xã ") + cname
            communes.append(cname)
            homes.append(f"{clabel}, {dlabel}, {p.label}")
            commune = tree.add(
                district,
                f"{district.code}-X{c_i:02d}",
                f"Đảng bộ {clabel}",
                OrgType.GRASSROOTS_COMMITTEE,
                _date(rng, district.established, dt.date(2010, 12, 31)),
                decision(dsuffix),
            )
            n_villages = max(1, round(rng.randint(10, 20) * s3))
            for v in range(1, n_villages + 1):
                if ward:
                    vname = f"tổ dân phố số {v}"
                elif rng.random() < 0.3:
                    vname = f"thôn {v}"
                else:
                    vname = f"thôn {rng.choice(PL.SYLLABLES)} {rng.choice(PL.VILLAGE_SUFFIX)}"
                cell = tree.add(
                    commune,
                    f"{commune.code}-{v:02d}",
                    f"Chi bộ {vname}",
                    OrgType.CELL,
                    commune.established,
                    decision("ĐU"),
                )
                tree.unit(
                    cell,
                    p,
                    VILLAGE,
                    rng.uniform(0.8, 1.8),
                    female_share=0.3,
                    head_title="Tổ trưởng tổ dân phố" if ward else "Trưởng thôn",
                    address=f"{vname}, {clabel}, {dlabel}, {p.label}",
                )
            if s3 >= 0.6:
                level = "phường" if ward else "xã"
                for j, (iname, kind) in enumerate(
                    (
                        (f"Công an {level}", LOCAL),
                        (f"Quân sự {level}", LOCAL),
                        (f"Trạm Y tế {level}", "health"),
                    ),
                    start=n_villages + 1,
                ):
                    cell = tree.add(
                        commune,
                        f"{commune.code}-{j:02d}",
                        f"Chi bộ {iname}",
                        OrgType.CELL,
                        commune.established,
                        decision("ĐU"),
                    )
                    tree.unit(
                        cell,
                        p,
                        kind,
                        rng.uniform(0.3, 0.6),
                        female_share=0.3,
                        workplace=f"{iname} {cname}, {dlabel}",
                    )
        # Grassroots cells of the district: schools of each commune and district agencies.
        g = 0
        schools = [("Trường Trung học cơ sở", c) for c in communes]
        if s3 >= 0.6:
            schools += [("Trường Mầm non", c) for c in communes]
        for school, cname in schools:
            g += 1
            name = f"{school} {cname}"
            cell = tree.add(
                district,
                f"{district.code}-C{g:02d}",
                f"Chi bộ {name}",
                OrgType.GRASSROOTS_CELL,
                _date(rng, district.established, dt.date(2012, 12, 31)),
                decision(dsuffix),
            )
            tree.unit(
                cell,
                p,
                TEACHER,
                rng.uniform(0.3, 0.7),
                female_share=0.7,
                workplace=f"{name}, {dlabel}",
                head_title="Hiệu trưởng",
            )
        for aname, kind in DISTRICT_AGENCIES[: max(1, round(len(DISTRICT_AGENCIES) * s3))]:
            g += 1
            name = f"{aname} {cname}" if aname.startswith("Trường") else f"{aname} {dlabel}"
            cell = tree.add(
                district,
                f"{district.code}-C{g:02d}",
                f"Chi bộ {name}",
                OrgType.GRASSROOTS_CELL,
                _date(rng, district.established, dt.date(2012, 12, 31)),
                decision(dsuffix),
            )
            tree.unit(
                cell,
                p,
                kind,
                rng.uniform(0.4, 1.0),
                female_share=0.45,
                workplace=f"{name}, {dlabel}",
                head_title="Thủ trưởng cơ quan",
            )
    _fill_places(tree, p, homes)


def _fill_places(tree: Tree, p: Province, homes: list[str]) -> None:
    """Hometowns (88 % from the province, weighted; the rest elsewhere), addresses, and where
    members admitted elsewhere were admitted."""
    rng = tree.rng
    if not p.hometowns:
        own = homes[:400] or [p.label]
        others = [q for q in PL.provinces() if q.name != p.name]
        p.hometowns = [(h, p.code, 88.0 / len(own)) for h in own]
        p.hometowns += [(q.label, q.code, 12.0 / len(others)) for q in others]
    if not p.addresses:
        wards = [h for h in homes if h.startswith("phường")] or homes or [p.label]
        p.addresses = [
            f"Số {rng.randint(1, 250)} đường {rng.choice(PL.STREETS)}, {rng.choice(wards)}"
            for _ in range(256)
        ]
    if not p.elsewhere:
        district_names = sorted({h.split(", ")[1] for h in homes if h.count(",") >= 2})[:6]
        p.elsewhere = [f"Đảng bộ {d}, {p.label}" for d in district_names]
        p.elsewhere += [f"Đảng bộ Quân sự {p.label}", f"Đảng bộ Công an {p.label}"]
        p.elsewhere += rng.sample(NATIONAL_SCHOOLS, 4)
