"""Demo data of this app, loaded by `manage.py seed_demo` after the meetings.

Deterministic for a seed and the demo today (`plan.today`), written through the real services
(so every rule is checked and the audit trail is complete):
- in the demo cell (the cell secretary's), a candidate at every step: awareness course, application,
  introducers, background check, the cell's vote, the committee's vote, decision, ceremony and
  probation (one ending within 30 days), official recognition overdue, recognised official, one
  escalated after three failed recognition votes, one withdrawn;
- blocked by a rule: too young at the cell's consideration, not enough introducers, the admission
  decision overdue (60 working days after the cell's resolution), a ceremony overdue;
- one or two candidates at early steps in the other cells of the demo committee, and one in a
  grassroots cell (no committee vote there);
- a target for the current year for each grassroots organisation (about 3 % of its members), so the
  targets page and the home panel show progress;
- the admission reminders of the demo today for the demo accounts.
"""

import datetime as dt
import random

from django.db import transaction

from dangvu.core.audit import audit_context
from dangvu.core.dates import add_months

STEP_GAP = 10  # calendar days between two steps of a demo candidate


def _pick(rng, pairs):
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]
    return rng.choices(values, weights)[0]


def _name(rng, gender):
    from dangvu.core.demo import names as N

    family = _pick(rng, N.FAMILY_NAMES)
    if gender == "male":
        return f"{family} {_pick(rng, N.MALE_MIDDLE)} {_pick(rng, N.MALE_GIVEN)}"
    return f"{family} {_pick(rng, N.FEMALE_MIDDLE_YOUNGER)} {_pick(rng, N.FEMALE_GIVEN)}"


