from django.urls import path

from . import views

app_name = "admission"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("export.xlsx", views.candidate_export, name="export"),
    path("targets/", views.targets, name="targets"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/steps/", views.candidate_step, name="step"),
    path("<int:pk>/introducers/", views.introducer_add, name="introducer_add"),
    path("<int:pk>/close/", views.candidate_close, name="close"),
]
