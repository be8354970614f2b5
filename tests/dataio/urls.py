"""The project's URLs plus the dataio API (until the API router includes it)."""

from django.urls import include, path

from dangvu.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/", include("dangvu.dataio.api.urls")), *project_urlpatterns]
