from django.urls import path

from peercert.council import views

app_name = "council"

urlpatterns = [
    # Public
    path("", views.about, name="about"),
    path("apply/", views.apply, name="apply"),
    path("apply/sent/", views.apply_sent, name="apply_sent"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes_file, name="meeting_minutes_file"),
    # Seated members
    path("members/", views.members_area, name="members_area"),
    # Program staff
    path("staff/", views.staff_home, name="staff"),
    path("staff/calls/new/", views.call_new, name="call_new"),
    path("staff/calls/<int:call_id>/open/", views.call_open, name="call_open"),
    path("staff/calls/<int:call_id>/close/", views.call_close, name="call_close"),
    path("staff/applications/<int:application_id>/", views.application_detail, name="application"),
    path("staff/applications/<int:application_id>/select/", views.application_select, name="application_select"),
    path("staff/applications/<int:application_id>/decline/", views.application_decline, name="application_decline"),
    path("staff/members/<int:member_id>/", views.member_detail, name="member"),
    path("staff/members/<int:member_id>/end/", views.member_end, name="member_end"),
    path("staff/members/<int:member_id>/link/", views.member_link, name="member_link"),
    path("staff/meetings/new/", views.meeting_new, name="meeting_new"),
    path("staff/meetings/<int:meeting_id>/", views.meeting_manage, name="meeting_manage"),
    path("staff/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("staff/meetings/<int:meeting_id>/announce/", views.meeting_announce, name="meeting_announce"),
    path(
        "staff/meetings/<int:meeting_id>/publish-minutes/",
        views.meeting_publish_minutes,
        name="meeting_publish_minutes",
    ),
    path("staff/meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("staff/meetings/<int:meeting_id>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("staff/recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path("staff/recommendations/<int:recommendation_id>/", views.recommendation_detail, name="recommendation"),
    path(
        "staff/recommendations/<int:recommendation_id>/respond/",
        views.recommendation_respond,
        name="recommendation_respond",
    ),
    path(
        "staff/recommendations/<int:recommendation_id>/publish/",
        views.recommendation_publish,
        name="recommendation_publish",
    ),
    path(
        "staff/recommendations/<int:recommendation_id>/withdraw/",
        views.recommendation_withdraw,
        name="recommendation_withdraw",
    ),
]
