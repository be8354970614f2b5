from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from dangvu.accounts.api.views import ObtainTokenView, RoleAssignmentViewSet, UserViewSet
from dangvu.core.api.views import HolidayViewSet, RuleViewSet
from dangvu.dataio.api.views import ImportJobViewSet
from dangvu.meetings.api.views import (
    AssignmentViewSet,
    AttendanceViewSet,
    FindingViewSet,
    MeetingViewSet,
    ObserverVisitViewSet,
)
from dangvu.members.api.views import (
    MemberEventViewSet,
    MembershipViewSet,
    MemberViewSet,
    OrganizationStatsViewSet,
)
from dangvu.organizations.api.views import (
    OrganizationEventViewSet,
    OrganizationTypeLabelViewSet,
    OrganizationVersionViewSet,
    OrganizationViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("organization-events", OrganizationEventViewSet, basename="organization-event")
router.register(
    "organization-versions", OrganizationVersionViewSet, basename="organization-version"
)
router.register(
    "organization-type-labels", OrganizationTypeLabelViewSet, basename="organization-type-label"
)
router.register("members", MemberViewSet, basename="member")
router.register("member-events", MemberEventViewSet, basename="member-event")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("organization-stats", OrganizationStatsViewSet, basename="organizationstats")
router.register("rules", RuleViewSet, basename="rule")
router.register("holidays", HolidayViewSet, basename="holiday")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("imports", ImportJobViewSet, basename="importjob")
router.register("users", UserViewSet, basename="user")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("attendances", AttendanceViewSet, basename="attendance")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("observer-visits", ObserverVisitViewSet, basename="observer-visit")
router.register("findings", FindingViewSet, basename="finding")
# Later modules register their own routes (dangvu/<app>/api/routes.py).
for _app in ("committees", "discipline", "admission", "badges", "reports"):
    import_module(f"dangvu.{_app}.api.routes").register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
