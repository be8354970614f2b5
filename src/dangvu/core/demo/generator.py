"""Deterministic demo data, built in memory first (a `Plan`), then written by `dangvu.core.demo.loader`.

Same seed, size and "demo today" → the same plan, value for value. Nothing depends on the clock
except the demo today, which is min(today, DEMO_REFERENCE), so from 27/11/2026 on the plan of a
seed never changes and no date in it is ever in the future.
"""

import datetime as dt
import hashlib
import itertools
import random
from bisect import bisect
from dataclasses import astuple, dataclass, field

from django.utils import timezone

from dangvu.core.dates import add_months, add_years
from dangvu.members.choices import (
    GeneralEducation,
    MemberStatus,
    PoliticalTheory,
    ProfessionalDegree,
    StateManagement,
)
from dangvu.members.validators import citizen_id_for
from dangvu.organizations.choices import OrgType

from . import agencies as A
from . import names as N

DEFAULT_SEED = 2026
DEMO_REFERENCE = dt.date(2026, 11, 27)
SCALES = {"full": 5000, "small": 400}


def demo_today() -> dt.date:
    return min(timezone.localdate(), DEMO_REFERENCE)


# ---------------------------------------------------------------------------------------------
# Plan records
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    org_type: str
    parent: str | None
    established: dt.date
    decision_number: str
    agency: str  # code of the grassroots organisation it belongs to (itself for grassroots)


@dataclass
class MemberSpec:
    org: str  # code of the cell where the record is created
    full_name: str
    gender: str
    date_of_birth: dt.date
    birth_place: str
    hometown: str
    ethnicity: str
    religion: str
    citizen_id: str
    phone: str
    address: str
    general_education: str
    professional_degree: str
    professional_field: str
    political_theory: str
    state_management: str
    foreign_language: str
    occupation: str
    position: str
    workplace: str
    card_number: str | None
    admission_date: dt.date
    admission_place: str
    official_date: dt.date | None
    introducers: str
    admission_decision: str
    joined_on: dt.date
    elder: bool = False
    head: bool = False

    @property
    def status(self) -> str:
        return MemberStatus.OFFICIAL if self.official_date else MemberStatus.PROBATIONARY

    @property
    def last_event_date(self) -> dt.date:
        return max(self.official_date or self.admission_date, self.joined_on)


@dataclass(frozen=True)
class Special:
    """A lifecycle event written through the real service (index into Plan.members)."""

    kind: str  # exempt, transfer_out, transfer_internal, temporary, end_temporary, remove,
    # expel, death, readmit, recognise, card
    member: int
    date: dt.date
    decision_number: str = ""
    to_org: str | None = None
    place: str = ""
    note: str = ""
    value: str = ""


@dataclass(frozen=True)
class OrgChange:
    kind: str  # rename, merge
    code: str
    date: dt.date
    decision_number: str
    new_name: str = ""
    target: str = ""


@dataclass
class Plan:
    seed: int
    today: dt.date
    orgs: list[OrgSpec] = field(default_factory=list)
    members: list[MemberSpec] = field(default_factory=list)
    org_changes: list[OrgChange] = field(default_factory=list)
    specials: list[Special] = field(default_factory=list)

    def digest(self) -> str:
        h = hashlib.sha256()
        for rows in (self.orgs, self.members, self.org_changes, self.specials):
            for row in rows:
                h.update(repr(astuple(row)).encode())
        return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# Small helpers on top of random.Random
# ---------------------------------------------------------------------------------------------
class Pick:
    """Weighted choices with precomputed cumulative weights (random.choices recomputes them)."""

    def __init__(self, rng: random.Random, pairs):
        self.rng = rng
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))

    def __call__(self):
        return self.values[bisect(self.cum, self.rng.random() * self.cum[-1])]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _decision(rng: random.Random, suffix: str) -> str:
    return f"{rng.randint(12, 980)}-{suffix}"


