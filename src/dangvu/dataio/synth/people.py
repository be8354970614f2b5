"""Members of a synthetic dataset, streamed in chunks of ready-to-write rows.

For each member: the Member row (search_text/name_sort exactly as `Member.refresh_derived()`),
the rows `members.bulk.bulk_register` writes (an "admitted" event, "recognised_official" when the
official date is known, an open official Membership) and, for a small share, one lifecycle event
written the way the services do (exemption, transfer out of the system, removal, expulsion,
death: status_before/after, decision, the membership closed on that date when the member leaves).

Dates are handled as ordinals and written as ISO strings; everything is drawn from one
`random.Random(seed)`, so a seed gives the same rows on every database.
"""

import datetime as dt
import itertools
from bisect import bisect
from collections import Counter
from collections.abc import Iterator

from dangvu.core.dates import add_months
from dangvu.core.demo import names as DN
from dangvu.core.demo.generator import HEALTH_FIELDS, PROFILES, STAFF_POSITION
from dangvu.core.text import name_sort_key, normalize
from dangvu.members.choices import (
    EventKind,
    MemberStatus,
    PoliticalTheory,
    StateManagement,
    TransferKind,
)
from dangvu.members.validators import citizen_id_for

from . import places as PL
from .tree import ENTERPRISE, LOCAL, TEACHER, VILLAGE, Org

MEMBER_COLUMNS = (
    "id",
    "organization_id",
    "status",
    "full_name",
    "other_names",
    "gender",
    "date_of_birth",
    "birth_place",
    "hometown",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "email",
    "address",
    "general_education",
    "professional_degree",
    "professional_field",
    "political_theory",
    "state_management",
    "foreign_language",
    "occupation",
    "position",
    "workplace",
    "card_number",
    "admission_date",
    "admission_place",
    "official_date",
    "introducers",
    "photo",
    "user_id",
    "search_text",
    "name_sort",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "id",
    "member_id",
    "kind",
    "date",
    "decision_number",
    "decision_date",
    "issuer",
    "organization_id",
    "to_organization_id",
    "external_place",
    "transfer_kind",
    "status_before",
    "status_after",
    "old_value",
    "new_value",
    "note",
    "created_at",
)
MEMBERSHIP_COLUMNS = (
    "id",
    "member_id",
    "organization_id",
    "kind",
    "valid_from",
    "valid_to",
    "event_id",
)

ADMITTED_NOTE = "Ghi nhận từ hồ sơ đảng viên."  # members.bulk.bulk_register (Vietnamese)

