from django.urls import path

from . import views

app_name = "committees"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:pk>/", views.org_page, name="org"),
    path("org/<int:pk>/terms/new/", views.term_create, name="term_create"),
    path("org/<int:pk>/congresses/new/", views.congress_create, name="congress_create"),
    path("org/<int:pk>/committees/new/", views.committee_create, name="committee_create"),
    path("terms/<int:pk>/close/", views.term_close, name="term_close"),
    path("congresses/<int:pk>/", views.congress_detail, name="congress"),
    path("checklist/<int:pk>/tick/", views.checklist_tick, name="checklist_tick"),
    path("<int:pk>/seats/new/", views.seat_fill, name="seat_fill"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
]
