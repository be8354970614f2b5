"""seed_demo and demo_accounts outside demo mode: deterministic, consistent with the services, fast
enough to run; the committees and meetings it writes (the demo-mode parts: test_seed_demo_mode).

The tests that read the demo share one seeded database (tests/shared.py: seeded once for the
module, rolled back after every test); the tests that need an empty database run first.
"""

import datetime as dt
import hashlib
import io
from collections import Counter, defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.committees import selectors
from dangvu.committees.models import Committee, CommitteeSeat, Congress, CongressChecklistItem, Term
from dangvu.core.dates import add_months
from dangvu.core.demo import agencies as A
from dangvu.core.demo.generator import DEMO_REFERENCE, build_plan, demo_today
from dangvu.core.rulebook import rule
from dangvu.meetings.models import Assignment, Meeting, Notification, ObserverVisit
from dangvu.members.choices import ACTIVE_STATUSES, EventKind, MemberStatus, TransferKind
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.members.validators import validate_citizen_id
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationVersion

pytestmark = pytest.mark.django_db

FIXED_TODAY = dt.date(2026, 11, 27)


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--scale", "small", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _shared_seeded(request):
    """One small demo (default seed, outside demo mode) for the module's tests that only read it
    (tests/shared.py): they run after the tests that need an empty database."""
    from tests.shared import build_shared

    def build():
        with override_settings(DEMO_MODE=False):
            return seed()

    return build_shared(request, "seeded", build)


@pytest.fixture
def seeded(db, _shared_seeded):
    """The output of `seed_demo --scale small` outside demo mode, run on an empty database."""
    if _shared_seeded is None:
        with override_settings(DEMO_MODE=False):
            return seed()
    return _shared_seeded


def db_digest() -> str:
    h = hashlib.sha256()
    rows = Member.objects.order_by("citizen_id").values_list(
        "full_name", "card_number", "citizen_id", "organization__code", "status", "date_of_birth"
    )
    for row in rows:
        h.update(repr(row).encode())
    for row in Organization.objects.order_by("code").values_list("code", "name", "dissolved_on"):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_plan_is_deterministic_and_depends_on_the_seed():
    a = build_plan(seed=7, scale="small", today=FIXED_TODAY)
    b = build_plan(seed=7, scale="small", today=FIXED_TODAY)
    c = build_plan(seed=8, scale="small", today=FIXED_TODAY)
    assert a.digest() == b.digest()
    assert [m.full_name for m in a.members] == [m.full_name for m in b.members]
    assert a.digest() != c.digest()


def test_full_plan_has_the_documented_shape():
    plan = build_plan(today=FIXED_TODAY)
    types = Counter(o.org_type for o in plan.orgs)
    assert types["superior_committee"] == 1
    assert 20 <= types["grassroots_committee"] <= 30
    assert 40 <= types["grassroots_cell"] <= 50
    assert 240 <= types["cell"] + types["grassroots_cell"] <= 400
    assert len(plan.members) == 5000
    assert len({m.card_number for m in plan.members if m.card_number}) == sum(
        1 for m in plan.members if m.card_number
    )
    probationary = sum(1 for m in plan.members if m.official_date is None)
    assert 0.03 * 5000 <= probationary <= 0.05 * 5000
    genders = Counter(m.gender for m in plan.members)
    assert 0.5 <= genders["male"] / 5000 <= 0.6
    families = Counter(m.full_name.split()[0] for m in plan.members)
    assert families.most_common(1)[0][0] == "Nguyễn"
    kinds = Counter(s.kind for s in plan.specials)
    for kind in ("exempt", "transfer_out", "temporary", "remove", "death", "expel", "readmit"):
        assert kinds[kind] >= 1, kind


def test_seed_twice_gives_identical_data():
    digests = []
    for _ in range(2):
        with transaction.atomic():
            seed("--seed", "11")
            digests.append(db_digest())
            transaction.set_rollback(True)
    assert Organization.objects.count() == 0
    assert digests[0] == digests[1]


