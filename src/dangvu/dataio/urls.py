from django.urls import path

from . import views

app_name = "dataio"
urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/template.xlsx", views.import_template, name="template"),
    path("import/<int:pk>/", views.job_detail, name="job"),
    path("import/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("import/<int:pk>/commit/", views.job_commit, name="job_commit"),
    path("export/members/", views.export_members, name="export_members"),
    path("export/organizations/", views.export_organizations, name="export_organizations"),
]
