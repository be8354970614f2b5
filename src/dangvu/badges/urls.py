from django.urls import path

from . import views

app_name = "badges"
urlpatterns = [
    path("", views.due_page, name="due"),
    path("record/", views.record, name="record"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("awards/", views.awards, name="awards"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
]
