from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("plan/", views.meeting_plan, name="plan"),
    path("new/", views.meeting_create, name="create"),
    path("my/", views.my_meetings, name="my"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/history/", views.meeting_history, name="history"),
    path("<int:pk>/agenda/", views.meeting_agenda, name="agenda"),
    path("<int:pk>/documents/", views.meeting_document_add, name="document_add"),
    path("<int:pk>/documents/<int:doc>/", views.meeting_document, name="document"),
    path("<int:pk>/export/<str:kind>/<str:fmt>/", views.meeting_export, name="export"),
    path("<int:pk>/notice/", views.meeting_notice, name="notice"),
    path("<int:pk>/roster/", views.meeting_roster_build, name="roster_build"),
    path("<int:pk>/attendance/<int:att>/", views.attendance_set, name="attendance"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
    path("<int:pk>/checkin/open/", views.checkin_open, name="checkin_open"),
    path("<int:pk>/checkin/", views.checkin_display, name="checkin_display"),
    path("<int:pk>/checkin/count/", views.checkin_count, name="checkin_count"),
    path("<int:pk>/visit/", views.visit_record, name="visit_record"),
    # a member checks in
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/t/<str:token>/", views.checkin_token, name="checkin_token"),
    # supervision
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/assignments/new/", views.assignment_create, name="assignment_create"),
    path("supervision/assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("supervision/visits/<int:pk>/", views.visit_edit, name="visit_edit"),
    path("supervision/findings/", views.finding_list, name="findings"),
    path("supervision/findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("supervision/findings/<int:pk>/note/", views.finding_note, name="finding_note"),
    path("supervision/findings/<int:pk>/close/", views.finding_close, name="finding_close"),
    path("calendar/subscribe/", views.calendar_subscription, name="calendar_subscription"),
    path("calendar/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("notifications/", views.notifications, name="notifications"),
]
