"""Compliance checks and report figures: what they flag, the rule they cite, bounded queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.models import Rule
from dangvu.meetings import compliance as C
from dangvu.meetings.models import Attendance, Finding, Meeting, ObserverVisit
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ON = dt.date(2026, 11, 27)


def at(y, m, d, hh=14, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def pool(tree, make_member):
    """Ten members to put on rosters (attendance rows do not check where they belong)."""
    return [make_member(tree["C11"]) for _ in range(10)]


@pytest.fixture
def mk(pool):
    def make(org, kind="regular", when=None, status="held", minutes=120, roster=()):
        when = when or at(2026, 10, 20)
        m = Meeting.objects.create(
            organization=org,
            kind=kind,
            status=status,
            scheduled_at=when,
            started_at=when if status == "held" else None,
            ended_at=when + dt.timedelta(minutes=minutes) if status == "held" else None,
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=m, member=member, category=cat, status=st)
            for member, (cat, st) in zip(pool, roster, strict=False)
        )
        return m

    return make


def all_orgs():
    return Organization.objects.all()


def codes(check):
    return sorted(o.code for o in check.items)


def test_missed_monthly(tree, mk, make_user):
    mk(tree["C11"], "regular", at(2026, 10, 5))
    mk(tree["C12"], "thematic", at(2026, 10, 6))  # a thematic meeting does not replace it
    mk(tree["C21"], "combined", at(2026, 10, 31, 20))  # combined counts; local date 31/10
    mk(tree["GCELL"], "regular", at(2026, 10, 7), status="planned")  # not held
    mk(tree["GCELL"], "regular", at(2026, 11, 1, 0, 30))  # next month (local)
    check = C.missed_monthly(all_orgs(), 2026, 10)
    assert codes(check) == ["C12", "GCELL"]  # committees are not asked for a monthly meeting
    assert check.rules[0].key == "meeting.regular_per_month"
    assert check.citation.startswith("Theo Chỉ thị 50-CT/TW")
    assert (check.date_from, check.date_to) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    # A cell dissolved during the month, or founded during it, raises no alarm.
    Organization.objects.filter(code="C12").update(dissolved_on=dt.date(2026, 10, 15))
    Organization.objects.filter(code="GCELL").update(established_on=dt.date(2026, 10, 10))
    assert codes(C.missed_monthly(all_orgs(), 2026, 10)) == []
    # Restricted to what a cell secretary sees.
    chibo = make_user("c11sec", "cell_secretary", tree["C11"])
    assert codes(C.missed_monthly(Organization.objects.restrict(chibo), 2026, 9)) == ["C11"]


def test_missed_monthly_counts_the_rule_value(tree, mk):
    """The rule says how many regular meetings a month; a changed value is honoured."""
    mk(tree["C11"], "regular", at(2026, 10, 5))
    Rule.objects.filter(key="meeting.regular_per_month").update(value="2")
    mk(tree["C12"], "regular", at(2026, 10, 5))
    mk(tree["C12"], "regular", at(2026, 10, 19))
    assert "C11" in codes(C.missed_monthly(all_orgs(), 2026, 10))
    assert "C12" not in codes(C.missed_monthly(all_orgs(), 2026, 10))


def test_no_thematic(tree, mk):
    mk(tree["C11"], "thematic", at(2026, 10, 20))
    mk(tree["C12"], "combined", at(2026, 12, 15))
    mk(tree["C21"], "regular", at(2026, 11, 20))
    mk(tree["C21"], "thematic", at(2026, 9, 30))  # previous quarter
    mk(tree["GCELL"], "thematic", at(2026, 11, 2), status="cancelled")
    check = C.no_thematic(all_orgs(), 2026, 4)
    assert codes(check) == ["C21", "GCELL"]
    assert check.rules[0].key == "meeting.thematic_per_quarter"
    assert "HD 42-HD/BTCTW" in check.citation
    assert codes(C.no_thematic(all_orgs(), 2026, 3)) == ["C11", "C12", "GCELL"]


P, EX, UN, UNK = "present", "absent_excused", "absent_unexcused", "unknown"


def test_low_attendance(tree, mk):
    seven = [("official", P)] * 7 + [("official", EX)] * 3  # 70 %
    eight = [("official", P)] * 8 + [("official", UN)] * 2  # 80 %: not below
    # 6 present of 8 expected = 75 %: the absent exempt member and the temporary one do not count
    mixed = (
        [("official", P)] * 5
        + [("probationary", P)]
        + [("official", EX)] * 2
        + [("exempt", UNK), ("temporary", UN)]
    )
    # an exempt member who comes counts on both sides: 8/9 = 88.9 %
    exempt_came = [("official", P)] * 7 + [("exempt", P), ("official", EX)]
    a = mk(tree["C11"], roster=seven)
    mk(tree["C12"], roster=eight)
    c = mk(tree["C21"], roster=mixed)
    mk(tree["GCELL"], roster=exempt_came)
    mk(tree["GCELL"], when=at(2026, 10, 21), status="planned", roster=seven)  # not held
    mk(tree["GCELL"], when=at(2026, 8, 1), roster=seven)  # before the period
    check = C.low_attendance(all_orgs(), dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [m.pk for m in check.items] == [a.pk, c.pk]
    rates = {m.pk: (m.present, m.expected, m.rate) for m in check.items}
    assert rates[a.pk] == (7, 10, 70)
    assert rates[c.pk] == (6, 8, 75)
    assert check.rules[0].key == "meeting.low_attendance_percent"
    assert "80" in str(check.title)
    # the threshold comes from the rulebook
    Rule.objects.filter(key="meeting.low_attendance_percent").update(value="72")
    check = C.low_attendance(all_orgs(), dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [m.pk for m in check.items] == [a.pk]


def test_low_attendance_agrees_with_the_service_rate(tree, mk):
    from dangvu.meetings import services

    roster = (
        [("official", P)] * 4
        + [("probationary", UN)]
        + [("exempt", UNK), ("exempt", P), ("temporary", P), ("official", EX)]
    )
    m = mk(tree["C11"], roster=roster)
    check = C.low_attendance(all_orgs(), dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    (row,) = check.items
    assert row.present / row.expected == pytest.approx(services.attendance_rate(m))


def test_short_meetings(tree, mk):
    a = mk(tree["C11"], "regular", minutes=85)
    mk(tree["C12"], "regular", minutes=90)
    b = mk(tree["C21"], "combined", minutes=110)
    mk(tree["GCELL"], "combined", minutes=120)
    mk(tree["GCELL"], "thematic", minutes=60, when=at(2026, 10, 2))  # no minimum for thematic
    mk(tree["C12"], "regular", status="planned", when=at(2026, 10, 3))
    check = C.short_meetings(all_orgs(), dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert sorted(m.pk for m in check.items) == sorted([a.pk, b.pk])
    got = {m.pk: (m.minutes, m.required) for m in check.items}
    assert got == {a.pk: (85, 90), b.pk: (110, 120)}
    assert [r.key for r in check.rules] == [
        "meeting.min_duration_minutes",
        "meeting.min_duration_combined_minutes",
    ]
    assert "HD 42-HD/BTCTW" in check.citation


@pytest.fixture
def visit(users, mk):
    def make(org, when, observer="btv"):
        meeting = mk(org, "regular", when)
        return ObserverVisit.objects.create(meeting=meeting, observer=users[observer])

    return make


def finding(v, deadline, status="open", category="procedure"):
    return Finding.objects.create(
        visit=v,
        category=category,
        description="Chưa thông qua chương trình",
        action="Thực hiện đúng hướng dẫn",
        owner="Bí thư chi bộ",
        deadline=deadline,
        status=status,
        closed_on=deadline if status == "closed" else None,
    )


def test_overdue_findings(tree, visit, users):
    v11 = visit(tree["C11"], at(2026, 9, 10))
    v21 = visit(tree["C21"], at(2026, 9, 12))
    late = finding(v11, dt.date(2026, 10, 31))
    finding(v11, dt.date(2026, 10, 1), status="closed")
    finding(v11, ON)  # due today: not overdue yet
    other = finding(v21, dt.date(2026, 11, 1))
    check = C.overdue_findings(all_orgs(), ON)
    assert [f.pk for f in check.items] == [late.pk, other.pk]
    assert check.items[0].days_overdue == 27
    gc1 = Organization.objects.filter(path__startswith=tree["GC1"].path)
    assert [f.pk for f in C.overdue_findings(gc1, ON).items] == [late.pk]


def test_not_visited(tree, visit):
    visit(tree["C11"], at(2026, 9, 10))  # within the last 6 months
    visit(tree["C12"], at(2026, 3, 10))  # too long ago
    check = C.not_visited(all_orgs(), ON)
    assert codes(check) == ["C12", "C21", "GCELL"]
    assert check.date_from == dt.date(2026, 5, 28)
    assert check.rules[0].key == "supervision.visit_period_months"
    last = {o.code: o.last_visit for o in check.items}
    assert last == {"C12": dt.date(2026, 3, 10), "C21": None, "GCELL": None}
    # this half-year: from 1 July
    since = C.half_year_bounds(ON)[0]
    assert codes(C.not_visited(all_orgs(), ON, since=since)) == ["C12", "C21", "GCELL"]
    # any type: a committee counts as visited when a meeting under it was attended
    assert codes(C.not_visited(all_orgs(), ON, types=None)) == ["C12", "C21", "GC2", "GCELL"]
    # a visit after `on` does not count
    assert "C11" in codes(C.not_visited(all_orgs(), dt.date(2026, 9, 1)))
    # a cell founded within the period is not yet due
    Organization.objects.filter(code="C21").update(established_on=dt.date(2026, 8, 1))
    assert "C21" not in codes(C.not_visited(all_orgs(), ON))


def test_figures(tree, mk, visit, users):
    mk(tree["C11"], "regular", at(2026, 7, 5), roster=[("official", P)] * 9 + [("official", EX)])
    mk(tree["C12"], "thematic", at(2026, 8, 5), roster=[("official", P)] * 6 + [("exempt", UNK)])
    mk(tree["C21"], "combined", at(2026, 9, 5), roster=[("official", P)] * 3 + [("official", UN)])
    mk(tree["C21"], "regular", at(2026, 6, 30))  # before the period
    mk(tree["GCELL"], "regular", at(2026, 10, 5), status="planned")
    v1 = visit(tree["C11"], at(2026, 7, 20))
    v2 = visit(tree["C12"], at(2026, 8, 20))
    visit(tree["C12"], at(2026, 9, 20), observer="tochuc")
    visit(tree["GC1"], at(2026, 9, 21))  # a committee meeting: not a cell
    visit(tree["C21"], at(2026, 1, 20))  # before the period
    finding(v1, dt.date(2026, 8, 31), status="closed", category="procedure")
    finding(v1, dt.date(2026, 9, 30), category="records")
    finding(v2, dt.date(2026, 12, 31), category="records")
    f = C.figures(all_orgs(), dt.date(2026, 7, 1), dt.date(2026, 12, 31), on=ON)
    assert f["meetings_by_kind"]["regular"] == 5  # 1 + 4 visited meetings (all regular, held)
    assert f["meetings_by_kind"]["thematic"] == 1 and f["meetings_by_kind"]["combined"] == 1
    assert f["meetings_held"] == 7
    assert (f["attendance_present"], f["attendance_expected"]) == (18, 20)
    assert f["average_attendance"] == 90
    assert f["visits"] == 4 and f["cells_visited"] == 2 and f["organizations_visited"] == 3
    assert f["observers"] == 2
    assert f["findings"] == 3
    assert f["findings_by_category"]["records"] == 2
    assert f["findings_by_category"]["procedure"] == 1
    assert f["findings_by_category"]["content"] == 0
    assert (f["findings_corrected"], f["findings_open"], f["findings_overdue"]) == (1, 2, 1)


def make_cells(tree, n):
    from dangvu.organizations.services import organization_establish

    return [
        organization_establish(
            actor=None,
            parent=tree["GC2"],
            code=f"X{i}",
            name=f"Chi bộ Phòng {i}",
            org_type="cell",
            date=dt.date(2015, 1, 1),
            decision_number=f"{i}-QĐ/ĐU",
        )
        for i in range(n)
    ]


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def run_all():
    orgs = all_orgs()
    assert C.missed_monthly(orgs, 2026, 10).items is not None
    assert C.no_thematic(orgs, 2026, 4).items is not None
    assert C.low_attendance(orgs, dt.date(2026, 10, 1), dt.date(2026, 10, 31)).items is not None
    assert C.short_meetings(orgs, dt.date(2026, 10, 1), dt.date(2026, 10, 31)).items is not None
    assert C.overdue_findings(orgs, ON).items is not None
    assert C.not_visited(orgs, ON).items is not None
    C.figures(orgs, dt.date(2026, 7, 1), dt.date(2026, 12, 31), on=ON)


def test_query_count_does_not_grow_with_the_tree(tree, mk, visit, django_assert_max_num_queries):
    visit(tree["C11"], at(2026, 10, 10))
    small = count_queries(run_all)
    cells = make_cells(tree, 8)
    for i, cell in enumerate(cells):
        mk(cell, "regular", at(2026, 10, 3 + i), minutes=60, roster=[("official", P)] * 3)
        v = visit(cell, at(2026, 10, 15 + i))
        finding(v, dt.date(2026, 10, 30))
    large = count_queries(run_all)
    assert large == small
    # one query per check plus its rule reads, five for the figures
    with django_assert_max_num_queries(16):
        run_all()
    with django_assert_max_num_queries(14):
        checks = C.summary(all_orgs(), ON)
    assert [c.code for c in checks] == [
        "missed_monthly",
        "no_thematic",
        "low_attendance",
        "short_meetings",
        "overdue_findings",
        "not_visited",
    ]
    by_code = {c.code: c for c in checks}
    assert len(by_code["short_meetings"]) == 8
    assert len(by_code["overdue_findings"]) == 8
    assert "C11" not in codes(by_code["not_visited"])


def test_each_check_is_one_query_plus_its_rules(tree, django_assert_num_queries):
    orgs = all_orgs()
    with django_assert_num_queries(2):
        assert C.missed_monthly(orgs, 2026, 10).items is not None
    with django_assert_num_queries(2):
        assert C.no_thematic(orgs, 2026, 4).items is not None
    with django_assert_num_queries(2):
        assert C.low_attendance(orgs, dt.date(2026, 10, 1), dt.date(2026, 10, 31)).items is not None
    with django_assert_num_queries(3):
        assert C.short_meetings(orgs, dt.date(2026, 10, 1), dt.date(2026, 10, 31)).items is not None
    with django_assert_num_queries(1):
        assert C.overdue_findings(orgs, ON).items is not None
    with django_assert_num_queries(2):
        assert C.not_visited(orgs, ON).items is not None
    with django_assert_num_queries(4):
        C.figures(orgs, dt.date(2026, 7, 1), dt.date(2026, 12, 31), on=ON)


def test_home_reads_a_count_and_the_first_rows_not_every_cell(tree, monkeypatch):
    """The home page shows a count and five names: the check reads five (+1) rows and a capped
    COUNT, never the whole list (287,000 cells nationally); past the cap it says so."""
    orgs = Organization.objects.all()
    check = C.missed_monthly(orgs, 2026, 10)  # no meetings at all: every cell missed it
    assert "items" not in check.__dict__
    with CaptureQueriesContext(connection) as q:
        first = check.head(2)
        n = check.count
    assert [o.code for o in first] == [o.code for o in check.items[:2]]
    assert n == len(check.items) == 4  # C11, C12, C21, GCELL
    assert len(q) == 2 and "LIMIT 3" in q[0]["sql"] and "COUNT" in q[1]["sql"].upper()
    monkeypatch.setattr(C, "COUNT_CAP", 3)
    capped = C.missed_monthly(orgs, 2026, 10)
    assert (capped.count, capped.count_capped) == (3, True)
    small = C.missed_monthly(orgs, 2026, 10)
    with CaptureQueriesContext(connection) as q:
        assert len(small.head(5)) == 4 and small.count == 4
    assert len(q) == 1  # fewer rows than asked: the count came with them