def test_seeded_data_is_consistent(seeded, django_assert_max_num_queries):
    out = seeded
    today = timezone.localdate()
    assert "tổ chức đảng" in out
    from dangvu.admission.models import Candidate

    # the generator's 400, and the demo candidates admitted through the admission steps
    admitted = Candidate.objects.filter(member__isnull=False).count()
    assert admitted >= 1
    assert Member.objects.count() == 400 + admitted

    members = list(Member.objects.all())
    events = defaultdict(list)
    for ev in MemberEvent.objects.order_by("date", "id"):
        events[ev.member_id].append(ev)
    open_official = defaultdict(list)
    for ms in Membership.objects.filter(valid_to__isnull=True, kind=TransferKind.OFFICIAL):
        open_official[ms.member_id].append(ms)

    for m in members:
        evs = events[m.pk]
        assert evs and evs[0].kind == EventKind.ADMITTED, m
        assert evs[0].date == m.admission_date
        # Status chain: each event starts where the previous one ended, the last gives the status.
        before = ""
        for ev in evs:
            assert ev.status_before == before, (m, ev)
            before = ev.status_after
        assert before == m.status, m
        if m.official_date:
            readmitted = [e.date for e in evs if e.kind == EventKind.READMITTED]
            start = readmitted[-1] if readmitted else m.admission_date
            # admitted through the pipeline: probation runs from the ceremony (Điều lệ Điều 5)
            candidate = Candidate.objects.filter(member=m).first()
            start = candidate.ceremony_date if candidate else start
            assert m.official_date == add_months(start, 12), m
        if m.status == MemberStatus.PROBATIONARY:
            # past 12 months only when readmitted, or when the demo shows an overdue
            # recognition vote (an admission candidate whose probation has ended)
            assert (
                m.admission_date > add_months(today, -12)
                or any(e.kind == EventKind.READMITTED for e in evs)
                or Candidate.objects.filter(member=m).exists()
            )
        if m.status in ACTIVE_STATUSES:
            rows = open_official[m.pk]
            assert len(rows) == 1 and rows[0].organization_id == m.organization_id, m
        else:
            assert open_official[m.pk] == [], m
        try:
            validate_citizen_id(m.citizen_id, date_of_birth=m.date_of_birth, gender=m.gender)
        except ValidationError as exc:  # pragma: no cover - the assertion message is the point
            pytest.fail(f"{m}: {exc.messages}")
        for d in (m.date_of_birth, m.admission_date, m.official_date):
            assert d is None or d <= min(today, DEMO_REFERENCE)

    horizon = min(today, DEMO_REFERENCE)
    assert not MemberEvent.objects.filter(date__gt=horizon).exists()
    assert not Membership.objects.filter(
        Q(valid_from__gt=horizon) | Q(valid_to__gt=horizon)
    ).exists()
    assert not Organization.objects.filter(established_on__gt=horizon).exists()

    # Audit trail: a creation row for every member, event and membership, marked as a command.
    assert set(Member.history.filter(history_type="+").values_list("id", flat=True)) == {
        m.pk for m in members
    }
    assert MemberEvent.history.filter(history_type="+").count() == MemberEvent.objects.count()
    assert Membership.history.filter(history_type="+").count() == Membership.objects.count()
    assert not Member.history.exclude(source="command").exists()

    # The special cases went through the services.
    statuses = Counter(m.status for m in members)
    for status in ("exempt", "transferred_out", "removed", "deceased", "expelled"):
        assert statuses[status] >= 1, status
    assert MemberEvent.objects.filter(kind=EventKind.READMITTED).count() == 1
    assert Membership.objects.filter(kind=TransferKind.TEMPORARY).exists()

    # Size warnings have something to show.
    cells = Organization.objects.filter(
        dissolved_on__isnull=True, org_type__in=["cell", "grassroots_cell"]
    ).annotate(
        official=Count("members", filter=Q(members__status=MemberStatus.OFFICIAL)),
        active=Count("members", filter=Q(members__status__in=ACTIVE_STATUSES)),
    )
    assert any(c.official < 3 for c in cells)
    assert any(c.org_type == "grassroots_cell" and c.active >= 30 for c in cells)

    # The 2025 merge and renames: the tree as of 2024 differs from today's.
    source = Organization.objects.get(code=A.MERGE_SOURCE)
    assert source.dissolved_on == A.MERGE_DATE
    assert not source.members.filter(status__in=ACTIVE_STATUSES).exists()
    assert OrganizationEvent.objects.filter(kind="merge", organization=source).exists()
    before = dt.date(2024, 12, 31)
    as_of = OrganizationVersion.objects.filter(valid_from__lte=before).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=before)
    )
    names_then = set(as_of.values_list("name", flat=True))
    assert source.name in names_then and A.RENAMED_OLD in names_then
    assert A.ROOT_OLD_NAME in names_then
    assert Organization.objects.get(code=A.RENAMED_CODE).name == A.RENAMED_NEW
    assert Organization.objects.get(code=A.ROOT_CODE).name == A.ROOT_NAME

    # --if-empty keeps the data and says so; without it the command refuses.
    count = Member.objects.count()
    with django_assert_max_num_queries(5):
        out = seed("--if-empty")
    assert "đã có dữ liệu" in out
    assert Member.objects.count() == count
    with pytest.raises(CommandError, match="đã có"):
        seed()


