"""Demo meetings and supervision, written after the tree, the members and the demo accounts.

Deterministic for a seed and a demo today (`plan.today`):
- every cell and grassroots cell holds its regular meeting each month, from the start of the
  quarter a year back up to today, with the roster built from its members as of the meeting date
  (the rule of `services.roster_build`: official memberships by status, temporary ones marked),
  attendance of 85–98 % (excused absences with reasons, a rare unexcused one; a few poorly
  attended meetings), mostly 90–150 minutes (a few short ones), minutes, resolution and votes;
- a thematic meeting (or a combined one) most quarters, a few cells missing one; two cells missed
  last month's meeting and one an earlier month; next month's meetings planned, some notified;
- the standing committee member 'btv' is in charge of ~15 organisations (the demo committee
  among them) and 'tochuc' of a few; 'btv' attended the meetings of 7 cells this half-year and
  some in the first half, with checklists and findings — closed, open, and overdue (owned by the
  demo secretaries where the cell is theirs);
- the reminders (`meetings.reminders`) of the demo today, for the demo accounts.

Meetings and attendance are bulk-inserted with their history rows (the audit trail is complete).
Without the demo accounts (demo mode off) only the meetings are written.
"""

import datetime as dt
import random
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dangvu.accounts.models import User
from dangvu.core.audit import audit_context
from dangvu.core.dates import add_months
from dangvu.core.rulebook import rule
from dangvu.meetings import reminders
from dangvu.meetings.choices import (
    AttendanceStatus,
    CheckinMethod,
    FindingCategory,
    FindingStatus,
    MeetingKind,
    MeetingStatus,
    Quality,
    RosterCategory,
)
from dangvu.meetings.models import (
    AgendaTemplate,
    Assignment,
    Attendance,
    ChecklistTemplate,
    Finding,
    FindingNote,
    Meeting,
    ObserverVisit,
)
from dangvu.members.choices import ACTIVE_STATUSES, MemberStatus, TransferKind
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.organizations.choices import CELL_TYPES, GRASSROOTS_TYPES
from dangvu.organizations.models import Organization

from . import agencies as A

CHANGE_REASON = "Dữ liệu trình diễn (seed_demo)"
HISTORY = {"source": "command"}
BATCH = 1000
VISITS_THIS_HALF = 7

REASONS = [
    ("Đi công tác", 30),
    ("Ốm", 18),
    ("Nghỉ phép", 14),
    ("Việc gia đình", 14),
    ("Đi học", 10),
    ("Trực cơ quan", 8),
    ("Nghỉ chế độ thai sản", 3),
]
TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về trách nhiệm nêu gương",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Chuyển đổi số trong cơ quan, đơn vị",
    "Phòng, chống tham nhũng, lãng phí, tiêu cực",
    "Đạo đức công vụ và văn hóa công sở",
    "Bảo vệ nền tảng tư tưởng của Đảng",
    "Sắp xếp tinh gọn tổ chức bộ máy, nâng cao hiệu lực, hiệu quả",
    "Cải cách hành chính, nâng cao chỉ số hài lòng của người dân",
    "Thực hành tiết kiệm, chống lãng phí",
    "Vai trò nêu gương của cán bộ, đảng viên",
]
TASKS = [
    "hoàn thành đúng hạn các nhiệm vụ chuyên môn được giao",
    "đẩy mạnh ứng dụng công nghệ thông tin, giải quyết hồ sơ trực tuyến",
    "chuẩn bị tốt báo cáo tổng kết công tác năm",
    "thực hiện nghiêm kỷ luật, kỷ cương hành chính",
    "tham gia đầy đủ các phong trào thi đua của cơ quan",
    "rà soát, hoàn thiện hồ sơ đảng viên",
    "thu, nộp đảng phí đầy đủ, đúng quy định",
    "tiếp tục học tập, quán triệt các nghị quyết mới của Đảng",
]
FINDING_TEXT = {
    "preparation": (
        FindingCategory.PREPARATION,
        "Chi ủy chưa chuẩn bị dự thảo nghị quyết trước buổi sinh hoạt.",
        "Chi ủy họp chuẩn bị nội dung, dự thảo nghị quyết trước mỗi kỳ sinh hoạt.",
    ),
    "notice": (
        FindingCategory.PREPARATION,
        "Không thông báo cho cấp ủy viên cấp trên phụ trách chi bộ.",
        "Gửi thông báo, giấy mời cho đồng chí phụ trách cùng lúc với đảng viên.",
    ),
    "documents": (
        FindingCategory.PREPARATION,
        "Tài liệu sinh hoạt đăng muộn, đảng viên không kịp nghiên cứu.",
        "Đăng tài liệu lên Sổ tay đảng viên điện tử trước ít nhất 1 ngày.",
    ),
    "duration": (
        FindingCategory.PROCEDURE,
        "Thời lượng sinh hoạt chưa bảo đảm theo hướng dẫn.",
        "Bố trí thời gian sinh hoạt ít nhất 90 phút.",
    ),
    "opening": (
        FindingCategory.PROCEDURE,
        "Không thông qua chương trình, không cử thư ký ghi biên bản.",
        "Thực hiện đúng trình tự phần mở đầu theo HD 42-HD/BTCTW.",
    ),
    "discussion": (
        FindingCategory.CRITICISM,
        "Ít ý kiến thảo luận; tự phê bình và phê bình còn hình thức.",
        "Phân công đảng viên chuẩn bị ý kiến; khuyến khích thảo luận dân chủ.",
    ),
    "resolution": (
        FindingCategory.RESOLUTION,
        "Kết luận của chi bộ không được biểu quyết.",
        "Biểu quyết thông qua nghị quyết (kết luận) tại mỗi kỳ sinh hoạt.",
    ),
    "quality": (
        FindingCategory.PROCEDURE,
        "Chưa tự đánh giá chất lượng buổi sinh hoạt.",
        "Chi bộ tự đánh giá chất lượng vào cuối mỗi buổi sinh hoạt.",
    ),
    "minutes": (
        FindingCategory.RECORDS,
        "Biên bản ghi sơ sài, không ghi số đảng viên vắng mặt và lý do.",
        "Ghi biên bản đầy đủ theo mẫu; thông qua biên bản trước khi kết thúc.",
    ),
}


