"""Reminders: who is told what, once; e-mail only when mail is configured."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from dangvu.meetings import reminders
from dangvu.meetings.models import Assignment, Finding, Meeting, Notification, ObserverVisit

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ON = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 8, 0, tzinfo=TZ)


def at(y, m, d, hh=14):
    return dt.datetime(y, m, d, hh, 0, tzinfo=TZ)


def held(org, kind, when):
    return Meeting.objects.create(
        organization=org,
        kind=kind,
        status="held",
        scheduled_at=when,
        started_at=when,
        ended_at=when + dt.timedelta(minutes=120),
    )


@pytest.fixture
def situation(tree, users):
    """C11 keeps the rules; C12 (under GC1, bithu) missed October and Q3's thematic meeting;
    C21 and GCELL have no secretary account; chibo owns an overdue action; btv is in charge of
    C11 (visited in September) and C21 (never visited)."""
    for org in (tree["C11"], tree["C21"], tree["GCELL"]):
        held(org, "regular", at(2026, 10, 6))
    for org in (tree["C11"], tree["C21"], tree["GCELL"]):
        held(org, "thematic", at(2026, 8, 6))
    visited = held(tree["C11"], "regular", at(2026, 9, 8))
    visit = ObserverVisit.objects.create(meeting=visited, observer=users["btv"])
    Finding.objects.create(
        visit=visit,
        category="records",
        description="Biên bản không ghi số đảng viên vắng mặt",
        action="Bổ sung biên bản",
        owner="Bí thư chi bộ",
        owner_user=users["chibo"],
        deadline=dt.date(2026, 10, 31),
    )
    Finding.objects.create(
        visit=visit,
        category="content",
        description="Nội dung chung chung",
        action="Chọn chuyên đề sát thực tế",
        owner="Bí thư chi bộ",
        owner_user=users["chibo"],
        deadline=dt.date(2026, 12, 31),  # not due yet
    )
    upcoming = Meeting.objects.create(
        organization=tree["C11"], kind="regular", scheduled_at=at(2026, 11, 30)
    )
    Meeting.objects.create(  # notified: nothing to remind
        organization=tree["C12"],
        kind="regular",
        status="notified",
        notice_sent_at=NOW,
        scheduled_at=at(2026, 11, 29),
    )
    Meeting.objects.create(  # too far ahead
        organization=tree["C12"], kind="regular", scheduled_at=at(2026, 12, 20)
    )
    for org in (tree["C11"], tree["C21"]):
        Assignment.objects.create(
            user=users["btv"], organization=org, valid_from=dt.date(2026, 1, 1)
        )
    Assignment.objects.create(  # ended: no reminder
        user=users["tochuc"],
        organization=tree["GCELL"],
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2026, 1, 1),
    )
    return {"upcoming": upcoming}


def keys_of(username):
    return sorted(
        Notification.objects.filter(user__username=username).values_list("key", flat=True)
    )


def test_who_is_reminded_of_what(tree, users, situation):
    outcome = reminders.send_reminders(ON, now=NOW, email=False)
    c12, c21 = tree["C12"].pk, tree["C21"].pk
    m = situation["upcoming"].pk
    assert keys_of("bithu") == sorted(
        [f"missed-monthly:{c12}:2026-10", f"no-thematic:{c12}:2026-Q3", f"no-notice:{m}"]
    )
    overdue = Finding.objects.get(category="records")
    assert keys_of("chibo") == sorted(
        [f"no-notice:{m}", f"finding-overdue:{overdue.pk}:2026-10-31"]
    )
    assert keys_of("btv") == [f"not-visited:{c21}:2026-H2"]
    assert keys_of("tochuc") == [] and keys_of("admin") == []
    assert len(outcome.created) == 6 and outcome.existing == 0 and outcome.emailed == 0

    n = Notification.objects.get(user=users["bithu"], kind="missed_monthly")
    assert n.text.startswith("Chi bộ Thanh tra chưa sinh hoạt chi bộ thường kỳ tháng 10/2026")
    assert "Theo Chỉ thị 50-CT/TW" in n.text
    assert n.url == f"/meetings/?organization={c12}"
    n = Notification.objects.get(user=users["btv"])
    assert "Chi bộ Phòng Kế hoạch" in n.text and "6 tháng cuối năm 2026" in n.text
    n = Notification.objects.get(user=users["chibo"], kind="finding_overdue")
    assert "hạn 31/10/2026" in n.text and n.url == f"/meetings/supervision/findings/{overdue.pk}/"
    n = Notification.objects.get(user=users["chibo"], kind="meeting_no_notice")
    assert "14:00 30/11/2026" in n.text and n.url == f"/meetings/{m}/"


def test_running_again_creates_nothing(situation, django_assert_max_num_queries):
    first = reminders.send_reminders(ON, now=NOW, email=False)
    count = Notification.objects.count()
    with django_assert_max_num_queries(16):
        again = reminders.send_reminders(ON, now=NOW, email=False)
    assert again.created == [] and again.existing == len(first.created)
    assert Notification.objects.count() == count
    # a read reminder is not sent again either
    Notification.objects.update(read_at=NOW)
    assert reminders.send_reminders(ON, now=NOW, email=False).created == []


def test_a_new_deadline_is_a_new_reminder(situation, users):
    reminders.send_reminders(ON, now=NOW, email=False)
    f = Finding.objects.get(category="records")
    f.deadline = dt.date(2026, 11, 20)
    f.save()
    new = reminders.send_reminders(ON, now=NOW, email=False).created
    assert [n.key for n in new] == [f"finding-overdue:{f.pk}:2026-11-20"]
    f.status, f.closed_on = "closed", ON
    f.save()
    assert reminders.send_reminders(ON, now=NOW, email=False).created == []


def test_quarter_reminder_in_its_last_month(tree, users):
    """In December the current quarter is checked too (there is still time); the key is the
    quarter's, so the reminder is not repeated after the quarter ends."""
    december = dt.date(2026, 12, 10)
    reminders.send_reminders(december, now=NOW, email=False)
    c11 = tree["C11"].pk
    texts = dict(
        Notification.objects.filter(user=users["chibo"], kind="no_thematic").values_list(
            "key", "text"
        )
    )
    assert set(texts) == {f"no-thematic:{c11}:2026-Q4", f"no-thematic:{c11}:2026-Q3"}
    assert "chưa sinh hoạt chuyên đề trong quý 4/2026" in texts[f"no-thematic:{c11}:2026-Q4"]
    assert "không sinh hoạt chuyên đề trong quý 3/2026" in texts[f"no-thematic:{c11}:2026-Q3"]
    january = reminders.send_reminders(dt.date(2027, 1, 5), now=NOW, email=False).created
    assert f"no-thematic:{c11}:2026-Q4" not in {
        n.key for n in january if n.user_id == users["chibo"].pk
    }