# Who works where: occupation, position ladder, training fields, degree weights per kind.
PROFILES = {
    A.PARTY: {
        "occupation": [("Công chức", 1)],
        "fields": (
            "Xây dựng Đảng và chính quyền nhà nước",
            "Chính trị học",
            "Luật",
            "Kinh tế",
            "Hành chính học",
            "Lưu trữ học",
            "Công nghệ thông tin",
        ),
        "degree": [("bachelor", 62), ("master", 33), ("doctor", 2), ("college", 3)],
    },
    A.STATE: {
        "occupation": [("Công chức", 7), ("Viên chức", 3)],
        "fields": (
            "Kinh tế",
            "Luật",
            "Hành chính học",
            "Kế toán",
            "Quản trị kinh doanh",
            "Công nghệ thông tin",
        ),
        "degree": [
            ("bachelor", 66),
            ("master", 26),
            ("doctor", 1),
            ("college", 4),
            ("vocational", 3),
        ],
    },
    A.FINANCE: {
        "occupation": [("Công chức", 8), ("Viên chức", 2)],
        "fields": ("Tài chính - Ngân hàng", "Kế toán", "Kinh tế", "Luật kinh tế", "Kiểm toán"),
        "degree": [("bachelor", 68), ("master", 27), ("doctor", 1), ("college", 4)],
    },
    A.MASS: {
        "occupation": [("Công chức", 8), ("Viên chức", 2)],
        "fields": ("Công tác xã hội", "Kinh tế", "Luật", "Chính trị học", "Xã hội học"),
        "degree": [
            ("bachelor", 70),
            ("master", 18),
            ("college", 6),
            ("vocational", 5),
            ("none", 1),
        ],
    },
    A.HEALTH: {
        "occupation": [
            ("Bác sĩ", 36),
            ("Điều dưỡng", 34),
            ("Dược sĩ", 8),
            ("Kỹ thuật viên y", 12),
            ("Viên chức", 10),
        ],
        "fields": ("Y đa khoa",),
        "degree": [
            ("bachelor", 55),
            ("master", 25),
            ("doctor", 3),
            ("college", 12),
            ("vocational", 5),
        ],
    },
    A.SCHOOL: {
        "occupation": [("Giảng viên", 7), ("Viên chức", 3)],
        "fields": (
            "Sư phạm Toán",
            "Sư phạm Ngữ văn",
            "Sư phạm Tiếng Anh",
            "Kinh tế",
            "Công nghệ thông tin",
            "Luật",
            "Triết học",
            "Nông học",
        ),
        "degree": [("bachelor", 35), ("master", 52), ("doctor", 11), ("college", 2)],
    },
    A.MEDIA: {
        "occupation": [
            ("Phóng viên", 40),
            ("Biên tập viên", 30),
            ("Kỹ thuật viên", 15),
            ("Viên chức", 15),
        ],
        "fields": (
            "Báo chí",
            "Ngữ văn",
            "Công nghệ thông tin",
            "Điện tử - Viễn thông",
            "Quay phim",
        ),
        "degree": [("bachelor", 72), ("master", 20), ("college", 6), ("vocational", 2)],
    },
}
HEALTH_FIELDS = {
    "Bác sĩ": ("Y đa khoa",),
    "Điều dưỡng": ("Điều dưỡng",),
    "Dược sĩ": ("Dược học",),
    "Kỹ thuật viên y": ("Kỹ thuật xét nghiệm y học", "Kỹ thuật hình ảnh y học"),
    "Viên chức": ("Kế toán", "Quản trị kinh doanh", "Quản lý bệnh viện"),
}
STAFF_POSITION = {
    "Công chức": ("Chuyên viên", "Chuyên viên chính", "Chuyên viên cao cấp"),
    "Viên chức": ("Chuyên viên", "Chuyên viên chính", "Chuyên viên chính"),
    "Bác sĩ": ("Bác sĩ", "Bác sĩ chính", "Bác sĩ cao cấp"),
    "Điều dưỡng": ("Điều dưỡng", "Điều dưỡng chính", "Điều dưỡng chính"),
    "Dược sĩ": ("Dược sĩ", "Dược sĩ chính", "Dược sĩ chính"),
    "Kỹ thuật viên y": ("Kỹ thuật y", "Kỹ thuật y chính", "Kỹ thuật y chính"),
    "Giảng viên": ("Giảng viên", "Giảng viên chính", "Giảng viên cao cấp"),
    "Phóng viên": ("Phóng viên", "Phóng viên hạng II", "Phóng viên hạng I"),
    "Biên tập viên": ("Biên tập viên", "Biên tập viên hạng II", "Biên tập viên hạng I"),
    "Kỹ thuật viên": ("Kỹ thuật viên", "Kỹ sư", "Kỹ sư chính"),
}
ELSEWHERE_ADMITTED = [
    "Đảng bộ Trường Đại học Vinh",
    "Đảng bộ Quân sự tỉnh Hà Tĩnh",
    "Đảng bộ Công an tỉnh Hà Tĩnh",
    "Đảng bộ Trường Đại học Kinh tế Quốc dân",
    "Đảng bộ Học viện Tài chính",
    "Đảng bộ Trường Đại học Sư phạm Hà Nội",
    "Đảng bộ huyện Can Lộc, tỉnh Hà Tĩnh",
    "Đảng bộ huyện Thạch Hà, tỉnh Hà Tĩnh",
    "Đảng bộ huyện Cẩm Xuyên, tỉnh Hà Tĩnh",
    "Đảng bộ Khối các cơ quan tỉnh Hà Tĩnh",
]


