from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dangvu.core.urls")),
    path("accounts/", include("dangvu.accounts.urls")),
    path("organizations/", include("dangvu.organizations.urls")),
    path("members/", include("dangvu.members.urls")),
    path("data/", include("dangvu.dataio.urls")),
    path("meetings/", include("dangvu.meetings.urls")),
    path("committees/", include("dangvu.committees.urls")),
    path("discipline/", include("dangvu.discipline.urls")),
    path("admission/", include("dangvu.admission.urls")),
    path("badges/", include("dangvu.badges.urls")),
    path("reports/", include("dangvu.reports.urls")),
    path("api/", include("dangvu.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