def test_inactive_and_ended_roles_get_nothing(tree, users, situation):
    users["bithu"].is_active = False
    users["bithu"].save()
    reminders.send_reminders(ON, now=NOW, email=False)
    assert keys_of("bithu") == []


def test_email_when_configured(settings, users, situation):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for name in ("bithu", "chibo"):
        users[name].email = f"{name}@example.org"
        users[name].full_name = name.upper()
        users[name].save()
    # not configured: in-app only
    reminders.send_reminders(ON, now=NOW)
    assert mail.outbox == []
    Notification.objects.all().delete()
    settings.EMAIL_HOST = "smtp.example.org"
    settings.SITE_URL = "https://dangvu.example.org"
    outcome = reminders.send_reminders(ON, now=NOW)
    assert outcome.emailed == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"bithu@example.org", "chibo@example.org"}  # btv has no address
    body = by_to["bithu@example.org"].body
    assert body.startswith("Kính gửi đồng chí BITHU,")
    assert "Chi bộ Thanh tra chưa sinh hoạt chi bộ thường kỳ tháng 10/2026" in body
    assert "https://dangvu.example.org/meetings/" in body
    assert by_to["bithu@example.org"].subject == "[Nhắc việc] 3 việc cần nhắc"
    # again: nothing new, no mail
    assert reminders.send_reminders(ON, now=NOW).emailed == 0
    assert len(mail.outbox) == 2


def test_command(situation, settings):
    out = io.StringIO()
    call_command("send_meeting_reminders", "--date", "27/11/2026", "--no-email", stdout=out)
    assert "Ngày 27/11/2026:" in out.getvalue()
    assert Notification.objects.exists()
    out = io.StringIO()
    call_command("send_meeting_reminders", "--date", "27/11/2026", stdout=out)
    assert "0 nhắc việc mới" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_meeting_reminders", "--date", "31/02/2026", stdout=io.StringIO())
