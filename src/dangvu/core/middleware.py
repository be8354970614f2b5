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
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with audit.audit_context(actor=actor, ip=audit.client_ip(request), source=source):
            return self.get_response(request)
