from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/row/", views.row, name="row"),
    path("<int:pk>/download/", views.download, name="download"),
]
