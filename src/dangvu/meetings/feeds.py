"""Secret calendar feed addresses: one token per user, to subscribe a calendar app to
`ics.calendar_for(user)` without a session (calendar apps cannot log in).

The token is the only credential of the feed URL: 32 random bytes, URL-safe; `rotate()` replaces
it (the old address stops working at once). A feed of a deactivated user answers nothing. The
model is registered through `meetings.models` (imported at the end of that module).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarFeedQuerySet(models.QuerySet):
    def restrict(self, user, action="view", module=None):
        """A feed is personal: each user sees only their own (administrators every one)."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(user=user)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("Người dùng"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("Dùng lần cuối"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        app_label = "meetings"
        verbose_name = _("địa chỉ lịch riêng")
        verbose_name_plural = _("địa chỉ lịch riêng")

    def __str__(self):
        return str(self.user)

    @property
    def path(self) -> str:
        """The feed's path (the pages add the host), or '' when the route is not installed."""
        try:
            return reverse("meetings:ical_feed", args=[self.token])
        except NoReverseMatch:
            return ""


def feed_for(user) -> CalendarFeed:
    """The user's feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def rotate(user) -> CalendarFeed:
    """A new secret address; the old one stops working."""
    feed = feed_for(user)
    feed.token = new_token()
    feed.created_at = timezone.now()
    feed.last_used_at = None
    feed.save(update_fields=["token", "created_at", "last_used_at"])
    return feed


def user_for_token(token: str):
    """The active user owning `token`, or None. Marks the feed used (at most once an hour)."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 3600:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