@dataclass
class _Member:
    pk: int
    admission: dt.date
    events: list = field(default_factory=list)  # [(date, id, status_after)] sorted
    dates: list = field(default_factory=list)

    def status_on(self, on: dt.date) -> str | None:
        i = bisect_right(self.dates, on)
        return self.events[i - 1][2] if i else None


class _Writer:
    def __init__(self, plan):
        self.rng = random.Random(f"meetings-{plan.seed}")
        self.today: dt.date = plan.today
        self.tz = timezone.get_current_timezone()
        self.counts: dict[str, int] = defaultdict(int)
        self.fraction = Fraction(rule("meeting.resolution_fraction", self.today).value)

    # -- reading what the loader wrote -----------------------------------------------------------
    def read(self) -> None:
        self.cells = list(
            Organization.objects.filter(org_type__in=list(CELL_TYPES)).order_by("path")
        )
        parents = {
            o.path: o
            for o in Organization.objects.filter(
                path__in={c.path[: -c.steplen] for c in self.cells}
            )
        }
        self.parent_of = {c.pk: parents.get(c.path[: -c.steplen]) for c in self.cells}
        members: dict[int, _Member] = {
            pk: _Member(pk, adm)
            for pk, adm in Member.objects.order_by("pk").values_list("pk", "admission_date")
        }
        for member_id, date, pk, status in MemberEvent.objects.order_by(
            "member_id", "date", "id"
        ).values_list("member_id", "date", "id", "status_after"):
            m = members[member_id]
            m.events.append((date, pk, status))
            m.dates.append(date)
        self.members = members
        self.memberships: dict[int, list] = defaultdict(list)
        for member_id, org_id, kind, start, end in (
            Membership.objects.filter(kind__in=[TransferKind.OFFICIAL, TransferKind.TEMPORARY])
            .order_by("member_id", "valid_from", "id")
            .values_list("member_id", "organization_id", "kind", "valid_from", "valid_to")
        ):
            self.memberships[org_id].append((member_id, kind, start, end))
        agenda = AgendaTemplate.objects.filter(is_default=True, organization__isnull=True)
        by_kind = {t.kind: t.items for t in agenda.order_by("pk")}
        self.agenda = lambda kind: list(by_kind.get(kind) or by_kind.get("") or [])
        checklist = ChecklistTemplate.objects.filter(is_default=True).order_by("pk").first()
        self.checklist_items = list(checklist.items) if checklist else []
        self.users = {u.username: u for u in User.objects.filter(is_demo=True, is_active=True)}

    def roster(self, cell: Organization, on: dt.date) -> list[tuple[int, str]]:
        """[(member id, roster category)] as `services._roster_build` would write it on `on`."""
        official, temporary = {}, set()
        for member_id, kind, start, end in self.memberships.get(cell.pk, ()):
            if start <= on and (end is None or end > on):
                status = self.members[member_id].status_on(on)
                if status not in ACTIVE_STATUSES:
                    continue
                if kind == TransferKind.OFFICIAL:
                    official[member_id] = status
                else:
                    temporary.add(member_id)
        by_status = {
            MemberStatus.OFFICIAL: RosterCategory.OFFICIAL,
            MemberStatus.PROBATIONARY: RosterCategory.PROBATIONARY,
            MemberStatus.EXEMPT: RosterCategory.EXEMPT,
        }
        rows = [(pk, by_status[MemberStatus(s)]) for pk, s in official.items()]
        rows += [(pk, RosterCategory.TEMPORARY) for pk in sorted(temporary - set(official))]
        return sorted(rows)

    # -- the plan of meetings ----------------------------------------------------------------------
    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    @staticmethod
    def weekday(day: dt.date) -> dt.date:
        if day.weekday() == 5:
            return day - dt.timedelta(days=1)
        if day.weekday() == 6:
            return day + dt.timedelta(days=1)
        return day

    def exists(self, cell: Organization, on: dt.date) -> bool:
        if cell.established_on and cell.established_on > on:
            return False
        return not (cell.dissolved_on and cell.dissolved_on <= on)

    def location(self, cell: Organization) -> str:
        parent = self.parent_of.get(cell.pk)
        if cell.org_type == "cell" and parent is not None:
            place = parent.name.removeprefix("Đảng bộ ").strip()
        else:
            place = cell.name.removeprefix("Chi bộ ").strip()
        room = self.rng.choice(["Phòng họp", "Phòng họp", "Hội trường", "Phòng họp giao ban"])
        return f"{room} {place}"

    def schedule(self) -> list[dict]:
        """Every meeting to write, in memory: {cell, kind, day, hour, status, title}."""
        rng, today = self.rng, self.today
        first = add_months(today.replace(day=1), -12)
        first = first.replace(month=3 * ((first.month - 1) // 3) + 1)  # the quarter's start
        months = []
        d = first
        while d <= add_months(today.replace(day=1), 1):
            months.append(d)
            d = add_months(d, 1)
        last_month = add_months(today.replace(day=1), -1)
        quarters = sorted({(m.year, (m.month - 1) // 3 + 1) for m in months if m <= today})
        current_q = (today.year, (today.month - 1) // 3 + 1)
        previous_q = quarters[-2] if len(quarters) > 1 else None

        cells = [c for c in self.cells if self.exists(c, today)]
        demo_cell = next((c for c in cells if c.code == A.DEMO_CELL), None)
        in_demo = [
            c
            for c in cells
            if demo_cell
            and c.path[: -c.steplen] == demo_cell.path[: -c.steplen]
            and c.code != A.DEMO_CELL
        ]
        others = [c for c in cells if c not in in_demo and c.code != A.DEMO_CELL]
        # two cells missed last month (one of the demo committee), one cell an earlier month
        missed: dict[int, set] = defaultdict(set)
        picks = ([in_demo[0]] if in_demo else []) + rng.sample(others, min(2, len(others)))
        for c in picks[:2]:
            missed[c.pk].add(last_month)
        if len(picks) > 2:
            missed[picks[2].pk].add(add_months(last_month, -3))
        # thematic meetings missing in the previous quarter (one in the demo committee) and, more
        # rarely, in earlier ones
        no_thematic: set[tuple[int, tuple]] = set()
        if previous_q:
            for c in ([in_demo[-1]] if len(in_demo) > 1 else []) + [
                c for c in others if rng.random() < 0.05
            ]:
                no_thematic.add((c.pk, previous_q))
        for c in cells:
            for q in quarters[:-2]:
                if rng.random() < 0.03:
                    no_thematic.add((c.pk, q))

        out: list[dict] = []
        for cell in cells:
            day0, hour = rng.randint(2, 10), rng.choice([8, 14, 14, 15, 16])
            if cell is demo_cell:
                day0 = 2  # next month's meeting is days away and its notice not sent yet
            location = self.location(cell)
            skipped = missed.get(cell.pk, set())
            thematic_plan = {}
            for q in quarters + ([current_q] if current_q not in quarters else []):
                qmonths = [m for m in months if (m.year, (m.month - 1) // 3 + 1) == q]
                if (cell.pk, q) in no_thematic:
                    continue
                if q == current_q:
                    r = rng.random()
                    if r < 0.55:
                        choices = [m for m in qmonths if m <= last_month] or qmonths[:1]
                    elif r < 0.9:
                        choices = [m for m in qmonths if m > today] or qmonths[-1:]
                    else:
                        continue
                else:
                    choices = qmonths
                month = rng.choice(choices)
                combined = rng.random() < 0.3 and month not in skipped
                thematic_plan[month] = ("combined" if combined else "thematic", rng.choice(TOPICS))
            for month in months:
                day = self.weekday(month.replace(day=day0))
                plan = thematic_plan.get(month)
                if self.exists(cell, day) and month not in skipped:
                    combined = plan is not None and plan[0] == "combined"
                    out.append(
                        dict(
                            cell=cell,
                            kind=MeetingKind.COMBINED if combined else MeetingKind.REGULAR,
                            day=day,
                            hour=hour,
                            status=MeetingStatus.HELD if day < today else MeetingStatus.PLANNED,
                            title=plan[1] if combined else "",
                            location=location,
                            notify=cell is not demo_cell,
                        )
                    )
                if plan is not None and plan[0] == "thematic":
                    tday = self.weekday(month.replace(day=min(day0 + rng.randint(10, 16), 28)))
                    if self.exists(cell, tday):
                        out.append(
                            dict(
                                cell=cell,
                                kind=MeetingKind.THEMATIC,
                                day=tday,
                                hour=rng.choice([8, 14, 15]),
                                status=MeetingStatus.HELD
                                if tday < today
                                else MeetingStatus.PLANNED,
                                title=plan[1],
                                location=location,
                            )
                        )
        return out

    # -- writing the meetings ----------------------------------------------------------------------
    def minutes_text(self, spec: dict, chair: str) -> tuple[str, str]:
        rng = self.rng
        day = spec["day"]
        prev = add_months(day, -1)
        done, total = rng.randint(5, 9), 9
        if spec["kind"] == MeetingKind.THEMATIC:
            minutes = (
                f"Đồng chí {chair} trình bày chuyên đề “{spec['title']}”. Các đồng chí đảng viên "
                "thảo luận, liên hệ thực tế công tác của cơ quan, đơn vị và của bản thân; nhiều ý "
                "kiến đề xuất giải pháp cụ thể."
            )
            resolution = (
                f"Chi bộ thống nhất các giải pháp thực hiện chuyên đề “{spec['title']}”; mỗi đảng "
                f"viên đăng ký việc làm cụ thể, báo cáo kết quả tại kỳ sinh hoạt tháng "
                f"{add_months(day, 1).month}."
            )
            return minutes, resolution
        minutes = (
            f"Đồng chí {chair} thông tin thời sự, phổ biến văn bản mới của cấp trên. Chi bộ kiểm "
            f"điểm việc thực hiện nghị quyết tháng {prev.month}/{prev.year}: {done}/{total} nhiệm "
            "vụ hoàn thành đúng tiến độ. Đảng viên thảo luận, liên hệ việc học tập và làm theo tư "
            "tưởng, đạo đức, phong cách Hồ Chí Minh."
        )
        if spec["kind"] == MeetingKind.COMBINED:
            minutes += f" Chi bộ sinh hoạt chuyên đề “{spec['title']}”."
        tasks = rng.sample(TASKS, 2)
        resolution = (
            f"Tháng {day.month}/{day.year}, chi bộ lãnh đạo {tasks[0]}; {tasks[1]}. Phân công "
            "đảng viên theo dõi, đôn đốc và báo cáo tại kỳ sinh hoạt tới."
        )
        return minutes, resolution

    def duration(self, kind: str) -> int:
        rng = self.rng
        short = rng.random() < 0.03
        if kind == MeetingKind.COMBINED:
            return rng.choice([100, 105, 110, 115]) if short else rng.choice([120, 130, 150, 180])
        if short:
            return rng.choice([60, 70, 75, 80, 85])
        return rng.choice([90, 95, 100, 105, 110, 120, 120, 130, 150])

    def write_meetings(self, specs: list[dict]) -> list[Meeting]:
        rng = self.rng
        reason = _Weighted(rng, REASONS)
        meetings: list[Meeting] = []
        rosters: list[list] = []
        for spec in specs:
            day, cell = spec["day"], spec["cell"]
            when = self.at(day, spec["hour"])
            m = Meeting(
                organization=cell,
                kind=spec["kind"],
                status=spec["status"],
                title=spec["title"],
                scheduled_at=when,
                location=spec["location"],
                agenda=self.agenda(spec["kind"]),
            )
            roster = self.roster(cell, min(day, self.today))
            rows: list[tuple] = []
            if spec["status"] == MeetingStatus.PLANNED:
                soon = (day - self.today).days <= 10
                if soon and rng.random() < 0.5 and spec.get("notify", True):
                    # notices of the coming days already out, with the roster built
                    m.status = MeetingStatus.NOTIFIED
                    m.notice_sent_at = min(
                        when - dt.timedelta(days=rng.randint(3, 7), hours=2),
                        self.at(self.today, 7) - dt.timedelta(days=rng.randint(0, 2)),
                    )
                    rows = [(pk, cat, AttendanceStatus.UNKNOWN, "") for pk, cat in roster]
            else:
                rows = self.attend(roster, reason)
                m.notice_sent_at = when - dt.timedelta(days=rng.randint(3, 8), hours=3)
                m.started_at = when + dt.timedelta(minutes=rng.choice([0, 0, 0, 5, 10]))
                m.ended_at = m.started_at + dt.timedelta(minutes=self.duration(m.kind))
                present = [
                    pk
                    for pk, cat, st, _r in rows
                    if st == AttendanceStatus.PRESENT
                    and cat in (RosterCategory.OFFICIAL, RosterCategory.PROBATIONARY)
                ]
                officials = sorted(
                    (self.members[pk].admission, pk)
                    for pk, cat, st, _r in rows
                    if st == AttendanceStatus.PRESENT and cat == RosterCategory.OFFICIAL
                )
                if officials:
                    m.chair_id = officials[0][1]
                    m.minute_taker_id = (officials[-1] if len(officials) > 1 else officials[0])[1]
                elif present:
                    m.chair_id = m.minute_taker_id = present[0]
                self.vote(m, rows)
                m.quality = _Weighted(
                    rng, [(Quality.GOOD, 70), (Quality.FAIR, 26), (Quality.AVERAGE, 4)]
                )()
                m.minutes_approved = True
            meetings.append(m)
            rosters.append(rows)
        names = dict(Member.objects.values_list("pk", "full_name"))
        for m in meetings:
            if m.status == MeetingStatus.HELD:
                spec = {"kind": m.kind, "title": m.title, "day": timezone.localdate(m.scheduled_at)}
                m.minutes, m.resolution = self.minutes_text(spec, names.get(m.chair_id, ""))
        first_meeting = _max_pk(Meeting)
        created = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        if created and created[0].pk is None:  # pragma: no cover - backends returning no ids
            ids = Meeting.objects.filter(pk__gt=first_meeting).order_by("pk").values_list("pk")
            for m, (pk,) in zip(created, ids, strict=True):
                m.pk = m.id = pk
        _history_from_table(Meeting, first_meeting)
        first_attendance = _max_pk(Attendance)
        attendances = []
        for m, rows in zip(created, rosters, strict=True):
            for pk, cat, status, why in rows:
                method, checked_in = "", None
                if status == AttendanceStatus.PRESENT:
                    qr = rng.random() < 0.35
                    method = CheckinMethod.QR if qr else CheckinMethod.SECRETARY
                    checked_in = m.started_at - dt.timedelta(
                        minutes=rng.randint(1, 12) if qr else 0
                    )
                attendances.append((m.pk, pk, cat, status, why, checked_in, method))
        _insert_rows(
            Attendance,
            ["meeting_id", "member_id", "category", "status", "reason", "checked_in_at", "method"],
            attendances,
        )
        _history_from_table(Attendance, first_attendance)
        self.counts["meetings"] = len(created)
        self.counts["attendances"] = len(attendances)
        return created

    def attend(self, roster, reason) -> list[tuple]:
        """Attendance of one held meeting: 85–98 % of those expected (2 % of meetings poorly
        attended), the number of absentees rounded at random so that a small cell is often
        complete; absences mostly excused; exempt members rarely come."""
        rng = self.rng
        rate = rng.uniform(0.6, 0.78) if rng.random() < 0.02 else rng.uniform(0.85, 0.98)
        expected = [pk for pk, cat in roster if cat != RosterCategory.EXEMPT]
        k = min(len(expected), int((1 - rate) * len(expected) + rng.random()))
        absent = set(rng.sample(expected, k))
        rows = []
        for pk, cat in roster:
            if cat == RosterCategory.EXEMPT:
                if rng.random() < 0.1:
                    rows.append((pk, cat, AttendanceStatus.PRESENT, ""))
                else:
                    rows.append(
                        (pk, cat, AttendanceStatus.ABSENT_EXCUSED, "Miễn công tác và sinh hoạt")
                    )
            elif pk not in absent:
                rows.append((pk, cat, AttendanceStatus.PRESENT, ""))
            elif rng.random() < 0.1:
                rows.append((pk, cat, AttendanceStatus.ABSENT_UNEXCUSED, ""))
            else:
                rows.append((pk, cat, AttendanceStatus.ABSENT_EXCUSED, reason()))
        return rows

    def vote(self, m: Meeting, rows) -> None:
        """Votes of the official members present (exempt members who came vote too), passed when
        the votes for exceed the rulebook fraction of the official members convened
        (`services.vote_result`)."""
        official = sum(1 for _pk, cat, _s, _r in rows if cat == RosterCategory.OFFICIAL)
        exempt_present = sum(
            1
            for _pk, cat, st, _r in rows
            if cat == RosterCategory.EXEMPT and st == AttendanceStatus.PRESENT
        )
        voters = exempt_present + sum(
            1
            for _pk, cat, st, _r in rows
            if cat == RosterCategory.OFFICIAL and st == AttendanceStatus.PRESENT
        )
        on_roster = official + exempt_present
        abstain = 1 if voters > 4 and self.rng.random() < 0.15 else 0
        m.votes_for, m.votes_against, m.votes_abstain = voters - abstain, 0, abstain
        threshold = self.fraction * on_roster
        needed = threshold.numerator // threshold.denominator + 1
        m.resolution_passed = m.votes_for >= needed

    # -- supervision -------------------------------------------------------------------------------
    def supervision(self, meetings: list[Meeting]) -> None:
        btv, tochuc = self.users.get("btv"), self.users.get("tochuc")
        if btv is None:
            return
        rng, today = self.rng, self.today
        grassroots = list(
            Organization.objects.filter(
                org_type__in=list(GRASSROOTS_TYPES), dissolved_on__isnull=True
            ).order_by("path")
        )
        demo = next((o for o in grassroots if o.code == A.DEMO_COMMITTEE), None)
        rest = [o for o in grassroots if o is not demo]
        rng.shuffle(rest)
        n_btv = min(14, max(1, (len(rest) * 3) // 5))
        for_btv = ([demo] if demo else []) + rest[:n_btv]
        for_tochuc = rest[n_btv : n_btv + min(4, max(1, (len(rest) - n_btv) // 2))]
        start = dt.date(today.year, 1, 1)
        rows = [
            Assignment(
                user=btv,
                organization=o,
                valid_from=start,
                decision_number="112-QĐ/ĐUK",
                note="Phân công ủy viên Ban Thường vụ phụ trách tổ chức cơ sở đảng",
            )
            for o in sorted(for_btv, key=lambda o: o.path)
        ]
        if tochuc is not None:
            rows += [
                Assignment(
                    user=tochuc,
                    organization=o,
                    valid_from=start,
                    decision_number="112-QĐ/ĐUK",
                    note="Phân công cán bộ Ban Tổ chức theo dõi tổ chức cơ sở đảng",
                )
                for o in sorted(for_tochuc, key=lambda o: o.path)
            ]
        hist = {"default_change_reason": CHANGE_REASON, "custom_historical_attrs": HISTORY}
        bulk_create_with_history(rows, Assignment, **hist)
        self.counts["assignments"] = len(rows)

        half_start = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
        held = defaultdict(list)
        for m in meetings:
            if m.status == MeetingStatus.HELD and m.kind == MeetingKind.REGULAR:
                held[m.organization_id].append(m)

        def cells_under(orgs):
            paths = [o.path for o in orgs]
            return [
                c for c in self.cells if held[c.pk] and any(c.path.startswith(p) for p in paths)
            ]

        btv_cells = cells_under(for_btv)
        demo_cell = next((c for c in btv_cells if c.code == A.DEMO_CELL), None)
        others = [c for c in btv_cells if c is not demo_cell]
        rng.shuffle(others)
        this_half = ([demo_cell] if demo_cell else []) + others[
            : VISITS_THIS_HALF - bool(demo_cell)
        ]
        first_half = others[VISITS_THIS_HALF : VISITS_THIS_HALF + 5]
        plan = [(btv, c, half_start, today) for c in this_half]
        earlier = add_months(half_start, -6)
        plan += [(btv, c, earlier, half_start - dt.timedelta(days=1)) for c in first_half]
        if tochuc is not None:
            t_cells = cells_under(for_tochuc)
            rng.shuffle(t_cells)
            plan += [(tochuc, c, half_start, today) for c in t_cells[:2]]
        visits = []
        for observer, cell, since, until in plan:
            options = [
                m
                for m in held[cell.pk]
                if since <= timezone.localdate(m.scheduled_at) <= until
                and timezone.localdate(m.scheduled_at) < today - dt.timedelta(days=14)
            ]
            if not options:
                continue
            meeting = (
                min(options, key=lambda m: m.scheduled_at)
                if cell is demo_cell
                else rng.choice(options)
            )
            visits.append(self.visit(observer, cell, meeting, demo_cell))
        self.counts["visits"] = len(visits)

    def visit(self, observer, cell, meeting: Meeting, demo_cell) -> ObserverVisit:
        rng, today = self.rng, self.today
        day = timezone.localdate(meeting.scheduled_at)
        failed = set(
            rng.sample(
                [it["code"] for it in self.checklist_items if it.get("code") in FINDING_TEXT],
                k=rng.choice([0, 1, 1, 2]) if cell is not demo_cell else 2,
            )
        )
        if meeting.duration_minutes is not None and meeting.duration_minutes < 90:
            failed.add("duration")
        checklist = [
            {
                "code": it.get("code", ""),
                "title": it.get("title", ""),
                "done": it.get("code") not in failed,
                "note": FINDING_TEXT[it["code"]][1] if it.get("code") in failed else "",
            }
            for it in self.checklist_items
        ]
        assessment = (
            Quality.GOOD if not failed else (Quality.FAIR if len(failed) < 2 else Quality.AVERAGE)
        )
        v = ObserverVisit(
            meeting=meeting,
            observer=observer,
            checklist=checklist,
            assessment=assessment,
            comments=(
                "Buổi sinh hoạt được chuẩn bị chu đáo, đúng trình tự; đảng viên tham gia thảo "
                "luận sôi nổi."
                if not failed
                else "Buổi sinh hoạt cơ bản đúng trình tự; còn một số hạn chế cần khắc phục."
            ),
            recommendations=(
                "Duy trì nền nếp sinh hoạt; tiếp tục đổi mới nội dung, gắn với nhiệm vụ chính trị "
                "của cơ quan."
                if not failed
                else "Chi ủy khắc phục các hạn chế đã nêu, báo cáo kết quả với đồng chí phụ trách."
            ),
        )
        v.save()
        ObserverVisit.objects.filter(pk=v.pk).update(
            recorded_at=meeting.ended_at + dt.timedelta(hours=rng.randint(1, 20))
        )
        owner_user = None
        if cell is demo_cell:
            owner_user = self.users.get("chibo")
        elif cell.path.startswith(demo_cell.path[: -cell.steplen] if demo_cell else "~"):
            owner_user = self.users.get("bithu")
        for code in sorted(failed):
            category, description, action = FINDING_TEXT[code]
            deadline = day + dt.timedelta(days=rng.choice([30, 30, 45, 60]))
            f = Finding(
                visit=v,
                category=category,
                description=description,
                action=action,
                owner=f"Chi ủy {cell.name}",
                owner_user=owner_user,
                deadline=deadline,
            )
            closes = deadline < today - dt.timedelta(days=10) and rng.random() < 0.6
            if cell is demo_cell:
                closes = code == min(failed)  # one corrected, one overdue at the demo cell
            if closes:
                f.status = FindingStatus.CLOSED
                f.closed_on = min(deadline - dt.timedelta(days=rng.randint(0, 10)), today)
            f.save()
            self.counts["findings"] += 1
            author = owner_user or observer
            if closes:
                FindingNote.objects.create(
                    finding=f,
                    date=f.closed_on,
                    text="Chi ủy đã khắc phục; đồng chí phụ trách kiểm tra, xác nhận.",
                    author=observer,
                )
            elif deadline >= today or rng.random() < 0.5:
                FindingNote.objects.create(
                    finding=f,
                    date=min(day + dt.timedelta(days=rng.randint(7, 20)), today),
                    text="Chi ủy đã họp, phân công khắc phục; đang thực hiện.",
                    author=author,
                )
        return v


def _max_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs with executemany: tens of thousands of rows without building model
    instances. Dates and times are adapted for the backend; other values go as they are."""
    if not rows:
        return
    opts = model._meta
    fields = [opts.get_field(c) for c in columns]
    prep = [
        i
        for i, f in enumerate(fields)
        if f.get_internal_type() in ("DateTimeField", "DateField", "JSONField")
    ]
    if prep:
        rows = [
            tuple(
                fields[i].get_db_prep_save(v, connection) if i in prep else v
                for i, v in enumerate(r)
            )
            for r in rows
        ]
    q = connection.ops.quote_name
    columns_sql = ", ".join(q(f.column) for f in fields)
    if connection.vendor == "postgresql":  # COPY: several times faster than executemany
        with (
            connection.cursor() as c,
            c.cursor.copy(f"COPY {q(opts.db_table)} ({columns_sql}) FROM STDIN") as copy,
        ):
            for r in rows:
                copy.write_row(r)
        return
    sql = (
        f"INSERT INTO {q(opts.db_table)} ({columns_sql}) VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as c:
        for i in range(0, len(rows), 5000):
            c.executemany(sql, rows[i : i + 5000])


def _history_from_table(model, after_pk: int) -> int:
    """The creation history rows ('+') of the rows with a primary key above `after_pk`, copied
    from the table in one INSERT … SELECT (what bulk_create_with_history writes, row by row)."""
    H = model.history.model
    base = {f.column for f in model._meta.concrete_fields}
    q = connection.ops.quote_name
    cols, exprs, params = [], [], []
    for f in H._meta.concrete_fields:
        c = f.column
        if c == "history_id":
            continue
        if c == "history_date":
            expr, p = "%s", [f.get_db_prep_save(timezone.now(), connection)]
        elif c == "history_type":
            expr, p = "%s", ["+"]
        elif c == "history_change_reason":
            expr, p = "%s", [CHANGE_REASON]
        elif c == "source":
            expr, p = "%s", [HISTORY["source"]]
        elif c in base:
            expr, p = q(c), []
        elif f.null:
            expr, p = "NULL", []
        else:  # pragma: no cover - a new required history column
            raise ValueError(f"{H._meta.db_table}.{c}")
        cols.append(q(c))
        exprs.append(expr)
        params += p
    pk = q(model._meta.pk.column)
    sql = (
        f"INSERT INTO {q(H._meta.db_table)} ({', '.join(cols)}) "
        f"SELECT {', '.join(exprs)} FROM {q(model._meta.db_table)} WHERE {pk} > %s ORDER BY {pk}"
    )
    with connection.cursor() as c:
        c.execute(sql, [*params, after_pk])
        return c.rowcount


class _Weighted:
    def __init__(self, rng: random.Random, pairs):
        self.rng = rng
        self.values = [v for v, _w in pairs]
        self.weights = [w for _v, w in pairs]

    def __call__(self):
        return self.rng.choices(self.values, self.weights)[0]


def load(plan) -> dict:
    """Write the demo meetings and supervision; return counts of what was written."""
    with audit_context(actor=None, source="command"), transaction.atomic():
        w = _Writer(plan)
        w.read()
        meetings = w.write_meetings(w.schedule())
        w.supervision(meetings)
        if w.users:
            now = dt.datetime.combine(w.today, dt.time(7, 30), tzinfo=w.tz)
            outcome = reminders.send_reminders(w.today, now=now, email=False)
            w.counts["notifications"] = len(outcome.created)
    return dict(w.counts)


def describe(counts: dict) -> str:
    text = (
        f"  {counts.get('meetings', 0)} buổi sinh hoạt, {counts.get('attendances', 0)} lượt điểm "
        "danh"
    )
    if counts.get("assignments"):
        text += (
            f"; {counts['assignments']} phân công phụ trách, {counts.get('visits', 0)} lần dự "
            f"sinh hoạt, {counts.get('findings', 0)} thiếu sót, "
            f"{counts.get('notifications', 0)} nhắc việc"
        )
    return text