def test_demo_accounts_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="chế độ trình diễn"):
        call_command("demo_accounts", stdout=io.StringIO())
    assert not User.objects.exists()


def test_demo_accounts_do_not_take_over_a_real_account(seeded, settings, django_user_model):
    settings.DEMO_MODE = False
    django_user_model.objects.create_user(username="admin", password="a-real-long-password")
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="không phải tài khoản trình diễn"):
        call_command("demo_accounts", stdout=io.StringIO())
    assert not django_user_model.objects.get(username="admin").is_demo


def test_too_few_members_for_the_tree_refused():
    with pytest.raises(CommandError, match="cần ít nhất"):
        seed("--members", "50")
    assert Organization.objects.count() == 0


def test_demo_committees(seeded):
    """Consistent with the rules, with vacancies, an organisation or two without a secretary,
    congresses due soon and checklists half done."""
    text = seeded
    assert "nhiệm kỳ" in text and "cấp ủy viên" in text
    today = demo_today()
    orgs = Organization.objects.all()
    assert Term.objects.exists() and CommitteeSeat.objects.exists()
    assert selectors.vacancy_total(orgs, today)["seats"] > 0
    assert selectors.orgs_without_secretary(orgs, today).exists()
    due = list(selectors.congresses_due(orgs, today, 6))
    assert any(o.last_term_start is not None for o in due)
    planned = Congress.objects.filter(status="planned")
    assert planned.exists()
    for c in planned:
        items = list(c.checklist.all())
        done = sum(i.done for i in items)
        assert 0 < done < len(items)
    # every history row exists (bulk writes keep the audit trail)
    assert CommitteeSeat.history.count() == CommitteeSeat.objects.count()
    assert CongressChecklistItem.history.count() == CongressChecklistItem.objects.count()
    # the rules hold: holders are official members of the organisation (subtree), one seat per
    # person and committee, never more than approved, cell structure by the threshold
    threshold = rule("org.cell_committee_threshold", today).value
    for seat in CommitteeSeat.objects.select_related("member", "committee__organization"):
        org = seat.committee.organization
        assert seat.member.organization.path.startswith(org.path)
        assert seat.member.status == MemberStatus.OFFICIAL
    dup = (
        CommitteeSeat.objects.filter(end_date__isnull=True)
        .values("committee", "member")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not dup.exists()
    for c in Committee.objects.prefetch_related("quotas", "seats").select_related("organization"):
        approved = {q.position: q.approved for q in c.quotas.all()}
        held: dict[str, int] = {}
        for s in c.seats.all():
            if s.end_date is None:
                held[s.position] = held.get(s.position, 0) + 1
        for p, n in held.items():
            assert n <= approved.get(p, 0)
        if c.organization.is_cell:
            official = selectors.official_members_on(c.organization, c.term.start_date)
            if official < threshold:
                assert "member" not in approved
            assert approved.get("deputy_secretary", 0) <= 1
            assert sum(approved.values()) <= 7


def test_demo_meetings_without_demo_accounts(seeded, settings):
    """Outside demo mode the demo has meetings but no supervision and no reminders (nobody to
    assign or remind)."""
    settings.DEMO_MODE = False
    assert Meeting.objects.filter(status="held").exists()
    assert not Assignment.objects.exists() and not ObserverVisit.objects.exists()
    assert not Notification.objects.exists()