PROFILES_ALL = {
    **PROFILES,
    VILLAGE: {
        "occupation": [
            ("Nông dân", 42),
            ("Kinh doanh", 12),
            ("Công nhân", 8),
            ("Cán bộ thôn", 6),
            ("Lao động tự do", 12),
        ],
        "fields": ("Nông học", "Kế toán", "Sư phạm", "Luật", "Quản lý đất đai", "Kinh tế"),
        "degree": [
            ("none", 45),
            ("vocational", 25),
            ("college", 8),
            ("bachelor", 20),
            ("master", 2),
        ],
    },
    TEACHER: {
        "occupation": [("Giáo viên", 9), ("Viên chức", 1)],
        "fields": (
            "Sư phạm Toán",
            "Sư phạm Ngữ văn",
            "Sư phạm Tiếng Anh",
            "Sư phạm Mầm non",
            "Sư phạm Tiểu học",
            "Sư phạm Vật lý",
            "Sư phạm Lịch sử",
        ),
        "degree": [("bachelor", 75), ("master", 13), ("college", 12)],
    },
    ENTERPRISE: {
        "occupation": [
            ("Kỹ sư", 30),
            ("Công nhân", 35),
            ("Nhân viên", 20),
            ("Kế toán", 10),
            ("Cán bộ quản lý", 5),
        ],
        "fields": (
            "Kỹ thuật điện",
            "Cơ khí",
            "Kế toán",
            "Quản trị kinh doanh",
            "Kỹ thuật xây dựng",
            "Công nghệ thông tin",
            "Kinh tế",
        ),
        "degree": [
            ("bachelor", 50),
            ("vocational", 25),
            ("college", 12),
            ("master", 8),
            ("none", 5),
        ],
    },
    LOCAL: {
        "occupation": [("Công chức", 6), ("Chiến sĩ", 4)],
        "fields": ("Luật", "Hành chính học", "Quân sự cơ sở", "Điều tra trinh sát"),
        "degree": [("bachelor", 55), ("college", 15), ("vocational", 25), ("master", 5)],
    },
}
LADDERS = {
    **STAFF_POSITION,
    "Giáo viên": ("Giáo viên", "Giáo viên", "Tổ trưởng chuyên môn"),
    "Kỹ sư": ("Kỹ sư", "Kỹ sư", "Kỹ sư chính"),
    "Công nhân": ("Công nhân", "Công nhân", "Tổ trưởng sản xuất"),
    "Nhân viên": ("Nhân viên", "Nhân viên", "Trưởng nhóm"),
    "Kế toán": ("Kế toán viên", "Kế toán viên", "Kế toán trưởng"),
    "Cán bộ quản lý": ("Phó Trưởng phòng", "Trưởng phòng", "Phó Giám đốc"),
    "Chiến sĩ": ("Chiến sĩ", "Chiến sĩ", "Phó Chỉ huy trưởng"),
    "Nông dân": ("", "", ""),
    "Kinh doanh": ("", "", ""),
    "Lao động tự do": ("", "", ""),
    "Cán bộ thôn": ("Thôn đội trưởng", "Chi hội trưởng Hội Nông dân", "Phó Trưởng thôn"),
}
FOREIGN_LANGUAGES = DN.FOREIGN_LANGUAGES
LANG_VILLAGE = [("", 80.0), ("Tiếng Anh bậc 2", 12.0), ("Tiếng Anh B", 8.0)]
EXTERNAL = [
    "Đảng bộ Bộ Tài chính",
    "Đảng bộ Bộ Quốc phòng",
    "Đảng bộ Công an Trung ương",
    "Đảng bộ Khối các cơ quan Trung ương",
    "Đảng bộ Khối Doanh nghiệp Trung ương",
]


NAME_POOL = 32768


class Pick:
    """Weighted choice with precomputed cumulative weights."""

    __slots__ = ("values", "cum", "total", "random")

    def __init__(self, rng, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]
        self.random = rng.random

    def __call__(self):
        return self.values[bisect(self.cum, self.random() * self.total)]


def _tables(rng):
    P, S = PoliticalTheory, StateManagement

    def pick(pairs):
        return Pick(rng, [(str(v), w) for v, w in pairs])

    theory = {
        "head": pick([(P.ADVANCED, 45), (P.INTERMEDIATE, 45), (P.BACHELOR, 10)]),
        "prob": pick([(P.NONE, 65), (P.ELEMENTARY, 35)]),
        30: pick([(P.NONE, 35), (P.ELEMENTARY, 60), (P.INTERMEDIATE, 5)]),
        40: pick([(P.NONE, 8), (P.ELEMENTARY, 52), (P.INTERMEDIATE, 35), (P.ADVANCED, 5)]),
        50: pick([(P.ELEMENTARY, 25), (P.INTERMEDIATE, 50), (P.ADVANCED, 20), (P.BACHELOR, 5)]),
        99: pick([(P.ELEMENTARY, 35), (P.INTERMEDIATE, 40), (P.ADVANCED, 20), (P.BACHELOR, 5)]),
    }
    state = {
        "head": pick([(S.PRINCIPAL, 50), (S.SENIOR, 20), (S.SPECIALIST, 30)]),
        "none": pick([(S.NONE, 92), (S.SPECIALIST, 8)]),
        30: pick([(S.NONE, 70), (S.SPECIALIST, 30)]),
        40: pick([(S.NONE, 30), (S.SPECIALIST, 60), (S.PRINCIPAL, 10)]),
        50: pick([(S.NONE, 15), (S.SPECIALIST, 50), (S.PRINCIPAL, 32), (S.SENIOR, 3)]),
        99: pick([(S.NONE, 10), (S.SPECIALIST, 40), (S.PRINCIPAL, 42), (S.SENIOR, 8)]),
    }
    return theory, state


