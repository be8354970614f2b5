"""Demo committees (seed_demo, small scale): consistent with the rules, with vacancies, an
organisation or two without a secretary, congresses due soon and checklists half done."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from dangvu.committees import selectors
from dangvu.committees.models import Committee, CommitteeSeat, Congress, CongressChecklistItem, Term
from dangvu.core.demo.generator import demo_today
from dangvu.core.rulebook import rule
from dangvu.members.choices import MemberStatus
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_committees():
    out = io.StringIO()
    call_command("seed_demo", "--scale", "small", stdout=out)
    text = out.getvalue()
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
