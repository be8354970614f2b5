"""Audit glue around django-simple-history.

Every audited model declares `history = audited_history()`. The historical row records the actor,
the IP address and the source (ui, api, admin, import, service, command). Services pass their
`actor` through `audit_context`, so writes outside a request are attributed too.
"""

import contextlib
import contextvars
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


@dataclass
class AuditContext:
    actor: object | None = None
    ip: str | None = None
    source: str = "service"


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit", default=None
)


def current() -> AuditContext | None:
    return _current.get()


@contextlib.contextmanager
def audit_context(*, actor=None, ip=None, source="service"):
    outer = _current.get()
    ctx = AuditContext(
        actor=actor if actor is not None else (outer.actor if outer else None),
        ip=ip or (outer.ip if outer else None),
        source=source if source != "service" or not outer else outer.source,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def get_history_user(instance=None, request=None, **kwargs):
    explicit = getattr(instance, "_history_user", None) if instance is not None else None
    if explicit is not None:
        return explicit
    ctx = _current.get()
    if ctx and ctx.actor is not None and getattr(ctx.actor, "pk", None):
        return ctx.actor
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


class AuditedHistoricalModel(models.Model):
    """Extra columns of every historical table."""

    ip_address = models.GenericIPAddressField(_("Địa chỉ IP"), null=True, blank=True)
    source = models.CharField(_("Nguồn"), max_length=16, blank=True, default="")

    class Meta:
        abstract = True


def audited_history(**kwargs) -> HistoricalRecords:
    kwargs.setdefault("bases", [AuditedHistoricalModel])
    kwargs.setdefault("get_user", get_history_user)
    kwargs.setdefault("history_change_reason_field", models.TextField(null=True))
    kwargs.setdefault("cascade_delete_history", False)
    return HistoricalRecords(**kwargs)


def client_ip(request) -> str | None:
    """The client's address; behind N trusted proxies (settings.PROXY_COUNT) the N-th from the right
    of X-Forwarded-For, which the proxies append and the client cannot forge past them."""
    from django.conf import settings

    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None
