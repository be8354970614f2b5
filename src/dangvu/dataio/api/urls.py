"""API routes of dataio. Include with `path("", include("dangvu.dataio.api.urls"))` under /api/,
or register `router_registrations` on the project's router."""

from rest_framework.routers import SimpleRouter

from .views import ImportJobViewSet

router_registrations = [("imports", ImportJobViewSet, "importjob")]

router = SimpleRouter()
for prefix, viewset, basename in router_registrations:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
