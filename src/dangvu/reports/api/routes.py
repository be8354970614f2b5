"""API routes of this app, registered on the project router by `dangvu.api.urls`."""


def register(router) -> None:
    """Add this app's viewsets to `router` (router.register(prefix, ViewSet, basename=…))."""
    from .views import GeneratedReportViewSet

    router.register("reports", GeneratedReportViewSet, basename="report")
