from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("home/panel/<slug:app>/", views.home_panel, name="home_panel"),
    path("rulebook/", views.rulebook, name="rulebook"),
    path("rulebook/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rulebook/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rulebook/<int:pk>/new-value/", views.rule_add, name="rule_add"),
    path("rulebook/calendar/", views.calendar, name="calendar"),
    path("rulebook/calendar/new/", views.holiday_edit, name="holiday_add"),
    path("rulebook/calendar/<int:pk>/", views.holiday_edit, name="holiday_edit"),
    path("rulebook/calendar/seed/", views.calendar_seed, name="calendar_seed"),
]
