from django.urls import path

from peercert.exams import views

app_name = "exams"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.my_exam, name="my_exam"),
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/action/", views.item_action, name="item_action"),
    path("forms/", views.form_list, name="form_list"),
    path("forms/new/", views.form_create, name="form_create"),
    path("forms/<int:form_id>/", views.form_detail, name="form_detail"),
    path("forms/<int:form_id>/action/", views.form_action, name="form_action"),
    path("forms/<int:form_id>/analysis/", views.form_analysis, name="form_analysis"),
    path("authorizations/", views.authorization_list, name="authorization_list"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/register/", views.session_register, name="session_register"),
    path("sessions/<int:session_id>/incident/", views.incident_create, name="incident_create"),
    path("registrations/<int:registration_id>/reschedule/", views.registration_reschedule, name="registration_reschedule"),
    path("registrations/<int:registration_id>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:registration_id>/check-in/", views.registration_check_in, name="registration_check_in"),
    path("accommodations/", views.accommodation_list, name="accommodation_list"),
    path("accommodations/new/", views.accommodation_request, name="accommodation_request"),
    path("accommodations/<int:request_id>/", views.accommodation_detail, name="accommodation_detail"),
    path("accommodations/<int:request_id>/document/", views.accommodation_document, name="accommodation_document"),
    path("attempts/<int:attempt_id>/", views.attempt_take, name="attempt_take"),
    path("attempts/<int:attempt_id>/answer/", views.answer_save, name="answer_save"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/report/", views.score_report, name="score_report"),
    path("attempts/<int:attempt_id>/tasks/<int:task_id>/grade/", views.grade, name="grade"),
    path("grading/", views.grading_queue, name="grading_queue"),
    path("vendor-results/", views.vendor_import, name="vendor_import"),
]
