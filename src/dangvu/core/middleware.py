from django.conf import settings

from . import audit


class AuditContextMiddleware:
    """Marks writes made during a request with its IP and its channel (ui, api or admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        source = (
            "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "ui"
        )
        if source == "api" and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Without a session cookie request.user is anonymous here (a token is checked later,
            # inside DRF): skip loading the session and the OTP device just to learn that.
            actor = None
        else:
            user = getattr(request, "user", None)
            actor = user if user is not None and user.is_authenticated else None
        with audit.audit_context(actor=actor, ip=audit.client_ip(request), source=source):
            return self.get_response(request)
