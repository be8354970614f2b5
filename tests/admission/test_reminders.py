"""Admission reminders: probation ending within 30 days, decision / ceremony / recognition
overdue, to the secretaries and organisation department covering the cell; idempotent."""

import datetime as dt

import pytest

from dangvu.admission import reminders
from dangvu.admission.choices import StepKind
from dangvu.meetings.models import Notification
from dangvu.meetings.reminders import send_reminders

pytestmark = pytest.mark.django_db
D = dt.date


def _mine(rs):
    return sorted((r.kind, r.user_id) for r in rs)


def test_probation_ending_and_recognition_overdue(users, walk, make_candidate):
    c = walk(make_candidate(), upto=StepKind.CEREMONY)  # probation ends 15/04/2025
    expected_users = sorted(users[r].pk for r in ("tochuc", "bithu", "chibo"))
    due = reminders.collect(D(2025, 3, 16))
    assert _mine(due) == sorted(("admission_probation_end", u) for u in expected_users)
    assert "15/04/2025" in due[0].text and due[0].url.endswith(f"/admission/{c.pk}/")
    assert reminders.collect(D(2025, 3, 15)) == []  # 31 days ahead: not yet
    c.refresh_from_db()
    late = c.next_due + dt.timedelta(days=1)
    due = reminders.collect(late)
    assert {r.kind for r in due} == {"admission_recognition_overdue"}
    assert "QĐ 29-QĐ/TW" in due[0].text
    assert reminders.collect(c.next_due) == []


def test_decision_and_ceremony_overdue(users, walk, make_candidate, tree):
    a = walk(make_candidate(full_name="Chờ Quyết Định"), upto=StepKind.COMMITTEE_VOTE)
    b = walk(make_candidate(full_name="Chờ Lễ Kết Nạp"), upto=StepKind.DECISION)
    a.refresh_from_db()
    b.refresh_from_db()
    on = max(a.next_due, b.next_due) + dt.timedelta(days=1)
    due = reminders.collect(on)
    kinds = {(r.kind, r.text.split(" (")[0]) for r in due}
    assert kinds == {
        ("admission_decision_overdue", "Chờ Quyết Định"),
        ("admission_ceremony_overdue", "Chờ Lễ Kết Nạp"),
    }
    # nobody outside the cell's subtree is reminded
    assert {r.user_id for r in due} == {users[r].pk for r in ("tochuc", "bithu", "chibo")}


def test_sending_twice_creates_nothing_new(users, walk, make_candidate):
    walk(make_candidate(), upto=StepKind.CEREMONY)
    on = D(2025, 4, 1)
    send_reminders(on, email=False)
    first = Notification.objects.filter(kind__startswith="admission_").count()
    assert first == 3
    out = send_reminders(on, email=False)
    assert Notification.objects.filter(kind__startswith="admission_").count() == first
    assert not [n for n in out.created if n.kind.startswith("admission_")]


def test_closed_candidates_are_not_reminded(users, walk, make_candidate):
    from dangvu.admission import services

    c = walk(make_candidate(), upto=StepKind.COMMITTEE_VOTE)
    services.candidate_close(
        actor=None, candidate=c, status="refused", date=D(2024, 3, 20), reason="Không đủ điều kiện"
    )
    assert reminders.collect(D(2024, 12, 1)) == []
