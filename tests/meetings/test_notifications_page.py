"""In-app reminders: a badge with the unread count in the menu, a page that marks them read,
and nobody sees another user's reminders."""

import pytest
from django.urls import reverse

from dangvu.meetings.models import Notification

pytestmark = pytest.mark.django_db


def test_badge_page_and_privacy(users, login):
    chibo, bithu = users["chibo"], users["bithu"]
    Notification.objects.create(
        user=chibo,
        kind="missed_monthly",
        text="Chi bộ Văn phòng chưa sinh hoạt tháng 10/2026",
        url="/meetings/",
        key="k1",
    )
    Notification.objects.create(
        user=bithu, kind="x", text="Việc riêng của bí thư", url="", key="k2"
    )
    client = login(chibo)
    home = client.get("/").content.decode()
    assert 'badge text-bg-warning">1<' in home
    page = client.get(reverse("meetings:notifications")).content.decode()
    assert "chưa sinh hoạt tháng 10/2026" in page and "Việc riêng của bí thư" not in page
    assert Notification.objects.get(key="k1").read_at is not None
    assert 'badge text-bg-warning">1<' not in client.get("/").content.decode()