def _leader_title(agency: A.Agency) -> str:
    n = agency.name
    for prefix, title in (
        ("Sở ", "Giám đốc Sở"),
        ("Văn phòng", "Chánh Văn phòng"),
        ("Ban Quản lý", "Trưởng ban"),
        ("Ban ", "Trưởng ban"),
        ("Cơ quan Ủy ban Kiểm tra", "Phó Chủ nhiệm Ủy ban Kiểm tra"),
        ("Cơ quan Ủy ban Mặt trận", "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Báo", "Tổng Biên tập"),
        ("Trường", "Hiệu trưởng"),
        ("Hội ", "Chủ tịch"),
        ("Liên ", "Chủ tịch"),
        ("Tỉnh đoàn", "Bí thư Tỉnh đoàn"),
        ("Thanh tra", "Chánh Thanh tra tỉnh"),
        ("Đoàn Luật sư", "Chủ nhiệm"),
        ("Cục Thuế", "Cục trưởng"),
        ("Kho bạc", "Giám đốc"),
    ):
        if n.startswith(prefix):
            return title
    return "Giám đốc"


def _unit_head_title(cell_name: str) -> str:
    unit = cell_name.removeprefix("Chi bộ ")
    for prefix, title in (
        ("Phòng", "Trưởng phòng"),
        ("Khoa", "Trưởng khoa"),
        ("Chi cục", "Chi cục trưởng"),
        ("Trung tâm", "Giám đốc Trung tâm"),
        ("Văn phòng", "Chánh Văn phòng"),
        ("Thanh tra", "Chánh Thanh tra"),
        ("Ban", "Trưởng ban"),
        ("Bảo tàng", "Giám đốc Bảo tàng"),
        ("Thư viện", "Giám đốc Thư viện"),
        ("Nhà", "Giám đốc"),
        ("Cổng", "Giám đốc"),
    ):
        if unit.startswith(prefix):
            return title
    return "Trưởng bộ phận"


def select_agencies(scale: str) -> tuple[list[A.Agency], list[A.Agency]]:
    """(grassroots committees, grassroots cells) of the tree at this scale."""
    if scale == "small":
        cells = [a for a in A.GRASSROOTS_CELLS if a.small]
        cells += [a for a in A.GRASSROOTS_CELLS if not a.small][:2]
        return [a for a in A.COMMITTEES if a.small], cells
    return list(A.COMMITTEES), list(A.GRASSROOTS_CELLS)


MIN_CELL_SIZE = 4


