"""The secret calendar address: works without a session, only with the right token."""

import pytest
from django.urls import reverse

from dangvu.meetings import feeds

pytestmark = pytest.mark.django_db


def test_feed_by_token_and_rotation(client, users, login):
    user = users["chibo"]
    feed = feeds.feed_for(user)
    url = reverse("meetings:ical_feed", args=[feed.token])
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/calendar")
    assert resp.content.decode().startswith("BEGIN:VCALENDAR")
    assert client.get(reverse("meetings:ical_feed", args=["khong-dung"])).status_code == 404
    page = login(user).get(reverse("meetings:calendar_subscription")).content.decode()
    assert feed.token in page
    login(user).post(reverse("meetings:calendar_subscription"))
    assert client.get(url).status_code == 404  # the old address stops working
