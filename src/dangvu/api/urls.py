from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from dangvu.accounts.api.views import ObtainTokenView, UserViewSet
from dangvu.members.api.views import MemberEventViewSet, MemberViewSet
from dangvu.organizations.api.views import OrganizationViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("members", MemberViewSet, basename="member")
router.register("member-events", MemberEventViewSet, basename="member-event")
router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