class People:
    """Draws members unit by unit; `chunks()` yields (members, events, memberships) row lists."""

    def __init__(self, rng, today: dt.date, created_at, chunk_size: int = 10_000, expected=None):
        self.rng = rng
        self.today = today
        self.created_at = created_at
        self.chunk_size = chunk_size
        self.family = Pick(rng, DN.FAMILY_NAMES)
        self.male_middle = Pick(rng, DN.MALE_MIDDLE)
        self.female_middle_old = Pick(rng, DN.FEMALE_MIDDLE_OLDER)
        self.female_middle_young = Pick(rng, DN.FEMALE_MIDDLE_YOUNGER)
        self.male_given = Pick(rng, DN.MALE_GIVEN)
        self.female_given = Pick(rng, DN.FEMALE_GIVEN)
        self.theory, self.state = _tables(rng)
        self.profiles = {
            kind: (Pick(rng, p["occupation"]), Pick(rng, p["degree"]), tuple(p["fields"]))
            for kind, p in PROFILES_ALL.items()
        }
        self.language = Pick(rng, FOREIGN_LANGUAGES)
        self.language_village = Pick(rng, LANG_VILLAGE)
        # Pools of names with their search and sort keys (Member.refresh_derived), drawn with the
        # weights of the demo's name lists: picking from a pool is ten times cheaper per member.
        derived: dict[str, tuple[str, str]] = {}
        self.pool_size = min(NAME_POOL, max(2048, expected or NAME_POOL))

        def pool(gender: str, age: int) -> list[tuple[str, str, str]]:
            out = []
            for _ in range(self.pool_size):
                name = self.name(gender, age)
                d = derived.get(name)
                if d is None:
                    d = derived[name] = (normalize(name), name_sort_key(name))
                out.append((name, *d))
            return out

        self.name_pools = {
            ("male", False): pool("male", 30),
            ("male", True): pool("male", 60),
            ("female", False): pool("female", 30),
            ("female", True): pool("female", 60),
        }
        self.introducer_names = [
            self.name("male" if rng.random() < 0.6 else "female", rng.randint(35, 60))
            for _ in range(4096)
        ]
        self.cid_serial: dict[tuple, list] = {}
        self.cards: dict[str, list] = {}
        self.by_province: dict[str, tuple] = {}
        self.stats: Counter = Counter()
        # Ordinal → ISO date, and admission ordinal → official date ordinal (12 months later).
        self.today_ord = today.toordinal()
        self._iso: dict[int, str] = {}
        self._official: dict[int, int] = {}
        self.latest_official_admission = add_months(today, -13).toordinal()

    # -- helpers ---------------------------------------------------------------------------------
    def iso(self, o: int) -> str:
        s = self._iso.get(o)
        if s is None:
            s = self._iso[o] = dt.date.fromordinal(o).isoformat()
        return s

    def official_of(self, admission: int) -> int:
        o = self._official.get(admission)
        if o is None:
            o = self._official[admission] = add_months(
                dt.date.fromordinal(admission), 12
            ).toordinal()
        return o

    def name(self, gender: str, age: int) -> str:
        family = self.family()
        if gender == "male":
            middle, pick_given = self.male_middle(), self.male_given
        else:
            middle = (self.female_middle_old if age >= 45 else self.female_middle_young)()
            pick_given = self.female_given
        given = pick_given()
        last = middle.rsplit(" ", 1)[-1]
        while given == last:
            given = pick_given()
        return f"{family} {middle} {given}"

    def province_tables(self, p: PL.Province):
        t = self.by_province.get(p.name)
        if t is None:
            rng = self.rng
            t = self.by_province[p.name] = (
                Pick(rng, [((h, code), w) for h, code, w in p.hometowns]),
                Pick(rng, PL.ETHNICITY_BY_REGION[p.region])
                if p.name != PL.HA_TINH
                else Pick(rng, DN.ETHNICITY_WEIGHTS),
                Pick(rng, PL.RELIGION_BY_REGION[p.region])
                if p.name != PL.HA_TINH
                else Pick(rng, DN.RELIGION_WEIGHTS),
            )
        return t

    def citizen_serial(self, code: str, gender: str, year: int) -> list:
        """[next serial, the first six digits, salt] for citizen IDs of one province, sex and
        birth year: serial k gives `citizen_id_for(code, gender, year, (k * 7919 + salt) % 10**6)`,
        all distinct for k below a million (7919 is prime to 10**6)."""
        salt = (int(code) * 7877 + year * 101 + (gender == "female") * 13) % 1_000_000
        return [0, citizen_id_for(code, gender, year, 0)[:6], salt]

    def card_state(self, p: PL.Province) -> list:
        """[next serial, prefix]: card numbers of a province, distinct for a million members."""
        state = self.cards.get(p.code)
        if state is None:
            state = self.cards[p.code] = [0, p.card_prefix]
        return state

    # -- sizes -----------------------------------------------------------------------------------
    @staticmethod
    def sizes(units: list[Org], total: int) -> list[int]:
        """Members per unit: proportional to the weights, at least one each, summing to total."""
        if total < len(units):
            raise ValueError(
                f"Cần ít nhất {len(units)} đảng viên cho cây tổ chức này (mỗi chi bộ một người)."
            )
        weights = [u.weight for u in units]
        wsum = sum(weights)
        spare = total - len(units)
        raw = [spare * w / wsum for w in weights]
        sizes = [1 + int(x) for x in raw]
        rest = total - sum(sizes)
        order = sorted(range(len(units)), key=lambda i: (int(raw[i]) - raw[i], i))
        for i in order[:rest]:
            sizes[i] += 1
        return sizes

    # -- the stream ------------------------------------------------------------------------------
    def chunks(self, units: list[Org], sizes: list[int]) -> Iterator[tuple[list, list, list]]:
        rng = self.rng
        random = rng.random
        randint = rng.randint
        triangular = rng.triangular
        today = self.today_ord
        iso_cache = self._iso
        iso_slow = self.iso

        def iso(o):
            return iso_cache.get(o) or iso_slow(o)

        official_of = self.official_of
        latest_adm = self.latest_official_admission
        created = self.created_at
        pools = self.name_pools
        pool_size = self.pool_size
        cid_serial = self.cid_serial
        intro = self.introducer_names
        theory, state = self.theory, self.state
        stats = self.stats
        PROB, OFF = MemberStatus.PROBATIONARY.value, MemberStatus.OFFICIAL.value
        ADMITTED = EventKind.ADMITTED.value
        RECOGNISED = EventKind.RECOGNISED_OFFICIAL.value
        OFFICIAL_KIND = TransferKind.OFFICIAL.value
        YEAR = 365.25
        members: list = []
        events: list = []
        memberships: list = []
        mid = eid = sid = 0
        for unit, size in zip(units, sizes, strict=True):
            p = unit.province
            card_state = self.card_state(p)
            home_pick, eth_pick, rel_pick = self.province_tables(p)
            occ_pick, degree_pick, default_fields = self.profiles[unit.kind]
            fields = unit.fields or default_fields
            kind = unit.kind
            village = kind == VILLAGE
            no_state_mgmt = kind in (VILLAGE, ENTERPRISE)
            est = unit.established.toordinal()
            addresses = p.addresses
            elsewhere = p.elsewhere
            org_id = unit.id
            female_share = unit.female_share
            adm_suffix = unit.admission_suffix
            for i in range(size):
                mid += 1
                head = i == 0
                gender = "female" if random() < female_share else "male"
                probationary = not head and random() < (0.03 if village else 0.035)
                # Age.
                if head:
                    age = 40 + int(random() * 19)
                elif probationary:
                    age = 20 + int(random() * 21)
                elif village:
                    r = random()
                    if r < 0.08:
                        age = randint(23, 34)
                    elif r < 0.25:
                        age = randint(35, 49)
                    elif r < 0.45:
                        age = randint(50, 59)
                    elif r < 0.75:
                        age = randint(60, 72)
                    else:
                        age = randint(73, 92)
                elif random() < 0.005:
                    age = randint(62, 76)  # retired, still on the roll of the agency's cell
                else:
                    r = random()
                    if r < 0.18:
                        age = randint(23, 29)
                    elif r < 0.54:
                        age = randint(30, 39)
                    elif r < 0.81:
                        age = randint(40, 49)
                    elif r < 0.95:
                        age = randint(50, 55)
                    else:
                        age = randint(56, 60)
                    if gender == "female" and age > 57:
                        age = randint(50, 57)
                dob = today - int(age * YEAR) - 1 - int(random() * 364)
                full_name, nn, sort_key = pools[gender, age >= 45][int(random() * pool_size)]
                (home, code) = home_pick()
                year = dt.date.fromordinal(dob).year
                serial = cid_serial.get((code, gender, year))
                if serial is None:
                    serial = cid_serial[code, gender, year] = self.citizen_serial(
                        code, gender, year
                    )
                k = serial[0]
                serial[0] = k + 1
                cid = serial[1] + f"{(k * 7919 + serial[2]) % 1_000_000:06d}"
                # Admission (at least 19), official 12 months later unless still probationary.
                earliest = dob + 6940
                if probationary:
                    adm = today - 12 - int(random() * 328)
                    official = None
                else:
                    span = latest_adm - earliest
                    offset = triangular(0, min(span, 26 * YEAR), min(span, 5.5 * YEAR))
                    adm = min(earliest + int(offset), latest_adm)
                    official = official_of(adm)
                if probationary or (random() < 0.45 and adm >= est):
                    joined = max(adm, est)
                    place = unit.admission_label
                else:
                    lo = max(adm, est)
                    hi = today - 60
                    joined = lo + int(random() * (hi - lo)) if hi > lo else lo
                    place = elsewhere[int(random() * len(elsewhere))]
                # Work.
                occupation = occ_pick()
                degree = degree_pick()
                if age < 28 and degree in ("master", "doctor"):
                    degree = "bachelor"
                if kind == "health" and occupation in HEALTH_FIELDS:
                    field = HEALTH_FIELDS[occupation][
                        int(random() * len(HEALTH_FIELDS[occupation]))
                    ]
                elif degree == "none":
                    field = ""
                else:
                    field = fields[int(random() * len(fields))]
                ladder = LADDERS.get(occupation, LADDERS["Công chức"])
                if head:
                    position = unit.head_title
                elif age >= 50:
                    position = ladder[(0, 1, 1, 2)[int(random() * 4)]]
                elif age >= 38:
                    position = ladder[(0, 0, 1)[int(random() * 3)]]
                else:
                    position = ladder[0]
                if age >= 60 and not head:
                    occupation, position = "Nghỉ hưu", ""
                if head:
                    th, sm = theory["head"](), state["head"]()
                else:
                    band = 30 if age < 30 else 40 if age < 40 else 50 if age < 50 else 99
                    th = theory["prob"]() if probationary else theory[band]()
                    sm = state["none"]() if no_state_mgmt else state[band]()
                if probationary:
                    card = None
                else:
                    k = card_state[0]
                    card_state[0] = k + 1
                    card = card_state[1] + f"{(k * 7919 + 4242) % 1_000_000:06d}"
                search = f"{nn} {card} {cid}" if card else f"{nn} {cid}"
                r_edu = random()
                education = (
                    "thpt"
                    if r_edu < (0.80 if village else 0.98)
                    else ("thcs" if r_edu < 0.995 else "primary")
                )
                status = PROB if probationary else OFF
                # Lifecycle: a small share leaves, dies or is exempted (events as the services write).
                special = None
                if not probationary and not head:
                    # Exempted: many of the oldest village members, nearly every retired member
                    # still on an agency's roll.
                    if village:
                        exempt_chance = 0.35 if age >= 70 else 0.0
                    else:
                        exempt_chance = 0.9 if age >= 62 else 0.0
                    if exempt_chance and random() < exempt_chance:
                        special = "exempt"
                    else:
                        r = random()
                        if r < 0.0085:
                            if r < 0.004:
                                special = "died" if age >= 45 else None
                            elif r < 0.007:
                                special = "transfer_out"
                            elif r < 0.008:
                                special = "removed"
                            else:
                                special = "expelled"
                adm_iso = iso(adm)
                eid += 1
                events.append(
                    (
                        eid,
                        mid,
                        ADMITTED,
                        adm_iso,
                        f"{12 + int(random() * 969)}-{adm_suffix}",
                        adm_iso,
                        "",
                        org_id,
                        None,
                        "",
                        "",
                        "",
                        PROB,
                        "",
                        "",
                        ADMITTED_NOTE,
                        created,
                    )
                )
                if official is not None:
                    eid += 1
                    events.append(
                        (
                            eid,
                            mid,
                            RECOGNISED,
                            iso(official),
                            "",
                            None,
                            "",
                            org_id,
                            None,
                            "",
                            "",
                            PROB,
                            OFF,
                            "",
                            "",
                            "",
                            created,
                        )
                    )
                valid_to = None
                if special is not None:
                    lo = max(official + 30, joined + 1)
                    if special == "exempt":
                        lo = max(lo, dob + int(65 * YEAR))
                    hi = today - 7
                    if lo > hi:
                        special = None
                    else:
                        date = iso(lo + int(random() * (hi - lo + 1)))
                        status, ev = self.special_event(special, unit, date)
                        eid += 1
                        events.append((eid, mid, *ev, created))
                        if special != "exempt":
                            valid_to = date
                stats[status] += 1
                sid += 1
                memberships.append((sid, mid, org_id, OFFICIAL_KIND, iso(joined), valid_to, None))
                members.append(
                    (
                        mid,
                        org_id,
                        status,
                        full_name,
                        "",
                        gender,
                        iso(dob),
                        home,
                        home,
                        eth_pick(),
                        rel_pick(),
                        cid,
                        f"0{(9, 9, 3, 8, 7)[int(random() * 5)]}{int(random() * 1e8):08d}",
                        "",
                        unit.address or addresses[int(random() * len(addresses))],
                        education,
                        degree,
                        field,
                        th,
                        sm,
                        (self.language_village if village else self.language)(),
                        occupation,
                        position,
                        unit.workplace,
                        card,
                        adm_iso,
                        place,
                        iso(official) if official is not None else None,
                        f"{intro[int(random() * 4096)]}, {intro[int(random() * 4096)]}",
                        "",
                        None,
                        search,
                        sort_key,
                        created,
                        created,
                    )
                )
                if len(members) >= self.chunk_size:
                    yield members, events, memberships
                    members, events, memberships = [], [], []
        if members:
            yield members, events, memberships
        # Serials are distinct below a million per key (the load rolls back otherwise).
        if max((s[0] for s in [*cid_serial.values(), *self.cards.values()]), default=0) > 10**6:
            raise ValueError("citizen-ID or card serials exhausted")

    def special_event(self, special: str, unit: Org, date: str) -> tuple[str, tuple]:
        """(new status, event columns from kind to note) as the lifecycle service writes them."""
        rng = self.rng
        OFF = MemberStatus.OFFICIAL.value
        org = unit.id
        if special == "exempt":
            return MemberStatus.EXEMPT.value, (
                EventKind.EXEMPTION_GRANTED.value,
                date,
                f"{rng.randint(1, 60)}-NQ/CB",
                date,
                "",
                org,
                None,
                "",
                "",
                OFF,
                MemberStatus.EXEMPT.value,
                "",
                "",
                "Tuổi cao, sức yếu; chi bộ đồng ý miễn công tác và sinh hoạt đảng.",
            )
        if special == "died":
            return MemberStatus.DECEASED.value, (
                EventKind.DIED.value,
                date,
                "",
                None,
                "",
                org,
                None,
                "",
                "",
                OFF,
                MemberStatus.DECEASED.value,
                "",
                "",
                "Từ trần.",
            )
        if special == "transfer_out":
            place = unit.province.elsewhere + EXTERNAL
            return MemberStatus.TRANSFERRED_OUT.value, (
                EventKind.TRANSFER_OUT.value,
                date,
                f"{rng.randint(12, 980)}-GGT/BTC",
                date,
                unit.issuer,
                org,
                None,
                place[rng.randrange(len(place))],
                TransferKind.OFFICIAL.value,
                OFF,
                MemberStatus.TRANSFERRED_OUT.value,
                "",
                "",
                "Chuyển công tác." if rng.random() < 0.6 else "Chuyển sinh hoạt về nơi cư trú.",
            )
        if special == "removed":
            return MemberStatus.REMOVED.value, (
                EventKind.REMOVED.value,
                date,
                f"{rng.randint(12, 980)}-QĐ/{unit.admission_suffix.split('/')[-1]}",
                date,
                unit.issuer,
                org,
                None,
                "",
                "",
                OFF,
                MemberStatus.REMOVED.value,
                "",
                "",
                "Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng.",
            )
        return MemberStatus.EXPELLED.value, (
            EventKind.EXPELLED.value,
            date,
            f"{rng.randint(12, 980)}-QĐ/UBKT",
            date,
            "Ủy ban Kiểm tra " + unit.issuer,
            org,
            None,
            "",
            "",
            OFF,
            MemberStatus.EXPELLED.value,
            "",
            "",
            "Kỷ luật khai trừ ra khỏi Đảng.",
        )
