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
    path("items/<int:item_id>/submit/", views.item_submit, name="item_submit"),
    path("items/<int:item_id>/review-pass/", views.item_review_pass, name="item_review_pass"),
    path("items/<int:item_id>/return/", views.item_return, name="item_return"),
    path("items/<int:item_id>/approve/", views.item_approve, name="item_approve"),
    path("items/<int:item_id>/retire/", views.item_retire, name="item_retire"),
    path("items/<int:item_id>/new-version/", views.item_new_version, name="item_new_version"),
    path("forms/", views.form_list, name="form_list"),
    path("forms/new/", views.form_create, name="form_create"),
    path("forms/<int:form_id>/", views.form_detail, name="form_detail"),
    path("forms/<int:form_id>/assemble/", views.form_assemble, name="form_assemble"),
    path("forms/<int:form_id>/approve/", views.form_approve, name="form_approve"),
    path("forms/<int:form_id>/publish/", views.form_publish, name="form_publish"),
    path("forms/<int:form_id>/retire/", views.form_retire, name="form_retire"),
    path("forms/<int:form_id>/analyse/", views.form_analyse, name="form_analyse"),
    path("forms/<int:form_id>/analysis/", views.form_analysis, name="form_analysis"),
    path("authorizations/", views.authorization_list, name="authorization_list"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/register/", views.session_register, name="session_register"),
    path("sessions/<int:session_id>/incident/", views.incident_create, name="incident_create"),
    path(
        "registrations/<int:registration_id>/reschedule/", views.registration_reschedule, name="registration_reschedule"
    ),
    path("registrations/<int:registration_id>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:registration_id>/check-in/", views.registration_check_in, name="registration_check_in"),
    path("accommodations/", views.accommodation_list, name="accommodation_list"),
    path("accommodations/new/", views.accommodation_request, name="accommodation_request"),
    path("accommodations/<int:request_id>/", views.accommodation_detail, name="accommodation_detail"),
    path("accommodations/<int:request_id>/document/", views.accommodation_document, name="accommodation_document"),
    path("attempts/<int:attempt_id>/", views.attempt_take, name="attempt_take"),
    path("attempts/<int:attempt_id>/answer/", views.answer_save, name="answer_save"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/break/", views.attempt_break, name="attempt_break"),
    path("attempts/<int:attempt_id>/resume/", views.attempt_resume, name="attempt_resume"),
    path("attempts/<int:attempt_id>/retake-invoice/", views.retake_invoice, name="retake_invoice"),
    path(
        "attempts/<int:attempt_id>/tasks/<int:task_id>/response/", views.practical_response, name="practical_response"
    ),
    path("responses/<int:response_id>/file/", views.practical_response_file, name="practical_response_file"),
    path("attempts/<int:attempt_id>/report/", views.score_report, name="score_report"),
    path("attempts/<int:attempt_id>/tasks/<int:task_id>/grade/", views.grade, name="grade"),
    path("grading/", views.grading_queue, name="grading_queue"),
    path("vendor-results/", views.vendor_import, name="vendor_import"),
]