class _Loader:
    def __init__(self, plan):
        self.plan = plan
        self.today = plan.today
        self.rng = random.Random(plan.seed * 7 + 5)
        self.counts = {"candidates": 0, "members": 0, "targets": 0, "notifications": 0}

    # ---- pieces -------------------------------------------------------------------------

    def citizen_id(self, gender: str, year: int) -> str:
        """A well-formed CCCD (Hà Tĩnh, 042) no member or candidate has yet."""
        from dangvu.members.models import Member
        from dangvu.members.validators import citizen_id_for

        from .models import Candidate

        serial = 990_000 + self.counts["candidates"]
        while True:
            cid = citizen_id_for("042", gender, year, serial)
            taken = Member.objects.filter(citizen_id=cid).exists()
            if not taken and not Candidate.objects.filter(citizen_id=cid).exists():
                return cid
            serial += 1000

    def candidate(self, cell, *, dob=None, **profile):
        from . import services

        rng = self.rng
        gender = rng.choice(["male", "female"])
        dob = dob or dt.date(rng.randint(1988, 2002), rng.randint(1, 12), rng.randint(1, 28))
        data = {
            "full_name": _name(rng, gender),
            "gender": gender,
            "date_of_birth": dob,
            "citizen_id": self.citizen_id(gender, dob.year),
            "general_education": "thpt",
            "professional_degree": rng.choice(["bachelor", "bachelor", "master", "college"]),
            "occupation": rng.choice(["Chuyên viên", "Kế toán viên", "Cán sự", "Thanh tra viên"]),
            "workplace": cell.name.replace("Chi bộ", "").strip() or cell.name,
            **profile,
        }
        self.counts["candidates"] += 1
        return services.candidate_create(actor=None, organization=cell, data=data)

    def introducers(self, c, on, n=2):
        from dangvu.members.models import Member

        from . import services

        people = Member.objects.filter(
            organization=c.organization, status="official", official_date__lte=on
        ).order_by("pk")[:n]
        for m in people:
            services.introducer_add(
                actor=None,
                candidate=c,
                kind="party_member",
                member=m,
                months_together=self.rng.randint(14, 60),
            )

    def votes(self, org, on):
        from . import selectors

        return selectors.official_member_count(org, on)

    def walk(self, c, upto, last: dt.date, *, until_ceremony_gap=STEP_GAP):
        """Record the steps up to `upto` (inclusive), the last one dated `last`."""
        from . import selectors, services
        from .choices import StepKind

        kinds = selectors.steps_for(c)
        kinds = kinds[: kinds.index(upto) + 1]
        kinds = [k for k in kinds if k != StepKind.RECOGNITION]
        dates = [
            last - dt.timedelta(days=STEP_GAP * (len(kinds) - 1 - i)) for i in range(len(kinds))
        ]
        for kind, on in zip(kinds, dates, strict=True):
            if kind == StepKind.INTRODUCERS and not c.introducers.exists():
                self.introducers(c, on)
            extra = {}
            if kind == StepKind.AWARENESS:
                extra["decision_number"] = f"{self.rng.randint(100, 990)}-GCN/TTCT"
            elif kind == StepKind.BACKGROUND_CHECK:
                extra["notes"] = (
                    "Lý lịch rõ ràng; bản thân và gia đình chấp hành tốt chủ trương, chính sách."
                )
            elif kind == StepKind.CELL_VOTE:
                extra["votes_for"] = self.votes(c.organization, on)
                extra["decision_number"] = f"{self.rng.randint(1, 40)}-NQ/CB"
            elif kind == StepKind.COMMITTEE_VOTE:
                size = selectors.committee_size(selectors.grassroots_of(c.organization), on) or 9
                extra.update(votes_for=size, votes_total=size)
                extra["decision_number"] = f"{self.rng.randint(10, 200)}-NQ/ĐU"
            elif kind == StepKind.DECISION:
                extra["decision_number"] = f"{self.rng.randint(100, 990)}-QĐ/ĐU"
                extra["issuer"] = "Ban Thường vụ Đảng ủy"
            services.step_record(actor=None, candidate=c, kind=kind, date=on, **extra)
            c.refresh_from_db()
        if upto == StepKind.CEREMONY or upto == StepKind.RECOGNITION:
            self.counts["members"] += 1
        return c

    def recognise(self, c, on, *, votes_for=None):
        from . import services

        org = c.member.organization
        total = self.votes(org, on)
        votes = total if votes_for is None else votes_for
        services.record_recognition(
            actor=None,
            candidate=c,
            date=on,
            votes_for=votes,
            votes_against=total - votes,
            decision_number=f"{self.rng.randint(100, 990)}-QĐ/ĐU" if votes_for is None else "",
            issuer="Ban Thường vụ Đảng ủy" if votes_for is None else "",
        )
        c.refresh_from_db()
        return c

    # ---- scenarios ------------------------------------------------------------------------

    def demo_cell(self, cell):
        from . import services
        from .choices import StepKind as K

        T = self.today
        d = dt.timedelta
        self.walk(self.candidate(cell), K.AWARENESS, T - d(days=20))
        self.walk(self.candidate(cell), K.APPLICATION, T - d(days=12))
        few = self.walk(self.candidate(cell), K.APPLICATION, T - d(days=40))
        self.introducers(few, T - d(days=35), n=1)  # blocked: one introducer, two needed
        self.walk(self.candidate(cell), K.INTRODUCERS, T - d(days=8))
        self.walk(self.candidate(cell), K.BACKGROUND_CHECK, T - d(days=6))
        young = add_months(T, -(17 * 12 + 7))
        self.walk(self.candidate(cell, dob=young), K.BACKGROUND_CHECK, T - d(days=15))
        self.walk(self.candidate(cell), K.CELL_VOTE, T - d(days=9))
        self.walk(self.candidate(cell), K.COMMITTEE_VOTE, T - d(days=4))
        self.walk(self.candidate(cell), K.COMMITTEE_VOTE, T - d(days=110))  # decision overdue
        self.walk(self.candidate(cell), K.DECISION, T - d(days=5))
        self.walk(self.candidate(cell), K.DECISION, T - d(days=55))  # ceremony overdue
        self.walk(self.candidate(cell), K.CEREMONY, T - d(days=150))  # on probation
        self.walk(self.candidate(cell), K.CEREMONY, add_months(T, -12) + d(days=18))  # ends soon
        self.walk(self.candidate(cell), K.CEREMONY, add_months(T, -14))  # recognition overdue
        official = self.walk(self.candidate(cell), K.CEREMONY, add_months(T, -20))
        self.recognise(official, official.probation_end + d(days=12))
        failed = self.walk(self.candidate(cell), K.CEREMONY, add_months(T, -17))
        for i in range(3):
            self.recognise(failed, failed.probation_end + d(days=5 + 30 * i), votes_for=1)
        gone = self.walk(self.candidate(cell), K.APPLICATION, T - d(days=90))
        services.candidate_close(
            actor=None,
            candidate=gone,
            status="withdrawn",
            date=T - d(days=60),
            reason="Chuyển công tác ra ngoài tỉnh.",
        )

    def other_cells(self, cells):
        from .choices import StepKind as K

        early = [K.AWARENESS, K.APPLICATION, K.INTRODUCERS, K.BACKGROUND_CHECK, K.CELL_VOTE]
        for cell in cells:
            for _ in range(self.rng.randint(1, 2)):
                upto = self.rng.choice(early)
                self.walk(
                    self.candidate(cell),
                    upto,
                    self.today - dt.timedelta(days=self.rng.randint(3, 40)),
                )

    def targets(self):
        from dangvu.members.choices import ACTIVE_STATUSES
        from dangvu.members.models import Member
        from dangvu.organizations.choices import GRASSROOTS_TYPES
        from dangvu.organizations.models import Organization

        from . import services

        grassroots = list(
            Organization.objects.filter(org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True)
        )
        paths = list(
            Member.objects.filter(status__in=ACTIVE_STATUSES).values_list(
                "organization__path", flat=True
            )
        )
        for g in grassroots:
            size = sum(1 for p in paths if p.startswith(g.path))
            number = max(1, round(size * self.rng.uniform(0.02, 0.05)))
            services.target_set(actor=None, organization=g, year=self.today.year, number=number)
            self.counts["targets"] += 1

    def reminders(self):
        from django.utils import timezone

        from dangvu.accounts.models import User
        from dangvu.meetings.reminders import send_reminders

        if not User.objects.exists():
            return
        tz = timezone.get_current_timezone()
        now = dt.datetime.combine(self.today, dt.time(7, 35), tzinfo=tz)
        outcome = send_reminders(self.today, now=now, email=False)
        self.counts["notifications"] = sum(
            1 for n in outcome.created if n.kind.startswith("admission_")
        )


