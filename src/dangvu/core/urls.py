from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("rulebook/", views.rulebook, name="rulebook"),
    path("rulebook/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rulebook/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rulebook/<int:pk>/new-value/", views.rule_add, name="rule_add"),
]
