"""Demo admissions (seed_demo, small scale): every step present, some blocked by a rule, targets
with progress, reminders for the demo secretary; deterministic."""

import io

import pytest
from django.core.management import call_command

from dangvu.accounts.models import User
from dangvu.admission import selectors
from dangvu.admission.choices import CandidateStatus, StepKind
from dangvu.admission.models import AdmissionTarget, Candidate
from dangvu.core.demo.generator import demo_today
from dangvu.meetings.models import Notification
from dangvu.organizations.choices import GRASSROOTS_TYPES
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_admissions(settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("seed_demo", "--scale", "small", stdout=out)
    print(out.getvalue())
    assert "quần chúng ưu tú" in out.getvalue()
    today = demo_today()
    cands = list(Candidate.objects.select_related("organization"))
    steps = {c.current_step for c in cands}
    assert set(StepKind.values) <= steps
    statuses = {c.status for c in cands}
    assert set(CandidateStatus.values) - {"refused"} <= statuses
    texts = [b.message for c in cands for b in selectors.blockers(c, today)]
    assert any("Chưa đủ 18 tuổi" in t for t in texts)
    assert any("đảng viên chính thức giới thiệu" in t for t in texts)
    assert any("Quá hạn quyết định kết nạp" in t for t in texts)
    assert any(selectors.is_overdue(c, today) for c in cands)
    admitted = [c for c in cands if c.member_id]
    assert all(c.member.admission_date == c.decision_date for c in admitted)
    # targets for every grassroots organisation, with progress
    grassroots = Organization.objects.filter(
        org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True
    )
    assert AdmissionTarget.objects.filter(year=today.year).count() == grassroots.count()
    root = Organization.objects.get(depth=1)
    p = selectors.progress(selectors.subtree_q(root), today.year)
    assert p.target > 0 and p.admitted > 0
    chibo = User.objects.get(username="chibo")
    assert Notification.objects.filter(user=chibo, kind__startswith="admission_").exists()