def _cells():
    from dangvu.core.demo import agencies as A
    from dangvu.organizations.choices import CELL_TYPES, OrgType
    from dangvu.organizations.models import Organization

    active = Organization.objects.filter(dissolved_on__isnull=True)
    cell = active.filter(code=A.DEMO_CELL).first() or (
        active.filter(org_type=OrgType.CELL).order_by("path").first()
    )
    if cell is None:
        return None, [], None
    parent_path = cell.path[: -Organization.steplen]
    siblings = list(
        active.filter(path__startswith=parent_path, org_type__in=CELL_TYPES)
        .exclude(pk=cell.pk)
        .order_by("path")[:5]
    )
    gcell = active.filter(org_type=OrgType.GRASSROOTS_CELL).order_by("path").first()
    return cell, siblings, gcell


def load(plan) -> str:
    """Write this app's demo rows for `plan` (core.demo.generator.Plan); return a report line."""
    from dangvu.core.rulebook import cached_rules
    from dangvu.core.workdays import cached_calendar

    from .choices import StepKind

    cell, siblings, gcell = _cells()
    if cell is None:
        return ""
    w = _Loader(plan)
    with audit_context(actor=None, source="command"), transaction.atomic():
        with cached_rules(), cached_calendar():
            w.demo_cell(cell)
            w.other_cells(siblings)
            if gcell is not None:
                w.walk(w.candidate(gcell), StepKind.CELL_VOTE, plan.today - dt.timedelta(days=7))
            w.targets()
        w.reminders()
    c = w.counts
    return (
        f"  {c['candidates']} quần chúng ưu tú ở mọi bước kết nạp ({c['members']} đã kết nạp), "
        f"{c['targets']} chỉ tiêu phát triển đảng viên năm {plan.today.year}, "
        f"{c['notifications']} nhắc việc kết nạp"
    )