def min_members(scale: str) -> int:
    """Fewest members the tree of this scale can hold (fixed cells, and 4 in every other cell)."""
    committees, cells = select_agencies(scale)
    total = sum(c.size or MIN_CELL_SIZE for a in committees for c in a.cells)
    return total + sum(a.size or MIN_CELL_SIZE for a in cells)


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------
class _Builder:
    def __init__(self, seed: int, members: int, scale: str, today: dt.date):
        self.rng = random.Random(seed)
        self.plan = Plan(seed=seed, today=today)
        self.target = members
        self.scale = scale
        self.today = today
        rng = self.rng
        self.family = Pick(rng, N.FAMILY_NAMES)
        self.male_middle = Pick(rng, N.MALE_MIDDLE)
        self.female_middle_old = Pick(rng, N.FEMALE_MIDDLE_OLDER)
        self.female_middle_young = Pick(rng, N.FEMALE_MIDDLE_YOUNGER)
        self.male_given = Pick(rng, N.MALE_GIVEN)
        self.female_given = Pick(rng, N.FEMALE_GIVEN)
        self.ethnicity = Pick(rng, N.ETHNICITY_WEIGHTS)
        self.religion = Pick(rng, N.RELIGION_WEIGHTS)
        self.home = Pick(rng, N.HOME_DISTRICTS)
        self.language = Pick(rng, N.FOREIGN_LANGUAGES)
        self.picks = {
            kind: {
                "occupation": Pick(rng, p["occupation"]),
                "degree": Pick(rng, p["degree"]),
            }
            for kind, p in PROFILES.items()
        }
        self.citizen_ids: set[str] = set()
        self.cards: set[str] = set()
        self.cells: list[tuple[A.Agency, OrgSpec, A.Cell | None]] = []
        self.fixed_cells: set[str] = set()

    # -- organisations ------------------------------------------------------------------------
    def build_orgs(self) -> None:
        rng, plan = self.rng, self.plan
        plan.orgs.append(
            OrgSpec(
                A.ROOT_CODE,
                A.ROOT_OLD_NAME,
                OrgType.SUPERIOR_COMMITTEE,
                None,
                A.ROOT_ESTABLISHED,
                "125-QĐ/TU",
                A.ROOT_CODE,
            )
        )
        committees, grassroots_cells = select_agencies(self.scale)
        for agency in committees + grassroots_cells:
            est = agency.established or _date_between(
                rng, dt.date(1992, 6, 1), dt.date(2012, 12, 31)
            )
            org_type = (
                OrgType.GRASSROOTS_COMMITTEE if agency.is_committee else OrgType.GRASSROOTS_CELL
            )
            spec = OrgSpec(
                agency.code,
                agency.org_name,
                org_type,
                A.ROOT_CODE,
                est,
                _decision(rng, "QĐ/ĐUK"),
                agency.code,
            )
            plan.orgs.append(spec)
            if not agency.is_committee:
                self.cells.append((agency, spec, None))
                if agency.size:
                    self.fixed_cells.add(agency.code)
                continue
            for i, cell in enumerate(agency.cells, start=1):
                if cell.established:
                    cest = cell.established
                elif rng.random() < 0.2:
                    cest = _date_between(rng, est, max(est, dt.date(2020, 12, 31)))
                else:
                    cest = est
                cspec = OrgSpec(
                    f"{agency.code}-{i:02d}",
                    cell.name,
                    OrgType.CELL,
                    agency.code,
                    cest,
                    _decision(rng, "QĐ/ĐU"),
                    agency.code,
                )
                plan.orgs.append(cspec)
                self.cells.append((agency, cspec, cell))
                if cell.size:
                    self.fixed_cells.add(cspec.code)
        codes = {o.code for o in plan.orgs}
        plan.org_changes.append(
            OrgChange("rename", A.ROOT_CODE, A.ROOT_RENAMED, "15-QĐ/TU", new_name=A.ROOT_NAME)
        )
        if A.MERGE_SOURCE in codes and A.MERGE_TARGET in codes:
            plan.org_changes.append(
                OrgChange(
                    "merge", A.MERGE_SOURCE, A.MERGE_DATE, A.MERGE_DECISION, target=A.MERGE_TARGET
                )
            )
        if A.RENAMED_CODE in codes:
            plan.org_changes.append(
                OrgChange(
                    "rename", A.RENAMED_CODE, A.RENAMED_DATE, "408-QĐ/ĐUK", new_name=A.RENAMED_NEW
                )
            )

    # -- sizes --------------------------------------------------------------------------------
    def cell_sizes(self) -> list[int]:
        rng = self.rng
        fixed_total = 0
        weights = []
        for agency, _spec, cell in self.cells:
            fixed = (cell.size if cell else agency.size) or None
            if fixed:
                fixed_total += fixed
                weights.append(0.0)
                continue
            if cell is None:
                w = rng.uniform(0.3, 1.0)
            else:
                w = rng.uniform(0.5, 1.6)
                if cell.name.endswith("Văn phòng"):
                    w *= 1.3
            weights.append(w)
        remaining = max(self.target - fixed_total, 0)
        total_w = sum(weights)
        raw = [remaining * w / total_w for w in weights]
        sizes = [int(x) for x in raw]
        order = sorted(range(len(raw)), key=lambda i: (sizes[i] - raw[i], i))
        for i in order[: remaining - sum(sizes)]:
            sizes[i] += 1
        # Bounds: grassroots cells 4..28 (below 30 members), cells under a committee at least 4.
        floating = [i for i, (a, s, c) in enumerate(self.cells) if c is not None and weights[i] > 0]
        for i, (agency, _spec, cell) in enumerate(self.cells):
            fixed = (cell.size if cell else agency.size) or None
            if fixed:
                sizes[i] = fixed
            elif cell is None:
                sizes[i] = min(max(sizes[i], MIN_CELL_SIZE), 28)
            else:
                sizes[i] = max(sizes[i], MIN_CELL_SIZE)
        diff = self.target - sum(sizes)
        k = 0
        while diff and floating:
            i = floating[k % len(floating)]
            if diff > 0:
                sizes[i] += 1
                diff -= 1
            elif sizes[i] > MIN_CELL_SIZE:
                sizes[i] -= 1
                diff += 1
            k += 1
            if k > 100 * len(floating):
                break
        return sizes

    # -- people -------------------------------------------------------------------------------
    def name(self, gender: str, age: int) -> str:
        family = self.family()
        if gender == "male":
            middle, pick_given = self.male_middle(), self.male_given
        else:
            middle = (self.female_middle_old if age >= 45 else self.female_middle_young)()
            pick_given = self.female_given
        given = pick_given()
        while given == middle.split()[-1]:
            given = pick_given()
        return f"{family} {middle} {given}"

    def age(self, gender: str, head: bool) -> int:
        rng = self.rng
        if head:
            return rng.randint(42, 57 if gender == "female" else 60)
        r = rng.random()
        if r < 0.18:
            age = rng.randint(23, 29)
        elif r < 0.54:
            age = rng.randint(30, 39)
        elif r < 0.81:
            age = rng.randint(40, 49)
        elif r < 0.95:
            age = rng.randint(50, 55)
        else:
            age = rng.randint(56, 60)
        if gender == "female" and age > 57:
            age = rng.randint(50, 57)
        return age

    def citizen_id(self, province: str, gender: str, year: int) -> str:
        while True:
            cid = citizen_id_for(province, gender, year, self.rng.randrange(1_000_000))
            if cid not in self.citizen_ids:
                self.citizen_ids.add(cid)
                return cid

    def card(self) -> str:
        while True:
            card = f"42{self.rng.randrange(1_000_000):06d}"
            if card not in self.cards:
                self.cards.add(card)
                return card

    def member(
        self,
        agency: A.Agency,
        spec: OrgSpec,
        *,
        probationary: bool = False,
        elder: bool = False,
        head: str = "",
        before: dt.date | None = None,
    ) -> MemberSpec:
        rng, today = self.rng, self.today
        female_share = agency.female_share if agency.female_share is not None else 0.38
        gender = "female" if rng.random() < female_share else "male"
        if elder:
            age = rng.randint(62, 76)
        elif probationary:
            age = rng.randint(23, 36)
        else:
            age = self.age(gender, bool(head))
        dob = today - dt.timedelta(days=int(age * 365.25) + rng.randint(1, 364))
        home = self.home()
        province = N.CITIZEN_PROVINCE.get(home, N.HA_TINH_CODE)

        # Admission: at least 19 (the rule is 18 counted in months), mostly in the mid-twenties.
        earliest = add_years(dob, 19)
        if probationary:
            admission = _date_between(
                rng, today - dt.timedelta(days=340), today - dt.timedelta(days=12)
            )
            official = None
        else:
            latest = add_months(today, -13)
            if before is not None:
                latest = min(latest, add_months(before, -13))
            span_years = max(0.0, (latest - earliest).days / 365.25)
            offset = rng.triangular(0, min(span_years, 26), min(span_years, 5.5))
            admission = min(earliest + dt.timedelta(days=int(offset * 365.25)), latest)
            admission = max(admission, earliest)
            official = add_months(admission, 12)
        # Admitted in this cell (then the membership starts at admission), or elsewhere before.
        here = (probationary or rng.random() < 0.45) and admission >= spec.established
        if here:
            joined = max(admission, spec.established)
        else:
            arrival = _date_between(rng, admission, today - dt.timedelta(days=60))
            joined = max(arrival, spec.established)
        if before is not None:
            joined = min(joined, before - dt.timedelta(days=1))
            joined = max(joined, admission)

        kind = agency.kind
        occupation = self.picks[kind]["occupation"]()
        degree = self.picks[kind]["degree"]()
        if age < 28 and degree in ("master", "doctor"):
            degree = "bachelor"
        if kind == A.HEALTH:
            if occupation == "Điều dưỡng" and degree in ("master", "doctor"):
                degree = "bachelor"
            fields = HEALTH_FIELDS[occupation]
        else:
            fields = agency.fields or PROFILES[kind]["fields"]
        ladder = STAFF_POSITION.get(occupation, STAFF_POSITION["Công chức"])
        if head:
            position = head
        elif age >= 50:
            position = ladder[rng.choice((0, 1, 1, 2))]
        elif age >= 38:
            position = ladder[rng.choice((0, 0, 1))]
        else:
            position = ladder[0]
        if elder:
            occupation, position = "Nghỉ hưu", ""
        workplace = (
            A.RENAMED_NEW.removeprefix("Đảng bộ ")
            if agency.code == A.RENAMED_CODE
            else (agency.workplace)
        )
        full_name = self.name(gender, age)
        introducers = ", ".join(
            self.name(rng.choice(("male", "female")), rng.randint(35, 55)) for _ in range(2)
        )
        cell_part = f"{spec.name}, " if spec.code != agency.code else ""
        place = f"{cell_part}{agency.org_name}" if here else rng.choice(ELSEWHERE_ADMITTED)
        return MemberSpec(
            org=spec.code,
            full_name=full_name,
            gender=gender,
            date_of_birth=dob,
            birth_place=home,
            hometown=home,
            ethnicity=self.ethnicity(),
            religion=self.religion(),
            citizen_id=self.citizen_id(province, gender, dob.year),
            phone=f"09{rng.randrange(10**8):08d}",
            address=f"Số {rng.randint(1, 180)} đường {rng.choice(N.STREETS)}, "
            f"{rng.choice(N.ADDRESSES)}",
            general_education=GeneralEducation.THPT
            if rng.random() > 0.01
            else GeneralEducation.THCS,
            professional_degree=ProfessionalDegree(degree),
            professional_field=rng.choice(fields),
            political_theory=self.political_theory(age, probationary, bool(head)),
            state_management=self.state_management(age, kind, bool(head)),
            foreign_language=self.language(),
            occupation=occupation,
            position=position,
            workplace=workplace,
            card_number=None if probationary else self.card(),
            admission_date=admission,
            admission_place=place,
            official_date=official,
            introducers=introducers,
            admission_decision=_decision(rng, "QĐ/ĐUK" if here else "QĐ/ĐU"),
            joined_on=joined,
            elder=elder,
            head=bool(head),
        )

    def political_theory(self, age: int, probationary: bool, head: bool) -> str:
        P = PoliticalTheory
        if head:
            table = [(P.ADVANCED, 70), (P.BACHELOR, 15), (P.INTERMEDIATE, 15)]
        elif probationary:
            table = [(P.NONE, 65), (P.ELEMENTARY, 35)]
        elif age < 30:
            table = [(P.NONE, 35), (P.ELEMENTARY, 60), (P.INTERMEDIATE, 5)]
        elif age < 40:
            table = [(P.NONE, 8), (P.ELEMENTARY, 52), (P.INTERMEDIATE, 35), (P.ADVANCED, 5)]
        elif age < 50:
            table = [(P.ELEMENTARY, 25), (P.INTERMEDIATE, 50), (P.ADVANCED, 20), (P.BACHELOR, 5)]
        else:
            table = [(P.ELEMENTARY, 15), (P.INTERMEDIATE, 45), (P.ADVANCED, 33), (P.BACHELOR, 7)]
        return str(Pick(self.rng, table)())

    def state_management(self, age: int, kind: str, head: bool) -> str:
        S = StateManagement
        if head:
            table = [(S.PRINCIPAL, 50), (S.SENIOR, 40), (S.SPECIALIST, 10)]
        elif age < 30:
            table = [(S.NONE, 70), (S.SPECIALIST, 30)]
        elif age < 40:
            table = [(S.NONE, 30), (S.SPECIALIST, 60), (S.PRINCIPAL, 10)]
        elif age < 50:
            table = [(S.NONE, 15), (S.SPECIALIST, 50), (S.PRINCIPAL, 32), (S.SENIOR, 3)]
        else:
            table = [(S.NONE, 10), (S.SPECIALIST, 40), (S.PRINCIPAL, 42), (S.SENIOR, 8)]
        value = str(Pick(self.rng, table)())
        if kind in (A.HEALTH, A.SCHOOL, A.MEDIA) and not head and self.rng.random() < 0.4:
            value = S.NONE
        return value

    def build_members(self) -> None:
        rng, plan = self.rng, self.plan
        sizes = self.cell_sizes()
        merge_cells = {A.MERGE_SOURCE, A.MERGE_TARGET}
        seen_agency: set[str] = set()
        # First the slots: who heads what, and which cells have fixed compositions.
        slots = []
        for (agency, spec, cell), size in zip(self.cells, sizes, strict=True):
            fixed_prob = (cell.probationary if cell else None) or 0
            special = spec.code in self.fixed_cells or spec.code in merge_cells
            before = A.MERGE_DATE if spec.code in merge_cells else None
            for i in range(size):
                head = ""
                if agency.code not in seen_agency:
                    head = _leader_title(agency)
                    seen_agency.add(agency.code)
                elif i == 0 and cell is not None and not special:
                    head = _unit_head_title(cell.name)
                slots.append((agency, spec, i, head, special, fixed_prob, before))
        # Retired elderly members (exempted later): about 0.5 %, at least two at any size.
        ordinary = [k for k, slot in enumerate(slots) if not slot[3] and not slot[4]]
        elders = set(rng.sample(ordinary, min(len(ordinary), max(2, round(len(slots) * 0.005)))))
        for k, (agency, spec, i, head, special, fixed_prob, before) in enumerate(slots):
            if special:
                probationary = i < fixed_prob
            else:
                probationary = not head and k not in elders and rng.random() < 0.04
            plan.members.append(
                self.member(
                    agency,
                    spec,
                    probationary=probationary,
                    elder=k in elders,
                    head=head,
                    before=before,
                )
            )

    # -- lifecycle events through the services -------------------------------------------------
    def build_specials(self) -> None:
        rng, plan, today = self.rng, self.plan, self.today
        n = len(plan.members)
        excluded = self.fixed_cells | {A.MERGE_SOURCE, A.MERGE_TARGET, A.DEMO_CELL}
        hosts = [
            o
            for o in plan.orgs
            if o.org_type in (OrgType.CELL, OrgType.GRASSROOTS_CELL) and o.code not in excluded
        ]
        used: set[int] = set()

        def eligible(i: int) -> bool:
            m = plan.members[i]
            return (
                i not in used
                and m.org not in excluded
                and m.official_date is not None
                and not m.elder
                and not m.head
            )

        pool = [i for i in range(n) if eligible(i)]
        rng.shuffle(pool)

        def take(count: int, pred=lambda m: True) -> list[int]:
            out = []
            for i in pool:
                if len(out) >= count:
                    break
                if i not in used and pred(plan.members[i]):
                    used.add(i)
                    out.append(i)
            return out

        def when(m: MemberSpec, earliest: dt.date | None = None) -> dt.date | None:
            start = m.last_event_date + dt.timedelta(days=30)
            if earliest:
                start = max(start, earliest)
            end = today - dt.timedelta(days=7)
            return None if start > end else _date_between(rng, start, end)

        def host_for(m: MemberSpec, date: dt.date) -> str | None:
            options = [o.code for o in hosts if o.code != m.org and o.established <= date]
            return rng.choice(options) if options else None

        def count(rate: float, minimum: int) -> int:
            return max(minimum, round(n * rate))

        specials: list[Special] = []
        recent = today - dt.timedelta(days=3 * 365)

        # Elderly members, retired, exempted from work and activity by their cell.
        for i, m in enumerate(plan.members):
            if not m.elder:
                continue
            used.add(i)
            start = max(add_years(m.date_of_birth, 61), m.last_event_date + dt.timedelta(days=30))
            date = min(_date_between(rng, start, start + dt.timedelta(days=900)), today)
            date = min(date, today - dt.timedelta(days=7))
            specials.append(
                Special(
                    "exempt",
                    i,
                    date,
                    _decision(rng, "NQ/CB"),
                    note="Tuổi cao, sức yếu; đã nghỉ hưu.",
                )
            )

        for i in take(count(0.0016, 1)):
            m = plan.members[i]
            date = when(m, recent)
            if date:
                specials.append(
                    Special(
                        "transfer_out",
                        i,
                        date,
                        _decision(rng, "GGT/BTCTU"),
                        place=rng.choice(A.EXTERNAL_PLACES),
                        note="Nghỉ hưu, chuyển sinh hoạt về nơi cư trú."
                        if rng.random() < 0.5
                        else "Chuyển công tác.",
                    )
                )
        for i in take(count(0.002, 1)):
            m = plan.members[i]
            date = when(m, recent)
            host = host_for(m, date) if date else None
            if host:
                specials.append(
                    Special(
                        "transfer_internal",
                        i,
                        date,
                        _decision(rng, "GGT/ĐUK"),
                        to_org=host,
                        note="Điều động công tác.",
                    )
                )
        temporaries = take(count(0.0012, 2))
        for k, i in enumerate(temporaries):
            m = plan.members[i]
            date = when(m, today - dt.timedelta(days=300))
            if not date:
                continue
            if k % 2 == 0:
                host = host_for(m, date)
                if not host:
                    continue
                specials.append(
                    Special(
                        "temporary",
                        i,
                        date,
                        _decision(rng, "GGT/ĐUK"),
                        to_org=host,
                        note="Biệt phái công tác 6 tháng.",
                    )
                )
                if k == 0:
                    end = date + dt.timedelta(days=rng.randint(90, 180))
                    if end <= today - dt.timedelta(days=1):
                        specials.append(Special("end_temporary", i, end, note="Hết thời hạn."))
            else:
                specials.append(
                    Special(
                        "temporary",
                        i,
                        date,
                        _decision(rng, "GGT/ĐUK"),
                        place=rng.choice(A.STUDY_PLACES),
                        note="Đi học tập trung.",
                    )
                )
        for i in take(count(0.0008, 1)):
            date = when(plan.members[i], recent)
            if date:
                specials.append(
                    Special(
                        "remove",
                        i,
                        date,
                        _decision(rng, "QĐ/ĐUK"),
                        note="Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng.",
                    )
                )
        for i in take(count(0.0006, 1), lambda m: m.date_of_birth.year < today.year - 45):
            date = when(plan.members[i], recent)
            if date:
                specials.append(Special("death", i, date, note="Từ trần do bệnh nặng."))
        for i in take(1):
            date = when(plan.members[i], today - dt.timedelta(days=4 * 365))
            if date:
                specials.append(
                    Special(
                        "expel",
                        i,
                        date,
                        _decision(rng, "QĐ/UBKTĐUK"),
                        note="Kỷ luật khai trừ ra khỏi Đảng.",
                    )
                )
        # Readmission: removed, back three years later, probation again, then official.
        six_years_ago = today - dt.timedelta(days=6 * 365)
        for i in take(
            1,
            lambda m: (
                m.official_date is not None
                and m.official_date < today - dt.timedelta(days=15 * 365)
                and m.last_event_date + dt.timedelta(days=30) <= six_years_ago
            ),
        ):
            m = plan.members[i]
            start = m.last_event_date + dt.timedelta(days=30)
            if start <= today - dt.timedelta(days=6 * 365):
                removed = _date_between(rng, start, today - dt.timedelta(days=6 * 365))
                back = removed + dt.timedelta(days=3 * 365 + rng.randint(0, 200))
                specials += [
                    Special(
                        "remove",
                        i,
                        removed,
                        _decision(rng, "QĐ/ĐUK"),
                        note="Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng.",
                    ),
                    Special(
                        "readmit",
                        i,
                        back,
                        _decision(rng, "QĐ/ĐUK"),
                        note="Kết nạp lại theo Quy định thi hành Điều lệ Đảng.",
                    ),
                    Special("recognise", i, add_months(back, 12), _decision(rng, "QĐ/ĐUK")),
                ]
        # Card exchange under Chỉ thị 51-CT/TW (8/8/2025).
        for i in take(count(0.0006, 1)):
            date = when(plan.members[i], dt.date(2025, 10, 1))
            if date:
                specials.append(
                    Special(
                        "card",
                        i,
                        date,
                        value=self.card(),
                        note="Đổi thẻ đảng viên theo Chỉ thị 51-CT/TW.",
                    )
                )
        plan.specials = sorted(specials, key=lambda s: (s.date, s.member, s.kind))


def build_plan(
    seed: int = DEFAULT_SEED,
    members: int | None = None,
    scale: str = "full",
    today: dt.date | None = None,
) -> Plan:
    if scale not in SCALES:
        raise ValueError(f"Quy mô không hợp lệ: {scale}.")
    if members is not None and members < min_members(scale):
        raise ValueError(
            f"Quy mô {scale} cần ít nhất {min_members(scale)} đảng viên (mỗi chi bộ ít nhất "
            f"{MIN_CELL_SIZE})."
        )
    b = _Builder(seed, members or SCALES[scale], scale, today or demo_today())
    b.build_orgs()
    b.build_members()
    b.build_specials()
    return b.plan
